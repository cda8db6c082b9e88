import test from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PageCache, pageKey, pageKeyer, cacheSalt, shardOf, shardFile, SHARDS, type CacheEntry } from '../src/cache/page-cache.js';
import type { PageData } from '../src/render/page-data.js';
import { projectRoot, sampleProject } from './helpers/project.js';

const BIN = path.join(projectRoot, 'bin/runbook-site.js');

/** The real CLI as a child process (CI=true: summary only). */
async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stderr: string; stdout: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, CI: 'true', ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function counts(stderr: string): { rendered: number; cached: number; written: number; unchanged: number } {
  const match = /\((\d+) rendered, (\d+) from cache; (\d+) files? written, (\d+) unchanged\)/.exec(stderr);
  assert.ok(match, `no build summary in: ${stderr}`);
  return { rendered: Number(match[1]), cached: Number(match[2]), written: Number(match[3]), unchanged: Number(match[4]) };
}

async function listFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

const entry = (html: string, links: CacheEntry['links'] = []): CacheEntry => ({
  page: { outputPath: 'a/index.html', html, headingIds: ['x'], links: [], searchText: 'text', assetUses: [] },
  links,
});

test('a saved pack is read back; entries whose links resolve differently are not reused', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-pack-'));
  const first = await PageCache.open(dir, 'full', '1.0.0');
  assert.equal(first.stats.ignored, 'missing');
  first.set('k1', entry('<p>one</p>'));
  first.set('k2', entry('<p>two</p>', [['other.md', '/base/other/']]));
  await first.save();
  assert.equal(first.stats.saved, true);

  const second = await PageCache.open(dir, 'full', '1.0.0');
  assert.equal(second.stats.loaded, 2);
  // A page read back is its UTF-8 bytes (written as they are, never decoded and encoded again).
  assert.equal(String(second.get('k1', () => undefined)?.page.html), '<p>one</p>');
  assert.ok(Buffer.isBuffer(second.get('k1', () => undefined)?.page.html));
  assert.equal(String(second.get('k2', (href) => (href === 'other.md' ? '/base/other/' : undefined))?.page.html), '<p>two</p>');
  const third = await PageCache.open(dir, 'full', '1.0.0');
  assert.equal(third.get('k2', () => '/base/moved/'), undefined, 'a link that now resolves elsewhere invalidates the entry');
  assert.equal(third.get('k2', () => undefined), undefined);
  // Nothing changed and everything was used: no rewrite.
  third.get('k1', () => undefined);
  await third.save();
  assert.equal(third.stats.saved, true, 'k2 was not used, so the pack is rewritten without it');
  const fourth = await PageCache.open(dir, 'full', '1.0.0');
  assert.equal(fourth.stats.loaded, 1);
  fourth.get('k1', () => undefined);
  await fourth.save();
  assert.equal(fourth.stats.saved, false, 'an unchanged pack is not rewritten');
});

