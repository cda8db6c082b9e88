// A serve session: the build pipeline run again and again in one process. Its state is kept as
// caches wrapping the stages, never threaded through them:
//   - load: a LoadCache held in memory (a file whose text is unchanged is not parsed again);
//   - render: a page store held in memory, filled first from the pack on disk (the same keys as
//     `build`'s cache: a page whose inputs hash the same is not rendered again), and the theme,
//     loaded again only when a template changes;
//   - write: the served folder, where only the files whose bytes changed are replaced.
// Each build runs the same stages as `build` (load → link → render → checks → outputs), so what
// the served folder holds equals what a clean `build` of the same inputs writes.
import { mkdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { VFile } from 'vfile';
import type { ResolvedConfig } from '../config/load.js';
import { gitLastModified } from '../load/git-dates.js';
import { openLoadCache, replayMessages, storedMessages, textHash, type LoadCache, type LoadKind, type StoredMessage } from '../cache/load-cache.js';
import { PageCache, type CacheEntry } from '../cache/page-cache.js';
import { linkSite, type Coverage } from '../link/site.js';
import type { Theme } from '../render/theme.js';
import { linkMapOf, renderPages, type PageStore } from '../pipeline/render-pages.js';
import { createRenderer, linkContext } from '../pipeline/render-one.js';
import type { ShortcodeSources } from '../link/shortcode-references.js';
import type { Site } from '../link/site.js';
import { fastRenderPages, type FastRenderBase } from './fast-render.js';
import { siteOutputFiles } from '../pipeline/full-build.js';
import { checkRenderedPages, loadSiteInputs } from '../pipeline/site-stages.js';
import { redirectFiles } from '../write/redirects.js';
import { OUTPUT_MARKER, type OutputFile } from '../write/output.js';
import { collectDiagnostics, countBySeverity, displayPath, type Diagnostic } from '../report/format.js';
import { DEFAULT_TEMPLATES_DIR, assertInputFolders } from '../build.js';

/**
 * The load cache of a long-lived process: entries stay in memory (as JSON, so that no build sees
 * objects an earlier build's stages touched), seeded from the cache on disk for the first build.
 */
export function memoryLoadCache(seed?: LoadCache): LoadCache & { forgetUnused(): void } {
  const entries = new Map<string, { textHash: string; value: string; messages: StoredMessage[] }>();
  let used = new Set<string>();
  return {
    reuse<T>(kind: LoadKind, file: string, text: string, vfile: VFile): T | undefined {
      const id = `${kind}:${file}`;
      const entry = entries.get(id);
      const hash = textHash(text);
      if (entry && entry.textHash === hash) {
        replayMessages(vfile, entry.messages);
        used.add(id);
        return JSON.parse(entry.value) as T;
      }
      const seeded = seed?.reuse<T>(kind, file, text, vfile);
      // Kept in memory too: the seed is dropped after the first build, and the next build must not parse the file again.
      if (seeded !== undefined) {
        used.add(id);
        entries.set(id, { textHash: hash, value: JSON.stringify(seeded), messages: storedMessages(vfile) });
      }
      return seeded;
    },
    keep(kind, file, text, vfile, value) {
      seed?.keep(kind, file, text, vfile, value);
      const id = `${kind}:${file}`;
      used.add(id);
      entries.set(id, { textHash: textHash(text), value: JSON.stringify(value), messages: storedMessages(vfile) });
    },
    async save() {
      // The disk cache is written once, after the first build, as `build` would have.
      const first = seed;
      seed = undefined;
      await first?.save();
    },
    forgetUnused() {
      for (const id of entries.keys()) if (!used.has(id)) entries.delete(id);
      used = new Set();
    },
  };
}

/** Rendered pages kept in memory between builds; those no build used since the last save are dropped. */
export function memoryPageStore(seed?: PageCache): PageStore {
  const entries = new Map<string, CacheEntry>();
  let used = new Set<string>();
  return {
    stats: { loaded: 0, saved: false },
    get(key, resolve) {
      let entry = entries.get(key);
      if (entry) {
        for (const [href, url] of entry.links) if ((resolve(href) ?? null) !== url) return undefined;
      } else {
        entry = seed?.get(key, resolve);
        // As text, like the pages this session renders: the served folder tells an unchanged
        // page by identity, and a stylesheet-only change by comparing the old text with the new.
        if (entry && typeof entry.page.html !== 'string') entry = { ...entry, page: { ...entry.page, html: entry.page.html.toString('utf8') } };
        if (entry) entries.set(key, entry);
      }
      if (entry) used.add(key);
      return entry;
    },
    set(key, entry) {
      seed?.set(key, entry);
      entries.set(key, entry);
      used.add(key);
    },
    async save() {
      for (const key of entries.keys()) if (!used.has(key)) entries.delete(key);
      used = new Set();
      const first = seed;
      seed = undefined;
      await first?.save();
    },
  };
}

/**
 * The folder serve writes the site into. It keeps the content of every file it holds (the pages
 * are the same strings as in the page store, so an unchanged page costs one identity check), so a
 * build replaces only the files whose bytes changed (each atomically: written next to it, then
 * renamed) and removes the ones that are gone.
 */
export class ServedFolder {
  private contents = new Map<string, string | Uint8Array>();
  private readonly incoming: string;
  private counter = 0;

  constructor(readonly dir: string) {
    this.incoming = `${dir}.incoming`;
    rmSync(dir, { recursive: true, force: true });
    rmSync(this.incoming, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }

  /** What the folder holds at `file`, if anything. */
  content(file: string): string | Uint8Array | undefined {
    return this.contents.get(file);
  }

  /**
   * Writes `files`; with `complete`, they are the whole content of the folder and any other file
   * is removed. Returns the paths written or removed, sorted.
   */
  apply(files: OutputFile[], complete: boolean): string[] {
    const changed: string[] = [];
    const next = new Map<string, string | Uint8Array>();
    mkdirSync(this.incoming, { recursive: true });
    try {
      for (const file of files) {
        next.set(file.path, file.content);
        const before = this.contents.get(file.path);
        if (before !== undefined && sameContent(before, file.content)) continue;
        const target = path.join(this.dir, file.path);
        mkdirSync(path.dirname(target), { recursive: true });
        const temporary = path.join(this.incoming, `${this.counter++}`);
        writeFileSync(temporary, file.content);
        renameSync(temporary, target);
        this.contents.set(file.path, file.content);
        changed.push(file.path);
      }
      if (complete) {
        for (const old of [...this.contents.keys()]) {
          if (next.has(old)) continue;
          rmSync(path.join(this.dir, old), { force: true });
          this.contents.delete(old);
          changed.push(old);
          // Folders left empty go too (a renamed section leaves its old folder behind).
          for (let dir = path.posix.dirname(old); dir !== '.'; dir = path.posix.dirname(dir)) {
            try {
              rmdirSync(path.join(this.dir, dir));
            } catch {
              break;
            }
          }
        }
      }
    } finally {
      rmSync(this.incoming, { recursive: true, force: true });
    }
    return changed.sort();
  }

  /** Puts files back as they were (`undefined`: it did not exist); returns the paths that changed. */
  restore(previous: Map<string, string | Uint8Array | undefined>): string[] {
    const back: OutputFile[] = [];
    const gone: string[] = [];
    for (const [file, content] of previous) {
      if (content === undefined) gone.push(file);
      else back.push({ path: file, content });
    }
    const changed = this.apply(back, false);
    for (const file of gone) {
      if (!this.contents.delete(file)) continue;
      rmSync(path.join(this.dir, file), { force: true });
      changed.push(file);
    }
    return changed.sort();
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.incoming, { recursive: true, force: true });
  }
}

function sameContent(a: string | Uint8Array, b: string | Uint8Array): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  const left = typeof a === 'string' ? Buffer.from(a) : a;
  const right = typeof b === 'string' ? Buffer.from(b) : b;
  return Buffer.compare(left, right) === 0;
}

