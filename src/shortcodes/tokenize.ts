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

/** The closing delimiter of each opening one. */
export const CLOSERS: Record<Delimiter, string> = { '{{%': '%}}', '{{<': '>}}', '<<%': '%>>' };

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
  for (const segment of textSegments(markdown)) {
    scanSegment(markdown, segment.start, segment.end, segment.html, tokens, problems);
  }
  return { tokens, problems };
}

// ---------------------------------------------------------------------------
// Block layer

interface Fence {
  char: number;
  length: number;
  /** Number of containers (block quotes, list items) the fence is in. */
  depth: number;
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

const HTML_TYPE_1 = /^<(?:script|pre|style|textarea)(?:[ \t>]|$)/i;
const HTML_END_1 = /<\/(?:script|pre|style|textarea)>/i;
const HTML_TYPE_6 =
  /^<\/?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:[ \t]|\/?>|$)/i;
const HTML_TYPE_7 =
  /^(?:<[A-Za-z][A-Za-z0-9-]*(?:[ \t]+[A-Za-z_:][\w.:-]*(?:[ \t]*=[ \t]*(?:[^ \t"'=<>`]+|'[^']*'|"[^"]*"))?)*[ \t]*\/?>|<\/[A-Za-z][A-Za-z0-9-]*[ \t]*>)[ \t]*$/;

/** How an HTML block that starts on this line ends: 'blank' (types 6, 7) or an end marker; undefined when none starts. */
function htmlBlockStart(line: string, canInterruptParagraph: boolean): 'blank' | RegExp | string | undefined {
  if (line.charCodeAt(0) !== Ch.Less) return undefined;
  if (HTML_TYPE_1.test(line)) return HTML_END_1;
  if (line.startsWith('<!--')) return '-->';
  if (line.startsWith('<?')) return '?>';
  if (line.startsWith('<![CDATA[')) return ']]>';
  if (/^<![A-Za-z]/.test(line)) return '>';
  if (HTML_TYPE_6.test(line)) return 'blank';
  if (!canInterruptParagraph && HTML_TYPE_7.test(line)) return 'blank';
  return undefined;
}

function htmlEnds(line: string, end: RegExp | string): boolean {
  return typeof end === 'string' ? line.includes(end) : end.test(line);
}

/** A range of text outside code. In `html` ranges (raw HTML blocks) backticks are not code spans. */
export interface TextSegment {
  start: number;
  end: number;
  html: boolean;
}

/** An open container block: a block quote, or a list item whose content starts `width` columns in. */
type Container = { kind: 'quote' } | { kind: 'list'; width: number; empty: boolean };

/** Offset after consuming up to `columns` columns of spaces/tabs from `pos`. */
function advanceColumns(text: string, pos: number, end: number, columns: number): number {
  let used = 0;
  while (pos < end && used < columns) {
    const c = text.charCodeAt(pos);
    if (c === Ch.Space) used++;
    else if (c === Ch.Tab) used += 4 - (used % 4);
    else break;
    pos++;
  }
  return pos;
}

/**
 * Split the text into ranges that are neither code nor blank lines, one per block
 * (paragraph, heading, HTML block…), so that code spans and shortcodes never cross blocks.
 * Follows CommonMark's line-by-line container matching (block quotes, list items,
 * lazy continuation lines) to know where fenced and indented code is.
 */
export function textSegments(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  const length = text.length;
  const stack: Container[] = [];
  let fence: { char: number; length: number; depth: number } | undefined;
  let html: { end: 'blank' | RegExp | string; depth: number } | undefined;
  let segment: TextSegment | undefined;
  /** True while the last line was paragraph text (lazy continuation, no indented code). */
  let inParagraph = false;

  const closeSegment = () => {
    if (segment) segments.push(segment);
    segment = undefined;
  };
  const addLine = (start: number, end: number, isHtml: boolean) => {
    if (segment) segment.end = end;
    else segment = { start, end, html: isHtml };
  };

  for (let lineStart = 0; lineStart <= length; ) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = length;
    let contentEnd = lineEnd;
    if (contentEnd > lineStart && text.charCodeAt(contentEnd - 1) === Ch.CarriageReturn) contentEnd--;
    const next = lineEnd + 1;

    // 1. Match the open containers.
    let pos = lineStart;
    let matched = 0;
    for (; matched < stack.length; matched++) {
      const container = stack[matched];
      if (container.kind === 'quote') {
        const indent = measureIndent(text, pos, contentEnd);
        if (indent.columns > 3 || text.charCodeAt(indent.pos) !== Ch.Greater) break;
        pos = indent.pos + 1;
        const c = text.charCodeAt(pos);
        if (c === Ch.Space || c === Ch.Tab) pos++;
      } else if (isBlank(text, pos, contentEnd)) {
        if (container.empty) break; // an item can start with at most one blank line
      } else {
        const indent = measureIndent(text, pos, contentEnd);
        if (indent.columns < container.width) break;
        pos = advanceColumns(text, pos, contentEnd, container.width);
        container.empty = false;
      }
    }
    const blank = isBlank(text, pos, contentEnd);

    // 2. Inside fenced code or an HTML block (leaves: no laziness).
    if (fence) {
      if (matched >= fence.depth) {
        const indent = measureIndent(text, pos, contentEnd);
        if (!blank && indent.columns <= 3 && isClosingFence(text, indent.pos, contentEnd, fence)) fence = undefined;
        lineStart = next;
        continue;
      }
      fence = undefined;
    }
    if (html) {
      if (matched >= html.depth && !(html.end === 'blank' && blank)) {
        addLine(lineStart, contentEnd, true);
        if (html.end !== 'blank' && htmlEnds(text.slice(pos, contentEnd), html.end)) {
          html = undefined;
          closeSegment();
        }
        lineStart = next;
        continue;
      }
      html = undefined;
      closeSegment();
    }

    if (blank) {
      closeSegment();
      inParagraph = false;
      stack.length = matched;
      lineStart = next;
      continue;
    }

    // 3. Lazy continuation: paragraph text keeps the containers it did not match.
    if (inParagraph && matched < stack.length && !startsBlock(text, pos, contentEnd, false)) {
      addLine(lineStart, contentEnd, false);
      lineStart = next;
      continue;
    }
    if (matched < stack.length) {
      stack.length = matched;
      closeSegment();
      inParagraph = false;
    }

    // A setext heading underline ends the paragraph (before list items and thematic breaks).
    if (inParagraph && isSetextUnderline(text, pos, contentEnd)) {
      addLine(lineStart, contentEnd, false);
      closeSegment();
      inParagraph = false;
      lineStart = next;
      continue;
    }

    // 4. Open new containers.
    for (;;) {
      const indent = measureIndent(text, pos, contentEnd);
      if (indent.columns > 3) break;
      if (text.charCodeAt(indent.pos) === Ch.Greater) {
        stack.push({ kind: 'quote' });
        pos = indent.pos + 1;
        const c = text.charCodeAt(pos);
        if (c === Ch.Space || c === Ch.Tab) pos++;
        closeSegment();
        inParagraph = false;
        continue;
      }
      const marker = listMarker(text, indent.pos, contentEnd);
      if (!marker) break;
      const after = measureIndent(text, marker.markerEnd, contentEnd);
      const empty = after.pos >= contentEnd;
      if (inParagraph && (empty || !interruptingMarker(text, indent.pos, marker.markerEnd))) break;
      stack.push({ kind: 'list', width: indent.columns + marker.contentOffset, empty });
      pos = empty || after.columns > 4 ? Math.min(marker.markerEnd + 1, contentEnd) : after.pos;
      closeSegment();
      inParagraph = false;
      if (empty) break;
    }

    // 5. The leaf block.
    const indent = measureIndent(text, pos, contentEnd);
    const start = indent.pos;
    if (start >= contentEnd) {
      lineStart = next; // an empty list item
      continue;
    }
    if (indent.columns >= 4) {
      if (inParagraph) addLine(lineStart, contentEnd, false);
      else closeSegment(); // indented code
      lineStart = next;
      continue;
    }
    const opening = openingFence(text, start, contentEnd);
    if (opening) {
      closeSegment();
      fence = { char: opening.char, length: opening.length, depth: stack.length };
      inParagraph = false;
      lineStart = next;
      continue;
    }
    const htmlEnd = text.charCodeAt(start) === Ch.Less ? htmlBlockStart(text.slice(start, Math.min(contentEnd, start + 200)), inParagraph) : undefined;
    if (htmlEnd !== undefined) {
      closeSegment();
      addLine(lineStart, contentEnd, true);
      if (htmlEnd !== 'blank' && htmlEnds(text.slice(start, contentEnd), htmlEnd)) closeSegment();
      else html = { end: htmlEnd, depth: stack.length };
      inParagraph = false;
      lineStart = next;
      continue;
    }
    if (isAtxHeadingOrBreak(text, start, contentEnd)) {
      closeSegment();
      addLine(lineStart, contentEnd, false);
      closeSegment();
      inParagraph = false;
      lineStart = next;
      continue;
    }
    if (!inParagraph) closeSegment();
    addLine(lineStart, contentEnd, false);
    inParagraph = true;
    lineStart = next;
  }
  closeSegment();
  return segments;
}

function isSetextUnderline(text: string, pos: number, end: number): boolean {
  const indent = measureIndent(text, pos, end);
  if (indent.columns > 3) return false;
  const c = text.charCodeAt(indent.pos);
  if (c !== Ch.Equals && c !== Ch.Dash) return false;
  let p = indent.pos;
  while (p < end && text.charCodeAt(p) === c) p++;
  return isBlank(text, p, end);
}

/** A list marker that may interrupt a paragraph: bullets, or ordered lists starting at 1. */
function interruptingMarker(text: string, pos: number, markerEnd: number): boolean {
  const c = text.charCodeAt(pos);
  if (c < Ch.Zero || c > Ch.Nine) return true;
  return markerEnd - pos === 2 && c === 49; /* `1.` or `1)` */
}

/** Whether a line that did not match every container starts a block (else it is a lazy continuation). */
function startsBlock(text: string, pos: number, end: number, inParagraph: boolean): boolean {
  const indent = measureIndent(text, pos, end);
  if (indent.columns > 3) return false;
  const start = indent.pos;
  const c = text.charCodeAt(start);
  if (c === Ch.Greater) return true;
  if (c === Ch.Backtick || c === Ch.Tilde) return openingFence(text, start, end) !== undefined;
  if (isAtxHeadingOrBreak(text, start, end)) return true;
  if (c === Ch.Less) return htmlBlockStart(text.slice(start, Math.min(end, start + 200)), true) !== undefined;
  const marker = listMarker(text, start, end);
  if (!marker) return false;
  if (!inParagraph) return true;
  return measureIndent(text, marker.markerEnd, end).pos < end && interruptingMarker(text, start, marker.markerEnd);
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

function scanSegment(text: string, start: number, end: number, html: boolean, tokens: ShortcodeToken[], problems: ShortcodeProblem[]): void {
  let pos = start;
  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (c === Ch.Backslash && !html) {
      // A backslash escapes the next ASCII punctuation (notably a backtick).
      pos += 2;
      continue;
    }
    if (c === Ch.Backtick && !html) {
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
  const named: Record<string, string> = {};
  let selfClosing = false;
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
        selfClosing = true;
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
    if (arg.key !== undefined) named[arg.key] = arg.value;
    else args.push(arg.value);
    pos = arg.end;
  }
  const token: ShortcodeToken = { name, args, type, delimiter, start, end: pos, source: text.slice(start, pos) };
  if (Object.keys(named).length > 0) token.named = named;
  if (selfClosing) token.selfClosing = true;
  return { kind: 'token', token };
}

/** A named argument's key as Hugo lexes it: letters, digits, `_` and `-`, then `=`. */
const NAMED_KEY = /^([A-Za-z_][\w-]*)=/;

function readArgument(text: string, pos: number, end: number, closer: string, escaped: boolean): { value?: string; key?: string; end: number; expected?: string } {
  let value = '';
  let key: string | undefined;
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
      let word = text.slice(wordStart, pos);
      // `key=value`, `key="value"`, key=`raw`: a named argument (Hugo's `.Get "key"`).
      const keyMatch = key === undefined && value === '' ? NAMED_KEY.exec(word) : null;
      if (keyMatch) {
        key = keyMatch[1];
        word = word.slice(keyMatch[0].length);
      }
      value += word;
      // `key="value"`: a word ending in `=` continues with a quoted string.
      const next = text.charCodeAt(pos);
      if (pos > wordStart && text.charCodeAt(pos - 1) === Ch.Equals && (next === Ch.Quote || next === Ch.Backtick)) continue;
      if (pos === wordStart) return { end: pos, expected: 'an argument' };
    }
    return { value, key, end: pos };
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
