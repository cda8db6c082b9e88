// The load stage's inputs and the checks on rendered pages, shared by a build (full-build.ts) and
// by `serve` (serve/session.ts), so that the preview is built exactly as the published site is.
import path from 'node:path';
import { VFile } from 'vfile';
import type { ResolvedConfig } from '../config/load.js';
import { RunbookSiteError } from '../errors.js';
import { loadRuleFiles } from '../rules/load.js';
import type { LoadCache } from '../cache/load-cache.js';
import { loadRunbook, loadRunbooks } from '../load/runbooks.js';
import { listFiles, listKnownFiles, type Listings } from '../load/files.js';
import { loadShortcodeSources } from '../load/shortcode-sources.js';
import type { ShortcodeSources } from '../link/shortcode-references.js';
import { loadScaffoldTemplate } from '../scaffold/runbook.js';
import { checkLinks, type PageLinks } from '../link/check-links.js';
import { checkAlertAnchors } from '../link/alerts.js';
import type { Site } from '../link/site.js';
import type { Point, RuleFile, Runbook } from '../model.js';
import type { RenderedPage } from '../render/page-data.js';
import { pointAt, reportError } from '../diagnostics.js';
import type { PageProblem } from './render-pages.js';
import { DEFAULT_TEMPLATES_DIR } from '../build.js';
import { byCodePoint } from '../order.js';

export interface SiteInputs {
  ruleFiles: RuleFile[];
  runbooks: Runbook[];
  intro?: Runbook;
  scaffoldTemplate?: string;
  shortcodeSources: ShortcodeSources;
  /** Files next to the runbooks that are not markdown (images, attachments), relative to the runbooks folder. */
  resourceFiles: string[];
  /** Files of Hugo's static folder, relative to it. */
  staticFiles: string[];
  /** Every input file, where its diagnostics are collected. */
  files: VFile[];
}

/** Every input the link stage needs, read in parallel. `scaffold`: the alert pages' template is only needed when pages are written. */
export async function loadSiteInputs(config: ResolvedConfig, options: { cache?: LoadCache; scaffold: boolean; listings?: Listings }): Promise<SiteInputs> {
  const introFile = config.introFile;
  const introPromise: Promise<Runbook | undefined> = introFile
    ? loadRunbook(path.dirname(introFile), path.basename(introFile)).then(
        // Named from the runbooks folder (`../README.md` for the repository's README), so that its
        // links are read from where it is, as GitHub reads them.
        (intro) => ({ ...intro, file: path.relative(config.runbooksDir, introFile).split(path.sep).join('/') }),
        () => {
          throw new RunbookSiteError('FolderNotFound', { what: 'intro', path: config.intro ?? '' });
        },
      )
    : Promise.resolve(undefined);
  const [ruleFiles, runbooks, intro, scaffoldTemplate, shortcodeSources, resourceFiles, staticFiles] = await Promise.all([
    config.rulesMissing ? Promise.resolve([]) : loadRuleFiles(config.rulesDir, options.cache, options.listings),
    loadRunbooks(config.runbooksDir, options.cache, { prefix: config.urlPrefix, uglyURLs: config.uglyURLs }, options.listings),
    introPromise,
    options.scaffold ? loadScaffoldTemplate(DEFAULT_TEMPLATES_DIR, config.templatesDir) : Promise.resolve(undefined),
    loadShortcodeSources(config),
    listKnownFiles(config.runbooksDir, (name) => !name.toLowerCase().endsWith('.md'), options.listings),
    config.staticDir ? listFiles(config.staticDir, () => true) : Promise.resolve([]),
  ]);
  const files: VFile[] = [...ruleFiles.map((f) => f.vfile), ...runbooks.map((r) => r.vfile), ...(intro ? [intro.vfile] : [])];
  return { ruleFiles, runbooks, intro, scaffoldTemplate, shortcodeSources, resourceFiles, staticFiles, files };
}

