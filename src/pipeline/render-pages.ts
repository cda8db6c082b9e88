// Render stage driver: turns every PageData into a RenderedPage.
//
// 1. Each page's cache key is computed (see src/cache/page-cache.ts); pages whose entry is in the
//    cache, with every `.md` link it resolved still resolving the same, are reused as they are.
// 2. The rest are rendered: on worker threads when there are enough of them to pay for starting
//    workers, else on the main thread (a warm build with a few changed pages starts no worker).
// 3. The cache is saved (only when something changed).
// The main thread keeps loading, linking and writing; the order of `rendered` is the site order.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { listFilesSync } from '../load/files.js';
import type { ResolvedConfig } from '../config/load.js';
import type { Site } from '../link/site.js';
import type { PageData, RenderedPage } from '../render/page-data.js';
import type { Theme } from '../render/theme.js';
import type { OutputFile } from '../write/output.js';
import { readBlob, writeBlob } from '../cache/blob-cache.js';
import { cacheSalt, hasShards, pageKeyer, PageCache, type RenderMode } from '../cache/page-cache.js';
import { RenderPool } from './worker-pool.js';
import { createRenderer, fileByUrlOf, linkContext, resolveLinkIn, type LinkMap, type PageResult, type RendererInit } from './render-one.js';

export interface RenderOptions {
  config: ResolvedConfig;
  version: string;
  templatesDir: string;
  /** `check`: render markdown only (for links and problems), no layouts. */
  markdownOnly: boolean;
  cache: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Worker threads to use; default: RUNBOOK_SITE_WORKERS, else one per core when there are enough pages. 0: main thread only. */
  workers?: number;
  /** A page cache the caller keeps (serve: in memory, across rebuilds), used instead of the pack on disk. */
  pageCache?: PageStore;
  /** The theme, already loaded by the caller (serve reloads it only when a template changes). */
  theme?: Theme;
}

/** What renderPages needs of a page cache: PageCache (the pack on disk), or one kept in memory. */
export type PageStore = Pick<PageCache, 'get' | 'set' | 'save' | 'stats'>;

export interface PageProblem {
  url: string;
  start: number;
  end: number;
  message: string;
  ruleId: string;
}

export interface RenderOutcome {
  /** By page URL, in site order. */
  rendered: Map<string, RenderedPage>;
  problems: PageProblem[];
  /** Pages taken from the cache. */
  cacheHits: number;
  /** Pages in `rendered` (rendered now or taken from the cache). */
  renderedCount: number;
  /** Worker threads started (0: everything ran on the main thread). */
  workers: number;
  /** Why the cache on disk was not used, when it existed but was not. */
  cacheIgnored?: string;
}

/** Below this many pages to render, starting workers costs more than it saves. */
export const MIN_PAGES_FOR_WORKERS = 48;
/** Each worker should get at least this many pages. */
const MIN_PAGES_PER_WORKER = 24;
const MAX_WORKERS = 8;

/** The theme of a build, loaded once by renderPages and reused by assetFiles. */
const themes = new WeakMap<Site, Promise<Theme>>();
/** Where renderPages found the cache and the salt of its keys, for assetFiles. */
const caches = new WeakMap<Site, { dir: string; salt: string }>();

function themeOptions(config: ResolvedConfig, templatesDir: string): RendererInit['theme'] {
  return { defaultDir: templatesDir, overrideDir: config.templatesDir, basePath: config.basePath };
}

function themeOf(site: Site, options: { config: ResolvedConfig; templatesDir: string; theme?: Theme }): Promise<Theme> {
  let theme = themes.get(site);
  if (!theme) {
    theme = options.theme ? Promise.resolve(options.theme) : import('../render/theme.js').then(({ loadTheme }) => loadTheme(themeOptions(options.config, options.templatesDir)));
    themes.set(site, theme);
  }
  return theme;
}

/** The configuration that can change a page but is not (or not only) in its PageData; paths are left out. */
function renderSettings(config: ResolvedConfig): Record<string, unknown> {
  const { root, cwd, configFile, rulesDir, runbooksDir, outDir, templatesDir, introFile, cacheDirAbs, out, cacheDir, rules, runbooks, templates, intro, timeout, ...rest } = config;
  void [root, cwd, configFile, rulesDir, runbooksDir, outDir, templatesDir, introFile, cacheDirAbs, out, cacheDir, rules, runbooks, templates, intro, timeout];
  return rest;
}

function forcedWorkers(requested: number | undefined): number | undefined {
  const fromEnv = process.env.RUNBOOK_SITE_WORKERS;
  return requested ?? (fromEnv !== undefined && /^\d+$/.test(fromEnv) ? Number(fromEnv) : undefined);
}

function workerCount(pages: number, requested: number | undefined): number {
  const forced = forcedWorkers(requested);
  if (forced !== undefined) return Math.min(forced, pages);
  if (pages < MIN_PAGES_FOR_WORKERS) return 0;
  // One core is left to the main thread and V8's own threads (garbage collection, compilation),
  // which keep about one core busy through a render. On 2 cores one worker gave the least peak
  // RSS × wall (srerun cold, five alternated runs each: 1 worker 7.11 s, 278 MB; 2 workers
  // 6.73 s, 359 MB; see BENCHMARKS.md).
  return Math.max(1, Math.min(availableParallelism() - 1, Math.floor(pages / MIN_PAGES_PER_WORKER), MAX_WORKERS));
}