export interface SessionBuild {
  diagnostics: Diagnostic[];
  coverage: Coverage;
  sources: Map<string, string>;
  errors: number;
  warnings: number;
  pageCount: number;
  runbookCount: number;
  /** Pages rendered by this build (not reused). */
  rendered: number;
  /** Whether the served folder was updated (false: content errors, the last good site stays). */
  wrote: boolean;
  /** Site-relative output paths written or removed. */
  changed: string[];
  /** CSS assets renamed with no other change to the pages that link them (old → new). */
  renamed: Record<string, string>;
  /** Pages whose only change is such a rename (they need no reload). */
  renameOnly: string[];
  /** Files written or removed after the pages (search index, sitemap, pages that are gone). */
  late: string[];
  /** Milliseconds spent in each stage, in order (for --verbose). */
  phases: [string, number][];
  /** Pages a fast render wrote that this build (with errors) put back as they were. */
  restored: string[];
}

export interface SessionOptions {
  config: ResolvedConfig;
  version: string;
  /** Seed the caches from the disk cache (and save it after the first build), as `build` does. */
  diskCache: boolean;
  /** The served folder. */
  outDir: string;
}

/** Fingerprinted assets (`assets/style.1a2b3c4d.css`) that were replaced by one of the same name and another hash. */
function renamedStylesheets(before: Set<string>, after: Set<string>): Record<string, string> {
  const stem = (file: string) => /^(assets\/.+)\.[0-9a-f]{8}(\.css)$/i.exec(file);
  const added = new Map<string, string>();
  for (const file of after) {
    const match = !before.has(file) && stem(file);
    if (match) added.set(match[1] + match[2], file);
  }
  const renamed: Record<string, string> = {};
  for (const file of before) {
    const match = !after.has(file) && stem(file);
    const next = match && added.get(match[1] + match[2]);
    if (next) renamed[file] = next;
  }
  return renamed;
}

