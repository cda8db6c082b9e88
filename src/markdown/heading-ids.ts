// remark plugin: Hugo-compatible heading ids (Hugo 0.111, goldmark, autoHeadingIDType "github").
// Hugo builds the id from the heading's source text: letters, digits and `_` are kept
// (lower-cased), spaces and `-` become `-`, everything else is dropped; an empty id is
// `heading`; repeats get `-1`, `-2`… (checked against every id already given on the page).
// Ids are set on the mdast node (`data.hProperties.id`) because the source text is needed.
// As in Hugo (goldmark's heading attributes, on by default), a heading may end with an attribute
// block: `## Restart the pods {#restart .important}` sets the id and class and is not shown.
// Only `#id` and `.class` are applied; other attributes are dropped (an `onclick` must not reach
// the page).
import type { Heading, Root, RootContent } from 'mdast';
import type { VFile } from 'vfile';
import { PLACEHOLDER_PATTERN } from '../shortcodes/expand.js';

const LETTER_OR_DIGIT = /[\p{L}\p{Nd}_]/u;

/** Hugo's `anchorize` for the github id type (before uniqueness). */
export function hugoAnchor(text: string): string {
  let id = '';
  for (const ch of text.trim()) {
    if (ch === ' ' || ch === '-') id += '-';
    else if (LETTER_OR_DIGIT.test(ch)) id += ch.toLowerCase();
  }
  return id;
}

/** Gives unique ids within one page; `reserve` marks an id given explicitly. */
export function createIdFactory(): ((text: string) => string) & { reserve(id: string): void } {
  const used = new Set<string>();
  const next = (text: string) => {
    let id = hugoAnchor(text) || 'heading';
    if (used.has(id)) {
      let n = 1;
      while (used.has(`${id}-${n}`)) n++;
      id = `${id}-${n}`;
    }
    used.add(id);
    return id;
  };
  return Object.assign(next, { reserve: (id: string) => void used.add(id) });
}

/** One attribute of a heading's `{…}` block: `#id`, `.class` or `key=value` (quoted or not; the value is required, as in goldmark). */
const ATTRIBUTE = /^(?:#([^\s{}#.="']+)|\.([^\s{}#.="']+)|[A-Za-z_:][\w:.-]*\s*=\s*(?:"[^"]*"|'[^']*'|[^\s{}"'=]+))/;

interface HeadingAttributes {
  id?: string;
  classes: string[];
  /** Where the block starts in the text it ends. */
  start: number;
}

/** The attribute block that ends `text`, when it is one (else it is ordinary text and stays). */
function trailingAttributes(text: string): HeadingAttributes | undefined {
  const trimmed = text.trimEnd();
  if (!trimmed.endsWith('}')) return undefined;
  const open = trimmed.lastIndexOf('{');
  if (open === -1 || (open > 0 && !/\s/.test(trimmed[open - 1]))) return undefined;
  const attributes: HeadingAttributes = { classes: [], start: open };
  let rest = trimmed.slice(open + 1, -1).trim();
  if (!rest) return undefined;
  while (rest) {
    const match = ATTRIBUTE.exec(rest);
    if (!match) return undefined;
    if (match[1] !== undefined) attributes.id = match[1];
    if (match[2] !== undefined) attributes.classes.push(match[2]);
    rest = rest.slice(match[0].length);
    if (rest && !/^\s/.test(rest)) return undefined;
    rest = rest.trimStart();
  }
  return attributes;
}

function headingSource(node: Heading, source: string): string {
  const first = node.children[0];
  const last = node.children[node.children.length - 1];
  const start = first?.position?.start.offset;
  const end = last?.position?.end.offset;
  if (start === undefined || end === undefined) return '';
  return source.slice(start, end).replace(PLACEHOLDER_PATTERN, '');
}

/**
 * `file.data` key of the id factory of the page a file is part of: a shortcode's inner content is
 * rendered as a file of its own, and its headings must not take ids the body's headings have.
 */
export const PAGE_IDS_KEY = 'runbook-site:page-heading-ids';

export default function remarkHeadingIds(_options?: Record<string, never>) {
  return function transformer(tree: Root, file: VFile): void {
    const source = String(file.value ?? '');
    const nextId = ((file.data as Record<string, unknown>)[PAGE_IDS_KEY] as ReturnType<typeof createIdFactory> | undefined) ?? createIdFactory();
    const walk = (nodes: RootContent[]) => {
      for (const node of nodes) {
        if (node.type === 'heading') {
          const data = (node.data ??= {});
          const properties = (data.hProperties ??= {});
          const last = node.children[node.children.length - 1];
          const attributes = last?.type === 'text' ? trailingAttributes(last.value) : undefined;
          if (last?.type === 'text' && attributes) {
            last.value = last.value.slice(0, attributes.start).trimEnd();
            if (!last.value) node.children.pop();
            if (attributes.id) {
              properties.id = attributes.id;
              nextId.reserve(attributes.id);
            }
            if (attributes.classes.length) properties.className = attributes.classes;
          }
          if (properties.id === undefined) {
            const text = headingSource(node, source);
            properties.id = nextId(attributes ? text.slice(0, text.lastIndexOf('{')) : text);
          }
        } else if ('children' in node) {
          walk(node.children as RootContent[]);
        }
      }
    };
    walk(tree.children);
  };
}
