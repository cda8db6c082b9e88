// Link stage: connects alerts and runbooks, assigns URLs, builds the site graph and runs the
// site-wide checks that need no rendering. It reads nothing from disk and writes nothing.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { LoadedRule, RuleFile, Runbook, ShortcodeToken } from '../model.js';
import type { ResolvedConfig } from '../config/load.js';
import { pointAt, reportError, reportNote, reportWarning } from '../diagnostics.js';
import type { AlertRow, NavLink, PageData, RuleEmbed, SiteInfo } from '../render/page-data.js';
import { RUNBOOKS_URL_PREFIX, hugoSlug, outputPathFor } from './urls.js';

/** One alerting-rule definition and the runbook linked to it. */
export interface AlertLink {
  rule: LoadedRule;
  runbook?: Runbook;
  /** Why this runbook: front matter `alert:`, a `rule` shortcode, or the file name. */
  via?: 'front-matter' | 'shortcode' | 'file-name';
}

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

export interface Coverage {
  /** Distinct alert names. */
  alerts: number;
  /** Distinct alert names whose every definition has a runbook. */
  withRunbook: number;
  /** Names with at least one definition that has no runbook, sorted, each once. */
  withoutRunbook: string[];
  /** Runbook files (relative to the runbooks folder) linked to no alert, sorted. */
  orphanRunbooks: string[];
}

export interface Site {
  info: SiteInfo;
  ruleFiles: RuleFile[];
  runbooks: Runbook[];
  alerts: AlertLink[];
  root: Section;
  pages: PageData[];
  coverage: Coverage;
  /** Runbook file (relative to the runbooks folder) → page URL, for rewriting `.md` links. */
  urlByFile: Record<string, string>;
  /** Every URL the site will have (site-relative), for link checks. */
  urls: Set<string>;
  /** Old URLs (front matter `aliases`) that redirect to a page. */
  redirects: Redirect[];
}

export interface Redirect {
  /** Output file, e.g. old/path/index.html */
  outputPath: string;
  /** Site-relative URL of the old address. */
  from: string;
  /** Site-relative URL of the page it now leads to. */
  to: string;
}

const KNOWN_SHORTCODES = new Set(['rule', 'comment']);

