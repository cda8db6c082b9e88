// `runbook-site serve` in a real browser: a served page changes by itself after its runbook is
// saved, and a build error shows over the page until it is fixed. Drives Debian's Chromium
// through playwright-core; skips (loudly) without it unless REQUIRE_BROWSER=1.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { sampleProject } from '../helpers/project.js';
import { startServe, type RunningServe } from '../helpers/serve.js';
import { browserAvailable, launchChromium } from '../helpers/browser.js';

const PAGE_URL = 'runbooks/haproxy/haproxydown/';

const haveBrowser = browserAvailable('serve browser tests');
const skip = !haveBrowser;

let dir = '';
let chrome: Awaited<ReturnType<typeof launchChromium>> | undefined;
let serve: RunningServe | undefined;
let context: BrowserContext | undefined;

before(async () => {
  if (skip) return;
  dir = await sampleProject('rs-serve-e2e-');
  serve = await startServe(dir);
  chrome = await launchChromium();
  context = chrome.context;
});

after(async () => {
  await chrome?.close();
  await serve?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('a served page updates by itself after a save, and shows build errors over the page until fixed', { skip }, async () => {
  const page = await context!.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${serve!.url}${PAGE_URL}`);
  await page.waitForFunction(() => (window as unknown as { __runbookSiteLive?: EventSource }).__runbookSiteLive?.readyState === 1, undefined, { timeout: 30_000 });
  assert.match(await page.locator('h1').first().innerText(), /HaproxyDown|HAProxy/i);

  const runbook = path.join(dir, 'runbooks/haproxy/HaproxyDown.md');
  const original = await readFile(runbook, 'utf8');
  await writeFile(runbook, `${original}\nThe browser sees this line without a manual reload.\n`);
  await page.waitForFunction(() => document.body.innerText.includes('The browser sees this line without a manual reload.'), undefined, { timeout: 60_000 });

  // A broken shortcode: the overlay names the file and line, the page under it stays.
  await writeFile(runbook, `${original}\nThe browser sees this line without a manual reload.\n\n{{% comment %}} never closed\n`);
  const overlay = page.locator('#runbook-site-overlay');
  await overlay.waitFor({ state: 'attached', timeout: 60_000 });
  const text = await overlay.evaluate((element) => element.shadowRoot?.textContent ?? '');
  assert.match(text, /Build failed: 1 error/);
  assert.match(text, /runbooks\/haproxy\/HaproxyDown\.md:\d+:\d+/);
  assert.match(text, /never closed/);
  assert.ok(await page.evaluate(() => document.body.innerText.includes('The browser sees this line without a manual reload.')));

  // Fixed: the overlay goes and the page shows the fix.
  await writeFile(runbook, `${original}\nFixed, and the page followed.\n`);
  await overlay.waitFor({ state: 'detached', timeout: 60_000 });
  await page.waitForFunction(() => document.body.innerText.includes('Fixed, and the page followed.'), undefined, { timeout: 60_000 });
  assert.deepEqual(errors, []);
  await page.close();
});
