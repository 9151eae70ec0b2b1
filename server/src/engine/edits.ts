import { Scalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { isMap, isPair, isScalar, isSeq } from './yamlNodes';
import { isMergeKey, mayHaveMergeKeys } from './mergeKeys';
import { isPlainObject, type ManifestObject } from './model';
import { objectMemo } from './objectMemo';
import type { FieldPath, TextEdit } from './types';

/**
 * Minimal text edits computed from the source of the nodes they change, never from
 * `doc.toString()` (which rewrites the whole file and throws on parse errors). Each edit
 * touches only the lines it must, writes in the file's indentation width, sequence style
 * (`key:\n- item` vs `key:\n  - item`, block vs flow) and line ending, and keeps comments. In a
 * JSON manifest they write JSON laid out as the file is (see "JSON" below).
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

const styleMemo = objectMemo<{ text: string; style: TextStyle }>();

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
    if (node.flow && style.json) return appendJson(text, obj, node, items.map((v) => [undefined, v]), besideModel(obj, path, items));
    if (node.flow) return [appendFlow(text, obj, node, items.map((v) => flowText(v, style)), style)];
    const last = node.items[node.items.length - 1] as Node | undefined;
    const dashCol = colOf(text, abs(obj, node.range?.[0]));
    if (!last || dashCol === undefined) return [];
    const at = lineEndAfter(text, abs(obj, node.range![1])!);
    const block = blockText(items, style, dashCol, style.eol);
    return [insertLines(text, at, block, style.eol)];
  }
  if (isEmptyValue(node) && loc.pair) {
    return fillEmptyValue(text, obj, loc.pair, items, style, path);
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
    if (loc.found && loc.pair && isEmptyValue(loc.node)) return fillEmptyValue(text, obj, loc.pair, value, style, path.slice(0, depth));
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
      edits.push(...replaceValueAt(text, obj, pair, v, style, [...path, k]));
    } else if (isMap(cur) && isPlainObject(v)) {
      edits.push(...setMapEntries(text, obj, [...path.slice(0, depth), k], v));
    }
  }
  if (Object.keys(missing).length) {
    if (map.flow && style.json) {
      edits.push(...appendJson(text, obj, map, Object.entries(missing), besideModel(obj, path.slice(0, depth), missing)));
    } else if (map.flow) {
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
    return [{ span: { start: obj.base + node.range[0], end: obj.base + node.range[1] }, newText: scalarText(value, node, detectStyle(text, obj).json) }];
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
  if (seq.flow) return removeFlowItem(text, obj, seq, idx);
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
    // An anchor or tag of the sequence (`key: &tols`) stays before its value: `key: &tols []`.
    const props = /^(?:[ \t]+(?!#)\S+)*/.exec(text.slice(colon + 1, keyLineEnd))![0];
    const at = colon + 1 + props.length;
    return [{ span: { start: at, end: at }, newText: ' []' }, { span: { start: keyLineEnd, end: stop }, newText: '' }];
  }
  return [{ span: { start: lineStart, end: Math.min(ownEnd, nextStart) }, newText: '' }];
}

/**
 * Removes the map entry at `path`: a block entry's whole lines (its key must start its line), or a
 * flow (JSON) entry and the comma that separates it from its neighbours.
 */
