// rehype plugin: rewrite relative `.md` links and collect what later stages need —
// headings (level, id, text), links with their place in the file, and plain text for search —
// into `file.data[COLLECT_DATA_KEY]`. Per-file settings come from `file.data[COLLECT_OPTIONS_KEY]`
// (or the plugin options), so one frozen processor serves every file.
import type { Element, Root, RootContent } from 'hast';
import type { VFile } from 'vfile';
import { readRawHtml } from './html-references.js';
import { escapeHtml } from '../html.js';

/** Raw HTML kept as written (remark-rehype's allowDangerousHtml). */
interface Raw {
  type: 'raw';
  value: string;
  position?: { start: { offset?: number } };
}

export interface CollectOptions {
  /** Page URL for a relative `.md` link (the whole href is passed), or undefined to keep it. */
  resolveLink?: (href: string) => string | undefined;
  /** File line/column of an offset into the processed markdown. */
  locate?: (offset: number) => { line: number; column: number };
}

/** A heading of the body as rendered: its text is what the reader sees (entities decoded, tags gone). */
export interface CollectedHeading {
  level: number;
  id: string;
  text: string;
}

/** A link (or with `image`, an image source) as written, with its place in the file. */
export interface CollectedLink {
  href: string;
  line: number;
  column: number;
  image?: boolean;
}

export interface Collected {
  headings: CollectedHeading[];
  /**
   * Every fragment target in the body, headings' first: element ids (footnotes' `user-content-fn-1`
   * included), `<a name>`, and the same inside raw HTML and rule embeds.
   */
  ids: string[];
  links: CollectedLink[];
  text: string;
}

export const COLLECT_OPTIONS_KEY = 'runbookCollectOptions';
export const COLLECT_DATA_KEY = 'runbookCollected';

const HEADING = /^h[1-6]$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
function textOf(node: Element): string {
  let text = '';
  for (const child of node.children) text += child.type === 'text' ? child.value : child.type === 'element' ? textOf(child) : '';
  return text;
}

const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'details', 'div', 'dl', 'dt', 'figcaption', 'figure',
  'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section',
  'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
]);

/** True for a relative link to a markdown file (`other.md`, `../x/y.md#frag`, `/runbooks/a.md`). */
export function isMarkdownLink(href: string): boolean {
  if (SCHEME.test(href) || href.startsWith('//') || href.startsWith('#')) return false;
  const end = href.search(/[?#]/);
  const path = end === -1 ? href : href.slice(0, end);
  return /\.md$/i.test(path);
}

/** Links worth resolving: not absolute, not protocol-relative, not only a fragment. */
/** Whether an href is the site's to resolve (not empty, no scheme, not protocol-relative, not only an anchor). */
export function isResolvable(href: string): boolean {
  return href !== '' && !SCHEME.test(href) && !href.startsWith('//') && !href.startsWith('#');
}


export default function rehypeCollect(options?: CollectOptions) {
  return function transformer(tree: Root, file: VFile): void {
    const settings: CollectOptions = options ?? ((file.data as Record<string, unknown>)[COLLECT_OPTIONS_KEY] as CollectOptions | undefined) ?? {};
    const collected: Collected = { headings: [], ids: [], links: [], text: '' };
    const text: string[] = [];
    const otherIds: string[] = [];

    const visitElement = (node: Element) => {
      const id = node.properties.id;
      if (typeof id === 'string' && id && !HEADING.test(node.tagName)) otherIds.push(id);
      if (node.tagName === 'a' && typeof node.properties.name === 'string' && node.properties.name) otherIds.push(node.properties.name);
      if (HEADING.test(node.tagName) && typeof node.properties.id === 'string') {
        collected.headings.push({ level: Number(node.tagName[1]), id: node.properties.id, text: textOf(node).trim() });
      }
      const image = node.tagName === 'img';
      const property = image ? 'src' : node.tagName === 'a' ? 'href' : undefined;
      if (property && typeof node.properties[property] === 'string') {
        const href = node.properties[property] as string;
        const offset = node.position?.start.offset;
        if (offset !== undefined) {
          const place = settings.locate ? settings.locate(offset) : { line: node.position!.start.line, column: node.position!.start.column };
          collected.links.push({ href, line: place.line, column: place.column, ...(image ? { image } : {}) });
        }
        const url = settings.resolveLink && isResolvable(href) ? settings.resolveLink(href) : undefined;
        if (url !== undefined) {
          const hash = href.indexOf('#');
          node.properties[property] = isMarkdownLink(href) && hash !== -1 && !url.includes('#') ? url + href.slice(hash) : url;
        }
      }
    };
    const visitRaw = (node: Raw) => {
      const offset = node.position?.start.offset;
      // Raw HTML is kept as text in the tree: its tags are read with an HTML parser, not a regex.
      if (!/<(a|img)\b|\b(id|name)\s*=/i.test(node.value)) return;
      const { references, ids } = readRawHtml(node.value);
      otherIds.push(...ids);
      if (offset === undefined) return;
      for (const reference of references) {
        const place = settings.locate ? settings.locate(offset + reference.start) : { line: 1, column: 1 };
        collected.links.push({ href: reference.value, line: place.line, column: place.column, ...(reference.image ? { image: true } : {}) });
      }
      let value = node.value;
      // Back to front, so that earlier offsets stay valid while the value is edited.
      for (const reference of [...references].reverse()) {
        const url = settings.resolveLink && isResolvable(reference.value) ? settings.resolveLink(reference.value) : undefined;
        if (url !== undefined) value = value.slice(0, reference.valueStart) + escapeHtml(url) + value.slice(reference.valueEnd);
      }
      node.value = value;
    };

    const walk = (nodes: RootContent[]) => {
      for (const node of nodes) {
        if (node.type === 'text') {
          text.push(node.value);
        } else if ((node as unknown as Raw).type === 'raw') {
          visitRaw(node as unknown as Raw);
        } else if (node.type === 'element') {
          visitElement(node);
          const block = BLOCK.has(node.tagName);
          if (block) text.push(' ');
          walk(node.children);
          if (block) text.push(' ');
        }
      }
    };
    walk(tree.children);
    collected.ids = [...new Set([...collected.headings.map((heading) => heading.id), ...otherIds])];
    collected.text = text.join('').replace(/\s+/g, ' ').trim();
    (file.data as Record<string, unknown>)[COLLECT_DATA_KEY] = collected;
  };
}
