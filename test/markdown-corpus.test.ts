// Renders every markdown file of the srerun corpus (the Hugo site this tool replaces).
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMarkdown } from '../src/markdown/render.js';
import { tokenizeShortcodes } from '../src/shortcodes/tokenize.js';

const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../shared/corpora/srerun/content');

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...markdownFiles(full));
    else if (entry.name.endsWith('.md')) out.push(full);
  }
  return out.sort();
}

function splitFrontMatter(text: string): { body: string; startLine: number } {
  const match = /^---\r?\n[\s\S]*?\r?\n---[ \t]*(\r?\n|$)/.exec(text);
  if (!match) return { body: text, startLine: 1 };
  return { body: text.slice(match[0].length), startLine: match[0].split('\n').length };
}

const CODE = /<pre[\s>][\s\S]*?<\/pre>|<code[\s>][\s\S]*?<\/code>/g;
const SHORTCODE_TEXT = /\{\{%|\{\{<|\{\{&#x3C;|<<%|&#x3C;&#x3C;%/;

test('corpus: every markdown file renders, no shortcode text left outside code', { skip: !existsSync(root) && 'corpus not found' }, () => {
  const files = markdownFiles(root);
  assert.ok(files.length > 1000, `expected the whole corpus, found ${files.length} files`);
  const sources = files.map((file) => splitFrontMatter(readFileSync(file, 'utf8')));
  let embeds = 0;
  let links = 0;
  const started = performance.now();
  let tokenizeMs = 0;
  for (let i = 0; i < files.length; i++) {
    const { body, startLine } = sources[i];
    const t0 = performance.now();
    const { tokens, problems } = tokenizeShortcodes(body);
    tokenizeMs += performance.now() - t0;
    assert.deepEqual(problems, [], files[i]);
    const out = renderMarkdown(body, {
      shortcodes: tokens,
      renderEmbed: (index) => {
        embeds++;
        return `<div class="rule-embed" data-alert="${tokens[index].args[1]}"></div>`;
      },
      resolveLink: () => undefined,
      startLine,
    });
    links += out.links.length;
    assert.deepEqual(out.problems, [], files[i]);
    const outside = out.html.replace(CODE, '');
    assert.ok(!SHORTCODE_TEXT.test(outside), `shortcode text left in ${files[i]}: ${SHORTCODE_TEXT.exec(outside)?.[0]}`);
    assert.ok(!out.html.includes('\uE000'), `placeholder left in ${files[i]}`);
    assert.ok(out.headingIds.length > 0 || body.trim() === '' || !/^#/m.test(body), `no heading ids in ${files[i]}`);
  }
  const total = performance.now() - started;
  console.log(`corpus: ${files.length} files, ${embeds} embeds, ${links} links; tokenize ${tokenizeMs.toFixed(0)} ms, tokenize+render ${total.toFixed(0)} ms`);
  assert.ok(embeds >= 590, `expected the corpus's rule embeds, got ${embeds}`);
});
