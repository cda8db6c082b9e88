// Which page a markdown file is, and its URL, as Hugo (and GitHub, for folder READMEs) decide them.
// A folder's own page is `_index.md`; without one, `README.md` (GitHub's convention) or `index.md`.
// A folder whose only markdown is `index.md` (and no subfolder with markdown) is a Hugo leaf
// bundle: one page at the folder's URL, its other files the page's resources; so is a folder whose
// only markdown is `README.md` (GitHub's folder per runbook).
import path from 'node:path';
import { hugoSlug } from './urls.js';

export type PageRole = 'section' | 'page' | 'bundle';

/** The role of every markdown file among `files` (posix paths relative to the content root). */
export function pageRoles(files: string[]): Map<string, PageRole> {
  const byFolder = new Map<string, string[]>();
  const foldersWithMarkdownBelow = new Set<string>();
  for (const file of files) {
    const folder = path.posix.dirname(file);
    const names = byFolder.get(folder) ?? [];
    names.push(path.posix.basename(file));
    byFolder.set(folder, names);
    for (let up = path.posix.dirname(folder); ; up = path.posix.dirname(up)) {
      foldersWithMarkdownBelow.add(up);
      if (up === '.') break;
    }
  }
  const roles = new Map<string, PageRole>();
  for (const [folder, names] of byFolder) {
    const join = (name: string) => (folder === '.' ? name : `${folder}/${name}`);
    const lower = new Map(names.map((name) => [name.toLowerCase(), name]));
    let index = lower.get('_index.md');
    const indexMd = lower.get('index.md');
    // A folder whose one markdown file is `index.md`, or GitHub's `README.md` (a folder per runbook,
    // its screenshots beside it), is that page, not a section of none.
    const only = names.length === 1 && !foldersWithMarkdownBelow.has(folder) && folder !== '.' ? (indexMd ?? lower.get('readme.md')) : undefined;
    if (!index && only) {
      roles.set(join(only), 'bundle');
      continue;
    }
    index ??= lower.get('readme.md') ?? indexMd;
    for (const name of names) roles.set(join(name), name === index ? 'section' : 'page');
  }
  return roles;
}

export interface PageUrlInput {
  /** Site path of the content root: `runbooks/` or ''. */
  prefix: string;
  /** Folder segments of the file, from the content root. */
  folder: string[];
  role: PageRole;
  /** File name without `.md`. */
  stem: string;
  slug?: string;
  url?: string;
  uglyURLs: boolean;
}

/** Hugo's `url` front matter: a site path from the root (with or without its leading slash). */
function explicitUrl(url: string, uglyURLs: boolean): string | undefined {
  const trimmed = url.trim();
  if (!trimmed || /^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith('//')) return undefined;
  const normal = path.posix.normalize('/' + trimmed).slice(1);
  if (normal === '' || normal === '.') return '';
  if (normal.startsWith('..')) return undefined;
  if (normal.endsWith('/') || /\.[a-z0-9]+$/i.test(normal)) return normal;
  return uglyURLs ? normal + '.html' : normal + '/';
}

/** Site-relative URL of a page (no leading slash; trailing slash, or `.html` with uglyURLs). */
export function pageUrl(input: PageUrlInput): string {
  if (input.url !== undefined) {
    const explicit = explicitUrl(input.url, input.uglyURLs);
    if (explicit !== undefined) return explicit;
  }
  const folder = input.prefix + input.folder.map((segment) => hugoSlug(segment) + '/').join('');
  if (input.role === 'section') return folder;
  // A bundle's folder is its page: the slug replaces the folder's own name.
  const [parent, own] = input.role === 'bundle' ? [input.prefix + input.folder.slice(0, -1).map((segment) => hugoSlug(segment) + '/').join(''), input.folder.at(-1)!] : [folder, input.stem];
  const name = input.slug !== undefined && hugoSlug(input.slug) !== '' ? hugoSlug(input.slug) : hugoSlug(own);
  return parent + name + (input.uglyURLs ? '.html' : '/');
}
