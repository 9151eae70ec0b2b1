/**
 * One parsed model per (uri, version), shared by diagnostics, hover, completion, code actions and
 * placement (json-language-features' getLanguageModelCache). Chunks are cached by text across
 * versions and documents, and findings by object text, so an edit in a multi-document file re-parses
 * and re-validates only the documents it touched.
 */
import { ChunkCache, parseDocument, type DocumentModel, type ParseOptions, type ParsedChunk } from './engine/model';
import { FindingsCache } from './engine/validate';
import type { Finding } from './engine/types';

export interface VersionedText {
  uri: string;
  version?: number;
  getText(): string;
}

interface Entry {
  version: number | undefined;
  text: string;
  /** Parsed as a Kustomize patch listed in its folder's kustomization. */
  partial: boolean;
  model: DocumentModel;
  /** Validation results for this version, keyed by the options stamp they were computed with. */
  findings?: { stamp: string; findings: Finding[] };
}

export class ModelCache {
  readonly chunks: ChunkCache;
  readonly findingsCache = new FindingsCache();
  private readonly entries = new Map<string, Entry>();

  /**
   * `capacity` bounds the number of files kept (open documents are deleted on close). A parsed chunk
   * keeps its syntax tree and source tokens (tens of KiB for a DaemonSet), so the chunk cache holds
   * enough for a couple of 1,000-document files and lets closed files' chunks age out.
   */
  constructor(private readonly capacity = 200, chunkCapacity = 3000) {
    this.chunks = new ChunkCache(chunkCapacity);
  }

  /**
   * The model of this version of the document, parsed at most once per parse options: a file that
   * becomes (or stops being) a listed patch is parsed again, and its findings computed again.
   */
  get(doc: VersionedText, options: ParseOptions = {}): DocumentModel {
    return this.entry(doc, options).model;
  }

  /** Findings for this version, parse options and options stamp, computed at most once. */
  findings(doc: VersionedText, stamp: string, compute: (model: DocumentModel) => Finding[], options: ParseOptions = {}): Finding[] {
    const e = this.entry(doc, options);
    if (e.findings && e.findings.stamp === stamp) return e.findings.findings;
    const findings = compute(e.model);
    e.findings = { stamp, findings };
    return findings;
  }

  /** Forgets a closed document, and the parsed chunks that no other kept document shares. */
  delete(uri: string): void {
    const e = this.entries.get(uri);
    this.entries.delete(uri);
    if (!e) return;
    const keep = new Set<ParsedChunk>();
    for (const other of this.entries.values()) for (const { chunk } of other.model.chunks) keep.add(chunk);
    // Findings are cached by the text of each document: those of the closed file go with its chunks.
    for (const { chunk } of e.model.chunks) {
      if (keep.has(chunk)) continue;
      this.chunks.forget(chunk);
      this.findingsCache.forget(chunk.text);
    }
  }

  private entry(doc: VersionedText, options: ParseOptions): Entry {
    const partial = !!options.partial;
    const cur = this.entries.get(doc.uri);
    // A versioned document is identified by its version; text read from disk by the text itself.
    // Chunks hold no partial flag (objects are built from them at each parse), so reusing them is safe.
    if (cur && cur.partial === partial && doc.version !== undefined && cur.version === doc.version) return cur;
    const text = doc.getText();
    if (cur && cur.partial === partial && doc.version === undefined && cur.version === undefined && cur.text === text) return cur;
    const model = parseDocument(doc.uri, text, doc.version, this.chunks, partial ? { partial: true } : {});
    const e: Entry = { version: doc.version, text, partial, model };
    this.entries.delete(doc.uri);
    this.entries.set(doc.uri, e);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return e;
  }
}
