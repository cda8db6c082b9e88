// `runbook-site serve`: builds the site into a folder of its own, serves it over HTTP under the
// site's base path, watches the inputs and rebuilds on every change, and tells open pages what
// changed (live-reload.ts). Runs until `signal` aborts, then closes the watchers, the server and
// the event streams, removes its folder and returns 0.
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig, CONFIG_FILE_NAMES, type ResolvedConfig } from '../config/load.js';
import { HUGO_CONFIG_FILE_NAMES } from '../config/hugo.js';
import type { ConfigInput } from '../config/schema.js';
import { RunbookSiteError, isRunbookSiteError } from '../errors.js';
import { codeFrame, formatHuman, plural } from '../report/format.js';
import { DEFAULT_TEMPLATES_DIR } from '../build.js';
import { toolVersion, type CliIO } from '../cli/io.js';
import { staticSiteHandler } from './static-server.js';
import { LiveReload, injectLiveScript, type LiveStatus, type OverlayError } from './live-reload.js';
import { SiteSession, type SessionBuild } from './session.js';
import { watchInputs, type InputWatcher } from './watch.js';
import { cacheSaved } from '../pipeline/render-pages.js';

export const DEFAULT_PORT = 1313;
/** How long the full build waits after a fast render for open tabs to fetch the page. */
const FAST_RENDER_GRACE_MS = 150;
/** Ports tried after the requested one when it is taken. */
const PORT_ATTEMPTS = 50;

export interface ServeOptions {
  configPath?: string;
  overrides: ConfigInput;
  cache: boolean;
  port: number;
  host: string;
  open: boolean;
  quiet: boolean;
  verbose: boolean;
  /** Render the pages of changed runbook bodies before the full build (fast-render.ts); Hugo's default too. */
  fastRender: boolean;
  /** Called once the first build is served (tests and the bench read the URL from here). */
  onReady?: (url: string) => void;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Listens on `port`, else on the next free one. */
async function listenOnFreePort(server: Server, host: string, port: number): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await listen(server, host, port + attempt);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' && port !== 0 && attempt < PORT_ATTEMPTS && port + attempt < 65535) continue;
      const reason = code === 'EADDRINUSE' ? `ports ${port}–${port + attempt} are all in use` : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' ? `\`${host}\` is not an address of this machine` : (error as Error).message;
      throw new RunbookSiteError('InvalidFlag', { flag: code === 'EADDRINUSE' ? '--port' : '--host', reason, hint: 'Pick another with `--port N` or `--host H`.' });
    }
  }
}

function openBrowser(url: string): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser to open: the URL is printed anyway.
  }
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

/** Serve folders of processes that are gone (killed before they could clean up). */
function removeStaleFolders(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = /^serve-(\d+)-\d+(?:\.incoming)?$/.exec(name)?.[1];
    if (!pid || Number(pid) === process.pid) continue;
    try {
      process.kill(Number(pid), 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') rmSync(path.join(parent, name), { recursive: true, force: true });
    }
  }
}

/** Where a file lives relative to the project, for the one-line rebuild summary. */
function describeChanges(files: string[], cwd: string): string {
  const shown = files.map((file) => path.relative(cwd, file).split(path.sep).join('/') || file);
  if (shown.length <= 2) return shown.join(', ');
  return `${shown.slice(0, 2).join(', ')} and ${shown.length - 2} more`;
}

function overlayErrors(build: SessionBuild): OverlayError[] {
  const split = new Map<string, string[] | undefined>();
  return build.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => {
      if (!split.has(d.file)) split.set(d.file, build.sources.get(d.file)?.split(/\r?\n/));
      const lines = split.get(d.file);
      return { file: d.file, line: d.line, column: d.column, message: d.message, ruleId: d.ruleId, frame: lines ? codeFrame(lines, d.line, d.column, (_code, text) => text) : undefined };
    });
}

