import type { ManifestObject } from './model';

/**
 * Memos keyed by one manifest object: what the rules of one check share (its container lists, its
 * tolerations, its placement over the cluster…), computed by the first rule that asks.
 *
 * `checkDaemonSet` releases an object's entries once its findings are made. Kept until the file
 * closes instead, they were about a third of what a 1,000-DaemonSet file held beyond its syntax
 * tree (6.6 of 29 MB, the placements the most), and every young-generation collection while the
 * file was checked copied them. Whatever asks later (a hover, the placement preview) computes its
 * entry again and keeps it until the object is checked again.
 */
const memos: Array<WeakMap<ManifestObject, unknown>> = [];

/** A new memo keyed by manifest object, emptied for an object by `releaseObject`. */
export function objectMemo<V>(): WeakMap<ManifestObject, V> {
  const memo = new WeakMap<ManifestObject, V>();
  memos.push(memo as WeakMap<ManifestObject, unknown>);
  return memo;
}

/** Forgets what every object memo holds for `obj`. */
export function releaseObject(obj: ManifestObject): void {
  for (const memo of memos) memo.delete(obj);
}
