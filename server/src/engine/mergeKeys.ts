import { Scalar, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { isAlias, isMap, isPair, isScalar, isSeq } from './yamlNodes';

/**
 * YAML 1.1 merge keys (`<<: *defaults`, `<<: [*a, *b]`), as kubectl and the API server read them.
 *
 * Manifests reach the API server through sigs.k8s.io/yaml, which decodes with go-yaml v2
 * (`yaml.Unmarshal`, then JSON). go-yaml v2 `decoder.mapping` applies the keys of a mapping in
 * document order, and a merge key (`isMerge`: a plain `<<`) writes the merged mapping's entries
 * into the map where it stands, over what is already there (`decoder.merge`); a sequence of
 * mappings is merged from its last item to its first ("Step backwards as earlier nodes take
 * precedence"). So a key written after `<<` overrides the merged one (the usual style), the first
 * mapping of a merge list wins over the later ones, and, unlike the YAML 1.1 merge spec the `yaml`
 * package follows, a key written *before* `<<` is overwritten by a merged key of the same name.
 * A merge source that is not a mapping fails the whole document
 * ("map merge requires map or sequence of maps as the value").
 */

/** What go-yaml v2 says when a merge source is not a mapping. */
export const MERGE_SOURCE_MESSAGE = 'map merge requires map or sequence of maps as the value';

/** Whether a map key is a merge key: a plain `<<` (go-yaml `isMerge`; a quoted "<<" is a plain key). */
export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && key.value === '<<' && (key.type === undefined || key.type === Scalar.PLAIN);
}

interface ToJSContext {
  doc: Document;
}

/** `yaml`'s merge tag, with go-yaml v2's order of precedence (see above). */
export const goYamlMergeTag = {
  identify: (value: unknown) => value === '<<',
  default: 'key' as const,
  tag: 'tag:yaml.org,2002:merge',
  test: /^<<$/,
  resolve: () => Object.assign(new Scalar('<<'), { addToJSMap: addMergeToJSMap }),
  stringify: () => '<<',
};

function addMergeToJSMap(ctx: ToJSContext | undefined, map: unknown, value: unknown): unknown {
  const source = resolved(ctx, value);
  if (isSeq(source)) {
    for (let i = source.items.length - 1; i >= 0; i--) mergeInto(ctx, map, source.items[i]);
  } else {
    mergeInto(ctx, map, value);
  }
  return map;
}

function mergeInto(ctx: ToJSContext | undefined, map: unknown, value: unknown): void {
  if (!isMap(resolved(ctx, value))) throw new Error(MERGE_SOURCE_MESSAGE);
  // toJSON of the alias itself (not of the map it names) counts the expansion towards
  // maxAliasCount, so merge keys cannot build an alias bomb either.
  const plain = (value as { toJSON(arg: unknown, ctx: unknown): unknown }).toJSON(null, ctx);
  if (plain === null || typeof plain !== 'object') return;
  const entries = plain instanceof Map ? [...plain.entries()] : Object.entries(plain);
  for (const [k, v] of entries) {
    const key = k === null ? '' : String(k);
    if (map instanceof Map) map.set(key, v);
    else Object.defineProperty(map, key, { value: v, writable: true, enumerable: true, configurable: true });
  }
}

function resolved(ctx: ToJSContext | undefined, value: unknown): unknown {
  return isAlias(value) && ctx ? value.resolve(ctx.doc) : value;
}

/** Documents that may hold merge keys (only `yaml` reads those; fastYaml.ts defers them). */
const mergeDocs = new WeakSet<object>();

/** Notes that `doc` may hold merge keys, so that lookups in it look through them. */
export function markMergeKeys(doc: object): void {
  mergeDocs.add(doc);
}

/** Whether `doc` may hold merge keys; lookups in other documents need not look for them. */
export function mayHaveMergeKeys(doc: object | undefined): boolean {
  return doc !== undefined && mergeDocs.has(doc);
}

/**
 * `uniqueKeys` for `yaml`: keys are equal when their scalar values are, except merge keys, which
 * go-yaml lets a mapping repeat (each one merges in turn).
 */
export function uniqueKeys(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return isScalar(a) && isScalar(b) && a.value === b.value && !isMergeKey(a);
}

/**
 * The entry of `map` that gives `key` its value once merge keys are applied as go-yaml applies
 * them: the last writer in document order, looking through `<<` (aliases resolved in `doc`).
 * A merged entry lives in the mapping it was merged from, so its spans point at that text.
 */
export function effectivePair(map: YAMLMap, key: string, doc: Document | undefined, depth = 0): Pair | undefined {
  let found: Pair | undefined;
  for (const it of map.items) {
    if (!isPair(it)) continue;
    if (isMergeKey(it.key)) {
      if (depth > 16) continue;
      const merged = mergedPair(it.value, key, doc, depth);
      if (merged) found = merged;
    } else if (keyText(it.key) === key) {
      found = it as Pair;
    }
  }
  return found;
}

function mergedPair(value: unknown, key: string, doc: Document | undefined, depth: number): Pair | undefined {
  const source = resolveNode(value, doc);
  if (isMap(source)) return effectivePair(source, key, doc, depth + 1);
  if (!isSeq(source)) return undefined;
  // Earlier items take precedence: the first one that has the key.
  for (const item of source.items) {
    const m = resolveNode(item, doc);
    if (isMap(m)) {
      const p = effectivePair(m, key, doc, depth + 1);
      if (p) return p;
    }
  }
  return undefined;
}

function resolveNode(value: unknown, doc: Document | undefined): Node | undefined {
  if (isAlias(value)) return doc ? (value.resolve(doc) as Node | undefined) : undefined;
  return (value ?? undefined) as Node | undefined;
}

function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const v = key.value;
  return typeof v === 'string' ? v : v === null ? '' : String(v);
}