test('a corrupt, truncated, foreign or other-version shard is ignored, never a crash; the other shards are used', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-pack-'));
  // Keys as pages have them (hashes), so that they fall in several shards.
  const key = (i: number) => pageKey('salt', { url: `p${i}/` } as unknown as PageData);
  const good = await PageCache.open(dir, 'full', '1.0.0');
  for (let i = 0; i < 50; i++) good.set(key(i), entry(`<p>${'x'.repeat(i * 100)}</p>`));
  await good.save();
  const file = good.file(shardOf(key(1)));
  const bytes = await readFile(file);
  const inShard = Array.from({ length: 50 }, (_, i) => key(i)).filter((k) => shardOf(k) === shardOf(key(1))).length;
  assert.ok(inShard > 0 && inShard < 50);

  const cases: [string, Buffer | string][] = [
    ['garbage', Buffer.from('not a cache at all')],
    ['empty', Buffer.alloc(0)],
    ['truncated', bytes.subarray(0, Math.floor(bytes.length / 2))],
    ['flipped byte', Buffer.concat([bytes.subarray(0, bytes.length - 40), Buffer.from([bytes[bytes.length - 40] ^ 0xff]), bytes.subarray(bytes.length - 39)])],
    ['header only', bytes.subarray(0, bytes.indexOf(10) + 1)],
    ['json payload', `${bytes.subarray(0, bytes.indexOf(10)).toString()}\n{"k1":1}`],
    ['format 3 (one pack, before shards)', bytes.toString('latin1').replace('"format":4', '"format":3')],
  ];
  for (const [name, content] of cases) {
    await writeFile(file, typeof content === 'string' ? Buffer.from(content, 'latin1') : content);
    const cache = await PageCache.open(dir, 'full', '1.0.0');
    assert.equal(cache.stats.loaded, 50 - inShard, name);
    assert.match(cache.stats.ignored ?? '', /corrupt/, name);
    assert.equal(cache.get(key(1), () => undefined), undefined, name);
  }
  await writeFile(file, bytes);
  const other = await PageCache.open(dir, 'full', '2.0.0');
  assert.equal(other.stats.loaded, 0);
  assert.match(other.stats.ignored ?? '', /version 1\.0\.0/);
  // A folder where a shard should be: unreadable, ignored; saving it fails quietly.
  const blocked = await mkdtemp(path.join(tmpdir(), 'runbook-site-pack-'));
  await mkdir(shardFile(blocked, 'full', shardOf('k')));
  const cache = await PageCache.open(blocked, 'full', '1.0.0');
  assert.match(cache.stats.ignored ?? '', /unreadable/);
  cache.set('k', entry('x'));
  await cache.save();
  assert.equal(cache.stats.saved, false);
});

test("shards: a change rewrites only the shards it touches; the format-3 pack and dead saves' temporary files are removed", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-pack-'));
  const first = await PageCache.open(dir, 'full', '1.0.0');
  const keys = Array.from({ length: 200 }, (_, i) => pageKey('salt', { url: `p${i}/` } as unknown as PageData));
  for (const key of keys) first.set(key, entry(`<p>${key}</p>`));
  // What a format-3 build left (one pack per mode), and a save killed half-way (2147483646 is above any pid_max).
  await writeFile(path.join(dir, 'pages-full.pack'), 'runbook-site render cache, format 3');
  const dead = path.join(dir, `.${path.basename(shardFile(dir, 'full', 0))}.2147483646.abc.tmp`);
  const mine = path.join(dir, `.${path.basename(shardFile(dir, 'full', 1))}.${process.pid}.abc.tmp`);
  await writeFile(dead, 'half a shard');
  await writeFile(mine, 'a save of this process, under way');
  await first.save();
  const files = (await readdir(dir)).sort();
  assert.deepEqual(files.filter((name) => name.endsWith('.pack')), Array.from({ length: SHARDS }, (_, i) => path.basename(shardFile(dir, 'full', i))), 'one file per shard, the old pack gone');
  assert.ok(!files.includes(path.basename(dead)), "a dead process's temporary file is removed");
  assert.ok(files.includes(path.basename(mine)), "a live process's temporary file is left alone");
  await rm(mine);

  const before = new Map<number, number>();
  for (let i = 0; i < SHARDS; i++) before.set(i, (await stat(shardFile(dir, 'full', i))).mtimeMs);
  await new Promise((resolve) => setTimeout(resolve, 20));
  // One page changes: its old entry is not used, its new key is added.
  const second = await PageCache.open(dir, 'full', '1.0.0');
  assert.equal(second.stats.loaded, 200);
  assert.equal(second.stats.ignored, undefined);
  for (const key of keys.slice(1)) assert.ok(second.get(key, () => undefined));
  const changed = pageKey('salt', { url: 'p0/', edited: true } as unknown as PageData);
  second.set(changed, entry('<p>edited</p>'));
  await second.save();
  assert.equal(second.stats.saved, true);
  const touched = new Set([shardOf(keys[0]), shardOf(changed)]);
  for (let i = 0; i < SHARDS; i++) {
    const rewritten = (await stat(shardFile(dir, 'full', i))).mtimeMs !== before.get(i);
    assert.equal(rewritten, touched.has(i), `shard ${i} ${touched.has(i) ? 'is' : 'is not'} rewritten`);
  }
  const third = await PageCache.open(dir, 'full', '1.0.0');
  assert.equal(third.stats.loaded, 200);
  assert.equal(String(third.get(changed, () => undefined)?.page.html), '<p>edited</p>');
  assert.equal(third.get(keys[0], () => undefined), undefined, 'the unused entry is gone');
});

