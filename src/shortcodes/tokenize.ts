// Shortcode tokenizer: one linear, code-aware pass over a runbook body.
//
// Two layers:
//  1. a line scan that follows just enough CommonMark block structure (block quotes,
//     list items, fenced and indented code) to know which lines are code, and splits the
//     rest into "segments" (runs of non-code, non-blank lines: paragraphs, HTML blocks…);
//  2. an inline scan of each segment that skips code spans (backtick runs per CommonMark)
//     and reads shortcodes with exact offsets.
// A shortcode may span lines but never a blank line or a code block: that is the
// "reasonable span" after which an opening delimiter counts as unterminated.
import type { ShortcodeToken } from '../model.js';

export interface ShortcodeProblem {
  /** 0-based offsets into the text that was scanned. */
  start: number;
  end: number;
  message: string;
  ruleId: string;
}

export interface TokenizeResult {
  tokens: ShortcodeToken[];
  problems: ShortcodeProblem[];
}

type Delimiter = ShortcodeToken['delimiter'];

const CLOSERS: Record<Delimiter, string> = { '{{%': '%}}', '{{<': '>}}', '<<%': '%>>' };

const enum Ch {
  Tab = 9,
  Newline = 10,
  CarriageReturn = 13,
  Space = 32,
  Quote = 34,
  Percent = 37,
  Star = 42,
  Plus = 43,
  Dash = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Less = 60,
  Equals = 61,
  Greater = 62,
  Backslash = 92,
  Backtick = 96,
  LeftBrace = 123,
  Tilde = 126,
  RightParen = 41,
}

/** True when the text contains anything that could start a shortcode. */
export function mayContainShortcodes(text: string): boolean {
  return text.includes('{{%') || text.includes('{{<') || text.includes('<<%');
}

export function tokenizeShortcodes(markdown: string): TokenizeResult {
  const tokens: ShortcodeToken[] = [];
  const problems: ShortcodeProblem[] = [];
  if (!mayContainShortcodes(markdown)) return { tokens, problems };
  for (const [start, end] of textSegments(markdown)) {
    scanSegment(markdown, start, end, tokens, problems);
  }
  return { tokens, problems };
}

// ---------------------------------------------------------------------------
// Block layer

interface Fence {
  char: number;
  length: number;
  /** Column (in spaces, after block quote markers) where the fence's container content starts. */
  base: number;
  quoteDepth: number;
}

interface LineInfo {
  /** Offset after block quote markers. */
  contentStart: number;
  quoteDepth: number;
}

/** Strip block quote markers (`>` with up to 3 spaces before and one optional space after). */
function stripQuotes(text: string, start: number, end: number): LineInfo {
  let pos = start;
  let depth = 0;
  for (;;) {
    let p = pos;
    let spaces = 0;
    while (p < end && text.charCodeAt(p) === Ch.Space && spaces < 4) {
      p++;
      spaces++;
    }
    if (spaces <= 3 && p < end && text.charCodeAt(p) === Ch.Greater) {
      p++;
      if (p < end && (text.charCodeAt(p) === Ch.Space || text.charCodeAt(p) === Ch.Tab)) p++;
      pos = p;
      depth++;
    } else {
      break;
    }
  }
  return { contentStart: pos, quoteDepth: depth };
}

/** Columns of leading whitespace (tabs to the next multiple of 4) and the offset after it. */
function measureIndent(text: string, start: number, end: number): { columns: number; pos: number } {
  let columns = 0;
  let pos = start;
  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (c === Ch.Space) columns++;
    else if (c === Ch.Tab) columns += 4 - (columns % 4);
    else break;
    pos++;
  }
  return { columns, pos };
}

