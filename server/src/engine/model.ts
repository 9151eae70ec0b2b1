import { Alias, Composer, Document, Parser, parseAllDocuments, visit, Scalar, type DocumentOptions, type Node, type ParseOptions as YamlParseOptions, type SchemaOptions, type YAMLMap } from 'yaml';
import { parseFastChunk } from './fastYaml';
import { isHelmTemplate, scanTemplates, TEMPLATE_ACTION_RE, type TemplateScan } from './templates';
import { valueFacts } from './valueFacts';
import { isMap, isScalar, isSeq } from './yamlNodes';
import { goYamlMergeTag, markMergeKeys, uniqueKeys } from './mergeKeys';
import { goYamlTokens, isUnindentedQuoteError } from './goYamlQuotes';
import type { Finding, Span } from './types';
import { withGoYamlScalars } from './goYamlBool';

/**
 * The parsed form of one file. A file is a YAML stream; it is cut at document markers
 * (`---` / `...` at column 0, which end a document wherever they appear) into chunks, and
 * each chunk is parsed on its own, so an edit re-parses only the chunk it touched.
 */
export interface DocumentModel {
  uri: string;
  version: number | undefined;
  text: string;
  chunks: ChunkView[];
  /** Every Kubernetes object found (plain documents and `kind: List` items), in file order. */
  objects: ManifestObject[];
  /** The subset of `objects` that are DaemonSets (any apiVersion). */
  daemonSets: ManifestObject[];
  /** File-level findings: binary content, syntax errors, alias bombs, templates. */
  findings: Finding[];
  /**
   * The file is a template: `{{ … }}` shapes its YAML (not only comments or scalar values, see
   * engine/templates.ts). Most validation is skipped.
   */
  templated: boolean;
  /** When `templated`: where the template starts (the first `{{` of the structure) and whether it is Helm's. */
  template?: { at: number; helm: boolean };
}

/** A parsed chunk placed at an offset in the file. */
export interface ChunkView {
  base: number;
  chunk: ParsedChunk;
}

/** The cacheable result of parsing one chunk; every span in it is relative to the chunk. */
export interface ParsedChunk {
  text: string;
  docs: Document.Parsed[];
  /** Plain values of `docs`, or `undefined` where conversion failed. */
  values: unknown[];
  /** Syntax and conversion problems, chunk-relative. */
  findings: Finding[];
  /** `{{ … }}` shapes the YAML of this chunk: it is a template. */
  templated: boolean;
  /** Where the template starts (the first `{{` of the structure), when `templated`. */
  templateAt?: number;
  /** The template uses Helm's objects or functions, when `templated`. */
  helmTemplate?: boolean;
  /** Scalars whose text holds a template action (a value known only once rendered), chunk-relative. */
  placeholders?: Span[];
}

/** One Kubernetes object inside a file. */
export interface ManifestObject {
  /** Index of the YAML document in the whole stream. */
  docIndex: number;
  /** Absolute offset of the chunk that holds it; add to node ranges. */
  base: number;
  doc: Document.Parsed;
  /** The object's mapping node. */
  node: YAMLMap;
  /** Path of the object inside its YAML document: [] or ['items', 3]. */
  docPath: Array<string | number>;
  /** The object as plain data. */
  value: Record<string, unknown>;
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  /** The object looks like a partial manifest (a Kustomize patch): required-field checks are skipped. */
  partial: boolean;
  /** Index among the file's objects; stable for a given text. */
  index: number;
  /** Scalars of its chunk whose value is a template action (`"{{ .Values.port }}"`), relative to `base`. */
  placeholders?: readonly Span[];
}

export interface ParseOptions {
  /** The adapter knows the file is a Kustomize patch (for example it is listed in a kustomization). */
  partial?: boolean;
}

/** Largest file the engine reads; beyond it the file gets one finding and nothing else. */
export const MAX_TEXT_LENGTH = 16 * 1024 * 1024;
const MAX_ALIAS_COUNT = 100;

