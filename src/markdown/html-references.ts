// The `href` of `<a>` and the `src` of `<img>` in a piece of raw HTML written in markdown, with
// where each value is in the text, so that it can be checked and rewritten in place (the rest of
// the HTML stays byte for byte as written). parse5, the parser rehype itself uses, finds them.
import { parseFragment } from 'parse5';

export interface HtmlReference {
  value: string;
  image: boolean;
  /** Offset of the attribute in the text. */
  start: number;
  /** Offsets of the value, quotes excluded. */
  valueStart: number;
  valueEnd: number;
}

interface LocatedNode {
  nodeName: string;
  attrs?: { name: string; value: string }[];
  childNodes?: LocatedNode[];
  content?: LocatedNode;
  sourceCodeLocation?: { attrs?: Record<string, { startOffset: number; endOffset: number }> } | null;
}

export interface RawHtml {
  references: HtmlReference[];
  /** Fragment targets it defines: `id` attributes and `<a name>`. */
  ids: string[];
}

/**
 * Whether the HTML may hold an attribute read below: every one of them has a value, so its name
 * is followed by `=` (names are ASCII, any case). srerun's raw HTML is 2,360 `<details>` and
 * `<summary>` tags with none: parsing them was 4 % of a render worker's time.
 */
const MAY_REFERENCE = /(?:href|src|id|name)\s*=/i;

/** One parse of a piece of raw HTML for what the link stage needs of it. */
export function readRawHtml(html: string): RawHtml {
  if (!MAY_REFERENCE.test(html)) return { references: [], ids: [] };
  const found: HtmlReference[] = [];
  const ids: string[] = [];
  const visit = (node: LocatedNode) => {
    for (const attr of node.attrs ?? []) {
      if ((attr.name === 'id' || (attr.name === 'name' && node.nodeName === 'a')) && attr.value) ids.push(attr.value);
    }
    const attribute = node.nodeName === 'img' ? 'src' : node.nodeName === 'a' ? 'href' : undefined;
    const span = attribute ? node.sourceCodeLocation?.attrs?.[attribute] : undefined;
    const value = attribute ? node.attrs?.find((attr) => attr.name === attribute)?.value : undefined;
    if (span && value !== undefined) {
      // The span is the whole `name = "value"`: the value starts after `=`, blanks and a quote.
      const text = html.slice(span.startOffset, span.endOffset);
      const equals = text.indexOf('=');
      let valueStart = equals + 1;
      while (valueStart < text.length && /\s/.test(text[valueStart])) valueStart++;
      const quoted = text[valueStart] === '"' || text[valueStart] === "'";
      const valueEnd = quoted ? text.length - 1 : text.length;
      if (equals !== -1) {
        found.push({ value, image: node.nodeName === 'img', start: span.startOffset, valueStart: span.startOffset + valueStart + (quoted ? 1 : 0), valueEnd: span.startOffset + valueEnd });
      }
    }
    for (const child of node.childNodes ?? []) visit(child);
    if (node.content) visit(node.content);
  };
  visit(parseFragment(html, { sourceCodeLocationInfo: true }) as unknown as LocatedNode);
  return { references: found, ids };
}
