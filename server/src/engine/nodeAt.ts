/**
 * The object, field path and key or value under an offset: what hover asks first.
 *
 * The syntax tree answers it by walking down from the object (`walk`): a type check and two range
 * checks per pair, through yaml's node classes. On a 1,000-DaemonSet file that walk was about half
 * of a hover's own time inside the server (20-45 µs of some 60), because between two hovers the
 * code is often no longer optimised and the nodes are no longer in the CPU's caches. So once a
 * file's diagnostics are out, the language server lists each object's keys and scalar values in
 * file order in typed arrays (`indexObject`, about 0.1 ms per DaemonSet, in slices while it is
 * idle), and a hover in a listed object is one binary search over some hundred integers (about
 * 17 µs in the same conditions). Objects not listed yet, and documents with syntax errors, are
 * walked. An index also keeps, per token, what hover answers there (engine/hover.ts
 * `prepareHovers`): `indexedTokenAt` finds the token without building its hit.
 */
import type { Node, Pair, Scalar, YAMLMap } from 'yaml';
import { isMap, isPair, isScalar, isSeq } from './yamlNodes';
import { isMergeKey } from './mergeKeys';
import { rangeStart, rangeValueEnd } from './fastYaml';
import { isPlainObject, type DocumentModel, type ManifestObject } from './model';
import type { Span } from './types';
import { firstAtLeast } from './search';

/** Where an offset falls inside an object of the file. */
export interface NodeHit {
  obj: ManifestObject;
  /** Path relative to the object, down to the hovered key or value. */
  path: Array<string | number>;
  on: 'key' | 'value';
  /** The hovered scalar text (key name or value), when it is a scalar. */
  text?: string;
  span: Span;
}

/** Deeper collections are not looked into (as the validation rules' own walks). */
const MAX_DEPTH = 64;

/** The object, field path and key/value under `offset`, or undefined outside any object. */
export function nodeAt(model: DocumentModel, offset: number): NodeHit | undefined {
  for (const obj of objectsAround(model.objects, offset)) {
    const hit = objectHit(obj, offset);
    if (hit) return hit;
  }
  for (const obj of brokenObjects(model, offset)) {
    const hit = walk(obj, obj.node, [], offset - obj.base, 0);
    if (hit) return hit;
  }
  return undefined;
}

/** The key or scalar value of `obj` under `offset`: from the object's token index once it has one. */
function objectHit(obj: ManifestObject, offset: number): NodeHit | undefined {
  const ix = indexes.get(obj.node);
  const off = offset - obj.base;
  if (!ix) return walk(obj, obj.node, [], off, 0);
  const at = tokenIn(ix, off);
  return at < 0 ? undefined : tokenHit(obj, ix, at);
}

/** The position in `ix` of the token holding `off` (relative to the chunk), or -1. */
function tokenIn(ix: TokenIndex, off: number): number {
  const { starts, ends } = ix;
  // The first token that ends at or after `off`: tokens are in file order and do not overlap.
  const at = firstAtLeast(ends, off);
  return at === ends.length || starts[at] > off ? -1 : at;
}

/** What `nodeAt` answers for the token at position `at` of the object's index. */
export function tokenHit(obj: ManifestObject, ix: TokenIndex, at: number): NodeHit {
  const node = ix.nodes[at];
  return {
    obj,
    path: ix.paths.pathOf(ix.pathIds[at]),
    on: ix.onKey[at] === 1 ? 'key' : 'value',
    text: scalarText(node),
    span: tokenSpan(obj, ix, at),
  };
}

/** Segment `i` of the path of the token at position `at` of the object's index (`tokenHit(…).path[i]`). */
export function tokenSegment(ix: TokenIndex, at: number, i: number): string | number | undefined {
  return ix.paths.segment(ix.pathIds[at], i);
}

/** The span of the token at position `at` of the object's index (`spanOf` its node). */
export function tokenSpan(obj: ManifestObject, ix: TokenIndex, at: number): Span {
  return { start: obj.base + ix.starts[at], end: obj.base + ix.ends[at] };
}

/**
 * The indexed token under `offset`: the object, its index and the token's position in it, as
 * `nodeAt` would find it. Undefined when nothing is under `offset` or an object that may hold it
 * has no index yet (`nodeAt` answers then).
 */
export function indexedTokenAt(model: DocumentModel, offset: number): { obj: ManifestObject; ix: TokenIndex; at: number } | undefined {
  for (const obj of objectsAround(model.objects, offset)) {
    const ix = indexes.get(obj.node);
    if (!ix) return undefined;
    const at = tokenIn(ix, offset - obj.base);
    if (at >= 0) return { obj, ix, at };
  }
  return undefined;
}

/** The index of an object, once `indexObject` has built one (null: the object cannot have one). */
export function tokenIndexOf(obj: ManifestObject): TokenIndex | null | undefined {
  return indexes.get(obj.node);
}

