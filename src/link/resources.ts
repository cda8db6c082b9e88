// Files next to runbooks: images, diagrams and attachments referenced from the markdown, relative to
// the markdown file as GitHub resolves them. Each is published in its folder's place in the site
// (the folder's URL, then the file name as written), which is where a Hugo page bundle's
// resources are published too. Files that are not content (OWNERS, scripts, diagram sources) are
// published only when a page links them.
import path from 'node:path';
import type { Runbook } from '../model.js';
import { hugoSlug, joinFromFile, safeDecode } from './urls.js';

/** Never published for being in a bundle: review metadata, scripts, sources of generated files. */
const NOT_CONTENT_NAMES = new Set(['owners', 'owners_aliases', 'codeowners', 'makefile', 'dockerfile', '.gitkeep']);
const NOT_CONTENT_EXTENSIONS = new Set(['.sh', '.bash', '.py', '.go', '.rb', '.pl', '.ps1', '.mk', '.dot', '.puml', '.plantuml', '.drawio', '.ts', '.js', '.mjs', '.yml', '.yaml', '.toml', '.json', '.lock']);

export function isContentResource(file: string): boolean {
  const name = path.posix.basename(file).toLowerCase();
  if (NOT_CONTENT_NAMES.has(name)) return false;
  return !NOT_CONTENT_EXTENSIONS.has(path.posix.extname(name));
}

/**
 * Site path (no leading slash) of each non-markdown file under the runbooks folder: its folder's
 * URL (a bundle's page URL for that bundle's files) and its name as written.
 */
export function resourceSitePaths(files: string[], runbooks: Runbook[], prefix: string): Record<string, string> {
  const bundleUrl = new Map<string, string>();
  for (const runbook of runbooks) {
    if (runbook.role === 'bundle' && runbook.url.endsWith('/')) bundleUrl.set((runbook.folder ?? []).join('/'), runbook.url);
  }
  const out: Record<string, string> = {};
  for (const file of files) {
    const segments = file.split('/');
    const name = segments.pop()!;
    const folder = segments.join('/');
    out[file] = (bundleUrl.get(folder) ?? prefix + segments.map((segment) => hugoSlug(segment) + '/').join('')) + name;
  }
  return out;
}

/** The files of leaf bundles that are published with their page, linked or not. */
export function bundleResources(files: string[], runbooks: Runbook[]): string[] {
  const bundles = new Set(runbooks.filter((runbook) => runbook.role === 'bundle').map((runbook) => (runbook.folder ?? []).join('/')));
  return files.filter((file) => isContentResource(file) && [...bundles].some((bundle) => file.startsWith(bundle + '/')));
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The file (relative to the runbooks folder) a relative reference in `fromFile` names, as GitHub
 * resolves it: against the markdown file's folder. Undefined for absolute, root-relative and
 * fragment-only references, and for references leaving the folder.
 */
export function referencedFile(fromFile: string, href: string, runbooksFolder = ''): string | undefined {
  if (!href || SCHEME.test(href) || href.startsWith('/') || href.startsWith('#')) return undefined;
  const end = href.search(/[?#]/);
  const target = safeDecode(end === -1 ? href : href.slice(0, end));
  if (!target || target.endsWith('/')) return undefined;
  const joined = joinFromFile(fromFile, target, runbooksFolder);
  return joined.startsWith('../') || joined === '..' ? undefined : joined;
}

/** Percent-encodes a site path for an href (file names may have spaces, `#`…). */
export function encodeSitePath(sitePath: string): string {
  return sitePath.split('/').map((segment) => encodeURIComponent(segment).replace(/%40/g, '@').replace(/%2B/g, '+')).join('/');
}

/**
 * A relative link to a folder, as GitHub resolves it (against the markdown file's folder, showing
 * that folder's README): the site URL of that folder's section, or undefined when it names none.
 * `folders` maps folder paths relative to the runbooks folder ('' for the root) to section URLs.
 */
export function folderLinkUrl(fromFile: string, pathPart: string, folders: Record<string, string> | undefined, runbooksFolder = ''): string | undefined {
  if (!folders || !pathPart || SCHEME.test(pathPart) || pathPart.startsWith('/') || pathPart.startsWith('#')) return undefined;
  const target = safeDecode(pathPart.split('?')[0]);
  if (/\.[a-z0-9]+$/i.test(target)) return undefined;
  const joined = joinFromFile(fromFile, target, runbooksFolder).replace(/\/$/, '');
  const folder = joined === '.' ? '' : joined;
  if (folder.startsWith('..')) return undefined;
  return Object.hasOwn(folders, folder) ? folders[folder] : undefined;
}