test('page keys change with the page data and the salt, and only then', () => {
  const page = { kind: 'runbook', url: 'a/', outputPath: 'a/index.html', title: 'A', rules: [] } as unknown as PageData;
  const salt = cacheSalt({ version: '1', theme: 'abc' });
  assert.equal(pageKey(salt, page), pageKey(salt, structuredClone(page)));
  assert.notEqual(pageKey(salt, page), pageKey(salt, { ...page, title: 'B' }));
  assert.notEqual(pageKey(salt, page), pageKey(cacheSalt({ version: '1', theme: 'abd' }), page));
});

test('one keyer for many pages: shared objects are serialised once, and every part of a page still changes its key', () => {
  const site = { title: 'S', baseURL: 'https://x/', basePath: '/', sectionsUrl: 'runbooks/', version: '1' };
  const rule = { kind: 'alert', name: 'A', expr: 'up == 0', labels: { severity: 'critical' }, annotations: {}, group: 'g', file: 'f.yml', position: { line: 1, column: 1 }, yaml: 'alert: A' };
  const links = [{ title: 'One', url: 'runbooks/s/one/' }, { title: 'Two', url: 'runbooks/s/two/' }];
  const pageOf = (url: string) =>
    ({
      kind: 'runbook', url, outputPath: `${url}index.html`, title: url, site, rules: [rule], tags: [], sections: [], breadcrumbs: [], children: [], alertRows: [], frontMatter: {},
      sectionPages: links.map((link) => (link.url === url ? { ...link, current: true } : link)),
      markdown: { body: 'Body', file: 'x.md', shortcodes: [], embeds: [{ token: 0, rules: [rule] }], startLine: 1 },
    }) as unknown as PageData;
  const salt = cacheSalt({ version: '1' });
  const keyOf = pageKeyer(salt);
  const one = pageOf('runbooks/s/one/');
  const two = pageOf('runbooks/s/two/');
  const key = keyOf(one);
  assert.notEqual(keyOf(two), key);
  // Identity does not matter, only content: a deep copy, or a fresh keyer, gives the same key.
  assert.equal(pageKeyer(salt)(structuredClone(one)), key);
  assert.equal(keyOf(structuredClone(one)), key);
  assert.equal(pageKey(salt, one), key);
  const changed = (edit: (page: Record<string, any>) => void) => {
    const copy = structuredClone(one) as unknown as Record<string, any>;
    edit(copy);
    return pageKeyer(salt)(copy as unknown as PageData);
  };
  for (const [what, edit] of [
    ['title', (p: Record<string, any>) => (p.title = 'other')],
    ['site', (p: Record<string, any>) => (p.site.title = 'T')],
    ['a rule', (p: Record<string, any>) => (p.rules[0].expr = 'up == 1')],
    ['no rules', (p: Record<string, any>) => (p.rules = [])],
    ['a window link', (p: Record<string, any>) => (p.sectionPages[1].title = 'Deux')],
    ['the current link', (p: Record<string, any>) => delete p.sectionPages[0].current],
    ['the body', (p: Record<string, any>) => (p.markdown.body = 'Other')],
    ['an embed', (p: Record<string, any>) => (p.markdown.embeds[0].token = 1)],
    ["an embed's rule", (p: Record<string, any>) => (p.markdown.embeds[0].rules[0].name = 'B')],
    ['a stale embed', (p: Record<string, any>) => (p.markdown.embeds[0].missing = { file: 'f.yml', alert: 'A' })],
    ['no markdown', (p: Record<string, any>) => delete p.markdown],
  ] as const) {
    assert.notEqual(changed(edit), key, what);
  }
});

