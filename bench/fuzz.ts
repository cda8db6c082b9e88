// `npm run fuzz [-- COUNT]` (or FUZZ_COUNT): the long fuzz run; prints what BENCHMARKS.md records.
// Inputs are built in batches of 250 runbooks (plus up to 20 rule files) through the CLI in its own
// process. A batch that takes longer than the per-input bound is split until the slow inputs are found,
// so "no input over 5 s" is measured, not inferred.
import fc from 'fast-check';
import { buildBatch, ruleFileArbitrary, runbookArbitrary } from '../test/fuzz/runbooks.js';

const count = Number(process.argv[2] ?? process.env.FUZZ_COUNT ?? 100_000);
const seed = Number(process.env.FUZZ_SEED ?? 1);
const perBatch = Number(process.env.FUZZ_BATCH ?? 250);
// A count that is no number (`--count 2000`) would fuzz nothing and report a clean run.
for (const [name, value] of [['COUNT', count], ['FUZZ_SEED', seed], ['FUZZ_BATCH', perBatch]] as const) {
  if (!Number.isSafeInteger(value) || value < (name === 'FUZZ_SEED' ? 0 : 1)) {
    console.error(`fuzz: ${name} must be a whole number, got \`${name === 'COUNT' ? (process.argv[2] ?? process.env.FUZZ_COUNT) : process.env[name]}\`; usage: npm run fuzz [-- COUNT], FUZZ_SEED=N, FUZZ_BATCH=N`);
    process.exit(2);
  }
}
const HANG_SECONDS = 5;
let runbookCount = 0;
let ruleFileCount = 0;
let internal = 0;
let escaped = 0;
let hangs = 0;
let slowest = 0;
const started = performance.now();
for (let batch = 0; runbookCount < count; batch++) {
  const size = Math.min(perBatch, count - runbookCount);
  const [[runbooks, rules]] = fc.sample(fc.tuple(fc.array(runbookArbitrary, { minLength: size, maxLength: size }), fc.array(ruleFileArbitrary, { maxLength: 20 })), { seed: seed + batch, numRuns: 1 });
  const result = await buildBatch(runbooks, rules);
  runbookCount += size;
  ruleFileCount += rules.length;
  if (result.internal) {
    internal++;
    console.log(`batch ${batch}: internal error (exit ${result.code})\n${result.output.slice(0, 2000)}`);
  }
  if (result.escaped.length > 0) {
    escaped += result.escaped.length;
    console.log(`batch ${batch}: wrote outside the output folder: ${result.escaped.join(', ')}`);
  }
  if (result.hung || result.seconds > HANG_SECONDS) {
    // A slow batch is split in halves until the inputs that are slow on their own are found (with
    // the batch's rule files); a batch slow only from the machine's load ends in fast halves.
    const slowInputs = async (part: typeof runbooks, offset: number): Promise<void> => {
      const again = part.length === runbooks.length ? result : await buildBatch(part, rules, HANG_SECONDS * 4);
      if (!again.hung && again.seconds <= HANG_SECONDS) return;
      if (part.length === 1) {
        hangs++;
        console.log(`batch ${batch}, runbook ${offset}: ${again.hung ? 'killed' : `${again.seconds.toFixed(1)} s`} on its own: ${JSON.stringify(part[0]).slice(0, 500)}`);
        return;
      }
      const half = Math.ceil(part.length / 2);
      await slowInputs(part.slice(0, half), offset);
      await slowInputs(part.slice(half), offset + half);
    };
    await slowInputs(runbooks, 0);
  }
  slowest = Math.max(slowest, result.seconds);
  console.log(`${runbookCount} runbooks, ${ruleFileCount} rule files; batch ${batch} in ${result.seconds.toFixed(1)} s (exit ${result.code})`);
}
const minutes = (performance.now() - started) / 60_000;
console.log(`fuzz: ${runbookCount} runbooks and ${ruleFileCount} rule files, seed ${seed}, in ${minutes.toFixed(1)} min: ${internal} internal errors, ${hangs} inputs over ${HANG_SECONDS} s, ${escaped} writes outside the output folder; slowest batch of ${perBatch} ${slowest.toFixed(1)} s`);
process.exitCode = internal > 0 || escaped > 0 || hangs > 0 ? 1 : 0;
