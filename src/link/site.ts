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
import { resolveShortcodes, type ShortcodeSources } from './shortcode-references.js';

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
  /** The site's own shortcodes (and a Hugo site's, for messages), listed by the load stage. */
  shortcodeSources?: ShortcodeSources;
}

/** Drafts are not built; a second runbook on a URL is an error and is left out. */
function publishedRunbooks(runbooks: Runbook[]): Runbook[] {
  const byUrl = new Map<string, Runbook>();
  const pagesRunbooks: Runbook[] = [];
  for (const runbook of runbooks) {
    if (runbook.frontMatter.draft === true) continue;
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

export function linkSite({ config, ruleFiles, runbooks, version, intro, gitDates, scaffoldTemplate, shortcodeSources }: LinkOptions): Site {
  const info: SiteInfo = {
    title: config.title,
    baseURL: config.baseURL,
    basePath: config.basePath,
    sectionsUrl: RUNBOOKS_URL_PREFIX,
    prometheusURL: config.prometheusURL,
    grafanaURL: config.grafanaURL,
    version,
  };
  const pagesRunbooks = publishedRunbooks(runbooks);
  const { embedsByRunbook, resolvedByRunbook } = resolveShortcodes(intro ? [...pagesRunbooks, intro] : pagesRunbooks, ruleFiles, config, shortcodeSources, pagesRunbooks);
  const { alerts, ruleLinks } = linkAlerts(ruleFiles, pagesRunbooks, embedsByRunbook);
  const placements = placeRunbooks(alerts, pagesRunbooks, config);
  const coverage = checkCoverage(alerts, ruleFiles, pagesRunbooks, ruleLinks, config, placements);
  const { root, sectionByKey } = buildSections(pagesRunbooks);
  const alertPages = buildAlertPages({ config, info, ruleFiles, alerts, placements, scaffoldTemplate });
  const { pages, urlByFile, urls, redirects } = buildPages({ config, info, pagesRunbooks, root, sectionByKey, embedsByRunbook, resolvedByRunbook, ruleLinks, alerts, coverage, intro, gitDates, alertPages });
  checkRunbookAnnotations(alerts, ruleFiles, config, { urls, redirects });
  return { info, ruleFiles, runbooks: pagesRunbooks, alerts, pages, coverage, urlByFile, urls, redirects, placements };
}