test('through the CLI: a warm build renders nothing, one edit re-renders only that page, unchanged files keep bytes and mtime', async () => {
  const dir = await sampleProject('runbook-site-cache-');
  const first = await cli(['build'], dir);
  assert.equal(first.code, 0, first.stderr);
  const cold = counts(first.stderr);
  assert.equal(cold.cached, 0);
  assert.ok(cold.rendered > 10);
  assert.ok((await readdir(path.join(dir, '.cache/runbook-site'))).some((name) => /^pages-full-\d\d\.pack$/.test(name)), 'cache in the default folder');

  const before = new Map<string, { ino: number; mtimeMs: number }>();
  for (const file of await listFiles(path.join(dir, 'dist'))) before.set(file, await stat(path.join(dir, 'dist', file)));
  await new Promise((resolve) => setTimeout(resolve, 30));

  // Nothing changed at all: the last build's result is replayed without loading anything.
  const second = await cli(['build'], dir);
  assert.equal(second.code, 0);
  assert.match(second.stderr, /Nothing changed: dist is up to date/);
  assert.equal(second.stdout, first.stdout, 'the same diagnostics and summary');
  // The output was touched (a file deleted): the pipeline runs, every page comes from the cache.
  await rm(path.join(dir, 'dist/sitemap.xml'));
  const repaired = await cli(['build'], dir);
  const warm = counts(repaired.stderr);
  assert.deepEqual({ rendered: warm.rendered, cached: warm.cached, written: warm.written }, { rendered: 0, cached: cold.rendered, written: 1 });
  for (const file of await listFiles(path.join(dir, 'dist'))) {
    if (file === 'sitemap.xml') continue; // deleted and written again above
    const info = await stat(path.join(dir, 'dist', file));
    assert.equal(info.mtimeMs, before.get(file)?.mtimeMs, `${file} keeps its mtime`);
    assert.equal(info.ino, before.get(file)?.ino, `${file} is the same file`);
  }

  // One runbook's body changes: that page alone is rendered again (its title and description did not change).
  const runbook = (await listFiles(path.join(dir, 'runbooks'))).find((file) => file.endsWith('.md') && !file.endsWith('_index.md'))!;
  await appendFile(path.join(dir, 'runbooks', runbook), '\nOne more line.\n');
  const third = await cli(['build'], dir);
  const edited = counts(third.stderr);
  assert.equal(edited.rendered, 1, third.stderr);
  assert.equal(edited.cached, cold.rendered - 1);
  assert.ok(edited.written >= 1 && edited.written <= 3, `the page and the search index at most: ${third.stderr}`);

  // --no-cache renders everything and leaves the cache alone; --cache-dir moves it.
  const bypass = counts((await cli(['build', '--no-cache'], dir)).stderr);
  assert.equal(bypass.cached, 0);
  assert.equal(bypass.rendered, cold.rendered);
  const moved = await cli(['build', '--cache-dir', 'elsewhere'], dir);
  assert.equal(counts(moved.stderr).cached, 0);
  assert.ok((await readdir(path.join(dir, 'elsewhere'))).some((name) => /^pages-full-\d\d\.pack$/.test(name)));

  // A corrupt cache (every file in it) is ignored and rebuilt; the output is the same.
  const html = await readFile(path.join(dir, 'dist/index.html'));
  for (const file of await readdir(path.join(dir, '.cache/runbook-site'))) await writeFile(path.join(dir, '.cache/runbook-site', file), 'garbage');
  const corrupt = await cli(['build'], dir);
  assert.equal(corrupt.code, 0, corrupt.stderr);
  assert.equal(counts(corrupt.stderr).cached, 0);
  assert.deepEqual(await readFile(path.join(dir, 'dist/index.html')), html);
  await rm(path.join(dir, 'dist/sitemap.xml'));
  assert.equal(counts((await cli(['build'], dir)).stderr).rendered, 0, 'the rebuilt cache is used');
});

