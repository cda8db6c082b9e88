// `npm run bench`: times the CLI (spawned as a child process) on the srerun corpus cold and warm,
// on a generated corpus ten times its size, and Hugo with bare layouts on the same content when
// `hugo` is on PATH. Five runs per scenario after a warm-up; prints median wall time and peak RSS
// and the ratios to Hugo. Everything it writes goes into a temporary folder.
//
// Environment: BENCH_RUNS (default 5), BENCH_SKIP_10X=1, BENCH_SKIP_SERVE=1, BENCH_SERVE_EDITS (default 12), SRERUN=<corpus folder>.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from './corpus.js';
import { BASE_URL, hugoSite } from './hugo-site.js';
import { benchServe, type ServeBench } from './serve.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(projectRoot, 'bin/runbook-site.js');
const SRERUN = path.resolve(process.env.SRERUN ?? path.join(projectRoot, '../shared/corpora/srerun'));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Run {
  seconds: number;
  rssMB?: number;
  /** User + system CPU seconds of the process, all its threads (workers, GC, JIT) included. */
  cpuSeconds?: number;
  stderr: string;
  code: number;
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Runs a command; peak RSS from /usr/bin/time, else (node only) from a preload hook writing resourceUsage().maxRSS. */
async function timed(command: string, args: string[], options: { cwd: string; tmp: string; node: boolean; env?: NodeJS.ProcessEnv }): Promise<Run> {
  const rssFile = path.join(options.tmp, `rss-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', ...options.env };
  let file = command;
  let argv = args;
  if (TIME) {
    file = TIME;
    argv = ['-f', '%M %U %S', '-o', rssFile, command, ...args];
  } else if (options.node) {
    const hook = path.join(options.tmp, 'rss-hook.mjs');
    if (!existsSync(hook)) {
      await writeFile(hook, "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { const u = process.resourceUsage(); writeFileSync(process.env.BENCH_RSS_FILE, `${u.maxRSS} ${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6}`); });\n");
    }
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --import ${hook}`.trim();
    env.BENCH_RSS_FILE = rssFile;
  }
  const started = performance.now();
  const child = spawn(file, argv, { cwd: options.cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number>((resolve) => child.on('close', (status) => resolve(status ?? -1)));
  const seconds = (performance.now() - started) / 1000;
  let rssMB: number | undefined;
  let cpuSeconds: number | undefined;
  try {
    const [kb, user, system] = (await readFile(rssFile, 'utf8')).trim().split('\n').pop()!.split(' ').map(Number);
    if (Number.isFinite(kb)) rssMB = kb / 1024;
    if (Number.isFinite(user) && Number.isFinite(system)) cpuSeconds = user + system;
    await rm(rssFile, { force: true });
  } catch {
    // no figure
  }
  return { seconds, rssMB, cpuSeconds, stderr, code };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

interface Scenario {
  name: string;
  seconds: number;
  min: number;
  max: number;
  rssMB?: number;
  /** Median CPU seconds per run. */
  cpuSeconds?: number;
  /** Median share of the machine's core time left idle during a run: 1 − CPU ÷ (cores × wall). */
  idleShare?: number;
  summary: string;
}

async function scenario(name: string, command: string, args: string[], options: { cwd: string; tmp: string; node: boolean; env?: NodeJS.ProcessEnv; before?: () => Promise<void> }): Promise<Scenario> {
  process.stderr.write(`  ${name}: warm-up`);
  await options.before?.();
  const warm = await timed(command, args, options);
  if (warm.code !== 0 && options.node && !/Built \d+ pages/.test(warm.stderr)) {
    throw new Error(`${name} failed (exit ${warm.code}):\n${warm.stderr.slice(-2000)}`);
  }
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    await options.before?.();
    runs.push(await timed(command, args, options));
    process.stderr.write(` ${runs[i].seconds.toFixed(2)}s`);
  }
  process.stderr.write('\n');
  const seconds = runs.map((r) => r.seconds);
  const rss = runs.map((r) => r.rssMB).filter((v): v is number => v !== undefined);
  const summary = /Built [^\n]*/.exec(runs[runs.length - 1].stderr)?.[0] ?? '';
  const cpu = runs.filter((r) => r.cpuSeconds !== undefined);
  const cores = availableParallelism();
  return {
    name,
    seconds: median(seconds),
    min: Math.min(...seconds),
    max: Math.max(...seconds),
    rssMB: rss.length ? Math.max(...rss) : undefined,
    cpuSeconds: cpu.length ? median(cpu.map((r) => r.cpuSeconds!)) : undefined,
    idleShare: cpu.length ? median(cpu.map((r) => Math.max(0, 1 - r.cpuSeconds! / (cores * r.seconds)))) : undefined,
    summary,
  };
}

function srerunArgs(out: string, cache: string, extra: string[] = [], rules = path.join(SRERUN, 'rules'), runbooks = path.join(SRERUN, 'content/runbooks')): string[] {
  return [BIN, 'build', '--rules', rules, '--runbooks', runbooks, '--base-url', BASE_URL, '--out', out, '--cache-dir', cache, '--no-check', ...extra];
}

/** Bytes of the built site; runbook pages are the leaf folders under runbooks/ (sections have sub-folders). */
function siteSizes(out: string): { total: number; files: number; pages: number; medianPage: number; largestPage: number; searchIndex: number } {
  let total = 0;
  let files = 0;
  let searchIndex = 0;
  const pageSizes: number[] = [];
  const walk = (dir: string, relative: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true });
    const isLeaf = !entries.some((entry) => entry.isDirectory());
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full, relative ? `${relative}/${entry.name}` : entry.name);
        continue;
      }
      const size = statSync(full).size;
      total += size;
      files++;
      if (entry.name.startsWith('search-index')) searchIndex += size;
      if (entry.name === 'index.html' && isLeaf && relative.startsWith('runbooks/')) pageSizes.push(size);
    }
  };
  walk(out, '');
  pageSizes.sort((a, b) => a - b);
  return { total, files, pages: pageSizes.length, medianPage: median(pageSizes), largestPage: pageSizes[pageSizes.length - 1] ?? 0, searchIndex };
}