/**
 * An object's keys and scalar values in file order: start and end offsets (relative to the chunk,
 * the end inclusive as a cursor just after a word still hovers it), the node, whether it is a key,
 * and the field path as an id into `paths`.
 */
export interface TokenIndex {
  starts: Int32Array;
  ends: Int32Array;
  nodes: Node[];
  onKey: Uint8Array;
  pathIds: Int32Array;
  paths: PathTable;
  /** What hover answers at each token, for one hover context (kept by engine/hover.ts). */
  answers: PreparedAnswers | undefined;
}

/** Answers per token of an index, and what they were computed for. */
export interface PreparedAnswers {
  /** What the answers depend on besides the object itself, compared by identity. */
  readonly inputs: readonly unknown[];
  readonly texts: Array<string | undefined>;
  /** The answers before this token are computed (all of them when it is `texts.length`). */
  next: number;
}

/** Field paths as a tree: each entry is its parent's path plus one key or index. */
class PathTable {
  private readonly parents: number[] = [];
  private readonly segments: Array<string | number> = [];
  private readonly lengths: number[] = [];

  add(parent: number, segment: string | number): number {
    this.parents.push(parent);
    this.segments.push(segment);
    this.lengths.push(parent < 0 ? 1 : this.lengths[parent] + 1);
    return this.parents.length - 1;
  }

  /** Segment `i` of the path `id`, or undefined past its end (`pathOf(id)[i]`, without building it). */
  segment(id: number, i: number): string | number | undefined {
    let at = id;
    for (let up = this.lengths[id] - 1 - i; up > 0 && at >= 0; up--) at = this.parents[at];
    return i < this.lengths[id] && i >= 0 ? this.segments[at] : undefined;
  }

  pathOf(id: number): Array<string | number> {
    const out: Array<string | number> = [];
    for (let i = id; i >= 0; i = this.parents[i]) out.push(this.segments[i]);
    return out.reverse();
  }
}

/** One path table that lives as long as the process, so that closing a large file keeps the class (see fastYaml.ts `keptParser`). */
let keptPaths: PathTable | undefined;

/**
 * Indexes by object node: chunks (and their nodes, with chunk-relative ranges) are shared by the
 * models of successive versions, so an edit elsewhere in the file keeps them. `null` records an
 * object whose tokens are not in file order (only odd YAML, such as complex keys): `walk` serves it.
 */
const indexes = new WeakMap<YAMLMap, TokenIndex | null>();

/** Lists the object's keys and values for `nodeAt`, once per syntax tree; false if it already was. */
export function indexObject(obj: ManifestObject): boolean {
  if (indexes.has(obj.node)) return false;
  indexes.set(obj.node, buildIndex(obj.node));
  return true;
}

/** Lists the tokens `walk` can return, in the order it meets them. */
function buildIndex(root: YAMLMap): TokenIndex | null {
  keptPaths ??= new PathTable();
  const starts: number[] = [];
  const ends: number[] = [];
  const nodes: Node[] = [];
  const onKey: number[] = [];
  const pathIds: number[] = [];
  const paths = new PathTable();
  let ordered = true;
  const token = (n: Node, key: boolean, pathId: number) => {
    const start = rangeStart(n);
    const end = rangeValueEnd(n);
    if (start === undefined || end === undefined) return;
    if (end < start || (ends.length && start < ends[ends.length - 1])) ordered = false;
    starts.push(start);
    ends.push(end);
    nodes.push(n);
    onKey.push(key ? 1 : 0);
    pathIds.push(pathId);
  };
  const visit = (node: Node, parent: number, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    eachChild(node, (segment, key, value) => {
      const id = paths.add(parent, segment);
      if (key) token(key, true, id);
      if (!value) return;
      if (isScalar(value)) token(value, false, id);
      else if (rangeStart(value) !== undefined) visit(value, id, depth + 1);
    });
  };
  visit(root, -1, 0);
  if (!ordered) return null;
  return { starts: new Int32Array(starts), ends: new Int32Array(ends), nodes, onKey: new Uint8Array(onKey), pathIds: new Int32Array(pathIds), paths, answers: undefined };
}

/**
 * The objects whose range may hold `offset`, in file order: objects follow each other without
 * overlapping, so a binary search on their ends finds them without a scan of a 1,000-object file.
 * The search reads one flat array of the objects' start and end offsets (built once per model): a
 * few kilobytes side by side, rather than some thirty objects spread over the model's megabytes,
 * which a hover on a 1,000-DaemonSet file would find cold in the CPU's caches.
 */
function objectsAround(objects: readonly ManifestObject[], offset: number): readonly ManifestObject[] {
  const b = boundsOf(objects);
  let lo = 0;
  let hi = objects.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (b[2 * mid + 1] < offset) lo = mid + 1;
    else hi = mid;
  }
  let to = lo;
  while (to < objects.length && b[2 * to] <= offset) to++;
  return objects.slice(lo, to);
}

