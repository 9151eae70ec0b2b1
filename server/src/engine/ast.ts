import type { Node, Pair } from 'yaml';
import { isAlias, isMap, isPair, isScalar, isSeq } from './yamlNodes';
import { effectivePair, mayHaveMergeKeys } from './mergeKeys';
import type { ManifestObject } from './model';
import type { FieldPath, Span } from './types';

/** Where a field path leads inside an object's YAML: the value node and, for map entries, its pair. */
export interface Located {
  /** The value node; undefined when the key exists with an empty value. */
  node?: Node;
  /** The map entry holding the value (undefined for sequence items and the object itself). */
  pair?: Pair;
  /** How many segments of the path were found; equals path.length when all were. */
  depth: number;
}

/** Follows `path` (relative to the object) as far as it exists. */
export function locate(obj: ManifestObject, path: FieldPath): Located {
  return walk(obj, path);
}

/**
 * `locate`, also recording where each prefix of the path leads: `nodes[k]` and `pairs[k]` are what
 * `locate(obj, path.slice(0, k))` finds, for k from 1 to the depth reached.
 */
function walk(obj: ManifestObject, path: FieldPath, nodes?: Array<Node | undefined>, pairs?: Array<Pair | undefined>): Located {
  let node: Node | undefined = obj.node;
  let pair: Pair | undefined;
  let depth = 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (typeof seg === 'number') {
      if (!isSeq(node) || seg < 0 || seg >= node.items.length) break;
      node = node.items[seg] as Node | undefined;
      pair = undefined;
    } else {
      if (!isMap(node)) break;
      const p = mayHaveMergeKeys(obj.doc) ? effectivePair(node, seg, obj.doc) : pairOf(node.items, seg);
      if (!p) break;
      pair = p;
      node = (p.value ?? undefined) as Node | undefined;
    }
    depth++;
    if (nodes && pairs) {
      nodes[depth] = node;
      pairs[depth] = pair;
    }
    if (node === undefined && depth < path.length) break;
  }
  return { node, pair, depth };
}

/**
 * The node whose value the decoder reads at `path`: `locate`, also through aliases (`*mode`), which
 * stand for the anchored node and are read from its text. Undefined when the path does not exist.
 */
export function resolvedNodeAt(obj: ManifestObject, path: FieldPath): Node | undefined {
  const resolve = (n: Node | undefined): Node | undefined => (isAlias(n) ? (n.resolve(obj.doc) as Node | undefined) : n);
  let node: Node | undefined = obj.node;
  for (const seg of path) {
    node = resolve(node);
    if (typeof seg === 'number') {
      if (!isSeq(node) || seg < 0 || seg >= node.items.length) return undefined;
      node = node.items[seg] as Node | undefined;
    } else {
      if (!isMap(node)) return undefined;
      const p = mayHaveMergeKeys(obj.doc) ? effectivePair(node, seg, obj.doc) : pairOf(node.items, seg);
      if (!p) return undefined;
      node = (p.value ?? undefined) as Node | undefined;
    }
  }
  return resolve(node);
}

/** The first entry whose key reads as `key`. */
function pairOf(items: readonly unknown[], key: string): Pair | undefined {
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (isPair(it) && keyText(it.key) === key) return it as Pair;
  }
  return undefined;
}

function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const v = key.value;
  return typeof v === 'string' ? v : v === null ? '' : String(v);
}

function shift(span: Span | undefined, base: number): Span | undefined {
  return span ? { start: span.start + base, end: span.end + base } : undefined;
}

function rangeOf(node: unknown): Span | undefined {
  const r = (node as Node | undefined)?.range;
  return r ? { start: r[0], end: Math.max(r[1], r[0]) } : undefined;
}

/** Absolute span of the key of `path` (its map key, or the item for sequence indices), if it exists. */
export function keySpan(obj: ManifestObject, path: FieldPath): Span | undefined {
  const loc = locate(obj, path);
  if (loc.depth !== path.length) return undefined;
  if (path.length === 0) return objectAnchor(obj);
  if (typeof path[path.length - 1] === 'number') return shift(rangeOf(loc.node), obj.base);
  return shift(rangeOf(loc.pair?.key), obj.base);
}

/** Absolute span of the value at `path`; falls back to the key when the value is empty. */
export function valueSpan(obj: ManifestObject, path: FieldPath): Span | undefined {
  const loc = locate(obj, path);
  if (loc.depth !== path.length) return undefined;
  return shift(rangeOf(loc.node), obj.base) ?? keySpan(obj, path);
}

/**
 * The best place to report a problem about `path`: its key when it exists, else the key of the
 * deepest ancestor that exists, else the object's `kind`/first key. Always defined.
 */
export function reportSpan(obj: ManifestObject, path: FieldPath, on: 'key' | 'value' = 'key'): Span {
  if (path.length > 0) {
    // One walk instead of one per prefix: what keySpan/valueSpan of each prefix would find.
    const nodes: Array<Node | undefined> = [];
    const pairs: Array<Pair | undefined> = [];
    const { depth } = walk(obj, path, nodes, pairs);
    for (let n = depth; n > 0; n--) {
      const key = typeof path[n - 1] === 'number' ? rangeOf(nodes[n]) : rangeOf(pairs[n]?.key);
      const s = n === path.length && on === 'value' ? (rangeOf(nodes[n]) ?? key) : key;
      if (s) return shift(s, obj.base)!;
    }
  }
  return objectAnchor(obj);
}

/** The span that stands for the whole object: its `kind` key, else its first key, else its start. */
export function objectAnchor(obj: ManifestObject): Span {
  const kindPair = obj.node.items.find((it) => keyText(it.key) === 'kind');
  const anchor = kindPair?.key ?? obj.node.items[0]?.key;
  const s = shift(rangeOf(anchor), obj.base);
  if (s) return s;
  const r = rangeOf(obj.node) ?? { start: 0, end: 0 };
  return shift({ start: r.start, end: r.start + 1 }, obj.base)!;
}

/** The value at `path` in the object's plain data. */
export function valueAt(obj: ManifestObject, path: FieldPath): unknown {
  let v: unknown = obj.value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}