function byWeightThenTitle<T extends { weight?: number; title: string }>(a: T, b: T): number {
  const wa = a.weight ?? Number.POSITIVE_INFINITY;
  const wb = b.weight ?? Number.POSITIVE_INFINITY;
  if (wa !== wb) return wa < wb ? -1 : 1;
  const ta = a.title.toLowerCase();
  const tb = b.title.toLowerCase();
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

export function runbookTitle(runbook: Runbook): string {
  const title = runbook.frontMatter.title;
  if (typeof title === 'string' && title.trim()) return title;
  if (runbook.isSectionIndex) return runbook.sectionPath[runbook.sectionPath.length - 1] ?? 'Runbooks';
  return path.posix.basename(runbook.file, '.md');
}

function tokenPlace(runbook: Runbook, token: ShortcodeToken) {
  return { start: pointAt(runbook.body, token.start, runbook.bodyStart), end: pointAt(runbook.body, token.end, runbook.bodyStart) };
}

function severityOf(rule: LoadedRule): string {
  return rule.labels.severity ?? '';
}

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** A rule path as written in a shortcode, made relative to the rules folder; undefined if it leaves it. */
export function normaliseRulePath(written: string): string | undefined {
  if (written.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(written) || written.includes('\\')) return undefined;
  const normal = path.posix.normalize(written);
  if (normal === '..' || normal.startsWith('../') || normal === '.') return undefined;
  return normal;
}

/** True when `relative` exists under `root` but resolves (through symlinks) outside it. Only asked on the error path. */
function leavesFolder(root: string, relative: string): boolean {
  try {
    const real = realpathSync(path.join(root, relative));
    const realRoot = realpathSync(root);
    return real !== realRoot && !real.startsWith(realRoot + path.sep);
  } catch {
    return false;
  }
}

/** Hugo-style alias: `/x/y/` is site-relative (with or without the base path), `old-name` is relative to the page's folder. */
function aliasUrl(alias: string, pageUrl: string, basePath: string): string | undefined {
  let target = alias.trim();
  if (!target || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return undefined;
  if (target.startsWith(basePath)) target = target.slice(basePath.length);
  else if (target.startsWith('/')) target = target.slice(1);
  else target = path.posix.join(path.posix.dirname(pageUrl.replace(/\/$/, '')), target);
  const normal = path.posix.normalize(target).replace(/^\.\/?/, '');
  if (normal.startsWith('..') || normal === '') return undefined;
  return normal.endsWith('.html') || normal.endsWith('/') ? normal : normal + '/';
}

function repositoryUrl(config: ResolvedConfig, kind: 'edit' | 'blob', absoluteFile: string): string | undefined {
  if (!config.repository) return undefined;
  const { url, branch, path: inRepo } = config.repository;
  const relative = path.relative(config.root, absoluteFile).split(path.sep).join('/');
  if (relative.startsWith('../')) return undefined;
  const full = [inRepo.replace(/^\/|\/$/g, ''), relative].filter(Boolean).join('/');
  return `${url.replace(/\/$/, '')}/${kind}/${encodeURIComponent(branch)}/${full.split('/').map(encodeURIComponent).join('/')}`;
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
}

export function linkSite({ config, ruleFiles, runbooks: allRunbooks, version, intro, gitDates }: LinkOptions): Site {
  const info: SiteInfo = {
    title: config.title,
    baseURL: config.baseURL,
    basePath: config.basePath,
    prometheusURL: config.prometheusURL,
    grafanaURL: config.grafanaURL,
    version,
  };
  const runbooks = allRunbooks.filter((runbook) => runbook.frontMatter.draft !== true);

  // --- Rule index -----------------------------------------------------------------------
  const ruleFileByPath = new Map(ruleFiles.map((file) => [file.path, file]));
  const alerts: AlertLink[] = [];
  const definitionsByName = new Map<string, AlertLink[]>();
  for (const file of ruleFiles) {
    for (const group of file.groups) {
      for (const rule of group.rules) {
        if (rule.kind !== 'alert') continue;
        const link: AlertLink = { rule };
        alerts.push(link);
        const key = rule.name.toLowerCase();
        const list = definitionsByName.get(key) ?? [];
        list.push(link);
        definitionsByName.set(key, list);
      }
    }
  }

  // --- Unique URLs ------------------------------------------------------------------------
  const byUrl = new Map<string, Runbook>();
  const pagesRunbooks: Runbook[] = [];
  for (const runbook of runbooks) {
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

  // --- Shortcodes: validate names and rule references ---------------------------------------
  const embedsByRunbook = new Map<Runbook, RuleEmbed[]>();
  for (const runbook of pagesRunbooks) {
    const embeds: RuleEmbed[] = [];
    runbook.shortcodes.forEach((token, index) => {
      if (token.type === 'escaped') return;
      if (!KNOWN_SHORTCODES.has(token.name)) {
        reportError(
          runbook.vfile,
          `Unexpected shortcode \`${token.name}\`, expected \`rule\` or \`comment\``,
          tokenPlace(runbook, token),
          'unknown-shortcode',
        );
        return;
      }
      if (token.name !== 'rule') return;
      if (token.type === 'close') {
        reportError(runbook.vfile, 'Unexpected closing `rule` shortcode: `rule` takes no content', tokenPlace(runbook, token), 'shortcode-arguments');
        return;
      }
      const [written, alertName] = token.args;
      if (token.args.length !== 2 || !written || !alertName) {
        reportError(
          runbook.vfile,
          `Unexpected ${token.args.length} argument${token.args.length === 1 ? '' : 's'} to \`rule\`, expected a rule file and an alert name: \`{{% rule "dir/file.yml" "AlertName" %}}\``,
          tokenPlace(runbook, token),
          'shortcode-arguments',
        );
        return;
      }
      const rulePath = normaliseRulePath(written);
      if (rulePath === undefined) {
        reportError(
          runbook.vfile,
          `Unexpected rule path \`${written}\` outside the rules folder, expected a path relative to it`,
          tokenPlace(runbook, token),
          'rule-path-outside',
        );
        return;
      }
      const ruleFile = ruleFileByPath.get(rulePath);
      if (!ruleFile && leavesFolder(config.rulesDir, rulePath)) {
        reportError(
          runbook.vfile,
          `Unexpected rule path \`${written}\`: it is a link that leads outside the rules folder, expected a file inside it`,
          tokenPlace(runbook, token),
          'rule-path-outside',
        );
        return;
      }
      if (!ruleFile) {
        reportError(
          runbook.vfile,
          `Unexpected rule file \`${written}\`: no such file in the rules folder \`${path.relative(config.cwd, config.rulesDir) || '.'}\``,
          tokenPlace(runbook, token),
          'rule-file-not-found',
        );
        return;
      }
      const rules = ruleFile.groups.flatMap((group) => group.rules).filter((rule) => rule.kind === 'alert' && rule.name === alertName);
      if (rules.length === 0) {
        const names = ruleFile.groups.flatMap((group) => group.rules).filter((r) => r.kind === 'alert').map((r) => r.name);
        const close = names.find((name) => name.toLowerCase() === alertName.toLowerCase());
        // A warning, not an error: real sites keep runbooks for alerts removed from the rules
        // (srerun has nine). The page shows a notice in the rule's place; --strict fails on it.
        reportWarning(
          runbook.vfile,
          `Unexpected alert \`${alertName}\`: not defined in \`${written}\`${close ? `; did you mean \`${close}\`?` : ''}. Fix the name, or remove the shortcode if the alert was deleted`,
          tokenPlace(runbook, token),
          'alert-not-found',
        );
        embeds.push({ token: index, rules: [], missing: { file: written, alert: alertName } });
        return;
      }
      embeds.push({ token: index, rules });
    });
    embedsByRunbook.set(runbook, embeds);
  }

  // --- Alert ↔ runbook -------------------------------------------------------------------
  // Precedence per definition: front matter `alert:` > a `rule` shortcode for that file and alert >
  // file name equal to the alert name (in the section named after the rule file when several match).
  const ruleLinks = new Map<Runbook, LoadedRule[]>();
  const claim = (link: AlertLink, runbook: Runbook, via: AlertLink['via']) => {
    const rank = { 'front-matter': 3, shortcode: 2, 'file-name': 1 } as const;
    if (link.runbook && rank[link.via!] >= rank[via!]) return;
    link.runbook = runbook;
    link.via = via;
  };
  const linkByRule = new Map(alerts.map((link) => [link.rule, link]));
  const runbooksByStem = new Map<string, Runbook[]>();
  for (const runbook of pagesRunbooks) {
    if (runbook.isSectionIndex) continue;
    for (const name of asList(runbook.frontMatter.alert)) {
      const links = definitionsByName.get(name.toLowerCase());
      if (!links) {
        reportWarning(runbook.vfile, `Unexpected alert \`${name}\` in front matter \`alert:\`: no rule file defines it`, { line: 1, column: 1 }, 'alert-not-found');
        continue;
      }
      for (const link of links) claim(link, runbook, 'front-matter');
    }
    for (const embed of embedsByRunbook.get(runbook) ?? []) {
      for (const rule of embed.rules) {
        const link = linkByRule.get(rule);
        if (link) claim(link, runbook, 'shortcode');
      }
    }
    const stem = path.posix.basename(runbook.file, '.md').toLowerCase();
    const list = runbooksByStem.get(stem) ?? [];
    list.push(runbook);
    runbooksByStem.set(stem, list);
  }
  for (const link of alerts) {
    if (link.runbook) continue;
    const candidates = runbooksByStem.get(link.rule.name.toLowerCase());
    if (!candidates) continue;
    const fileStem = path.posix.basename(link.rule.file).replace(/\.ya?ml$/i, '').toLowerCase();
    const preferred = candidates.find((runbook) => runbook.sectionPath[runbook.sectionPath.length - 1]?.toLowerCase() === fileStem);
    if (preferred) claim(link, preferred, 'file-name');
    else if (candidates.length === 1) claim(link, candidates[0], 'file-name');
  }
  for (const link of alerts) {
    if (!link.runbook) continue;
    const list = ruleLinks.get(link.runbook) ?? [];
    list.push(link.rule);
    ruleLinks.set(link.runbook, list);
  }

  // --- Coverage and annotation checks ---------------------------------------------------------
  const base = new URL(config.baseURL);
  for (const link of alerts) {
    const rule = link.rule;
    const file = ruleFileByPath.get(rule.file)!;
    if (!link.runbook) {
      reportWarning(file.vfile, `Unexpected alert \`${rule.name}\` without a runbook, expected a runbook named \`${rule.name}.md\` or one that embeds it`, rule.position, 'missing-runbook');
    }
    for (const key of ['runbook_url', 'runbook']) {
      const value = rule.annotations[key];
      if (!value || value.includes('{{')) continue;
      let target: URL;
      try {
        target = new URL(value);
      } catch {
        continue;
      }
      if (target.host !== base.host || !target.pathname.startsWith(config.basePath)) continue;
      let written: string;
      try {
        written = decodeURIComponent(target.pathname.slice(config.basePath.length)).replace(/\/?$/, '/');
      } catch {
        written = target.pathname.slice(config.basePath.length).replace(/\/?$/, '/');
      }
      const expected = link.runbook?.url;
      if (expected && written === expected) continue;
      const should = expected ? new URL(expected, config.baseURL).href : undefined;
      reportWarning(
        file.vfile,
        should
          ? `Unexpected \`${key}\` \`${value}\` for alert \`${rule.name}\`: no page is generated there, expected \`${should}\``
          : `Unexpected \`${key}\` \`${value}\` for alert \`${rule.name}\`: no page is generated there and the alert has no runbook`,
        rule.position,
        'runbook-url-mismatch',
      );
    }
  }
  const names = new Map<string, { covered: boolean; display: string }>();
  for (const link of alerts) {
    const key = link.rule.name;
    const entry = names.get(key) ?? { covered: true, display: key };
    entry.covered &&= Boolean(link.runbook);
    names.set(key, entry);
  }
  const orphanRunbooks: string[] = [];
  for (const runbook of pagesRunbooks) {
    if (runbook.isSectionIndex || ruleLinks.has(runbook)) continue;
    orphanRunbooks.push(runbook.file);
    reportNote(runbook.vfile, 'Unexpected orphan runbook: no alert links to it (name the alert in front matter `alert:` or embed it with `rule`)', { line: 1, column: 1 }, 'orphan-runbook');
  }
  const withoutRunbook = [...names.values()].filter((entry) => !entry.covered).map((entry) => entry.display).sort();
  const coverage: Coverage = {
    alerts: names.size,
    withRunbook: names.size - withoutRunbook.length,
    withoutRunbook,
    orphanRunbooks: orphanRunbooks.sort(),
  };

  // --- Sections ------------------------------------------------------------------------------
  const root: Section = { path: [], url: RUNBOOKS_URL_PREFIX, title: 'Runbooks', sections: [], runbooks: [], count: 0 };
  const sectionByKey = new Map<string, Section>([['', root]]);
  const sectionFor = (segments: string[]): Section => {
    const key = segments.join('/');
    let section = sectionByKey.get(key);
    if (section) return section;
    const parent = sectionFor(segments.slice(0, -1));
    section = {
      path: segments,
      url: RUNBOOKS_URL_PREFIX + segments.map((s) => hugoSlug(s) + '/').join(''),
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
      section.title = runbookTitle(runbook);
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

  // --- Pages ---------------------------------------------------------------------------------
  const urlByFile: Record<string, string> = {};
  for (const runbook of pagesRunbooks) urlByFile[runbook.file] = runbook.url;

  const topSections: NavLink[] = root.sections.map((section) => ({ title: section.title, url: section.url, count: section.count }));
  const navFor = (currentSection: Section | undefined): NavLink[] => {
    const top = currentSection?.path[0];
    return topSections.map((link, i) => (top !== undefined && root.sections[i].path[0] === top ? { ...link, current: true } : link));
  };
  const breadcrumbsFor = (segments: string[]): NavLink[] => {
    const crumbs: NavLink[] = [{ title: 'Home', url: '' }, { title: root.title, url: root.url }];
    for (let i = 1; i <= segments.length; i++) {
      const section = sectionByKey.get(segments.slice(0, i).join('/'))!;
      crumbs.push({ title: section.title, url: section.url });
    }
    return crumbs;
  };
  const childrenOf = (section: Section, currentUrl?: string): NavLink[] => [
    ...section.sections.map((child) => ({ title: child.title, url: child.url, count: child.count, current: child.url === currentUrl })),
    ...section.runbooks.map((runbook) => ({
      title: runbookTitle(runbook),
      url: runbook.url,
      description: typeof runbook.frontMatter.description === 'string' ? runbook.frontMatter.description : undefined,
      current: runbook.url === currentUrl,
    })),
  ];
  const tagIndex = new Map<string, { title: string; runbooks: Runbook[] }>();
  for (const runbook of pagesRunbooks) {
    for (const tag of runbook.frontMatter.tags ?? []) {
      const slug = hugoSlug(tag);
      if (!slug) continue;
      const entry = tagIndex.get(slug) ?? { title: tag, runbooks: [] };
      entry.runbooks.push(runbook);
      tagIndex.set(slug, entry);
    }
  }
  const tagLinks = (runbook: Runbook): NavLink[] =>
    (runbook.frontMatter.tags ?? []).filter((tag) => hugoSlug(tag)).map((tag) => ({ title: tag, url: `tags/${hugoSlug(tag)}/` }));

  const markdownOf = (runbook: Runbook): PageData['markdown'] => ({
    body: runbook.body,
    file: path.relative(config.root, runbook.vfile.path).split(path.sep).join('/'),
    shortcodes: runbook.shortcodes,
    embeds: embedsByRunbook.get(runbook) ?? [],
    startLine: runbook.bodyStart.line,
  });
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
    sections: topSections,
    breadcrumbs: [],
    children: topSections,
    stats,
  });
  const sectionPages = (section: Section) => {
    const parent = section.path.length > 0 ? sectionByKey.get(section.path.slice(0, -1).join('/'))! : undefined;
    pages.push({
      ...emptyPage,
      kind: 'section',
      url: section.url,
      outputPath: outputPathFor(section.url),
      title: section.title,
      description: typeof section.index?.frontMatter.description === 'string' ? section.index.frontMatter.description : undefined,
      site: info,
      markdown: section.index && !section.index.empty ? markdownOf(section.index) : undefined,
      frontMatter: (section.index?.frontMatter ?? {}) as Record<string, unknown>,
      sections: navFor(section.path.length ? section : undefined),
      sectionPages: parent ? childrenOf(parent, section.url) : [],
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
      description: typeof runbook.frontMatter.description === 'string' ? runbook.frontMatter.description : undefined,
      site: info,
      markdown: markdownOf(runbook),
      frontMatter: runbook.frontMatter as Record<string, unknown>,
      rules: ruleLinks.get(runbook) ?? [],
      ruleSourceUrls: ruleSourceUrlsFor([...(ruleLinks.get(runbook) ?? []), ...(embedsByRunbook.get(runbook) ?? []).flatMap((e) => e.rules)]),
      tags: tagLinks(runbook),
      sections: navFor(section),
      sectionPages: childrenOf(section, runbook.url),
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
      sourceUrl: repositoryUrl(config, 'blob', path.join(config.rulesDir, link.rule.file)),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  pages.push({
    ...emptyPage,
    kind: 'alerts',
    url: 'alerts/',
    outputPath: 'alerts/index.html',
    title: 'Alerts',
    site: info,
    sections: topSections,
    breadcrumbs: [{ title: 'Home', url: '' }],
    alertRows,
    stats,
  });
  const tagNav: NavLink[] = [...tagIndex.entries()]
    .map(([slug, entry]) => ({ title: entry.title, url: `tags/${slug}/`, count: entry.runbooks.length }))
    .sort((a, b) => byWeightThenTitle(a, b));
  pages.push({ ...emptyPage, kind: 'tags', url: 'tags/', outputPath: 'tags/index.html', title: 'Tags', site: info, sections: topSections, breadcrumbs: [{ title: 'Home', url: '' }], children: tagNav });
  for (const [slug, entry] of [...tagIndex.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    pages.push({
      ...emptyPage,
      kind: 'tag',
      url: `tags/${slug}/`,
      outputPath: `tags/${slug}/index.html`,
      title: entry.title,
      site: info,
      sections: topSections,
      breadcrumbs: [{ title: 'Home', url: '' }, { title: 'Tags', url: 'tags/' }],
      children: entry.runbooks
        .map((runbook) => ({ title: runbookTitle(runbook), url: runbook.url }))
        .sort((a, b) => byWeightThenTitle(a, b)),
    });
  }
  pages.push({ ...emptyPage, kind: '404', url: '404.html', outputPath: '404.html', title: 'Page not found', site: info, sections: topSections, breadcrumbs: [] });

  const urls = new Set(pages.map((page) => page.url));
  const redirects: Redirect[] = [];
  const redirectByUrl = new Map<string, Runbook>();
  for (const runbook of pagesRunbooks) {
    for (const alias of runbook.frontMatter.aliases ?? []) {
      const from = aliasUrl(alias, runbook.url, config.basePath);
      if (from === undefined) {
        reportError(runbook.vfile, `Unexpected alias \`${alias}\`: it leaves the site, expected a path such as \`/runbooks/old-name/\``, { line: 1, column: 1 }, 'alias-invalid');
        continue;
      }
      const other = redirectByUrl.get(from);
      if (urls.has(from) || other) {
        reportError(
          runbook.vfile,
          `Unexpected alias \`${alias}\`: \`/${from}\` is already ${other ? `an alias of \`${other.file}\`` : 'a page'}, expected an unused old address`,
          { line: 1, column: 1 },
          'alias-conflict',
        );
        continue;
      }
      redirectByUrl.set(from, runbook);
      redirects.push({ outputPath: from.endsWith('.html') ? from : outputPathFor(from), from, to: runbook.url });
    }
  }
  for (const redirect of redirects) urls.add(redirect.from);
  return { info, ruleFiles, runbooks: pagesRunbooks, alerts, root, pages, coverage, urlByFile, urls, redirects };
}
