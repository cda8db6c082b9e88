import test from 'node:test';
import assert from 'node:assert/strict';
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import { eachElement, SKIP } from '../src/markdown/each-element.js';

const el = (tagName: string, ...children: (Element | string)[]): Element => ({
  type: 'element',
  tagName,
  properties: {},
  children: children.map((child) => (typeof child === 'string' ? { type: 'text', value: child } : child)),
});
/** <h2>A <em>b</em></h2><pre><code>x</code></pre><ul><li><p>c <a>d</a></p></li></ul><!-- f --><aside><p>e</p></aside> */
const page = (): Root => ({
  type: 'root',
  children: [el('h2', 'A ', el('em', 'b')), el('pre', el('code', 'x')), el('ul', el('li', el('p', 'c ', el('a', 'd')))), { type: 'comment', value: ' f ' }, el('aside', el('p', 'e'))],
});

test('eachElement visits the elements unist-util-visit visits, in the same order, with the same parents', () => {
  const tree = page();
  const expected: string[] = [];
  visit(tree, 'element', (node: Element, _index, parent) => {
    expected.push(`${node.tagName}<${parent?.type === 'element' ? parent.tagName : parent?.type}`);
  });
  const seen: string[] = [];
  eachElement(tree, (node, parent) => {
    seen.push(`${node.tagName}<${parent.type === 'element' ? parent.tagName : parent.type}`);
  });
  assert.ok(expected.length > 6);
  assert.deepEqual(seen, expected);
});

test('eachElement leaves the children of an element whose visitor returns SKIP unvisited, and reads children after the visitor', () => {
  const tree = page();
  const seen: string[] = [];
  eachElement(tree, (node) => {
    seen.push(node.tagName);
    if (node.tagName === 'h2') return SKIP;
    if (node.tagName === 'li') node.children = [{ type: 'element', tagName: 'b', properties: {}, children: [] }];
  });
  assert.deepEqual(seen, ['h2', 'pre', 'code', 'ul', 'li', 'b', 'aside', 'p']);
});