export function removeMapEntry(text: string, obj: ManifestObject, path: FieldPath): TextEdit[] {
  const key = path[path.length - 1];
  if (typeof key !== 'string') return [];
  const map = find(obj, path.slice(0, -1)).node;
  if (!isMap(map)) return [];
  const idx = map.items.findIndex((it) => isPair(it) && keyOf(it) === key);
  const pair = map.items[idx] as Pair | undefined;
  const k = pair?.key as Node | null | undefined;
  const v = pair?.value as Node | null | undefined;
  if (!k?.range || !v?.range) return [];
  if (map.flow) return removeFlowItem(text, obj, map, idx);
  const keyStart = obj.base + k.range[0];
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  if (text.slice(lineStart, keyStart).trim() !== '') return [];
  // The value's range may stop before its last line break; delete through the end of that line.
  let end = text.indexOf('\n', Math.max(obj.base + v.range[1] - 1, keyStart));
  end = end < 0 ? text.length : end + 1;
  return [{ span: { start: lineStart, end }, newText: '' }];
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

/** `value` written like the scalar `like` (its quotes kept); in JSON always as a JSON value. */
function scalarText(value: string | number | boolean | null, like?: Node, json = false): string {
  if (json) return JSON.stringify(value);
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
  // Items one per line (the last starts a line of its own): each new item on a line of its own, at
  // the last one's column, after the comment that may end the last one's line.
  const lastStart = obj.base + (isPair(last) ? ((last.key as Node | null)?.range?.[0] ?? lastEnd) : last.range![0]);
  const lastLine = text.lastIndexOf('\n', lastStart - 1) + 1;
  const indent = text.slice(lastLine, lastStart);
  if (/^[ \t]*$/.test(indent) && lastLine > obj.base + coll.range![0]) {
    let lineEnd = lineEndAfter(text, at);
    if (text[lineEnd - 1] === '\n') lineEnd--;
    if (text[lineEnd - 1] === '\r') lineEnd--;
    lineEnd = Math.max(at, Math.min(lineEnd, close));
    const lines = parts.map((p) => `${style.eol}${indent}${p}`);
    const kept = text.slice(at, lineEnd);
    return { span: { start: at, end: lineEnd }, newText: after ? kept + lines.map((l) => `${l},`).join('') : `,${kept}${lines.join(',')}` };
  }
  return { span: { start: at, end: at }, newText: (after ? ' ' : ', ') + parts.join(', ') + (after ? ',' : '') };
}

// --- JSON ---------------------------------------------------------------------------------
//
// A JSON manifest is one flow map; what a fix adds to it is written as JSON, laid out as the file lays
// out what is around it: a collection whose items are one per line gets new items on lines of their
// own at their siblings' indentation, a one-line collection stays on one line, and a new value is laid
// out like a value of the same kind beside it (`kubectl get -o json` puts every field on its own line;
// hand-written files often keep each toleration or volume on one line).

/** How a JSON object writes: its indentation unit, line ending, and the separators of one-line collections. */
interface JsonLayout {
  unit: string;
  eol: '\n' | '\r\n';
  /** `": "`, or `":"` in a minified file. */
  colon: string;
  /** `", "`, or `","` in a minified file: between the items of a one-line collection. */
  comma: string;
  /** One-line objects are written `{ "a": 1 }` rather than `{"a": 1}`. */
  padding: boolean;
}

const layoutMemo = objectMemo<{ text: string; layout: JsonLayout }>();

function jsonLayout(text: string, obj: ManifestObject): JsonLayout {
  const hit = layoutMemo.get(obj);
  if (hit && hit.text === text) return hit.layout;
  const r = obj.node.range;
  const region = r ? text.slice(text.lastIndexOf('\n', obj.base + r[0] - 1) + 1, obj.base + r[1]) : text;
  // The indentation unit: the most frequent step from a line to a deeper next line.
  const steps = new Map<string, number>();
  let prev: string | undefined;
  for (const line of region.split('\n')) {
    if (!/\S/.test(line)) continue;
    const ind = /^[ \t]*/.exec(line)![0];
    if (prev !== undefined && ind.length > prev.length && ind.startsWith(prev)) {
      const step = ind.slice(prev.length);
      steps.set(step, (steps.get(step) ?? 0) + 1);
    }
    prev = ind;
  }
  let unit = '  ';
  let best = 0;
  for (const [step, n] of steps) if (n > best || (n === best && step.length < unit.length)) [unit, best] = [step, n];
  const colon = /"\s*:\s/.test(region) || !/"\s*:\S/.test(region) ? ': ' : ':';
  const padded = region.match(/\{ "/g)?.length ?? 0;
  const tight = region.match(/\{"/g)?.length ?? 0;
  const layout: JsonLayout = { unit, eol: detectStyle(text, obj).eol, colon, comma: colon === ':' ? ',' : ', ', padding: padded > tight };
  layoutMemo.set(obj, { text, layout });
  return layout;
}

/** Whether a non-empty collection puts its items one per line (a line break before the first). */
function laidOut(text: string, obj: ManifestObject, coll: YAMLSeq | YAMLMap): boolean | undefined {
  const first = coll.items[0] as Node | Pair | undefined;
  const firstStart = isPair(first) ? (first.key as Node | null)?.range?.[0] : first?.range?.[0];
  if (firstStart === undefined || !coll.range) return undefined;
  return text.slice(obj.base + coll.range[0], obj.base + firstStart).includes('\n');
}

/** The whitespace that starts the line of `off`. */
function lineIndent(text: string, off: number): string {
  const lineStart = text.lastIndexOf('\n', off - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, off))![0];
}

/** Whether a value at `off` stands on a line of its own (after nothing but its `"key": `) in a file of several lines. */
function ownLine(text: string, obj: ManifestObject, off: number): boolean {
  const lineStart = text.lastIndexOf('\n', off - 1) + 1;
  if (lineStart <= obj.base + (obj.node.range?.[0] ?? 0)) return false;
  return /^[ \t]*("(?:[^"\\\r\n]|\\.)*"[ \t]*:[ \t]*)?$/.test(text.slice(lineStart, off));
}

function sameKind(value: unknown, node: Node | null | undefined): node is YAMLSeq | YAMLMap {
  return Array.isArray(value) ? isSeq(node) : isPlainObject(value) && isMap(node);
}

/** What stands for the part `sel` of a value laid out like `model`: its entry `sel`, or its last item. */
function childModel(model: Node | null | undefined, sel: string | number): Node | undefined {
  if (isMap(model)) {
    const p = model.items.find((it) => isPair(it) && keyOf(it) === sel) as Pair | undefined;
    return (p?.value as Node | null) ?? undefined;
  }
  if (isSeq(model)) return (model.items[model.items.length - 1] as Node | null) ?? undefined;
  return undefined;
}

/** The last non-empty value of `coll` of the same kind as `value`. */
function siblingModel(coll: YAMLSeq | YAMLMap, value: unknown): Node | undefined {
  for (let i = coll.items.length - 1; i >= 0; i--) {
    const it = coll.items[i] as Node | Pair;
    const v = (isPair(it) ? it.value : it) as Node | null;
    if (sameKind(value, v) && v.items.length) return v;
  }
  return undefined;
}

/** A non-empty value of the same kind as `value` beside the entry at `path` (in its map), to lay `value` out like. */
function besideModel(obj: ManifestObject, path: FieldPath, value: unknown): Node | undefined {
  const parent = find(obj, path.slice(0, -1)).node;
  return isMap(parent) ? siblingModel(parent, value) : undefined;
}

/** Whether a new collection `value` inside a collection laid out one item per line (`inMulti`) is laid out so too. */
function multiLine(text: string, obj: ManifestObject, value: unknown, model: Node | null | undefined, inMulti: boolean): boolean {
  if (!inMulti) return false;
  if (sameKind(value, model) && model.items.length) return laidOut(text, obj, model) ?? true;
  return true;
}

/** Inner spaces of a one-line collection: those of `model` when it is one, else the file's (objects only). */
function padded(text: string, obj: ManifestObject, value: unknown, model: Node | null | undefined, lay: JsonLayout): boolean {
  if (sameKind(value, model) && model.items.length && model.range && laidOut(text, obj, model) === false) {
    return text[obj.base + model.range[0] + 1] === ' ';
  }
  return !Array.isArray(value) && lay.padding;
}

/** `value` as JSON on a line indented by `indent`, laid out one item per line when `multi`, its parts after `model`. */
function jsonText(text: string, obj: ManifestObject, value: unknown, indent: string, multi: boolean, model: Node | null | undefined, lay: JsonLayout): string {
  const isArr = Array.isArray(value);
  if (!isArr && !isPlainObject(value)) return JSON.stringify(value ?? null) ?? 'null';
  const entries: Array<[string | undefined, unknown]> = isArr ? (value as unknown[]).map((v) => [undefined, v]) : Object.entries(value as Record<string, unknown>);
  const [open, close] = isArr ? ['[', ']'] : ['{', '}'];
  if (!entries.length) return open + close;
  const inner = multi ? indent + lay.unit : indent;
  const parts = entries.map(([k, v], i) => jsonEntry(text, obj, k, v, inner, multi, childModel(model, k ?? i), lay));
  if (multi) return open + lay.eol + parts.map((p) => inner + p).join(',' + lay.eol) + lay.eol + indent + close;
  const pad = padded(text, obj, value, model, lay) ? ' ' : '';
  return open + pad + parts.join(lay.comma) + pad + close;
}

/** An array item (`key` undefined) or an object entry `"key": value`, in a collection laid out one per line when `inMulti`. */
function jsonEntry(text: string, obj: ManifestObject, key: string | undefined, value: unknown, indent: string, inMulti: boolean, model: Node | undefined, lay: JsonLayout): string {
  const v = jsonText(text, obj, value, indent, multiLine(text, obj, value, model, inMulti), model, lay);
  return key === undefined ? v : JSON.stringify(key) + lay.colon + v;
}

/**
 * Adds items (`[undefined, value]`) to a JSON array or entries (`[key, value]`) to a JSON object.
 * After the last item: on lines of their own at its indentation when the items are one per line,
 * else on its line. An empty collection is opened onto lines of its own when it stands on its own
 * line, its new items laid out like those of `model`, a value of the same kind beside it.
 */
function appendJson(text: string, obj: ManifestObject, coll: YAMLSeq | YAMLMap, entries: Array<[string | undefined, unknown]>, model?: Node): TextEdit[] {
  if (!coll.range) return [];
  const lay = jsonLayout(text, obj);
  const open = obj.base + coll.range[0];
  let close = obj.base + coll.range[1] - 1;
  while (close > open && text[close] !== ']' && text[close] !== '}') close--;
  const last = coll.items[coll.items.length - 1] as Node | Pair | undefined;
  if (!last) {
    const multi = ownLine(text, obj, open);
    const inner = multi ? lineIndent(text, open) + lay.unit : '';
    const parts = entries.map(([k, v], i) => jsonEntry(text, obj, k, v, inner, multi, childModel(model, k ?? i), lay));
    if (multi) return [{ span: { start: open + 1, end: close }, newText: lay.eol + parts.map((p) => inner + p).join(',' + lay.eol) + lay.eol + lineIndent(text, open) }];
    const pad = padded(text, obj, isMap(coll) ? {} : [], model, lay) ? ' ' : '';
    return [{ span: { start: open + 1, end: close }, newText: pad + parts.join(lay.comma) + pad }];
  }
  const lastRange = isPair(last) ? (last.key as Node | null)?.range : last.range;
  if (!lastRange) return [];
  const lastStart = lastRange[0];
  const lastEnd = isPair(last) ? ((last.value as Node | null)?.range?.[1] ?? lastRange[1]) : lastRange[1];
  let at = obj.base + lastEnd;
  // A trailing comma (YAML flow allows one): insert after it, and end with one.
  const after = /^\s*,/.exec(text.slice(at, close));
  if (after) at += after[0].length;
  // A new item is laid out like the last one; a new entry's value like the last value of its kind.
  const modelOf = (v: unknown) => (isSeq(coll) ? (last as Node) : siblingModel(coll, v));
  if (laidOut(text, obj, coll)) {
    const indent = lineIndent(text, obj.base + lastStart);
    const body = entries.map(([k, v]) => lay.eol + indent + jsonEntry(text, obj, k, v, indent, true, modelOf(v), lay)).join(',');
    return [{ span: { start: at, end: at }, newText: (after ? '' : ',') + body + (after ? ',' : '') }];
  }
  const body = entries.map(([k, v]) => jsonEntry(text, obj, k, v, '', false, modelOf(v), lay)).join(lay.comma);
  return [{ span: { start: at, end: at }, newText: (after ? ' ' : lay.comma) + body + (after ? ',' : '') }];
}

/** Replaces the JSON value of `pair` (`null`, or a collection to overwrite) with `value`, laid out like `model`. */
function replaceJsonValue(text: string, obj: ManifestObject, pair: Pair, value: unknown, model: Node | undefined): TextEdit[] {
  const cur = pair.value as Node | null;
  if (!cur?.range) return [];
  const start = obj.base + cur.range[0];
  const multi = ownLine(text, obj, start);
  const lay = jsonLayout(text, obj);
  return [{ span: { start, end: obj.base + cur.range[1] }, newText: jsonText(text, obj, value, lineIndent(text, start), multiLine(text, obj, value, model, multi), model, lay) }];
}

/**
 * Removes item `idx` of a flow collection with the comma after it (before it, for the last item), so
 * that what stays keeps its layout; the only item leaves `[]` or `{}`.
 */
function removeFlowItem(text: string, obj: ManifestObject, coll: YAMLSeq | YAMLMap, idx: number): TextEdit[] {
  const bounds = (it: unknown): [number, number] | undefined => {
    if (isPair(it)) {
      const k = (it.key as Node | null)?.range;
      const v = (it.value as Node | null)?.range;
      return k ? [obj.base + k[0], obj.base + (v ?? k)[1]] : undefined;
    }
    const r = (it as Node | null)?.range;
    return r ? [obj.base + r[0], obj.base + r[1]] : undefined;
  };
  const own = bounds(coll.items[idx]);
  if (!own || !coll.range) return [];
  if (coll.items.length === 1) {
    const open = obj.base + coll.range[0];
    let close = obj.base + coll.range[1] - 1;
    while (close > open && text[close] !== ']' && text[close] !== '}') close--;
    // Only whitespace and a trailing comma may go with the item (never a comment).
    if (!/^\s*$/.test(text.slice(open + 1, own[0])) || !/^\s*,?\s*$/.test(text.slice(own[1], close))) return [{ span: { start: own[0], end: own[1] }, newText: '' }];
    return [{ span: { start: open + 1, end: close }, newText: '' }];
  }
  if (idx + 1 < coll.items.length) {
    const next = bounds(coll.items[idx + 1]);
    const m = /^\s*,\s*/.exec(text.slice(own[1]));
    if (next && m && own[1] + m[0].length === next[0]) return [{ span: { start: own[0], end: next[0] }, newText: '' }];
    return m ? [{ span: { start: own[0], end: own[1] + m[0].length }, newText: '' }] : [];
  }
  const prev = bounds(coll.items[idx - 1]);
  const before = prev ? /^\s*,\s*$/.exec(text.slice(prev[1], own[0])) : null;
  if (prev && before) return [{ span: { start: prev[1], end: own[1] }, newText: '' }];
  // A comment after the comma (YAML): the comma stays, a trailing one, which flow style allows.
  return [{ span: { start: own[0], end: own[1] }, newText: '' }];
}

/** Gives a value to a key written without one (`tolerations:` or `tolerations: ~`). */
function fillEmptyValue(text: string, obj: ManifestObject, pair: Pair, value: unknown, style: TextStyle, at: FieldPath): TextEdit[] {
  if (style.json) return replaceJsonValue(text, obj, pair, value, besideModel(obj, at, value));
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
    return [{ span: { start: obj.base + cur.range[0], end: obj.base + cur.range[1] }, newText: scalarText(value, cur, detectStyle(text, obj).json) }];
  }
  const key = pair.key as Node;
  if (!key?.range) return [];
  const colon = text.indexOf(':', obj.base + key.range[1]);
  if (colon < 0) return [];
  return [{ span: { start: colon + 1, end: colon + 1 }, newText: ' ' + scalarText(value) }];
}

function replaceValueAt(text: string, obj: ManifestObject, pair: Pair, value: unknown, style: TextStyle, at: FieldPath): TextEdit[] {
  const cur = pair.value as Node | null;
  if (!cur?.range) return fillEmptyValue(text, obj, pair, value, style, at);
  const key = pair.key as Node;
  const colon = text.indexOf(':', obj.base + key.range![1]);
  if (style.json) return replaceJsonValue(text, obj, pair, value, isMap(cur) || isSeq(cur) ? cur : besideModel(obj, at, value));
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
