// Link stage, part 2: which runbook covers each alert definition; coverage and annotation checks.
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { reportNote, reportWarning } from '../diagnostics.js';
import type { LoadedRule, RuleFile, Runbook } from '../model.js';
import { LAYOUT_IDS, type RuleEmbed } from '../render/page-data.js';
import { closest } from '../edit-distance.js';
import { frontMatterKeyPlace } from '../load/runbooks.js';
import { alertPageUrl, encodeUrlPath, fragmentOf, pageUrlOf, repositoryPath, safeDecode, sitePageUrl } from './urls.js';
import { shellWord } from './placement.js';
import { repositoryFileUrl } from './repository-urls.js';
import { ruleFileStem } from '../rules/file-names.js';
import { candidatesOf, suggestion, type Candidates } from '../shortcodes/suggest.js';

/** One alerting-rule definition and the runbook linked to it. */
export interface AlertLink {
  rule: LoadedRule;
  runbook?: Runbook;
  /**
   * Why this runbook: front matter `alert:`, the rule's runbook annotation naming the page (or its
   * file in the repository), a `rule` shortcode, or the file name.
   */
  via?: 'front-matter' | 'annotation' | 'shortcode' | 'file-name';
  /** The heading the annotation names on the runbook (`…/replication.md#postgresreplicationlag`), decoded. */
  anchor?: string;
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

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** A file name as it is matched to an alert name: `postgres-replication_lag.md` reads `postgresreplicationlag`. */
function looseName(name: string): string {
  return name.toLowerCase().replace(/[-_.\s]/g, '');
}

/** What one runbook annotation value names. */
export type AnnotationTarget =
  /** A runbook of this site, by its page URL (see annotationPageUrl) or, `fromRepository`, its markdown file as a code host shows it. */
  | { runbook: Runbook; anchor?: string; fromRepository: boolean }
  /**
   * A markdown file under the runbooks folder as a code host shows it (`…/blob/main/runbooks/db/x.md`)
   * that is no runbook of this site: `missingRunbook` relative to the runbooks folder, `repositoryPath` as named.
   */
  | { missingRunbook: string; repositoryPath: string }
  | undefined;

/** Reads runbook annotation values against this site's runbooks (made once by linkAlerts, used by placement and the checks). */
export type AnnotationTargets = (value: string) => AnnotationTarget;

function annotationTargets(pagesRunbooks: Runbook[], config: ResolvedConfig): AnnotationTargets {
  const byUrl = new Map<string, Runbook>();
  const byRepositoryPath = new Map<string, Runbook>();
  // The runbooks folder as a repository path. Without a configured repository, from the project
  // root, and never the root itself, which any file of any repository would be under.
  const runbooksFolder = path.relative(config.root, config.runbooksDir).split(path.sep).join('/');
  const runbooksPrefix = runbooksFolder.startsWith('..') ? undefined : config.repository ? repositoryPath(config.repository, runbooksFolder) : runbooksFolder || undefined;
  const underRunbooks = (candidate: string) => runbooksPrefix !== undefined && /\.md$/i.test(candidate) && (runbooksPrefix === '' || candidate.startsWith(`${runbooksPrefix}/`));
  for (const runbook of pagesRunbooks) {
    if (runbook.isSectionIndex) continue;
    byUrl.set(runbook.url, runbook);
    const relative = path.relative(config.root, runbook.vfile.path).split(path.sep).join('/');
    if (relative.startsWith('../')) continue;
    byRepositoryPath.set(repositoryPath(config.repository, relative), runbook);
    // A folder that is one page (`NodeDown/README.md`, a bundle's `index.md`) is also named by the
    // folder's view, where GitHub shows the README: `…/tree/main/runbooks/NodeDown`.
    if (runbook.role === 'bundle') byRepositoryPath.set(repositoryPath(config.repository, path.posix.dirname(relative)), runbook);
  }
  return (value) => {
    if (value.includes('{{')) return undefined;
    const file = repositoryFileUrl(value, config.repository?.url);
    if (file) {
      const runbook = file.paths.map((candidate) => byRepositoryPath.get(candidate)).find(Boolean);
      if (runbook) return { runbook, anchor: file.fragment || undefined, fromRepository: true };
      const named = file.paths.find(underRunbooks);
      return named === undefined ? undefined : { missingRunbook: runbooksPrefix ? named.slice(runbooksPrefix.length + 1) : named, repositoryPath: named };
    }
    const page = annotationPageUrl(value, config);
    const runbook = page === undefined ? undefined : byUrl.get(page);
    if (!runbook) return undefined;
    const hash = value.indexOf('#');
    return { runbook, anchor: hash === -1 ? undefined : safeDecode(value.slice(hash + 1)) || undefined, fromRepository: false };
  };
}

export function linkAlerts(
  ruleFiles: RuleFile[],
  pagesRunbooks: Runbook[],
  embedsByRunbook: Map<Runbook, RuleEmbed[]>,
  config: ResolvedConfig,
): { alerts: AlertLink[]; ruleLinks: Map<Runbook, LoadedRule[]>; targetOf: AnnotationTargets } {
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

  // Precedence per definition: front matter `alert:` > the rule's runbook annotation naming a page
  // (what its notifications link) > a `rule` shortcode for that file and alert > file name equal
  // to the alert name (in the section named after the rule file when several match), then equal
  // but for case, `-`, `_` and `.` (`postgres-replication-lag.md`), when only one file is.
  const ruleLinks = new Map<Runbook, LoadedRule[]>();
  const claim = (link: AlertLink, runbook: Runbook, via: AlertLink['via'], anchor?: string) => {
    const rank = { 'front-matter': 4, annotation: 3, shortcode: 2, 'file-name': 1 } as const;
    if (link.runbook && rank[link.via!] >= rank[via!]) return;
    link.runbook = runbook;
    link.via = via;
    link.anchor = anchor;
  };
  const targetOf = annotationTargets(pagesRunbooks, config);
  const keys = runbookAnnotationKeys(config);
  for (const link of alerts) {
    for (const key of keys) {
      const value = link.rule.annotations[key];
      const target = typeof value === 'string' ? targetOf(value.trim()) : undefined;
      if (target && 'runbook' in target) {
        claim(link, target.runbook, 'annotation', target.anchor);
        break;
      }
    }
  }
  const linkByRule = new Map(alerts.map((link) => [link.rule, link]));
  let alertNames: Candidates | undefined;
  const runbooksByStem = new Map<string, Runbook[]>();
  const runbooksByLooseStem = new Map<string, Runbook[]>();
  for (const runbook of pagesRunbooks) {
    if (runbook.isSectionIndex) continue;
    for (const name of asList(runbook.frontMatter.alert)) {
      const links = definitionsByName.get(name.toLowerCase());
      if (!links) {
        alertNames ??= candidatesOf(new Set(alerts.map((link) => link.rule.name)));
        const near = suggestion(name, alertNames);
        reportWarning(runbook.vfile, `Unexpected alert \`${name}\` in front matter \`alert:\`: no rule file defines it${near ? `; did you mean \`${near}\`?` : ''}`, frontMatterKeyPlace(runbook, 'alert'), 'alert-not-found');
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
    for (const [byStem, stem] of [[runbooksByStem, runbook.stem.toLowerCase()], [runbooksByLooseStem, looseName(runbook.stem)]] as const) {
      const list = byStem.get(stem) ?? [];
      list.push(runbook);
      byStem.set(stem, list);
    }
  }
  for (const link of alerts) {
    if (link.runbook) continue;
    const candidates = runbooksByStem.get(link.rule.name.toLowerCase());
    if (!candidates) {
      const loose = runbooksByLooseStem.get(looseName(link.rule.name));
      if (loose?.length === 1) claim(link, loose[0], 'file-name');
      continue;
    }
    const fileStem = ruleFileStem(link.rule.file).toLowerCase();
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
  return { alerts, ruleLinks, targetOf };
}

/**
 * Which pages are documentation rather than runbooks: in a content folder, those of a top-level
 * section with no runbook of an alert (docs/, posts/, an about page at the root). Outside one, none.
 */
export function documentationOf(pagesRunbooks: Runbook[], ruleLinks: Map<Runbook, LoadedRule[]>, config: ResolvedConfig): (runbook: Runbook) => boolean {
  if (config.contentDir === undefined) return () => false;
  const sectionsWithRunbooks = new Set(pagesRunbooks.filter((runbook) => ruleLinks.has(runbook)).map((runbook) => runbook.sectionPath[0] ?? ''));
  return (runbook) => !sectionsWithRunbooks.has(runbook.sectionPath[0] ?? '');
}

export function checkCoverage(
  alerts: AlertLink[],
  ruleFiles: RuleFile[],
  pagesRunbooks: Runbook[],
  ruleLinks: Map<Runbook, LoadedRule[]>,
  config: ResolvedConfig,
  isDocumentation: (runbook: Runbook) => boolean,
  placements?: Map<string, string>,
): Coverage {
  const ruleFileByPath = new Map(ruleFiles.map((file) => [file.path, file]));
  for (const link of alerts) {
    if (link.runbook) continue;
    const rule = link.rule;
    const file = ruleFileByPath.get(rule.file)!;
    const target = placements?.get(rule.name);
    const shown = target ? displayRunbookPath(config, target) : `${rule.name}.md`;
    reportWarning(file.vfile, `Alert ${rule.name} has no runbook; create ${shown}, or run runbook-site new ${shellWord(rule.name)}`, rule.position, 'missing-runbook');
  }
  const names = new Map<string, { covered: boolean; display: string }>();
  for (const link of alerts) {
    const key = link.rule.name;
    const entry = names.get(key) ?? { covered: true, display: key };
    entry.covered &&= Boolean(link.runbook);
    names.set(key, entry);
  }
  // A page is an orphan runbook only where runbooks are: with no alerts nothing could link it, and
  // documentation (see documentationOf) is not a runbook.
  const orphanRunbooks: string[] = [];
  for (const runbook of names.size === 0 ? [] : pagesRunbooks) {
    if (runbook.isSectionIndex || ruleLinks.has(runbook) || isDocumentation(runbook)) continue;
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
  return coverage;
}

/** A runbook path (relative to the runbooks folder) as messages show it: relative to the working directory. */
export function displayRunbookPath(config: ResolvedConfig, file: string): string {
  return path.relative(config.cwd, path.join(config.runbooksDir, ...file.split('/'))).split(path.sep).join('/');
}

/** The annotations read as an alert's runbook link: the configured one, and the legacy `runbook` when none is configured. */
export function runbookAnnotationKeys(config: ResolvedConfig): string[] {
  return config.runbookAnnotationSet || config.runbookAnnotation !== 'runbook_url' ? [config.runbookAnnotation] : ['runbook_url', 'runbook'];
}

/** True when the site's URL is the default one, i.e. not configured: its host says nothing. */
export function isDefaultBaseURL(config: ResolvedConfig): boolean {
  return config.baseURL === 'http://localhost/';
}

/**
 * The page of this site an annotation URL names, or undefined when it points elsewhere (or is a
 * template). With a configured baseURL: same host, under its path. With the default one (host
 * unknown): any URL whose path has an `alerts/` or `runbooks/` segment, read from that segment.
 */
export function annotationPageUrl(value: string, config: ResolvedConfig): string | undefined {
  if (!value || value.includes('{{')) return undefined;
  let target: URL;
  try {
    target = new URL(value);
  } catch {
    return undefined;
  }
  if (!isDefaultBaseURL(config)) return sitePageUrl(target, new URL(config.baseURL), config.basePath);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return undefined;
  // A code host's view of a file (`github.com/org/runbooks/blob/main/…`) is no page of this site,
  // though a repository named `runbooks` puts that segment in its path.
  if (repositoryFileUrl(value)) return undefined;
  const segments = target.pathname.split('/');
  const at = segments.findIndex((segment, i) => i > 0 && (segment === 'alerts' || segment === 'runbooks'));
  if (at === -1) return undefined;
  return pageUrlOf(safeDecode(segments.slice(at).join('/')));
}

/**
 * True when the runbook annotation should name the alert's runbook page: always with `runbookURL:
 * runbook`; with `alert-page`, when only the annotation names the runbook, which the alert would
 * lose if the annotation pointed at its alert page.
 */
export function annotatesRunbook(link: Pick<AlertLink, 'runbook' | 'via'>, runbookURL: string): boolean {
  return link.runbook !== undefined && (runbookURL === 'runbook' || (runbookURL === 'alert-page' && link.via === 'annotation'));
}

/** What `annotate` would set the annotation to, following the `runbookURL` setting. */
export function expectedAnnotation(name: string, link: Pick<AlertLink, 'runbook' | 'via' | 'anchor'>, config: ResolvedConfig): string {
  const page = alertPageUrl(name);
  let target: string;
  const toRunbook = annotatesRunbook(link, config.runbookURL);
  if (toRunbook) target = link.runbook!.url;
  else if (config.runbookURL === 'alert-page' || config.runbookURL === 'runbook') target = page;
  else target = config.runbookURL.replace(/\{alert\}/g, encodeURIComponent(name)).replace(/\{slug\}/g, page.slice('alerts/'.length, -1));
  try {
    return new URL(encodeUrlPath(target), config.baseURL).href + (toRunbook ? fragmentOf(link.anchor) : '');
  } catch {
    return target;
  }
}

/**
 * Every alert's runbook annotation: missing, or pointing at a page of this site that is not the
 * alert's (its own page, its runbook, or an alias of the runbook), is a warning at the rule.
 */
export function checkRunbookAnnotations(
  alerts: AlertLink[],
  ruleFiles: RuleFile[],
  config: ResolvedConfig,
  site: { urls: Set<string>; redirects: { from: string; to: string }[]; targetOf: AnnotationTargets },
): void {
  const ruleFileByPath = new Map(ruleFiles.map((file) => [file.path, file]));
  const redirectTo = new Map(site.redirects.map((redirect) => [redirect.from, redirect.to]));
  const keys = runbookAnnotationKeys(config);
  for (const link of alerts) {
    const rule = link.rule;
    const file = ruleFileByPath.get(rule.file)!;
    const should = expectedAnnotation(rule.name, link, config);
    const present = keys.filter((key) => typeof rule.annotations[key] === 'string' && rule.annotations[key].trim() !== '');
    if (present.length === 0) {
      reportWarning(
        file.vfile,
        `Alert ${rule.name} has no \`${keys[0]}\` annotation, so its notifications link no runbook; set it to \`${should}\`, or run runbook-site annotate`,
        rule.position,
        'runbook-url-missing',
      );
      continue;
    }
    for (const key of present) {
      const value = rule.annotations[key].trim();
      const target = site.targetOf(value);
      if (target && 'missingRunbook' in target) {
        // The configured repository's runbook file that is no runbook: renamed or deleted since.
        // (Without one configured, the URL may be another repository's.)
        if (config.repository) {
          reportWarning(
            file.vfile,
            `Alert ${rule.name}'s \`${key}\` annotation \`${value}\` points at \`${target.repositoryPath}\` in the repository, which is no runbook of this site; set it to \`${should}\`, or run runbook-site annotate`,
            rule.position,
            'runbook-url-mismatch',
          );
        }
        continue;
      }
      if (target?.fromRepository) {
        if (target.runbook !== link.runbook) {
          reportWarning(
            file.vfile,
            `Alert ${rule.name}'s \`${key}\` annotation \`${value}\` points at the runbook \`${displayRunbookPath(config, target.runbook.file)}\`, which is not this alert's; set it to \`${should}\`, or run runbook-site annotate`,
            rule.position,
            'runbook-url-mismatch',
          );
        }
        continue;
      }
      const written = annotationPageUrl(value, config);
      if (written === undefined) continue;
      const own = new Set([alertPageUrl(rule.name), ...(link.runbook ? [link.runbook.url] : [])]);
      if (own.has(written) || (redirectTo.has(written) && own.has(redirectTo.get(written)!))) continue;
      const what = site.urls.has(written) ? `\`/${written}\`, which is not this alert's page` : `\`/${written}\`, a page this site does not build`;
      reportWarning(
        file.vfile,
        `Alert ${rule.name}'s \`${key}\` annotation \`${value}\` points at ${what}; set it to \`${should}\`, or run runbook-site annotate`,
        rule.position,
        'runbook-url-mismatch',
      );
    }
  }
}

/**
 * The heading a runbook annotation names (`…/replication.md#postgresreplicationlag`) must be on the
 * runbook's page, or the alert's notifications open the page at the top: a warning at the rule,
 * suggesting the closest heading id. Runs on what rendering found, before anything is written.
 */
export function checkAlertAnchors(alerts: AlertLink[], ruleFiles: RuleFile[], config: ResolvedConfig, headingIdsOf: (url: string) => string[] | undefined): void {
  const ruleFileByPath = new Map(ruleFiles.map((file) => [file.path, file]));
  const keys = runbookAnnotationKeys(config);
  for (const link of alerts) {
    if (!link.anchor || !link.runbook) continue;
    const ids = headingIdsOf(link.runbook.url);
    if (ids === undefined || ids.includes(link.anchor) || LAYOUT_IDS.includes(link.anchor)) continue;
    const rule = link.rule;
    const key = keys.find((candidate) => typeof rule.annotations[candidate] === 'string') ?? keys[0];
    // The heading named after the alert is the likely one; else the nearest id as written.
    const suggestion = ids.find((id) => looseName(id) === looseName(rule.name)) ?? closest(link.anchor, ids)?.candidate;
    reportWarning(
      ruleFileByPath.get(rule.file)!.vfile,
      `Alert ${rule.name}'s \`${key}\` annotation names the heading \`#${link.anchor}\` of ${displayRunbookPath(config, link.runbook.file)}, which has no heading with that id; ${suggestion ? `did you mean \`#${suggestion}\`?` : 'add the heading, or drop the anchor from the annotation'}`,
      rule.position,
      'broken-anchor',
    );
  }
}
