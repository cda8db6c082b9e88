// `runbook-site serve` end to end, in-process: a copy of the sample site is served on a free
// port; the tests fetch pages, edit files and read the live-reload stream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sampleProject, projectRoot } from './helpers/project.js';
import { runCli } from './helpers/cli.js';
import { rawGet, startServe, subscribe, type ServeEvent } from './helpers/serve.js';
import { watchInputs } from '../src/serve/watch.js';

const BASE = '/runbooks/';
const PAGE = 'runbooks/haproxy/haproxydown/index.html';
const PAGE_URL = `${BASE}runbooks/haproxy/haproxydown/`;

/** Every file under `dir`, relative, with its bytes. */
async function files(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const parent = (entry as unknown as { parentPath?: string }).parentPath ?? entry.path;
    const full = path.join(parent, entry.name);
    out.set(path.relative(dir, full).split(path.sep).join('/'), await readFile(full));
  }
  return out;
}

/** Where serve writes the site: its own folder in the cache dir, never dist/. */
const servedFolder = (dir: string, serve: { url: string }) => path.join(dir, '.cache/runbook-site', `serve-${process.pid}-${new URL(serve.url).port}`);

/** The served folder holds exactly what a clean build of the same inputs writes, byte for byte. */
async function assertServedAsBuilt(dir: string, serve: { url: string }): Promise<void> {
  const clean = await runCli(['build', '--out', 'clean-build', '--no-cache', '--quiet'], dir);
  assert.equal(clean.code, 0, clean.stderr + clean.stdout);
  const served = await files(servedFolder(dir, serve));
  const built = await files(path.join(dir, 'clean-build'));
  assert.deepEqual([...served.keys()].sort(), [...built.keys()].sort());
  for (const [file, bytes] of built) assert.ok(bytes.equals(served.get(file)!), `${file} differs from a clean build`);
}

const isChange = (file: string) => (event: ServeEvent) => event.event === 'change' && (event.data as { files: string[] }).files.includes(file);
const errorsOf = (event: ServeEvent) => (event.data as { errors: { file: string; line: number; column: number; message: string; ruleId: string; frame?: string }[] }).errors;