/** What of the files beside the content is published, and where. */
export interface PublishedFiles {
  /** Files next to the runbooks (relative to the runbooks folder) → their output paths. */
  publishedResources: Map<string, string>;
  /** Files of the static folder that are published (relative to it, which is their output path). */
  staticFiles: string[];
  /** Static files that could not be published, with the warning saying why: add them to the report. */
  reported: VFile[];
}

/**
 * Reports what rendering found on the runbooks it came from, then checks every rendered link
 * site-wide. Returns the files next to the runbooks that are published (those pages reference,
 * and leaf bundles' files), each with the output path it claimed; one whose path a page or
 * another output has is an error at its first reference. Static files are claimed last, as Hugo
 * lets pages win over them: one where a page or a folder of pages is, is a warning and left out.
 */
export function checkRenderedPages(site: Site, inputs: Pick<SiteInputs, 'intro' | 'staticFiles'>, rendered: Map<string, RenderedPage>, problems: PageProblem[], config: ResolvedConfig): PublishedFiles {
  const runbookByUrl = new Map<string, Runbook>(site.runbooks.map((runbook) => [runbook.url, runbook]));
  if (inputs.intro) runbookByUrl.set('', inputs.intro);
  for (const problem of problems) {
    const runbook = runbookByUrl.get(problem.url);
    if (!runbook) continue;
    const start = pointAt(runbook.body, problem.start, runbook.bodyStart);
    reportError(runbook.vfile, problem.message, { start, end: pointAt(runbook.body, problem.end, runbook.bodyStart) }, problem.ruleId);
  }
  const pageLinks: PageLinks[] = [];
  rendered.forEach((page, url) => {
    const runbook = runbookByUrl.get(url);
    if (runbook) pageLinks.push({ runbook, url, headingIds: page.headingIds, links: page.links });
  });
  const references = checkLinks(pageLinks, {
    urls: site.urls,
    urlByFile: site.urlByFile,
    basePath: config.basePath,
    baseURL: config.baseURL,
    resources: site.resources,
    folders: site.folders,
    staticFiles: new Set(inputs.staticFiles),
    runbooksFolder: site.runbooksFolder,
    projectRoot: config.root,
    repository: config.repository !== undefined,
  });
  checkAlertAnchors(site.alerts, site.ruleFiles, config, (url) => rendered.get(url)?.headingIds);
  const published = new Map<string, string>();
  const publish = (file: string, runbook: Runbook, place: Point) => {
    const claimed = site.paths.claim({
      kind: 'asset',
      sitePath: site.resources[file],
      what: `file \`${file}\``,
      owner: `the file \`${file}\``,
      file: runbook.vfile,
      place,
      advice: 'a file name that no page of the site uses: rename the file',
    });
    if (claimed) published.set(file, claimed.outputPath);
  };
  for (const [file, reference] of [...references].sort(([a], [b]) => byCodePoint(a, b))) publish(file, reference.runbook, reference.place);
  for (const file of site.bundleResources) {
    if (published.has(file)) continue;
    const bundle = site.runbooks.find((runbook) => runbook.role === 'bundle' && file.startsWith(`${(runbook.folder ?? []).join('/')}/`));
    if (bundle) publish(file, bundle, { line: 1, column: 1 });
  }
  const staticFiles: string[] = [];
  const reported: VFile[] = [];
  for (const file of config.staticDir ? inputs.staticFiles : []) {
    const vfile = new VFile({ path: path.join(config.staticDir!, file), value: '' });
    const claimed = site.paths.claim({
      kind: 'asset',
      // A static file's name is its address as it is: escape what a URL would read otherwise.
      sitePath: file.split('/').map((segment) => encodeURIComponent(segment)).join('/'),
      what: `static file \`${file}\``,
      owner: `the static file \`${file}\``,
      file: vfile,
      place: { line: 1, column: 1 },
      conflictRuleId: 'static-conflict',
      advice: 'a path that no page uses (the file is left out of the site): rename or remove it',
      severity: 'warning',
    });
    if (claimed) staticFiles.push(file);
    else reported.push(vfile);
  }
  return { publishedResources: published, staticFiles, reported };
}
