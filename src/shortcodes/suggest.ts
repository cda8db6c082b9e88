// "Did you mean …?" for shortcode messages: the nearest candidate, when it is near enough to be
// what was meant (a few typos, scaled to the word's length), compared case-insensitively.
import { closest, editDistance } from '../edit-distance.js';

export function suggestion(word: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  const sameCase = list.find((candidate) => candidate.toLowerCase() === word.toLowerCase());
  if (sameCase) return sameCase;
  const best = closest(word.toLowerCase(), list, (a, b) => editDistanceLower(a, b));
  if (!best) return undefined;
  return best.distance <= Math.max(2, Math.floor(word.length / 3)) ? best.candidate : undefined;
}

function editDistanceLower(a: string, b: string): number {
  return editDistance(a, b.toLowerCase());
}