test('serve: base path, folders, 404 page, content types, validators and refused paths', async () => {
  const dir = await sampleProject('runbook-site-serve-');
  const outside = await mkdtemp(path.join(tmpdir(), 'runbook-site-outside-'));
  await writeFile(path.join(outside, 'secret.txt'), 'top secret\n');
  const serve = await startServe(dir);
  try {
    const { origin } = serve;
    assert.equal(serve.url, `${origin}${BASE}`);

    const root = await rawGet(origin, '/');
    assert.equal(root.status, 302);
    assert.equal(root.headers.location, BASE);
    assert.equal((await rawGet(origin, '/runbooks')).headers.location, BASE);

    const home = await rawGet(origin, BASE);
    assert.equal(home.status, 200);
    assert.match(String(home.headers['content-type']), /^text\/html/);
    assert.match(home.body, /<script src="\/__runbook-site\/live\.js" data-page="index\.html"/);
    // The script is in what is served, never in the files on disk.
    const servedDir = servedFolder(dir, serve);
    assert.doesNotMatch(await readFile(path.join(servedDir, 'index.html'), 'utf8'), /__runbook-site/);

    const folder = await rawGet(origin, PAGE_URL.slice(0, -1) + '?x=1');
    assert.equal(folder.status, 301);
    assert.equal(folder.headers.location, `${PAGE_URL}?x=1`);
    const page = await rawGet(origin, PAGE_URL);
    assert.equal(page.status, 200);
    assert.match(page.body, /HaproxyDown/);

    const css = /href="([^"]*style\.[0-9a-f]{8}\.css)"/.exec(page.body)?.[1];
    assert.ok(css, 'the page links its stylesheet');
    const stylesheet = await rawGet(origin, new URL(css, `${origin}${PAGE_URL}`).pathname);
    assert.equal(stylesheet.status, 200);
    assert.equal(stylesheet.headers['content-type'], 'text/css; charset=utf-8');
    assert.equal((await rawGet(origin, `${BASE}sitemap.xml`)).headers['content-type'], 'application/xml; charset=utf-8');
    assert.equal((await rawGet(origin, `${BASE}search-index.json`)).headers['content-type'], 'application/json; charset=utf-8');

    const missing = await rawGet(origin, `${BASE}runbooks/nope/`);
    assert.equal(missing.status, 404);
    const notFoundPage = await readFile(path.join(servedDir, '404.html'), 'utf8');
    assert.ok(missing.body.startsWith(notFoundPage.slice(0, notFoundPage.lastIndexOf('</body>'))), 'a miss gets the site’s own 404 page');
    assert.equal((await rawGet(origin, '/elsewhere/')).status, 404);
    // No directory listing for a folder without index.html.
    assert.equal((await rawGet(origin, `${BASE}assets/`)).status, 404);

    const head = await rawGet(origin, PAGE_URL, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.equal(head.headers['content-length'], page.headers['content-length']);
    assert.ok(page.headers.etag && page.headers['last-modified']);
    assert.equal((await rawGet(origin, PAGE_URL, 'GET', { 'If-None-Match': String(page.headers.etag) })).status, 304);
    assert.equal((await rawGet(origin, PAGE_URL, 'GET', { 'If-Modified-Since': String(page.headers['last-modified']) })).status, 304);
    assert.equal((await rawGet(origin, PAGE_URL, 'POST')).status, 405);

    // Only files of the built site: traversal, encoded traversal, NUL, absolute paths, links out.
    await symlink(outside, path.join(servedDir, 'leak'));
    await symlink(path.join(outside, 'secret.txt'), path.join(servedDir, 'leak.txt'));
    const refused = [
      `${BASE}../runbook-site.yaml`,
      `${BASE}../../../../etc/passwd`,
      `/../runbook-site.yaml`,
      `${BASE}%2e%2e/runbook-site.yaml`,
      `${BASE}%2e%2e/%2e%2e/%2e%2e/etc/passwd`,
      `${BASE}..%2F..%2Fetc%2Fpasswd`,
      `${BASE}runbooks%2F..%2F..%2Frunbook-site.yaml`,
      `${BASE}%252e%252e/%252e%252e/etc/passwd`,
      `${BASE}..%5c..%5cetc%5cpasswd`,
      `${BASE}index.html%00.css`,
      `${BASE}/etc/passwd`,
      `//etc/passwd`,
      `${BASE}leak/secret.txt`,
      `${BASE}leak.txt`,
    ];
    for (const target of refused) {
      const response = await rawGet(origin, target);
      assert.ok(response.status === 403 || response.status === 404 || response.status === 400, `${target}: ${response.status}`);
      assert.doesNotMatch(response.body, /top secret|root:|baseURL/, target);
    }
    assert.equal((await rawGet(origin, `${BASE}leak/secret.txt`)).status, 403);
    assert.equal((await rawGet(origin, `${BASE}%2e%2e/runbook-site.yaml`)).status, 403);
  } finally {
    assert.equal(await serve.stop(), 0);
    await rm(outside, { recursive: true, force: true });
  }
  // The served folder goes with the server.
  assert.equal(existsSync(servedFolder(dir, serve)), false);
  assert.match(serve.output(), /Stopped\./);
  await rm(dir, { recursive: true, force: true });
});

