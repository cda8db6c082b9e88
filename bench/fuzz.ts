// `npm run fuzz [-- COUNT]` (or FUZZ_COUNT): the long fuzz run; prints what BENCHMARKS.md records.
import fc from 'fast-check';
import { buildBatch, ruleFileArbitrary, runbookArbitrary } from '../test/fuzz/runbooks.js';

const count = Number(process.argv[2] ?? process.env.FUZZ_COUNT ?? 100_000);
const seed = Number(process.env.FUZZ_SEED ?? 1);
const perBatch = 500;
let done = 0;
let internal = 0;
let escaped = 0;
let slowest = 0;
for (let batch = 0; done < count; batch++) {
  const size = Math.min(perBatch, count - done);
  const [[runbooks, rules]] = fc.sample(fc.tuple(fc.array(runbookArbitrary, { minLength: size, maxLength: size }), fc.array(ruleFileArbitrary, { maxLength: 20 })), { seed: seed + batch, numRuns: 1 });
  const result = await buildBatch(runbooks, rules);
  done += size;
  if (result.internal) {
    internal++;
    console.log(`batch ${batch}: internal error\n${result.output.slice(0, 2000)}`);
  }
  if (result.escaped.length > 0) {
    escaped += result.escaped.length;
    console.log(`batch ${batch}: wrote outside the output folder: ${result.escaped.join(', ')}`);
  }
  slowest = Math.max(slowest, result.seconds);
  console.log(`${done} runbooks, batch ${batch} in ${result.seconds.toFixed(1)} s (exit ${result.code})`);
}
console.log(`fuzz: ${done} runbooks, seed ${seed}, ${internal} internal errors, ${escaped} writes outside the output folder, slowest batch of ${perBatch} ${slowest.toFixed(1)} s`);
process.exitCode = internal > 0 || escaped > 0 ? 1 : 0;
