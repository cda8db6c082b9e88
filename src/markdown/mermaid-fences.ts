// ```mermaid fences drawn as diagrams, as GitHub renders them and as the docs themes' Hugo code-block
// hooks do: the same `<pre class="sc-mermaid">` as the `mermaid` shortcode, and its scripts once per
// page (the library is the site's own asset, published only when a page uses it). Without
// JavaScript, or in `check`, the diagram's source shows.
import type { Element, ElementContent, Root } from 'hast';
import type { VFile } from 'vfile';
import { MERMAID_ASSET, MERMAID_INIT_ASSET } from '../shortcodes/builtin/mermaid.js';

/** file.data key: the page's services, `asset` (an asset's URL) and `first` (true once per key and page). */
export const MERMAID_DATA_KEY = 'runbookSiteMermaid';

export interface MermaidServices {
  asset(name: string): string | undefined;
  first(key: string): boolean;
}

function isMermaidCode(node: ElementContent): node is Element {
  if (node.type !== 'element' || node.tagName !== 'code') return false;
  const classes = node.properties?.className;
  return Array.isArray(classes) && classes.includes('language-mermaid');
}

function textOf(node: Element): string {
  return node.children.map((child) => (child.type === 'text' ? child.value : child.type === 'element' ? textOf(child) : '')).join('');
}

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
        if (!code || !isMermaidCode(code)) {
          walk(node);
          continue;
        }
        parent.children[i] = { type: 'element', tagName: 'pre', properties: { className: ['sc-mermaid'] }, children: [{ type: 'text', value: textOf(code).replace(/\s+$/, '') }] };
        const library = services?.asset(MERMAID_ASSET);
        const init = services?.asset(MERMAID_INIT_ASSET);
        if (library && init && services!.first('mermaid')) {
          parent.children.splice(i + 1, 0, script(library), script(init));
          i += 2;
        }
      }
    };
    walk(tree);
  };
}
