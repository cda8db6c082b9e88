// Browser suite: builds the srerun corpus with the real CLI, serves it under /prometheus-alerts/
// and drives Debian's Chromium through playwright-core. Skips (loudly) without Chromium unless
// REQUIRE_BROWSER=1.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SRERUN = path.resolve(ROOT, '../shared/corpora/srerun');
const BASE = '/prometheus-alerts/';
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.join(ROOT, 'test-results', 'screenshots');
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

const haveBrowser = existsSync(CHROME);
const haveCorpus = existsSync(path.join(SRERUN, 'rules')) && existsSync(path.join(SRERUN, 'content/runbooks'));
if (!haveBrowser) {
  if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but no Chromium at ${CHROME}: apt-get install chromium (or set CHROME_PATH)`);
  console.log('SKIPPED: browser tests need Chromium: apt-get install chromium (or set CHROME_PATH)');
}
if (!haveCorpus) console.log(`SKIPPED: browser tests need the srerun corpus at ${SRERUN}`);
const skip = !haveBrowser || !haveCorpus;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
};

/** A static host like GitHub Pages: files under BASE, directories serve index.html, 404.html otherwise. */
function serve(dir: string): Promise<Server> {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      pathname = '';
    }
    const send = async (file: string, status: number) => {
      const body = await readFile(file);
      response.writeHead(status, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-length': body.length });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (pathname.startsWith(BASE) && !pathname.includes('..')) {
      let file = path.join(dir, pathname.slice(BASE.length));
      try {
        if ((await stat(file)).isDirectory()) {
          if (!pathname.endsWith('/')) {
            response.writeHead(301, { location: url.pathname + '/' });
            response.end();
            return;
          }
          file = path.join(file, 'index.html');
        }
        await stat(file);
        await send(file, 200);
        return;
      } catch {
        // fall through to 404
      }
    }
    await send(path.join(dir, '404.html'), 404);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let outDir = '';
let server: Server | undefined;
let origin = '';
let browser: Browser | undefined;
let context: BrowserContext | undefined;
const consoleErrors: string[] = [];

async function newPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await context!.newPage();
  await page.setViewportSize(viewport);
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
  return page;
}

const RUNBOOK = 'runbooks/haproxy-exporter-v1/haproxyhighhttp4xxerrorratebackend/';
const SECTION = 'runbooks/haproxy-exporter-v1/';

before(async () => {
  if (skip) return;
  outDir = await mkdtemp(path.join(tmpdir(), 'rs-e2e-'));
  server = await serve(outDir);
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  const args = [
    path.join(ROOT, 'bin/runbook-site.js'),
    'build',
    '--rules',
    path.join(SRERUN, 'rules'),
    '--runbooks',
    path.join(SRERUN, 'content/runbooks'),
    '--base-url',
    `${origin}${BASE}`,
    '--out',
    outDir,
  ];
  try {
    await promisify(execFile)(process.execPath, args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: 'true' } });
  } catch (error) {
    // Content errors in the corpus must not hide the theme's behaviour: build anyway, and say so.
    const e = error as { stdout?: string; stderr?: string };
    console.log(`note: the build reported errors, building with --no-check:\n${(e.stderr ?? '').split('\n').slice(-3).join('\n')}`);
    await promisify(execFile)(process.execPath, [...args, '--no-check'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: 'true' } });
  }
  await mkdir(SCREENSHOTS, { recursive: true });
  const require = createRequire(import.meta.url);
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'rs-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROME, args: LAUNCH_ARGS, headless: true });
  browser = context.browser() ?? undefined;
});

after(async () => {
  await context?.close();
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

test('home → section → runbook and back', { skip }, async () => {
  const page = await newPage();
  await page.goto(`${origin}${BASE}`);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'home.png'), fullPage: false });
  await page.getByRole('main').getByRole('link', { name: 'haproxy-exporter-v1', exact: true }).click();
  await page.waitForURL(`${origin}${BASE}${SECTION}`);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'section.png') });
  await page.getByRole('main').getByRole('link', { name: 'HaproxyHighHttp4xxErrorRateBackend', exact: true }).click();
  await page.waitForURL(`${origin}${BASE}${RUNBOOK}`);
  assert.equal(await page.locator('h1').innerText(), 'HaproxyHighHttp4xxErrorRateBackend');
  assert.equal(await page.locator('.card .sev').first().innerText(), 'critical');
  assert.ok((await page.locator('.card .pq-metric').count()) > 0, 'highlighted PromQL');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'runbook.png'), fullPage: true });
  await page.goBack();
  await page.waitForURL(`${origin}${BASE}${SECTION}`);
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Home' }).click();
  await page.waitForURL(`${origin}${BASE}`);
  await page.close();
});

test('search "haproxy 4xx" lists HaproxyHighHttp4xxErrorRateBackend first; the index loads only on focus', { skip }, async () => {
  const page = await newPage();
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  await page.goto(`${origin}${BASE}${SECTION}`);
  await page.waitForLoadState('load');
  assert.ok(!requested.some((url) => url.includes('search-index') || url.includes('minisearch')), 'nothing search-related before focus');
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'rs-q', '`/` focuses search');
  await page.keyboard.type('haproxy 4xx');
  const first = page.locator('#rs-results li[role="option"]').first();
  await first.waitFor();
  assert.match(await first.innerText(), /^HaproxyHighHttp4xxErrorRateBackend/);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'search.png') });
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('#rs-results li[aria-selected="true"]').count(), 1);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await page.waitForURL(/haproxyhighhttp4xxerrorratebackend\/$/);
  await page.close();
});

test('alerts page filter by text and severity', { skip }, async () => {
  const page = await newPage();
  await page.goto(`${origin}${BASE}alerts/`);
  const rows = page.locator('table.alerts tbody tr');
  const total = await rows.count();
  assert.ok(total > 500, `${total} alerts`);
  await page.getByLabel('Filter', { exact: true }).fill('haproxy 4xx');
  const visible = page.locator('table.alerts tbody tr:not([hidden])');
  const shown = await visible.count();
  assert.ok(shown >= 2 && shown < 10, `${shown} rows shown`);
  for (const text of await visible.locator('th').allInnerTexts()) assert.match(text.toLowerCase(), /haproxy.*4xx/);
  await page.getByLabel('Filter', { exact: true }).fill('');
  await page.getByLabel('Severity').selectOption('warning');
  const warnings = await visible.count();
  assert.ok(warnings > 0 && warnings < total);
  for (const sev of await visible.locator('.sev').allInnerTexts()) assert.equal(sev, 'warning');
  await page.getByLabel('Severity').selectOption('');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'alerts.png') });
  await page.close();
});

test('dark-mode toggle persists across reload, applied before first paint', { skip }, async () => {
  const page = await newPage();
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${origin}${BASE}${RUNBOOK}`);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();
  await page.locator('button.theme').click();
  const dark = await background();
  assert.notEqual(dark, light);
  assert.equal(await page.locator('button.theme').getAttribute('aria-pressed'), 'true');
  await page.reload();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await background(), dark);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'runbook-dark.png') });
  await page.locator('button.theme').click();
  assert.equal(await background(), light);
  await page.close();
});

