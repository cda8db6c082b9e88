// Link stage: connects alerts and runbooks, assigns URLs, builds the site graph and runs the
// site-wide checks that need no rendering. It reads nothing from disk and writes nothing.
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { reportError } from '../diagnostics.js';
import type { RuleFile, Runbook } from '../model.js';
import type { PageData, SiteInfo } from '../render/page-data.js';
import { RUNBOOKS_URL_PREFIX, sectionUrl, type Repository } from './urls.js';
import { createSitePaths, resolveSitePath, type SitePaths } from './site-paths.js';
import { checkCoverage, checkRunbookAnnotations, documentationOf, linkAlerts, type AlertLink, type Coverage } from './alerts.js';
import { buildAlertPages } from './alert-pages.js';
import { placeRunbooks } from './placement.js';
import { buildPages, buildSections, claimGeneratedPages, SECTION_MERGED_PAGES, type Redirect, type Section } from './pages.js';
import { resolveShortcodes, type ShortcodeSources } from './shortcode-references.js';
import { bundleResources, resourceSitePaths } from './resources.js';

export type { AlertLink, Coverage, Redirect, Section };

export interface Site {
  info: SiteInfo;
  /** Every output path claimed so far; files next to the runbooks are claimed once rendering shows which are used. */
  paths: SitePaths;
  ruleFiles: RuleFile[];
  runbooks: Runbook[];
  alerts: AlertLink[];
  pages: PageData[];
  coverage: Coverage;
  /**
   * Runbooks the summary counts: pages that are not section pages, nor documentation (see
   * documentationOf) when some page is the runbook of an alert to tell them apart by.
   */
  runbookCount: number;
  /** Runbook file (relative to the runbooks folder) → page URL, for rewriting `.md` links. */
  urlByFile: Record<string, string>;
  /** Every URL the site will have (site-relative), for link checks. */
  urls: Set<string>;
  /** Old URLs (front matter `aliases`) that redirect to a page. */
  redirects: Redirect[];
  /** Alert name → where its new runbook goes (relative to the runbooks folder), for alerts without one. */
  placements: Map<string, string>;
  /** Non-markdown files under the runbooks folder → the site path each is published at when used. */
  resources: Record<string, string>;
  /** Files of leaf bundles, published with their page whether linked or not. */
  bundleResources: string[];
  /** Folder (relative to the runbooks folder, '' the root) → its section's URL. */
  folders: Record<string, string>;
  /** The runbooks folder from the project root (posix, '' when it is the root). */
  runbooksFolder: string;
  /** Where the project's files are on the web (config `repository`), for links to files the site does not publish. */
  repository?: Repository;
}

export interface LinkOptions {
  config: ResolvedConfig;
  ruleFiles: RuleFile[];
  runbooks: Runbook[];
  version: string;
  /** Home page intro markdown, already loaded. */
  intro?: Runbook;
  /** Absolute path → last commit date (YYYY-MM-DD), when the runbooks are in git. */
  gitDates?: Map<string, string>;
  /** The runbook scaffold template (loaded with the theme), for the alert pages' "Write this runbook" links. */
  scaffoldTemplate?: string;
  /** Files under the runbooks folder that are not markdown (relative paths). */
  resourceFiles?: string[];
  /** The site's own shortcodes (and a Hugo site's, for messages), listed by the load stage. */
  shortcodeSources?: ShortcodeSources;
}

/** The time of a front-matter date, or undefined when it is absent or not a date. */
function timeOf(value: unknown): number | undefined {
  const time = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time) ? undefined : time;
}

/** Not built, as Hugo's defaults: drafts, pages whose `publishDate` is in the future, pages past their `expiryDate`. */
export function isPublished(runbook: Runbook, now: number): boolean {
  if (runbook.frontMatter.draft === true) return false;
  const publish = timeOf(runbook.frontMatter.publishDate);
  if (publish !== undefined && publish > now) return false;
  const expiry = timeOf(runbook.frontMatter.expiryDate);
  return expiry === undefined || expiry > now;
}

