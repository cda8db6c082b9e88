// Renders pages on worker threads. Each worker gets the renderer settings once (workerData: theme
// options and the site's link map) and then batches of PageData; a worker is handed its next
// batch as soon as it returns one (two in flight each, so it never waits on the main thread).
// Results come back in the order of `pages`.
import { Worker } from 'node:worker_threads';
import type { PageData } from '../render/page-data.js';
import type { PageResult, RendererInit } from './render-one.js';
import type { BatchRequest, BatchResponse } from './render-worker.js';

const WORKER_URL = new URL('./render-worker.js', import.meta.url);

export interface PoolOptions {
  workers: number;
  /** Called after each batch with the number of pages it held. */
  onBatch?: (pages: number) => void;
  /** Timing figures per worker, for profiling. */
  stats?: { setupMs: number[]; renderMs: number[] };
}

/** Pages per message: big enough to amortise messaging, small enough to balance the load. */
export function batchSize(pages: number, workers: number): number {
  return Math.max(4, Math.min(32, Math.ceil(pages / (workers * 6))));
}

export function renderInWorkers(pages: PageData[], init: RendererInit, options: PoolOptions): Promise<(PageResult | undefined)[]> {
  const size = batchSize(pages.length, options.workers);
  const batches: { start: number; pages: PageData[] }[] = [];
  for (let start = 0; start < pages.length; start += size) batches.push({ start, pages: pages.slice(start, start + size) });
  const results: (PageResult | undefined)[] = new Array(pages.length);
  const count = Math.max(1, Math.min(options.workers, batches.length));

  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    let next = 0;
    let returned = 0;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      for (const worker of workers) void worker.terminate();
      if (error) reject(error);
      else resolve(results);
    };
    const feed = (worker: Worker) => {
      if (next >= batches.length) return;
      const id = next++;
      worker.postMessage({ id, pages: batches[id].pages } satisfies BatchRequest);
    };
    for (let i = 0; i < count; i++) {
      const young = Number(process.env.RUNBOOK_SITE_YOUNG_MB ?? 0);
      const worker = new Worker(WORKER_URL, { workerData: init, ...(young ? { resourceLimits: { maxYoungGenerationSizeMb: young } } : {}) });
      workers.push(worker);
      worker.on('message', (response: BatchResponse) => {
        if ('error' in response) {
          const error = new Error(`Rendering ${response.error.url || 'a page'} failed: ${response.error.message}`);
          if (response.error.stack) error.stack = `${error.message}\n  in worker: ${response.error.stack}`;
          finish(error);
          return;
        }
        const batch = batches[response.id];
        if (options.stats) {
          if (response.setupMs !== undefined) options.stats.setupMs[i] = response.setupMs;
          options.stats.renderMs[i] = (options.stats.renderMs[i] ?? 0) + response.ms;
        }
        response.results.forEach((result, j) => {
          results[batch.start + j] = result;
        });
        options.onBatch?.(batch.pages.length);
        if (++returned === batches.length) finish();
        else feed(worker);
      });
      worker.on('error', (error) => finish(error));
      worker.on('exit', (code) => {
        if (!settled) finish(new Error(`A render worker stopped (exit code ${code}) before the pages were rendered`));
      });
      feed(worker);
      feed(worker);
    }
  });
}
