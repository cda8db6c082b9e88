// remark plugin: put shortcode output where `expandShortcodes` left placeholders.
//  - a paragraph holding only one embed placeholder becomes a raw HTML block (the embed);
//  - an embed inside text splits the text node around an inline raw HTML node;
//  - inside HTML nodes the embed HTML is substituted in the HTML string;
//  - a shortcode whose output is a code block (`highlight`) alone in its paragraph becomes that
//    mdast code node, so it is rendered (and highlighted) exactly as a fenced block would be;
//  - escaped shortcodes and text output (`ref`, `param`) become literal text (escaped as text, or
//    as HTML inside HTML nodes);
//  - anywhere else (link URLs, titles, code) the shortcode's own text is put back.
// Options can be given to the plugin, or per file in `file.data.shortcodePlaceholders`
// (so one frozen processor serves every file).
import type { Code, Html, Nodes, Parent, Root, RootContent, Text } from 'mdast';
import type { VFile } from 'vfile';
import { PLACEHOLDER_OPEN, PLACEHOLDER_PATTERN as PATTERN, type Placeholder } from './expand.js';
import { escapeHtml } from '../html.js';

/** What an embed renders to: HTML, or a code block to render as a fenced one. */
export type EmbedOutput = string | { code: { lang?: string; meta?: string; value: string } };

export interface PlaceholderOptions {
  placeholders: Placeholder[];
  /** Output of the embed whose token index is given. */
  renderEmbed: (index: number) => EmbedOutput;
}

/** A code block output where only inline HTML can go. */
function codeHtml(code: { lang?: string; value: string }): string {
  const lang = code.lang ? ` class="language-${escapeHtml(code.lang)}"` : '';
  return `<pre><code${lang}>${escapeHtml(code.value)}</code></pre>`;
}

/** Key of `file.data` read when the plugin is used without options. */
export const PLACEHOLDER_DATA_KEY = 'shortcodePlaceholders';

const ONLY = /^\s*\uE000(\d+)\uE001\s*$/;
/** A paragraph of nothing but placeholders (tabs of a `tabs`, one per line). */
const ONLY_SEVERAL = /^\s*(?:\uE000\d+\uE001\s*){2,}$/;

export default function remarkPlaceholders(options?: PlaceholderOptions) {
  return function transformer(tree: Root, file: VFile): void {
    const settings = options ?? (file.data as Record<string, unknown>)[PLACEHOLDER_DATA_KEY] as PlaceholderOptions | undefined;
    if (!settings || settings.placeholders.length === 0) return;
    const { placeholders, renderEmbed } = settings;
    const embedCache = new Map<number, EmbedOutput>();
    const embedOutput = (placeholder: Placeholder): EmbedOutput => {
      let output = embedCache.get(placeholder.token);
      if (output === undefined) {
        output = renderEmbed(placeholder.token);
        embedCache.set(placeholder.token, output);
      }
      return output;
    };
    const embedHtml = (placeholder: Placeholder): string => {
      const output = embedOutput(placeholder);
      return typeof output === 'string' ? output : codeHtml(output.code);
    };
    const lookup = (digits: string): Placeholder | undefined => placeholders[Number(digits)];

    /** Replace placeholders in a string by the shortcode text (or literal for escaped). */
    const asText = (value: string): string =>
      value.replace(PATTERN, (whole, digits: string) => lookup(digits)?.text ?? whole);
    const asHtml = (value: string): string =>
      value.replace(PATTERN, (whole, digits: string) => {
        const placeholder = lookup(digits);
        if (!placeholder) return whole;
        return placeholder.kind === 'embed' ? embedHtml(placeholder) : escapeHtml(placeholder.text);
      });

    const splitText = (node: Text): (Text | Html)[] => {
      const out: (Text | Html)[] = [];
      let pending = '';
      let last = 0;
      // matchAll, not exec on the shared /g pattern: rendering an embed below renders its inner
      // content with this same plugin, which would move the pattern's lastIndex under this loop.
      for (const match of node.value.matchAll(PATTERN)) {
        const placeholder = lookup(match[1]);
        if (!placeholder) continue;
        pending += node.value.slice(last, match.index);
        last = match.index + match[0].length;
        if (placeholder.kind !== 'embed') {
          pending += placeholder.text;
        } else {
          if (pending) out.push({ type: 'text', value: pending });
          pending = '';
          out.push({ type: 'html', value: embedHtml(placeholder) });
        }
      }
      pending += node.value.slice(last);
      if (pending) out.push({ type: 'text', value: pending });
      if (out.length === 1 && out[0].type === 'text') out[0].position = node.position;
      return out;
    };

    const walk = (parent: Parent): void => {
      const children = parent.children as RootContent[];
      for (let i = 0; i < children.length; i++) {
        const node = children[i];
        if (node.type === 'paragraph' && node.children.length === 1 && node.children[0].type === 'text') {
          const only = ONLY.exec(node.children[0].value);
          const placeholder = only ? lookup(only[1]) : undefined;
          if (placeholder?.kind === 'embed') {
            const output = embedOutput(placeholder);
            children[i] =
              typeof output === 'string'
                ? // No position: links in a shortcode's output are the shortcode's own (its inner
                  // content is collected where it is written), not raw HTML the author wrote here.
                  { type: 'html', value: output }
                : ({ type: 'code', lang: output.code.lang ?? null, meta: output.code.meta ?? null, value: output.code.value, position: node.position } satisfies Code);
            continue;
          }
        }
        if (node.type === 'paragraph' && node.children.length === 1 && node.children[0].type === 'text' && ONLY_SEVERAL.test(node.children[0].value)) {
          // Several embeds, one after the other: each a block of its own, as if blank lines parted them.
          const found = [...node.children[0].value.matchAll(PATTERN)].map((match) => lookup(match[1]));
          if (found.every((placeholder) => placeholder?.kind === 'embed')) {
            const blocks = found.map((placeholder): RootContent => {
              const output = embedOutput(placeholder!);
              return typeof output === 'string'
                ? { type: 'html', value: output }
                : { type: 'code', lang: output.code.lang ?? null, meta: output.code.meta ?? null, value: output.code.value };
            });
            children.splice(i, 1, ...blocks);
            i += blocks.length - 1;
            continue;
          }
        }
        if (node.type === 'text') {
          if (!node.value.includes(PLACEHOLDER_OPEN)) continue;
          const parts = splitText(node);
          children.splice(i, 1, ...(parts as RootContent[]));
          i += parts.length - 1;
          continue;
        }
        if (node.type === 'html') {
          if (node.value.includes(PLACEHOLDER_OPEN)) node.value = asHtml(node.value);
          continue;
        }
        fixAttributes(node, asText);
        if ('children' in node) walk(node as Parent);
      }
    };
    walk(tree);
  };
}

/** Put shortcode text back in string fields markdown kept as-is (URLs, titles, alt, code). */
function fixAttributes(node: Nodes, asText: (value: string) => string): void {
  const record = node as unknown as Record<string, unknown>;
  for (const key of ['url', 'title', 'alt', 'value', 'lang', 'meta']) {
    const value = record[key];
    if (typeof value === 'string' && value.includes(PLACEHOLDER_OPEN)) record[key] = asText(value);
  }
}
