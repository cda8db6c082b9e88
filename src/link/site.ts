// Link stage: connects alerts and runbooks, assigns URLs, builds the site graph and runs the
// site-wide checks that need no rendering. It reads nothing from disk and writes nothing.
import type { ResolvedConfig } from '../config/load.js';
import { reportError } from '../diagnostics.js';
import type { RuleFile, Runbook } from '../model.js';
import type { PageData, SiteInfo } from '../render/page-data.js';
import { RUNBOOKS_URL_PREFIX } from './urls.js';
import { checkCoverage, checkRunbookAnnotations, linkAlerts, type AlertLink, type Coverage } from './alerts.js';
import { buildAlertPages } from './alert-pages.js';
import { placeRunbooks } from './placement.js';
import { buildPages, buildSections, type Redirect, type Section } from './pages.js';
import { resolveRuleEmbeds } from './shortcode-references.js';
import { bundleResources, resourceSitePaths } from './resources.js';

export type { AlertLink, Coverage, Redirect, Section };

export interface Site {
  info: SiteInfo;
  ruleFiles: RuleFile[];
  runbooks: Runbook[];
  alerts: AlertLink[];
  pages: PageData[];
  coverage: Coverage;
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

/** Unpublished pages are not built; a second runbook on a URL is an error and is left out. */
function publishedRunbooks(runbooks: Runbook[]): Runbook[] {
  const byUrl = new Map<string, Runbook>();
  const pagesRunbooks: Runbook[] = [];
  const now = Date.now();
  for (const runbook of runbooks) {
    if (!isPublished(runbook, now)) continue;
    const other = byUrl.get(runbook.url);
    if (other) {
      reportError(
        runbook.vfile,
        `Unexpected second page for URL \`/${runbook.url}\`: \`${other.file}\` already maps there. Rename one of the two files`,
        { line: 1, column: 1 },
        'duplicate-url',
      );
      continue;
    }
    byUrl.set(runbook.url, runbook);
    pagesRunbooks.push(runbook);
  }
  return pagesRunbooks;
}

export function linkSite({ config, ruleFiles, runbooks, version, intro, gitDates, scaffoldTemplate, resourceFiles = [] }: LinkOptions): Site {
  const info: SiteInfo = {
    title: config.title,
    baseURL: config.baseURL,
    basePath: config.basePath,
    sectionsUrl: config.urlPrefix ?? RUNBOOKS_URL_PREFIX,
    prometheusURL: config.prometheusURL,
    grafanaURL: config.grafanaURL,
    version,
    languageCode: config.languageCode ?? 'en',
    params: config.params ?? {},
  };
  const pagesRunbooks = publishedRunbooks(runbooks);
  const embedsByRunbook = resolveRuleEmbeds(pagesRunbooks, ruleFiles, config);
  const { alerts, ruleLinks } = linkAlerts(ruleFiles, pagesRunbooks, embedsByRunbook);
  const placements = placeRunbooks(alerts, pagesRunbooks, config);
  const coverage = checkCoverage(alerts, ruleFiles, pagesRunbooks, ruleLinks, config, placements);
  const { root, sectionByKey } = buildSections(pagesRunbooks, config.urlPrefix ?? RUNBOOKS_URL_PREFIX);
  const alertPages = buildAlertPages({ config, info, ruleFiles, alerts, placements, scaffoldTemplate });
  const { pages, urlByFile, urls, redirects } = buildPages({ config, info, pagesRunbooks, root, sectionByKey, embedsByRunbook, ruleLinks, alerts, coverage, intro, gitDates, alertPages });
  checkRunbookAnnotations(alerts, ruleFiles, config, { urls, redirects });
  const resources = resourceSitePaths(resourceFiles, pagesRunbooks, config.urlPrefix ?? RUNBOOKS_URL_PREFIX);
  // The content root of a Hugo site is the home page.
  const folders = Object.fromEntries([...sectionByKey].map(([key, section]) => [key, section.url]));
  return { info, ruleFiles, runbooks: pagesRunbooks, alerts, pages, coverage, urlByFile, urls, redirects, placements, resources, bundleResources: bundleResources(resourceFiles, pagesRunbooks), folders };
}