/** Width of a list marker at `pos` (including the following spaces, 1–4), or 0 when none. */
function listMarker(text: string, pos: number, end: number): { markerEnd: number; contentOffset: number } | undefined {
  const c = text.charCodeAt(pos);
  let p = pos;
  if (c === Ch.Dash || c === Ch.Plus || c === Ch.Star) {
    p++;
  } else if (c >= Ch.Zero && c <= Ch.Nine) {
    let digits = 0;
    while (p < end && digits < 10) {
      const d = text.charCodeAt(p);
      if (d < Ch.Zero || d > Ch.Nine) break;
      p++;
      digits++;
    }
    if (digits > 9) return undefined;
    const d = text.charCodeAt(p);
    if (d !== Ch.Dot && d !== Ch.RightParen) return undefined;
    p++;
  } else {
    return undefined;
  }
  if (p >= end) return { markerEnd: p, contentOffset: p - pos + 1 };
  const after = text.charCodeAt(p);
  if (after !== Ch.Space && after !== Ch.Tab) return undefined;
  // Thematic breaks like `- - -` or `***` are not list items; good enough to check `* * *`-ish lines.
  if ((c === Ch.Dash || c === Ch.Star) && isThematicBreak(text, pos, end, c)) return undefined;
  const { columns, pos: next } = measureIndent(text, p, end);
  if (next >= end) return { markerEnd: p, contentOffset: p - pos + 1 };
  if (columns > 4) return { markerEnd: p, contentOffset: p - pos + 1 };
  return { markerEnd: p, contentOffset: p - pos + columns };
}

function isThematicBreak(text: string, pos: number, end: number, char: number): boolean {
  let count = 0;
  for (let p = pos; p < end; p++) {
    const c = text.charCodeAt(p);
    if (c === char) count++;
    else if (c !== Ch.Space && c !== Ch.Tab) return false;
  }
  return count >= 3;
}

/** An opening code fence at `pos`: its char and length, or undefined. */
function openingFence(text: string, pos: number, end: number): { char: number; length: number } | undefined {
  const c = text.charCodeAt(pos);
  if (c !== Ch.Backtick && c !== Ch.Tilde) return undefined;
  let p = pos;
  while (p < end && text.charCodeAt(p) === c) p++;
  const length = p - pos;
  if (length < 3) return undefined;
  if (c === Ch.Backtick) {
    // The info string of a backtick fence may not contain backticks.
    for (; p < end; p++) if (text.charCodeAt(p) === Ch.Backtick) return undefined;
  }
  return { char: c, length };
}

function isClosingFence(text: string, pos: number, end: number, fence: Fence): boolean {
  let p = pos;
  while (p < end && text.charCodeAt(p) === fence.char) p++;
  if (p - pos < fence.length) return false;
  for (; p < end; p++) {
    const c = text.charCodeAt(p);
    if (c !== Ch.Space && c !== Ch.Tab) return false;
  }
  return true;
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let p = start; p < end; p++) {
    const c = text.charCodeAt(p);
    if (c !== Ch.Space && c !== Ch.Tab && c !== Ch.CarriageReturn) return false;
  }
  return true;
}

/**
 * Split the text into [start, end) ranges that are neither code nor blank lines.
 * Each range is a run of consecutive lines (ends exclude the final newline).
 */
