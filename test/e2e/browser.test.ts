// Browser suite: builds the srerun corpus with the real CLI, serves it under /prometheus-alerts/
// and drives Debian's Chromium through playwright-core. Skips (loudly) without Chromium unless
// REQUIRE_BROWSER=1.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import { browserAvailable, launchChromium, serveStatic } from '../helpers/browser.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SRERUN = path.resolve(ROOT, '../shared/corpora/srerun');
const BASE = '/prometheus-alerts/';
const SCREENSHOTS = path.join(ROOT, 'test-results', 'screenshots');

const haveBrowser = browserAvailable('browser tests');
const haveCorpus = existsSync(path.join(SRERUN, 'rules')) && existsSync(path.join(SRERUN, 'content/runbooks'));
if (!haveCorpus) console.log(`SKIPPED: browser tests need the srerun corpus at ${SRERUN}`);
const skip = !haveBrowser || !haveCorpus;

let outDir = '';
let server: Server | undefined;
let origin = '';
let chrome: Awaited<ReturnType<typeof launchChromium>> | undefined;
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
  ({ server, origin } = await serveStatic(outDir, BASE));
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
  // The corpus builds cleanly (e2e-srerun asserts it): a failure here is a failure of this suite too.
  await promisify(execFile)(process.execPath, args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: 'true' } });
  await mkdir(SCREENSHOTS, { recursive: true });
  chrome = await launchChromium();
  context = chrome.context;
});

after(async () => {
  await chrome?.close();
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

/** Measured in the page: names (text between <wbr>s) that wrap inside a segment, i.e. break inside a word. */
async function midWordBreaks(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const broken: string[] = [];
    for (const element of Array.from(document.querySelectorAll(sel))) {
      if ((element as HTMLElement).offsetParent === null) continue;
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        const lines = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(`${element.textContent} (“${node.textContent}” on ${lines.size} lines)`);
      }
    }
    return broken;
  }, selector);
}

/** Elements sticking out of the viewport, except those inside code blocks (which scroll on their own). */
async function wideElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const element of Array.from(document.querySelectorAll('body *'))) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || element.closest('pre') && element.tagName !== 'PRE') continue;
      if (getComputedStyle(element).position === 'fixed' || element.closest('.sr, .skip')) continue;
      if (box.right > width + 1 || box.left < -1) out.push(`${element.tagName.toLowerCase()}.${element.className} ${Math.round(box.left)}–${Math.round(box.right)} > ${width}`);
    }
    return out.slice(0, 10);
  });
}

test('alerts page at 1280 px: names link to their page, break only between words, the Alert column fits them', { skip }, async () => {
  const page = await newPage({ width: 1280, height: 900 });
  await page.goto(`${origin}${BASE}alerts/`);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'alerts-1280.png') });
  const names = page.locator('table.alerts tbody th');
  assert.equal(await names.count(), await names.locator('a').count(), 'every name is a link');
  assert.deepEqual(await midWordBreaks(page, 'table.alerts tbody th'), []);
  const column = await page.locator('table.alerts thead th').first().boundingBox();
  const table = await page.locator('table.alerts').boundingBox();
  assert.ok(column && table && column.width >= 250, `Alert column ${column?.width} px wide`);
  // Most names fit on one line at this width; the longest wrap at their word boundaries.
  const oneLine = await page.evaluate(() => {
    const cells = Array.from(document.querySelectorAll('table.alerts tbody th a'));
    const single = cells.filter((a) => new Set(Array.from(a.getClientRects()).map((r) => Math.round(r.top))).size === 1).length;
    return single / cells.length;
  });
  assert.ok(oneLine > 0.9, `${(oneLine * 100).toFixed(0)} % of names on one line`);
  assert.deepEqual(await wideElements(page), []);
  const sidebar = await newPage({ width: 1280, height: 900 });
  await sidebar.goto(`${origin}${BASE}runbooks/haproxy-exporter-v1/haproxybackendmaxactivesession/`);
  assert.deepEqual(await midWordBreaks(sidebar, '.side li a'), []);
  await sidebar.close();
  await page.close();
});

