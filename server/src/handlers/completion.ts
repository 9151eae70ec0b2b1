/** Completion: toleration keys, effects, operators, and label keys/values from the cluster file. */
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type CompletionList } from 'vscode-languageserver';
import { toRange } from '../convert';
import { completeAt } from '../engine/completion';
import { minorOf } from '../engine/kubernetesVersion';
import { plain } from './hover';
import { runSafe, type Handler } from './context';

const KINDS: Record<string, CompletionItemKind> = {
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  enumMember: CompletionItemKind.EnumMember,
  property: CompletionItemKind.Property,
  key: CompletionItemKind.Property,
  field: CompletionItemKind.Field,
  keyword: CompletionItemKind.Keyword,
  constant: CompletionItemKind.Constant,
  snippet: CompletionItemKind.Snippet,
  text: CompletionItemKind.Text,
};

export function completionKind(kind: unknown): CompletionItemKind {
  if (typeof kind === 'number' && kind >= 1 && kind <= 25) return kind as CompletionItemKind;
  if (typeof kind === 'string') return KINDS[kind] ?? CompletionItemKind.Value;
  return CompletionItemKind.Value;
}

export const completionHandler: Handler = {
  capabilities() {
    return { completionProvider: { triggerCharacters: [':', ' ', '/', '"', '.', '-'], resolveProvider: false } };
  },
  register(ctx) {
    ctx.connection.onCompletion((params, token) => runSafe<CompletionList | null>(ctx.runtime, () => {
      const doc = ctx.documents.get(params.textDocument.uri);
      if (!doc || !ctx.isSupported(doc)) return null;
      const model = ctx.model(doc);
      const items = completeAt(model, doc.offsetAt(params.position), {
        cluster: ctx.cluster?.model,
        isClusterFile: ctx.isClusterFile(doc.uri),
        featureGates: ctx.settings.featureGates,
        kubernetesMinor: minorOf(ctx.settings.kubernetesVersion),
      });
      const out: CompletionItem[] = [];
      for (const it of items) {
        const item: CompletionItem = { label: it.label, kind: completionKind(it.kind) };
        if (it.detail) item.detail = it.detail;
        if (it.documentation) {
          item.documentation = ctx.client.completionMarkdown
            ? { kind: MarkupKind.Markdown, value: it.documentation }
            : plain(it.documentation);
        }
        // Plain text, never a snippet: every client can insert it.
        const text = it.insertText ?? it.label;
        if (it.span) item.textEdit = { range: toRange(doc, it.span), newText: text };
        else if (text !== it.label) item.insertText = text;
        item.insertTextFormat = InsertTextFormat.PlainText;
        if (it.filterText) item.filterText = it.filterText;
        if (it.sortText) item.sortText = it.sortText;
        out.push(item);
      }
      return { isIncomplete: false, items: out };
    }, null, `Error while computing completions for ${params.textDocument.uri}`, token));
  },
};
