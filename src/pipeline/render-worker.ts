// Worker thread entry: loads the renderer from `workerData` (render mode and theme options) as soon
// as it starts, receives the site's link map once, then renders batches of PageData.
import { parentPort, workerData } from 'node:worker_threads';
import type { PageData } from '../render/page-data.js';
import { createRenderer, linkContext, type LinkContext, type LinkMap, type PageResult, type ThreadInit } from './render-one.js';
import { isRunbookSiteError, type ErrorName } from '../errors.js';

export type WorkerRequest = { type: 'links'; links: LinkMap } | { type: 'batch'; id: number; pages: PageData[] };

export type BatchResponse =
  | { id: number; results: (PageResult | undefined)[]; /** Time spent rendering the batch, ms. */ ms: number; /** Worker set-up time, sent with its first batch. */ setupMs?: number }
  | { id: number; error: { message: string; stack?: string; url: string; catalogue?: { code: ErrorName; detail: Record<string, string> } } };

if (parentPort) {
  const port = parentPort;
  const started = performance.now();
  let setupMs: number | undefined;
  const ready = createRenderer(workerData as ThreadInit).then((renderer) => {
    setupMs = performance.now() - started;
    return renderer;
  });
  let sentSetup = false;
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
      const batchStarted = performance.now();
      const results: (PageResult | undefined)[] = [];
      for (const page of request.pages) {
        url = page.url;
        results.push(renderer.render(page, links));
      }
      const ms = performance.now() - batchStarted;
      port.postMessage({ id: request.id, results, ms, setupMs: sentSetup ? undefined : setupMs } satisfies BatchResponse);
      sentSetup = true;
    } catch (error) {
      const err = error as Error;
      const catalogue = isRunbookSiteError(error) ? { code: error.code, detail: error.detail } : undefined;
      port.postMessage({ id: request.id, error: { message: err?.message ?? String(error), stack: err?.stack, url, catalogue } } satisfies BatchResponse);
    }
  });
}