test('serve: edits reload their page, errors show in the overlay data and clear, the served folder equals a clean build, dist/ is untouched', async () => {
  const dir = await sampleProject('runbook-site-serve-');
  // A published site the preview must not touch.
  await mkdir(path.join(dir, 'dist'));
  await writeFile(path.join(dir, 'dist', 'published.html'), 'published\n');
  const distBefore = await stat(path.join(dir, 'dist', 'published.html'));
  const serve = await startServe(dir);
  const events = await subscribe(serve.origin);
  const runbook = path.join(dir, 'runbooks/haproxy/HaproxyDown.md');
  const original = await readFile(runbook, 'utf8');
  try {
    const { origin } = serve;

    // An edit: the page's change event, and the new text served.
    let change = events.next(isChange(PAGE));
    await writeFile(runbook, `${original}\nA line written by the serve test.\n`);
    const changed = (await change).data as { files: string[] };
    // A body edit changes that page only: the section's list of pages shows titles, not bodies.
    assert.ok(!changed.files.includes('runbooks/haproxy/index.html'), JSON.stringify(changed.files));
    assert.match((await rawGet(origin, PAGE_URL)).body, /A line written by the serve test\./);
    await serve.waitForOutput(/HaproxyDown\.md changed · 1 page re-rendered · \d+ files? updated · \d+ ms/);

    // A broken shortcode: the error in the overlay data (place, message, code frame); the last good page stays.
    const failing = events.next((event) => event.event === 'status' && errorsOf(event).length > 0);
    await writeFile(runbook, `${original}\nA line written by the serve test.\n\n{{% comment %}} never closed\n`);
    const errors = errorsOf(await failing);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].file, 'runbooks/haproxy/HaproxyDown.md');
    assert.equal(errors[0].ruleId, 'shortcode-unclosed');
    const brokenLine = `${original}\nA line written by the serve test.\n\n`.split('\n').length;
    assert.equal(errors[0].line, brokenLine);
    assert.ok(errors[0].column >= 1);
    assert.match(errors[0].frame ?? '', /> +\d+ \| \{\{% comment %\}\} never closed/);
    const status = JSON.parse((await rawGet(origin, '/__runbook-site/status')).body) as { errors: unknown[] };
    assert.deepEqual(status.errors, errors);
    assert.match((await rawGet(origin, PAGE_URL)).body, /A line written by the serve test\./);
    assert.match(serve.output(), /build failed: 1 error, serving the last good site/);
    assert.match(serve.output(), /HaproxyDown\.md:\d+:\d+\s+error/);

    // Fixed: the overlay clears and the page reloads.
    const cleared = events.next((event) => event.event === 'status' && errorsOf(event).length === 0);
    change = events.next(isChange(PAGE));
    await writeFile(runbook, `${original}\nFixed by the serve test.\n`);
    await Promise.all([cleared, change]);
    assert.match((await rawGet(origin, PAGE_URL)).body, /Fixed by the serve test\./);

    // A new file, then deleted.
    const newPage = 'runbooks/haproxy/haproxybrandnew/index.html';
    change = events.next(isChange(newPage));
    await writeFile(path.join(dir, 'runbooks/haproxy/HaproxyBrandNew.md'), '---\ntitle: Brand new page\n---\n\nNew.\n');
    await change;
    assert.equal((await rawGet(origin, `${BASE}${newPage.replace(/index\.html$/, '')}`)).status, 200);
    change = events.next(isChange(newPage));
    await rm(path.join(dir, 'runbooks/haproxy/HaproxyBrandNew.md'));
    await change;
    assert.equal((await rawGet(origin, `${BASE}${newPage.replace(/index\.html$/, '')}`)).status, 404);

    // A renamed folder.
    // (New pages are announced as soon as they are written, pages that are gone once removed.)
    change = events.next(isChange('runbooks/probes/blackboxprobefailed/index.html'));
    const gone = events.next(isChange('runbooks/blackbox/blackboxprobefailed/index.html'));
    await rename(path.join(dir, 'runbooks/blackbox'), path.join(dir, 'runbooks/probes'));
    await Promise.all([change, gone]);
    assert.equal((await rawGet(origin, `${BASE}runbooks/probes/blackboxprobefailed/`)).status, 200);
    assert.equal((await rawGet(origin, `${BASE}runbooks/blackbox/blackboxprobefailed/`)).status, 404);

    // A changed config: picked up; a broken config: shown, not a crash; fixed again.
    const configFile = path.join(dir, 'runbook-site.yaml');
    const config = await readFile(configFile, 'utf8');
    change = events.next(isChange(PAGE));
    await writeFile(configFile, config.replace('title: Example runbooks', 'title: Retitled runbooks'));
    await change;
    assert.match((await rawGet(origin, PAGE_URL)).body, /Retitled runbooks/);
    const problem = events.next((event) => event.event === 'status' && Boolean((event.data as { problem?: unknown }).problem));
    await writeFile(configFile, `${config}\nnotAKey: 1\n`);
    const shown = (await problem).data as { problem: { message: string; hint: string } };
    assert.match(shown.problem.message, /notAKey/);
    assert.match(serve.output(), /notAKey/);
    assert.match((await rawGet(origin, PAGE_URL)).body, /Retitled runbooks/, 'the last good site is still served');
    const recovered = events.next((event) => event.event === 'status' && !(event.data as { problem?: unknown }).problem && errorsOf(event).length === 0);
    await writeFile(configFile, config);
    await recovered;

    await assertServedAsBuilt(dir, serve);
  } finally {
    events.close();
    assert.equal(await serve.stop(), 0);
    await writeFile(runbook, original).catch(() => undefined);
  }
  // dist/ is as it was: the preview never replaces the published output.
  assert.deepEqual(await readdir(path.join(dir, 'dist')), ['published.html']);
  assert.equal((await stat(path.join(dir, 'dist', 'published.html'))).mtimeMs, distBefore.mtimeMs);
  await rm(dir, { recursive: true, force: true });
});