test('alerts page: filter, severity, "without runbook" and sort live in the URL; sortable by severity and name', { skip }, async () => {
  const page = await newPage();
  await page.goto(`${origin}${BASE}alerts/?q=haproxy&severity=critical`);
  const visible = page.locator('table.alerts tbody tr:not([hidden])');
  const shown = await visible.count();
  assert.ok(shown > 0 && shown < 50, `${shown} rows`);
  for (const sev of await visible.locator('.sev').allInnerTexts()) assert.equal(sev, 'critical');
  assert.equal(await page.getByLabel('Filter', { exact: true }).inputValue(), 'haproxy');
  await page.getByLabel('Without runbook').check();
  assert.match(page.url(), /[?&]missing=1/);
  await page.getByLabel('Without runbook').uncheck();
  await page.getByLabel('Filter', { exact: true }).fill('');
  await page.getByLabel('Severity').selectOption('');
  assert.equal(new URL(page.url()).search, '');
  await page.getByRole('button', { name: 'Severity' }).click();
  assert.equal(await page.locator('table.alerts thead th[data-sort="severity"]').getAttribute('aria-sort'), 'ascending');
  assert.match(page.url(), /sort=severity/);
  const order = await page.locator('table.alerts tbody tr').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.sev ?? ''));
  const rank = (s: string) => ['critical', 'warning', 'info'].indexOf(s.toLowerCase()) + 1 || (s ? 4 : 5);
  for (let i = 1; i < order.length; i++) assert.ok(rank(order[i - 1]) <= rank(order[i]), `row ${i}: ${order[i - 1]} before ${order[i]}`);
  // The shared link restores the sorted view.
  await page.goto(`${origin}${BASE}alerts/?sort=-name`);
  const first = await page.locator('table.alerts tbody th').first().innerText();
  const last = await page.locator('table.alerts tbody th').last().innerText();
  assert.ok(first > last, `${first} before ${last}`);
  await page.close();
});

test('runbook page at 375 px: the whole expression shows, nothing is wider than the screen, the rule is shown once', { skip }, async () => {
  const page = await newPage({ width: 375, height: 812 });
  await page.goto(`${origin}${BASE}${RUNBOOK}`);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'runbook-375.png'), fullPage: true });
  assert.deepEqual(await wideElements(page), []);
  const expr = page.locator('.card pre.expr');
  const { scrollWidth, clientWidth } = await expr.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
  assert.ok(scrollWidth <= clientWidth, `expression scrolls: ${scrollWidth} > ${clientWidth}`);
  assert.match(await expr.innerText(), />\s*5\s*$/, 'the threshold is visible');
  // No line of the expression breaks inside a metric name's word.
  assert.deepEqual(await midWordBreaks(page, '.card pre.expr .pq-metric'), []);
  // One rule, one place: one card, the embed points at it, the YAML is in the card's details.
  assert.equal(await page.locator('.card').count(), 1);
  assert.equal(await page.locator('.body .rule-embed').count(), 0);
  assert.equal(await page.locator('.body .rule-ref').count(), 1);
  assert.equal(await page.locator('.card details.yaml-src').count(), 1);
  // The navigation button opens the sidebar at the top; Escape closes it.
  const menu = page.getByRole('button', { name: 'Menu' });
  await page.evaluate(() => window.scrollTo(0, 0));
  await menu.click();
  assert.equal(await menu.getAttribute('aria-expanded'), 'true');
  const nav = await page.locator('#rs-nav').boundingBox();
  assert.ok(nav && nav.y < 200 && nav.width <= 375, `nav at ${nav?.y}`);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'runbook-375-menu.png') });
  await page.keyboard.press('Escape');
  assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  await page.close();
});

test('runbook page at 1280 px: the expression is laid out over lines and shows whole, without sideways scrolling', { skip }, async () => {
  const page = await newPage({ width: 1280, height: 900 });
  await page.goto(`${origin}${BASE}${RUNBOOK}`);
  const expr = page.locator('.card pre.expr');
  const { scrollWidth, clientWidth, lines } = await expr.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, lines: el.querySelectorAll('.pl').length }));
  assert.ok(scrollWidth <= clientWidth, `${scrollWidth} > ${clientWidth}`);
  assert.equal(lines, 5);
  // Each line is on one visual line at this width.
  const heights = await expr.locator('.pl').evaluateAll((spans) => spans.map((span) => span.getClientRects().length));
  assert.deepEqual(heights, [1, 1, 1, 1, 1]);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'runbook-1280.png') });
  await page.close();
});

test('copy buttons: the expression as written in the rule file; every code block has one', { skip }, async () => {
  await context!.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const page = await newPage();
  await page.goto(`${origin}${BASE}${RUNBOOK}`);
  await page.getByRole('button', { name: 'Copy expression' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, 'sum by (backend) (rate(haproxy_server_http_responses_total{code="4xx"}[1m])) / sum by (backend) (rate(haproxy_server_http_responses_total[1m])) > 5');
  await page.goto(`${origin}${BASE}runbooks/node-exporter/hostdiskwillfillin24hours/`);
  const blocks = await page.locator('.body pre').count();
  assert.ok(blocks > 0);
  assert.equal(await page.locator('.body .codeblock > .copy').count(), blocks);
  assert.ok((await page.locator('.body pre code [class^="hljs-"]').count()) > 0, 'highlighted at build time');
  await page.locator('.body .codeblock > .copy').first().click();
  const code = await page.locator('.body pre code').first().textContent();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), (code ?? '').replace(/\n$/, ''));
  await page.close();
});

