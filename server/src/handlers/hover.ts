/**
 * Hover: the engine explains the toleration, taint, effect, operator or label under the cursor.
 * Once a document's diagnostics are out, its objects' keys and values are listed for the hover
 * (engine/nodeAt.ts) and their hovers computed ahead (engine/hover.ts `prepareHovers`), a slice at a
 * time so that requests are answered in between; then those hovers are listed by position
 * (hoverTable.ts), and a hover the list holds is answered from it.
 */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { toRangeOnLine } from '../convert';
import { hoverAt, hoverInputs, preparedHovers, prepareHovers, type HoverContext } from '../engine/hover';
import { minorOf } from '../engine/kubernetesVersion';
import { indexObject } from '../engine/nodeAt';
import { HoverTable } from '../hoverTable';
import type { Disposable } from '../runtime';
import { runSafe, runSafeVoid, type Handler, type ServerContext } from './context';

/** Longest stretch (ms) of indexing before the server turns back to its messages. */
const INDEX_SLICE_MS = 4;

export const hoverHandler: Handler = {
  capabilities() {
    return { hoverProvider: true };
  },
  register(ctx) {
    const tables = new Map<string, HoverTable>();
    ctx.connection.onHover((params, token) => runSafe<Hover | null>(ctx.runtime, () => {
      const doc = ctx.documents.get(params.textDocument.uri);
      if (!doc || !ctx.isSupported(doc)) return null;
      const hover = hoverContext(ctx, doc.uri);
      const table = tables.get(doc.uri);
      const listed = table && table.version === doc.version && table.matches(hoverInputs(hover)) ? table.at(params.position) : undefined;
      const r = listed ?? computed(doc, params.position, hover);
      if (!r) return null;
      return {
        contents: ctx.client.hoverMarkdown ? { kind: MarkupKind.Markdown, value: r.markdown } : { kind: MarkupKind.PlainText, value: plain(r.markdown) },
        range: r.range,
      };
    }, null, `Error while computing hover for ${params.textDocument.uri}`, token));
    const computed = (doc: TextDocument, position: Position, hover: HoverContext) => {
      const r = hoverAt(ctx.model(doc), doc.offsetAt(position), hover);
      return r && { markdown: r.markdown, range: toRangeOnLine(doc, r.span, position.line) };
    };
    indexAfterValidation(ctx, tables);
  },
};

/** What a hover in `uri` depends on besides the document (the same objects until they change). */
function hoverContext(ctx: ServerContext, uri: string): HoverContext {
  return { cluster: ctx.cluster?.model, isClusterFile: ctx.isClusterFile(uri), featureGates: ctx.settings.featureGates, kubernetesMinor: minorOf(ctx.settings.kubernetesVersion) };
}

/**
 * Lists the objects of each validated document for hover and computes their hovers ahead
 * (engine/hover.ts `prepareHovers`), in slices of at most INDEX_SLICE_MS, and stops when the
 * document changes or closes (its next validation starts again; objects whose syntax tree did not
 * change keep their lists, and their answers while the cluster and settings stay the same).
 */
function indexAfterValidation(ctx: ServerContext, tables: Map<string, HoverTable>): void {
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
    const shared = new Map<string, string>();
    const slice = () => {
      pending.delete(uri);
      if (documents.get(uri)?.version !== version) return;
      runSafeVoid(runtime, () => {
        const model = ctx.model(doc);
        const objects = model.objects;
        const hover = hoverContext(ctx, uri);
        const until = runtime.now() + INDEX_SLICE_MS;
        const late = () => runtime.now() >= until;
        while (next < objects.length) {
          const obj = objects[next];
          const built = indexObject(obj);
          const prepared = prepareHovers(model, obj, hover, shared, late);
          if (prepared === 'more') break;
          next++;
          if ((built || prepared === 'done') && late()) break;
        }
        if (next < objects.length) pending.set(uri, runtime.timer.setImmediate(slice));
        else {
          const hovers = preparedHovers(model, hover);
          if (hovers) tables.set(uri, HoverTable.build(doc, hovers, hoverInputs(hover)));
        }
      }, `Error while indexing ${uri} for hover`);
    };
    pending.set(uri, runtime.timer.setImmediate(slice));
  };
  ctx.onValidated(index);
  documents.onDidClose((e) => {
    stop(e.document.uri);
    tables.delete(e.document.uri);
  });
}

/** Markdown read as plain text, for clients that cannot render it. */
export function plain(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, '$1 ($2)')
    .replace(/[*_`]{1,3}([^*_`]+)[*_`]{1,3}/g, '$1')
    .replace(/^#+\s*/gm, '');
}
