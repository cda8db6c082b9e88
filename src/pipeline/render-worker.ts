// Worker thread entry: sets up one renderer from `workerData` (theme options and the site's link
// map, sent once), then renders batches of PageData posted by the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import type { PageData } from '../render/page-data.js';
import { createRenderer, type PageResult, type RendererInit } from './render-one.js';

export interface BatchRequest {
  id: number;
  pages: PageData[];
}

export type BatchResponse =
  | { id: number; results: (PageResult | undefined)[]; /** Time spent rendering the batch, ms. */ ms: number; /** Worker set-up time, sent with its first batch. */ setupMs?: number }
  | { id: number; error: { message: string; stack?: string; url: string } };

if (parentPort) {
  const port = parentPort;
  const started = performance.now();
  let setupMs: number | undefined;
  const ready = createRenderer(workerData as RendererInit).then((renderer) => {
    setupMs = performance.now() - started;
    return renderer;
  });
  let sentSetup = false;
  port.on('message', async (request: BatchRequest) => {
    let url = '';
    try {
      const renderer = await ready;
      const batchStarted = performance.now();
      const results: (PageResult | undefined)[] = [];
      for (const page of request.pages) {
        url = page.url;
        results.push(renderer.render(page));
      }
      const ms = performance.now() - batchStarted;
      port.postMessage({ id: request.id, results, ms, setupMs: sentSetup ? undefined : setupMs } satisfies BatchResponse);
      sentSetup = true;
    } catch (error) {
      const err = error as Error;
      port.postMessage({ id: request.id, error: { message: err?.message ?? String(error), stack: err?.stack, url } } satisfies BatchResponse);
    }
  });
}
