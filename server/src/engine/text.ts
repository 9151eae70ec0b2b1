/** Three rows of the distance matrix, reused across calls (grown as needed): no allocation per call. */
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(32), new Int32Array(32), new Int32Array(32)];

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (rows[0].length < n + 1) {
    const size = Math.max(n + 1, rows[0].length * 2);
    rows = [new Int32Array(size), new Int32Array(size), new Int32Array(size)];
  }
  // Row i of the matrix needs rows i-1 and i-2 only.
  let [prev2, prev, cur] = rows;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/** The length of `s` in UTF-8, as TextEncoder counts it (a lone surrogate becomes U+FFFD), without encoding it. */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: 4 bytes for 2 code units
      i++;
    } else n += 2;
  }
  return n;
}

/**
 * validatePathNoBacksteps' test: whether a `/`-separated path has a `..` element (`..`, `../a`,
 * `a/../b`, `a/..`), as `strings.Split(path, "/")` finds it, without splitting the path.
 */
export function hasBackstep(path: string): boolean {
  for (let i = path.indexOf('..'); i >= 0; i = path.indexOf('..', i + 1)) {
    if ((i === 0 || path.charCodeAt(i - 1) === 47) && (i + 2 === path.length || path.charCodeAt(i + 2) === 47)) return true;
  }
  return false;
}

/** pkg/apis/core/validation validateLocalDescendingPath's errors: a relative path with no `..` element. */
export function localDescendingPathErrors(path: string): string[] {
  const errs: string[] = [];
  if (path.startsWith('/')) errs.push('must be a relative path');
  if (hasBackstep(path)) errs.push("must not contain '..'");
  return errs;
}

/** "1 node", "3 nodes": a count and its noun (regular plurals only). */
export function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * The valid value closest to `value`: a case-insensitive match first, then the smallest edit
 * distance if it is small enough to be a typo (at most half the candidate's length, at least 2).
 * `maxDistance` replaces that limit with one per candidate, which a candidate must meet to count.
 */
export function closestValue(value: string, candidates: readonly string[], maxDistance?: (candidate: string) => number): string | undefined {
  const lower = value.trim().toLowerCase();
  const exact = candidates.find((c) => c.toLowerCase() === lower);
  if (exact) return exact;
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDist && (!maxDistance || d <= maxDistance(c))) {
      best = c;
      bestDist = d;
    }
  }
  if (best === undefined || lower.length === 0) return undefined;
  return maxDistance || bestDist <= Math.max(2, Math.floor(best.length / 2)) ? best : undefined;
}