const PLACEHOLDER = (status: number) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>runbook-site serve</title></head><body><p>${status === 404 ? 'Nothing here yet: the site has not been built. The problem is shown above; this page updates when it is fixed.' : `${status}`}</p></body></html>`;

export async function serveSite(options: ServeOptions, io: CliIO): Promise<number> {
  const signal = io.signal;
  const colour = Boolean(io.stdout.isTTY) && !io.env.NO_COLOR;
  const say = (line: string) => io.stdout.write(`${line}\n`);
  const live = new LiveReload();
  let config: ResolvedConfig | undefined;
  let session: SiteSession | undefined;
  let buildNumber = 0;

  /** Called after the next request for a file of the site (not the event stream). */
  let onSiteRequest: (() => void)[] = [];
  const server = createServer((request, response) => {
    if (live.handle(request, response)) return;
    handler(request, response);
    for (const notify of onSiteRequest.splice(0)) notify();
  });
  /** Resolves once an open tab asked for a page, or after `ms`. */
  const nextSiteRequest = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      onSiteRequest.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  const handler = staticSiteHandler({
    root: () => session?.outDir ?? path.join(io.cwd, '.runbook-site-serve-nothing-built'),
    basePath: () => config?.basePath ?? '/',
    transformHtml: (html, file) => injectLiveScript(html, file, config?.basePath ?? '/'),
    fallbackHtml: PLACEHOLDER,
  });
  // Event streams stay open: without this, close() would wait for every tab to go away.
  server.keepAliveTimeout = 1000;

  const port = await listenOnFreePort(server, options.host, options.port);
  const hostShown = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  const origin = `http://${hostShown}:${port}`;
  if (!isLoopback(options.host)) {
    io.stderr.write(`runbook-site: warning: listening on ${options.host}, so anyone who can reach this machine can read the site and its rules. Use --host 127.0.0.1 to keep it local.\n`);
  }

  let watcher: InputWatcher | undefined;
  let watchedKey = '';
  const restartWatcher = async () => {
    const folders = config ? [config.rulesDir, config.runbooksDir, ...(config.templatesDir ? [config.templatesDir] : [])] : [];
    for (const name of ['static', 'assets']) folders.push(path.join(config?.root ?? io.cwd, name));
    if (config?.staticDir && !folders.includes(config.staticDir)) folders.push(config.staticDir);
    const files = [...CONFIG_FILE_NAMES.map((name) => path.join(io.cwd, name)), ...HUGO_CONFIG_FILE_NAMES.map((name) => path.join(config?.root ?? io.cwd, name)), ...(config?.configFile ? [config.configFile] : []), ...(options.configPath ? [path.resolve(io.cwd, options.configPath)] : []), ...(config?.introFile ? [config.introFile] : [])];
    const key = JSON.stringify([folders, files]);
    if (key === watchedKey && watcher) return;
    await watcher?.close();
    watchedKey = key;
    const ignore = config ? [config.outDir, config.cacheDirAbs] : [];
    watcher = watchInputs({ folders, files, ignore }, (changed) => schedule(changed));
    await watcher.ready;
  };

  const setProblem = (error: RunbookSiteError) => {
    io.stdout.write(`runbook-site: ${error.message}\n  hint: ${error.hint}\n`);
    live.setStatus({ build: buildNumber, errors: [], problem: { message: error.message, hint: error.hint } });
  };

  /** Loads the config; a new or changed config starts a new session (new folders, new caches). */
  const reloadConfig = async (): Promise<boolean> => {
    let next: ResolvedConfig;
    try {
      next = await loadConfig({ cwd: io.cwd, configPath: options.configPath, overrides: options.overrides });
    } catch (error) {
      if (!isRunbookSiteError(error)) throw error;
      setProblem(error);
      return false;
    }
    if (!config || JSON.stringify(next) !== JSON.stringify(config)) {
      const previous = session;
      config = next;
      removeStaleFolders(config.cacheDirAbs);
      // One folder per server, so that two previews of one project do not write over each other.
      const outDir = path.join(config.cacheDirAbs, `serve-${process.pid}-${port}`);
      previous?.close();
      session = new SiteSession({ config, version: toolVersion(), diskCache: options.cache, outDir });
    }
    return true;
  };

  const runBuild = async (changed: string[]): Promise<void> => {
    const started = performance.now();
    buildNumber++;
    const what = changed.length > 0 ? `${describeChanges(changed, io.cwd)} changed` : 'first build';
    const configChanged = changed.length === 0 || changed.some((file) => CONFIG_FILE_NAMES.includes(path.basename(file)) || HUGO_CONFIG_FILE_NAMES.includes(path.basename(file)) || file === config?.configFile);
    if (configChanged && !(await reloadConfig())) return;
    await restartWatcher();
    if (!session || !config) return;
    const templateDirs = [DEFAULT_TEMPLATES_DIR, ...(config.templatesDir ? [config.templatesDir] : [])].map((dir) => path.resolve(dir) + path.sep);
    const templateChanged = changed.some((file) => templateDirs.some((dir) => (file + path.sep).startsWith(dir)));
    if (templateChanged) session.forgetTheme();
    let fast: string[] = [];
    if (options.fastRender && changed.length > 0 && !configChanged && !templateChanged && changed.every((file) => /\.md$/i.test(file))) {
      try {
        const outcome = await session.fastRender(changed);
        fast = outcome.files;
        if (outcome.declined && options.verbose) say(`  fast render not used: ${outcome.declined}`);
      } catch (error) {
        // The full build that follows renders the same pages and reports what went wrong.
        if (io.env.RUNBOOK_SITE_DEBUG) io.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
      }
      if (fast.length > 0) {
        live.change({ files: fast, renamed: {} });
        // The full build holds the thread for a while: let open tabs fetch the page first.
        if (live.clientCount > 0) await nextSiteRequest(FAST_RENDER_GRACE_MS);
      }
    }
    const fastMs = fast.length > 0 ? Math.round(performance.now() - started) : undefined;
    let build: SessionBuild;
    try {
      // Open pages reload as soon as the pages are written; the search index and sitemap follow.
      build = await session.build((early) => live.change({ files: early.changed.filter((file) => !early.renameOnly.includes(file)), renamed: early.renamed }));
    } catch (error) {
      if (!isRunbookSiteError(error)) throw error;
      setProblem(error);
      return;
    }
    const ms = Math.round(performance.now() - started);
    const status: LiveStatus = { build: buildNumber, errors: overlayErrors(build) };
    if (build.errors > 0 || (buildNumber === 1 && !options.quiet)) {
      io.stdout.write(formatHuman({ diagnostics: build.diagnostics, coverage: build.coverage, runbooks: build.runbookCount }, { colour, quiet: build.errors > 0 || buildNumber > 1, verbose: options.verbose, sources: build.sources }));
    }
    if (build.restored.length > 0) live.change({ files: build.restored, renamed: {} });
    if (build.wrote) {
      live.change({ files: build.late, renamed: {} });
      const written = new Set([...fast, ...build.changed]).size;
      const updated = written === 0 ? 'no file changed' : `${plural(written, 'file')} updated`;
      if (buildNumber === 1) say(`[${clock()}] Built ${plural(build.pageCount, 'page')} (${build.rendered} rendered) in ${ms} ms`);
      else say(`[${clock()}] ${what} · ${plural(build.rendered, 'page')} re-rendered · ${updated} · ${ms} ms${fastMs === undefined ? '' : ` (page shown in ${fastMs} ms)`}`);
      if (options.verbose) say(`  phases: ${build.phases.map(([name, spent]) => `${name} ${spent}`).join(' · ')} ms`);
    } else {
      say(`[${clock()}] ${what} · build failed: ${plural(build.errors, 'error')}, ${buildNumber === 1 ? 'nothing to serve yet' : 'serving the last good site'} · ${ms} ms`);
    }
    live.setStatus(status);
  };

  // One build at a time; changes that arrive meanwhile make one more build after it.
  let running: Promise<void> | undefined;
  let queued: string[] = [];
  const schedule = (changed: string[]) => {
    queued.push(...changed);
    if (running) return;
    running = (async () => {
      while (queued.length > 0 && !signal?.aborted) {
        const batch = [...new Set(queued)].sort();
        queued = [];
        try {
          await runBuild(batch);
        } catch (error) {
          const internal = new RunbookSiteError('Internal', { reason: (error as Error)?.message ?? String(error) });
          setProblem(internal);
          if (io.env.RUNBOOK_SITE_DEBUG) io.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
        }
      }
      running = undefined;
    })();
  };

  try {
    try {
      await runBuild([]);
    } catch (error) {
      setProblem(isRunbookSiteError(error) ? error : new RunbookSiteError('Internal', { reason: (error as Error)?.message ?? String(error) }));
      await restartWatcher();
    }
    const url = `${origin}${config?.basePath ?? '/'}`;
    say(`Serving ${url}${port !== options.port && options.port !== 0 ? ` (port ${options.port} was taken)` : ''} — the site rebuilds when you save; press Ctrl-C to stop`);
    options.onReady?.(url);
    if (options.open) openBrowser(url);
    if (signal && !signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  } finally {
    await watcher?.close();
    await running;
    // The first build's page cache is saved in the background: stopped, serve returns once it is
    // on disk, so that the next build or serve finds it (and a caller that exits does not cut it short).
    await cacheSaved();
    live.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    session?.close();
  }
  if (!options.quiet) say('Stopped.');
  return 0;
}
