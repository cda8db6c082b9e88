// `serve` on the srerun corpus: from saving one runbook to the reload event (median over BENCH_SERVE_EDITS
// edits, default 12), and the pages re-rendered when one rule file changes. serve runs as a child
// process on a copy of the corpus; this process edits files and listens on the event stream.
import { spawn } from 'node:child_process';
import { appendFile, cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { subscribe } from '../test/helpers/serve.js';

export interface ServeBench {
  startSeconds: number;
  saveToReloadMs: number[];
  medianMs: number;
  /** From saving to the page, fetched over HTTP as a reloading tab does, holding the edit. */
  saveToPageMs: number[];
  medianPageMs: number;
  /** The whole rebuild (fast render, then the full build with search index and sitemap). */
  fullRebuildMs: number[];
  medianFullMs: number;
  /** Edits whose page the full build rendered differently from the fast render (a second reload). */
  corrected: number;
  ruleFile: string;
  ruleFileRendered: number;
  ruleFilePages: number;
  ruleFileLine: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export async function benchServe(options: { bin: string; srerun: string; tmp: string; baseURL: string }): Promise<ServeBench> {
  const copy = path.join(options.tmp, 'serve-copy');
  await cp(path.join(options.srerun, 'rules'), path.join(copy, 'rules'), { recursive: true });
  await cp(path.join(options.srerun, 'content/runbooks'), path.join(copy, 'runbooks'), { recursive: true });
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [options.bin, 'serve', '--port', '0', '--rules', 'rules', '--runbooks', 'runbooks', '--base-url', options.baseURL, '--cache-dir', path.join(options.tmp, 'serve-cache'), '--verbose'],
    { cwd: copy, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  let partial = '';
  const lineWaiters: { match: RegExp; resolve: (line: string) => void }[] = [];
  // Each complete line is offered once to the waiters registered before it arrived.
  const onText = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output += text;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const at = lineWaiters.findIndex((waiter) => waiter.match.test(line));
      if (at !== -1) lineWaiters.splice(at, 1)[0].resolve(line);
    }
  };
  child.stdout.on('data', onText);
  child.stderr.on('data', onText);
  const nextLine = (match: RegExp, timeoutMs = 600_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve printed no line matching ${match} within ${timeoutMs} ms:\n${output.slice(-3000)}`)), timeoutMs);
      lineWaiters.push({ match, resolve: (line) => (clearTimeout(timer), resolve(line)) });
    });
  try {
    const serving = await nextLine(/Serving http:\/\/\S+/);
    const startSeconds = (performance.now() - started) / 1000;
    const url = new URL(/Serving (http:\/\/\S+)/.exec(serving)![1]);
    const events = await subscribe(url.origin);
    const reloadOf = (file: string) => events.next((event) => event.event === 'change' && (event.data as { files: string[] }).files.includes(file), 600_000).then((event) => event.at);

    const edits = Number(process.env.BENCH_SERVE_EDITS ?? 12);
    const target = path.join(copy, 'runbooks/lusitaniae-apache-exporter/ApacheDown.md');
    const page = 'runbooks/lusitaniae-apache-exporter/apachedown/index.html';
    const pageUrl = `${url.origin}${url.pathname}${page.replace(/index\.html$/, '')}`;
    const times: number[] = [];
    const pageTimes: number[] = [];
    const fullTimes: number[] = [];
    let corrected = 0;
    process.stderr.write('  serve: save → reload');
    // One edit untimed first: the first rebuild loads what the first build did not need.
    for (let i = 0; i <= edits; i++) {
      const reloaded = reloadOf(page);
      const summary = nextLine(/ApacheDown\.md changed/);
      const seenBefore = events.seen().length;
      const marker = `Edited by the serve bench, ${i}.`;
      const saved = performance.now();
      await appendFile(target, `\n${marker}\n`);
      const at = await reloaded;
      // What a tab gets when it reloads on that event.
      const body = await (await fetch(pageUrl)).text();
      const fetched = performance.now();
      if (!body.includes(marker)) throw new Error(`the page served after the reload event does not have the edit (${pageUrl})`);
      const line = await summary;
      const reloads = events.seen().slice(seenBefore).filter((event) => event.event === 'change' && (event.data as { files: string[] }).files.includes(page)).length;
      if (i > 0) {
        times.push(at - saved);
        pageTimes.push(fetched - saved);
        fullTimes.push(Number(/· (\d+) ms(?: \(|$)/.exec(line)?.[1] ?? NaN));
        if (reloads > 1) corrected++;
        process.stderr.write(` ${(at - saved).toFixed(0)}`);
      }
      // Saves a person makes are seconds apart; let the process settle.
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    process.stderr.write(' ms\n');

    // One rule file: its alerts' descriptions change, so the pages showing its rules re-render.
    const ruleFile = 'rules/apache/lusitaniae-apache-exporter.yml';
    const rulePath = path.join(copy, ruleFile);
    const text = await readFile(rulePath, 'utf8');
    const alerts = [...text.matchAll(/^\s*- alert: (\S+)/gm)].length;
    const line = nextLine(/lusitaniae-apache-exporter\.yml changed/);
    await writeFile(rulePath, text.replace(/(summary: )/g, '$1Edited, '));
    const ruleFileLine = await line;
    const ruleFileRendered = Number(/(\d+) pages? re-rendered/.exec(ruleFileLine)?.[1] ?? NaN);
    events.close();
    return { startSeconds, saveToReloadMs: times, medianMs: median(times), saveToPageMs: pageTimes, medianPageMs: median(pageTimes), fullRebuildMs: fullTimes, medianFullMs: median(fullTimes), corrected, ruleFile, ruleFileRendered, ruleFilePages: alerts, ruleFileLine: ruleFileLine.replace(/^\[[^\]]*\] /, '') };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('close', resolve));
  }
}
