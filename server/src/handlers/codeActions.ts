/**
 * Quick fixes for the diagnostics the client sends back: the fixes of the engine finding each
 * diagnostic came from, then "Disable <rule> on this line" unless the engine already offers it.
 *
 * Diagnostics carry no fixes, and the server validates without building them: the finding is looked
 * up again in the findings of the document version it was published for (cached per version), by
 * rule id, range and message, and its fixes are computed then (engine `fixesOf`, once per finding).
 * Clients that can resolve code actions (`codeAction.resolveSupport` with `edit`, as VS Code) get
 * the actions without their edits and ask for the one they apply (`codeAction/resolve`); the others
 * get the edits at once.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SOURCE, toLspFix, toRange, type PositionMapper } from '../convert';
import { fixesOf } from '../engine/validate';
import type { Finding, Fix } from '../engine/types';
import { publishedFindings } from './diagnostics';
import { isObject, runSafe, type Handler, type ServerContext } from './context';

/** What an unresolved action carries to find its edits again: which finding of which version, which fix. */
export interface FixActionData {
  uri: string;
  version: number | null;
  /** Index of the finding in the document's findings, and of the fix in the finding's. */
  finding: number;
  fix: number;
  /** The finding's rule and offset: the findings may have been recomputed (settings) meanwhile. */
  code: string;
  start: number;
}

/** The fixes of a finding (engine `fixesOf` on its document's model). */
export type FixesOf = (finding: Finding) => Fix[];