const objectBounds = new WeakMap<readonly ManifestObject[], Float64Array>();

/** Start and end offsets of each object's mapping, in pairs (without a range: from 0 to the end). */
function boundsOf(objects: readonly ManifestObject[]): Float64Array {
  const known = objectBounds.get(objects);
  if (known && known.length === 2 * objects.length) return known;
  const b = new Float64Array(2 * objects.length);
  objects.forEach((o, i) => {
    const r = o.node.range;
    b[2 * i] = o.base + (r?.[0] ?? 0);
    b[2 * i + 1] = o.base + (r?.[2] ?? Infinity);
  });
  objectBounds.set(objects, b);
  return b;
}

/**
 * Documents with syntax errors are not in `model.objects`, but their syntax tree is usable: while a
 * line is being typed, hover still explains the rest of the document (read leniently).
 */
function brokenObjects(model: DocumentModel, offset: number): ManifestObject[] {
  const out: ManifestObject[] = [];
  // Chunks are in file order: only the one holding `offset` and the one ending there can contain it.
  let lo = 0;
  let hi = model.chunks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (model.chunks[mid].base <= offset) lo = mid + 1;
    else hi = mid;
  }
  for (const { base, chunk } of model.chunks.slice(Math.max(0, lo - 2), lo)) {
    if (offset < base || offset > base + chunk.text.length) continue;
    chunk.docs.forEach((doc, i) => {
      const root = doc.contents;
      if (chunk.values[i] !== undefined || !isMap(root)) return;
      let value: unknown;
      try {
        value = root.toJSON();
      } catch {
        return;
      }
      if (!isPlainObject(value)) return;
      const kind = typeof value.kind === 'string' ? value.kind : undefined;
      out.push({ docIndex: -1, base, doc, node: root, docPath: [], value, kind, partial: true, index: -1 });
    });
  }
  return out;
}

function contains(node: unknown, off: number): boolean {
  const r = (node as Node | null | undefined)?.range;
  return !!r && off >= r[0] && off <= r[1];
}

function scalarText(n: unknown): string | undefined {
  if (!isScalar(n)) return undefined;
  return n.value === null || n.value === undefined ? '' : String(n.value);
}

function spanOf(obj: ManifestObject, n: Node): Span {
  const r = n.range!;
  return { start: obj.base + r[0], end: obj.base + Math.max(r[1], r[0]) };
}

/**
 * The tree walk down to the key or value holding `off` (relative to the chunk). The token index
 * answers what this answers; the tests hold both to the same answers at every offset.
 */
function walk(obj: ManifestObject, node: Node, path: Array<string | number>, off: number, depth: number): NodeHit | undefined {
  if (depth > MAX_DEPTH) return undefined;
  let hit: NodeHit | undefined;
  eachChild(node, (segment, key, value) => {
    if (key && contains(key, off)) {
      hit = { obj, path: [...path, segment], on: 'key', text: String(segment), span: spanOf(obj, key) };
      return true;
    }
    if (!value || !contains(value, off)) return false;
    if (isScalar(value)) {
      hit = { obj, path: [...path, segment], on: 'value', text: scalarText(value), span: spanOf(obj, value) };
      return true;
    }
    hit = walk(obj, value, [...path, segment], off, depth + 1);
    // A pair's value that holds `off` but nothing under it lets the next pairs be tried; an item does not.
    return hit !== undefined || key === undefined;
  });
  return hit;
}

/**
 * The children `nodeAt` can land on, in file order, for both roads to it (`walk` and the index):
 * each pair of a map whose key is a scalar (segment: the key's text) and each item of a sequence
 * (segment: its index, no key). `fn` returns true to stop.
 */
function eachChild(node: Node, fn: (segment: string | number, key: Scalar | undefined, value: Node | null) => boolean | void): boolean {
  if (isMap(node)) {
    for (const it of node.items) {
      if (!isPair(it)) continue;
      const p = it as Pair<Node, Node | null>;
      if (isMergeKey(p.key)) {
        // `<<: {…}` / `<<: [{…}, …]`: the merged keys belong to this map (engine/mergeKeys.ts), so
        // their paths do not go through `<<`; `<<` itself and aliases lead nowhere.
        const v = p.value;
        const maps = isMap(v) ? [v] : isSeq(v) ? v.items.filter((m) => isMap(m)) : [];
        for (const m of maps) if (eachChild(m as Node, fn)) return true;
        continue;
      }
      const key = scalarText(p.key);
      if (key !== undefined && fn(key, p.key as Scalar, p.value)) return true;
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) if (fn(i, undefined, node.items[i] as Node | null)) return true;
  }
  return false;
}
