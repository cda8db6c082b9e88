// Source-level shortcode expansion, done before the markdown parse of a body (or of one
// shortcode's inner content):
//  - `comment` pairs are removed with everything between them (newlines kept, so the
//    lines of later content do not move);
//  - text shortcodes (ref, relref, param) resolved by the link stage: with `{{% %}}` their text
//    replaces them in the markdown (as Hugo renders `%` output as markdown), with `{{< >}}` a
//    placeholder stands for the text (shown as text, or as the URL of a link);
//  - every other known shortcode, with its inner content up to its closing tag, and escaped
//    shortcodes become placeholders: private-use characters around a number, which markdown
//    leaves alone;
//  - unknown shortcodes are left as written (the link stage reported them).
import type { ShortcodeToken } from '../model.js';
import type { ShortcodePlan } from './plan.js';
import type { ResolvedShortcode } from './registry.js';
import { escapedShortcodeText } from './tokenize.js';
import { escapeHtml } from '../html.js';

export const PLACEHOLDER_OPEN = '\uE000';
export const PLACEHOLDER_CLOSE = '\uE001';
/** Every placeholder in a text; group 1 is its index in the placeholder list. */
export const PLACEHOLDER_PATTERN = /\uE000(\d+)\uE001/g;

export interface Placeholder {
  /** The text put in the markdown: `\uE000` + index in the placeholder list + `\uE001`. */
  id: string;
  /** Index of the shortcode token; -1 for a placeholder character the author typed. */
  token: number;
  /** `embed`: replaced by the shortcode's HTML; `escaped` and `text`: shown as the literal `text`. */
  kind: 'embed' | 'escaped' | 'text';
  /** For `escaped`, the literal text to show; for `text`, the shortcode's output; for `embed`, the shortcode as written. */
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
  /** Replaced ranges in order, to map output offsets back to the original (see `originalOffset`). */
  edits: Edit[];
  /** Offset in the original text where the expanded range starts. */
  base: number;
}

export interface ExpandOptions {
  /** The range of `markdown` to expand (default: all of it): a shortcode's inner content. */
  from?: number;
  to?: number;
  /** What the link stage resolved for a token. */
  resolved?: (index: number) => ResolvedShortcode | undefined;
}

export function placeholderId(index: number): string {
  return PLACEHOLDER_OPEN + index + PLACEHOLDER_CLOSE;
}

export function expandShortcodes(markdown: string, tokens: ShortcodeToken[], plan: ShortcodePlan, options: ExpandOptions = {}): ExpandResult {
  const from = options.from ?? 0;
  const to = options.to ?? markdown.length;
  const placeholders: Placeholder[] = [];
  const edits: Edit[] = [];
  let out = '';
  let copied = from;
  // A placeholder character typed in the text (U+E000) becomes a placeholder for itself, so that no
  // text can pass for a placeholder: after expansion every U+E000 left is one of ours.
  const copyUpTo = (end: number) => {
    for (let at = markdown.indexOf(PLACEHOLDER_OPEN, copied); at !== -1 && at < end; at = markdown.indexOf(PLACEHOLDER_OPEN, copied)) {
      out += markdown.slice(copied, at);
      const id = placeholderId(placeholders.length);
      placeholders.push({ id, token: -1, kind: 'escaped', text: PLACEHOLDER_OPEN });
      const outStart = out.length;
      out += id;
      edits.push({ start: at, end: at + 1, outStart, outEnd: out.length });
      copied = at + 1;
    }
    out += markdown.slice(copied, end);
    copied = end;
  };
  const replace = (start: number, end: number, text: string) => {
    copyUpTo(start);
    const outStart = out.length;
    out += text;
    edits.push({ start, end, outStart, outEnd: out.length });
    copied = end;
  };
  const placeholder = (index: number, kind: Placeholder['kind'], text: string, end: number) => {
    const id = placeholderId(placeholders.length);
    placeholders.push({ id, token: index, kind, text });
    replace(tokens[index].start, end, id);
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.start < from) continue;
    if (token.end > to) break;
    if (token.type === 'escaped') {
      if (!plan.consumed.has(i)) placeholder(i, 'escaped', escapedShortcodeText(token), token.end);
      continue;
    }
    const planned = plan.byToken.get(i);
    if (!planned || plan.consumed.has(i)) continue;
    const closeEnd = planned.close === undefined ? token.end : tokens[planned.close].end;
    if (planned.shortcode.name === 'comment') {
      if (planned.close === undefined) continue; // unclosed: reported, left as written
      replace(token.start, closeEnd, newlinesIn(markdown, token.start, closeEnd));
      i = planned.close; // skips every token inside the comment
      continue;
    }
    if (planned.shortcode.inner === 'required' && planned.close === undefined) continue;
    const resolved = options.resolved?.(i);
    if (resolved?.text !== undefined) {
      if (token.delimiter === '{{<') placeholder(i, 'text', resolved.text, token.end);
      else replace(token.start, token.end, escapeHtml(resolved.text)); // escaped as Hugo's html/template does, then markdown
      continue;
    }
    if (!planned.shortcode.render && !resolved?.site) continue; // a text shortcode that did not resolve: reported
    placeholder(i, 'embed', markdown.slice(token.start, closeEnd), closeEnd);
    if (planned.close !== undefined) i = planned.close;
  }
  copyUpTo(to);
  return { markdown: out, placeholders, edits, base: from };
}

function newlinesIn(text: string, start: number, end: number): string {
  let lines = '';
  for (let p = text.indexOf('\n', start); p !== -1 && p < end; p = text.indexOf('\n', p + 1)) lines += '\n';
  return lines;
}

/** Map an offset in the expanded markdown back to the original text. */
export function originalOffset(edits: Edit[], offset: number, base = 0): number {
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
  if (found === -1) return base + offset;
  const edit = edits[found];
  if (offset < edit.outEnd) return edit.start;
  return edit.end + (offset - edit.outEnd);
}