/** The code actions for the diagnostics the client sends back, in their order. */
export function codeActionsFor(
  doc: TextDocument,
  findings: readonly Finding[] | undefined,
  fixesOf: FixesOf,
  diagnostics: readonly Diagnostic[],
  only?: readonly string[],
  resolve = false,
): CodeAction[] {
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`) || k === CodeActionKind.Empty)) return [];
  if (!findings?.length) return [];
  const out: CodeAction[] = [];
  const disabled = new Set<string>();
  for (const d of diagnostics) {
    const n = findingOf(doc, findings, d);
    if (n === undefined) continue;
    const f = findings[n];
    const line = d.range.start.line;
    const { fixes, disable } = actionsOf(doc, f, n, line, fixesOf, resolve);
    // The action names the diagnostic it fixes; what it carries need not travel back a second time.
    const { data: _data, ...slim } = d;
    for (const action of fixes) out.push({ ...action, diagnostics: [slim] });
    if (disable && !disabled.has(`${f.code}:${line}`)) {
      disabled.add(`${f.code}:${line}`);
      out.push({ ...disable, diagnostics: [slim] });
    }
  }
  return out;
}

/** A finding's actions without the diagnostic they name, and "disable on this line" unless the engine offers it. */
interface FindingActions {
  /** What they were built for: the document and its version, the finding's place in its findings, the diagnostic's line. */
  uri: string;
  version: number;
  n: number;
  line: number;
  resolve: boolean;
  fixes: CodeAction[];
  disable: CodeAction | undefined;
}

/**
 * The actions of finding `n` for a diagnostic on `line`, built once per finding and document version
 * (findings are kept per version, so an editor asking again as the cursor moves gets them at once).
 */
function actionsOf(doc: TextDocument, f: Finding, n: number, line: number, fixesOf: FixesOf, resolve: boolean): FindingActions {
  const known = actionMemo.get(f);
  if (known && known.uri === doc.uri && known.version === doc.version && known.n === n && known.line === line && known.resolve === resolve) return known;
  const all = fixesOf(f);
  const fixes: CodeAction[] = [];
  let engineOffersDisable = false;
  for (let i = 0; i < all.length; i++) {
    const fix = all[i];
    if (fix.title === disableTitle(f.code)) engineOffersDisable = true;
    if (fix.edits.length === 0) continue;
    const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, isPreferred: fix.isPreferred === true };
    if (resolve) action.data = { uri: doc.uri, version: doc.version ?? null, finding: n, fix: i, code: f.code, start: f.span.start } satisfies FixActionData;
    else action.edit = { changes: { [doc.uri]: toLspFix(doc, fix).edits } };
    fixes.push(action);
  }
  const edit = engineOffersDisable ? undefined : disableOnLine(doc, line, f.code);
  const disable: CodeAction | undefined = edit && { title: disableTitle(f.code), kind: CodeActionKind.QuickFix, edit: { changes: { [doc.uri]: [edit] } } };
  const made = { uri: doc.uri, version: doc.version, n, line, resolve, fixes, disable };
  actionMemo.set(f, made);
  return made;
}

const actionMemo = new WeakMap<Finding, FindingActions>();

/** The edits of an action `codeActionsFor` left unresolved; the action as it came when it is stale or not ours. */
export function resolveCodeAction(action: CodeAction, doc: TextDocument | undefined, findings: readonly Finding[] | undefined, fixesOf: FixesOf): CodeAction {
  const data = action.data;
  if (action.edit || !isObject(data) || !doc || !findings) return action;
  const { uri, version, finding, fix, code, start } = data as Partial<FixActionData>;
  if (uri !== doc.uri || (version ?? null) !== (doc.version ?? null) || typeof finding !== 'number' || typeof fix !== 'number') return action;
  // Settings may have changed the findings since (a rule turned off drops some): the finding is
  // the one at that index if it is still the same rule at the same place, else found by those.
  const same = (x: Finding | undefined): x is Finding => !!x && x.code === code && x.span.start === start;
  const owner = same(findings[finding]) ? findings[finding] : findings.find(same);
  const f = owner ? fixesOf(owner)[fix] : undefined;
  if (!f || f.title !== action.title) return action;
  return { ...action, edit: { changes: { [doc.uri]: toLspFix(doc, f).edits } } };
}

const disableTitle = (code: string): string => `Disable ${code} on this line`;

/**
 * Index of the finding a diagnostic was published for: same rule, range and message, in the
 * findings of the version the diagnostic names. `undefined` for a stale diagnostic (the client asks
 * again once it has the new ones) and for anything that is not ours.
 */
function findingOf(doc: TextDocument, findings: readonly Finding[], d: Diagnostic): number | undefined {
  if (d.source !== SOURCE || typeof d.code !== 'string') return undefined;
  const version = isObject(d.data) ? d.data.version : undefined;
  if (typeof version === 'number' && version !== doc.version) return undefined;
  for (const n of findingIndex(doc, findings).get(rangeKey(d.code, d.range)) ?? []) {
    if (findings[n].message === d.message) return n;
  }
  return undefined;
}

/** Findings by rule id and LSP range, built once per findings array (the cache keeps one per version). */
function findingIndex(doc: PositionMapper, findings: readonly Finding[]): Map<string, number[]> {
  let index = indexes.get(findings);
  if (!index) {
    index = new Map();
    for (let n = 0; n < findings.length; n++) {
      const key = rangeKey(findings[n].code, toRange(doc, findings[n].span));
      const list = index.get(key);
      if (list) list.push(n);
      else index.set(key, [n]);
    }
    indexes.set(findings, index);
  }
  return index;
}

const indexes = new WeakMap<readonly Finding[], Map<string, number[]>>();

function rangeKey(code: string, r: Range): string {
  return `${code}\u0000${r.start.line}:${r.start.character}\u0000${r.end.line}:${r.end.character}`;
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
  capabilities(ctx) {
    return { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: ctx.client.codeActionResolveEdit } };
  },
  register(ctx: ServerContext) {
    ctx.connection.onCodeAction((params, token) => runSafe(ctx.runtime, () => {
      const doc = ctx.documents.get(params.textDocument.uri);
      if (!doc) return [];
      const ours = params.context.diagnostics.some((d) => d.source === SOURCE);
      return codeActionsFor(doc, ours ? publishedFindings(ctx, doc) : undefined, fixesIn(ctx, doc), params.context.diagnostics, params.context.only, ctx.client.codeActionResolveEdit);
    }, [], `Error while computing code actions for ${params.textDocument.uri}`, token));
    ctx.connection.onCodeActionResolve((action, token) => runSafe(ctx.runtime, () => {
      const uri = isObject(action.data) && typeof action.data.uri === 'string' ? action.data.uri : undefined;
      const doc = uri ? ctx.documents.get(uri) : undefined;
      return doc ? resolveCodeAction(action, doc, publishedFindings(ctx, doc), fixesIn(ctx, doc)) : action;
    }, action, 'Error while resolving a code action', token));
  },
};

/**
 * `fixesOf` for the findings of `doc`'s current version, remembered per finding: the findings are
 * cached per version, so asking again (the lightbulb, then the resolution) reuses the fixes.
 */
function fixesIn(ctx: ServerContext, doc: TextDocument): FixesOf {
  return (finding) => {
    let fixes = fixMemo.get(finding);
    if (!fixes) {
      fixes = fixesOf(ctx.model(doc), finding, ctx.validateOptions());
      fixMemo.set(finding, fixes);
    }
    return fixes;
  };
}

const fixMemo = new WeakMap<Finding, Fix[]>();
