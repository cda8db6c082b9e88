// V8 settings for a build: a short-lived run that executes most of its code only a few thousand
// times. Chosen by the figures in BENCHMARKS.md (srerun cold builds on 2 cores, alternated);
// RUNBOOK_SITE_V8_DEFAULTS=1 keeps V8's own, to compare or to rule the settings out.
import { setFlagsFromString } from 'node:v8';

/**
 * TurboFan optimises a function once it has run through this much bytecode; V8's default is
 * 67,584. A build spent more on those compilations (on V8's background threads, and in compiler
 * zone memory) than the optimised code gave back before the process exited: 8× the default cut
 * CPU by a fifth (4.97 → 4.04 s) at the same wall time; 16× and 32× were slower.
 */
const INTERRUPT_BUDGET = 8 * 67_584;

/**
 * How far a heap may grow past its live size before the next full collection. V8 otherwise lets
 * a heap that collects quickly grow up to 4×, and each worker's heap peaked near 100 MB over
 * ~20 MB of live data. 50 % took peak RSS from 241 to 211 MB for +2 % wall (100 %: 218 MB; 30 %:
 * 209 MB, +5 % wall): the lowest peak RSS × wall.
 */
const HEAP_GROWING_PERCENT = 50;

let tuned = false;

/** Applies the settings once per process, before the build's work; workers started after share them. */
export function tuneV8ForBuild(): void {
  if (tuned || process.env.RUNBOOK_SITE_V8_DEFAULTS === '1') return;
  tuned = true;
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