test('heading permalinks appear on hover and are reachable by keyboard', { skip }, async () => {
  const page = await newPage();
  await page.goto(`${origin}${BASE}${RUNBOOK}`);
  const heading = page.locator('.body h2').first();
  const anchor = heading.locator('a.anchor');
  assert.equal(await anchor.evaluate((a) => getComputedStyle(a).opacity), '0');
  await heading.hover();
  assert.equal(await anchor.evaluate((a) => getComputedStyle(a).opacity), '1');
  await page.mouse.move(0, 0);
  await anchor.focus();
  assert.equal(await anchor.evaluate((a) => getComputedStyle(a).opacity), '1');
  assert.match((await anchor.getAttribute('href')) ?? '', /^#meaning/);
  await page.close();
});

test('search: Ctrl-K and Cmd-K focus it; a metric name finds every alert using it, with snippet marks, severity and section', { skip }, async () => {
  const page = await newPage();
  await page.goto(`${origin}${BASE}${SECTION}`);
  await page.keyboard.press('Control+k');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'rs-q');
  await page.evaluate(() => (document.activeElement as HTMLElement).blur());
  await page.keyboard.press('Meta+k');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'rs-q');
  await page.keyboard.type('haproxy_server_http_responses_total');
  const options = page.locator('#rs-results li[role="option"]');
  await options.first().waitFor();
  const titles = await options.locator('.hit-head > span:first-child').allInnerTexts();
  for (const name of ['HaproxyHighHttp4xxErrorRateBackend', 'HaproxyHighHttp5xxErrorRateBackend', 'HaproxyHighHttp4xxErrorRateServer', 'HaproxyHighHttp5xxErrorRateServer']) {
    assert.ok(titles.includes(name), `${name} in ${titles.join(', ')}`);
  }
  assert.ok((await options.first().locator('mark').count()) > 0, 'matched terms marked');
  assert.ok((await options.first().locator('.sev').count()) === 1, 'severity badge');
  assert.ok((await options.first().locator('small').innerText()).length > 0, 'section');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'search-metric.png') });
  await page.close();
});

test('search at 375 px: a long alert name in the results wraps between its words, never inside one', { skip }, async () => {
  const page = await newPage({ width: 375, height: 812 });
  await page.goto(`${origin}${BASE}${SECTION}`);
  await page.keyboard.press('/');
  await page.keyboard.type('ApcUpsLessThan15MinutesOfBatteryTimeRemaining');
  const title = page.locator('#rs-results li[role="option"] .hit-head > span:first-child').first();
  await title.waitFor();
  assert.equal(await title.innerText(), 'ApcUpsLessThan15MinutesOfBatteryTimeRemaining', 'the name reads whole (the <wbr>s add no characters)');
  const lines = await title.evaluate((element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    return new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
  });
  assert.ok(lines > 1, `the name is long enough to wrap at this width (${lines} line)`);
  assert.deepEqual(await midWordBreaks(page, '#rs-results .hit-head > span:first-child'), []);
  assert.deepEqual(await wideElements(page), []);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'search-375.png') });
  await page.close();
});

test('without JavaScript the runbook page reads whole: heading, rule card, expression, body', { skip }, async () => {
  const nojsChrome = await launchChromium({ javaScriptEnabled: false });
  const nojs = nojsChrome.context;
  try {
    const page = await nojs.newPage();
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${origin}${BASE}${RUNBOOK}`);
    assert.equal(await page.locator('h1').innerText(), 'HaproxyHighHttp4xxErrorRateBackend');
    assert.match(await page.locator('.card pre.expr').innerText(), /haproxy_server_http_responses_total/);
    assert.ok(await page.locator('.body h2').first().isVisible());
    assert.ok(await page.locator('a.navbtn').isVisible(), 'the menu link leads to the navigation');
    assert.equal(await page.locator('a.navbtn').getAttribute('href'), '#rs-nav');
    await page.goto(`${origin}${BASE}alerts/`);
    assert.ok((await page.locator('table.alerts tbody tr').count()) > 500, 'alerts table readable without JS');
  } finally {
    await nojsChrome.close();
  }
});

test('size budgets on the srerun build: median runbook page ≤ 16 KB, whole site ≤ 16 MB', { skip }, async () => {
  const { readdir } = await import('node:fs/promises');
  const entries = await readdir(outDir, { recursive: true, withFileTypes: true });
  let total = 0;
  const pages: number[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const size = (await stat(file)).size;
    total += size;
    const rel = path.relative(outDir, file).split(path.sep);
    if (rel[0] === 'runbooks' && rel.length >= 4 && entry.name === 'index.html') pages.push(size);
  }
  pages.sort((a, b) => a - b);
  const median = pages[Math.floor(pages.length / 2)];
  console.log(`# site ${(total / 2 ** 20).toFixed(2)} MB, median runbook page ${(median / 1024).toFixed(1)} KB (${pages.length} pages)`);
  assert.ok(median <= 16 * 1024, `median page ${median} B`);
  assert.ok(total <= 16 * 2 ** 20, `site ${total} B`);
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
