// "Did you mean …?" for shortcode messages: the nearest candidate, when it is near enough to be
// what was meant (a few typos, scaled to the word's length), compared case-insensitively.
import { editDistance } from '../edit-distance.js';

/** Names lowered once, for asking about many words against the same long list (every alert of a site). */
export interface Candidates {
  names: readonly string[];
  lower: readonly string[];
  /** Per lowered name, how many of its characters fall in each of 32 buckets (see `distanceFloor`). */
  counts: readonly Uint8Array[];
}

const BUCKETS = 32;

function bucketCounts(text: string): Uint8Array {
  const counts = new Uint8Array(BUCKETS);
  for (let i = 0; i < text.length; i++) {
    const bucket = text.charCodeAt(i) & (BUCKETS - 1);
    if (counts[bucket] < 255) counts[bucket]++;
  }
  return counts;
}

/**
 * A lower bound of the edit distance from the character counts alone: an insertion or deletion
 * changes one bucket's count by one, a substitution two buckets' by one each. 32 subtractions
 * instead of a table of distances, and it rules out most names of a long alert list (the 10×
 * corpus's suggestions: 1.1 → 0.11 s).
 */
function distanceFloor(a: Uint8Array, b: Uint8Array, limit: number): number {
  let difference = 0;
  // Stops once the floor reaches `limit`: most names of a long list are that far after a few buckets.
  const enough = 2 * limit - 1;
  for (let i = 0; i < BUCKETS && difference < enough; i++) difference += Math.abs(a[i] - b[i]);
  return Math.ceil(difference / 2);
}

export function candidatesOf(names: Iterable<string>): Candidates {
  const list = [...names];
  const lower = list.map((name) => name.toLowerCase());
  return { names: list, lower, counts: lower.map(bucketCounts) };
}

export function suggestion(word: string, candidates: Iterable<string> | Candidates): string | undefined {
  const { names, lower, counts } = isCandidates(candidates) ? candidates : candidatesOf(candidates);
  const wordLower = word.toLowerCase();
  const wordCounts = bucketCounts(wordLower);
  const sameCase = lower.indexOf(wordLower);
  if (sameCase !== -1) return names[sameCase];
  const nearEnough = Math.max(2, Math.floor(word.length / 3));
  // Nothing further than `nearEnough` is suggested, and only a strictly nearer candidate replaces
  // the best (the first of equals wins), so no distance is worked out beyond what could still win.
  let best = -1;
  let bestDistance = nearEnough + 1;
  for (let i = 0; i < lower.length; i++) {
    // The length difference is a floor too, and cheaper: it rules out most names before the buckets.
    if (Math.abs(lower[i].length - wordLower.length) >= bestDistance || distanceFloor(wordCounts, counts[i], bestDistance) >= bestDistance) continue;
    const distance = editDistance(wordLower, lower[i], bestDistance - 1);
    if (distance < bestDistance) {
      best = i;
      bestDistance = distance;
    }
  }
  return best === -1 ? undefined : names[best];
}

function isCandidates(value: Iterable<string> | Candidates): value is Candidates {
  return typeof (value as Candidates).lower === 'object' && !(Symbol.iterator in (value as object));
}
