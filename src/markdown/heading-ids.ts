// remark plugin: Hugo-compatible heading ids (Hugo 0.111, goldmark, autoHeadingIDType "github").
// Hugo builds the id from the heading's source text: letters, digits and `_` are kept
// (lower-cased), spaces and `-` become `-`, everything else is dropped; an empty id is
// `heading`; repeats get `-1`, `-2`… (checked against every id already given on the page).
// Ids are set on the mdast node (`data.hProperties.id`) because the source text is needed.
import type { Heading, Root, RootContent } from 'mdast';
import type { VFile } from 'vfile';

const LETTER_OR_DIGIT = /[\p{L}\p{Nd}_]/u;
const PLACEHOLDER = /\uE000\d+\uE001/g;

/** Hugo's `anchorize` for the github id type (before uniqueness). */
export function hugoAnchor(text: string): string {
  let id = '';
  for (const ch of text.trim()) {
    if (ch === ' ' || ch === '-') id += '-';
    else if (LETTER_OR_DIGIT.test(ch)) id += ch.toLowerCase();
  }
  return id;
}

/** Gives unique ids within one page. */
export function createIdFactory(): (text: string) => string {
  const used = new Set<string>();
  return (text) => {
    let id = hugoAnchor(text) || 'heading';
    if (used.has(id)) {
      let n = 1;
      while (used.has(`${id}-${n}`)) n++;
      id = `${id}-${n}`;
    }
    used.add(id);
    return id;
  };
}

function headingSource(node: Heading, source: string): string {
  const first = node.children[0];
  const last = node.children[node.children.length - 1];
  const start = first?.position?.start.offset;
  const end = last?.position?.end.offset;
  if (start === undefined || end === undefined) return '';
  return source.slice(start, end).replace(PLACEHOLDER, '');
}

export default function remarkHeadingIds(_options?: Record<string, never>) {
  return function transformer(tree: Root, file: VFile): void {
    const source = String(file.value ?? '');
    const nextId = createIdFactory();
    const walk = (nodes: RootContent[]) => {
      for (const node of nodes) {
        if (node.type === 'heading') {
          const data = (node.data ??= {});
          const properties = (data.hProperties ??= {});
          if (properties.id === undefined) properties.id = nextId(headingSource(node, source));
        } else if ('children' in node) {
          walk(node.children as RootContent[]);
        }
      }
    };
    walk(tree.children);
  };
}
