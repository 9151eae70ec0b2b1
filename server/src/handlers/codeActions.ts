/**
 * Quick fixes from the diagnostic alone (yaml-language-server builds them from `code` and `data`):
 * the engine's ready-made fixes, then "Disable <rule> on this line" unless the engine already offers it.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { diagnosticData } from '../convert';
import { runSafe, type Handler, type ServerContext } from './context';

/** The code actions for the diagnostics the client sends back, in their order. */
export function codeActionsFor(doc: TextDocument, diagnostics: readonly Diagnostic[], only?: readonly string[]): CodeAction[] {
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`) || k === CodeActionKind.Empty)) return [];
  const out: CodeAction[] = [];
  const disabled = new Set<string>();
  for (const d of diagnostics) {
    const data = diagnosticData(d);
    if (!data) continue;
    // The action names the diagnostic it fixes; its fix data need not travel back a second time.
    const { data: _data, ...slim } = d;
    // Ranges belong to the version the diagnostic was computed for: a stale one gets no actions
    // (the client asks again once it has the new diagnostics).
    if (typeof data.version === 'number' && data.version !== doc.version) continue;
    {
      for (const fix of data.fixes) {
        if (!Array.isArray(fix.edits) || fix.edits.length === 0) continue;
        out.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [slim],
          isPreferred: fix.isPreferred === true,
          edit: { changes: { [doc.uri]: fix.edits } },
        });
      }
    }
    const code = typeof d.code === 'string' ? d.code : undefined;
    const engineOffers = data.fixes.some((f) => /disable/i.test(f.title) && f.edits.some((e) => e.newText.includes('daemonset-lens-disable')));
    if (code && !engineOffers && !disabled.has(`${code}:${d.range.start.line}`)) {
      const edit = disableOnLine(doc, d.range.start.line, code);
      if (edit) {
        disabled.add(`${code}:${d.range.start.line}`);
        out.push({ title: `Disable ${code} on this line`, kind: CodeActionKind.QuickFix, diagnostics: [slim], edit: { changes: { [doc.uri]: [edit] } } });
      }
    }
  }
  return out;
}

/** A `# daemonset-lens-disable-next-line <id>` comment above `line`, at its indentation (YAML only). */
export function disableOnLine(doc: TextDocument, line: number, code: string): TextEdit | undefined {
  const text = doc.getText();
  if (doc.languageId === 'json' || doc.languageId === 'jsonc' || /^\s*[[{]/.test(text)) return undefined;
  const start = doc.offsetAt({ line, character: 0 });
  const lineText = text.slice(start, text.indexOf('\n', start) < 0 ? text.length : text.indexOf('\n', start));
  const indent = /^[ \t]*/.exec(lineText)?.[0] ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // A comment already there: add the id to it rather than stacking a second one.
  if (line > 0) {
    const prevStart = doc.offsetAt({ line: line - 1, character: 0 });
    const prev = text.slice(prevStart, start).replace(/\r?\n$/, '');
    const m = /^([ \t]*#\s*daemonset-lens-disable-next-line\b)(.*)$/.exec(prev);
    if (m) {
      if (m[2].split(/[\s,]+/).includes(code)) return undefined;
      return { range: { start: { line: line - 1, character: prev.length }, end: { line: line - 1, character: prev.length } }, newText: ` ${code}` };
    }
  }
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# daemonset-lens-disable-next-line ${code}${eol}` };
}

export const codeActionsHandler: Handler = {
  capabilities() {
    return { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: false } };
  },
  register(ctx: ServerContext) {
    ctx.connection.onCodeAction((params, token) => runSafe(ctx.runtime, () => {
      const doc = ctx.documents.get(params.textDocument.uri);
      if (!doc) return [];
      return codeActionsFor(doc, params.context.diagnostics, params.context.only);
    }, [], `Error while computing code actions for ${params.textDocument.uri}`, token));
  },
};