test('serve: a text-only edit is shown before the full build; one that breaks a link is put back; --no-fast-render waits', async () => {
  const dir = await sampleProject('runbook-site-serve-');
  const runbook = path.join(dir, 'runbooks/haproxy/HaproxyDown.md');
  const original = await readFile(runbook, 'utf8');
  let serve = await startServe(dir);
  let events = await subscribe(serve.origin);
  try {
    const change = events.next(isChange(PAGE));
    await writeFile(runbook, `${original}\nShown first.\n`);
    await change;
    assert.match((await rawGet(serve.origin, PAGE_URL)).body, /Shown first\./);
    await serve.waitForOutput(/HaproxyDown\.md changed · 1 page re-rendered · \d+ files? updated · \d+ ms \(page shown in \d+ ms\)/);

    // The page with the broken link reloads first; the full build finds the error, puts the
    // last good page back (reloading it again) and shows the error over it.
    const reloads = [events.next(isChange(PAGE)), events.next((event) => event.event === 'status' && errorsOf(event).length > 0)];
    await writeFile(runbook, `${original}\nShown first.\n\nSee [the missing page](Missing.md).\n`);
    const [, failed] = await Promise.all(reloads);
    assert.equal(errorsOf(failed)[0].ruleId, 'broken-link');
    const served = (await rawGet(serve.origin, PAGE_URL)).body;
    assert.match(served, /Shown first\./);
    assert.doesNotMatch(served, /the missing page/, 'the last good page is served');
  } finally {
    events.close();
    assert.equal(await serve.stop(), 0);
  }
  await writeFile(runbook, original);
  serve = await startServe(dir, ['--no-fast-render']);
  events = await subscribe(serve.origin);
  try {
    const change = events.next(isChange(PAGE));
    await writeFile(runbook, `${original}\nAfter the full build.\n`);
    await change;
    await serve.waitForOutput(/HaproxyDown\.md changed · 1 page re-rendered · \d+ files? updated · \d+ ms\n/);
    assert.doesNotMatch(serve.output(), /page shown in/);
  } finally {
    events.close();
    assert.equal(await serve.stop(), 0);
    await rm(dir, { recursive: true, force: true });
  }
});

test('serve: a stylesheet-only change swaps the stylesheet and reloads no page', async () => {
  const dir = await sampleProject('runbook-site-serve-');
  await mkdir(path.join(dir, 'theme/assets'), { recursive: true });
  const styleFile = path.join(dir, 'theme/assets/style.css');
  await cp(path.join(projectRoot, 'templates/assets/style.css'), styleFile);
  const serve = await startServe(dir, ['--templates', 'theme']);
  const events = await subscribe(serve.origin);
  try {
    const change = events.next((event) => event.event === 'change');
    await writeFile(styleFile, `${await readFile(styleFile, 'utf8')}\n.serve-test { color: red; }\n`);
    const data = (await change).data as { files: string[]; renamed: Record<string, string> };
    const renames = Object.entries(data.renamed);
    assert.equal(renames.length, 1);
    assert.match(renames[0][0], /^assets\/style\.[0-9a-f]{8}\.css$/);
    assert.match(renames[0][1], /^assets\/style\.[0-9a-f]{8}\.css$/);
    assert.deepEqual(data.files.filter((file) => file.endsWith('.html')), [], 'no page needs a reload');
    const css = await rawGet(serve.origin, `${BASE}${renames[0][1]}`);
    assert.match(css.body, /\.serve-test/);
  } finally {
    events.close();
    assert.equal(await serve.stop(), 0);
    await rm(dir, { recursive: true, force: true });
  }
});