/**
 * Unpublished pages (drafts, future `publishDate`, past `expiryDate`) are not built. Each page claims its output path (site-paths.ts): a file or folder name
 * that gives no reachable URL, or a second runbook on a URL (or on a section's), is an error and
 * the runbook is left out. Sections are claimed first: a folder's page exists with or without `_index.md`.
 */
function publishedRunbooks(runbooks: Runbook[], paths: SitePaths, prefix: string): Runbook[] {
  const candidates: Runbook[] = [];
  const now = Date.now();
  for (const runbook of runbooks) {
    if (!isPublished(runbook, now)) continue;
    const problem = resolveSitePath(runbook.url, 'page');
    if ('problem' in problem) {
      reportError(
        runbook.vfile,
        `Unexpected file name \`${runbook.file}\`: its URL \`/${runbook.url}\` ${problem.problem}, so no browser can reach the page; rename the file or folder`,
        { line: 1, column: 1 },
        'unsafe-path',
      );
      continue;
    }
    candidates.push(runbook);
  }
  // Folders whose names give the same URL (`Foo/`, `foo/`) would be two sections on one page.
  const sections = new Map<string, string>();
  /** The first runbook of each section, where a problem with the section's own URL is reported. */
  const firstOf = new Map<string, Runbook>();
  const placed: Runbook[] = [];
  for (const runbook of candidates) {
    let clash: string | undefined;
    for (let depth = 0; depth <= runbook.sectionPath.length && !clash; depth++) {
      const folder = runbook.sectionPath.slice(0, depth).join('/');
      const url = sectionUrl(runbook.sectionPath.slice(0, depth), prefix);
      const other = sections.get(url);
      if (other === undefined) {
        sections.set(url, folder);
        firstOf.set(url, runbook);
      }
      else if (other !== folder) clash = `Unexpected folder \`${folder}\`: its URL \`/${url}\` is already the section \`${other}\`'s, expected one folder per URL: rename or merge them`;
    }
    if (clash) reportError(runbook.vfile, clash, { line: 1, column: 1 }, 'duplicate-url');
    else placed.push(runbook);
  }
  for (const [url, folder] of sections) {
    // A content folder's root is the home page, claimed with the other generated pages; a section
    // at the alerts or tags page's URL is part of that page (SECTION_MERGED_PAGES).
    if (url === '' || SECTION_MERGED_PAGES.has(url)) continue;
    paths.claim({
      kind: 'page',
      sitePath: url,
      what: `section \`${folder || '.'}\``,
      owner: folder ? `the page of the section \`${folder}\`` : 'the runbooks index',
      file: firstOf.get(url)!.vfile,
      place: { line: 1, column: 1 },
      conflictRuleId: 'duplicate-url',
      advice: 'a folder name that no generated page uses: rename the folder',
    });
  }
  const pagesRunbooks: Runbook[] = [];
  for (const runbook of placed) {
    // A section's own page was claimed at its folder's URL above, unless front matter moves it.
    if (!runbook.isSectionIndex || runbook.url !== sectionUrl(runbook.sectionPath, prefix)) {
      const claimed = paths.claim({
        kind: 'page',
        sitePath: runbook.url,
        what: `second page for URL \`/${runbook.url}\``,
        owner: `the page of \`${runbook.file}\``,
        file: runbook.vfile,
        place: { line: 1, column: 1 },
        conflictRuleId: 'duplicate-url',
        advice: 'one page per URL: rename one of the two',
      });
      if (!claimed) continue;
    }
    pagesRunbooks.push(runbook);
  }
  return pagesRunbooks;
}

/**
 * A top-level page at the URL of a generated page that takes a section's text (`content/alerts.md`
 * or `content/tags.md` in a Hugo site) is that page's text, as `content/alerts/_index.md` would
 * be, rather than a second page at its URL. Both at once stay two pages for one URL (an error).
 */
