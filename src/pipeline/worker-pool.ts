// Renders pages on worker threads. Workers start loading the renderer (markdown pipeline, theme)
// as soon as they are created — possibly while the main thread is still loading the site — then
// get the site's link map once and batches of PageData. A worker is handed its next batch as soon
// as it returns one (two in flight each, so it never waits on the main thread). Results come back
// in the order of `pages`.
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { PageData } from '../render/page-data.js';
import type { LinkMap, PageResult, RendererInit, ThreadInit } from './render-one.js';
import { PROGRESS, PROGRESS_SLOTS, type BatchResponse, type WorkerInit, type WorkerRequest } from './render-worker.js';
import { RunbookSiteError } from '../errors.js';
import { formatDuration } from '../config/duration.js';

/** Young-generation size of each render worker's heap (see the constructor for the figures). */
const WORKER_YOUNG_GENERATION_MB = 8;

/**
 * The worker's entry as one file (`npm run compile` bundles it with esbuild): a worker otherwise
 * resolves, reads and compiles some 400 modules before its first page, on the cores the main
 * thread needs for loading the site. Without a bundle at least as new as the compiled entry (a
 * plain `tsc` run since), the entry itself, so that a stale bundle never renders.
 */
export function renderWorkerUrl(): URL {
  const entry = new URL('./render-worker.js', import.meta.url);
  const bundle = new URL('./render-worker.bundle.js', import.meta.url);
  try {
    return statSync(bundle).mtimeMs >= statSync(entry).mtimeMs ? bundle : entry;
  } catch {
    return entry;
  }
}
const WORKER_URL = renderWorkerUrl();

export interface RenderRunOptions {
  /** Use at most this many of the pool's workers. */
  workers?: number;
  /** Called after each batch with the number of pages it held. */
  onBatch?: (pages: number) => void;
}

/** Pages per message: big enough to amortise messaging, small enough to balance the load. */
export function batchSize(pages: number, workers: number): number {
  return Math.max(4, Math.min(32, Math.ceil(pages / (workers * 6))));
}

export interface PoolOptions {
  /** A page still rendering after this long stops the run with RenderTimeout (config `timeout`). */
  timeoutMs?: number;
}

export class RenderPool {
  readonly size: number;
  private readonly workers: Worker[] = [];
  /** Per worker, what it is rendering (render-worker.ts writes it; read here without messages). */
  private readonly progress: Int32Array[] = [];
  private readonly timeoutMs: number | undefined;
  private closed = false;
  private failure: Error | undefined;
  private onFailure: ((error: Error) => void) | undefined;

