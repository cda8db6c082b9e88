// Pairs shortcodes with their closing tags: which tokens open a shortcode with inner content,
// where that content ends, and which tokens lie inside raw content (left as written).
// Pure and deterministic: the link stage and the render stage compute the same plan.
import type { ShortcodeToken } from '../model.js';
import type { Shortcode } from './registry.js';
import type { ShortcodeProblem } from './tokenize.js';
import { CLOSERS } from './tokenize.js';

export interface PlannedShortcode {
  /** Index of the opening (or only) token. */
  token: number;
  /** Index of the closing token, for a paired shortcode. */
  close?: number;
  shortcode: Shortcode;
}

export interface ShortcodePlan {
  /** Known shortcodes in token order (nested ones included), keyed by their opening token. */
  byToken: Map<number, PlannedShortcode>;
  /** Tokens inside raw inner content, or closing tags that were consumed: not shortcodes themselves. */
  consumed: Set<number>;
  problems: ShortcodeProblem[];
}

function written(token: ShortcodeToken, inner: string): string {
  return `${token.delimiter} ${inner} ${CLOSERS[token.delimiter]}`;
}

/** `lookup(name)` gives the shortcode of a name, or undefined for an unknown one (left alone). */
export function planShortcodes(tokens: ShortcodeToken[], lookup: (name: string) => Shortcode | undefined): ShortcodePlan {
  const byToken = new Map<number, PlannedShortcode>();
  const consumed = new Set<number>();
  const problems: ShortcodeProblem[] = [];
  /** Open paired (or possibly paired) shortcodes, innermost last. */
  const stack: PlannedShortcode[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === 'escaped') continue;
    const shortcode = lookup(token.name);
    if (!shortcode) continue;
    if (token.type === 'open') {
      const planned: PlannedShortcode = { token: i, shortcode };
      byToken.set(i, planned);
      if (shortcode.inner !== 'none' && !token.selfClosing) {
        if (shortcode.rawInner) {
          // Raw content runs to the next closing tag of the same name; nothing inside is a shortcode.
          const close = tokens.findIndex((t, j) => j > i && t.type === 'close' && t.name === token.name);
          if (close !== -1) {
            planned.close = close;
            for (let j = i + 1; j <= close; j++) consumed.add(j);
            i = close;
            continue;
          }
        }
        stack.push(planned);
      }
      continue;
    }
    // A closing tag: pairs with the innermost open shortcode of that name.
    let at = stack.length - 1;
    while (at >= 0 && tokens[stack[at].token].name !== token.name) at--;
    if (at === -1) {
      problems.push({
        start: token.start,
        end: token.end,
        message:
          shortcode.inner === 'none'
            ? `Unexpected closing \`${token.source}\`: \`${token.name}\` takes no inner content, remove the closing tag`
            : `Unexpected closing \`${token.source}\`, expected an opening \`${written(token, token.name)}\` before it`,
        ruleId: 'shortcode-stray-close',
      });
      continue;
    }
    // Shortcodes opened after it and never closed: optional ones simply had no content.
    for (const inner of stack.splice(at + 1)) reportUnclosed(tokens, inner, problems);
    const open = stack.pop()!;
    open.close = i;
    consumed.add(i);
  }
  for (const open of stack) reportUnclosed(tokens, open, problems);
  return { byToken, consumed, problems };
}

function reportUnclosed(tokens: ShortcodeToken[], open: PlannedShortcode, problems: ShortcodeProblem[]): void {
  if (open.shortcode.inner !== 'required') return;
  const token = tokens[open.token];
  problems.push({
    start: token.start,
    end: token.end,
    message:
      token.name === 'comment'
        ? `Unexpected end of file, expected \`${written(token, '/comment')}\` to close the comment opened here`
        : `Unexpected end of file, expected \`${written(token, '/' + token.name)}\` to close the \`${token.name}\` opened here`,
    ruleId: 'shortcode-unclosed',
  });
}
