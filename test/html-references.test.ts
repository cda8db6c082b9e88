// The raw-HTML reader skips the HTML parser when no attribute it reads can be there: the answers
// must be the same as the parser's for every way of writing those attributes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRawHtml } from '../src/markdown/html-references.js';

test('attributes in any case and spacing are still found; HTML without them yields nothing', () => {
  const found = (html: string) => {
    const read = readRawHtml(html);
    return { values: read.references.map((ref) => `${ref.image ? 'img' : 'a'} ${html.slice(ref.valueStart, ref.valueEnd)}`), ids: read.ids };
  };
  assert.deepEqual(found('<a HREF = "x.md">x</a>'), { values: ['a x.md'], ids: [] });
  assert.deepEqual(found("<IMG Src='pic.png'>"), { values: ['img pic.png'], ids: [] });
  assert.deepEqual(found('<a href=\n"y.md">'), { values: ['a y.md'], ids: [] });
  assert.deepEqual(found('<a NAME=top></a><div Id="steps">'), { values: [], ids: ['top', 'steps'] });
  assert.deepEqual(found('<details><summary>Show the query</summary>'), { values: [], ids: [] });
  assert.deepEqual(found('<a href>no value</a><img src>'), { values: [], ids: [] });
  assert.deepEqual(found('<!-- href="x.md" is in a comment -->'), { values: [], ids: [] });
});
