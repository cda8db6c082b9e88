// Where a new runbook for an alert goes, so that the linking rules find it and readers find it
// where they already look: `new`, the alert page's "Write this runbook" link and the
// missing-runbook message all use this one answer.
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import type { LoadedRule, Runbook } from '../model.js';
import { annotationPageUrl, runbookAnnotationKeys, type AlertLink, type AnnotationTargets } from './alerts.js';
import { hugoSlug, repositoryPath, sectionUrl } from './urls.js';
import { ruleFileStem } from '../rules/file-names.js';

/** A file name for the alert: its name, without what a path cannot hold. */
export function runbookFileName(alertName: string): string {
  // eslint-disable-next-line no-control-regex
  return alertName.replace(/[/\\\u0000-\u001f]/g, '-') + '.md';
}

/** The most common folder among `runbooks` (the first seen wins a tie), or undefined. */
function commonFolder(runbooks: Runbook[]): string[] | undefined {
  const counts = new Map<string, { path: string[]; count: number }>();
  for (const runbook of runbooks) {
    const key = runbook.sectionPath.join('/');
    const entry = counts.get(key) ?? { path: runbook.sectionPath, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  let best: { path: string[]; count: number } | undefined;
  for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry;
  return best?.path;
}

const fileStem = (rule: LoadedRule) => ruleFileStem(rule.file);

/**
 * The runbook file (relative to the runbooks folder, posix) for each alert name without a runbook:
 * 1. the path whose page its runbook annotation names, when that points at a runbook of this site,
 *    or the markdown file under the runbooks folder it names as a code host shows it;
 * 2. else beside the runbooks of the other alerts of its group, else of its rule file;
 * 3. else in the section named after the rule file's stem (an existing folder of that name, any case).
 * The file is named after the alert; the scaffold's front matter names the alert too, so the
 * runbook is linked wherever it lands.
 */
export function placeRunbooks(alerts: AlertLink[], pagesRunbooks: Runbook[], config: ResolvedConfig, targetOf: AnnotationTargets): Map<string, string> {
  // Pages of a Hugo content folder have no `runbooks/` prefix: the site's own prefix is what to read.
  const prefix = config.urlPrefix;
  const folderByUrl = new Map<string, string[]>();
  for (const runbook of pagesRunbooks) folderByUrl.set(sectionUrl(runbook.sectionPath, prefix), runbook.sectionPath);
  const folderByLastSegment = new Map<string, string[]>();
  for (const runbook of pagesRunbooks) {
    const last = runbook.sectionPath[runbook.sectionPath.length - 1];
    if (last !== undefined && !folderByLastSegment.has(last.toLowerCase())) folderByLastSegment.set(last.toLowerCase(), runbook.sectionPath);
  }
  // The linked alerts of each rule file and group, once: a lookup per alert instead of a scan of all of them.
  const linkedInFile = new Map<string, AlertLink[]>();
  const linkedInGroup = new Map<string, AlertLink[]>();
  for (const link of alerts) {
    if (!link.runbook) continue;
    for (const [map, key] of [[linkedInFile, link.rule.file], [linkedInGroup, `${link.rule.file}\0${link.rule.group}`]] as const) {
      const list = map.get(key) ?? [];
      list.push(link);
      map.set(key, list);
    }
  }
  const linkedBy = (links: AlertLink[] | undefined, name: string) => (links ?? []).filter((link) => link.rule.name !== name).map((link) => link.runbook!);
  const keys = runbookAnnotationKeys(config);
  const builtUrls = new Set(pagesRunbooks.map((runbook) => runbook.url));

  const placements = new Map<string, string>();
  for (const link of alerts) {
    const rule = link.rule;
    if (link.runbook || placements.has(rule.name)) continue;
    const fileName = runbookFileName(rule.name);
    let placed: string | undefined;
    // 1. The page its annotation already names.
    for (const key of keys) {
      const page = annotationPageUrl(rule.annotations[key] ?? '', config);
      if (!page || !page.startsWith(prefix) || !page.endsWith('/') || builtUrls.has(page)) continue;
      const segments = page.slice(prefix.length, -1).split('/').filter(Boolean);
      // With no prefix, the generated pages' folders are not runbook folders.
      if (segments.length === 0 || (prefix === '' && (segments[0] === 'alerts' || segments[0] === 'tags'))) continue;
      const stem = segments.pop()!;
      const folderUrl = sectionUrl(segments, prefix);
      const folder = folderByUrl.get(folderUrl) ?? segments;
      placed = [...folder, hugoSlug(rule.name) === stem ? fileName : `${stem}.md`].join('/');
      break;
    }
    // 1b. The markdown file it names as a code host shows it (`…/blob/main/runbooks/db/PostgresGone.md`).
    for (const key of placed ? [] : keys) {
      const target = targetOf(rule.annotations[key] ?? '');
      if (target && 'missingRunbook' in target) {
        placed = target.missingRunbook;
        break;
      }
    }
    // 2. Beside the runbooks of its group, else of its file.
    const folder =
      commonFolder(linkedBy(linkedInGroup.get(`${rule.file}\0${rule.group}`), rule.name)) ?? commonFolder(linkedBy(linkedInFile.get(rule.file), rule.name));
    if (!placed && folder) placed = [...folder, fileName].join('/');
    // 3. The section named after the rule file.
    if (!placed) placed = [...(folderByLastSegment.get(fileStem(rule).toLowerCase()) ?? [fileStem(rule)]), fileName].join('/');
    placements.set(rule.name, placed);
  }
  return placements;
}

/** A word as a POSIX shell reads it back: as is when plain, else in single quotes. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_.:@%+=,/-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The longest "Write this runbook" link we make: GitHub and GitLab refuse (414) or truncate much longer ones. */
export const MAX_NEW_FILE_URL = 8000;

/**
 * The repository's new-file page for `file` (relative to the project root) with `content` filled
 * in: GitHub's `/new/<branch>/<dir>?filename=&value=`, GitLab's `/-/new/<branch>/<dir>?file_name=&content=`.
 * Without the content when there is none or it would make the link longer than MAX_NEW_FILE_URL; undefined for other hosts.
 */
export function newFileUrl(config: ResolvedConfig, file: string, content: string | undefined): { url: string; prefilled: boolean } | undefined {
  if (!config.repository) return undefined;
  let repo: URL;
  try {
    repo = new URL(config.repository.url);
  } catch {
    return undefined;
  }
  const host = repo.hostname.toLowerCase();
  const kind = /(^|\.)github\b/.test(host) ? 'github' : /(^|\.)gitlab\b/.test(host) ? 'gitlab' : undefined;
  if (!kind) return undefined;
  const inRepo = repositoryPath(config.repository, file);
  const dir = path.posix.dirname(inRepo);
  const name = path.posix.basename(inRepo);
  const base = `${config.repository.url.replace(/\/+$/, '')}/${kind === 'gitlab' ? '-/' : ''}new/${encodeURIComponent(config.repository.branch)}/${dir === '.' ? '' : dir.split('/').map(encodeURIComponent).join('/')}`;
  const [nameKey, contentKey] = kind === 'github' ? ['filename', 'value'] : ['file_name', 'content'];
  const bare = `${base}?${nameKey}=${encodeURIComponent(name)}`;
  if (content === undefined) return { url: bare, prefilled: false };
  const full = `${bare}&${contentKey}=${encodeURIComponent(content)}`;
  return full.length <= MAX_NEW_FILE_URL ? { url: full, prefilled: true } : { url: bare, prefilled: false };
}
