// A bounded, seeded fuzz run through the real CLI, in every `npm test`: no internal error, no
// hang, no write outside the output folder. `npm run fuzz` runs the long version.
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildBatch, ruleFileArbitrary, runbookArbitrary } from './fuzz/runbooks.js';

const SEED = 14;
const BATCHES = 4;
const PER_BATCH = 60;

test(`fuzzed runbooks, front matter and rule files (seed ${SEED}, ${BATCHES * PER_BATCH} runbooks) build without internal errors, hangs or escapes`, async () => {
  const batches = fc.sample(fc.tuple(fc.array(runbookArbitrary, { minLength: PER_BATCH, maxLength: PER_BATCH }), fc.array(ruleFileArbitrary, { maxLength: 6 })), { seed: SEED, numRuns: BATCHES });
  for (const [runbooks, rules] of batches) {
    const result = await buildBatch(runbooks, rules);
    assert.equal(result.hung, false, "a batch was killed after 120 s");
    assert.equal(result.internal, false, result.output.slice(0, 2000));
    assert.deepEqual(result.escaped, []);
    assert.ok(result.seconds < 60, `a batch took ${result.seconds} s`);
  }
});
