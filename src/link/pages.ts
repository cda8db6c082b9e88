// Link stage, part 3: the section tree and every page's data (navigation, breadcrumbs, listings).
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { reportError } from '../diagnostics.js';
import type { LoadedRule, Runbook } from '../model.js';
import type { AlertRow, NavLink, PageData, RuleEmbed, SiteInfo } from '../render/page-data.js';
import type { ResolvedShortcode } from '../shortcodes/registry.js';
import type { AlertLink, Coverage } from './alerts.js';
import { RUNBOOKS_URL_PREFIX, alertPageUrl, hugoSlug, outputPathFor, repositoryPageUrl, withLineAnchor } from './urls.js';
import { frontMatterKeyPlace } from '../load/runbooks.js';
import type { SitePaths } from './site-paths.js';

export interface Section {
  /** Folder segments from the runbooks root; [] is the root. */
  path: string[];
  url: string;
  title: string;
  weight?: number;
  index?: Runbook;
  sections: Section[];
  runbooks: Runbook[];
  /** Runbooks in this section and below. */
  count: number;
}

export interface Redirect {
  /** Output file, e.g. old/path/index.html */
  outputPath: string;
  /** Site-relative URL of the old address. */
  from: string;
  /** Site-relative URL of the page it now leads to. */
  to: string;
}

