/**
 * Engine types <-> LSP types, in one place. The engine speaks UTF-16 offsets; LSP speaks 0-based
 * line/character positions. Every conversion goes through TextDocument.positionAt/offsetAt.
 */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type Range, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Fix, Severity, Span } from './engine/types';

export const SOURCE = 'daemonset-lens';

/** An engine fix in LSP terms: its edits as ranges of the version it was computed for. */
export interface LspFix {
  title: string;
  edits: LspTextEdit[];
  isPreferred?: boolean;
}

/**
 * What every DaemonSet Lens diagnostic carries in `data`. Its fixes are not carried: the code action
 * handler computes them from the document version the diagnostic belongs to (a 1,000-DaemonSet file
 * would otherwise publish, and send back, megabytes of edits that are almost never applied).
 */
export interface DiagnosticData {
  /** Kubernetes field path, as the API server reports it. */
  path: string;
  /** Version of the document the ranges belong to. */
  version?: number;
  /** Whatever else the rule attached (nodes, taints, …). */
  [key: string]: unknown;
}

/** Anything with the two conversions TextDocument offers (a TextDocument, or a stand-in for closed files). */
export type PositionMapper = Pick<TextDocument, 'positionAt' | 'offsetAt'>;

export function toRange(doc: PositionMapper, span: Span): Range {
  const start = Math.max(0, span.start);
  return { start: doc.positionAt(start), end: doc.positionAt(Math.max(start, span.end)) };
}

/**
 * `toRange` for a span that should lie on `line` (the hovered word, on the line of the request):
 * two lookups of that line's start and end instead of two binary searches over every line start of
 * the document (60,000 of them in a 1,000-DaemonSet file, cold in the caches at each hover). A span
 * anywhere else gets `toRange`.
 */
export function toRangeOnLine(doc: PositionMapper & Pick<TextDocument, 'lineCount'>, span: Span, line: number): Range {
  if (line < 0 || line >= doc.lineCount) return toRange(doc, span);
  const start = Math.max(0, span.start);
  const end = Math.max(start, span.end);
  const lineStart = doc.offsetAt({ line, character: 0 });
  // The end of the line's text, before its line break: offsetAt clamps the character there.
  const lineEnd = doc.offsetAt({ line, character: Number.MAX_SAFE_INTEGER });
  if (start < lineStart || end > lineEnd) return toRange(doc, span);
  return { start: { line, character: start - lineStart }, end: { line, character: end - lineStart } };
}

export function toSpan(doc: PositionMapper, range: Range): Span {
  return { start: doc.offsetAt(range.start), end: doc.offsetAt(range.end) };
}

export function toSeverity(s: Severity): DiagnosticSeverity {
  switch (s) {
    case 'error': return DiagnosticSeverity.Error;
    case 'warning': return DiagnosticSeverity.Warning;
    case 'information': return DiagnosticSeverity.Information;
    default: return DiagnosticSeverity.Hint;
  }
}

export function toLspFix(doc: PositionMapper, fix: Fix): LspFix {
  const edits: LspTextEdit[] = new Array(fix.edits.length);
  for (let i = 0; i < fix.edits.length; i++) edits[i] = { range: toRange(doc, fix.edits[i].span), newText: fix.edits[i].newText };
  return fix.isPreferred ? { title: fix.title, edits, isPreferred: true } : { title: fix.title, edits };
}

/** A Finding as an LSP Diagnostic: `code` is the rule id, `data` carries the path and the version. */
export function toDiagnostic(doc: PositionMapper & { version?: number }, f: Finding): Diagnostic {
  // Built by assignment rather than object spreads (a 1,000-DaemonSet file has thousands of
  // diagnostics); the keys come out in the same order: the rule's data, path, version.
  const data = {} as DiagnosticData;
  if (f.data) for (const k of Object.keys(f.data)) data[k] = f.data[k];
  data.path = f.path;
  if (doc.version !== undefined) data.version = doc.version;
  const d: Diagnostic = {
    range: toRange(doc, f.span),
    severity: toSeverity(f.severity),
    code: f.code,
    source: SOURCE,
    message: f.message,
    data,
  };
  if (f.unnecessary) d.tags = [DiagnosticTag.Unnecessary];
  return d;
}
