import path from 'node:path';
import { RunbookSiteError } from '../errors.js';
import { resolveSitePath } from './site-paths.js';

// Page URLs compatible with Hugo's for the same content, so existing runbook_url annotations keep working.

/**
 * Hugo's path sanitising (urlize of a path segment), lower-cased: letters, digits, marks and
 * `._~+#@-` are kept; `%` only when it starts a `%XX` escape; spaces and hyphens become one
 * hyphen between kept characters; everything else is dropped.
 * `MysqlTooManyConnections(>80%)` → `mysqltoomanyconnections80`.
 */
export function hugoSlug(segment: string): string {
  let slug = slugs.get(segment);
  if (slug === undefined) {
    // The same few thousand names are slugged on every build of a serve session: keep them.
    if (slugs.size >= MAX_SLUGS) slugs.clear();
    slugs.set(segment, (slug = slugOf(segment)));
  }
  return slug;
}

const MAX_SLUGS = 100_000;
const slugs = new Map<string, string>();

function slugOf(segment: string): string {
  const chars = Array.from(segment);
  let out = '';
  let pendingHyphen = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const allowed =
      '._~+#@-'.includes(ch) ||
      /[\p{L}\p{N}\p{M}]/u.test(ch) ||
      (ch === '%' && i + 2 < chars.length && /[0-9a-fA-F]/.test(chars[i + 1]) && /[0-9a-fA-F]/.test(chars[i + 2]));
    if (allowed) {
      if (pendingHyphen) {
        out += '-';
        pendingHyphen = false;
      }
      out += ch;
    } else if (out.length > 0 && /\s/u.test(ch)) {
      pendingHyphen = true;
    }
  }
  return out.toLowerCase();
}

/** The prefix every runbook URL has, as on the Hugo sites this replaces (content/runbooks/...). */
export const RUNBOOKS_URL_PREFIX = 'runbooks/';

/** Site-relative URL (no leading slash, trailing slash) of a section given its folder segments. */
export function sectionUrl(sectionPath: string[], prefix = RUNBOOKS_URL_PREFIX): string {
  return prefix + sectionPath.map((segment) => hugoSlug(segment) + '/').join('');
}

/** The prefix of every alert's own page: `alerts/<alert slug>/` exists for every alert, with or without a runbook. */
export const ALERTS_URL_PREFIX = 'alerts/';

/** Site-relative URL of an alert's own page (the target `runbook_url` annotations can always point at). */
export function alertPageUrl(alertName: string): string {
  return ALERTS_URL_PREFIX + hugoSlug(alertName) + '/';
}

/** Site-relative URL of a runbook page from its file path relative to the runbooks folder. */
export function runbookUrl(sectionPath: string[], fileName: string, prefix = RUNBOOKS_URL_PREFIX): string {
  const stem = fileName.replace(/\.md$/i, '');
  return sectionUrl(sectionPath, prefix) + hugoSlug(stem) + '/';
}

/** Percent-encodes what would break an href in a site-relative URL (slugs may keep `#`, paths may hold spaces). */
export function encodeUrlPath(url: string): string {
  return url.replace(/[#?\s"<>]/g, (ch) => encodeURIComponent(ch));
}

/** Percent-decoding that keeps malformed escapes (`100%`) as written instead of throwing. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The runbook file (relative to the runbooks folder) a `.md` link points at, resolved against the
 * linking file's folder (or the runbooks root for `/x.md`); undefined when `pathPart` is not a `.md` link.
 * Both the renderer (to rewrite the link) and the link check (to report it) go through here.
 */
export function markdownLinkFile(fromFile: string, pathPart: string, runbooksFolder = ''): string | undefined {
  const target = safeDecode(pathPart.split('?')[0]);
  if (!/\.md$/i.test(target)) return undefined;
  return target.startsWith('/') ? target.slice(1) : joinFromFile(fromFile, target, runbooksFolder);
}

/**
 * `target` as written in `fromFile` (both relative to the runbooks folder), as a normalised path
 * relative to the runbooks folder. A file outside that folder (the home page intro,
 * `../README.md`) may lead back into it: from the repository's README, `alerts/x.md` is `x.md`
 * of the runbooks folder `alerts` (`runbooksFolder`: that folder from the project root, posix).
 * A path that stays outside keeps its leading `../`.
 */
export function joinFromFile(fromFile: string, target: string, runbooksFolder = ''): string {
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), target));
  if (!runbooksFolder || !(joined === '..' || joined.startsWith('../'))) return joined;
  const fromRoot = path.posix.normalize(path.posix.join(runbooksFolder, joined)).replace(/\/$/, '');
  if (fromRoot === runbooksFolder) return '.';
  return fromRoot.startsWith(`${runbooksFolder}/`) ? fromRoot.slice(runbooksFolder.length + 1) : joined;
}

