import test from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../src/config/load.js';
import { loadRuleFiles } from '../src/rules/load.js';
import { loadRunbooks } from '../src/load/runbooks.js';
import { linkSite } from '../src/link/site.js';
import { DEFAULT_TEMPLATES_DIR } from '../src/build.js';
import { renderPages } from '../src/pipeline/render-pages.js';
import { batchSize, renderInWorkers } from '../src/pipeline/worker-pool.js';
import { projectRoot, sampleProject } from './helpers/project.js';

const BIN = path.join(projectRoot, 'bin/runbook-site.js');

async function sampleSite(dir: string) {
  const config = await loadConfig({ cwd: dir, overrides: {} });
  const [ruleFiles, runbooks] = await Promise.all([loadRuleFiles(config.rulesDir), loadRunbooks(config.runbooksDir)]);
  return { config, site: linkSite({ config, ruleFiles, runbooks, version: 'test' }) };
}

async function listFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

test('pages rendered on worker threads are the same as on the main thread, in site order', async () => {
  const dir = await sampleProject('runbook-site-workers-');
  const { config, site } = await sampleSite(dir);
  const base = { config, version: 'test', templatesDir: DEFAULT_TEMPLATES_DIR, markdownOnly: false, cache: false };
  const main = await renderPages(site, { ...base, workers: 0 });
  let last = 0;
  const threaded = await renderPages(site, { ...base, workers: 2, onProgress: (done, total) => { assert.ok(done > last && done <= total); last = done; } });
  assert.equal(main.workers, 0);
  assert.equal(threaded.workers, 2);
  assert.equal(last, site.pages.length, 'progress reaches the total');
  assert.deepEqual([...threaded.rendered.keys()], site.pages.map((page) => page.url));
  assert.deepEqual([...threaded.rendered.entries()], [...main.rendered.entries()]);
  assert.deepEqual(threaded.problems, main.problems);

  // One worker: the main thread renders the pages without markdown meanwhile; the same pages come out.
  assert.ok(site.pages.some((page) => !page.markdown) && site.pages.some((page) => page.markdown), 'pages of both kinds');
  let lastOne = 0;
  const shared = await renderPages(site, { ...base, workers: 1, onProgress: (done) => { assert.ok(done > lastOne); lastOne = done; } });
  assert.equal(shared.workers, 1);
  assert.equal(lastOne, site.pages.length, 'progress reaches the total');
  assert.deepEqual([...shared.rendered.keys()], site.pages.map((page) => page.url));
  assert.deepEqual([...shared.rendered.entries()], [...main.rendered.entries()]);
  assert.deepEqual(shared.problems, main.problems);

  const checkMain = await renderPages(site, { ...base, markdownOnly: true, workers: 0 });
  const checkThreaded = await renderPages(site, { ...base, markdownOnly: true, workers: 2 });
  assert.deepEqual([...checkThreaded.rendered.entries()], [...checkMain.rendered.entries()]);
});

test('a handful of pages starts no worker; a warm cache starts none either', async () => {
  const dir = await sampleProject('runbook-site-workers-');
  const { config, site } = await sampleSite(dir);
  const base = { config, version: 'test', templatesDir: DEFAULT_TEMPLATES_DIR, markdownOnly: false };
  const saved = process.env.RUNBOOK_SITE_WORKERS;
  delete process.env.RUNBOOK_SITE_WORKERS;
  try {
    const cold = await renderPages(site, { ...base, cache: true });
    assert.ok(site.pages.length < 48);
    assert.equal(cold.workers, 0, 'the sample site is too small for workers');
    const warm = await renderPages(site, { ...base, cache: true });
    assert.equal(warm.cacheHits, site.pages.length);
    assert.equal(warm.workers, 0);
  } finally {
    if (saved !== undefined) process.env.RUNBOOK_SITE_WORKERS = saved;
  }
});

test('a page that fails in a worker fails the render with its URL, and no worker is left running', async () => {
  const dir = await sampleProject('runbook-site-workers-');
  const { config, site } = await sampleSite(dir);
  const init = { mode: 'full' as const, theme: { defaultDir: DEFAULT_TEMPLATES_DIR, basePath: config.basePath }, links: { urlByFile: site.urlByFile, basePath: config.basePath } };
  const broken = site.pages.map((page, i) => (i === 3 ? { ...page, kind: 'no-such-layout' as never } : page));
  await assert.rejects(renderInWorkers(broken, init, { workers: 2 }), (error: Error) => error.message.includes(site.pages[3].url) || error.message.includes('no-such-layout'));
  assert.ok(batchSize(1100, 2) >= 4 && batchSize(1100, 2) <= 32);
});

test('through the CLI: RUNBOOK_SITE_WORKERS=2 and =0 write byte-identical sites', async () => {
  const dir = await sampleProject('runbook-site-workers-');
  const run = (out: string, workers: string) =>
    promisify(execFile)(process.execPath, [BIN, 'build', '--no-cache', '--out', out], { cwd: dir, env: { ...process.env, CI: 'true', RUNBOOK_SITE_WORKERS: workers } });
  await run('with-workers', '2');
  await run('main-thread', '0');
  const files = await listFiles(path.join(dir, 'with-workers'));
  assert.deepEqual(await listFiles(path.join(dir, 'main-thread')), files);
  for (const file of files) {
    assert.ok((await readFile(path.join(dir, 'with-workers', file))).equals(await readFile(path.join(dir, 'main-thread', file))), file);
  }
});

test('render workers run the esbuild bundle npm run compile writes, and never a bundle older than the compiled entry', async () => {
  const { statSync, utimesSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const { renderWorkerUrl } = await import('../src/pipeline/worker-pool.js');
  const bundle = fileURLToPath(renderWorkerUrl());
  assert.equal(path.basename(bundle), 'render-worker.bundle.js', 'npm run compile bundles the worker entry');
  const entry = path.join(path.dirname(bundle), 'render-worker.js');
  const before = statSync(entry);
  try {
    // As after a plain `tsc` run: the entry is newer than the bundle.
    utimesSync(entry, before.atime, new Date(statSync(bundle).mtimeMs + 60_000));
    assert.equal(path.basename(fileURLToPath(renderWorkerUrl())), 'render-worker.js');
  } finally {
    utimesSync(entry, before.atime, before.mtime);
  }
});