function changedPages(summary: string): string {
  const match = /\((\d+) rendered, (\d+) from cache/.exec(summary);
  return match ? match[1] : '?';
}

async function main(): Promise<void> {
  if (!existsSync(path.join(SRERUN, 'rules'))) throw new Error(`The srerun corpus was not found at ${SRERUN} (set SRERUN=…)`);
  const tmp = await mkdtemp(path.join(tmpdir(), 'runbook-site-bench-'));
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const load = loadavg().map((v) => v.toFixed(2)).join(' ');
  console.log(`Machine: ${cpu}, ${availableParallelism()} cores (nproc), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}; load average before: ${load}`);
  console.log(`Runs: ${RUNS} per scenario after one warm-up; peak RSS from ${TIME ? '/usr/bin/time -f %M' : 'process.resourceUsage().maxRSS'}; temp folder ${tmp}\n`);
  const results: Scenario[] = [];
  const node = process.execPath;
  try {
    const opts = { cwd: tmp, tmp, node: true };
    let hugo: Scenario | undefined;
    if (hasCommand('hugo')) {
      const site = path.join(tmp, 'hugo-site');
      await hugoSite(site, SRERUN);
      const version = spawnSync('hugo', ['version'], { encoding: 'utf8' }).stdout.trim().split(' ').slice(0, 2).join(' ');
      hugo = await scenario(`Hugo (${version}, bare layouts)`, 'hugo', ['--quiet', '--source', site, '--destination', path.join(tmp, 'hugo-out')], { ...opts, node: false });
      results.push(hugo);
    } else {
      console.log('hugo is not on PATH: no Hugo comparison.\n');
    }

    const cache = path.join(tmp, 'cache-srerun');
    const cold = await scenario('srerun cold (--no-cache)', node, srerunArgs(path.join(tmp, 'out-cold'), cache, ['--no-cache']), opts);
    results.push(cold);
    const sizes = siteSizes(path.join(tmp, 'out-cold'));
    // The same build with V8's own settings (src/pipeline/v8-tuning.ts), so the choice stays measured.
    results.push(await scenario('srerun cold, V8 defaults', node, srerunArgs(path.join(tmp, 'out-cold'), cache, ['--no-cache']), { ...opts, env: { RUNBOOK_SITE_V8_DEFAULTS: '1' } }));
    const warm = await scenario('srerun warm (cache filled, no change)', node, srerunArgs(path.join(tmp, 'out-warm'), cache), opts);
    results.push(warm);

    // One changed runbook on a copy of the corpus.
    const copy = path.join(tmp, 'srerun-copy');
    await cp(path.join(SRERUN, 'rules'), path.join(copy, 'rules'), { recursive: true });
    await cp(path.join(SRERUN, 'content/runbooks'), path.join(copy, 'runbooks'), { recursive: true });
    const changeArgs = srerunArgs(path.join(tmp, 'out-change'), path.join(tmp, 'cache-change'), [], path.join(copy, 'rules'), path.join(copy, 'runbooks'));
    await timed(node, changeArgs, opts);
    const target = path.join(copy, 'runbooks/lusitaniae-apache-exporter/ApacheDown.md');
    let edits = 0;
    const bodyChange = await scenario('srerun warm, one runbook body changed', node, changeArgs, {
      ...opts,
      before: () => appendFile(target, `\nEdited ${++edits}.\n`),
    });
    results.push(bodyChange);
    const titleChange = await scenario('srerun warm, one runbook title changed', node, changeArgs, {
      ...opts,
      before: async () => {
        const text = await readFile(target, 'utf8');
        await writeFile(target, text.replace(/^title: .*$/m, `title: ApacheDown edited ${++edits}`));
      },
    });
    results.push(titleChange);

    let served: ServeBench | undefined;
    if (process.env.BENCH_SKIP_SERVE !== '1') served = await benchServe({ bin: BIN, srerun: SRERUN, tmp, baseURL: BASE_URL });

    let big: Scenario | undefined;
    let bigWarm: Scenario | undefined;
    let bigChange: Scenario | undefined;
    if (process.env.BENCH_SKIP_10X !== '1') {
      process.stderr.write('  generating the 10× corpus…\n');
      const corpus = await generateCorpus(SRERUN, path.join(tmp, 'corpus10'), 10, BASE_URL);
      console.log(`10× corpus: ${corpus.runbookCount} runbooks, ${corpus.ruleFileCount} rule files\n`);
      const bigArgs = (extra: string[]) => srerunArgs(path.join(tmp, 'out-10x'), path.join(tmp, 'cache-10x'), extra, corpus.rules, corpus.runbooks);
      big = await scenario('10× corpus cold (--no-cache)', node, bigArgs(['--no-cache']), opts);
      results.push(big);
      bigWarm = await scenario('10× corpus warm (no change)', node, bigArgs([]), opts);
      results.push(bigWarm);
      const bigTarget = path.join(corpus.runbooks, 'c3/lusitaniae-apache-exporter/ApacheDownC3.md');
      bigChange = await scenario('10× corpus warm, one runbook body changed', node, bigArgs([]), {
        ...opts,
        before: () => appendFile(bigTarget, `\nEdited ${++edits}.\n`),
      });
      results.push(bigChange);
    }

    const pad = (text: string, width: number) => text.padEnd(width);
    const lpad = (text: string, width: number) => text.padStart(width);
    console.log(`${pad('scenario', 44)}${lpad('median s', 10)}${lpad('min', 8)}${lpad('max', 8)}${lpad('CPU s', 8)}${lpad('idle', 7)}${lpad('peak RSS MB', 13)}${lpad('÷ Hugo', 9)}${lpad('CPU ÷ Hugo', 12)}${lpad('RSS ÷ Hugo', 12)}`);
    for (const r of results) {
      const ratio = hugo && r !== hugo ? (r.seconds / hugo.seconds).toFixed(2) : '';
      const cpuRatio = hugo?.cpuSeconds && r.cpuSeconds && r !== hugo ? (r.cpuSeconds / hugo.cpuSeconds).toFixed(2) : '';
      const rssRatio = hugo?.rssMB && r.rssMB && r !== hugo ? (r.rssMB / hugo.rssMB).toFixed(2) : '';
      const idle = r.idleShare === undefined ? 'n/a' : `${(r.idleShare * 100).toFixed(0)} %`;
      console.log(
        `${pad(r.name, 44)}${lpad(r.seconds.toFixed(3), 10)}${lpad(r.min.toFixed(3), 8)}${lpad(r.max.toFixed(3), 8)}${lpad(r.cpuSeconds?.toFixed(1) ?? 'n/a', 8)}${lpad(idle, 7)}${lpad(r.rssMB?.toFixed(0) ?? 'n/a', 13)}${lpad(ratio, 9)}${lpad(cpuRatio, 12)}${lpad(rssRatio, 12)}`,
      );
    }
    console.log(`(idle: the share of ${availableParallelism()} cores × wall time the run left unused, 1 − CPU ÷ (cores × wall))`);
    console.log('');
    console.log(`Pages re-rendered after one body change: ${changedPages(bodyChange.summary)} (${bodyChange.summary})`);
    console.log(`Pages re-rendered after one title change: ${changedPages(titleChange.summary)} (${titleChange.summary})`);
    if (served) {
      const range = (values: number[]) => `min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)}`;
      console.log(`serve (srerun): first build served in ${served.startSeconds.toFixed(2)}s; save → reload event over ${served.saveToReloadMs.length} edits of one runbook: median ${served.medianMs.toFixed(0)} ms (${range(served.saveToReloadMs)})`);
      console.log(`serve (srerun): save → the edited page fetched: median ${served.medianPageMs.toFixed(0)} ms (${range(served.saveToPageMs)}); whole rebuild (fast render, full build, search index): median ${served.medianFullMs.toFixed(0)} ms; pages the full build rendered differently from the fast render: ${served.corrected} of ${served.saveToReloadMs.length}`);
      console.log(`serve (srerun): one rule file changed (${served.ruleFile}, ${served.ruleFilePages} alerts): ${served.ruleFileRendered} pages re-rendered (${served.ruleFileLine})`);
    }
    console.log('');
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    if (hugo) {
      console.log(`Target cold ≤ 4× Hugo (issue 13; issue 5 set 1.5×): ${(cold.seconds / hugo.seconds).toFixed(2)}× — ${verdict(cold.seconds <= 4 * hugo.seconds)}`);
      console.log(`Target warm ≤ 0.3× Hugo: ${(warm.seconds / hugo.seconds).toFixed(2)}× — ${verdict(warm.seconds <= 0.3 * hugo.seconds)}`);
      if (hugo.rssMB && cold.rssMB) console.log(`Target peak RSS ≤ 1.1× Hugo's (cold): ${cold.rssMB.toFixed(0)} MB vs ${hugo.rssMB.toFixed(0)} MB, ${(cold.rssMB / hugo.rssMB).toFixed(2)}× — ${verdict(cold.rssMB <= 1.1 * hugo.rssMB)}`);
    }
    if (cold.idleShare !== undefined) console.log(`Target no core idle more than 5 % of a cold build: ${(cold.idleShare * 100).toFixed(1)} % idle — ${verdict(cold.idleShare <= 0.05)}`);
    if (served) console.log(`Target serve save → reload median ≤ 300 ms: ${served.medianMs.toFixed(0)} ms (the page fetched: ${served.medianPageMs.toFixed(0)} ms) — ${verdict(served.medianMs <= 300 && served.medianPageMs <= 300)}`);
    if (big) {
      console.log(`Target 10× corpus ≤ 11× srerun cold: ${(big.seconds / cold.seconds).toFixed(2)}× — ${verdict(big.seconds <= 11 * cold.seconds)}`);
      if (bigChange) console.log(`Target 10× one-change build ≤ 3× srerun's: ${(bigChange.seconds / bodyChange.seconds).toFixed(2)}× (${bigChange.seconds.toFixed(2)} s vs ${bodyChange.seconds.toFixed(2)} s) — ${verdict(bigChange.seconds <= 3 * bodyChange.seconds)}`);
      if (big.rssMB) console.log(`Target 10× corpus within 1 GB RSS: ${big.rssMB.toFixed(0)} MB — ${verdict(big.rssMB <= 1024)}`);
    }
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    console.log(`\nSite (srerun): ${(sizes.total / 2 ** 20).toFixed(1)} MB in ${sizes.files} files; median runbook page ${kb(sizes.medianPage)} (largest ${kb(sizes.largestPage)}, ${sizes.pages} pages); search index ${kb(sizes.searchIndex)}`);
    console.log(`Target median runbook page ≤ 16 KB: ${verdict(sizes.medianPage <= 16 * 1024)}; target site ≤ 16 MB: ${verdict(sizes.total <= 16 * 2 ** 20)}`);
    console.log(`\nLoad average after: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