export class SiteSession {
  readonly config: ResolvedConfig;
  private readonly options: SessionOptions;
  private loadCache?: ReturnType<typeof memoryLoadCache>;
  private pageStore?: PageStore;
  private theme?: Theme;
  private gitDates?: Map<string, string>;
  private readonly folder: ServedFolder;
  private assets = new Set<string>();
  /** The last build that wrote the site, for fast render (undefined after a failed build). */
  private lastGood?: { site: Site; shortcodeSources: ShortcodeSources };
  private fastBase?: FastRenderBase;
  /** Files a fast render wrote since the last full build, with what they held before. */
  private provisional = new Map<string, string | Uint8Array | undefined>();

  constructor(options: SessionOptions) {
    this.options = options;
    this.config = options.config;
    this.folder = new ServedFolder(options.outDir);
  }

  get outDir(): string {
    return this.options.outDir;
  }

  /** A template changed: the next build loads the theme again. */
  forgetTheme(): void {
    this.theme = undefined;
    this.fastBase = undefined;
  }

  /**
   * Fast render (fast-render.ts): when only runbook bodies changed, writes their pages from the last
   * good build before the full build runs. Returns the files written, or why it did not.
   */
  async fastRender(changed: string[]): Promise<{ files: string[]; declined?: string }> {
    const good = this.lastGood;
    if (!good || !this.theme) return { files: [], declined: 'no good build yet' };
    if (this.fastBase?.site !== good.site) {
      const theme = this.theme;
      const renderer = await createRenderer({ mode: 'full', theme: { defaultDir: DEFAULT_TEMPLATES_DIR, overrideDir: this.config.templatesDir, basePath: this.config.basePath } }, theme);
      const links = linkContext(linkMapOf(good.site));
      this.fastBase = { config: this.config, site: good.site, shortcodeSources: good.shortcodeSources, render: (page) => renderer.render(page, links)!.page };
    }
    const outcome = await fastRenderPages(this.fastBase, changed);
    if ('declined' in outcome) return { files: [], declined: outcome.declined };
    const files: OutputFile[] = outcome.pages.map(({ rendered }) => ({ path: rendered.outputPath, content: rendered.html }));
    for (const file of files) if (!this.provisional.has(file.path)) this.provisional.set(file.path, this.folder.content(file.path));
    return { files: this.folder.apply(files, false) };
  }

  /** `onPagesWritten` is called once the pages are in place, before the site-wide files (search index, sitemap) are. */
  async build(onPagesWritten?: (build: SessionBuild) => void): Promise<SessionBuild> {
    // What a fast render wrote is this build's to confirm, rewrite, or put back.
    const provisional = this.provisional;
    this.provisional = new Map();
    this.lastGood = undefined;
    try {
      return await this.fullBuild(provisional, onPagesWritten);
    } catch (error) {
      // A build stopped by a configuration problem serves the last good site too.
      this.folder.restore(provisional);
      throw error;
    }
  }

