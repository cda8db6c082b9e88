// `node lib/bench/cache-layout.js`: compares ways of storing the render cache for the srerun
// corpus: the pack file used by runbook-site (one gzip'd file of V8-serialised records, written atomically)
// against one file per page keyed by hash (raw V8 serialisation, or gzip'd each). Builds srerun
// once into a temporary folder to get real entries; writes nothing into the repository.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PageCache, SHARDS, shardFile } from '../src/cache/page-cache.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const SRERUN = path.resolve(process.env.SRERUN ?? path.join(projectRoot, '../shared/corpora/srerun'));
const RUNS = 5;

async function time(label: string, task: () => Promise<unknown>): Promise<void> {
  const figures: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await task();
    figures.push(performance.now() - started);
  }
  figures.sort((a, b) => a - b);
  console.log(`${label.padEnd(52)}${figures[RUNS >> 1].toFixed(1).padStart(8)} ms`);
}

async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(path.join(dir, name))).size;
  return total;
}

const tmp = await mkdtemp(path.join(tmpdir(), 'runbook-site-cache-layout-'));
try {
  const cacheDir = path.join(tmp, 'cache');
  execFileSync(process.execPath, [
    path.join(projectRoot, 'bin/runbook-site.js'), 'build', '--no-check', '--quiet',
    '--rules', path.join(SRERUN, 'rules'), '--runbooks', path.join(SRERUN, 'content/runbooks'),
    '--base-url', 'https://srerun.github.io/prometheus-alerts/', '--out', path.join(tmp, 'out'), '--cache-dir', cacheDir,
  ], { cwd: tmp, env: { ...process.env, CI: 'true' }, stdio: 'ignore' });
  // The page cache is 32 shard files (cache/page-cache.ts): read them all.
  const entries: [string, unknown][] = [];
  let packBytes = 0;
  let version = '';
  for (let shard = 0; shard < SHARDS; shard++) {
    const bytes = await readFile(shardFile(cacheDir, 'full', shard)).catch(() => undefined);
    if (!bytes) continue;
    packBytes += bytes.length;
    version = JSON.parse(bytes.subarray(0, bytes.indexOf(10)).toString()).version as string;
    const inflated = gunzipSync(bytes.subarray(bytes.indexOf(10) + 1));
    for (let offset = 0; offset < inflated.length; ) {
      const length = inflated.readUInt32LE(offset);
      entries.push(deserialize(inflated.subarray(offset + 4, offset + 4 + length)) as [string, unknown]);
      offset += 4 + length;
    }
  }
  console.log(`${entries.length} entries; ${SHARDS} shards, ${(packBytes / 1e6).toFixed(1)} MB\n`);

  await time('pack: open (read, inflate, check, index)', () => PageCache.open(cacheDir, 'full', version));
  await time('pack: open + decode every entry', async () => {
    const cache = await PageCache.open(cacheDir, 'full', version);
    for (const [key] of entries) cache.get(key, () => undefined);
  });
  await time('pack: save after one change (all entries)', async () => {
    const cache = await PageCache.open(cacheDir, 'full', version);
    for (const [key] of entries) cache.get(key, () => undefined);
    const key = entries[0][0];
    cache.set(key, cache.get(key, () => undefined)!);
    await cache.save();
  });

  const raw = path.join(tmp, 'per-file-raw');
  const gz = path.join(tmp, 'per-file-gz');
  await mkdir(raw);
  await mkdir(gz);
  await time('per-page files, raw: write all', () => Promise.all(entries.map(([key, value]) => writeFile(path.join(raw, key), serialize(value)))));
  await time('per-page files, raw: read all', () => Promise.all(entries.map(([key]) => readFile(path.join(raw, key)).then((b) => deserialize(b)))));
  await time('per-page files, gzip: write all', () => Promise.all(entries.map(([key, value]) => writeFile(path.join(gz, key), gzipSync(serialize(value), { level: 1 })))));
  await time('per-page files, gzip: read all', () => Promise.all(entries.map(([key]) => readFile(path.join(gz, key)).then((b) => deserialize(gunzipSync(b))))));
  await time('per-page files: list the folder (to prune)', () => readdir(raw));
  console.log(`\nsizes: pack ${(packBytes / 1e6).toFixed(1)} MB, per-page raw ${((await folderSize(raw)) / 1e6).toFixed(1)} MB in ${entries.length} files, per-page gzip ${((await folderSize(gz)) / 1e6).toFixed(1)} MB`);
} finally {
  await rm(tmp, { recursive: true, force: true });
}