/** Small LRU keyed by chunk text, shared across versions of a document and across documents. */
export class ChunkCache {
  private readonly map = new Map<string, ParsedChunk>();
  private capacity: number;
  constructor(private readonly baseCapacity = 4096) {
    this.capacity = baseCapacity;
  }
  /**
   * Makes room for `count` more chunks of one file: a `kind: List` of 10,000 nodes is 10,000 item
   * chunks, which would otherwise push each other (and every other file's chunks) out on each parse.
   * The memory is what the whole list document took as one chunk.
   */
  reserve(count: number): void {
    this.capacity = Math.max(this.capacity, this.baseCapacity + count);
  }
  get(text: string): ParsedChunk | undefined {
    const hit = this.map.get(text);
    if (hit) {
      this.map.delete(text);
      this.map.set(text, hit);
    }
    return hit;
  }
  set(text: string, chunk: ParsedChunk): void {
    this.map.set(text, chunk);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
  }
  /** Forgets a chunk (its file was closed and no other file holds it). */
  forget(chunk: ParsedChunk): void {
    if (this.map.get(chunk.text) === chunk) this.map.delete(chunk.text);
  }
}

/** Splits a YAML stream at document markers. Returns [offset, text] pairs covering the whole text. */
export function splitChunks(text: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  const re = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m.index === 0) continue;
    // `...` ends a document and belongs to it; `---` starts the next one.
    if (m[0] === '...') {
      const eol = text.indexOf('\n', m.index);
      const end = eol < 0 ? text.length : eol + 1;
      out.push([start, text.slice(start, end)]);
      start = end;
      re.lastIndex = end;
    } else {
      out.push([start, text.slice(start, m.index)]);
      start = m.index;
    }
  }
  if (start < text.length || out.length === 0) out.push([start, text.slice(start)]);
  return out;
}

/**
 * How `yaml` reads a chunk: merge keys (`<<`), numbers (`0644`, `8_080`) and the YAML 1.1 booleans
 * (`yes`, `on`, …) are read as kubectl reads them (engine/mergeKeys.ts, engine/goYamlNumber.ts,
 * engine/goYamlBool.ts); the merge tag is put first so that a plain `<<` key resolves to it, the
 * numbers before the core schema's int and float tags, the booleans last, after the core schema's own.
 */
const YAML_OPTIONS: YamlParseOptions & DocumentOptions & SchemaOptions = {
  prettyErrors: false,
  uniqueKeys,
  logLevel: 'error',
  customTags: (tags) => [goYamlMergeTag, ...withGoYamlScalars(tags)],
};

