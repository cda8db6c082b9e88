// The pipeline: load (rules, runbooks) → link (site graph, site-wide checks) → render → write.
// Data flows one way. `check` runs the same stages but renders markdown only and writes nothing.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VFile } from 'vfile';
import type { ResolvedConfig } from './config/load.js';
import { RunbookSiteError } from './errors.js';
import { loadRuleFiles } from './rules/load.js';
import { loadRunbook, loadRunbooks } from './load/runbooks.js';
import { gitLastModified } from './load/git-dates.js';
import { linkSite, type Site } from './link/site.js';
import { checkLinks, type PageLinks } from './link/check-links.js';
import type { RenderedPage } from './render/page-data.js';
import type { Runbook } from './model.js';
import { pointAt, reportError } from './diagnostics.js';
import { prestartRenderWorkers, renderPages } from './pipeline/render-pages.js';
import { writeSite, assertSafeOutput, type OutputFile } from './write/output.js';
import { sitemap } from './write/sitemap.js';
import { redirectFiles } from './write/redirects.js';

export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export interface BuildOptions {
  config: ResolvedConfig;
  version: string;
  /** Write the site (build) or only check (check). */
  write: boolean;
  /** Fail on content errors before writing (build without --no-check). */
  failOnErrors: boolean;
  cache: boolean;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface BuildResult {
  site: Site;
  /** Every input file, with its diagnostics. */
  files: VFile[];
  errors: number;
  warnings: number;
  pagesWritten: number;
  pagesUnchanged: number;
  cacheHits: number;
  rendered: number;
  wrote: boolean;
}

async function assertFolder(dir: string, what: string, cwd: string): Promise<void> {
  let isFile = false;
  try {
    const info = await stat(dir);
    if (info.isDirectory()) return;
    isFile = true;
  } catch {
    // reported below
  }
  const shown = path.relative(cwd, dir) || dir;
  if (isFile) throw new RunbookSiteError('InvalidFlag', { flag: `--${what}`, reason: `\`${shown}\` is a file, expected a folder`, hint: `Point \`--${what}\` at the folder that holds the ${what}.` });
  throw new RunbookSiteError('FolderNotFound', { what, path: shown });
}

function countSeverities(files: VFile[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const file of files) {
    for (const message of file.messages) {
      if (message.fatal === true) errors++;
      else if (message.fatal === false) warnings++;
    }
  }
  return { errors, warnings };
}

export async function buildSite(options: BuildOptions): Promise<BuildResult> {
  const { config } = options;
  await assertFolder(config.rulesDir, 'rules', config.cwd);
  await assertFolder(config.runbooksDir, 'runbooks', config.cwd);
  if (options.write) {
    await assertSafeOutput(config.outDir, { root: config.root, cwd: config.cwd, inputs: [config.rulesDir, config.runbooksDir, ...(config.templatesDir ? [config.templatesDir] : [])] });
  }
  if (config.templatesDir) await assertFolder(config.templatesDir, 'templates', config.cwd);
  // Render workers load the markdown pipeline and theme while the main thread loads the site.
  prestartRenderWorkers({ config, templatesDir: DEFAULT_TEMPLATES_DIR, markdownOnly: !options.write, cache: options.cache });

  // Load
  options.onProgress?.('load', 0, 0);
  const introPromise: Promise<Runbook | undefined> = config.introFile
    ? loadRunbook(path.dirname(config.introFile), path.basename(config.introFile)).catch(() => {
        throw new RunbookSiteError('FolderNotFound', { what: 'intro', path: config.intro ?? '' });
      })
    : Promise.resolve(undefined);
  const [ruleFiles, runbooks, intro, gitDates] = await Promise.all([
    loadRuleFiles(config.rulesDir),
    loadRunbooks(config.runbooksDir),
    introPromise,
    options.write ? gitLastModified(config.runbooksDir) : Promise.resolve(undefined),
  ]);

  // Link
  options.onProgress?.('link', 0, 0);
  const site = linkSite({ config, ruleFiles, runbooks, version: options.version, intro, gitDates });
  const files: VFile[] = [...ruleFiles.map((f) => f.vfile), ...runbooks.map((r) => r.vfile), ...(intro ? [intro.vfile] : [])];

  // Render (full pages for build, markdown only for check)
  const runbookByUrl = new Map<string, Runbook>(site.runbooks.map((runbook) => [runbook.url, runbook]));
  if (intro) runbookByUrl.set('', intro);
  const { rendered, cacheHits, renderedCount, problems } = await renderPages(site, {
    config,
    version: options.version,
    templatesDir: DEFAULT_TEMPLATES_DIR,
    markdownOnly: !options.write,
    cache: options.cache,
    onProgress: (done, total) => options.onProgress?.('render', done, total),
  });
  for (const problem of problems) {
    const runbook = runbookByUrl.get(problem.url);
    if (!runbook) continue;
    const start = pointAt(runbook.body, problem.start, runbook.bodyStart);
    reportError(runbook.vfile, problem.message, { start, end: pointAt(runbook.body, problem.end, runbook.bodyStart) }, problem.ruleId);
  }

  // Site-wide checks on rendered links
  const pageLinks: PageLinks[] = [];
  rendered.forEach((page, url) => {
    const runbook = runbookByUrl.get(url);
    if (runbook) pageLinks.push({ runbook, url, headingIds: page.headingIds, links: page.links });
  });
  checkLinks(pageLinks, { urls: site.urls, urlByFile: site.urlByFile, basePath: config.basePath, baseURL: config.baseURL });

  const { errors, warnings } = countSeverities(files);
  const result: BuildResult = { site, files, errors, warnings, pagesWritten: 0, pagesUnchanged: 0, cacheHits, rendered: renderedCount, wrote: false };
  if (!options.write || (options.failOnErrors && errors > 0)) return result;

  // Write
  options.onProgress?.('write', 0, 0);
  const outputs: OutputFile[] = [];
  for (const page of rendered.values()) outputs.push({ path: page.outputPath, content: page.html });
  const { assetFiles } = await import('./pipeline/render-pages.js');
  outputs.push(...(await assetFiles(site, rendered, { config, templatesDir: DEFAULT_TEMPLATES_DIR })));
  outputs.push(...redirectFiles(site));
  outputs.push({ path: 'sitemap.xml', content: sitemap(site) });
  outputs.push({ path: '.nojekyll', content: '' });
  outputs.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const { written, unchanged } = await writeSite(config.outDir, outputs, options.version, config.cwd);
  result.pagesWritten = written;
  result.pagesUnchanged = unchanged;
  result.wrote = true;
  return result;
}

export type { RenderedPage };
