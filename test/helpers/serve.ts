// Starts `runbook-site serve` in-process (through run(), as the CLI does) on a free port and
// reads its live-reload event stream. Every server started here is stopped by `stop()`.
import http from 'node:http';
import { Writable } from 'node:stream';
import { run } from '../../src/cli/run.js';

export interface ServeEvent {
  event: string;
  data: unknown;
  /** `performance.now()` when the event arrived (the serve bench times reloads by it). */
  at: number;
}

export interface RunningServe {
  /** The site's URL, with its base path. */
  url: string;
  origin: string;
  output: () => string;
  /** Waits until the output matches. */
  waitForOutput: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  /** Aborts serve and waits for run() to return; resolves to its exit status. */
  stop: () => Promise<number>;
}

export async function startServe(cwd: string, args: string[] = [], timeoutMs = 120_000): Promise<RunningServe> {
  const controller = new AbortController();
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  const exit = run(['serve', '--port', '0', '--host', '127.0.0.1', ...args], { stdout: stream, stderr: stream, cwd, env: { ...process.env, CI: 'true' }, signal: controller.signal });
  const started = Date.now();
  let url: string | undefined;
  while (!url) {
    url = /Serving (http:\/\/\S+)/.exec(text)?.[1];
    if (url) break;
    const ended = await Promise.race([exit.then((code) => code), new Promise((resolve) => setTimeout(() => resolve(undefined), 25))]);
    if (ended !== undefined) throw new Error(`serve ended with ${String(ended)} before serving:\n${text}`);
    if (Date.now() - started > timeoutMs) {
      controller.abort();
      await exit;
      throw new Error(`serve did not start within ${timeoutMs} ms:\n${text}`);
    }
  }
  return {
    url,
    origin: new URL(url).origin,
    output: () => text,
    waitForOutput: async (pattern, wait = 60_000) => {
      const until = Date.now() + wait;
      while (!pattern.test(text)) {
        if (Date.now() > until) throw new Error(`serve printed nothing matching ${pattern} within ${wait} ms:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    stop: async () => {
      controller.abort();
      return exit;
    },
  };
}

/** A raw GET (no normalisation of the path, unlike fetch()). */
export function rawGet(origin: string, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const request = http.request({ hostname, port, path, method, headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

/** Subscribes to the live-reload stream; `next(predicate)` waits for the next matching event (call it before the edit). */
export async function subscribe(origin: string): Promise<{ next: (match: (event: ServeEvent) => boolean, timeoutMs?: number) => Promise<ServeEvent>; seen: () => readonly ServeEvent[]; close: () => void }> {
  const events: ServeEvent[] = [];
  const waiters: { match: (event: ServeEvent) => boolean; resolve: (event: ServeEvent) => void }[] = [];
  const { hostname, port } = new URL(origin);
  const request = http.get({ hostname, port, path: '/__runbook-site/events', agent: false });
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    request.on('response', resolve);
    request.on('error', reject);
  });
  let buffer = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const name = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!name || data === undefined) continue;
      const event = { event: name, data: JSON.parse(data) as unknown, at: performance.now() };
      events.push(event);
      // Every waiter this event satisfies, not only the first.
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i].match(event)) waiters.splice(i, 1)[0].resolve(event);
      }
    }
  });
  response.on('error', () => undefined);
  return {
    next(match, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms (${events.length} events in all); last seen: ${JSON.stringify(events.slice(-6)).slice(-4000)}`)), timeoutMs);
        waiters.push({ match, resolve: (event) => (clearTimeout(timer), resolve(event)) });
      });
    },
    /** Every event received so far, in order. */
    seen: () => events,
    close: () => {
      request.destroy();
    },
  };
}