/** The cache pack being written by the last renderPages call. */
let pendingSave: Promise<void> | undefined;

/** Settles when the page cache being saved in the background (if any) is on disk. */
export async function cacheSaved(): Promise<void> {
  await pendingSave;
}

/** Workers started by prestartRenderWorkers, waiting for renderPages with the same config. */
let prestarted: { config: ResolvedConfig; pool: RenderPool | undefined } | undefined;

/**
 * Called at the start of a build: when most pages will have to be rendered (no cache, or no
 * pack yet) and the runbooks folder is big enough for workers, starts them now so that they load
 * the markdown pipeline and the theme while the main thread loads and links the site.
 * renderPages uses them, or stops them if they turn out not to be needed.
 */
export function prestartRenderWorkers(options: Pick<RenderOptions, 'config' | 'templatesDir' | 'markdownOnly' | 'cache' | 'workers'>): void {
  closePrestarted();
  if (forcedWorkers(options.workers) === 0 || process.env.RUNBOOK_SITE_PRESTART === '0') return;
  const config = options.config;
  // Synchronous on purpose: the main thread goes straight on to parse rule files and runbooks
  // without yielding, so anything awaited here would start the workers only after loading.
  let pool: RenderPool | undefined;
  try {
    const mode: RenderMode = options.markdownOnly ? 'markdown' : 'full';
    const warm = options.cache && hasShards(config.cacheDirAbs, mode);
    // The same walk as the loader's, so hidden folders count the same way.
    const files = warm ? 0 : listFilesSync(config.runbooksDir, (name) => name.toLowerCase().endsWith('.md')).length;
    const size = files < MIN_PAGES_FOR_WORKERS ? 0 : workerCount(files, options.workers);
    if (size > 0) pool = new RenderPool({ mode, theme: themeOptions(config, options.templatesDir) }, size, { timeoutMs: config.timeout });
  } catch {
    // An unreadable runbooks folder is reported by the loader; no workers then.
  }
  prestarted = { config, pool };
}

function closePrestarted(): void {
  const previous = prestarted;
  prestarted = undefined;
  void previous?.pool?.close();
}

async function takePrestarted(config: ResolvedConfig): Promise<RenderPool | undefined> {
  if (!prestarted || prestarted.config !== config) {
    closePrestarted();
    return undefined;
  }
  const pool = prestarted.pool;
  prestarted = undefined;
  return pool;
}

/** What a renderer needs of the site to resolve links (sent once to each worker). */
export function linkMapOf(site: Site): LinkMap {
  return { urlByFile: site.urlByFile, basePath: site.info.basePath, resources: site.resources, folders: site.folders, runbooksFolder: site.runbooksFolder, repository: site.repository };
}

