// "Did you mean …?" for shortcode messages: the nearest candidate, when it is near enough to be
// what was meant (a few typos, scaled to the word's length), compared case-insensitively.
import { editDistance } from '../edit-distance.js';

/** Names lowered once, for asking about many words against the same long list (every alert of a site). */
export interface Candidates {
  names: readonly string[];
  lower: readonly string[];
}

export function candidatesOf(names: Iterable<string>): Candidates {
  const list = [...names];
  return { names: list, lower: list.map((name) => name.toLowerCase()) };
}

export function suggestion(word: string, candidates: Iterable<string> | Candidates): string | undefined {
  const { names, lower } = isCandidates(candidates) ? candidates : candidatesOf(candidates);
  const wordLower = word.toLowerCase();
  const sameCase = lower.indexOf(wordLower);
  if (sameCase !== -1) return names[sameCase];
  const nearEnough = Math.max(2, Math.floor(word.length / 3));
  // Nothing further than `nearEnough` is suggested, and only a strictly nearer candidate replaces
  // the best (the first of equals wins), so no distance is worked out beyond what could still win.
  let best = -1;
  let bestDistance = nearEnough + 1;
  for (let i = 0; i < lower.length; i++) {
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
