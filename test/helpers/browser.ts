// What every browser test needs: Debian's Chromium driven by playwright-core, and a static host
// that serves a built site as GitHub Pages does.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';

export const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/** As the machine's probe starts it: without the background-networking flags the closed network refuses many connections. */
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

/** True when Chromium is installed; else prints a SKIPPED line naming `what`, or throws with REQUIRE_BROWSER=1. */
export function browserAvailable(what: string): boolean {
  if (existsSync(CHROME)) return true;
  if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but no Chromium at ${CHROME}: apt-get install chromium (or set CHROME_PATH)`);
  console.log(`SKIPPED: ${what} need Chromium: apt-get install chromium (or set CHROME_PATH)`);
  return false;
}

/** A fresh headless Chromium with a profile folder of its own, which `close` removes. */
export async function launchChromium(options: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const require = createRequire(import.meta.url);
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'rs-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROME, args: LAUNCH_ARGS, headless: true, javaScriptEnabled: options.javaScriptEnabled ?? true });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

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

/**
 * A static host like GitHub Pages on a free loopback port: files under `base`, folders serve their
 * index.html (a folder without its slash is redirected), anything else is 404.html with status 404.
 * `dir` may be a function, for a host whose folder is only known later.
 */
export async function serveStatic(dir: string | (() => string), base: string): Promise<{ server: Server; origin: string }> {
  const root = typeof dir === 'string' ? () => dir : dir;
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
      let file = path.join(root(), pathname.slice(base.length));
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
    await send(path.join(root(), '404.html'), 404);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
