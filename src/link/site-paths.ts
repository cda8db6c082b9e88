// Every output path of the site comes from here. A site path (a page URL, an alias, a tag, an
// asset) is a URL path relative to the site root; `claim` turns it into the file the writer will
// write, or reports on the input that asked for it why there is none:
//   - it is not a URL path (`?`, `#`, `\`, control characters, a malformed `%` escape);
//   - it leaves the site: a `..` that climbs above the root (aliases may use `.` and `..` inside
//     the site, as Hugo's path.Clean allows; a page, tag or asset segment may not be `.` or `..`);
//   - a browser could not reach it: `%2e%2e` is `..` to a browser, `%2F` is a `/`;
//   - something else already has it: the same file, a file where it needs a folder or a folder
//     where it needs a file (`/sitemap.xml` as an alias is `sitemap.xml/index.html`), or a folder
//     the build keeps for its own files (`assets/`).
// A file is written at the percent-decoded path, since that is what a web server looks up for the
// URL (`/runbooks/a%20b/` is served from `runbooks/a b/index.html`). The writer checks the result
// again (write/output.ts `unsafeOutputPath`), so a path that slips past here fails the build instead
// of landing outside the output folder.
import { SITE_MARKER } from '../load/files.js';
import type { VFile } from 'vfile';
import { reportError, reportWarning, type Place } from '../diagnostics.js';
import { RunbookSiteError } from '../errors.js';
import type { Point } from '../model.js';

/** What asks for a path; it decides how the path maps to a file (see `resolveSitePath`). */
export type SitePathKind = 'page' | 'alias' | 'tag' | 'asset' | 'generated';

/** Marks a folder as written by runbook-site, so we never replace a folder we did not make. */
export const OUTPUT_MARKER = SITE_MARKER;

/** Files the build writes at fixed places (besides pages), with what they are, for messages. */
export const GENERATED_FILES: Record<string, string> = {
  '404.html': 'the 404 page',
  'sitemap.xml': 'the sitemap',
  'search-index.json': 'the search index',
  'alerts.json': 'the alert catalogue',
  '404.json': 'the 404 page\'s map of known addresses',
  '.nojekyll': 'the file that turns off Jekyll on GitHub Pages',
  [OUTPUT_MARKER]: 'the marker runbook-site keeps in its output folder',
};

/** Folders the build fills with its own files: only `asset` claims may go inside. */
export const GENERATED_FOLDERS: Record<string, string> = {
  assets: 'the theme\'s assets folder',
};

export interface PathRequest {
  kind: SitePathKind;
  /** Site-relative URL path as written or computed (no leading slash): `runbooks/x/`, `old.html`, `assets/logo.png`. */
  sitePath: string;
  /** How the message names what asked, value included: "alias `/old/`", "tag `..`", "file name `%2e%2e.md`". */
  what: string;
  /** What it is, for another claim's conflict message, e.g. "the page of `runbooks/x.md`". */
  owner: string;
  /** The input that asked (problems are reported on it); without one a problem is a bug (Internal). */
  file?: VFile;
  /** Where to report a problem; a function when finding it costs (re-reading front matter): called only then. */
  place?: Point | Place | (() => Point | Place);
  /** Rule id of a conflict with another output (default `path-conflict`). */
  conflictRuleId?: string;
  /** What was expected instead, ending the message as "…, expected <advice>". */
  advice?: string;
  /** `warning` for a claim whose loser is only left out (a static file under a page): default `error`. */
  severity?: 'error' | 'warning';
}

export interface ClaimedPath {
  /** Site-relative URL (dot segments resolved, escapes kept as written). */
  url: string;
  /** Output file, relative to the output folder, posix separators, percent-decoded. */
  outputPath: string;
}

export type SitePathResult = ClaimedPath | { problem: string };

/** Never in a site path: a backslash (a folder separator to some servers) and control characters. */
const NOT_URL = /[\\\u0000-\u001f\u007f]/u;
/**
 * In an address the author wrote (an alias), `?` and `#` end the path. In a computed one (a page,
 * tag or file name: Hugo's slugs keep `#`) they are literal characters, percent-encoded in links
 * (render/theme.ts encodeUrlPath) and decoded back by the web server to this output path.
 */