  private async fullBuild(provisional: Map<string, string | Uint8Array | undefined>, onPagesWritten?: (build: SessionBuild) => void): Promise<SessionBuild> {
    const { config, version } = this.options;
    const phases: [string, number][] = [];
    let mark = performance.now();
    const phase = (name: string) => {
      const now = performance.now();
      phases.push([name, Math.round(now - mark)]);
      mark = now;
    };
    await assertInputFolders(config);
    this.loadCache ??= memoryLoadCache(this.options.diskCache ? await openLoadCache(config.cacheDirAbs, version) : undefined);
    this.pageStore ??= memoryPageStore(this.options.diskCache ? await PageCache.open(config.cacheDirAbs, 'full', version) : undefined);
    if (!this.theme) {
      const { loadTheme } = await import('../render/theme.js');
      this.theme = await loadTheme({ defaultDir: DEFAULT_TEMPLATES_DIR, overrideDir: config.templatesDir, basePath: config.basePath });
    }

    // Load
    // Dates from git history change with commits, not with saves: read once per session.
    this.gitDates ??= await gitLastModified(config.runbooksDir);
    const inputs = await loadSiteInputs(config, { cache: this.loadCache, scaffold: true });
    const { files } = inputs;
    this.loadCache.forgetUnused();
    await this.loadCache.save();
    phase('load');

    // Link
    const site = linkSite({ config, ...inputs, version, gitDates: this.gitDates });
    phase('link');

    // Render
    const outcome = await renderPages(site, {
      config,
      version,
      templatesDir: DEFAULT_TEMPLATES_DIR,
      markdownOnly: false,
      cache: this.options.diskCache,
      pageCache: this.pageStore,
      theme: this.theme,
    });
    phase('render');
    const published = checkRenderedPages(site, inputs, outcome.rendered, outcome.problems, config);
    files.push(...published.reported);

    const diagnostics = collectDiagnostics(files, config.cwd);
    const { error: errors, warning: warnings } = countBySeverity(diagnostics);
    phase('check');
    const sources = new Map<string, string>();
    for (const file of files) sources.set(displayPath(file, config.cwd), String(file.value));
    const result: SessionBuild = {
      diagnostics,
      coverage: site.coverage,
      sources,
      errors,
      warnings,
      pageCount: site.pages.length,
      runbookCount: site.runbookCount,
      rendered: outcome.renderedCount - outcome.cacheHits,
      wrote: false,
      changed: [],
      renamed: {},
      renameOnly: [],
      late: [],
      phases,
      restored: [],
    };
    // Content errors: the last good site keeps being served (with the pages a fast render wrote put back).
    if (errors > 0) {
      result.restored = this.folder.restore(provisional);
      return result;
    }

    // Write, in two steps: the pages (and what they link: theme assets, redirects) first, so
    // that open pages can reload, then the files computed from every page (search index, sitemap).
    const marker: OutputFile = { path: OUTPUT_MARKER, content: `runbook-site ${version}\n` };
    const { themeAssets } = await import('../render/theme.js');
    const pagesFirst: OutputFile[] = [...[...outcome.rendered.values()].map((page) => ({ path: page.outputPath, content: page.html })), ...themeAssets(this.theme, outcome.rendered.values()), ...redirectFiles(site), marker];
    const previous = new Map(pagesFirst.map((file) => [file.path, this.folder.content(file.path)]));
    const early = this.folder.apply(pagesFirst, false);
    const assets = new Set(pagesFirst.map((file) => file.path).filter((file) => file.startsWith('assets/')));
    const renamed = renamedStylesheets(this.assets, assets);
    this.assets = assets;
    if (Object.keys(renamed).length > 0) {
      const byPath = new Map(pagesFirst.map((file) => [file.path, file.content]));
      for (const file of early) {
        const before = previous.get(file);
        if (!file.endsWith('.html') || typeof before !== 'string') continue;
        let expected = before;
        for (const [from, to] of Object.entries(renamed)) expected = expected.split(path.posix.basename(from)).join(path.posix.basename(to));
        if (expected === byPath.get(file)) result.renameOnly.push(file);
      }
    }
    result.wrote = true;
    result.renamed = renamed;
    phase('write pages');
    onPagesWritten?.({ ...result, changed: early });

    const outputs = await siteOutputFiles(site, outcome.rendered, config, published);
    outputs.push(marker);
    phase('site-wide files');
    const late = this.folder.apply(outputs, true);
    phase('write');
    result.changed = [...new Set([...early, ...late])].sort();
    result.late = late;
    this.lastGood = { site, shortcodeSources: inputs.shortcodeSources };
    return result;
  }

  close(): void {
    this.folder.close();
  }
}