function asGeneratedPageTexts(runbooks: Runbook[]): Runbook[] {
  const indexed = new Set(runbooks.filter((runbook) => runbook.isSectionIndex).map((runbook) => runbook.url));
  return runbooks.map((runbook) => {
    if (runbook.isSectionIndex || runbook.role !== 'page' || !SECTION_MERGED_PAGES.has(runbook.url) || indexed.has(runbook.url)) return runbook;
    const folder = runbook.url.slice(0, -1).split('/');
    indexed.add(runbook.url);
    return { ...runbook, isSectionIndex: true, role: 'section', folder, sectionPath: folder };
  });
}

export function linkSite({ config, ruleFiles, runbooks, version, intro, gitDates, scaffoldTemplate, resourceFiles = [], shortcodeSources }: LinkOptions): Site {
  const info: SiteInfo = {
    title: config.title,
    baseURL: config.baseURL,
    basePath: config.basePath,
    sectionsUrl: config.urlPrefix ?? RUNBOOKS_URL_PREFIX,
    prometheusURL: config.prometheusURL,
    grafanaURL: config.grafanaURL,
    sanitize: config.sanitize,
    typographer: config.typographer,
    emoji: config.emoji,
    version,
    languageCode: config.languageCode ?? 'en',
    params: config.params ?? {},
  };
  const paths = createSitePaths();
  // The generated pages first, so that content which would take their place is what gets the error.
  claimGeneratedPages(paths);
  const pagesRunbooks = publishedRunbooks(asGeneratedPageTexts(runbooks), paths, config.urlPrefix ?? RUNBOOKS_URL_PREFIX);
  const { embedsByRunbook, resolvedByRunbook } = resolveShortcodes(intro ? [...pagesRunbooks, intro] : pagesRunbooks, ruleFiles, config, shortcodeSources, pagesRunbooks);
  const { alerts, ruleLinks, targetOf } = linkAlerts(ruleFiles, pagesRunbooks, embedsByRunbook, config);
  const placements = placeRunbooks(alerts, pagesRunbooks, config, targetOf);
  const isDocumentation = documentationOf(pagesRunbooks, ruleLinks, config);
  const coverage = checkCoverage(alerts, ruleFiles, pagesRunbooks, ruleLinks, config, isDocumentation, placements);
  const { root, sectionByKey } = buildSections(pagesRunbooks, config.urlPrefix ?? RUNBOOKS_URL_PREFIX);
  const alertPages = buildAlertPages({ config, info, ruleFiles, alerts, placements, scaffoldTemplate, paths });
  const { pages, urlByFile, urls, redirects } = buildPages({ config, info, paths, pagesRunbooks, root, sectionByKey, embedsByRunbook, resolvedByRunbook, ruleLinks, alerts, coverage, intro, gitDates, alertPages });
  checkRunbookAnnotations(alerts, ruleFiles, config, { urls, redirects, targetOf });
  const resources = resourceSitePaths(resourceFiles, pagesRunbooks, config.urlPrefix ?? RUNBOOKS_URL_PREFIX);
  // The content root of a Hugo site is the home page.
  const folders = Object.fromEntries([...sectionByKey].map(([key, section]) => [key, section.url]));
  // A bundle's folder (`NodeDown/index.md`, `NodeDown/README.md`) is its page, linked as `../NodeDown/`.
  for (const runbook of pagesRunbooks) if (runbook.role === 'bundle' && runbook.folder) folders[runbook.folder.join('/')] ??= runbook.url;
  // The intro is the home page: a link to its file is a link home.
  if (intro) urlByFile[intro.file] ??= '';
  const runbooksFolder = path.relative(config.root, config.runbooksDir).split(path.sep).join('/');
  const pagesOnly = pagesRunbooks.filter((runbook) => !runbook.isSectionIndex);
  const runbookCount = ruleLinks.size > 0 ? pagesOnly.filter((runbook) => !isDocumentation(runbook)).length : pagesOnly.length;
  return { info, paths, ruleFiles, runbooks: pagesRunbooks, alerts, pages, coverage, runbookCount, urlByFile, urls, redirects, placements, resources, bundleResources: bundleResources(resourceFiles, pagesRunbooks), folders, runbooksFolder, repository: config.repository };
}
