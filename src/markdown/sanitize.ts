// `sanitize: true`: for sites that publish runbooks contributed by others. Raw HTML is parsed and
// cleaned with GitHub's rules (rehype-sanitize's default schema: no <script>, no event handlers,
// no javascript: URLs), widened to what the theme and shortcodes write: ids, classes, data
// attributes, details/summary, definition lists. Rule cards are the tool's own HTML, built from
// escaped rule text: they are set aside before the clean-up and put back after it.
import type { Element, Root, RootContent } from 'hast';
import type { VFile } from 'vfile';
import { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';

/** Key of `file.data`: the HTML strings of this file's embeds (rule cards), trusted as they are. */
export const TRUSTED_HTML_KEY = 'trustedHtml';
const EMBED_TAG = 'runbook-site-embed';

export const sanitizeSchema: SanitizeSchema = {
  ...defaultSchema,
  // Heading ids stay as written: links and permalinks to `#section` must keep working.
  clobberPrefix: '',
  tagNames: [...(defaultSchema.tagNames ?? []), 'details', 'summary', 'dl', 'dt', 'dd', 'figure', 'figcaption', 'mark', 'abbr', 'kbd', 'span', 'div', EMBED_TAG],
  attributes: {
    ...defaultSchema.attributes,
    '*': [...(defaultSchema.attributes?.['*'] ?? []), 'className', 'id', 'data*', 'title', 'role', 'ariaLabel', 'ariaHidden', 'ariaDescribedBy', 'tabIndex'],
    details: ['open'],
    [EMBED_TAG]: ['dataEmbed'],
  },
};

function walk(parent: Root | Element, visit: (node: RootContent, index: number, parent: Root | Element) => void): void {
  for (let index = 0; index < parent.children.length; index++) {
    const node = parent.children[index];
    visit(node, index, parent);
    const current = parent.children[index];
    if (current.type === 'element') walk(current, visit);
  }
}

/** Replace the raw nodes that are this file's embeds by a placeholder element. */
export function rehypeSetAsideEmbeds() {
  return (tree: Root, file: VFile): void => {
    const trusted = (file.data as Record<string, unknown>)[TRUSTED_HTML_KEY] as string[] | undefined;
    if (!trusted || trusted.length === 0) return;
    walk(tree, (node, index, parent) => {
      if (node.type !== 'raw') return;
      const at = trusted.indexOf(node.value);
      if (at !== -1) parent.children[index] = { type: 'element', tagName: EMBED_TAG, properties: { dataEmbed: String(at) }, children: [] };
    });
  };
}

/** Put the embeds back where their placeholder elements survived the clean-up. */
export function rehypePutBackEmbeds() {
  return (tree: Root, file: VFile): void => {
    const trusted = ((file.data as Record<string, unknown>)[TRUSTED_HTML_KEY] as string[] | undefined) ?? [];
    walk(tree, (node, index, parent) => {
      if (node.type !== 'element' || node.tagName !== EMBED_TAG) return;
      const html = trusted[Number(node.properties?.dataEmbed)];
      parent.children[index] = html === undefined ? { type: 'text', value: '' } : { type: 'raw', value: html };
    });
  };
}