test('without a choice saved, the system colour scheme decides', { skip }, async () => {
  const backgrounds: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    const page = await newPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${origin}${BASE}${RUNBOOK}`);
    await page.evaluate(() => localStorage.removeItem('rs-theme')); // forget the toggle test's choice
    await page.reload();
    backgrounds.push(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
    await page.close();
  }
  assert.deepEqual(backgrounds, ['rgb(255, 255, 255)', 'rgb(13, 17, 23)']);
});

test('no horizontal scroll at 360 px on home, section, runbook and alerts', { skip }, async () => {
  const page = await newPage({ width: 360, height: 740 });
  for (const [name, url] of [['home', ''], ['section', SECTION], ['runbook', RUNBOOK], ['alerts', 'alerts/']] as const) {
    await page.goto(`${origin}${BASE}${url}`);
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
    assert.ok(scrollWidth <= clientWidth, `${name}: scrollWidth ${scrollWidth} > ${clientWidth}`);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-360.png`), fullPage: name !== 'alerts' });
  }
  await page.close();
});

test('axe: no serious or critical violations on home, section, runbook, alerts and 404', { skip }, async () => {
  const require = createRequire(import.meta.url);
  const axePath = require.resolve('axe-core/axe.min.js');
  for (const scheme of ['light', 'dark'] as const) {
    const page = await newPage();
    await page.emulateMedia({ colorScheme: scheme });
    for (const [name, url] of [['home', ''], ['section', SECTION], ['runbook', RUNBOOK], ['alerts', 'alerts/'], ['404', 'no/such/page/']] as const) {
      await page.goto(`${origin}${BASE}${url}`);
      await page.addScriptTag({ path: axePath });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
      });
      const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(bad, [], `${name} (${scheme}): ${JSON.stringify(bad)}`);
      if (scheme === 'light' && name === '404') await page.screenshot({ path: path.join(SCREENSHOTS, '404.png') });
    }
    await page.close();
  }
});

test('every internal link and asset on every page resolves', { skip }, async () => {
  const seen = new Set<string>([`${origin}${BASE}`, `${origin}${BASE}404.html`]);
  const from = new Map<string, string>();
  let queue = [...seen];
  const broken: string[] = [];
  while (queue.length) {
    const batch = queue.splice(0, 16);
    const found = await Promise.all(
      batch.map(async (url) => {
        const response = await fetch(url);
        const text = await response.text();
        if (response.status !== 200) broken.push(`${url} → ${response.status} (linked from ${from.get(url) ?? 'start'})`);
        if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) return [];
        const targets: string[] = [];
        for (const match of text.matchAll(/\s(?:href|src|data-index|data-lib)="([^"]+)"/g)) {
          const target = new URL(match[1].replace(/&amp;/g, '&').replace(/&#x3D;/g, '='), url);
          if (target.origin !== origin) continue;
          target.hash = '';
          if (!seen.has(target.href)) {
            seen.add(target.href);
            from.set(target.href, url);
            targets.push(target.href);
          }
        }
        return targets;
      }),
    );
    queue = queue.concat(found.flat());
  }
  assert.ok(seen.size > 1000, `crawled ${seen.size} URLs`);
  assert.deepEqual(broken.slice(0, 20), [], `${broken.length} broken`);
});

test('zero console errors on the pages visited', { skip }, async () => {
  // The deliberate visit to a missing address logs its 404 status; nothing else may log an error.
  assert.deepEqual(consoleErrors.filter((line) => !/no\/such\/page\/: Failed to load resource: .* 404/.test(line)), []);
});