test('serve: a port in use moves to the next one; a bad --port is a usage error', async () => {
  const dir = await sampleProject('runbook-site-serve-');
  const first = await startServe(dir);
  const taken = Number(new URL(first.url).port);
  const second = await startServe(dir, ['--port', String(taken)]);
  try {
    assert.notEqual(Number(new URL(second.url).port), taken);
    assert.match(second.output(), new RegExp(`port ${taken} was taken`));
  } finally {
    await second.stop();
    await first.stop();
  }
  const bad = await runCli(['serve', '--port', 'http'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--port/);
  await rm(dir, { recursive: true, force: true });
});

test('serve as a process: Ctrl-C (SIGINT) stops it cleanly with exit status 0', async () => {
  const dir = await sampleProject('runbook-site-serve-');
  const child = spawn(process.execPath, [path.join(projectRoot, 'bin/runbook-site.js'), 'serve', '--port', '0'], { cwd: dir, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  try {
    const until = Date.now() + 120_000;
    while (!/Serving (http:\/\/\S+)/.test(output)) {
      assert.ok(Date.now() < until && child.exitCode === null, `serve did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const url = /Serving (http:\/\/\S+)/.exec(output)![1];
    assert.equal((await rawGet(new URL(url).origin, new URL(url).pathname)).status, 200);
    child.kill('SIGINT');
    assert.equal(await exited, 0, output);
    assert.match(output, /Stopped\./);
    assert.deepEqual((await readdir(path.join(dir, '.cache/runbook-site'))).filter((name) => name.startsWith('serve-')), []);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});

test('serve: stopped right after its first build, it returns once the page cache is saved; a build then renders nothing', async () => {
  const dir = await sampleProject('runbook-site-serve-');
  try {
    const serve = await startServe(dir);
    assert.equal(await serve.stop(), 0);
    const cacheDir = path.join(dir, '.cache/runbook-site');
    const names = await readdir(cacheDir);
    assert.ok(names.some((name) => /^pages-full-\d\d\.pack$/.test(name)), names.join(', '));
    assert.deepEqual(names.filter((name) => name.endsWith('.tmp')), [], 'no save under way');
    const built = await runCli(['build'], dir);
    assert.equal(built.code, 0, built.stderr);
    assert.match(built.stderr, /\(0 rendered, \d+ from cache/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('serve: a site with its own shortcodes is served exactly as a clean build writes it', async () => {
  // serve and build share the load stage (pipeline/site-stages.ts): templates/shortcodes/*.hbs
  // must be found by both, or served pages say "unknown shortcode" where built ones do not.
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-serve-shortcodes-'));
  await cp(path.join(projectRoot, 'test/fixtures/sites/shortcodes'), dir, { recursive: true });
  const serve = await startServe(dir);
  try {
    const events = await subscribe(serve.origin);
    const status = await events.next((event) => event.event === 'status');
    events.close();
    assert.deepEqual(errorsOf(status).map((error) => `${error.file} ${error.ruleId}`), []);
    await assertServedAsBuilt(dir, serve);
  } finally {
    assert.equal(await serve.stop(), 0);
    await rm(dir, { recursive: true, force: true });
  }
});

test('serve: a file saved again right after its change was reported is built again (chokidar drops a second change within 50 ms)', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-watch-'));
  const file = path.join(dir, 'Runbook.md');
  await writeFile(file, 'first\n');
  const batches: string[][] = [];
  let onBatch: (() => void) | undefined;
  const watcher = watchInputs({ folders: [dir], files: [], ignore: [] }, (files) => {
    batches.push(files);
    onBatch?.();
  });
  const nextBatch = () => new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no batch within 3 s; batches: ${JSON.stringify(batches)}`)), 3000);
    onBatch = () => (clearTimeout(timer), resolve());
  });
  try {
    await watcher.ready;
    for (let round = 0; round < 3; round++) {
      // The edit is reported; a second save follows at once, as a fix or a formatter would.
      let batch = nextBatch();
      await writeFile(file, `edit ${round}\n`);
      await batch;
      batch = nextBatch();
      await writeFile(file, `edit ${round}, saved again\n`);
      await batch;
      assert.deepEqual(batches.at(-1), [file]);
    }
  } finally {
    await watcher.close();
    await rm(dir, { recursive: true, force: true });
  }
});