export function textSegments(text: string): [number, number][] {
  const segments: [number, number][] = [];
  const length = text.length;
  /** Content columns of open list items, innermost last. */
  const lists: number[] = [];
  let fence: Fence | undefined;
  let segmentStart = -1;
  let segmentEnd = -1;
  /** True while the previous line was paragraph text (indented code cannot interrupt it). */
  let inParagraph = false;

  const closeSegment = () => {
    if (segmentStart >= 0) segments.push([segmentStart, segmentEnd]);
    segmentStart = -1;
  };

  let lineStart = 0;
  while (lineStart <= length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = length;
    let contentEnd = lineEnd;
    if (contentEnd > lineStart && text.charCodeAt(contentEnd - 1) === Ch.CarriageReturn) contentEnd--;

    const { contentStart, quoteDepth } = stripQuotes(text, lineStart, contentEnd);
    const blank = isBlank(text, contentStart, contentEnd);
    const { columns: indent, pos: afterIndent } = measureIndent(text, contentStart, contentEnd);

    if (fence) {
      const containerClosed = !blank && (quoteDepth < fence.quoteDepth || indent < fence.base);
      if (containerClosed) {
        fence = undefined; // fall through: this line is handled as a normal line below
      } else {
        if (!blank && indent - fence.base <= 3 && isClosingFence(text, afterIndent, contentEnd, fence)) fence = undefined;
        lineStart = lineEnd + 1;
        continue;
      }
    }

    if (blank) {
      closeSegment();
      inParagraph = false;
      lineStart = lineEnd + 1;
      continue;
    }

    // Close list items this line is not indented enough to belong to (lazy paragraph
    // continuation lines keep them open).
    while (lists.length > 0 && indent < lists[lists.length - 1] && !inParagraph) lists.pop();
    if (lists.length > 0 && indent < lists[lists.length - 1] && inParagraph) {
      // Lazy continuation, unless the line starts a new block that interrupts the paragraph.
      const marker = listMarker(text, afterIndent, contentEnd);
      if (marker || openingFence(text, afterIndent, contentEnd)) {
        while (lists.length > 0 && indent < lists[lists.length - 1]) lists.pop();
      }
    }
    let base = lists.length > 0 ? lists[lists.length - 1] : 0;

    // Indented code: 4+ columns beyond the container, not interrupting a paragraph.
    if (indent - base >= 4 && !inParagraph) {
      closeSegment();
      lineStart = lineEnd + 1;
      continue;
    }

    // List markers (possibly several on a line: `- 1. foo`).
    let pos = afterIndent;
    let column = indent;
    while (column - base <= 3) {
      const marker = listMarker(text, pos, contentEnd);
      if (!marker) break;
      while (lists.length > 0 && lists[lists.length - 1] > column) lists.pop();
      const contentColumn = column + marker.contentOffset;
      lists.push(contentColumn);
      base = contentColumn;
      const next = measureIndent(text, marker.markerEnd, contentEnd);
      column += marker.markerEnd - pos + next.columns;
      pos = next.pos;
      if (pos >= contentEnd || next.columns > 4) break;
    }

    const opening = column - base <= 3 ? openingFence(text, pos, contentEnd) : undefined;
    if (opening) {
      closeSegment();
      fence = { char: opening.char, length: opening.length, base, quoteDepth };
      inParagraph = false;
      lineStart = lineEnd + 1;
      continue;
    }

    if (segmentStart < 0) segmentStart = lineStart;
    segmentEnd = contentEnd;
    inParagraph = !isAtxHeadingOrBreak(text, pos, contentEnd);
    lineStart = lineEnd + 1;
  }
  closeSegment();
  return segments;
}

function isAtxHeadingOrBreak(text: string, pos: number, end: number): boolean {
  const c = text.charCodeAt(pos);
  if (c === 35 /* # */) {
    let p = pos;
    while (p < end && text.charCodeAt(p) === 35) p++;
    return p - pos <= 6 && (p === end || text.charCodeAt(p) === Ch.Space || text.charCodeAt(p) === Ch.Tab);
  }
  if (c === Ch.Dash || c === Ch.Star || c === 95 /* _ */) return isThematicBreak(text, pos, end, c);
  return false;
}

// ---------------------------------------------------------------------------
// Inline layer

function scanSegment(text: string, start: number, end: number, tokens: ShortcodeToken[], problems: ShortcodeProblem[]): void {
  let pos = start;
  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (c === Ch.Backslash) {
      // A backslash escapes the next ASCII punctuation (notably a backtick).
      pos += 2;
      continue;
    }
    if (c === Ch.Backtick) {
      let p = pos;
      while (p < end && text.charCodeAt(p) === Ch.Backtick) p++;
      const runLength = p - pos;
      const close = findBacktickRun(text, p, end, runLength);
      pos = close === -1 ? p : close + runLength;
      continue;
    }
    if (c === Ch.LeftBrace || c === Ch.Less) {
      const delimiter = delimiterAt(text, pos);
      if (delimiter) {
        const result = readShortcode(text, pos, end, delimiter);
        if (result.kind === 'token') {
          tokens.push(result.token);
          pos = result.token.end;
          continue;
        }
        if (result.kind === 'problem') problems.push(result.problem);
        pos += 3;
        continue;
      }
    }
    pos++;
  }
}

