// remark plugin: put shortcode output where `expandShortcodes` left placeholders.
//  - a paragraph holding only one embed placeholder becomes a raw HTML block (the embed);
//  - an embed inside text splits the text node around an inline raw HTML node;
//  - inside HTML nodes the embed HTML is substituted in the HTML string;
//  - escaped shortcodes become literal text (escaped as text, or as HTML inside HTML nodes);
//  - anywhere else (link URLs, titles, code) the shortcode's own text is put back.
// Options can be given to the plugin, or per file in `file.data.shortcodePlaceholders`
// (so one frozen processor serves every file).
import type { Html, Nodes, Parent, Root, RootContent, Text } from 'mdast';
import type { VFile } from 'vfile';
import { PLACEHOLDER_OPEN, PLACEHOLDER_PATTERN as ANY_PLACEHOLDER, type Placeholder } from './expand.js';
import { escapeHtml } from '../html.js';

export interface PlaceholderOptions {
  placeholders: Placeholder[];
  /** The document's placeholder pattern (`expandShortcodes`'s); only these are replaced. */
  pattern?: RegExp;
  /** HTML for the embed whose token index is given. */
  renderEmbed: (index: number) => string;
}

/** Key of `file.data` read when the plugin is used without options. */
export const PLACEHOLDER_DATA_KEY = 'shortcodePlaceholders';

export default function remarkPlaceholders(options?: PlaceholderOptions) {
  return function transformer(tree: Root, file: VFile): void {
    const settings = options ?? (file.data as Record<string, unknown>)[PLACEHOLDER_DATA_KEY] as PlaceholderOptions | undefined;
    if (!settings || settings.placeholders.length === 0) return;
    const { placeholders, renderEmbed } = settings;
    const PATTERN = new RegExp((settings.pattern ?? ANY_PLACEHOLDER).source, 'g');
    const ONLY = new RegExp(`^\\s*${PATTERN.source}\\s*$`);
    const embedCache = new Map<number, string>();
    const embedHtml = (placeholder: Placeholder): string => {
      let html = embedCache.get(placeholder.token);
      if (html === undefined) {
        html = renderEmbed(placeholder.token);
        embedCache.set(placeholder.token, html);
      }
      return html;
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
      PATTERN.lastIndex = 0;
      for (let match = PATTERN.exec(node.value); match; match = PATTERN.exec(node.value)) {
        const placeholder = lookup(match[1]);
        if (!placeholder) continue;
        pending += node.value.slice(last, match.index);
        last = match.index + match[0].length;
        if (placeholder.kind === 'escaped') {
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
            children[i] = { type: 'html', value: embedHtml(placeholder), position: node.position };
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