test('through the CLI: the mermaid library stays in the site while a page from the cache uses it, and goes with the last such page', async () => {
  const dir = await sampleProject('runbook-site-cache-');
  const flow = path.join(dir, 'runbooks/haproxy/Flow.md');
  await writeFile(flow, '---\ntitle: Flow\n---\n\n```mermaid\ngraph LR\n  A --> B\n```\n');
  const mermaidFiles = async () => (await listFiles(path.join(dir, 'dist'))).filter((file) => /mermaid/.test(path.basename(file)));
  assert.equal((await cli(['build'], dir)).code, 0);
  const first = await mermaidFiles();
  assert.equal(first.length, 2, first.join(', '));
  // Another page changes: the diagram's page comes from the cache, and still brings the library.
  const runbook = (await listFiles(path.join(dir, 'runbooks'))).find((file) => file.endsWith('.md') && !file.endsWith('_index.md') && !file.endsWith('Flow.md'))!;
  await appendFile(path.join(dir, 'runbooks', runbook), '\nOne more line.\n');
  const second = await cli(['build'], dir);
  assert.equal(counts(second.stderr).rendered, 1, second.stderr);
  assert.deepEqual(await mermaidFiles(), first);
  await writeFile(flow, '---\ntitle: Flow\n---\n\nNo diagram now.\n');
  assert.equal((await cli(['build'], dir)).code, 0);
  assert.deepEqual(await mermaidFiles(), []);
});

test('a template change invalidates every page; check has its own cache', async () => {
  const dir = await sampleProject('runbook-site-cache-');
  const cold = counts((await cli(['build'], dir)).stderr);
  await mkdir(path.join(dir, 'theme/partials'), { recursive: true });
  const defaults = path.join(projectRoot, 'templates');
  const partial = (await listFiles(defaults)).find((file) => file.startsWith('partials') && file.endsWith('.hbs'));
  assert.ok(partial, 'the default theme has partials');
  await writeFile(path.join(dir, 'theme', partial), `${await readFile(path.join(defaults, partial), 'utf8')}\n<!-- override -->\n`);
  const overridden = counts((await cli(['build', '--templates', 'theme'], dir)).stderr);
  assert.equal(overridden.cached, 0);
  assert.equal(overridden.rendered, cold.rendered);
  const check1 = await cli(['check'], dir);
  assert.equal(check1.code, 0, check1.stderr);
  assert.ok((await readdir(path.join(dir, '.cache/runbook-site'))).some((name) => /^pages-markdown-\d\d\.pack$/.test(name)));
});

test('two builds of the same inputs into two folders are byte-identical', async () => {
  const dir = await sampleProject('runbook-site-cache-');
  const a = await cli(['build', '--out', 'out-a', '--no-cache'], dir);
  assert.equal(a.code, 0, a.stderr);
  await new Promise((resolve) => setTimeout(resolve, 1100)); // a per-build timestamp would differ now
  const b = await cli(['build', '--out', 'out-b', '--cache-dir', 'cache-b'], dir);
  assert.equal(b.code, 0, b.stderr);
  const c = await cli(['build', '--out', 'out-c', '--cache-dir', 'cache-b'], dir); // from the cache
  assert.equal(counts(c.stderr).rendered, 0);
  const files = await listFiles(path.join(dir, 'out-a'));
  assert.deepEqual(await listFiles(path.join(dir, 'out-b')), files);
  assert.deepEqual(await listFiles(path.join(dir, 'out-c')), files);
  assert.ok(files.length > 20);
  for (const file of files) {
    const bytes = await readFile(path.join(dir, 'out-a', file));
    assert.ok(bytes.equals(await readFile(path.join(dir, 'out-b', file))), `${file} differs between two builds`);
    assert.ok(bytes.equals(await readFile(path.join(dir, 'out-c', file))), `${file} differs when taken from the cache`);
  }
});
