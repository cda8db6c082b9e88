// The gated parser (each GFM / definition-list extension only where it can fire) must give the very
// tree, positions included, that remark-parse + remark-gfm + remark-definition-list give.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkDefinitionList from 'remark-definition-list';
import { parseMarkdown } from '../src/markdown/remark-parse-gated.js';
import { listFiles } from '../src/load/files.js';
import { SRERUN, srerunAvailable } from './helpers/corpus.js';
import { projectRoot } from './helpers/project.js';

const reference = unified().use(remarkParse).use(remarkGfm).use(remarkDefinitionList);

function differences(documents: { name: string; markdown: string }[]): string[] {
  const failed: string[] = [];
  for (const { name, markdown } of documents) {
    const expected = JSON.stringify(reference.parse(markdown));
    const actual = JSON.stringify(parseMarkdown(markdown));
    if (actual !== expected) failed.push(name);
  }
  return failed;
}

// Each GFM extension where it fires, and the forms that only decode to a trigger: the
// autolink-literal transform reads decoded text, so escapes and character references count.
const GFM_CASES = [
  '| a | b |\n| - | :-: |\n| 1 | 2 |\n',
  'a | b\n--|--\n1 | 2\n',
  '~~gone~~ and ~single~ and a ~ alone',
  '- [ ] todo\n- [x] done\n* [X] also\n',
  'A note.[^1]\n\n[^1]: The footnote.\n',
  'Visit www.example.com, https://example.com/a?b=c, http://x.y and mail me at a.b@example.org.',
  'mailto:ops@example.com and xmpp:ops@example.com',
  'www&#46;example.com and www\\.example.com and http&#58;//example.com and https\\://example.com',
  'ops&#64;example.com and ops&commat;example.com and ops\\@example.com',
  '&#119;ww.example.com and h&#116;tp://example.com',
  'Term\n: Definition\n\nOther\n:   Indented definition\n',
  '> Term\n> : Definition in a quote\n',
  '- Term\n  : Definition in a list\n',
  '1. Term\n   : Definition in an ordered list\n',
  'No trigger at all: just a colon in prose.',
  'Shell: `cmd1 && cmd2`, a|b in code, `~/.kube/config`, [link](https://example.com)',
  '| table with www.example.com | and ~~strike~~ |\n|---|---|\n| [ ] no task | [^x] |\n',
  // Tables without a pipe: an alignment colon alone makes the delimiter row.
  'a\n:-\n',
  'a\n--:\n',
  'a\n:-:\nb\n',
  'no pipe, right-aligned\n -: \n',
];

test('gated parser: the same trees as remark-gfm on GFM constructs and their decoded look-alikes', () => {
  assert.deepEqual(differences(GFM_CASES.map((markdown, i) => ({ name: `case ${i}`, markdown }))), []);
});

test('gated parser: the same trees on every CommonMark specification example', () => {
  const require = createRequire(import.meta.url);
  const spec = require('commonmark-spec') as { tests: { markdown: string; number: number }[] };
  assert.ok(spec.tests.length > 600, `${spec.tests.length} examples`);
  assert.deepEqual(differences(spec.tests.map((example) => ({ name: `example ${example.number}`, markdown: example.markdown }))), []);
});

test('gated parser: the same trees on every markdown fixture and sample runbook', async () => {
  const documents: { name: string; markdown: string }[] = [];
  for (const folder of ['runbooks', 'test/fixtures']) {
    const root = path.join(projectRoot, folder);
    for (const file of await listFiles(root, (name) => name.toLowerCase().endsWith('.md'))) {
      documents.push({ name: `${folder}/${file}`, markdown: readFileSync(path.join(root, file), 'utf8') });
    }
  }
  assert.ok(documents.length > 5);
  assert.deepEqual(differences(documents), []);
});

test('gated parser: the same trees on every markdown file of the srerun corpus', async (t) => {
  if (!srerunAvailable()) return t.skip('corpus not found');
  const root = path.join(SRERUN, 'content');
  const files = await listFiles(root, (name) => name.toLowerCase().endsWith('.md'));
  assert.ok(files.length > 1000);
  assert.deepEqual(differences(files.map((file) => ({ name: file, markdown: readFileSync(path.join(root, file), 'utf8') }))), []);
});
