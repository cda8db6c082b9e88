// Link stage: a page for every alert at `alerts/<slug>/`, so that an annotation pointing there
// never lands on a 404. With one runbook the page is a redirect to it; otherwise it shows the rule,
// its neighbours and how to write the runbook.
import { byCodePoint } from '../order.js';
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { reportWarning } from '../diagnostics.js';
import type { LoadedRule, RuleFile, Runbook } from '../model.js';
import type { AlertPageData, PageData, SiteInfo } from '../render/page-data.js';
import { scaffoldRunbook } from '../scaffold/runbook.js';
import type { AlertLink } from './alerts.js';
import { newFileUrl, shellWord } from './placement.js';
import { repositoryUrl, runbookTitle } from './pages.js';
import { alertPageUrl, encodeUrlPath, fragmentOf, hugoSlug } from './urls.js';
import { resolveSitePath, type SitePaths } from './site-paths.js';

export interface AlertPagesInput {
  config: ResolvedConfig;
  info: SiteInfo;
  ruleFiles: RuleFile[];
  alerts: AlertLink[];
  /** Alert name → new runbook file relative to the runbooks folder (placement.ts). */
  placements: Map<string, string>;
  /** The scaffold template's text, for the pre-filled "Write this runbook" link. */
  scaffoldTemplate?: string;
  /** The build's output paths: each alert page claims its own (a runbook or section may hold it already). */
  paths: SitePaths;
}


/** Percent-encodes what would break a URL written into an attribute (slugs may keep `#`). */

