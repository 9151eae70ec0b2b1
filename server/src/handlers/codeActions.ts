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
 *
 * A finding's actions are also kept in JSON, with the diagnostic as published: an editor asks again
 * each time the cursor moves, and over stdio the answer is then written from those pieces.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SOURCE, toDiagnostic, toLspFix, toRange, type PositionMapper } from '../convert';
import { SerializedResult } from '../serialized';
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

/**
 * The code actions for the diagnostics the client sends back, in their order, in JSON. Each action
 * is serialised once with its finding's actions (`actionsOf`), and so is the diagnostic as it was
 * published: an editor asks again each time the cursor moves, and three actions that each repeat a
 * long diagnostic are a few kilobytes to write.
 */
export function codeActionsFor(
  doc: TextDocument,
  findings: readonly Finding[] | undefined,
  fixesOf: FixesOf,
  diagnostics: readonly Diagnostic[],
  only?: readonly string[],
  resolve = false,
): SerializedResult<CodeAction[]> {
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`) || k === CodeActionKind.Empty)) return NONE;
  if (!findings?.length) return NONE;
  const picked: Picked[] = [];
  let disabled: Set<string> | undefined;
  for (const d of diagnostics) {
    const n = findingOf(doc, findings, d);
    if (n === undefined) continue;
    const f = findings[n];
    const line = d.range.start.line;
    const actions = actionsOf(doc, f, n, line, fixesOf, resolve);
    // The diagnostic as the client sent it: most often, as it was published.
    const asPublished = isAsPublished(d, actions);
    const named = asPublished ? actions.published : withoutData(d);
    const close = asPublished ? actions.closePublished : `,"diagnostics":[${JSON.stringify(named)}]}`;
    // The fixes, then "disable on this line", once per rule and line.
    let count = actions.fixes;
    const key = `${f.code}:${line}`;
    if (actions.actions.length > count && !disabled?.has(key)) {
      (disabled ??= new Set()).add(key);
      count++;
    }
    for (let i = 0; i < count; i++) picked.push({ action: actions.actions[i], head: actions.heads[i], named, close });
  }
  if (!picked.length) return NONE;
  return new SerializedResult(
    () => `[${picked.map((p) => p.head + p.close).join(',')}]`,
    () => picked.map((p) => ({ ...p.action, diagnostics: [p.named] })),
  );
}

/** An action and the diagnostic it names, `{ ...action, diagnostics: [named] }`, and that in JSON: `head + close`. */
interface Picked {
  action: CodeAction;
  head: string;
  named: Diagnostic;
  close: string;
}

const NONE = new SerializedResult<CodeAction[]>(() => '[]', () => []);

/** The action names the diagnostic it fixes; what that carries need not travel back a second time. */
function withoutData(d: Diagnostic): Diagnostic {
  if (!('data' in d)) return d;
  const { data: _data, ...slim } = d;
  return slim;
}

/**
 * Whether the client sent back the diagnostic as it was published (`findingOf` has matched its
 * source, rule, range and message): the same severity and tags, and nothing else but its data.
 */
function isAsPublished(d: Diagnostic, { published, publishedKeys }: FindingActions): boolean {
  if (d.severity !== published.severity) return false;
  const tags: unknown = d.tags ?? [];
  const ours = published.tags ?? [];
  if (!Array.isArray(tags) || tags.length !== ours.length || tags.some((t, i) => t !== ours[i])) return false;
  let keys = 0;
  for (const k in d) if (k !== 'data') keys++;
  return keys === publishedKeys;
}

/** A finding's actions without the diagnostic they name, and "disable on this line" unless the engine offers it. */
interface FindingActions {
  /** What they were built for: the document and its version, the finding's place in its findings, the diagnostic's line. */
  uri: string;
  version: number;
  n: number;
  line: number;
  resolve: boolean;
  /** The finding's fixes, then "disable on this line" if offered; and each one's JSON without its closing brace. */
  actions: CodeAction[];
  heads: string[];
  /** How many of `actions` are the finding's fixes. */
  fixes: number;
  /** The diagnostic published for the finding, without its data; its keys; `,"diagnostics":[<it>]}` to close an action. */
  published: Diagnostic;
  publishedKeys: number;
  closePublished: string;
}

/**
 * The actions of finding `n` for a diagnostic on `line`, built once per finding and document version
 * (findings are kept per version, so an editor asking again as the cursor moves gets them at once).
 */
function actionsOf(doc: TextDocument, f: Finding, n: number, line: number, fixesOf: FixesOf, resolve: boolean): FindingActions {
  const known = actionMemo.get(f);
  if (known && known.uri === doc.uri && known.version === doc.version && known.n === n && known.line === line && known.resolve === resolve) return known;
  const all = fixesOf(f);
  const actions: CodeAction[] = [];
  // "Disable on this line": the engine's own if it offers one (none in JSON, which has no comments), else ours.
  let engineOffersDisable = false;
  let disable: CodeAction | undefined;
  for (let i = 0; i < all.length; i++) {
    const fix = all[i];
    const isDisable = fix.title === disableTitle(f.code);
    engineOffersDisable ||= isDisable;
    if (fix.edits.length === 0) continue;
    const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, isPreferred: fix.isPreferred === true };
    if (resolve) action.data = { uri: doc.uri, version: doc.version ?? null, finding: n, fix: i, code: f.code, start: f.span.start } satisfies FixActionData;
    else action.edit = { changes: { [doc.uri]: toLspFix(doc, fix).edits } };
    if (isDisable) disable = action;
    else actions.push(action);
  }
  const fixes = actions.length;
  const edit = engineOffersDisable ? undefined : disableOnLine(doc, line, f.code);
  disable ??= edit && { title: disableTitle(f.code), kind: CodeActionKind.QuickFix, edit: { changes: { [doc.uri]: [edit] } } };
  if (disable) actions.push(disable);
  const published = withoutData(toDiagnostic(doc, f));
  const made: FindingActions = {
    uri: doc.uri, version: doc.version, n, line, resolve,
    actions,
    heads: actions.map((a) => JSON.stringify(a).slice(0, -1)),
    fixes,
    published,
    publishedKeys: Object.keys(published).length,
    closePublished: `,"diagnostics":[${JSON.stringify(published)}]}`,
  };
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
  if (!isObject(d) || d.source !== SOURCE || typeof d.code !== 'string') return undefined;
  const version = isObject(d.data) ? d.data.version : undefined;
  if (typeof version === 'number' && version !== doc.version) return undefined;
  const r = d.range;
  if (!isObject(r) || !isObject(r.start) || !isObject(r.end)) return undefined;
  for (const e of findingIndex(doc, findings).get(r.start.line) ?? []) {
    if (e.code === d.code && e.range.start.character === r.start.character && e.range.end.line === r.end.line && e.range.end.character === r.end.character && findings[e.n].message === d.message) return e.n;
  }
  return undefined;
}

interface Indexed {
  n: number;
  code: string;
  range: Range;
}

/** Findings by the line their LSP range starts on, built once per findings array (the cache keeps one per version). */
function findingIndex(doc: PositionMapper, findings: readonly Finding[]): Map<number, Indexed[]> {
  let index = indexes.get(findings);
  if (!index) {
    index = new Map();
    for (let n = 0; n < findings.length; n++) {
      const e = { n, code: findings[n].code, range: toRange(doc, findings[n].span) };
      const list = index.get(e.range.start.line);
      if (list) list.push(e);
      else index.set(e.range.start.line, [e]);
    }
    indexes.set(findings, index);
  }
  return index;
}

const indexes = new WeakMap<readonly Finding[], Map<number, Indexed[]>>();

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
      const ours = params.context.diagnostics.some((d) => d?.source === SOURCE);
      // In JSON for the stdio writer, and the actions it stands for for any other (serialized.ts).
      return codeActionsFor(doc, ours ? publishedFindings(ctx, doc) : undefined, fixesIn(ctx, doc), params.context.diagnostics, params.context.only, ctx.client.codeActionResolveEdit) as unknown as CodeAction[];
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
