// The one rounding rule for coverage percentages, used by the CLI summary and the theme alike:
// rounded down to one decimal, so 1000 of 1100 is 90.9 % (never 91 %), and 100 % means every
// alert has a runbook. No alerts at all counts as complete coverage.

/** `part` of `whole` as a percentage, rounded down to one decimal; 100 when `whole` is 0. */
export function coveragePercent(part: number, whole: number): number {
  if (whole <= 0) return 100;
  // Integer arithmetic first, so 29 of 100 is 29, not 28.9 from 0.29 × 1000 = 289.99….
  return Math.floor((part * 1000) / whole) / 10;
}
