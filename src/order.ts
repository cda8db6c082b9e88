// One order for paths and names wherever output must not depend on the locale: by code point.

/** Compares by UTF-16 code units, as `<` does: the same order on every machine (unlike localeCompare). */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