const ENDS_PATH = /[?#]/u;
const MAX_SEGMENT_BYTES = 255;

/**
 * A site path as the output file it is written to, or why it cannot be one. Pure: says nothing
 * about what else the site has (that is `claim`'s job).
 */
export function resolveSitePath(sitePath: string, kind: SitePathKind): SitePathResult {
  const bad = NOT_URL.exec(sitePath) ?? (kind === 'alias' ? ENDS_PATH.exec(sitePath) : null);
  if (bad) {
    const shown = bad[0] === '\\' ? '`\\`' : bad[0] === '?' || bad[0] === '#' ? `\`${bad[0]}\`` : `the control character U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return { problem: `is not a URL path: it contains ${shown}` };
  }
  const written = sitePath.split('/');
  const folderForm = sitePath === '' || sitePath.endsWith('/');
  if (folderForm) written.pop();
  const segments: string[] = [];
  const decoded: string[] = [];
  for (const segment of written) {
    let plain: string;
    try {
      plain = decodeURIComponent(segment);
    } catch {
      return { problem: `has a malformed \`%\` escape in \`${segment}\`` };
    }
    if (plain !== segment && /[/\\\u0000-\u001f\u007f]/u.test(plain)) {
      return { problem: `has the segment \`${segment}\`, decoded \`${plain.replace(/[\u0000-\u001f\u007f]/gu, '?')}\`, which a browser reads as more than one folder` };
    }
    const dots = plain === '.' || plain === '..';
    if (kind === 'alias') {
      // As Hugo's path.Clean: empty and `.` segments go, `..` goes up, but never above the root.
      if (plain === '' || plain === '.') continue;
      if (plain === '..') {
        if (segments.length === 0) return { problem: 'climbs above the site root' };
        segments.pop();
        decoded.pop();
        continue;
      }
    } else if (plain === '' || dots) {
      const how = plain === '' ? 'an empty segment' : segment === plain ? `the segment \`${segment}\`` : `the segment \`${segment}\` (\`${plain}\` to a browser)`;
      return { problem: `has ${how}, which ${plain === '' ? 'is no folder name' : plain === '.' ? 'is the folder itself' : 'is the parent folder'}` };
    }
    if (Buffer.byteLength(plain) > MAX_SEGMENT_BYTES) return { problem: `has the segment \`${segment.slice(0, 40)}…\`, longer than ${MAX_SEGMENT_BYTES} bytes, the limit for a file name` };
    segments.push(segment);
    decoded.push(plain);
  }
  const path = decoded.join('/');
  const url = segments.join('/');
  switch (kind) {
    case 'alias': {
      // Hugo: `x.html` is written as it is, anything else is a folder with an index.html.
      if (segments.length === 0) return { url: '', outputPath: 'index.html' };
      if (!folderForm && /\.html$/i.test(url)) return { url, outputPath: path };
      return { url: url + '/', outputPath: path + '/index.html' };
    }
    case 'page':
    case 'tag':
      if (segments.length === 0) return { url: '', outputPath: 'index.html' };
      if (!folderForm) return /\.html$/i.test(url) ? { url, outputPath: path } : { problem: 'is neither a folder (`…/`) nor an `.html` file' };
      return { url: url + '/', outputPath: path + '/index.html' };
    case 'asset':
    case 'generated':
      if (folderForm || segments.length === 0) return { problem: 'names a folder, not a file' };
      return { url, outputPath: path };
  }
}

export interface SitePaths {
  /** The output path for `request`, or undefined once the reason it has none is reported on `request.file`. */
  claim(request: PathRequest): ClaimedPath | undefined;
  /** What has `outputPath`, if anything. */
  ownerOf(outputPath: string): string | undefined;
}

/**
 * The output paths of one build. Starts with the generated files and folders claimed, so that
 * nothing from the content can take them; pages, tags, aliases and assets are claimed as the
 * link stage makes them.
 */
export function createSitePaths(): SitePaths {
  const files = new Map<string, string>();
  /** Every folder some file is in, with the first file's owner. */
  const folders = new Map<string, string>();
  for (const [name, owner] of Object.entries(GENERATED_FOLDERS)) folders.set(name, owner);
  for (const [name, owner] of Object.entries(GENERATED_FILES)) files.set(name, owner);

  /** Why `outputPath` is taken, as the end of "it would be written to `outputPath`, …". */
  const conflictOf = (request: PathRequest, outputPath: string): string | undefined => {
    const sameFile = files.get(outputPath);
    if (sameFile) return `which is already ${sameFile}`;
    const asFolder = folders.get(outputPath);
    if (asFolder) return `which is a folder holding ${asFolder}`;
    const parts = outputPath.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      const file = files.get(folder);
      if (file) return `inside \`${folder}\`, which is ${file}, not a folder`;
      if (request.kind !== 'asset' && Object.hasOwn(GENERATED_FOLDERS, folder)) return `inside \`${folder}/\`, ${GENERATED_FOLDERS[folder]}`;
    }
    return undefined;
  };

  const fail = (request: PathRequest, ruleId: string, why: string): undefined => {
    const message = `Unexpected ${request.what}: ${why}${request.advice ? `, expected ${request.advice}` : ''}`;
    if (!request.file) throw new RunbookSiteError('Internal', { reason: message });
    const report = request.severity === 'warning' ? reportWarning : reportError;
    report(request.file, message, typeof request.place === 'function' ? request.place() : request.place, ruleId);
    return undefined;
  };

  return {
    claim(request) {
      const result = resolveSitePath(request.sitePath.replace(/^\/+/, ''), request.kind);
      if ('problem' in result) return fail(request, 'unsafe-path', `\`/${request.sitePath.replace(/^\/+/, '')}\` ${result.problem}`);
      const conflict = conflictOf(request, result.outputPath);
      if (conflict) return fail(request, request.conflictRuleId ?? 'path-conflict', `it would be written to \`${result.outputPath}\`, ${conflict}`);
      files.set(result.outputPath, request.owner);
      const parts = result.outputPath.split('/');
      for (let i = 1; i < parts.length; i++) {
        const folder = parts.slice(0, i).join('/');
        if (!folders.has(folder)) folders.set(folder, request.owner);
      }
      return result;
    },
    ownerOf(outputPath) {
      return files.get(outputPath) ?? folders.get(outputPath);
    },
  };
}

/**
 * Why `outputPath` (relative to the output folder) is not a safe place to write, or undefined.
 * The writer's last check: the link stage should never produce such a path.
 */
export function unsafeOutputPath(outputPath: string): string | undefined {
  if (outputPath === '') return 'it is empty';
  if (outputPath.startsWith('/') || /^[a-z]:/i.test(outputPath)) return 'it is absolute';
  if (/[\\\u0000]/u.test(outputPath)) return 'it contains `\\` or NUL';
  for (const segment of outputPath.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') return `it has the segment \`${segment}\``;
  }
  return undefined;
}
