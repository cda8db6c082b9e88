// Hugo's built-in shortcodes against Hugo's own output. test/fixtures/sites/hugo-builtins is both a
// Hugo site and a runbook-site project over the same runbooks; expected/ holds what Hugo 0.111 made
// of them. When hugo is installed the fixture is rebuilt with it first, so expected/ stays Hugo's.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { projectRoot } from './helpers/project.js';

const fixture = path.join(projectRoot, 'test/fixtures/sites/hugo-builtins');
const PAGES = ['refs', 'figures', 'highlight'];

/** What lies between the page's BEGIN and END paragraphs. */
function between(html: string, file: string): string {
  const match = /<p>BEGIN<\/p>([\s\S]*)<p>END<\/p>/.exec(html);
  assert.ok(match, `${file} has no BEGIN … END`);
  return match[1];
}

/**
 * Whitespace between and inside tags (Hugo's templates indent theirs) and the spelling of the same
 * character reference (`&amp;` / `&#x26;`) do not matter; everything else does.
 */
function normalise(html: string): string {
  return html
    .replace(/&#x26;|&#38;/g, '&amp;')
    .replace(/&#x3C;|&#60;/gi, '&lt;')
    .replace(/&#x22;|&#34;/g, '&quot;')
    // Our theme adds a permalink to each heading; Hugo's bare layouts do not.
    .replace(/ ?<a class="anchor" href="#[^"]*" aria-label="[^"]*">#<\/a>/g, '')
    .replace(/\s+/g, ' ')
    .replace(/>\s+</g, '><')
    .replace(/\s+(\/?>)/g, '$1')
    .trim();
}

function hugoAvailable(): boolean {
  try {
    execFileSync('hugo', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let built: Promise<string> | undefined;
function ours(): Promise<string> {
  built ??= (async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-hugo-builtins-'));
    await cp(fixture, dir, { recursive: true });
    const result = await runCli(['build', '--out', 'dist'], dir);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    return path.join(dir, 'dist');
  })();
  return built;
}

test('hugo-builtins: expected/ is what Hugo makes of the fixture today', async (t) => {
  if (!hugoAvailable()) {
    if (process.env.REQUIRE_HUGO) assert.fail('hugo is required (apt-get install hugo)');
    console.log('SKIPPED: hugo not found (apt-get install hugo) — expected/ not re-checked against Hugo');
    t.skip('hugo not found');
    return;
  }
  // Hugo writes a lock file into its source folder: build a copy, not the fixture.
  const site = await mkdtemp(path.join(tmpdir(), 'hugo-builtins-'));
  await cp(fixture, site, { recursive: true });
  const out = path.join(site, 'public');
  execFileSync('hugo', ['--quiet', '-s', site, '-d', out]);
  for (const page of PAGES) {
    assert.equal(await readFile(path.join(out, 'runbooks', page, 'index.html'), 'utf8'), await readFile(path.join(fixture, 'expected', `${page}.html`), 'utf8'), page);
  }
});

test('ref, relref and param give Hugo\'s output (permalinks, site-relative links, anchors, page then site params)', async () => {
  const dist = await ours();
  const expected = between(await readFile(path.join(fixture, 'expected/refs.html'), 'utf8'), 'expected/refs.html');
  const actual = between(await readFile(path.join(dist, 'runbooks/refs/index.html'), 'utf8'), 'refs');
  assert.equal(normalise(actual), normalise(expected));
  assert.match(actual, /REF1 <a href="https:\/\/example\.github\.io\/runbooks\/runbooks\/db\/postgresdown\/">/);
});

test('figure gives Hugo 0.111\'s markup', async () => {
  const dist = await ours();
  const expected = between(await readFile(path.join(fixture, 'expected/figures.html'), 'utf8'), 'expected/figures.html');
  const actual = between(await readFile(path.join(dist, 'runbooks/figures/index.html'), 'utf8'), 'figures');
  // The one difference, on purpose: a figure's `src` is read as a markdown image's is. Hugo keeps
  // it as written: `/images/dash.png` misses the base path `/runbooks/` (a 404 on GitHub Pages), and
  // `graph.png` holds only inside a bundle. We write each image's place in the site, and both files are there.
  const places: [string, string, string][] = [
    ['/runbooks/images/dash.png', '/images/dash.png', 'images/dash.png'],
    ['/runbooks/runbooks/figures/graph.png', 'graph.png', 'runbooks/figures/graph.png'],
  ];
  let mine = actual;
  for (const [ours, hugos, file] of places) {
    assert.ok(mine.includes(`src="${ours}"`), `${ours} in ${actual}`);
    assert.ok((await readFile(path.join(dist, file))).length > 0, file);
    mine = mine.replace(`src="${ours}"`, `src="${hugos}"`);
  }
  assert.equal(normalise(mine), normalise(expected));
});

test('highlight renders as the fenced block of the same language, in Hugo and here', async () => {
  const blocks = (html: string) => html.split(/(?=<div class="highlight">|<pre)/).map((block) => block.trim()).filter((block) => block.startsWith('<'));
  const hugo = between(await readFile(path.join(fixture, 'expected/highlight.html'), 'utf8'), 'expected/highlight.html');
  // Hugo: `highlight` and the fence differ only by the fence's final newline.
  const hugoBlocks = hugo.split(/(?=<div class="highlight">)/).map((block) => block.trim()).filter(Boolean);
  assert.equal(hugoBlocks.length, 4);
  assert.equal(hugoBlocks[0], hugoBlocks[1].replace('Running\n</span>', 'Running</span>'));
  const dist = await ours();
  const mine = blocks(between(await readFile(path.join(dist, 'runbooks/highlight/index.html'), 'utf8'), 'highlight'));
  assert.equal(mine.length, 4);
  assert.equal(mine[0], mine[1]);
  assert.equal(mine[2], mine[3]);
  assert.match(mine[0], /<code class="language-bash">kubectl get pods -n db \| grep -v Running\n<\/code>/);
});
