// ```mermaid fences drawn as diagrams, as GitHub renders them and as the docs themes' Hugo code-block
// hooks do: the same `<pre class="sc-mermaid">` as the `mermaid` shortcode, and its scripts once per
// page (the library is the site's own asset, published only when a page uses it). Without
// JavaScript, or in `check`, the diagram's source shows.
import type { Element, Root } from 'hast';
import type { VFile } from 'vfile';
import { mermaidScripts } from '../shortcodes/builtin/mermaid.js';
import type { RenderEnv } from '../shortcodes/registry.js';
import { languageOfCode, textOf } from './highlight-code.js';

/** file.data key: the page's services (see RenderEnv), `asset` (an asset's URL) and `first` (true once per key and page). */
export const MERMAID_DATA_KEY = 'runbookSiteMermaid';

export type MermaidServices = Pick<RenderEnv, 'asset' | 'first'>;

const script = (src: string): Element => ({ type: 'element', tagName: 'script', properties: { src, defer: true }, children: [] });

export default function rehypeMermaidFences() {
  return (tree: Root, file: VFile): void => {
    // Most pages have no diagram: no walk for them.
    if (!String(file.value).includes('mermaid')) return;
    const services = (file.data as Record<string, unknown>)[MERMAID_DATA_KEY] as MermaidServices | undefined;
    const walk = (parent: Root | Element) => {
      for (let i = 0; i < parent.children.length; i++) {
        const node = parent.children[i];
        if (node.type !== 'element') continue;
        const code = node.tagName === 'pre' && node.children.length === 1 ? node.children[0] : undefined;
        if (code?.type !== 'element' || code.tagName !== 'code' || languageOfCode(code) !== 'mermaid') {
          walk(node);
          continue;
        }
        parent.children[i] = { type: 'element', tagName: 'pre', properties: { className: ['sc-mermaid'] }, children: [{ type: 'text', value: textOf(code).replace(/\s+$/, '') }] };
        const scripts = services ? mermaidScripts(services).map(script) : [];
        parent.children.splice(i + 1, 0, ...scripts);
        i += scripts.length;
      }
    };
    walk(tree);
  };
}
