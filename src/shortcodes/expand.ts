// Source-level shortcode expansion, done before the single markdown parse:
//  - `comment` pairs are removed with everything between them (newlines kept, so the
//    lines of later content do not move);
//  - embeds (`rule` by default, whatever `isEmbed` says) and escaped shortcodes become
//    placeholders: private-use characters around a number, which markdown leaves alone;
//  - every other shortcode is left as written.
import type { ShortcodeToken } from '../model.js';
import type { ShortcodeProblem } from './tokenize.js';
import { CLOSERS, escapedShortcodeText } from './tokenize.js';

export const PLACEHOLDER_OPEN = '\uE000';
export const PLACEHOLDER_CLOSE = '\uE001';
/** Filler after the opening character that makes a document's placeholders its own (see placeholderNonce). */
const NONCE_CHAR = '\uE002';
/** Every placeholder in a text, whatever its nonce; group 1 is its index in the placeholder list. */
export const PLACEHOLDER_PATTERN = /\uE000\uE002*(\d+)\uE001/g;

/**
 * What follows the opening character in this document's placeholders: nothing when the text has
 * no U+E000 (every one is then ours), else more U+E002 than any U+E000 of the text is followed
 * by. Private-use characters typed in a runbook can then never read as one of its placeholders.
 */
export function placeholderNonce(markdown: string): string {
  let longest = -1;
  for (let at = markdown.indexOf(PLACEHOLDER_OPEN); at !== -1; at = markdown.indexOf(PLACEHOLDER_OPEN, at + 1)) {
    let run = 0;
    while (markdown[at + 1 + run] === NONCE_CHAR) run++;
    longest = Math.max(longest, run);
  }
  return NONCE_CHAR.repeat(longest + 1);
}

export interface Placeholder {
  /** The text put in the markdown: `\uE000` + index in the placeholder list + `\uE001`. */
  id: string;
  /** Index of the shortcode token. */
  token: number;
  /** `embed`: replaced by the embed HTML; `escaped`: shown as literal text. */
  kind: 'embed' | 'escaped';
  /** For `escaped`, the literal text to show; for `embed`, the shortcode as written. */
  text: string;
}

/** One replaced range: `[start, end)` of the original became `[outStart, outEnd)` of the output. */
export interface Edit {
  start: number;
  end: number;
  outStart: number;
  outEnd: number;
}

export interface ExpandResult {
  markdown: string;
  placeholders: Placeholder[];
  /** This document's placeholders (global); group 1 is the index in `placeholders`. */
  pattern: RegExp;
  problems: ShortcodeProblem[];
  /** Replaced ranges in order, to map output offsets back to the original (see `originalOffset`). */
  edits: Edit[];
}

export function placeholderId(index: number, nonce = ''): string {
  return PLACEHOLDER_OPEN + nonce + index + PLACEHOLDER_CLOSE;
}

function shortcodeText(delimiter: ShortcodeToken['delimiter'], inner: string): string {
  return `${delimiter} ${inner} ${CLOSERS[delimiter]}`;
}

export function expandShortcodes(markdown: string, tokens: ShortcodeToken[], isEmbed: (index: number) => boolean): ExpandResult {
  const placeholders: Placeholder[] = [];
  const problems: ShortcodeProblem[] = [];
  const edits: Edit[] = [];
  if (tokens.length === 0) return { markdown, placeholders, pattern: PLACEHOLDER_PATTERN, problems, edits };
  const nonce = placeholderNonce(markdown);
  const pattern = new RegExp(`${PLACEHOLDER_OPEN}${nonce}(\\d+)${PLACEHOLDER_CLOSE}`, 'g');

  // Pair comments by nesting. `removeUntil[i]` = index of the closing token of the
  // comment token i opens.
  const removeUntil = new Map<number, number>();
  const stack: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.name !== 'comment') continue;
    if (token.type === 'open') {
      stack.push(i);
    } else if (token.type === 'close') {
      const open = stack.pop();
      if (open === undefined) {
        problems.push({
          start: token.start,
          end: token.end,
          message: `Unexpected closing \`${token.source}\`, expected an opening \`${shortcodeText(token.delimiter, 'comment')}\` before it`,
          ruleId: 'shortcode-stray-close',
        });
      } else {
        // Every pair is remembered; inner pairs are skipped when their outer pair is removed,
        // and still removed when the outer comment is unclosed.
        removeUntil.set(open, i);
      }
    }
  }
  for (const open of stack) {
    const token = tokens[open];
    problems.push({
      start: token.start,
      end: token.end,
      message: `Unexpected end of file, expected \`${shortcodeText(token.delimiter, '/comment')}\` to close the comment opened here`,
      ruleId: 'shortcode-unclosed',
    });
  }

  let out = '';
  let copied = 0;
  const replace = (start: number, end: number, text: string) => {
    out += markdown.slice(copied, start);
    const outStart = out.length;
    out += text;
    edits.push({ start, end, outStart, outEnd: out.length });
    copied = end;
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const close = removeUntil.get(i);
    if (close !== undefined) {
      const end = tokens[close].end;
      replace(token.start, end, newlinesIn(markdown, token.start, end));
      i = close; // skips every token inside the comment
      continue;
    }
    if (token.type === 'escaped') {
      const id = placeholderId(placeholders.length, nonce);
      placeholders.push({ id, token: i, kind: 'escaped', text: escapedShortcodeText(token) });
      replace(token.start, token.end, id);
    } else if (isEmbed(i)) {
      const id = placeholderId(placeholders.length, nonce);
      placeholders.push({ id, token: i, kind: 'embed', text: token.source });
      replace(token.start, token.end, id);
    }
  }
  out += markdown.slice(copied);
  return { markdown: out, placeholders, pattern, problems, edits };
}

function newlinesIn(text: string, start: number, end: number): string {
  let lines = '';
  for (let p = text.indexOf('\n', start); p !== -1 && p < end; p = text.indexOf('\n', p + 1)) lines += '\n';
  return lines;
}

/** Map an offset in the expanded markdown back to the original text. */
export function originalOffset(edits: Edit[], offset: number): number {
  let low = 0;
  let high = edits.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (edits[mid].outStart <= offset) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  if (found === -1) return offset;
  const edit = edits[found];
  if (offset < edit.outEnd) return edit.start;
  return edit.end + (offset - edit.outEnd);
}
