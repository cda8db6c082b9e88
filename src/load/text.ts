// Input files are UTF-8 text. Read through here, a file that is not (Latin-1, UTF-16, an image
// named `.md`) is an error at its first bad byte, instead of a page of U+FFFD characters.
import { readFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { pointAt } from '../diagnostics.js';
import type { Point } from '../model.js';

export interface TextProblem {
  message: string;
  place: Point;
  ruleId: 'not-utf8';
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence, or of a NUL byte. */
export function firstNonTextByte(bytes: Uint8Array): number | undefined {
  for (let index = 0; index < bytes.length; ) {
    const byte = bytes[index];
    if (byte === 0) return index;
    if (byte < 0x80) {
      index++;
      continue;
    }
    let length: number;
    let min: number;
    if (byte >= 0xc2 && byte <= 0xdf) [length, min] = [2, 0x80];
    else if (byte >= 0xe0 && byte <= 0xef) [length, min] = [3, 0x800];
    else if (byte >= 0xf0 && byte <= 0xf4) [length, min] = [4, 0x10000];
    else return index;
    let code = byte & (0xff >> (length + 1));
    for (let next = 1; next < length; next++) {
      const continuation = bytes[index + next];
      if (continuation === undefined || (continuation & 0xc0) !== 0x80) return index;
      code = (code << 6) | (continuation & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return index;
    index += length;
  }
  return undefined;
}

/**
 * The text of a file, without a leading byte order mark; or, for a file that is not UTF-8 text,
 * an empty text and the problem. Throws only what reading throws.
 */
export function readTextFile(file: string): { text: string; problem?: TextProblem; /** The file started with a byte order mark (for writers that keep it). */ bom?: boolean } {
  const bytes = readFileSync(file);
  if (isUtf8(bytes) && !bytes.includes(0)) {
    const text = bytes.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? { text: text.slice(1), bom: true } : { text };
  }
  const bad = firstNonTextByte(bytes) ?? 0;
  const before = bytes.subarray(0, bad).toString('utf8');
  const what = bytes[bad] === 0 ? 'a NUL byte (a binary file?)' : `byte 0x${bytes[bad].toString(16).padStart(2, '0')}, which is not UTF-8`;
  return {
    text: '',
    problem: {
      message: `Unexpected ${what} at byte ${bad}: the file is not UTF-8 text. Save it as UTF-8, or move it out of the folder if it is not a runbook or rule file`,
      place: pointAt(before.charCodeAt(0) === 0xfeff ? before.slice(1) : before, Infinity),
      ruleId: 'not-utf8',
    },
  };
}
