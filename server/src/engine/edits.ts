import { Scalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { isMap, isPair, isScalar, isSeq } from './yamlNodes';
import { isMergeKey, mayHaveMergeKeys } from './mergeKeys';
import { isPlainObject, type ManifestObject } from './model';
import type { FieldPath, TextEdit } from './types';

/**
 * Minimal text edits computed from the source of the nodes they change, never from
 * `doc.toString()` (which rewrites the whole file and throws on parse errors). Each edit
 * touches only the lines it must, writes in the file's indentation width, sequence style
 * (`key:\n- item` vs `key:\n  - item`, block vs flow) and line ending, and keeps comments.
 *
 * Every function takes the whole file text and an object of the file's model; offsets in
 * the returned edits are absolute. Functions return `[]` when the edit cannot be made
 * safely (a missing sequence index on the way, an alias, a non-map where a map is needed, a map
 * with a merge key `<<` on the way: what an edit there changes depends on the merged maps).
 */

/** How a file writes YAML. */
export interface TextStyle {
  /** Spaces per nesting level of block mappings. */
  indent: number;
  /** Block sequences are indented under their key (`key:\n  - a`) rather than flush (`key:\n- a`). */
  indentSeq: boolean;
  eol: '\n' | '\r\n';
  /** Flow collections are written with inner spaces: `{ a: 1 }` rather than `{a: 1}`. */
  flowPadding: boolean;
  /** The object is written as JSON (a flow map with double-quoted keys): edits write JSON too. */
  json: boolean;
}

/** `merged`: a map on the way has a merge key, so the edit is not made. */
type Loc = { node: Node | null | undefined; pair?: Pair; found: boolean; merged?: boolean };

/** The style of the text around an object: indentation width, sequence indentation, line ending. */
export function detectStyle(text: string, obj: ManifestObject): TextStyle {
  // Several fixes of one DaemonSet ask for the same style: walk the object once per text.
  const hit = styleMemo.get(obj);
  if (hit && hit.text === text) return hit.style;
  const style = detectStyleUncached(text, obj);
  styleMemo.set(obj, { text, style });
  return style;
}

const styleMemo = new WeakMap<ManifestObject, { text: string; style: TextStyle }>();

function detectStyleUncached(text: string, obj: ManifestObject): TextStyle {
  const widths = new Map<number, number>();
  let seqIn = 0;
  let seqOut = 0;
  const visit = (node: unknown, depth: number): void => {
    if (depth > 64) return;
    if (isMap(node)) {
      if (node.flow) return;
      for (const it of node.items) {
        if (!isPair(it)) continue;
        const keyCol = colOf(text, abs(obj, (it.key as Node | null)?.range?.[0]));
        const v = it.value as Node | null;
        if (keyCol !== undefined && isMap(v) && !v.flow && v.items.length) {
          const c = colOf(text, abs(obj, (v.items[0].key as Node | null)?.range?.[0]));
          if (c !== undefined && c > keyCol) widths.set(c - keyCol, (widths.get(c - keyCol) ?? 0) + 1);
        }
        if (keyCol !== undefined && isSeq(v) && !v.flow && v.items.length) {
          const c = colOf(text, abs(obj, v.range?.[0]));
          if (c !== undefined) {
            if (c > keyCol) {
              seqIn++;
              widths.set(c - keyCol, (widths.get(c - keyCol) ?? 0) + 1);
            } else seqOut++;
          }
        }
        visit(v, depth + 1);
      }
    } else if (isSeq(node)) {
      if (node.flow) return;
      for (const it of node.items) visit(it, depth + 1);
    }
  };
  visit(obj.node, 0);
  let indent = 2;
  let best = 0;
  for (const [w, n] of widths) if (n > best || (n === best && w < indent)) [indent, best] = [w, n];
  const r = obj.node.range;
  const region = r ? text.slice(obj.base + r[0], obj.base + r[2]) : text;
  const eol = region.includes('\r\n') || (!region.includes('\n') && text.includes('\r\n')) ? '\r\n' : '\n';
  const flowPadding = /[[{] \S/.test(region) && !/[[{][^\s\]}]/.test(region);
  const firstKey = obj.node.items[0]?.key;
  const json = !!obj.node.flow && isScalar(firstKey) && firstKey.type === Scalar.QUOTE_DOUBLE;
  return { indent: Math.min(Math.max(indent, 1), 8), indentSeq: seqIn > seqOut, eol, flowPadding, json };
}

/**
 * Appends items to the sequence at `path`. Creates the key (and missing parent maps) when it
 * does not exist, fills an empty value (`tolerations:`), and writes into a flow sequence
 * (`tolerations: []`) in flow style.
 */
export function appendToSequence(text: string, obj: ManifestObject, path: FieldPath, items: unknown[]): TextEdit[] {
  if (!items.length) return [];
  const style = detectStyle(text, obj);
  const loc = find(obj, path);
  if (!loc.found) {
    const key = path[path.length - 1];
    if (typeof key !== 'string') return [];
    return setMapEntries(text, obj, path.slice(0, -1), { [key]: items });
  }
  const node = loc.node;
  if (isSeq(node)) {
    if (node.flow) return [appendFlow(text, obj, node, items.map((v) => flowText(v, style)), style)];
    const last = node.items[node.items.length - 1] as Node | undefined;
    const dashCol = colOf(text, abs(obj, node.range?.[0]));
    if (!last || dashCol === undefined) return [];
    const at = lineEndAfter(text, abs(obj, node.range![1])!);
    const block = blockText(items, style, dashCol, style.eol);
    return [insertLines(text, at, block, style.eol)];
  }
  if (isEmptyValue(node) && loc.pair) {
    return fillEmptyValue(text, obj, loc.pair, items, style);
  }
  return [];
}

/**
 * Sets `entries` in the map at `path`: replaces scalar values that exist, adds the others after
 * the map's last entry at its indentation, and creates the map (and its missing parents) at the
 * end of the nearest existing ancestor when needed.
 */
export function setMapEntries(text: string, obj: ManifestObject, path: FieldPath, entries: Record<string, unknown>): TextEdit[] {
  const keys = Object.keys(entries);
  if (!keys.length) return [];
  const style = detectStyle(text, obj);
  // Deepest existing ancestor: wrap the rest of the path around the entries.
  let depth = path.length;
  let loc = find(obj, path);
  let value: Record<string, unknown> = entries;
  while (!loc.found || (isEmptyValue(loc.node) && depth > 0 && loc.pair && !isMap(loc.node))) {
    if (loc.merged) return [];
    if (loc.found && loc.pair && isEmptyValue(loc.node)) return fillEmptyValue(text, obj, loc.pair, value, style);
    if (depth === 0) return [];
    const seg = path[depth - 1];
    if (typeof seg !== 'string') return [];
    value = { [seg]: value };
    depth--;
    loc = find(obj, path.slice(0, depth));
  }
  const map = loc.node;
  if (!isMap(map)) return [];
  const edits: TextEdit[] = [];
  const missing: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const pair = map.items.find((it) => isPair(it) && keyOf(it) === k) as Pair | undefined;
    const v = value[k];
    if (!pair) {
      missing[k] = v;
      continue;
    }
    const cur = pair.value as Node | null;
    if (isScalarValue(v) && (isScalar(cur) || cur == null)) {
      edits.push(...replaceScalarAt(text, obj, pair, v));
    } else if (depth === path.length) {
      // A structured value where one exists: replace the whole value.
      edits.push(...replaceValueAt(text, obj, pair, v, style));
    } else if (isMap(cur) && isPlainObject(v)) {
      edits.push(...setMapEntries(text, obj, [...path.slice(0, depth), k], v));
    }
  }
  if (Object.keys(missing).length) {
    if (map.flow) {
      edits.push(appendFlow(text, obj, map, Object.entries(missing).map(([k, v]) => `${flowText(k, style)}: ${flowText(v, style)}`), style));
    } else {
      const first = map.items[0];
      const col = colOf(text, abs(obj, (first?.key as Node | null)?.range?.[0]));
      if (col === undefined) return edits;
      const at = lineEndAfter(text, abs(obj, map.range![1])!);
      edits.push(insertLines(text, at, blockText(missing, style, col, style.eol), style.eol));
    }
  }
  return edits;
}

/** Replaces the scalar at `path` with `value`, keeping its quoting style. */
export function replaceScalar(text: string, obj: ManifestObject, path: FieldPath, value: string | number | boolean | null): TextEdit[] {
  const loc = find(obj, path);
  if (!loc.found) return [];
  if (loc.pair) return replaceScalarAt(text, obj, loc.pair, value);
  const node = loc.node;
  if (isScalar(node) && node.range) {
    return [{ span: { start: obj.base + node.range[0], end: obj.base + node.range[1] }, newText: scalarText(value, node) }];
  }
  return [];
}

/** Renames the map key at `path` (the last segment) to `newKey`. */
export function renameKey(_text: string, obj: ManifestObject, path: FieldPath, newKey: string): TextEdit[] {
  const loc = find(obj, path);
  const key = loc.pair?.key as Node | undefined;
  if (!loc.found || !isScalar(key) || !key.range) return [];
  return [{ span: { start: obj.base + key.range[0], end: obj.base + key.range[1] }, newText: scalarText(newKey, key) }];
}

/** Removes the sequence item at `path` (a block item's whole lines, or a flow item and its comma). */
export function removeSequenceItem(text: string, obj: ManifestObject, path: FieldPath): TextEdit[] {
  const idx = path[path.length - 1];
  if (typeof idx !== 'number') return [];
  const seq = find(obj, path.slice(0, -1)).node;
  if (!isSeq(seq) || idx < 0 || idx >= seq.items.length) return [];
  const item = seq.items[idx] as Node;
  if (!item?.range) return [];
  if (seq.flow) {
    const start = obj.base + item.range[0];
    let end = obj.base + item.range[1];
    const m = /^\s*,\s*/.exec(text.slice(end));
    if (m) end += m[0].length;
    else {
      const before = /,\s*$/.exec(text.slice(obj.base + seq.range![0], start));
      if (before) return [{ span: { start: start - before[0].length, end }, newText: '' }];
    }
    return [{ span: { start, end }, newText: '' }];
  }
  const lineStart = text.lastIndexOf('\n', obj.base + item.range[0] - 1) + 1;
  const ownEnd = lineEndAfter(text, obj.base + item.range[1]);
  const nextStart = idx + 1 < seq.items.length ? text.lastIndexOf('\n', obj.base + (seq.items[idx + 1] as Node).range![0] - 1) + 1 : Infinity;
  if (seq.items.length === 1) {
    // The only item: the sequence becomes `[]` (a bare `key:` would be null).
    const loc = find(obj, path.slice(0, -1));
    const key = loc.pair?.key as Node | undefined;
    if (!key?.range) return [];
    const colon = text.indexOf(':', obj.base + key.range[1]);
    let stop = ownEnd;
    if (text[stop - 1] === '\n') stop--;
    if (text[stop - 1] === '\r') stop--;
    if (colon < 0 || colon > lineStart) return [];
    // `key: [] # comment`: the key line keeps its comment, the item's lines go.
    let keyLineEnd = text.indexOf('\n', colon);
    if (text[keyLineEnd - 1] === '\r') keyLineEnd--;
    return [{ span: { start: colon + 1, end: colon + 1 }, newText: ' []' }, { span: { start: keyLineEnd, end: stop }, newText: '' }];
  }
  return [{ span: { start: lineStart, end: Math.min(ownEnd, nextStart) }, newText: '' }];
}

/**
 * Inserts a whole comment line above the line holding `offset`, at that line's indentation
 * (for `# daemonset-lens-disable-next-line <id>`). When the line above is already a
 * `daemonset-lens-disable-next-line` comment, the id is appended to it instead.
 */
export function insertCommentLineAbove(text: string, offset: number, comment: string): TextEdit[] {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  // The line's own ending (else the previous line's): never a scan of the whole file.
  const nl = text.indexOf('\n', offset);
  const eol = (nl > 0 ? text[nl - 1] === '\r' : lineStart >= 2 && text[lineStart - 2] === '\r') ? '\r\n' : '\n';
  const m = /^#\s*daemonset-lens-disable-next-line\s+(\S.*)$/.exec(comment.trim());
  if (m && lineStart > 0) {
    const prevEnd = lineStart - (text[lineStart - 2] === '\r' ? 2 : 1);
    const prevStart = text.lastIndexOf('\n', prevEnd - 1) + 1;
    const prev = text.slice(prevStart, prevEnd);
    const pm = /^\s*#\s*daemonset-lens-disable-next-line\b(.*)$/.exec(prev);
    if (pm) {
      const ids = pm[1].split(/[\s,]+/).filter(Boolean);
      const add = m[1].split(/[\s,]+/).filter((id) => !ids.includes(id));
      if (!ids.length) return []; // already disables every rule on the next line
      if (!add.length) return [];
      return [{ span: { start: prevEnd, end: prevEnd }, newText: ' ' + add.join(' ') }];
    }
  }
  const body = comment.startsWith('#') ? comment : `# ${comment}`;
  return [{ span: { start: lineStart, end: lineStart }, newText: `${indent}${body}${eol}` }];
}

/** The "disable this rule on this line" comment for a finding at `offset`; none in JSON, which has no comments. */
export function disableRuleOnLine(text: string, offset: number, ruleId: string): TextEdit[] {
  if (/^\s*[[{]\s*"/.test(text)) return [];
  return insertCommentLineAbove(text, offset, `# daemonset-lens-disable-next-line ${ruleId}`);
}

/** Applies edits to a text (test and CLI helper); edits must not overlap. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.span.end > limit) throw new Error('overlapping edits');
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
    limit = e.span.start;
  }
  return out;
}

// --- internals ---------------------------------------------------------------------------

function find(obj: ManifestObject, path: FieldPath): Loc {
  let node: Node | null | undefined = obj.node;
  let pair: Pair | undefined;
  const merges = mayHaveMergeKeys(obj.doc);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (typeof seg === 'number') {
      if (!isSeq(node) || seg < 0 || seg >= node.items.length) return { node: undefined, found: false };
      node = node.items[seg] as Node | null;
      pair = undefined;
    } else {
      if (!isMap(node)) return { node: undefined, found: false };
      if (merges && hasMergeKey(node)) return { node: undefined, found: false, merged: true };
      let p: Pair | undefined;
      for (const it of node.items) {
        if (isPair(it) && keyOf(it) === seg) {
          p = it as Pair;
          break;
        }
      }
      if (!p) return { node: undefined, found: false };
      pair = p;
      node = p.value as Node | null;
    }
    if ((node === null || node === undefined) && i < path.length - 1) return { node: undefined, found: false };
  }
  if (merges && isMap(node) && hasMergeKey(node)) return { node: undefined, found: false, merged: true };
  return { node, pair, found: true };
}

function hasMergeKey(map: YAMLMap): boolean {
  return map.items.some((it) => isPair(it) && isMergeKey(it.key));
}

function keyOf(p: Pair): string | undefined {
  const k = p.key;
  if (!isScalar(k)) return undefined;
  const v = k.value;
  return typeof v === 'string' ? v : v === null ? '' : String(v);
}

function abs(obj: ManifestObject, off: number | undefined): number | undefined {
  return off === undefined ? undefined : obj.base + off;
}

function colOf(text: string, off: number | undefined): number | undefined {
  if (off === undefined) return undefined;
  return off - (text.lastIndexOf('\n', off - 1) + 1);
}

/** The offset just after the line that ends at or contains `off` (where new lines go). */
function lineEndAfter(text: string, off: number): number {
  if (off > 0 && text[off - 1] === '\n') return off;
  const nl = text.indexOf('\n', off);
  return nl < 0 ? text.length : nl + 1;
}

function insertLines(text: string, at: number, block: string, eol: string): TextEdit {
  const needsBreak = at > 0 && text[at - 1] !== '\n';
  return { span: { start: at, end: at }, newText: (needsBreak ? eol : '') + block + (needsBreak ? '' : eol) };
}

function isEmptyValue(node: Node | null | undefined): boolean {
  if (node === null || node === undefined) return true;
  return isScalar(node) && node.value === null;
}

function isScalarValue(v: unknown): v is string | number | boolean | null {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Lines of a block value: `value` rendered at column `col`, without the final line ending. */
function blockText(value: unknown, style: TextStyle, col: number, eol: string): string {
  const lines: string[] = [];
  renderBlock(value, col, style, lines);
  return lines.join(eol);
}

/** Block YAML for plain data, `col` spaces in; a sequence item's map starts on the dash line. */
function renderBlock(value: unknown, col: number, style: TextStyle, out: string[], firstPrefix?: string): void {
  const pad = ' '.repeat(col);
  let first = firstPrefix;
  const line = (s: string) => {
    out.push(first !== undefined ? first + s : pad + s);
    first = undefined;
  };
  if (Array.isArray(value)) {
    if (!value.length) return line('[]');
    for (const item of value) {
      const dash = first !== undefined ? first + '- ' : `${pad}- `;
      first = undefined;
      if (isCollection(item)) renderBlock(item, col + 2, style, out, dash);
      else out.push(dash + plainScalar(item));
    }
    return;
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (!keys.length) return line('{}');
    for (const k of keys) {
      const v = value[k];
      if (isCollection(v)) {
        line(`${plainScalar(k)}:`);
        renderBlock(v, col + (Array.isArray(v) ? (style.indentSeq ? style.indent : 0) : style.indent), style, out);
      } else {
        line(`${plainScalar(k)}: ${plainScalar(v)}`);
      }
    }
    return;
  }
  line(plainScalar(value));
}

function isCollection(v: unknown): boolean {
  return (Array.isArray(v) && v.length > 0) || (isPlainObject(v) && Object.keys(v).length > 0);
}

function flowText(value: unknown, style?: TextStyle): string {
  if (style?.json) return JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ').replace(/([[{]) /g, '$1').replace(/ ([\]}])/g, '$1');
  const pad = style?.flowPadding ? ' ' : '';
  if (Array.isArray(value)) return value.length ? `[${pad}${value.map((v) => flowText(v, style)).join(', ')}${pad}]` : '[]';
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    return keys.length ? `{${pad}${keys.map((k) => `${plainScalar(k, true)}: ${flowText(value[k], style)}`).join(', ')}${pad}}` : '{}';
  }
  return plainScalar(value, true);
}

/**
 * A scalar as YAML: plain when it reads back as the same string under both YAML 1.2 and the
 * YAML 1.1 rules of the Kubernetes decoder (sigs.k8s.io/yaml: `yes`, `on`, `0777` are not strings
 * there), else double-quoted (JSON string syntax is valid YAML).
 */
function plainScalar(v: unknown, inFlow = false): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = String(v);
  const safe = inFlow ? /^[A-Za-z0-9_./][A-Za-z0-9_./-]*$/ : /^[A-Za-z0-9_./][A-Za-z0-9_./ -]*$/;
  if (!safe.test(s) || / $/.test(s) || AMBIGUOUS.test(s) || /^[-+]?(\.?[0-9]|[0-9][0-9_]*[.eE:])/.test(s) || /^[-+]?\.(inf|nan)$/i.test(s)) return JSON.stringify(s);
  return s;
}

const AMBIGUOUS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/;

function scalarText(value: string | number | boolean | null, like?: Node): string {
  const type = isScalar(like) ? like.type : undefined;
  if (typeof value === 'string') {
    if (type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
    if (type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  }
  return flowText(value);
}

/** Inserts flow items before the closing bracket of a flow collection. */
function appendFlow(text: string, obj: ManifestObject, coll: YAMLSeq | YAMLMap, parts: string[], style: TextStyle): TextEdit {
  const end = obj.base + coll.range![1];
  // range[1] is just after the closing bracket.
  let close = end - 1;
  while (close > 0 && text[close] !== ']' && text[close] !== '}') close--;
  const last = coll.items[coll.items.length - 1] as Node | Pair | undefined;
  if (!last) {
    const pad = style.flowPadding && isMap(coll) ? ' ' : '';
    return { span: { start: close, end: close }, newText: pad + parts.join(', ') + pad };
  }
  const lastEnd = isPair(last) ? ((last.value as Node | null)?.range?.[1] ?? (last.key as Node).range![1]) : last.range![1];
  let at = obj.base + lastEnd;
  // Keep a trailing comma style: `[a, b,]` -> insert after the comma.
  const after = /^\s*,/.exec(text.slice(at, close));
  if (after) at += after[0].length;
  return { span: { start: at, end: at }, newText: (after ? ' ' : ', ') + parts.join(', ') + (after ? ',' : '') };
}

/** Gives a value to a key written without one (`tolerations:` or `tolerations: ~`). */
function fillEmptyValue(text: string, obj: ManifestObject, pair: Pair, value: unknown, style: TextStyle): TextEdit[] {
  const key = pair.key as Node;
  const keyCol = colOf(text, abs(obj, key.range?.[0]));
  if (keyCol === undefined || !key.range) return [];
  const edits: TextEdit[] = [];
  const cur = pair.value as Node | null;
  const keyEnd = obj.base + key.range[1];
  const colon = text.indexOf(':', keyEnd);
  if (colon < 0) return [];
  let lineEnd = text.indexOf('\n', colon);
  if (lineEnd < 0) lineEnd = text.length;
  if (text[lineEnd - 1] === '\r') lineEnd--;
  if (isScalar(cur) && cur.range && cur.range[1] > cur.range[0]) {
    edits.push({ span: { start: colon + 1, end: obj.base + cur.range[1] }, newText: '' });
  }
  let childCol = keyCol + style.indent;
  if (Array.isArray(value)) childCol = keyCol + (style.indentSeq ? style.indent : 0);
  const block = blockText(value, style, childCol, style.eol);
  edits.push({ span: { start: lineEnd, end: lineEnd }, newText: style.eol + block });
  return edits;
}

function replaceScalarAt(text: string, obj: ManifestObject, pair: Pair, value: string | number | boolean | null): TextEdit[] {
  const cur = pair.value as Node | null;
  if (isScalar(cur) && cur.range && cur.range[1] > cur.range[0]) {
    return [{ span: { start: obj.base + cur.range[0], end: obj.base + cur.range[1] }, newText: scalarText(value, cur) }];
  }
  const key = pair.key as Node;
  if (!key?.range) return [];
  const colon = text.indexOf(':', obj.base + key.range[1]);
  if (colon < 0) return [];
  return [{ span: { start: colon + 1, end: colon + 1 }, newText: ' ' + scalarText(value) }];
}

function replaceValueAt(text: string, obj: ManifestObject, pair: Pair, value: unknown, style: TextStyle): TextEdit[] {
  const cur = pair.value as Node | null;
  if (!cur?.range) return fillEmptyValue(text, obj, pair, value, style);
  const key = pair.key as Node;
  const colon = text.indexOf(':', obj.base + key.range![1]);
  if ((isMap(cur) || isSeq(cur)) && cur.flow) {
    return [{ span: { start: obj.base + cur.range[0], end: obj.base + cur.range[1] }, newText: flowText(value, style) }];
  }
  // Block value: replace from after the colon to the end of the value's lines.
  const end = lineEndAfter(text, obj.base + cur.range[1]);
  const keyCol = colOf(text, abs(obj, key.range![0]))!;
  const childCol = keyCol + (Array.isArray(value) ? (style.indentSeq ? style.indent : 0) : style.indent);
  let stop = end;
  if (text[stop - 1] === '\n') stop--;
  if (text[stop - 1] === '\r') stop--;
  return [{ span: { start: colon + 1, end: stop }, newText: style.eol + blockText(value, style, childCol, style.eol) }];
}
