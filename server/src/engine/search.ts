/**
 * The first index `i` of sorted `values` with `values[i] >= key` (`values.length` if none): the
 * binary search behind "which token holds this offset" (nodeAt.ts) and "which hover is on this line"
 * (hoverTable.ts). Both keep their positions in an Int32Array, so this stays monomorphic.
 */
export function firstAtLeast(values: Int32Array, key: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
