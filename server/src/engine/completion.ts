/**
 * Completion for tolerations (keys: well-known taints and the cluster's; effects; operators; fields),
 * nodeSelector and node-affinity label keys and values from the cluster file, the pod's `os.name`, and
 * taints in the cluster file itself. Works on YAML being typed: the context comes from the lines above the
 * cursor (indentation and sequence dashes), not from a parse that may have failed.
 */
import { parseCluster } from './cluster';
import type { DocumentModel } from './model';
import { comparisonOperatorsEnabled, formatTaint } from './placement/tolerations';
import type { ClusterModel, ClusterNode } from './placement/types';
import {
  COMPARISON_OPERATORS, defaultTolerationText, EFFECT_DOCS, NODE_SELECTOR_OPERATORS, OPERATOR_DOCS, TAINT_EFFECTS, TOLERATION_OPERATORS,
  WELL_KNOWN_NODE_LABELS, WELL_KNOWN_TAINTS, wellKnownNodeLabel, wellKnownTaint,
} from './taints';
import type { Span } from './types';

export interface CompletionContext {
  cluster?: ClusterModel;
  isClusterFile?: boolean;
  featureGates?: Readonly<Record<string, boolean>>;
  /** Target Kubernetes minor (the default target's when absent): decides the gates with `featureGates`. */
  kubernetesMinor?: number;
}

export interface CompletionItem {
  label: string;
  kind: 'value' | 'key' | 'enum';
  detail?: string;
  documentation?: string;
  insertText?: string;
  /** The text the item replaces (the word being typed); absent means "insert at the cursor". */
  span?: Span;
  sortText?: string;
  filterText?: string;
}

/** Where the cursor is, read from the text: the key path above it and what is being typed. */
export interface YamlPosition {
  /** Keys from the document root to the map holding the cursor; `-` stands for a sequence item. */
  path: string[];
  /** `key`: typing a key (or a plain sequence item); `value`: typing the value of `key`. */
  at: 'key' | 'value';
  /** The key whose value is typed (at: 'value'). */
  key?: string;
  /** The partial word before the cursor (without quotes). */
  prefix: string;
  /** The span of the word to replace. */
  span: Span;
  /** The item being typed is in a flow sequence (`values: [a, |`). */
  inFlowSeq?: boolean;
  /** Offset of the `{` of the flow map being typed in (`- {key: a, value: |`): its siblings are on this line. */
  flowMapStart?: number;
}

