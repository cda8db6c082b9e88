// rehype plugin: a permalink on every h2–h6 that has an id, as GitHub and Hugo themes show one:
// `<a class="anchor" href="#id">` after the heading text, shown on hover and on keyboard focus.
// Runs after the collector, so headings' text (table of contents, search) stays without it.
import type { Element, Root } from 'hast';
import { eachElement, SKIP } from './each-element.js';

function textOf(node: Element): string {
  let text = '';
  for (const child of node.children) text += child.type === 'text' ? child.value : child.type === 'element' ? textOf(child) : '';
  return text;
}

export default function rehypeHeadingAnchors() {
  return (tree: Root) => {
    eachElement(tree, (node) => {
      if (!/^h[2-6]$/.test(node.tagName)) return;
      const id = node.properties?.id;
      if (typeof id !== 'string' || !id) return;
      const label = textOf(node).trim();
      node.children.push({ type: 'text', value: ' ' });
      node.children.push({
        type: 'element',
        tagName: 'a',
        properties: { className: ['anchor'], href: `#${id}`, ariaLabel: label ? `Link to this section: ${label}` : 'Link to this section' },
        children: [{ type: 'text', value: '#' }],
      });
      return SKIP;
    });
  };
}
