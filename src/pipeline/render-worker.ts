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
  | { id: number; results: (PageResult | undefined)[] }
  | { id: number; error: { message: string; stack?: string; url: string } };

if (parentPort) {
  const port = parentPort;
  const ready = createRenderer(workerData as RendererInit);
  port.on('message', async (request: BatchRequest) => {
    let url = '';
    try {
      const renderer = await ready;
      const results: (PageResult | undefined)[] = [];
      for (const page of request.pages) {
        url = page.url;
        results.push(renderer.render(page));
      }
      port.postMessage({ id: request.id, results } satisfies BatchResponse);
    } catch (error) {
      const err = error as Error;
      port.postMessage({ id: request.id, error: { message: err?.message ?? String(error), stack: err?.stack, url } } satisfies BatchResponse);
    }
  });
}
