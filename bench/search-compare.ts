// `node lib/bench/search-compare.js`: the site's MiniSearch search against Pagefind on the srerun
// build: index size (raw and gzip), time to the first result in Chromium on a fresh page, and the
// rank of the expected page for ten queries written down before measuring (BENCHMARKS.md).
// Needs Chromium and a Pagefind binary (PAGEFIND=/path/to/pagefind, e.g. from `npm install
// --prefix /tmp/pf pagefind`); prints what it skips.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const SRERUN = path.resolve(process.env.SRERUN ?? path.join(projectRoot, '../shared/corpora/srerun'));
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const PAGEFIND = process.env.PAGEFIND ?? 'pagefind';
const BASE = '/prometheus-alerts/';

/** Written down before the first measurement: the query, and the pages a reader expects first. */
export const QUERIES: { q: string; expect: string[] }[] = [
  { q: 'haproxy 4xx', expect: ['haproxy-exporter-v1/haproxyhighhttp4xxerrorratebackend/', 'haproxy-exporter-v1/haproxyhighhttp4xxerrorrateserver/'] },
  { q: 'haproxy_server_http_responses_total', expect: ['haproxyhighhttp4xxerrorratebackend/', 'haproxyhighhttp4xxerrorrateserver/', 'haproxyhighhttp5xxerrorratebackend/', 'haproxyhighhttp5xxerrorrateserver/'] },
  { q: 'disk full', expect: ['node-exporter/hostoutofdiskspace/'] },
  { q: 'node_filesystem_avail_bytes', expect: ['node-exporter/hostoutofdiskspace/', 'node-exporter/hostdiskwillfillin24hours/'] },
  { q: 'pod crash looping', expect: ['kubestate-exporter/kubernetespodcrashlooping/'] },
  { q: 'postgres replication lag', expect: ['postgres-exporter/postgresqlreplicationlagsizetoolarge/', 'postgres-exporter/postgresqlreplicationbehind/'] },
  { q: 'ssl certificate expire', expect: ['blackbox-exporter/blackboxsslcertificatewillexpiresoon/'] },
  { q: 'mysql down', expect: ['mysqld-exporter/mysqldown/'] },
  { q: 'container_memory_working_set_bytes', expect: ['google-cadvisor/containerhighmemoryusage/', 'google-cadvisor/containerlowmemoryusage/'] },
  { q: 'redis memory', expect: ['oliver006-redis-exporter/redisoutofsystemmemory/', 'oliver006-redis-exporter/redisoutofconfiguredmaxmemory/'] },
];

