/** Hover: the engine explains the toleration, taint, effect, operator or label under the cursor. */
import { MarkupKind, type Hover } from 'vscode-languageserver';
import { toRange } from '../convert';
import { hoverAt } from '../engine/hover';
import { runSafe, type Handler } from './context';

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
        ...(r.span ? { range: toRange(doc, r.span) } : {}),
      };
    }, null, `Error while computing hover for ${params.textDocument.uri}`, token));
  },
};

/** Markdown read as plain text, for clients that cannot render it. */
export function plain(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, '$1 ($2)')
    .replace(/[*_`]{1,3}([^*_`]+)[*_`]{1,3}/g, '$1')
    .replace(/^#+\s*/gm, '');
}