export async function renderPages(site: Site, options: RenderOptions): Promise<RenderOutcome> {
  const mode: RenderMode = options.markdownOnly ? 'markdown' : 'full';
  const init: RendererInit = {
    mode,
    theme: themeOptions(options.config, options.templatesDir),
    links: linkMapOf(site),
  };
  const total = site.pages.length;
  let done = 0;
  const progress = (pages: number) => {
    done += pages;
    options.onProgress?.(done, total);
  };

  // Cache look-up.
  const results: (PageResult | undefined)[] = new Array(total);
  const keys: string[] = new Array(total);
  let cache: PageStore | undefined;
  let hits = 0;
  const themePromise = mode === 'full' ? themeOf(site, options) : undefined;
  await pendingSave;
  if (options.cache || options.pageCache) {
    // The pack is read and inflated off the main thread while the keys are hashed on it.
    const opening = options.pageCache ? Promise.resolve(options.pageCache) : PageCache.open(options.config.cacheDirAbs, mode, options.version);
    const [theme, code, { themeFingerprint }] = await Promise.all([
      themePromise,
      import('../cache/code-fingerprint.js').then(({ codeFingerprint }) => codeFingerprint()),
      import('../render/theme.js'),
    ]);
    const salt = cacheSalt({ mode, version: options.version, code, theme: theme ? themeFingerprint(theme) : '', settings: renderSettings(options.config) });
    if (options.cache) caches.set(site, { dir: options.config.cacheDirAbs, salt });
    const keyOf = pageKeyer(salt);
    for (let i = 0; i < total; i++) {
      keys[i] = keyOf(site.pages[i]);
      // Yield now and then so that the pack's read and inflate callbacks get to run.
      if (i % 128 === 127) await new Promise((resolve) => setImmediate(resolve));
    }
    cache = await opening;
    const fileByUrl = fileByUrlOf(init.links);
    site.pages.forEach((page, i) => {
      const entry = cache!.get(keys[i], (href) => resolveLinkIn(init.links, fileByUrl.get(page.url) ?? '', href, page.url));
      if (entry) {
        results[i] = entry;
        hits++;
      }
    });
    if (hits > 0) progress(hits);
  }

  // Render what the cache did not have.
  const missing: number[] = [];
  let skipped = 0;
  for (let i = 0; i < total; i++) {
    if (results[i]) continue;
    // `check` renders markdown only: a page without markdown has nothing to render.
    if (mode === 'markdown' && !site.pages[i].markdown) skipped++;
    else missing.push(i);
  }
  if (skipped > 0) progress(skipped);
  const workers = workerCount(missing.length, options.workers);
  const early = await takePrestarted(options.config);
  if (workers > 0) {
    const pool = early ?? new RenderPool({ mode: init.mode, theme: init.theme }, workers, { timeoutMs: options.config.timeout });
    // With one worker (2 cores) the main thread would wait for it: it renders the pages without
    // markdown meanwhile (alert, tag and section pages, made of rules and the site graph). Pages
    // with markdown stay on the worker, where the render timeout watches them.
    const onMain = workers === 1 ? missing.filter((i) => !site.pages[i].markdown) : [];
    const onWorkers = onMain.length > 0 ? missing.filter((i) => site.pages[i].markdown) : missing;
    let stopped = false;
    const renderOnMain = async () => {
      if (onMain.length === 0) return;
      const renderer = await createRenderer(init, await themePromise);
      const links = linkContext(init.links);
      for (let k = 0; k < onMain.length && !stopped; k++) {
        results[onMain[k]] = renderer.render(site.pages[onMain[k]], links);
        progress(1);
        // Now and then, let the worker's results in, so that it is handed its next batch at once.
        if (k % 8 === 7) await new Promise((resolve) => setImmediate(resolve));
      }
    };
    try {
      const [fresh] = await Promise.all([
        pool.render(
          onWorkers.map((i) => site.pages[i]),
          init.links,
          { workers, onBatch: progress },
        ),
        renderOnMain(),
      ]);
      onWorkers.forEach((i, j) => {
        results[i] = fresh[j];
      });
    } finally {
      stopped = true;
      pool.close();
    }
  } else {
    early?.close();
    if (missing.length > 0) {
      const renderer = await createRenderer(init, await themePromise);
      const links = linkContext(init.links);
      for (const i of missing) {
        results[i] = renderer.render(site.pages[i], links);
        progress(1);
      }
    }
  }

  if (cache) {
    for (const i of missing) {
      const result = results[i];
      if (result) cache.set(keys[i], result);
    }
    // Written while the build goes on (compressing runs off the main thread); the next build in
    // this process waits for it, and the process does not exit before it is done.
    pendingSave = cache.save();
  }

  const rendered = new Map<string, RenderedPage>();
  const problems: PageProblem[] = [];
  site.pages.forEach((page: PageData, i) => {
    const result = results[i];
    if (!result) return;
    rendered.set(page.url, result.page);
    for (const problem of result.page.problems ?? []) problems.push({ url: page.url, ...problem });
  });
  const cacheIgnored = cache?.stats.ignored && cache.stats.ignored !== 'missing' ? cache.stats.ignored : undefined;
  return { rendered, problems, cacheHits: hits, renderedCount: rendered.size, workers, cacheIgnored };
}

export async function assetFiles(site: Site, rendered: Map<string, RenderedPage>, options: { config: ResolvedConfig; templatesDir: string }): Promise<OutputFile[]> {
  const [theme, { themeAssets }] = await Promise.all([themeOf(site, options), import('../render/theme.js')]);
  const files: OutputFile[] = themeAssets(theme, rendered.values()).map((asset) => ({ path: asset.path, content: asset.content }));
  // Built after rendering on purpose: filling it (or writing pages) on the main thread while the
  // workers render made 2-core builds of the 10x corpus slower: three busy threads, two cores.
  const docs = site.pages
    .filter((page) => page.kind === 'runbook')
    .map((page) => {
      const out = rendered.get(page.url);
      return {
        url: page.url,
        title: page.title,
        alerts: page.rules.map((rule) => rule.name),
        // The names in the expressions, as the render stage worked them out; else parsed with the index.
        ...(out?.searchTerms ? { terms: out.searchTerms } : { exprs: page.rules.map((rule) => rule.expr) }),
        severity: page.rules.find((rule) => rule.labels.severity)?.labels.severity,
        text: out?.searchText ?? '',
      };
    });
  // The index depends on every page: reuse it when the documents are the same as last time.
  const cache = caches.get(site);
  let index: { path: string; content: string } | undefined;
  let key = '';
  const file = cache ? path.join(cache.dir, 'search-index.cache') : '';
  if (cache) {
    key = createHash('sha256').update(cache.salt).update(JSON.stringify(docs)).digest('base64url');
    const cached = await readBlob(file, key);
    if (cached !== undefined) {
      const newline = cached.indexOf('\n');
      index = { path: cached.slice(0, newline), content: cached.slice(newline + 1) };
    }
  }
  if (!index) {
    const { buildSearchIndex } = await import('../render/search-index.js');
    index = buildSearchIndex(docs);
    if (cache) await writeBlob(file, key, `${index.path}\n${index.content}`);
  }
  files.push({ path: index.path, content: index.content });
  return files;
}
