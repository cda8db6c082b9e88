// The bounded edit distance behind every "did you mean": the same answers as the plain
// Levenshtein distance, only cheaper when a candidate cannot win.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closest, editDistance } from '../src/edit-distance.js';
import { candidatesOf, suggestion } from '../src/shortcodes/suggest.js';

/** The textbook full matrix, written independently of the code under test. */
function levenshtein(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return rows[a.length][b.length];
}

function randomWords(seed: number, count: number): string[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(next() * 14) }, () => 'abcdeKube'[Math.floor(next() * 9)]).join(''));
}

test('with a limit, the distance is exact up to the limit and limit + 1 beyond it', () => {
  const words = randomWords(7, 120);
  for (const a of words.slice(0, 40)) {
    for (const b of words) {
      const exact = levenshtein(a, b);
      assert.equal(editDistance(a, b), exact, `${a} → ${b}`);
      for (const limit of [0, 1, 2, 3, 5]) assert.equal(editDistance(a, b, limit), Math.min(exact, limit + 1), `${a} → ${b} within ${limit}`);
    }
  }
});

test('closest picks the same candidate as a plain scan (first of equals wins) among thousands of names', () => {
  const candidates = randomWords(11, 3000);
  for (const word of randomWords(13, 60)) {
    let expected: { candidate: string; distance: number } | undefined;
    for (const candidate of candidates) {
      const d = levenshtein(word, candidate);
      if (!expected || d < expected.distance) expected = { candidate, distance: d };
    }
    assert.deepEqual(closest(word, candidates), expected, word);
  }
  assert.equal(closest('KubeJobFailed', []), undefined);
});

test('suggestion: the nearest name within a few typos, the same as a plain case-insensitive scan', () => {
  const names = randomWords(17, 2000).map((word, i) => (i % 3 === 0 ? word.toUpperCase() : word));
  const prepared = candidatesOf(names);
  let suggested = 0;
  for (const word of [...randomWords(19, 80), ...names.slice(0, 20).map((name) => `${name}x`)]) {
    const nearEnough = Math.max(2, Math.floor(word.length / 3));
    const exact = names.find((name) => name.toLowerCase() === word.toLowerCase());
    let expected: string | undefined = exact;
    if (expected === undefined) {
      let bestDistance = Infinity;
      for (const name of names) {
        const d = levenshtein(word.toLowerCase(), name.toLowerCase());
        if (d < bestDistance) [expected, bestDistance] = [name, d];
      }
      if (bestDistance > nearEnough) expected = undefined;
    }
    if (expected !== undefined) suggested++;
    assert.equal(suggestion(word, prepared), expected, word);
    assert.equal(suggestion(word, names), expected, word);
  }
  assert.ok(suggested > 20, `only ${suggested} words had a suggestion: the test would not tell much`);
});
