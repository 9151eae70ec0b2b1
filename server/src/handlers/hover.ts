/**
 * Hover: the engine explains the toleration, taint, effect, operator or label under the cursor.
 * Once a document's diagnostics are out, its objects' keys and values are listed for the hover
 * (engine/nodeAt.ts), a slice at a time so that requests are answered in between.
 */
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { toRangeOnLine } from '../convert';
import { hoverAt } from '../engine/hover';
import { indexObject } from '../engine/nodeAt';
import type { Disposable } from '../runtime';
import { runSafe, runSafeVoid, type Handler, type ServerContext } from './context';

/** Longest stretch (ms) of indexing before the server turns back to its messages. */
const INDEX_SLICE_MS = 4;

export const hoverHandler: Handler = {
  capabilities() {
    return { hoverProvider: true };
  },
  register(ctx) {
    ctx.connection.onHover((params, token) => runSafe<Hover | null>(ctx.runtime, () => {
      const doc = ctx.documents.get(params.textDocument.uri);
      if (!doc || !ctx.isSupported(doc)) return null;
      const model = ctx.model(doc);
      const isClusterFile = ctx.isClusterFile(doc.uri);
      const r = hoverAt(model, doc.offsetAt(params.position), { cluster: ctx.cluster?.model, isClusterFile, featureGates: ctx.settings.featureGates });
      if (!r) return null;
      return {
        contents: ctx.client.hoverMarkdown ? { kind: MarkupKind.Markdown, value: r.markdown } : { kind: MarkupKind.PlainText, value: plain(r.markdown) },
        ...(r.span ? { range: toRangeOnLine(doc, r.span, params.position.line) } : {}),
      };
    }, null, `Error while computing hover for ${params.textDocument.uri}`, token));
    indexAfterValidation(ctx);
  },
};

/**
 * Lists the objects of each validated document for hover, in slices of at most INDEX_SLICE_MS, and
 * stops when the document changes or closes (its next validation starts again; objects whose syntax
 * tree did not change keep their lists).
 */
function indexAfterValidation(ctx: ServerContext): void {
  const { documents, runtime } = ctx;
  const pending = new Map<string, Disposable>();
  const stop = (uri: string) => {
    pending.get(uri)?.dispose();
    pending.delete(uri);
  };
  const index = (doc: TextDocument) => {
    const { uri, version } = doc;
    stop(uri);
    let next = 0;
    const slice = () => {
      pending.delete(uri);
      if (documents.get(uri)?.version !== version) return;
      runSafeVoid(runtime, () => {
        const objects = ctx.model(doc).objects;
        const until = runtime.now() + INDEX_SLICE_MS;
        while (next < objects.length) {
          const built = indexObject(objects[next++]);
          if (built && runtime.now() >= until) break;
        }
        if (next < objects.length) pending.set(uri, runtime.timer.setImmediate(slice));
      }, `Error while indexing ${uri} for hover`);
    };
    pending.set(uri, runtime.timer.setImmediate(slice));
  };
  ctx.onValidated(index);
  documents.onDidClose((e) => stop(e.document.uri));
}

/** Markdown read as plain text, for clients that cannot render it. */
export function plain(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, '$1 ($2)')
    .replace(/[*_`]{1,3}([^*_`]+)[*_`]{1,3}/g, '$1')
    .replace(/^#+\s*/gm, '');
}