function serve(dir: string): Promise<Server> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.css': 'text/css', '.wasm': 'application/wasm' };
  const server = createServer(async (request, response) => {
    let file = path.join(dir, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname).slice(BASE.length));
    try {
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream', 'content-length': body.length });
      response.end(body);
    } catch {
      response.writeHead(404);
      response.end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function folderBytes(dir: string): { raw: number; gzip: number; files: number } {
  let raw = 0;
  let gzip = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const bytes = readFileSync(path.join(entry.parentPath, entry.name));
    raw += bytes.length;
    // Pagefind's fragments and index chunks are stored gzip'd already.
    gzip += /\.pf_/.test(entry.name) ? bytes.length : gzipSync(bytes).length;
    files++;
  }
  return { raw, gzip, files };
}

const rankOf = (urls: string[], expect: string[]) => {
  const index = urls.findIndex((url) => expect.some((tail) => url.endsWith(tail)));
  return index === -1 ? '—' : String(index + 1);
};

async function main(): Promise<void> {
  if (!existsSync(CHROME)) return console.log(`skipped: no Chromium at ${CHROME}`);
  const out = await mkdtemp(path.join(tmpdir(), 'rs-search-'));
  const server = await serve(out);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    execFileSync(process.execPath, [path.join(projectRoot, 'bin/runbook-site.js'), 'build', '--no-check', '--quiet', '--no-cache', '--rules', path.join(SRERUN, 'rules'), '--runbooks', path.join(SRERUN, 'content/runbooks'), '--out', out, '--base-url', origin + BASE], { stdio: 'ignore' });
    let pagefind = true;
    const started = performance.now();
    try {
      execFileSync(PAGEFIND, ['--site', out, '--root-selector', 'main', '--output-subdir', 'pagefind'], { stdio: 'ignore' });
    } catch {
      pagefind = false;
      console.log(`Pagefind skipped: could not run \`${PAGEFIND}\` (set PAGEFIND)`);
    }
    const pagefindSeconds = (performance.now() - started) / 1000;
    const assets = readdirSync(path.join(out, 'assets')).filter((name) => name.startsWith('minisearch.'));
    const mini = [path.join(out, 'search-index.json'), ...assets.map((name) => path.join(out, 'assets', name))].map((file) => readFileSync(file));
    console.log('| | files | raw KB | gzip KB |');
    console.log('|---|---:|---:|---:|');
    console.log(`| MiniSearch (index + library) | ${mini.length} | ${(mini.reduce((n, b) => n + b.length, 0) / 1024).toFixed(0)} | ${(mini.reduce((n, b) => n + gzipSync(b).length, 0) / 1024).toFixed(0)} |`);
    if (pagefind) {
      const pf = folderBytes(path.join(out, 'pagefind'));
      console.log(`| Pagefind (whole bundle; built in ${pagefindSeconds.toFixed(1)} s) | ${pf.files} | ${(pf.raw / 1024).toFixed(0)} | ${(pf.gzip / 1024).toFixed(0)} |`);
    }
    const require = createRequire(import.meta.url);
    const { chromium } = require('playwright-core') as typeof import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROME, args: ['--no-sandbox', '--disable-gpu'] });
    const rows: string[] = [];
    const firstResult: Record<string, number[]> = { MiniSearch: [], Pagefind: [] };
    const fetched: Record<string, number[]> = { MiniSearch: [], Pagefind: [] };
    for (const { q, expect } of QUERIES) {
      const ranks: string[] = [];
      for (const engine of ['MiniSearch', 'Pagefind'] as const) {
        if (engine === 'Pagefind' && !pagefind) { ranks.push('skipped'); continue; }
        const context = await browser.newContext();
        const page = await context.newPage();
        let bytes = 0;
        page.on('response', (response) => { if (/search-index|minisearch|pagefind/.test(response.url())) response.body().then((b) => (bytes += b.length), () => {}); });
        await page.goto(`${origin}${BASE}`);
        let urls: string[];
        let ms: number;
        if (engine === 'MiniSearch') {
          const t0 = Date.now();
          await page.fill('#rs-q', q);
          await page.locator('#rs-results li[role="option"], #rs-results li.empty').first().waitFor();
          ms = Date.now() - t0;
          urls = await page.locator('#rs-results li[role="option"] a').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname));
        } else {
          const result = await page.evaluate(async ([base, query]) => {
            const t0 = performance.now();
            const pf = await import(`${base}pagefind/pagefind.js`);
            const search = await pf.search(query);
            const top = await Promise.all(search.results.slice(0, 12).map((r: { data: () => Promise<{ url: string }> }) => r.data()));
            return { ms: performance.now() - t0, urls: top.map((d: { url: string }) => new URL(d.url, location.href).pathname) };
          }, [BASE, q] as const);
          ms = result.ms;
          urls = result.urls;
        }
        await page.waitForTimeout(200);
        firstResult[engine].push(ms);
        fetched[engine].push(bytes);
        ranks.push(rankOf(urls, expect));
        await context.close();
      }
      rows.push(`| \`${q}\` | ${ranks.join(' | ')} |`);
    }
    await browser.close();
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
    console.log('\n| query | MiniSearch rank | Pagefind rank |');
    console.log('|---|---:|---:|');
    for (const row of rows) console.log(row);
    console.log(`\ntime to first result on a fresh page (median of ${QUERIES.length}): MiniSearch ${median(firstResult.MiniSearch).toFixed(0)} ms, Pagefind ${median(firstResult.Pagefind).toFixed(0)} ms`);
    console.log(`bytes fetched for the first query (median): MiniSearch ${(median(fetched.MiniSearch) / 1024).toFixed(0)} KB, Pagefind ${(median(fetched.Pagefind) / 1024).toFixed(0)} KB (uncompressed bodies)`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(out, { recursive: true, force: true });
  }
}

await main();
