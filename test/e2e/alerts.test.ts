// Browser suite for alert pages and the 404 page's recovery: builds the srerun corpus (its rules
// copied to a temporary folder with one alert added that has no runbook) under /prometheus-alerts/,
// serves it as GitHub Pages does, and follows links in Chromium through playwright-core.
// Skips (loudly) without Chromium unless REQUIRE_BROWSER=1.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { runCli } from '../helpers/cli.js';
import { SRERUN } from '../helpers/corpus.js';
import { browserAvailable, launchChromium, serveStatic } from '../helpers/browser.js';

const BASE = '/prometheus-alerts/';
const haveBrowser = browserAvailable('alert page browser tests');
const haveCorpus = existsSync(path.join(SRERUN, 'rules')) && existsSync(path.join(SRERUN, 'content/runbooks'));
if (!haveCorpus) console.log(`SKIPPED: alert page browser tests need the srerun corpus at ${SRERUN}`);
const skip = !haveBrowser || !haveCorpus;

let work = '';
let server: Server | undefined;
let origin = '';
let context: BrowserContext | undefined;
let chrome: Awaited<ReturnType<typeof launchChromium>> | undefined;
const pageErrors: string[] = [];

async function newPage(): Promise<Page> {
  const page = await context!.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  return page;
}

before(async () => {
  if (skip) return;
  work = await mkdtemp(path.join(tmpdir(), 'rs-e2e-alerts-'));
  const rules = path.join(work, 'rules');
  await cp(path.join(SRERUN, 'rules'), rules, { recursive: true });
  await mkdir(path.join(rules, 'extra'));
  await writeFile(
    path.join(rules, 'extra/extra-exporter.yml'),
    'groups:\n  - name: Extra\n    rules:\n      - alert: ExtraQueueStuck\n        expr: extra_queue_length > 100\n        for: 10m\n        labels:\n          severity: critical\n        annotations:\n          summary: Queue {{ $labels.queue }} is stuck\n          description: More than 100 messages for 10 minutes.\n',
  );
  ({ server, origin } = await serveStatic(path.join(work, 'dist'), BASE));
  const built = await runCli(['build', '--rules', rules, '--runbooks', path.join(SRERUN, 'content/runbooks'), '--base-url', `${origin}${BASE}`, '--out', path.join(work, 'dist'), '--no-cache'], work);
  assert.equal(built.code, 0, built.stdout.slice(-2000) + built.stderr);
  chrome = await launchChromium();
  context = chrome.context;
});

after(async () => {
  await chrome?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (work) await rm(work, { recursive: true, force: true });
  assert.deepEqual(pageErrors, []);
});

test('the alerts table links an alert with a runbook to its page, which sends the reader to the runbook', { skip }, async () => {
  const page = await newPage();
  await page.goto(`${origin}${BASE}alerts/`);
  await page.locator('table.alerts').getByRole('link', { name: 'ApacheDown', exact: true }).click();
  await page.waitForURL(`${origin}${BASE}runbooks/lusitaniae-apache-exporter/apachedown/`);
  assert.equal(await page.locator('h1').first().innerText(), 'ApacheDown');
  // A runbook_url written as the alert page reaches the runbook too, with its #anchor kept.
  await page.goto(`${origin}${BASE}alerts/apachedown/#x`);
  await page.waitForURL(`${origin}${BASE}runbooks/lusitaniae-apache-exporter/apachedown/#x`);
  await page.close();
});

test('an alert without a runbook has a real page: the rule, its group, and how to write the runbook', { skip }, async () => {
  const page = await newPage();
  await page.goto(`${origin}${BASE}alerts/`);
  await page.locator('table.alerts').getByRole('link', { name: 'ExtraQueueStuck', exact: true }).click();
  await page.waitForURL(`${origin}${BASE}alerts/extraqueuestuck/`);
  assert.equal(await page.locator('h1').innerText(), 'ExtraQueueStuck');
  assert.match(await page.locator('.no-runbook').innerText(), /No runbook yet/);
  assert.match(await page.locator('.no-runbook').innerText(), /runbook-site new ExtraQueueStuck/);
  assert.equal(await page.locator('.card .sev').innerText(), 'critical');
  assert.equal(await page.locator('.card code[id$="-e"]').innerText(), 'extra_queue_length > 100');
  assert.match(await page.locator('.card .ann').innerText(), /Queue \{\{ \$labels\.queue \}\} is stuck/);
  await page.close();
});

test('a 404 address differing only by case, or naming an alert, is sent to the page', { skip }, async () => {
  const page = await newPage();
  const target = `${origin}${BASE}runbooks/lusitaniae-apache-exporter/apachedown/`;
  const response = await page.goto(`${origin}${BASE}runbooks/Lusitaniae-Apache-Exporter/ApacheDown/`);
  assert.equal(response?.status(), 404);
  await page.waitForURL(target);
  await page.goto(`${origin}${BASE}runbooks/lusitaniae-apache-exporter/apachedown.html`);
  await page.waitForURL(target);
  await page.goto(`${origin}${BASE}ApacheDown`);
  await page.waitForURL(target);
  await page.goto(`${origin}${BASE}alerts/ExtraQueueStuck`);
  await page.waitForURL(`${origin}${BASE}alerts/extraqueuestuck/`);
  // Nothing like it: the 404 page stays and offers search.
  await page.goto(`${origin}${BASE}no/such/thing-here`);
  await page.waitForLoadState('networkidle');
  assert.equal(page.url(), `${origin}${BASE}no/such/thing-here`);
  assert.equal(await page.locator('h1').innerText(), 'Page not found');
  await page.close();
});
