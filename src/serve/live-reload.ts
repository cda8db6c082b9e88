// Live reload over Server-Sent Events. Served HTML gets one script tag (never the files on disk);
// the script listens on /__runbook-site/events for
//   `change` {files, renamed}: output files that changed; the page reloads when its own file is
//            among them, and swaps stylesheets that were only renamed (a CSS-only change);
//   `status` {errors, problem}: the current build errors, shown as an overlay over the last good
//            page, and cleared when the build is fixed.
// /__runbook-site/status answers the same status as JSON (for scripts and tests).
import type { IncomingMessage, ServerResponse } from 'node:http';

export const LIVE_PREFIX = '/__runbook-site/';

/** One build error as the overlay shows it: the same place, message and code frame as the terminal. */
export interface OverlayError {
  file: string;
  line: number;
  column: number;
  message: string;
  ruleId: string;
  frame?: string;
}

export interface LiveStatus {
  /** Build number, counting from 1. */
  build: number;
  errors: OverlayError[];
  /** A configuration or set-up problem that stopped the build before any file was checked. */
  problem?: { message: string; hint: string };
}

export interface ChangeEvent {
  /** Site-relative output paths that were written or removed. */
  files: string[];
  /** Assets renamed without any other change to the pages that link them (old → new path). */
  renamed: Record<string, string>;
}

const HEARTBEAT_MS = 20_000;

/** Inserts the live-reload script into a served HTML page (before `</body>`, else at the end). */
export function injectLiveScript(html: string, file: string, basePath: string): string {
  const attribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const tag = `<script src="${LIVE_PREFIX}live.js" data-page="${attribute(file)}" data-base="${attribute(basePath)}" defer></script>`;
  const at = html.lastIndexOf('</body>');
  return at === -1 ? html + tag : html.slice(0, at) + tag + html.slice(at);
}

export class LiveReload {
  private readonly clients = new Set<ServerResponse>();
  private status: LiveStatus = { build: 0, errors: [] };
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    // Comments keep idle connections open through proxies and detect closed tabs.
    this.heartbeat = setInterval(() => this.write(': ping\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Answers requests under /__runbook-site/; false for any other path. */
  handle(request: IncomingMessage, response: ServerResponse): boolean {
    const url = request.url ?? '';
    if (!url.startsWith(LIVE_PREFIX)) return false;
    const name = url.slice(LIVE_PREFIX.length).split(/[?#]/)[0];
    if (name === 'events') {
      response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
      response.write(`retry: 1000\n\nevent: status\ndata: ${JSON.stringify(this.status)}\n\n`);
      this.clients.add(response);
      request.on('close', () => this.clients.delete(response));
    } else if (name === 'live.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' });
      response.end(request.method === 'HEAD' ? undefined : CLIENT_SCRIPT);
    } else if (name === 'status') {
      response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
      response.end(request.method === 'HEAD' ? undefined : JSON.stringify(this.status));
    } else {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('404 Not found\n');
    }
    return true;
  }

  setStatus(status: LiveStatus): void {
    this.status = status;
    this.send('status', status);
  }

  change(event: ChangeEvent): void {
    if (event.files.length > 0 || Object.keys(event.renamed).length > 0) this.send('change', event);
  }

  private send(event: string, data: unknown): void {
    this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private write(text: string): void {
    for (const client of this.clients) client.write(text);
  }

  /** Ends every event stream. */
  close(): void {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.end();
    this.clients.clear();
  }
}

// Runs in the browser. Plain ES2017, no dependencies; the overlay lives in a shadow root so the
// site's styles neither hide it nor are changed by it.
const CLIENT_SCRIPT = String.raw`(() => {
  'use strict';
  const script = document.currentScript;
  const page = script ? script.dataset.page || '' : '';
  const base = script ? script.dataset.base || '/' : '/';
  let here = decodeURIComponent(location.pathname);
  here = here.startsWith(base) ? here.slice(base.length) : here;
  const mine = new Set([page, here, here === '' || here.endsWith('/') ? here + 'index.html' : here + '/index.html']);
  let overlay;
  const showStatus = (status) => {
    if (overlay) overlay.remove();
    overlay = undefined;
    if (!status.problem && status.errors.length === 0) return;
    overlay = document.createElement('runbook-site-overlay');
    overlay.id = 'runbook-site-overlay';
    const root = overlay.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = ':host{position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,24,.72);overflow:auto;font:14px/1.45 system-ui,sans-serif}' +
      '.box{max-width:60rem;margin:4vh auto;background:#1e1e22;color:#eee;border-top:4px solid #e5484d;border-radius:6px;padding:1rem 1.25rem;box-shadow:0 8px 30px #0008}' +
      'h2{margin:0 0 .25rem;font-size:1.1rem;color:#ff8b8b}p{margin:.25rem 0 1rem;color:#bbb}.loc{font-family:ui-monospace,monospace;color:#7cc4ff;margin-top:1rem}' +
      '.msg{margin:.2rem 0}.rule{color:#999}pre{background:#111;color:#ddd;padding:.6rem .8rem;border-radius:4px;overflow:auto;margin:.4rem 0 0}' +
      'button{float:right;background:none;border:1px solid #666;color:#ddd;border-radius:4px;cursor:pointer;font-size:1rem}';
    const box = document.createElement('div');
    box.className = 'box';
    box.setAttribute('role', 'alert');
    const close = document.createElement('button');
    close.textContent = '×';
    close.title = 'Hide until the next build';
    close.addEventListener('click', () => overlay && overlay.remove());
    const add = (tag, className, text) => {
      const element = document.createElement(tag);
      if (className) element.className = className;
      element.textContent = text;
      box.append(element);
      return element;
    };
    box.append(close);
    if (status.problem) {
      add('h2', '', 'The site could not be built');
      add('div', 'msg', status.problem.message);
      add('p', '', status.problem.hint);
    } else {
      const count = status.errors.length;
      add('h2', '', 'Build failed: ' + count + ' error' + (count === 1 ? '' : 's'));
      add('p', '', 'This page is the last good build. Fix the errors and save: it updates by itself.');
      for (const error of status.errors) {
        add('div', 'loc', error.file + ':' + error.line + ':' + error.column);
        const message = add('div', 'msg', error.message + ' ');
        const rule = document.createElement('span');
        rule.className = 'rule';
        rule.textContent = '[' + error.ruleId + ']';
        message.append(rule);
        if (error.frame) add('pre', '', error.frame);
      }
    }
    root.append(style, box);
    document.documentElement.append(overlay);
  };
  const swapStylesheets = (renamed) => {
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      for (const from of Object.keys(renamed)) {
        if (url.pathname === base + from) link.href = base + renamed[from];
      }
    }
  };
  const events = new EventSource('/__runbook-site/events');
  events.addEventListener('status', (event) => showStatus(JSON.parse(event.data)));
  events.addEventListener('change', (event) => {
    const change = JSON.parse(event.data);
    if (page === '' || change.files.some((file) => mine.has(file))) {
      location.reload();
      return;
    }
    swapStylesheets(change.renamed);
  });
  window.__runbookSiteLive = events;
})();
`;