function byWeightThenTitle<T extends { weight?: number; title: string }>(a: T, b: T): number {
  const wa = a.weight ?? Number.POSITIVE_INFINITY;
  const wb = b.weight ?? Number.POSITIVE_INFINITY;
  if (wa !== wb) return wa < wb ? -1 : 1;
  const ta = a.title.toLowerCase();
  const tb = b.title.toLowerCase();
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

/** The title in navigation: Hugo's `linkTitle` when set, else the page title. */
export function navTitle(runbook: Runbook): string {
  const linkTitle = runbook.frontMatter.linkTitle;
  return typeof linkTitle === 'string' && linkTitle.trim() ? linkTitle : runbookTitle(runbook);
}

/** A page's description for listings: `description`, else Hugo's `summary`. */
function descriptionOf(runbook: Runbook | undefined): string | undefined {
  const { description, summary } = runbook?.frontMatter ?? {};
  if (typeof description === 'string') return description;
  return typeof summary === 'string' ? summary : undefined;
}

export function runbookTitle(runbook: Runbook): string {
  const title = runbook.frontMatter.title;
  if (typeof title === 'string' && title.trim()) return title;
  if (runbook.heading) return runbook.heading;
  if (runbook.isSectionIndex) return runbook.sectionPath[runbook.sectionPath.length - 1] ?? 'Runbooks';
  return runbook.stem;
}

function severityOf(rule: LoadedRule): string {
  return rule.labels.severity ?? '';
}

/**
 * Hugo-style alias as a site path: `/x/y/` is relative to the site root (as in Hugo, without the
 * base URL's path), `old-name` to the page's folder; undefined for a URL of another site.
 * Dot segments are resolved, and refused above the root, by site-paths.ts.
 */
function aliasSitePath(alias: string, pageUrl: string): string | undefined {
  const target = alias.trim();
  if (!target || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return undefined;
  if (target.startsWith('/')) return target.slice(1);
  const folder = path.posix.dirname(pageUrl.replace(/\/$/, ''));
  return folder === '.' ? target : `${folder}/${target}`;
}

export function repositoryUrl(config: ResolvedConfig, kind: 'edit' | 'blob', absoluteFile: string): string | undefined {
  if (!config.repository) return undefined;
  const relative = path.relative(config.root, absoluteFile).split(path.sep).join('/');
  if (relative.startsWith('../')) return undefined;
  return repositoryPageUrl(config.repository, kind, relative);
}

/** The sidebar lists at most this many of the current section's pages (sections can hold hundreds). */
export const SECTION_NAV_LIMIT = 25;

/** A window of `limit` links around the current one. */
export function sectionWindow(pages: NavLink[], limit = SECTION_NAV_LIMIT): { sectionPages: NavLink[]; sectionPagesHidden: number } {
  if (pages.length <= limit) return { sectionPages: pages, sectionPagesHidden: 0 };
  const current = Math.max(0, pages.findIndex((link) => link.current));
  const start = Math.min(Math.max(0, current - Math.floor(limit / 2)), pages.length - limit);
  return { sectionPages: pages.slice(start, start + limit), sectionPagesHidden: pages.length - limit };
}

export function buildSections(pagesRunbooks: Runbook[], prefix = RUNBOOKS_URL_PREFIX): { root: Section; sectionByKey: Map<string, Section> } {
  const root: Section = { path: [], url: prefix, title: 'Runbooks', sections: [], runbooks: [], count: 0 };
  const sectionByKey = new Map<string, Section>([['', root]]);
  const sectionFor = (segments: string[]): Section => {
    const key = segments.join('/');
    let section = sectionByKey.get(key);
    if (section) return section;
    const parent = sectionFor(segments.slice(0, -1));
    section = {
      path: segments,
      url: prefix + segments.map((s) => hugoSlug(s) + '/').join(''),
      title: segments[segments.length - 1],
      sections: [],
      runbooks: [],
      count: 0,
    };
    parent.sections.push(section);
    sectionByKey.set(key, section);
    return section;
  };
  for (const runbook of pagesRunbooks) {
    const section = sectionFor(runbook.sectionPath);
    if (runbook.isSectionIndex) {
      section.index = runbook;
      // Front matter `url`/`slug` can move a section's own page (in a content folder's root, it is the home page).
      if (section !== root) section.url = runbook.url;
      section.title = navTitle(runbook);
      section.weight = runbook.frontMatter.weight;
    } else {
      section.runbooks.push(runbook);
    }
  }
  const finish = (section: Section): number => {
    section.sections.sort(byWeightThenTitle);
    section.runbooks.sort((a, b) => byWeightThenTitle({ weight: a.frontMatter.weight, title: runbookTitle(a) }, { weight: b.frontMatter.weight, title: runbookTitle(b) }));
    section.count = section.runbooks.length + section.sections.reduce((sum, child) => sum + finish(child), 0);
    return section.count;
  };
  finish(root);
  return { root, sectionByKey };
}

/**
 * A page's markdown part: the runbook's body and shortcodes with what the link stage resolved for
 * them. The one place it is put together (serve's fast render builds it too, and must match).
 */
export function runbookMarkdown(runbook: Runbook, config: Pick<ResolvedConfig, 'root'>, embeds: RuleEmbed[], resolved: Record<number, ResolvedShortcode> | undefined): PageData['markdown'] {
  return {
    body: runbook.body,
    file: path.relative(config.root, runbook.vfile.path).split(path.sep).join('/'),
    shortcodes: runbook.shortcodes,
    embeds,
    ...(resolved && Object.keys(resolved).length > 0 ? { resolved } : {}),
    startLine: runbook.bodyStart.line,
  };
}

export interface PagesInput {
  config: ResolvedConfig;
  /** Output paths claimed so far (sections and runbook pages); this claims the rest. */
  paths: SitePaths;
  info: SiteInfo;
  pagesRunbooks: Runbook[];
  root: Section;
  sectionByKey: Map<string, Section>;
  embedsByRunbook: Map<Runbook, RuleEmbed[]>;
  /** Other resolved shortcodes per runbook (link/shortcode-references.ts). */
  resolvedByRunbook?: Map<Runbook, Record<number, ResolvedShortcode>>;
  ruleLinks: Map<Runbook, LoadedRule[]>;
  alerts: AlertLink[];
  coverage: Coverage;
  intro?: Runbook;
  gitDates?: Map<string, string>;
  /** One page per alert (alert-pages.ts), listed after the alerts page. */
  alertPages?: PageData[];
}

/**
 * Generated pages that a content section of the same URL adds to instead of clashing with: as in
 * Hugo, where `content/tags/_index.md` gives the tags page its title and text, a Hugo site's
 * `content/alerts/` section is the alerts page, its text above the table and its pages listed below.
 */
export const SECTION_MERGED_PAGES = new Set(['alerts/', 'tags/']);

/** The pages every site has, claimed before any content so that content cannot take their place. */
export function claimGeneratedPages(paths: SitePaths): void {
  for (const [url, owner] of [['', 'the home page'], ['alerts/', 'the alerts page'], ['tags/', 'the tags index']]) {
    paths.claim({ kind: 'page', sitePath: url, what: owner, owner });
  }
}

export function buildPages({ config, info, paths, pagesRunbooks, root, sectionByKey, embedsByRunbook, resolvedByRunbook, ruleLinks, alerts, coverage, intro, gitDates, alertPages = [] }: PagesInput): {
  pages: PageData[];
  urlByFile: Record<string, string>;
  urls: Set<string>;
  redirects: Redirect[];
} {
  const urlByFile: Record<string, string> = {};
  for (const runbook of pagesRunbooks) urlByFile[runbook.file] = runbook.url;

  // A Hugo content folder's root is the home page itself, not a `runbooks/` listing.
  const rootIsHome = root.url === '';
  const topSections: NavLink[] = root.sections.map((section) => ({ title: section.title, url: section.url, count: section.count }));
  // The sidebar's list leaves counts out, so that a runbook added elsewhere does not change these pages.
  const sectionsNav: NavLink[] = topSections.map(({ title, url }) => ({ title, url }));
  const breadcrumbsFor = (segments: string[]): NavLink[] => {
    const crumbs: NavLink[] = rootIsHome ? [{ title: 'Home', url: '' }] : [{ title: 'Home', url: '' }, { title: root.title, url: root.url }];
    for (let i = 1; i <= segments.length; i++) {
      const section = sectionByKey.get(segments.slice(0, i).join('/'))!;
      crumbs.push({ title: section.title, url: section.url });
    }
    return crumbs;
  };
  const childrenOf = (section: Section, currentUrl?: string): NavLink[] => [
    ...section.sections.map((child) => ({ title: child.title, url: child.url, count: child.count, current: child.url === currentUrl })),
    ...section.runbooks.map((runbook) => ({
      title: navTitle(runbook),
      url: runbook.url,
      description: descriptionOf(runbook),
      current: runbook.url === currentUrl,
    })),
  ];
  /**
   * `sectionWindow(childrenOf(section, currentUrl))`, without listing the whole section again for
   * each of its pages (a section of n runbooks made n² links): the list is made once per section,
   * and only the links marked current are copies.
   */
  const listed = new Map<Section, NavLink[]>();
  const windowOf = (section: Section, currentUrl: string): ReturnType<typeof sectionWindow> => {
    let links = listed.get(section);
    if (!links) listed.set(section, (links = childrenOf(section)));
    const current = (link: NavLink) => (link.url === currentUrl ? { ...link, current: true } : link);
    if (links.length <= SECTION_NAV_LIMIT) return { sectionPages: links.map(current), sectionPagesHidden: 0 };
    const at = Math.max(0, links.findIndex((link) => link.url === currentUrl));
    const start = Math.min(Math.max(0, at - Math.floor(SECTION_NAV_LIMIT / 2)), links.length - SECTION_NAV_LIMIT);
    return { sectionPages: links.slice(start, start + SECTION_NAV_LIMIT).map(current), sectionPagesHidden: links.length - SECTION_NAV_LIMIT };
  };
  const tagIndex = new Map<string, { title: string; runbooks: Runbook[]; outputPath: string }>();
  /** A runbook's tags that have a page, each with its slug. */
  const tagsOf = new Map<Runbook, { tag: string; slug: string }[]>();
  for (const runbook of pagesRunbooks) {
    const kept: { tag: string; slug: string }[] = [];
    (runbook.frontMatter.tags ?? []).forEach((tag, item) => {
      const slug = hugoSlug(tag);
      if (!slug) return;
      if (!tagIndex.has(slug)) {
        const claimed = paths.claim({
          kind: 'tag',
          sitePath: `tags/${slug}/`,
          what: `tag \`${tag}\``,
          owner: `the page of the tag \`${tag}\``,
          file: runbook.vfile,
          place: () => frontMatterKeyPlace(runbook, 'tags', item),
          advice: 'a tag that names a folder of its own, such as `networking`',
        });
        if (!claimed) return;
        tagIndex.set(slug, { title: tag, runbooks: [], outputPath: claimed.outputPath });
      }
      tagIndex.get(slug)!.runbooks.push(runbook);
      kept.push({ tag, slug });
    });
    tagsOf.set(runbook, kept);
  }
  const tagLinks = (runbook: Runbook): NavLink[] => (tagsOf.get(runbook) ?? []).map(({ tag, slug }) => ({ title: tag, url: `tags/${slug}/` }));

  const markdownOf = (runbook: Runbook): PageData['markdown'] => runbookMarkdown(runbook, config, embedsByRunbook.get(runbook) ?? [], resolvedByRunbook?.get(runbook));
  const lastModifiedOf = (runbook: Runbook): string | undefined => {
    const fromGit = gitDates?.get(runbook.vfile.path);
    if (fromGit) return fromGit;
    const value = runbook.frontMatter.lastmod ?? runbook.frontMatter.date;
    return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
  };
  const ruleSourceUrlsFor = (rules: LoadedRule[]): Record<string, string> | undefined => {
    if (!config.repository || rules.length === 0) return undefined;
    const out: Record<string, string> = {};
    for (const rule of rules) out[rule.file] ??= repositoryUrl(config, 'blob', path.join(config.rulesDir, rule.file)) ?? '';
    return out;
  };
  const emptyPage = { frontMatter: {}, rules: [], tags: [], sectionPages: [], children: [], alertRows: [] };
  const stats = {
    runbooks: pagesRunbooks.filter((r) => !r.isSectionIndex).length,
    alerts: coverage.alerts,
    alertsWithRunbook: coverage.withRunbook,
    sections: sectionByKey.size - 1,
  };

  const pages: PageData[] = [];
  pages.push({
    ...emptyPage,
    kind: 'home',
    url: '',
    outputPath: 'index.html',
    title: config.title,
    site: info,
    markdown: intro ? markdownOf(intro) : root.index && !root.index.empty ? markdownOf(root.index) : undefined,
    sections: sectionsNav,
    breadcrumbs: [],
    // The content root's own pages (an about page…) are listed on the home page with the sections.
    children: rootIsHome ? childrenOf(root) : topSections,
    frontMatter: (rootIsHome ? root.index?.frontMatter ?? {} : {}) as Record<string, unknown>,
    editUrl: rootIsHome && root.index && config.editLinks ? repositoryUrl(config, 'edit', root.index.vfile.path) : undefined,
    stats,
  });
  /** Sections whose page is a generated page (SECTION_MERGED_PAGES), by URL. */
  const mergedSections = new Map<string, Section>();
  const sectionPages = (section: Section) => {
    if (section === root && rootIsHome) {
      root.sections.forEach(sectionPages);
      return;
    }
    if (section !== root && SECTION_MERGED_PAGES.has(section.url)) {
      mergedSections.set(section.url, section);
      section.sections.forEach(sectionPages);
      return;
    }
    const parent = section.path.length > 0 ? sectionByKey.get(section.path.slice(0, -1).join('/'))! : undefined;
    pages.push({
      ...emptyPage,
      kind: 'section',
      url: section.url,
      outputPath: outputPathFor(section.url),
      title: section.title,
      description: descriptionOf(section.index),
      site: info,
      markdown: section.index && !section.index.empty ? markdownOf(section.index) : undefined,
      frontMatter: (section.index?.frontMatter ?? {}) as Record<string, unknown>,
      sections: [],
      ...(parent ? windowOf(parent, section.url) : sectionWindow([])),
      breadcrumbs: breadcrumbsFor(section.path.slice(0, -1)).slice(0, section.path.length === 0 ? 1 : undefined),
      children: childrenOf(section),
      editUrl: section.index && config.editLinks ? repositoryUrl(config, 'edit', section.index.vfile.path) : undefined,
    });
    section.sections.forEach(sectionPages);
  };
  sectionPages(root);
  for (const runbook of pagesRunbooks) {
    if (runbook.isSectionIndex) continue;
    const section = sectionByKey.get(runbook.sectionPath.join('/'))!;
    pages.push({
      ...emptyPage,
      kind: 'runbook',
      url: runbook.url,
      outputPath: outputPathFor(runbook.url),
      title: runbookTitle(runbook),
      description: descriptionOf(runbook),
      site: info,
      markdown: markdownOf(runbook),
      frontMatter: runbook.frontMatter as Record<string, unknown>,
      rules: ruleLinks.get(runbook) ?? [],
      ruleSourceUrls: ruleSourceUrlsFor([...(ruleLinks.get(runbook) ?? []), ...(embedsByRunbook.get(runbook) ?? []).flatMap((e) => e.rules)]),
      tags: tagLinks(runbook),
      sections: [],
      ...windowOf(section, runbook.url),
      breadcrumbs: breadcrumbsFor(runbook.sectionPath),
      editUrl: config.editLinks ? repositoryUrl(config, 'edit', runbook.vfile.path) : undefined,
      lastModified: lastModifiedOf(runbook),
    });
  }
  const alertRows: AlertRow[] = alerts
    .map((link) => ({
      name: link.rule.name,
      severity: severityOf(link.rule),
      group: link.rule.group,
      file: link.rule.file,
      runbookUrl: link.runbook?.url,
      alertPageUrl: alertPageUrl(link.rule.name),
      sourceUrl: withLineAnchor(repositoryUrl(config, 'blob', path.join(config.rulesDir, link.rule.file)), link.rule),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  /** What a content section adds to the generated page at its URL: its title, text and pages. */
  const sectionContent = (url: string, title: string) => {
    const section = mergedSections.get(url);
    if (!section) return { title };
    return {
      title: section.index ? section.title : title,
      description: descriptionOf(section.index),
      markdown: section.index && !section.index.empty ? markdownOf(section.index) : undefined,
      frontMatter: (section.index?.frontMatter ?? {}) as Record<string, unknown>,
      editUrl: section.index && config.editLinks ? repositoryUrl(config, 'edit', section.index.vfile.path) : undefined,
      children: childrenOf(section),
    };
  };
  pages.push({
    ...emptyPage,
    kind: 'alerts',
    url: 'alerts/',
    outputPath: 'alerts/index.html',
    ...sectionContent('alerts/', 'Alerts'),
    site: info,
    sections: sectionsNav,
    breadcrumbs: [{ title: 'Home', url: '' }],
    alertRows,
    stats,
  });
  pages.push(...alertPages);
  const tagNav: NavLink[] = [...tagIndex.entries()]
    .map(([slug, entry]) => ({ title: entry.title, url: `tags/${slug}/`, count: entry.runbooks.length }))
    .sort((a, b) => byWeightThenTitle(a, b));
  // The tags page lists the tags: a `tags` section gives it a title and text (as Hugo's taxonomy page).
  pages.push({ ...emptyPage, kind: 'tags', url: 'tags/', outputPath: 'tags/index.html', ...sectionContent('tags/', 'Tags'), site: info, sections: sectionsNav, breadcrumbs: [{ title: 'Home', url: '' }], children: tagNav });
  for (const [slug, entry] of [...tagIndex.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    pages.push({
      ...emptyPage,
      kind: 'tag',
      url: `tags/${slug}/`,
      outputPath: entry.outputPath,
      title: entry.title,
      site: info,
      sections: sectionsNav,
      breadcrumbs: [{ title: 'Home', url: '' }, { title: 'Tags', url: 'tags/' }],
      children: entry.runbooks
        .map((runbook) => ({ title: runbookTitle(runbook), url: runbook.url }))
        .sort((a, b) => byWeightThenTitle(a, b)),
    });
  }
  pages.push({ ...emptyPage, kind: '404', url: '404.html', outputPath: '404.html', title: 'Page not found', site: info, sections: sectionsNav, breadcrumbs: [] });

  const urls = new Set(pages.map((page) => page.url));
  const redirects: Redirect[] = [];
  for (const runbook of pagesRunbooks) {
    (runbook.frontMatter.aliases ?? []).forEach((alias, item) => {
      // Locating the key re-reads the front matter: only done for a message.
      const place = () => frontMatterKeyPlace(runbook, 'aliases', item);
      const sitePath = aliasSitePath(alias, runbook.url);
      if (sitePath === undefined) {
        reportError(runbook.vfile, `Unexpected alias \`${alias}\`: it leaves the site, expected a path such as \`/runbooks/old-name/\``, place(), 'alias-invalid');
        return;
      }
      const claimed = paths.claim({
        kind: 'alias',
        sitePath,
        what: `alias \`${alias}\``,
        owner: `an alias of \`${runbook.file}\``,
        file: runbook.vfile,
        place,
        conflictRuleId: 'alias-conflict',
        advice: 'an unused old address inside the site, such as `/runbooks/old-name/`',
      });
      if (!claimed) return;
      redirects.push({ outputPath: claimed.outputPath, from: claimed.url, to: runbook.url });
    });
  }
  for (const redirect of redirects) urls.add(redirect.from);
  return { pages, urlByFile, urls, redirects };
}
