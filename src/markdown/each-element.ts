// A preorder walk over the elements of a hast tree, for our rehype plugins. unist-util-visit's
// generality (node tests, ancestor stacks, its return protocol) cost each of them about 80 ms
// on srerun's 1,669 pages, most of a plugin's time; this loop does the same walk for a fraction.
import type { Element, Root } from 'hast';

/** Return SKIP from the callback to leave the element's children unvisited. */
export const SKIP = 'skip';

/**
 * Calls `visitor` for every element under `tree`, parents before children, in document order.
 * Children are read after the visitor returns, so it may replace its element's children (and
 * then usually returns SKIP); it must not add or remove its parent's children.
 */
export function eachElement(tree: Root | Element, visitor: (node: Element, parent: Root | Element) => typeof SKIP | void): void {
  const children = tree.children;
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    if (child.type !== 'element') continue;
    if (visitor(child, tree) !== SKIP) eachElement(child, visitor);
  }
}
