// Levenshtein distance, for "did you mean …?" suggestions in messages.

/** Insertions, deletions and substitutions needed to turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** The candidate nearest to `word` and its distance (the first of equals wins), or undefined when there are none. */
export function closest(word: string, candidates: Iterable<string>, distance: (word: string, candidate: string) => number = editDistance): { candidate: string; distance: number } | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const d = distance(word, candidate);
    if (!best || d < best.distance) best = { candidate, distance: d };
  }
  return best;
}