/**
 * A relative link's target outside the runbooks folder but inside the project (`../../rules/app.yml`
 * from a runbook, `scripts/fix.sh` from a root README), as a path from the project root; undefined
 * for a target inside the runbooks folder, or above the project root.
 */
export function repositoryPathOf(fromFile: string, target: string, runbooksFolder = ''): string | undefined {
  const joined = joinFromFile(fromFile, target, runbooksFolder);
  if (!(joined === '..' || joined.startsWith('../'))) return undefined;
  const fromRoot = path.posix.normalize(path.posix.join(runbooksFolder || '.', joined));
  return fromRoot === '..' || fromRoot.startsWith('../') || fromRoot === '.' ? undefined : fromRoot.replace(/\/$/, '');
}

/** The configured repository (config `repository`): its web URL, branch, and the project's folder in it. */
export interface Repository {
  url: string;
  branch: string;
  path: string;
}

/** A path from the project root as a path from the repository's root (`repository.path` first). */
export function repositoryPath(repository: Pick<Repository, 'path'> | undefined, projectPath: string): string {
  return [repository?.path.replace(/^\/+|\/+$/g, ''), projectPath].filter(Boolean).join('/');
}

/** A project file's (or folder's) page in the repository: `…/<view>/<branch>/<path>`. */
export function repositoryPageUrl(repository: Repository, view: 'blob' | 'edit' | 'tree' | 'raw', projectPath: string): string {
  const full = repositoryPath(repository, projectPath);
  return `${repository.url.replace(/\/+$/, '')}/${view}/${encodeURIComponent(repository.branch)}/${full.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Where a link to a project file the site does not publish goes: its page in the repository
 * (`…/blob/main/rules/app.yml`, `…/tree/main/scripts`), an image's raw bytes, which an `<img>` can show.
 */
export function repositoryViewUrl(repository: Repository, projectPath: string, folder: boolean): string {
  return repositoryPageUrl(repository, folder ? 'tree' : /\.(?:png|jpe?g|gif|svg|webp|avif)$/i.test(projectPath) ? 'raw' : 'blob', projectPath);
}

/** A URL's `#fragment` for a heading id, '' for none. */
export function fragmentOf(anchor: string | undefined): string {
  return anchor ? `#${encodeURIComponent(anchor)}` : '';
}

/** Output file for a page's site-relative URL (percent-decoded: what a web server looks up); see site-paths.ts. */
export function outputPathFor(url: string): string {
  const resolved = resolveSitePath(url, 'page');
  if ('problem' in resolved) throw new RunbookSiteError('Internal', { reason: `page URL \`/${url}\` has no output path: ${resolved.problem}` });
  return resolved.outputPath;
}

/** A site-relative path as the page URL it names: folder paths get their trailing slash, `index.html` is dropped. */
export function pageUrlOf(sitePath: string): string {
  const withSlash = sitePath === '' || sitePath.endsWith('/') || /\.[a-z0-9]+$/i.test(sitePath) ? sitePath : sitePath + '/';
  return withSlash.endsWith('index.html') ? withSlash.slice(0, -'index.html'.length) : withSlash;
}

/** The page URL that an absolute URL names when it is inside the site (same host, under the base path); else undefined. */
export function sitePageUrl(url: URL, base: URL, basePath: string): string | undefined {
  if (url.host !== base.host || !url.pathname.startsWith(basePath)) return undefined;
  return pageUrlOf(safeDecode(url.pathname.slice(basePath.length)));
}

/**
 * A repository file URL pointing at the rule's lines, written as the host writes them: GitLab
 * `#L12-18` (also on self-hosted hosts whose name says gitlab, or whose URL has GitLab's `/-/`),
 * GitHub and everything else `#L12-L18`. The rule's last line is its YAML's last line.
 */
export function withLineAnchor(url: string | undefined, rule: { position: { line: number }; yaml: string }): string | undefined {
  if (!url) return undefined;
  const first = rule.position.line;
  const last = first + Math.max(0, rule.yaml.replace(/\n+$/, '').split('\n').length - 1);
  let gitlab = false;
  try {
    const parsed = new URL(url);
    gitlab = /gitlab/i.test(parsed.hostname) || parsed.pathname.includes('/-/');
  } catch {
    return url;
  }
  const anchor = last > first ? (gitlab ? `#L${first}-${last}` : `#L${first}-L${last}`) : `#L${first}`;
  return url.replace(/#.*$/, '') + anchor;
}