/** Offset of the next backtick run of exactly `length`, or -1. */
function findBacktickRun(text: string, from: number, end: number, length: number): number {
  let pos = text.indexOf('`', from);
  while (pos !== -1 && pos < end) {
    let p = pos;
    while (p < end && text.charCodeAt(p) === Ch.Backtick) p++;
    if (p - pos === length) return pos;
    pos = text.indexOf('`', p);
  }
  return -1;
}

function delimiterAt(text: string, pos: number): Delimiter | undefined {
  const a = text.charCodeAt(pos);
  const b = text.charCodeAt(pos + 1);
  const c = text.charCodeAt(pos + 2);
  if (a === Ch.LeftBrace && b === Ch.LeftBrace && c === Ch.Percent) return '{{%';
  if (a === Ch.LeftBrace && b === Ch.LeftBrace && c === Ch.Less) return '{{<';
  if (a === Ch.Less && b === Ch.Less && c === Ch.Percent) return '<<%';
  return undefined;
}

type ReadResult =
  | { kind: 'token'; token: ShortcodeToken }
  | { kind: 'problem'; problem: ShortcodeProblem }
  | { kind: 'none' };

function isSpace(c: number): boolean {
  return c === Ch.Space || c === Ch.Tab || c === Ch.Newline || c === Ch.CarriageReturn;
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= Ch.Zero && c <= Ch.Nine) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || c === Ch.Dash || c === Ch.Dot || c === Ch.Slash;
}

function skipSpace(text: string, pos: number, end: number): number {
  while (pos < end && isSpace(text.charCodeAt(pos))) pos++;
  return pos;
}

/**
 * Read a shortcode whose opening delimiter is at `start`. Returns `none` when what follows
 * the delimiter is not a shortcode name (then it is just text), a problem when a shortcode
 * was started but not finished within the segment.
 */
function readShortcode(text: string, start: number, end: number, delimiter: Delimiter): ReadResult {
  const closer = CLOSERS[delimiter];
  let pos = start + 3;
  let escaped = false;
  if (text.startsWith('/*', pos)) {
    escaped = true;
    pos += 2;
  }
  pos = skipSpace(text, pos, end);
  let type: ShortcodeToken['type'] = escaped ? 'escaped' : 'open';
  if (text.charCodeAt(pos) === Ch.Slash && !text.startsWith('/*', pos)) {
    if (!escaped) type = 'close';
    pos = skipSpace(text, pos + 1, end);
  }
  if (pos >= end || !isNameStart(text.charCodeAt(pos))) {
    // `{{< $x >}}`, `{{%` alone…: not a shortcode, unless something clearly started one.
    if (escaped || type === 'close') {
      return { kind: 'problem', problem: { start, end: Math.min(pos + 1, end), message: `Expected a shortcode name after \`${text.slice(start, pos).trim()}\``, ruleId: 'shortcode-malformed' } };
    }
    return { kind: 'none' };
  }
  const nameStart = pos;
  while (pos < end && isNameChar(text.charCodeAt(pos))) pos++;
  const name = text.slice(nameStart, pos);
  const args: string[] = [];
  const expected = escaped ? `*/${closer}` : closer;

  const unterminated = (at: number, what = `\`${expected}\``): ReadResult => ({
    kind: 'problem',
    problem: { start, end: at, message: `Unexpected end of shortcode, expected ${what}`, ruleId: 'shortcode-unterminated' },
  });

  for (;;) {
    const before = pos;
    pos = skipSpace(text, pos, end);
    if (pos >= end) return unterminated(end);
    // End of the shortcode?
    if (escaped) {
      if (text.startsWith('*/', pos) && text.startsWith(closer, pos + 2)) {
        pos += 2 + closer.length;
        break;
      }
    } else {
      if (text.startsWith(closer, pos)) {
        pos += closer.length;
        break;
      }
      // Self-closing form `{{< x />}}`.
      if (text.charCodeAt(pos) === Ch.Slash && text.startsWith(closer, pos + 1)) {
        pos += 1 + closer.length;
        break;
      }
    }
    if (pos === before) {
      // Arguments must be separated from the name and from each other by whitespace.
      return {
        kind: 'problem',
        problem: { start, end: pos + 1, message: `Unexpected character \`${text[pos]}\` in shortcode, expected a space or \`${expected}\``, ruleId: 'shortcode-malformed' },
      };
    }
    const arg = readArgument(text, pos, end, closer, escaped);
    if (arg.value === undefined) return unterminated(end, arg.expected);
    args.push(arg.value);
    pos = arg.end;
  }
  return {
    kind: 'token',
    token: { name, args, type, delimiter, start, end: pos, source: text.slice(start, pos) },
  };
}