export function buildAlertPages({ config, info, ruleFiles, alerts, placements, scaffoldTemplate, paths }: AlertPagesInput): PageData[] {
  const ruleFileByPath = new Map(ruleFiles.map((file) => [file.path, file]));
  // Alert names by page address; two names with one slug share the page (and are told so).
  const bySlug = new Map<string, Map<string, AlertLink[]>>();
  for (const link of alerts) {
    const slug = hugoSlug(link.rule.name);
    if (!slug) {
      const file = ruleFileByPath.get(link.rule.file)!;
      reportWarning(file.vfile, `Alert \`${link.rule.name}\` gets no page of its own: its name has no letter or digit to make an address from; rename it`, link.rule.position, 'alert-page-unavailable');
      continue;
    }
    // `..`, `%2e` and the like make no address a browser can reach (link/site-paths.ts).
    const unreachable = resolveSitePath(alertPageUrl(link.rule.name), 'page');
    if ('problem' in unreachable) {
      const file = ruleFileByPath.get(link.rule.file)!;
      reportWarning(file.vfile, `Alert \`${link.rule.name}\` gets no page of its own: its address \`/${alertPageUrl(link.rule.name)}\` ${unreachable.problem}; rename it`, link.rule.position, 'alert-page-unavailable');
      continue;
    }
    const names = bySlug.get(slug) ?? new Map<string, AlertLink[]>();
    const list = names.get(link.rule.name) ?? [];
    list.push(link);
    names.set(link.rule.name, list);
    bySlug.set(slug, names);
  }
  const linkUrl = (link: AlertLink) => link.runbook?.url ?? alertPageUrl(link.rule.name);
  // Each group's alerts, once: listing a page's neighbours is then a lookup, not a scan of every alert.
  const byGroup = new Map<string, AlertLink[]>();
  for (const link of alerts) {
    const key = `${link.rule.file}\0${link.rule.group}`;
    const list = byGroup.get(key) ?? [];
    list.push(link);
    byGroup.set(key, list);
  }

  const pages: PageData[] = [];
  for (const slug of [...bySlug.keys()].sort(byCodePoint)) {
    const names = bySlug.get(slug)!;
    const sorted = [...names.keys()].sort(byCodePoint);
    const primary = sorted[0];
    const url = alertPageUrl(primary);
    const links = sorted.flatMap((name) => names.get(name)!);
    const runbooks = [...new Set(links.map((link) => link.runbook).filter((runbook): runbook is Runbook => Boolean(runbook)))];
    // The runbook already lives at the alert page's address (a Hugo `alerts/` section): it is the page.
    if (runbooks.length === 1 && runbooks[0].url === url && links.every((link) => link.runbook)) continue;
    const firstRule = names.get(primary)![0].rule;
    const claimed = paths.claim({
      kind: 'page',
      sitePath: url,
      what: `page of alert \`${primary}\``,
      owner: `the page of alert \`${primary}\``,
      file: ruleFileByPath.get(firstRule.file)!.vfile,
      place: firstRule.position,
      conflictRuleId: 'alert-page-unavailable',
      advice: 'the alert page\'s address to be free: move the runbook or section that uses it',
    });
    if (!claimed) continue;
    for (const other of sorted.slice(1)) {
      const first = names.get(other)![0].rule;
      reportWarning(
        ruleFileByPath.get(first.file)!.vfile,
        `Alert ${other} has the same page address \`/${url}\` as alert ${primary} (names that differ only in case or punctuation), so that page lists both; rename one of them to give each its own page`,
        first.position,
        'alert-page-collision',
      );
    }
    const definitions = links.map((link) => link.rule);
    const base = {
      kind: 'alert' as const,
      url,
      outputPath: claimed.outputPath,
      title: primary,
      site: info,
      frontMatter: {},
      tags: [],
      sections: [],
      sectionPages: [],
      children: [],
      alertRows: [],
      breadcrumbs: [{ title: 'Home', url: '' }, { title: 'Alerts', url: 'alerts/' }],
    };
    const sharedWith = sorted.slice(1).map((name) => {
      const covered = names.get(name)!.every((link) => link.runbook);
      return { name, url: covered ? names.get(name)![0].runbook!.url : url, hasRunbook: covered };
    });
    if (runbooks.length === 1 && links.every((link) => link.runbook)) {
      // The heading the annotation names, when every definition names the same one.
      const anchors = new Set(names.get(primary)!.map((link) => link.anchor));
      const anchor = anchors.size === 1 ? [...anchors][0] : undefined;
      const redirectTo = runbooks[0].url;
      const redirectHref = new URL(encodeUrlPath(redirectTo), info.baseURL).href + fragmentOf(anchor);
      const alert: AlertPageData = { name: primary, redirectTo, redirectHref, sharedWith, groups: [], runbooks: [{ title: runbookTitle(runbooks[0]), url: redirectTo }] };
      pages.push({ ...base, rules: [], alert });
      continue;
    }

    const groups: AlertPageData['groups'] = [];
    const seenGroups = new Set<string>();
    for (const rule of definitions) {
      const key = `${rule.file}\0${rule.group}`;
      if (seenGroups.has(key)) continue;
      seenGroups.add(key);
      const neighbours = new Map<string, { name: string; url: string; hasRunbook: boolean }>();
      for (const link of byGroup.get(key) ?? []) {
        if (names.has(link.rule.name) || neighbours.has(link.rule.name)) continue;
        neighbours.set(link.rule.name, { name: link.rule.name, url: linkUrl(link), hasRunbook: Boolean(link.runbook) });
      }
      if (neighbours.size > 0) groups.push({ name: rule.group, file: rule.file, alerts: [...neighbours.values()] });
    }

    // The runbook to write: for the first name some definition of which has none.
    const uncovered = sorted.find((name) => names.get(name)!.some((link) => !link.runbook));
    let newRunbook: AlertPageData['newRunbook'];
    const placed = uncovered ? placements.get(uncovered) : undefined;
    if (uncovered && placed) {
      const file = path.relative(config.root, path.join(config.runbooksDir, ...placed.split('/'))).split(path.sep).join('/');
      const content = scaffoldTemplate === undefined ? undefined : scaffoldRunbook(scaffoldTemplate, names.get(uncovered)!.filter((link) => !link.runbook).map((link) => link.rule));
      const write = file.startsWith('../') ? undefined : newFileUrl(config, file, content);
      newRunbook = { file, command: `runbook-site new ${shellWord(uncovered)}`, writeUrl: write?.url, prefilled: write?.prefilled };
    }
    const ruleSourceUrls: Record<string, string> = {};
    for (const rule of definitions) {
      const source = repositoryUrl(config, 'blob', path.join(config.rulesDir, rule.file));
      if (source) ruleSourceUrls[rule.file] = source;
    }
    const summary = definitions.map((rule: LoadedRule) => rule.annotations.summary).find((text) => typeof text === 'string' && text.trim());
    pages.push({
      ...base,
      description: summary,
      rules: definitions,
      ruleSourceUrls: Object.keys(ruleSourceUrls).length > 0 ? ruleSourceUrls : undefined,
      alert: {
        name: primary,
        sharedWith,
        groups,
        runbooks: runbooks.map((runbook) => ({ title: runbookTitle(runbook), url: runbook.url })),
        newRunbook,
      },
    });
  }
  return pages;
}
