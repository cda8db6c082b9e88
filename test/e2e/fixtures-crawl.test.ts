// Browser crawl of the fixture repositories (a Hugo site and a GitHub-style folder), each built
// with the real CLI under a base path and served like GitHub Pages: from the home page, every
// page the site links is visited, and every link, image, stylesheet and script it loads must
// load (no 4xx/5xx), every image must decode. Skips (loudly) without Chromium unless REQUIRE_BROWSER=1.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, stat, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { BrowserContext } from 'playwright-core';
import { GITHUB_FIXTURE, HUGO_FIXTURE, buildFixture } from '../helpers/fixture-sites.js';

const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];
const haveBrowser = existsSync(CHROME);
if (!haveBrowser) {
  if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but no Chromium at ${CHROME}: apt-get install chromium (or set CHROME_PATH)`);
  console.log('SKIPPED: the fixture crawl needs Chromium: apt-get install chromium (or set CHROME_PATH)');
}
/** Far more than the fixtures have: a bound, so that a link loop cannot make the crawl run away. */
const MAX_PAGES = 200;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
};

/** A static host like GitHub Pages: files under `base`, folders serve index.html, else 404.html. */
function serve(dir: () => string, base: string): Promise<Server> {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    let pathname = '';
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      // a malformed escape is a 404
    }
    const send = async (file: string, status: number) => {
      const body = await readFile(file);
      response.writeHead(status, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-length': body.length });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (pathname.startsWith(base) && !pathname.includes('..')) {
      let file = path.join(dir(), pathname.slice(base.length));
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
    await send(path.join(dir(), '404.html'), 404);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let context: BrowserContext | undefined;
const servers: Server[] = [];
const temporary: string[] = [];

before(async () => {
  if (!haveBrowser) return;
  const require = createRequire(import.meta.url);
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'rs-crawl-chromium-'));
  temporary.push(userDataDir);
  context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROME, args: LAUNCH_ARGS, headless: true });
});

after(async () => {
  await context?.close();
  for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
  for (const dir of temporary) await rm(dir, { recursive: true, force: true });
});

async function crawl(fixture: string, base: string, args: string[]): Promise<{ pages: number; images: number }> {
  let out = '';
  const server = await serve(() => out, base);
  servers.push(server);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
