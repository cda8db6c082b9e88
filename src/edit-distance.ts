// Levenshtein distance, for "did you mean …?" suggestions in messages.

/**
 * Insertions, deletions and substitutions needed to turn `a` into `b`. With `limit`, gives up as
 * soon as the distance must exceed it and returns `limit + 1`: a suggestion among thousands of
 * alert names only needs to know whether a candidate beats the best so far.
 */
// One row reused by every call (grown when needed): suggestions compare a word with thousands of names.
let row = new Uint32Array(64);

export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (row.length < b.length + 1) row = new Uint32Array(2 * (b.length + 1));
  const previous = row;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (previous[j] < rowMinimum) rowMinimum = previous[j];
      diagonal = above;
    }
    // Every later row is at least this row's minimum: the distance can no longer come under it.
    if (rowMinimum > limit) return limit + 1;
  }
  return Math.min(previous[b.length], limit + 1);
}

/**
 * The candidate nearest to `word` and its distance (the first of equals wins), or undefined when
 * there are none. `distance` receives the best distance so far as its limit, and may return any
 * value above the limit for a candidate that cannot beat it.
 */
export function closest(
  word: string,
  candidates: Iterable<string>,
  distance: (word: string, candidate: string, limit: number) => number = editDistance,
): { candidate: string; distance: number } | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    // Only a strictly nearer candidate replaces the best, so the limit is one below it.
    const d = distance(word, candidate, best ? best.distance - 1 : Infinity);
    if (!best || d < best.distance) best = { candidate, distance: d };
  }
  return best;
}