function readArgument(text: string, pos: number, end: number, closer: string, escaped: boolean): { value?: string; end: number; expected?: string } {
  let value = '';
  for (;;) {
    const c = text.charCodeAt(pos);
    if (c === Ch.Quote) {
      const quoted = readQuoted(text, pos, end);
      if (quoted.value === undefined) return { end, expected: '`"` to close the string' };
      value += quoted.value;
      pos = quoted.end;
    } else if (c === Ch.Backtick) {
      const close = text.indexOf('`', pos + 1);
      if (close === -1 || close >= end) return { end, expected: '`` ` `` to close the raw string' };
      value += text.slice(pos + 1, close);
      pos = close + 1;
    } else {
      // Bare word: up to whitespace, a quote, or the end of the shortcode.
      const wordStart = pos;
      while (pos < end) {
        const d = text.charCodeAt(pos);
        if (isSpace(d) || d === Ch.Quote || d === Ch.Backtick) break;
        if (escaped ? text.startsWith('*/', pos) && text.startsWith(closer, pos + 2) : text.startsWith(closer, pos)) break;
        if (!escaped && d === Ch.Slash && text.startsWith(closer, pos + 1)) break;
        pos++;
      }
      value += text.slice(wordStart, pos);
      // `key="value"`: a word ending in `=` continues with a quoted string.
      const next = text.charCodeAt(pos);
      if (pos > wordStart && text.charCodeAt(pos - 1) === Ch.Equals && (next === Ch.Quote || next === Ch.Backtick)) continue;
      if (pos === wordStart) return { end: pos, expected: 'an argument' };
    }
    return { value, end: pos };
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v' };

function readQuoted(text: string, start: number, end: number): { value?: string; end: number } {
  let value = '';
  let chunk = start + 1;
  let pos = start + 1;
  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (c === Ch.Quote) {
      value += text.slice(chunk, pos);
      return { value, end: pos + 1 };
    }
    if (c === Ch.Newline) return { end: pos };
    if (c === Ch.Backslash && pos + 1 < end) {
      value += text.slice(chunk, pos);
      const e = text[pos + 1];
      value += ESCAPES[e] ?? e;
      pos += 2;
      chunk = pos;
      continue;
    }
    pos++;
  }
  return { end };
}

/** The text an escaped shortcode stands for: its source without the comment markers. */
export function escapedShortcodeText(token: ShortcodeToken): string {
  const closer = CLOSERS[token.delimiter];
  const source = token.source;
  if (token.type !== 'escaped') return source;
  const inner = source.slice(token.delimiter.length + 2, source.length - closer.length - 2);
  return token.delimiter + inner + closer;
}