  constructor(init: ThreadInit, size: number, options: PoolOptions = {}) {
    this.size = size;
    this.timeoutMs = options.timeoutMs;
    for (let i = 0; i < size; i++) {
      const progress = new Int32Array(new SharedArrayBuffer(PROGRESS_SLOTS * Int32Array.BYTES_PER_ELEMENT));
      this.progress.push(progress);
      // A young generation of 8 MB: srerun cold, 4 / 8 / 16 MB alternated five times each
      // (2026-12-04, lezer parsing most pages): median wall 2.54 / 2.54 / 2.50 s, peak RSS 204 /
      // 210 / 232 MB. 4 MB was as good but leaves less room for pages remark-parse reads, whose
      // trees are larger: with remark-parse on every page, 8 MB had cost 840 scavenges and 3 s
      // of pauses against 16 MB (2026-12-02). 32 MB: 248 MB for no less wall. See BENCHMARKS.md.
      const worker = new Worker(WORKER_URL, { workerData: { ...init, progress: progress.buffer as SharedArrayBuffer } satisfies WorkerInit, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
      // Until render() is called, a pool started early must not keep the process alive (a build can fail before rendering).
      worker.unref();
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`A render worker stopped (exit code ${code}) before the pages were rendered`));
      });
      this.workers.push(worker);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.onFailure?.(error);
  }

  /** Renders `pages` (once per pool). */
  render(pages: PageData[], links: LinkMap, options: RenderRunOptions = {}): Promise<(PageResult | undefined)[]> {
    const workers = this.workers.slice(0, Math.max(1, Math.min(options.workers ?? this.size, this.size)));
    const size = batchSize(pages.length, workers.length);
    const batches: { start: number; pages: PageData[] }[] = [];
    for (let start = 0; start < pages.length; start += size) batches.push({ start, pages: pages.slice(start, start + size) });
    const results: (PageResult | undefined)[] = new Array(pages.length);
    if (batches.length === 0) return Promise.resolve(results);

    return new Promise((resolve, reject) => {
      let next = 0;
      let returned = 0;
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        if (watchdog) clearInterval(watchdog);
        this.onFailure = undefined;
        if (error) reject(error);
        else resolve(results);
      };
      let watchdog: NodeJS.Timeout | undefined;
      if (this.failure) return finish(this.failure);
      this.onFailure = finish;
      if (this.timeoutMs !== undefined) {
        watchdog = this.watch(workers, this.timeoutMs, (slot) => {
          const batch = batches[slot.batch];
          const page = batch?.pages[slot.index];
          const name = page ? page.markdown?.file ?? `/${page.url}` : 'a page';
          // terminate() stops a worker even inside a loop that never returns.
          this.close();
          finish(new RunbookSiteError('RenderTimeout', { page: name, timeout: formatDuration(this.timeoutMs!) }));
        });
      }
      const feed = (worker: Worker) => {
        if (next >= batches.length) return;
        const id = next++;
        worker.postMessage({ type: 'batch', id, pages: batches[id].pages } satisfies WorkerRequest);
      };
      workers.forEach((worker) => {
        worker.on('message', (response: BatchResponse) => {
          if (settled) return;
          if ('error' in response) {
            // A named error (a template that fails, say) is raised again as itself: it is the user's to fix.
            if (response.error.catalogue) {
              finish(new RunbookSiteError(response.error.catalogue.code, response.error.catalogue.detail));
              return;
            }
            const error = new Error(`Rendering ${response.error.url || 'a page'} failed: ${response.error.message}`);
            if (response.error.stack) error.stack = `${error.message}\n  in worker: ${response.error.stack}`;
            finish(error);
            return;
          }
          const batch = batches[response.id];
          response.results.forEach((result, j) => {
            results[batch.start + j] = result;
          });
          options.onBatch?.(batch.pages.length);
          if (++returned === batches.length) finish();
          else feed(worker);
        });
        worker.ref();
        worker.postMessage({ type: 'links', links } satisfies WorkerRequest);
        feed(worker);
        feed(worker);
      });
    });
  }

  /**
   * Checks now and then that no worker has been on one page for longer than `timeoutMs`: a page
   * counts from when the check first sees it started, so the limit is met within one period.
   */
  private watch(workers: Worker[], timeoutMs: number, onTimeout: (slot: { batch: number; index: number }) => void): NodeJS.Timeout {
    const period = Math.max(10, Math.min(1000, timeoutMs / 4));
    const seen = workers.map(() => ({ started: -1, since: 0 }));
    const timer = setInterval(() => {
      const now = performance.now();
      workers.forEach((_, w) => {
        const progress = this.progress[w];
        const started = Atomics.load(progress, PROGRESS.started);
        const rendering = Atomics.load(progress, PROGRESS.rendering) === 1;
        if (!rendering || started !== seen[w].started) {
          seen[w] = { started, since: now };
          return;
        }
        if (now - seen[w].since > timeoutMs) {
          clearInterval(timer);
          onTimeout({ batch: Atomics.load(progress, PROGRESS.batch), index: Atomics.load(progress, PROGRESS.index) });
        }
      });
    }, period);
    timer.unref();
    return timer;
  }

  /** Stops every worker. */
  close(): void {
    this.closed = true;
    for (const worker of this.workers) void worker.terminate();
  }
}

/** Starts a pool, renders `pages`, stops the pool. */
export async function renderInWorkers(pages: PageData[], init: RendererInit, options: RenderRunOptions & PoolOptions & { workers: number }): Promise<(PageResult | undefined)[]> {
  const pool = new RenderPool({ mode: init.mode, theme: init.theme }, Math.max(1, Math.min(options.workers, pages.length)), options);
  try {
    return await pool.render(pages, init.links, options);
  } finally {
    pool.close();
  }
}