/** Parses one chunk. Never throws. */
export function parseChunk(text: string): ParsedChunk {
  const hasActions = TEMPLATE_ACTION_RE.test(text);
  if (!hasActions) {
    // Plain manifests: the same documents and values as below, several times faster (engine/fastYaml.ts).
    const fast = parseFastChunk(text);
    if (fast) return { text, docs: fast.docs, values: fast.values, findings: [], templated: false };
  }
  const findings: Finding[] = [];
  let docs: Document.Parsed[] = [];
  let scan: TemplateScan | undefined;
  try {
    // No `keepSourceTokens`: nothing reads `srcToken`, and keeping the CST of every cached chunk
    // cost 2.7x the memory and a quarter more parse time on large files (node ranges are kept anyway).
    if (hasActions) {
      // What parseAllDocuments does, keeping the parser's tokens to see where the `{{` stand.
      const tokens = Array.from(new Parser().parse(text));
      scan = scanTemplates(text, tokens);
      docs = Array.from(new Composer(YAML_OPTIONS).compose(tokens)) as Document.Parsed[];
    } else {
      docs = parseAllDocuments(text, YAML_OPTIONS) as Document.Parsed[];
      if (!Array.isArray(docs)) docs = []; // EmptyStream
    }
    // A quoted value whose next lines are not indented deeper than its key: kubectl reads it, so
    // read it as kubectl does (engine/goYamlQuotes.ts), with a warning at each such value.
    const cut = docs.flatMap((d) => d.errors.filter(isUnindentedQuoteError).map((e) => e.pos[0]));
    if (cut.length) {
      const tokens = goYamlTokens(text);
      const read = Array.from(new Composer(YAML_OPTIONS).compose(tokens)) as Document.Parsed[];
      // Only when that reads the whole chunk cleanly: a quote that is simply never closed stays the error it is.
      if (!read.some((d) => d.errors.length > 0)) {
        docs = read;
        if (hasActions) scan = scanTemplates(text, tokens);
        findings.push(...unindentedQuoteWarnings(text, docs, cut));
      }
    }
  } catch (e) {
    findings.push(problem('yaml-syntax', `The YAML could not be parsed: ${errorText(e)}`, { start: 0, end: Math.min(text.length, 1) }));
  }
  const templated = !!scan && scan.structuralAt >= 0;
  const values: unknown[] = [];
  const merges = text.includes('<<');
  for (const doc of docs) {
    if (merges) markMergeKeys(doc);
    if (!templated) {
      for (const err of [...doc.errors, ...doc.warnings]) {
        const [s, e] = err.pos;
        const isError = doc.errors.includes(err as never);
        findings.push({
          code: isError ? 'yaml-syntax' : 'yaml-warning',
          severity: isError ? 'error' : 'warning',
          message: cleanYamlMessage(err.message),
          path: '',
          span: { start: s, end: Math.max(e, s + 1) },
        });
      }
    }
    if (doc.errors.length > 0) {
      values.push(undefined);
      continue;
    }
    try {
      values.push(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
    } catch (e) {
      values.push(undefined);
      const msg = errorText(e);
      const unresolved = unresolvedAlias(doc);
      if (unresolved) {
        // go-yaml (yaml.v2 decode.go, parser.alias): failf("unknown anchor '%s' referenced", n.value).
        findings.push(problem(
          'yaml-syntax',
          `Unknown anchor '${unresolved.source}' referenced: an alias (*${unresolved.source}) must follow its anchor (&${unresolved.source}) in the same document.`,
          nodeSpan(unresolved) ?? { start: 0, end: 1 },
        ));
        continue;
      }
      const alias = /alias/i.test(msg);
      findings.push(problem(
        alias ? 'yaml-alias-limit' : 'yaml-syntax',
        alias
          ? `This document expands too many aliases (more than ${MAX_ALIAS_COUNT}); it was not read, to protect against alias bombs.`
          : `The YAML could not be read: ${msg}`,
        nodeSpan(doc.contents as Node | null) ?? { start: 0, end: 1 },
      ));
    }
  }
  const chunk: ParsedChunk = { text, docs, values, findings, templated };
  if (scan && templated) {
    chunk.templateAt = scan.structuralAt;
    chunk.helmTemplate = isHelmTemplate(text);
  }
  if (scan?.placeholders.length) chunk.placeholders = scan.placeholders;
  return chunk;
}

/**
 * A warning on the first line of each quoted scalar that holds one of the offsets `cut` (where the
 * `yaml` package stopped it): go-yaml reads it whole, other YAML 1.2 tools may not.
 */
function unindentedQuoteWarnings(text: string, docs: Document.Parsed[], cut: number[]): Finding[] {
  const out: Finding[] = [];
  for (const doc of docs) {
    visit(doc, {
      Scalar(_key, node) {
        if ((node.type !== Scalar.QUOTE_SINGLE && node.type !== Scalar.QUOTE_DOUBLE) || !node.range) return;
        const [start, end] = node.range;
        if (!cut.some((c) => c >= start && c < end)) return;
        let eol = text.indexOf('\n', start);
        if (text[eol - 1] === '\r') eol--;
        out.push({
          code: 'yaml-warning',
          severity: 'warning',
          message: 'The lines after the first of this quoted value are not indented deeper than its key. kubectl reads them as part of the value, as here, but YAML 1.2 does not allow it, and strict YAML tools (Prettier, the Red Hat YAML extension) report the file as broken: indent them further.',
          path: '',
          span: { start, end: eol < 0 || eol > end ? end : eol },
        });
      },
    });
  }
  return out;
}

/** Parses a whole file into a model, reusing cached chunks. Never throws. */
export function parseDocument(uri: string, text: string, version?: number, cache?: ChunkCache, options: ParseOptions = {}): DocumentModel {
  const model: DocumentModel = { uri, version, text, chunks: [], objects: [], daemonSets: [], findings: [], templated: false };
  if (text.length > MAX_TEXT_LENGTH) {
    model.findings.push(problem('file-too-large', `The file is larger than ${MAX_TEXT_LENGTH / 1024 / 1024} MiB and was not read.`, { start: 0, end: 1 }));
    return model;
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0 || /[\u0001-\u0008\u000e-\u001a]/.test(text.slice(0, 8192))) {
    model.findings.push(problem('binary-file', 'This is a binary file, not YAML: it was not read.', { start: 0, end: 1 }));
    return model;
  }
  let docIndex = 0;
  let template: { at: number; helm: boolean } | undefined;
  for (const [base, chunkText] of splitChunks(text)) {
    if (addListChunks(model, base, chunkText, docIndex, cache, options)) {
      docIndex++;
      continue;
    }
    const chunk = cachedChunk(chunkText, cache);
    model.chunks.push({ base, chunk });
    if (chunk.templated) {
      model.templated = true;
      template ??= { at: base + (chunk.templateAt ?? 0), helm: false };
      template.helm ||= !!chunk.helmTemplate;
    }
    for (const f of chunk.findings) model.findings.push(shiftFinding(f, base));
    chunk.docs.forEach((doc, i) => {
      const value = chunk!.values[i];
      collectObjects(model, doc, value, base, docIndex, options, chunk!.placeholders);
      docIndex++;
    });
  }
  if (template) {
    model.template = template;
    const render = renderHint(model);
    model.findings.push({
      code: 'template-not-validated',
      severity: 'information',
      message: `This file is a template ({{ … }}): it is checked only where it is plain YAML. ${render} to validate it fully.`,
      path: '',
      span: { start: template.at, end: template.at + 2 },
    });
  }
  return model;
}

/** How a template file is rendered, for the messages that ask for it: `helm template` for Helm. */
export function renderHint(model: DocumentModel): string {
  return model.template?.helm ? 'Render it (helm template)' : 'Render it with its template engine';
}

/** The DaemonSet comes from a chunk whose YAML structure a template makes: its values are known only once rendered. */
export function inTemplatedChunk(model: DocumentModel, ds: ManifestObject): boolean {
  return model.chunks.some((c) => c.base === ds.base && c.chunk.templated);
}

function cachedChunk(text: string, cache: ChunkCache | undefined): ParsedChunk {
  let chunk = cache?.get(text);
  if (!chunk) {
    chunk = parseChunk(text);
    cache?.set(text, chunk);
  }
  return chunk;
}

/** A `kind: List` document cut into pieces; offsets are relative to the document's chunk. */
export interface ListPieces {
  /** The text up to and including the `items:` line. */
  head: string;
  /** Each item's text, its leading `- ` replaced by two spaces (every offset is kept), at its offset. */
  items: Array<[number, string]>;
  /** The text after the last item (column-0 keys such as `kind: List`, `metadata:`), at its offset. */
  tail: [number, string];
}

const ITEMS_LINE_RE = /^items:[ \t]*(?:#[^\n]*)?\r?\n/m;
/** Characters that may follow an item's `- ` for the item to be a plain block mapping. */
const ITEM_START_RE = /[^\s!&*[\]{}|>#%@`,?\-'"]/y;

/**
 * Cuts a `kind: List` document as kubectl writes it (`items:` at column 0, every item starting with
 * `- ` at one indentation, its lines indented two more) into the head, one piece per item and the
 * tail. Returns undefined for any other shape (flow sequences, tags or anchors on items, lines at odd
 * indentation, templates): those documents are parsed whole.
 */
export function splitListItems(text: string): ListPieces | undefined {
  if (text.includes('{{')) return undefined;
  const m = ITEMS_LINE_RE.exec(text);
  if (!m) return undefined;
  const start = m.index + m[0].length;
  const head = text.slice(0, start);
  if (head.includes('%')) return undefined;
  let first = start;
  // Skip blank lines before the first item.
  while (first < text.length) {
    const eol = text.indexOf('\n', first);
    const line = text.slice(first, eol < 0 ? text.length : eol);
    if (line.trim() !== '') break;
    first = eol < 0 ? text.length : eol + 1;
  }
  let ind = 0;
  while (text.charCodeAt(first + ind) === 32) ind++;
  if (text.charCodeAt(first + ind) !== 45 /* - */) return undefined;
  const items: Array<[number, string]> = [];
  let itemStart = -1;
  let pos = first;
  let end = text.length;
  const prefix = ' '.repeat(ind);
  while (pos < text.length) {
    const eol = text.indexOf('\n', pos);
    const next = eol < 0 ? text.length : eol + 1;
    let spaces = 0;
    while (text.charCodeAt(pos + spaces) === 32) spaces++;
    const c = text.charCodeAt(pos + spaces);
    const blank = pos + spaces >= text.length || c === 10 || (c === 13 && text.charCodeAt(pos + spaces + 1) === 10);
    if (blank || spaces >= ind + 2) {
      // A blank line or a line inside the current item.
      if (itemStart < 0) return undefined;
    } else if (spaces === ind && c === 45 && text.charCodeAt(pos + ind + 1) === 32) {
      ITEM_START_RE.lastIndex = pos + ind + 2;
      if (!ITEM_START_RE.test(text)) return undefined;
      // The previous item keeps this line's indentation: a whole-document parse counts it in
      // the item's node range when trailing comments follow the item.
      if (itemStart >= 0) items.push([itemStart, listItemText(text, itemStart, pos + ind, ind, prefix)]);
      itemStart = pos;
    } else if (spaces === 0 && c !== 35 /* # */ && c !== 45 /* - */ && c !== 9 /* tab */) {
      // A column-0 key: the sequence has ended.
      end = pos;
      break;
    } else {
      return undefined;
    }
    pos = next;
  }
  if (itemStart < 0) return undefined;
  items.push([itemStart, listItemText(text, itemStart, end, ind, prefix)]);
  return { head, items, tail: [end, text.slice(end)] };
}

function listItemText(text: string, start: number, end: number, ind: number, prefix: string): string {
  return `${prefix}  ${text.slice(start + ind + 2, end)}`;
}

/**
 * Parses a `kind: List` document item by item (see `splitListItems`), so an edit re-parses only the
 * item it touched. The head, every item and the tail are separate cached chunks; each item object's
 * spans are relative to its own chunk, so they stay absolute once shifted by `base`. Returns false,
 * having added nothing, whenever the pieces would not give exactly what parsing the whole document
 * gives: a syntax problem anywhere, a key in both head and tail, a kind that is not a List.
 */
function addListChunks(model: DocumentModel, base: number, text: string, docIndex: number, cache: ChunkCache | undefined, options: ParseOptions): boolean {
  const pieces = splitListItems(text);
  if (!pieces) return false;
  cache?.reserve(pieces.items.length + 2);
  const head = cachedChunk(pieces.head, cache);
  if (!cleanSingleMap(head, false)) return false;
  const tail = pieces.tail[1] === '' ? undefined : cachedChunk(pieces.tail[1], cache);
  if (tail && !cleanSingleMap(tail, true)) return false;
  const headValue = head.values[0] as Record<string, unknown>;
  const tailValue = (tail?.values[0] ?? {}) as Record<string, unknown>;
  if (!isPlainObject(tailValue) || headValue.items !== null) return false;
  if (Object.keys(tailValue).some((k) => Object.prototype.hasOwnProperty.call(headValue, k))) return false;
  const kind = headValue.kind ?? tailValue.kind;
  if (typeof kind !== 'string' || !/List$/.test(kind)) return false;
  const chunks: ParsedChunk[] = [];
  for (const [, itemText] of pieces.items) {
    const chunk = cachedChunk(itemText, cache);
    if (chunk.findings.length > 0 || chunk.docs.length !== 1 || chunk.values[0] === undefined || chunk.templated) return false;
    chunks.push(chunk);
  }
  model.chunks.push({ base, chunk: head });
  pieces.items.forEach(([off], i) => {
    const chunk = chunks[i];
    model.chunks.push({ base: base + off, chunk });
    const root = chunk.docs[0].contents;
    const value = chunk.values[0];
    if (isMap(root) && isPlainObject(value)) addObject(model, chunk.docs[0], root, value, ['items', i], base + off, docIndex, options);
  });
  if (tail) model.chunks.push({ base: base + pieces.tail[0], chunk: tail });
  return true;
}

/** One document without any syntax problem whose root is a mapping (or, when `orEmpty`, nothing). */
function cleanSingleMap(chunk: ParsedChunk, orEmpty: boolean): boolean {
  if (chunk.findings.length > 0 || chunk.templated) return false;
  if (chunk.docs.length === 0) return orEmpty;
  if (chunk.docs.length !== 1) return false;
  const root = chunk.docs[0].contents;
  // A tail of only `...` holds an empty document (an empty plain scalar).
  const empty = root === null || root === undefined || (isScalar(root) && root.value === null && root.source === '' && !root.tag && !root.anchor);
  if (empty) return orEmpty && (chunk.values[0] === null || chunk.values[0] === undefined);
  return isMap(root) && isPlainObject(chunk.values[0]);
}

function collectObjects(model: DocumentModel, doc: Document.Parsed, value: unknown, base: number, docIndex: number, options: ParseOptions, placeholders?: readonly Span[]): void {
  const root = doc.contents;
  if (!isMap(root) || !isPlainObject(value)) return;
  const kind = typeof value.kind === 'string' ? value.kind : undefined;
  if (kind && /List$/.test(kind) && Array.isArray(value.items)) {
    const items = root.get('items', true);
    if (!isSeq(items)) return;
    items.items.forEach((item, i) => {
      const v = value.items as unknown[];
      if (isMap(item) && isPlainObject(v[i])) addObject(model, doc, item, v[i] as Record<string, unknown>, ['items', i], base, docIndex, options, placeholders);
    });
    return;
  }
  addObject(model, doc, root, value, [], base, docIndex, options, placeholders);
}

function addObject(model: DocumentModel, doc: Document.Parsed, node: YAMLMap, value: Record<string, unknown>, docPath: Array<string | number>, base: number, docIndex: number, options: ParseOptions, placeholders?: readonly Span[]): void {
  const meta = isPlainObject(value.metadata) ? value.metadata : {};
  const obj: ManifestObject = {
    docIndex,
    base,
    doc,
    node,
    docPath,
    value,
    apiVersion: typeof value.apiVersion === 'string' ? value.apiVersion : undefined,
    kind: typeof value.kind === 'string' ? value.kind : undefined,
    name: typeof meta.name === 'string' ? meta.name : undefined,
    namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
    partial: !!options.partial || looksLikePatch(value),
    index: model.objects.length,
    placeholders,
  };
  model.objects.push(obj);
  if (obj.kind === 'DaemonSet') model.daemonSets.push(obj);
}

/**
 * A Kustomize strategic-merge patch names the object and carries only the fields it changes:
 * no selector, and containers without images. `$patch` directives are a sure sign.
 */
function looksLikePatch(value: Record<string, unknown>): boolean {
  if (valueFacts(value).patchDirective) return true;
  const spec = value.spec;
  if (!isPlainObject(spec)) return false;
  if (spec.selector !== undefined) return false;
  const tpl = isPlainObject(spec.template) ? spec.template : undefined;
  const podSpec = tpl && isPlainObject(tpl.spec) ? tpl.spec : undefined;
  const containers = podSpec && Array.isArray(podSpec.containers) ? podSpec.containers : undefined;
  if (!containers) return true;
  return containers.every((c) => isPlainObject(c) && c.image === undefined);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The [start, valueEnd) span of a node, or undefined for a missing node. */
export function nodeSpan(node: Node | null | undefined): Span | undefined {
  const r = node?.range;
  if (!r) return undefined;
  return { start: r[0], end: Math.max(r[1], r[0]) };
}

export function shiftFinding(f: Finding, by: number): Finding {
  if (by === 0) return f;
  return {
    ...f,
    span: { start: f.span.start + by, end: f.span.end + by },
    fixes: f.fixes?.map((fix) => ({ ...fix, edits: fix.edits.map((e) => ({ ...e, span: { start: e.span.start + by, end: e.span.end + by } })) })),
  };
}

/** The first alias of `doc` whose anchor is not set before it in the document (`toJS` throws on it). */
function unresolvedAlias(doc: Document.Parsed): Alias | undefined {
  let found: Alias | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

function problem(code: string, message: string, span: Span): Finding {
  return { code, severity: 'error', message, path: '', span };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

function cleanYamlMessage(msg: string): string {
  // yaml appends " at line L, column C:" and a source excerpt; the range already says where.
  return msg.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}

export { isScalar };
