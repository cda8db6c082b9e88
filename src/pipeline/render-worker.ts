// Worker thread entry: loads the renderer from `workerData` (render mode and theme options) as soon
// as it starts, receives the site's link map once, then renders batches of PageData.
import { parentPort, workerData } from 'node:worker_threads';
import type { PageData } from '../render/page-data.js';
import { createRenderer, linkContext, type LinkContext, type LinkMap, type PageResult, type ThreadInit } from './render-one.js';
import { isRunbookSiteError, type ErrorName } from '../errors.js';

/** What a worker is doing, in a shared Int32Array the pool's watchdog reads (worker-pool.ts). */
export const PROGRESS = { started: 0, rendering: 1, batch: 2, index: 3 } as const;
export const PROGRESS_SLOTS = 4;

/** `workerData`: the renderer's settings and the shared progress slots. */
export interface WorkerInit extends ThreadInit {
  progress: SharedArrayBuffer;
}

export type WorkerRequest = { type: 'links'; links: LinkMap } | { type: 'batch'; id: number; pages: PageData[] };

export type BatchResponse =
  | { id: number; results: (PageResult | undefined)[] }
  | { id: number; error: { message: string; stack?: string; url: string; catalogue?: { code: ErrorName; detail: Record<string, string> } } };

if (parentPort) {
  const port = parentPort;
  const init = workerData as WorkerInit;
  const progress = new Int32Array(init.progress);
  const ready = createRenderer(init);
  let links: LinkContext | undefined;
  port.on('message', async (request: WorkerRequest) => {
    if (request.type === 'links') {
      links = linkContext(request.links);
      return;
    }
    let url = '';
    try {
      const renderer = await ready;
      if (!links) throw new Error('no link map was sent before the first batch');
      const results: (PageResult | undefined)[] = [];
      for (const [index, page] of request.pages.entries()) {
        url = page.url;
        Atomics.store(progress, PROGRESS.batch, request.id);
        Atomics.store(progress, PROGRESS.index, index);
        Atomics.add(progress, PROGRESS.started, 1);
        Atomics.store(progress, PROGRESS.rendering, 1);
        results.push(renderer.render(page, links));
        Atomics.store(progress, PROGRESS.rendering, 0);
      }
      port.postMessage({ id: request.id, results } satisfies BatchResponse);
    } catch (error) {
      Atomics.store(progress, PROGRESS.rendering, 0);
      const err = error as Error;
      const catalogue = isRunbookSiteError(error) ? { code: error.code, detail: error.detail } : undefined;
      port.postMessage({ id: request.id, error: { message: err?.message ?? String(error), stack: err?.stack, url, catalogue } } satisfies BatchResponse);
    }
  });
}
