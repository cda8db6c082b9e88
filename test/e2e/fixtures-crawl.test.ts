// Browser crawl of the fixture repositories (a Hugo site and a GitHub-style folder), each built
// with the real CLI under a base path and served like GitHub Pages: from the home page, every
// page the site links is visited, and every link, image, stylesheet and script it loads must
// load (no 4xx/5xx), every image must decode. Skips (loudly) without Chromium unless REQUIRE_BROWSER=1.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { BrowserContext } from 'playwright-core';
import { GITHUB_FIXTURE, HUGO_FIXTURE, buildFixture } from '../helpers/fixture-sites.js';
import { browserAvailable, launchChromium, serveStatic } from '../helpers/browser.js';

const haveBrowser = browserAvailable('the fixture crawl tests');
/** Far more than the fixtures have: a bound, so that a link loop cannot make the crawl run away. */
const MAX_PAGES = 200;

let context: BrowserContext | undefined;
let chrome: Awaited<ReturnType<typeof launchChromium>> | undefined;
const servers: Server[] = [];
const temporary: string[] = [];

before(async () => {
  if (!haveBrowser) return;
  chrome = await launchChromium();
  context = chrome.context;
});

after(async () => {
  await chrome?.close();
  for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
  for (const dir of temporary) await rm(dir, { recursive: true, force: true });
});

async function crawl(fixture: string, base: string, args: string[]): Promise<{ pages: number; images: number }> {
  let out = '';
  const { server, origin } = await serveStatic(() => out, base);
  servers.push(server);
  const built = await buildFixture(fixture, [...args, '--base-url', origin + base]);
  temporary.push(built.project);
  assert.equal(built.result.code, 0, built.result.stdout + built.result.stderr);
  out = built.out;

  const failures: string[] = [];
  const queue = [origin + base];
  const seen = new Set(queue);
  let images = 0;
  const page = await context!.newPage();
  page.on('response', (response) => {
    if (response.status() >= 400) failures.push(`${response.status()} ${response.url()} (from ${page.url()})`);
  });
  page.on('pageerror', (error) => failures.push(`${page.url()}: ${error.message}`));
  while (queue.length > 0 && seen.size <= MAX_PAGES) {
    const url = queue.shift()!;
    const response = await page.goto(url, { waitUntil: 'load' });
    if (!response || response.status() >= 400) continue; // recorded by the listener
    const found = await page.evaluate(() => ({
      links: [...document.querySelectorAll('a[href]')].map((a) => (a as HTMLAnchorElement).href),
      images: [...document.images].map((img) => ({ src: img.currentSrc || img.src, ok: img.complete && img.naturalWidth > 0 })),
    }));
    for (const image of found.images) {
      images++;
      if (!image.ok) failures.push(`image did not load: ${image.src} (on ${url})`);
    }
    for (const href of found.links) {
      const target = new URL(href);
      target.hash = '';
      if (target.origin !== origin) continue;
      const key = target.href;
      if (seen.has(key)) continue;
      seen.add(key);
      // Files (images, attachments) are fetched, pages are visited.
      if (/\.[a-z0-9]+$/i.test(target.pathname) && !target.pathname.endsWith('.html')) {
        const fetched = await page.request.get(key);
        if (fetched.status() >= 400) failures.push(`${fetched.status()} ${key} (linked from ${url})`);
      } else {
        queue.push(key);
      }
    }
  }
  await page.close();
  assert.ok(seen.size <= MAX_PAGES, `the crawl reached its bound of ${MAX_PAGES} pages: a link loop, or a much bigger fixture`);
  assert.deepEqual(failures, []);
  return { pages: seen.size, images };
}

test('crawl: the Hugo fixture site under /ops/: every link and image loads', { skip: !haveBrowser }, async () => {
  const { pages, images } = await crawl(HUGO_FIXTURE, '/ops/', []);
  assert.ok(pages >= 12, `${pages} pages and files visited`);
  assert.ok(images >= 3, `${images} images`);
});

test('crawl: the GitHub-style fixture under /runbooks/: every link and image loads', { skip: !haveBrowser }, async () => {
  const { pages, images } = await crawl(GITHUB_FIXTURE, '/runbooks/', ['--runbooks', 'alerts']);
  assert.ok(pages >= 8, `${pages} pages and files visited`);
  assert.ok(images >= 4, `${images} images`);
});