const KEY_RE = /^((?:[^\s:#'"{}[\],]|:(?=\S))(?:[^:#{}[\],]|:(?=\S))*?)\s*:(?:\s|$)/;

/** Column of the first character of each key or dash on a line: `  - - key:` → dashes [2, 4], key col 6. */
function lineShape(line: string): { indent: number; dashes: number[]; keyCol: number; rest: string } {
  let i = 0;
  while (i < line.length && line[i] === ' ') i++;
  const indent = i;
  const dashes: number[] = [];
  while (line[i] === '-' && (line[i + 1] === ' ' || line[i + 1] === undefined || line[i + 1] === '\r')) {
    dashes.push(i);
    i++;
    while (line[i] === ' ') i++;
  }
  return { indent, dashes, keyCol: i, rest: line.slice(i) };
}

/** The brackets still open at the end of `s` (quotes respected), or undefined when they do not balance. */
function unclosedBrackets(s: string): string | undefined {
  const stack: string[] = [];
  let quote = '';
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '{' || ch === '[') stack.push(ch);
    else if (ch === '}' || ch === ']') {
      if (stack.pop() !== (ch === '}' ? '{' : '[')) return undefined;
    }
  }
  return stack.join('');
}

/** Index of the last still-open `bracket` in `s`. */
function openIndex(s: string, bracket: '{' | '['): number {
  const close = bracket === '{' ? '}' : ']';
  let depth = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    if (s[i] === close) depth++;
    else if (s[i] === bracket) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function unquote(s: string): string {
  return s.replace(/^['"]/, '').replace(/['"]$/, '');
}

/** Reads the YAML position at `offset` from the text (block style, plus flow sequences on the current line). */
export function yamlPositionAt(text: string, offset: number): YamlPosition | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  if (/(^|\s)#/.test(before.replace(/(['"]).*?\1/g, ''))) return undefined; // in a comment
  const path: string[] = [];
  let col: number;
  let inSeq = false;
  const pushDashes = (ds: number[]) => {
    for (let i = ds.length - 1; i >= 0; i--) path.push('-');
    if (ds.length) {
      col = ds[0];
      inSeq = true;
    }
  };
  let at: 'key' | 'value';
  let key: string | undefined;
  let prefix: string;
  let inFlowSeq = false;
  let flowMapStart: number | undefined;
  const open = unclosedBrackets(before);
  if (open === undefined) return undefined;
  // A flow sequence directly in a flow map (`- {key: a, values: [|`) reads like a value of that map.
  const seqInMap = open.endsWith('{[') && open.indexOf('{') === open.length - 2;
  const brace = open.lastIndexOf('{') < 0 ? -1 : open[open.length - 1] === '{' || seqInMap ? open.lastIndexOf('{') : -2;
  if (brace === -2) return undefined; // deeper nesting inside a flow map: too nested to guess
  if (brace >= 0) {
    // Typing inside a flow map on this line: `- {key: a, effect: |` or `nodeSelector: {|`.
    const at0 = openIndex(before, '{');
    flowMapStart = lineStart + at0;
    const seqAt = seqInMap ? openIndex(before, '[') : -1;
    const seg = before.slice(at0 + 1, seqAt < 0 ? undefined : seqAt).split(',').pop()!;
    const c = /^\s*((?:[^:]|:(?=\S))*):(?:\s+(.*))?$/.exec(seg);
    if (seqInMap) {
      if (!c || (c[2] ?? '').trim() !== '') return undefined;
      at = 'value';
      key = unquote(c[1].trim());
      prefix = unquote(before.slice(seqAt + 1).split(',').pop()!.trimStart());
      inFlowSeq = true;
    } else if (c) {
      at = 'value';
      key = unquote(c[1].trim());
      prefix = unquote((c[2] ?? '').trimStart());
    } else {
      at = 'key';
      prefix = unquote(seg.trimStart());
    }
    let head = before.slice(0, at0);
    const seq = /\[\s*(?:\{[^{}]*\}\s*,\s*)*$/.exec(head);
    if (seq) {
      path.push('-');
      head = head.slice(0, seq.index);
    }
    const hs = lineShape(head);
    const hk = KEY_RE.exec(hs.rest + ' ');
    if (hk && hs.rest.slice(hk[0].length - 1).trim() === '') {
      path.push(unquote(hk[1].trim()));
      col = hs.keyCol;
    } else if (hs.rest.trim() === '') {
      col = hs.keyCol;
    } else {
      return undefined;
    }
    pushDashes(hs.dashes);
  } else {
    const shape = lineShape(before);
    col = shape.keyCol;
    const m = KEY_RE.exec(shape.rest);
    if (m) {
      key = unquote(m[1].trim());
      at = 'value';
      let val = shape.rest.slice(m[0].length);
      const flow = /^\[(?:[^\]]*,)?\s*([^,\]]*)$/.exec(val.trim());
      if (flow) {
        inFlowSeq = true;
        val = flow[1];
      } else if (/^[[{]/.test(val.trim())) {
        return undefined;
      }
      prefix = unquote(val.trimStart());
    } else if (/^[^:{}[\],#]*$/.test(shape.rest)) {
      at = 'key';
      prefix = unquote(shape.rest);
    } else {
      return undefined;
    }
    pushDashes(shape.dashes);
  }
  const start = offset - prefix.length;
  let end = offset;
  while (end < text.length && /[^\s,\]}'"#]/.test(text[end])) end++;
  // Walk up: parents are lines with a key at a smaller column (or at the same column for a flush sequence).
  let pos = lineStart;
  while (pos > 0 && (col > 0 || inSeq)) {
    const prevEnd = pos - 1;
    const prevStart = text.lastIndexOf('\n', prevEnd - 1) + 1;
    const line = text.slice(prevStart, prevEnd).replace(/\r$/, '');
    pos = prevStart;
    if (/^(---|\.\.\.)(\s|$)/.test(line)) break;
    if (!line.trim() || /^\s*#/.test(line)) continue;
    const s = lineShape(line);
    const km = KEY_RE.exec(s.rest);
    const kc = s.keyCol;
    const keyIsParent = !!km && (kc < col || (inSeq && kc === col));
    if (s.dashes.length && s.dashes[0] < col) {
      // Inside that sequence item; its first key is our parent only when it opens a nested block.
      if (keyIsParent) path.push(unquote(km![1].trim()));
      pushDashes(s.dashes);
      continue;
    }
    if (s.dashes.length) continue; // a sibling item, or deeper
    if (keyIsParent) {
      path.push(unquote(km![1].trim()));
      col = kc;
      inSeq = false;
    }
  }
  path.reverse();
  return { path, at, key, prefix, span: { start, end }, inFlowSeq, ...(flowMapStart === undefined ? {} : { flowMapStart }) };
}

function endsWith(path: readonly string[], suffix: readonly string[]): boolean {
  if (suffix.length > path.length) return false;
  const off = path.length - suffix.length;
  return suffix.every((s, i) => s === '*' || path[off + i] === s);
}

function clusterFor(model: DocumentModel, ctx: CompletionContext): ClusterModel | undefined {
  if (ctx.cluster) return ctx.cluster;
  if (ctx.isClusterFile) return parseCluster(model);
  return undefined;
}

function names(nodes: readonly ClusterNode[], max = 4): string {
  const n = nodes.map((x) => x.name);
  return n.length <= max ? n.join(', ') : `${n.slice(0, max).join(', ')} and ${n.length - max} more`;
}

const TOLERATION_FIELDS: Array<[string, string]> = [
  ['key', 'The taint key this toleration matches; empty with `operator: Exists` matches every key.'],
  ['operator', '`Equal` (default) or `Exists`.'],
  ['value', 'The taint value to match with `operator: Equal`.'],
  ['effect', 'NoSchedule, PreferNoSchedule or NoExecute; empty matches every effect.'],
  ['tolerationSeconds', 'With `effect: NoExecute`: how long the pod stays after the taint appears.'],
];

const OS_NAME_DOC = 'Checked by the API server (fields the OS does not support are rejected) and by the kubelet (a node of another OS rejects the pod). It does not steer scheduling: keep the pods on their OS with `nodeSelector: kubernetes.io/os`.';
const OS_NAMES: Array<[string, string]> = [
  ['linux', 'The containers run Linux: `securityContext.windowsOptions` is rejected.'],
  ['windows', 'The containers run Windows: Linux-only fields (hostPID, seLinuxOptions, runAsUser, capabilities, …) are rejected.'],
];

const EXPRESSION_FIELDS: Array<[string, string]> = [
  ['key', 'The node label key.'],
  ['operator', 'In, NotIn, Exists, DoesNotExist, Gt or Lt.'],
  ['values', 'Label values (In/NotIn: one or more; Gt/Lt: exactly one integer; Exists/DoesNotExist: none).'],
];

/** Completion items at `offset`. Never throws; returns [] where nothing applies. */
export function completeAt(model: DocumentModel, offset: number, ctx: CompletionContext = {}): CompletionItem[] {
  try {
    return completeAtUnsafe(model, offset, ctx);
  } catch {
    return [];
  }
}

function completeAtUnsafe(model: DocumentModel, offset: number, ctx: CompletionContext): CompletionItem[] {
  const pos = yamlPositionAt(model.text, offset);
  if (!pos) return [];
  const { path, at, key, span } = pos;
  const cluster = clusterFor(model, ctx);
  const nodes = cluster?.nodes ?? [];

  const inToleration = endsWith(path, ['tolerations', '-']);
  const inTaint = endsWith(path, ['taints', '-']);
  if (inToleration || inTaint) {
    if (at === 'key') {
      const fields = inTaint ? TOLERATION_FIELDS.filter(([f]) => f === 'key' || f === 'value' || f === 'effect') : TOLERATION_FIELDS;
      return fields.map(([f, doc]) => ({ label: f, kind: 'key' as const, documentation: doc, insertText: `${f}: `, span }));
    }
    if (key === 'key') return taintKeyItems(nodes, span, inTaint);
    if (key === 'effect') {
      return TAINT_EFFECTS.map((e) => ({ label: e, kind: 'enum' as const, documentation: EFFECT_DOCS[e], span }));
    }
    if (key === 'operator' && inToleration) {
      const ops: string[] = [...TOLERATION_OPERATORS];
      if (comparisonOperatorsEnabled(ctx)) ops.push(...COMPARISON_OPERATORS);
      return ops.map((o) => ({ label: o, kind: 'enum' as const, documentation: OPERATOR_DOCS[o], span }));
    }
    if (key === 'value') {
      const tolKey = pos.flowMapStart === undefined ? siblingValue(model.text, offset, 'key') : flowSiblingValue(model.text, pos.flowMapStart, 'key');
      const values = new Map<string, ClusterNode[]>();
      for (const n of nodes) for (const t of n.taints) if (t.key === tolKey && t.value) values.set(t.value, [...(values.get(t.value) ?? []), n]);
      return [...values].map(([v, ns]) => ({ label: v, kind: 'value' as const, detail: `on ${names(ns)}`, span }));
    }
    return [];
  }

  // nodeSelector: label keys (typing a key) and values (typing the value of a label).
  if (endsWith(path, ['spec', 'nodeSelector'])) {
    if (at === 'key') return labelKeyItems(nodes, span, true);
    if (key) return labelValueItems(key, nodes, span);
  }

  // The pod's OS: the names validateOS accepts.
  if (endsWith(path, ['template', 'spec', 'os'])) {
    if (at === 'key') return [{ label: 'name', kind: 'key', documentation: OS_NAME_DOC, insertText: 'name: ', span }];
    if (key === 'name') return OS_NAMES.map(([o, doc]) => ({ label: o, kind: 'enum' as const, documentation: `${doc}\n\n${OS_NAME_DOC}`, span }));
  }

  // Node affinity match expressions.
  if (endsWith(path, ['matchExpressions', '-'])) {
    if (at === 'key') return EXPRESSION_FIELDS.map(([f, doc]) => ({ label: f, kind: 'key' as const, documentation: doc, insertText: `${f}: `, span }));
    if (key === 'key') return labelKeyItems(nodes, span, false);
    if (key === 'operator') return NODE_SELECTOR_OPERATORS.map((o) => ({ label: o, kind: 'enum' as const, span }));
    if (key === 'values') {
      const k = pos.flowMapStart === undefined ? siblingValue(model.text, offset, 'key') : flowSiblingValue(model.text, pos.flowMapStart, 'key');
      return k ? labelValueItems(k, nodes, span) : [];
    }
  }
  const valuesItem = (endsWith(path, ['matchExpressions', '-', 'values']) && /^\s*-\s/.test(lineBefore(model.text, offset)))
    || endsWith(path, ['matchExpressions', '-', 'values', '-']);
  if (valuesItem && at === 'key') {
    const valuesLine = valuesLineAbove(model.text, offset);
    const k = valuesLine === undefined ? undefined : siblingValue(model.text, valuesLine, 'key');
    return k ? labelValueItems(k, nodes, span) : [];
  }
  return [];
}

/**
 * The start of the `values:` line above the block sequence item typed at `offset`, over the items
 * before it (`values:\n- a\n- |`).
 */
function valuesLineAbove(text: string, offset: number): number | undefined {
  let pos = lineStartOf(text, offset);
  const dashCol = lineShape(text.slice(pos, offset)).dashes[0];
  if (dashCol === undefined) return undefined;
  while (pos > 0) {
    const end = pos - 1;
    const start = lineStartOf(text, end);
    const line = text.slice(start, end).replace(/\r$/, '');
    pos = start;
    if (!line.trim() || /^\s*#/.test(line)) continue;
    const shape = lineShape(line);
    if (shape.indent >= dashCol && shape.dashes[0] === dashCol) continue; // an item before it
    return shape.indent <= dashCol && /^values\s*:\s*$/.test(shape.rest) ? start : undefined;
  }
  return undefined;
}

/** The value of `field` in the flow map opening at `start` (`{key: a, value: |`), read on its line. */
function flowSiblingValue(text: string, start: number, field: string): string | undefined {
  let depth = 0;
  let quote = '';
  let seg = '';
  const segments: string[] = [];
  for (let i = start + 1; i < text.length && text[i] !== '\n'; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      if (depth === 0) break;
      depth--;
    } else if (ch === ',' && depth === 0) {
      segments.push(seg);
      seg = '';
      continue;
    }
    seg += ch;
  }
  segments.push(seg);
  for (const s of segments) {
    const m = /^\s*((?:[^:]|:(?=\S))*):\s*(.*)$/.exec(s);
    if (m && unquote(m[1].trim()) === field) return unquote(m[2].trim()) || undefined;
  }
  return undefined;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineBefore(text: string, offset: number): string {
  return text.slice(lineStartOf(text, offset), offset);
}

/**
 * The value of `field` in the same mapping as the cursor (looked up on the lines around it at the
 * same key column), e.g. the toleration's `key` while typing its `value`.
 */
function siblingValue(text: string, offset: number, field: string): string | undefined {
  const start = lineStartOf(text, Math.max(0, offset));
  const line = text.slice(start, text.indexOf('\n', start) < 0 ? text.length : text.indexOf('\n', start)).replace(/\r$/, '');
  const shape = lineShape(line);
  const col = shape.keyCol;
  const re = new RegExp(`^${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:\\s*(.*)$`);
  const check = (l: string): string | undefined | null => {
    const s = lineShape(l);
    if (!l.trim() || /^\s*#/.test(l)) return undefined;
    if (s.keyCol < col) return null; // left the mapping
    if (s.keyCol !== col) return undefined;
    const m = re.exec(s.rest);
    return m ? unquote(m[1].replace(/\s+#.*$/, '').trim()) : undefined;
  };
  // Up, including the dash line that opens the item.
  let pos = start;
  while (pos > 0) {
    const end = pos - 1;
    const s = text.lastIndexOf('\n', end - 1) + 1;
    const l = text.slice(s, end).replace(/\r$/, '');
    pos = s;
    const shp = lineShape(l);
    const r = check(l);
    if (r === null) break;
    if (r !== undefined) return r;
    if (shp.dashes.length && shp.keyCol === col) break; // the item's first line
  }
  // Down, until the next item or a shallower line.
  let next = text.indexOf('\n', start);
  while (next >= 0 && next + 1 < text.length) {
    const s = next + 1;
    const e = text.indexOf('\n', s);
    const l = text.slice(s, e < 0 ? text.length : e).replace(/\r$/, '');
    const shp = lineShape(l);
    if (shp.dashes.length && shp.dashes[0] < col) break;
    const r = check(l);
    if (r === null) break;
    if (r !== undefined) return r;
    next = e;
  }
  return undefined;
}

function taintKeyItems(nodes: readonly ClusterNode[], span: Span, forTaint: boolean): CompletionItem[] {
  const out: CompletionItem[] = [];
  const seen = new Set<string>();
  // The cluster's own taints first: they are what this DaemonSet meets.
  const byKey = new Map<string, ClusterNode[]>();
  for (const n of nodes) for (const t of n.taints) byKey.set(t.key, [...(byKey.get(t.key) ?? []), n]);
  for (const [k, ns] of byKey) {
    seen.add(k);
    const forms = [...new Set(ns.flatMap((n) => n.taints.filter((t) => t.key === k).map(formatTaint)))];
    const wk = wellKnownTaint(k);
    out.push({
      label: k,
      kind: 'value',
      detail: `taint on ${names(ns)}`,
      documentation: `${forms.map((f) => `\`${f}\``).join(', ')} on ${ns.length} node${ns.length === 1 ? '' : 's'}.${wk ? `\n\n${wk.meaning}` : ''}\n\n${defaultTolerationText(k)}`,
      span,
      sortText: `0${k}`,
    });
  }
  for (const t of WELL_KNOWN_TAINTS) {
    if (seen.has(t.key)) continue;
    out.push({
      label: t.key,
      kind: 'value',
      detail: `well-known taint (${t.effects.join(', ')})${t.deprecated ? ', deprecated' : ''}`,
      documentation: `${t.meaning}\n\n*Set by:* ${t.setBy}${forTaint ? '' : `\n\n${defaultTolerationText(t.key)}`}\n\n[Kubernetes documentation](${t.docs})`,
      span,
      sortText: `1${t.key}`,
    });
  }
  return out;
}

function labelKeyItems(nodes: readonly ClusterNode[], span: Span, withColon: boolean): CompletionItem[] {
  const out: CompletionItem[] = [];
  const byKey = new Map<string, Map<string, number>>();
  for (const n of nodes) for (const [k, v] of Object.entries(n.labels)) {
    const m = byKey.get(k) ?? new Map<string, number>();
    m.set(v, (m.get(v) ?? 0) + 1);
    byKey.set(k, m);
  }
  for (const [k, vals] of byKey) {
    const wk = wellKnownNodeLabel(k);
    const count = [...vals.values()].reduce((a, b) => a + b, 0);
    out.push({
      label: k,
      kind: 'key',
      detail: `on ${count} of ${nodes.length} nodes`,
      documentation: `${wk ? `${wk.meaning}\n\n` : ''}Values: ${[...vals].slice(0, 8).map(([v, c]) => `\`${v === '' ? '""' : v}\` (${c})`).join(', ')}`,
      insertText: withColon ? `${k}: ` : k,
      span,
      sortText: `0${k}`,
    });
  }
  for (const l of WELL_KNOWN_NODE_LABELS) {
    if (byKey.has(l.key) || l.deprecated) continue;
    out.push({
      label: l.key,
      kind: 'key',
      detail: 'well-known node label',
      documentation: `${l.meaning}\n\n*Set by:* ${l.setBy}\n\n[Kubernetes documentation](${l.docs})`,
      insertText: withColon ? `${l.key}: ` : l.key,
      span,
      sortText: `1${l.key}`,
    });
  }
  return out;
}

function labelValueItems(key: string, nodes: readonly ClusterNode[], span: Span): CompletionItem[] {
  const vals = new Map<string, ClusterNode[]>();
  for (const n of nodes) if (Object.prototype.hasOwnProperty.call(n.labels, key)) vals.set(n.labels[key], [...(vals.get(n.labels[key]) ?? []), n]);
  const out: CompletionItem[] = [...vals].map(([v, ns]) => ({
    label: v === '' ? '""' : v,
    kind: 'value' as const,
    detail: `${ns.length} node${ns.length === 1 ? '' : 's'}: ${names(ns)}`,
    insertText: v === '' || /^(true|false|yes|no|on|off|null|~|[-+]?\d[\d.eE+-]*)$/i.test(v) ? JSON.stringify(v) : v,
    span,
  }));
  if (!out.length) {
    for (const v of wellKnownNodeLabel(key)?.values ?? []) out.push({ label: v === '' ? '""' : v, kind: 'value', detail: 'typical value', insertText: v === '' ? '""' : v, span });
  }
  return out;
}
