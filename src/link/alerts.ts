// Link stage, part 2: which runbook covers each alert definition; coverage and annotation checks.
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { reportNote, reportWarning } from '../diagnostics.js';
import type { LoadedRule, RuleFile, Runbook } from '../model.js';
import type { RuleEmbed } from '../render/page-data.js';
import { frontMatterKeyPlace } from '../load/runbooks.js';
import { sitePageUrl } from './urls.js';

/** One alerting-rule definition and the runbook linked to it. */
export interface AlertLink {
  rule: LoadedRule;
  runbook?: Runbook;
  /** Why this runbook: front matter `alert:`, a `rule` shortcode, or the file name. */
  via?: 'front-matter' | 'shortcode' | 'file-name';
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

export function linkAlerts(
  ruleFiles: RuleFile[],
  pagesRunbooks: Runbook[],
  embedsByRunbook: Map<Runbook, RuleEmbed[]>,
): { alerts: AlertLink[]; ruleLinks: Map<Runbook, LoadedRule[]> } {
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
        reportWarning(runbook.vfile, `Unexpected alert \`${name}\` in front matter \`alert:\`: no rule file defines it`, frontMatterKeyPlace(runbook, 'alert'), 'alert-not-found');
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
    const stem = runbook.stem.toLowerCase();
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
  return { alerts, ruleLinks };
}

export function checkCoverage(
  alerts: AlertLink[],
  ruleFiles: RuleFile[],
  pagesRunbooks: Runbook[],
  ruleLinks: Map<Runbook, LoadedRule[]>,
  config: ResolvedConfig,
): Coverage {
  const ruleFileByPath = new Map(ruleFiles.map((file) => [file.path, file]));
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
      // The same reading of a URL as the link check's: `…/slow/index.html` names `…/slow/`.
      const written = sitePageUrl(target, base, config.basePath);
      if (written === undefined) continue;
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
  return coverage;
}
