// Site-wide link check over what rendering found: relative `.md` links, site-absolute links and
// `#anchors` must point at pages (and headings) the build generates. Runs before anything is written.
import { reportError, reportWarning } from '../diagnostics.js';
import { existsSync } from 'node:fs';
import type { Point, Runbook } from '../model.js';
import { GENERATED_FILES, GENERATED_FOLDERS } from './site-paths.js';
import { markdownLinkFile, pageUrlOf, repositoryPathOf, safeDecode, sitePageUrl } from './urls.js';
import { folderLinkUrl, referencedFile } from './resources.js';
import { closest } from '../edit-distance.js';
import { LAYOUT_IDS } from '../render/page-data.js';
import path from 'node:path';

export interface PageLinks {
  /** The page's runbook (links are reported on its file). */
  runbook: Runbook;
  url: string;
  headingIds: string[];
  links: { href: string; line: number; column: number; image?: boolean }[];
}

export interface LinkCheckOptions {
  urls: Set<string>;
  urlByFile: Record<string, string>;
  basePath: string;
  baseURL: string;
  /** Non-markdown files under the runbooks folder → their site path. */
  resources?: Record<string, string>;
  /** Folder (relative to the runbooks folder) → its section's URL, for GitHub-style folder links. */
  folders?: Record<string, string>;
  /** Site paths of the static files, copied to the site root. */
  staticFiles?: Set<string>;
  /** The runbooks folder from the project root (posix): links from the intro outside it lead back in. */
  runbooksFolder?: string;
  /** The project root: a link to one of its files outside the runbooks folder is checked on disk. */
  projectRoot?: string;
  /** True when `repository.url` is configured: such links then go to the file's page there (render-one.ts). */
  repository?: boolean;
}

/** The closest existing file to a missing one, as the author would write it from `fromFile`. */
function closestFile(fromFile: string, missing: string, resources: Record<string, string>): string | undefined {
  const candidates = Object.keys(resources);
  const best = closest(missing, candidates)?.candidate ?? closest(path.posix.basename(missing), candidates.map((file) => path.posix.basename(file)))?.candidate;
  if (best === undefined) return undefined;
  const file = candidates.includes(best) ? best : candidates.find((candidate) => path.posix.basename(candidate) === best)!;
  return path.posix.relative(path.posix.dirname(fromFile), file);
}

/** Link targets that are not pages: the files the build writes itself (alerts.json, sitemap.xml…) and its folders. */
function isGeneratedFile(target: string): boolean {
  return Object.hasOwn(GENERATED_FILES, target) || Object.keys(GENERATED_FOLDERS).some((folder) => target.startsWith(`${folder}/`));
}

/** Where a resource file is first referenced: its publication is claimed, and reported, there. */
export interface ResourceReference {
  runbook: Runbook;
  place: Point;
}

/** Reports every broken link, image and anchor; returns the resource files the pages reference, each with its first reference. */
export function checkLinks(pages: PageLinks[], options: LinkCheckOptions): Map<string, ResourceReference> {
  const referenced = new Map<string, ResourceReference>();
  const resources = options.resources ?? {};
  const resourceBySitePath = new Map(Object.entries(resources).map(([file, sitePath]) => [sitePath, file]));
  /** A published file at this site path (a static file, or a resource, then published): true. */
  const isFile = (sitePath: string, reference: ResourceReference): boolean => {
    const file = resourceBySitePath.get(sitePath);
    if (file !== undefined && !referenced.has(file)) referenced.set(file, reference);
    return file !== undefined || (options.staticFiles?.has(sitePath) ?? false);
  };
  const headingsByUrl = new Map(pages.map((page) => [page.url, new Set([...page.headingIds, ...LAYOUT_IDS])]));
  /**
   * A link to a project file outside the runbooks folder (the rule file, a script, the top README),
   * which the site does not publish: checked on disk; without a repository to link to, a warning
   * saying how to get one. False when the link is not one (it is checked as a site link).
   */
  // Many pages link the same few files (the top README, the rule file): each is looked up once.
  const exists = new Map<string, boolean>();
  const repositoryLink = (page: PageLinks, href: string, pathPart: string, image: boolean, place: Point): boolean => {
    if (options.projectRoot === undefined || pathPart === '' || pathPart.startsWith('/')) return false;
    const target = safeDecode(pathPart.split('?')[0]);
    const projectPath = repositoryPathOf(page.runbook.file, target, options.runbooksFolder);
    if (projectPath === undefined) return false;
    let found = exists.get(projectPath);
    if (found === undefined) exists.set(projectPath, (found = existsSync(path.join(options.projectRoot, ...projectPath.split('/')))));
    if (!found) {
      reportError(page.runbook.vfile, `Unexpected ${image ? 'image' : 'link'} \`${href}\`: there is no \`${projectPath}\` in the project, expected a path relative to this file`, place, image ? 'missing-image' : 'broken-link');
    } else if (!options.repository) {
      reportWarning(
        page.runbook.vfile,
        `Unexpected ${image ? 'image' : 'link'} \`${href}\` to \`${projectPath}\`, a ${target.endsWith('/') ? 'folder' : 'file'} outside the runbooks folder, which the site does not publish: set \`repository.url\` in runbook-site.yaml, and it ${image ? 'shows the file from' : `leads to the ${target.endsWith('/') ? 'folder' : 'file'}'s page in`} the repository`,
        place,
        'repository-link',
      );
    }
    return true;
  };
  const base = new URL(options.baseURL);
  for (const page of pages) {
    for (const link of page.links) {
      const place = { line: link.line, column: link.column };
      const href = link.href.trim();
      if (!href || /^(mailto|tel|data|javascript):/i.test(href)) continue;
      const hashAt = href.indexOf('#');
      const pathPart = hashAt === -1 ? href : href.slice(0, hashAt);
      const fragment = hashAt === -1 ? '' : safeDecode(href.slice(hashAt + 1));
      let targetUrl: string | undefined;
      const markdownFile = markdownLinkFile(page.runbook.file, pathPart, options.runbooksFolder);

      if (/^[a-z][a-z0-9+.-]*:/i.test(pathPart) || pathPart.startsWith('//')) {
        // Absolute URL: only links into this site are checked.
        let absolute: URL;
        try {
          absolute = new URL(pathPart, base);
        } catch {
          continue;
        }
        targetUrl = sitePageUrl(absolute, base, options.basePath);
        if (targetUrl === undefined) continue;
      } else if (pathPart === '') {
        targetUrl = page.url;
      } else if (markdownFile !== undefined) {
        const file = markdownFile;
        targetUrl = Object.hasOwn(options.urlByFile, file) ? options.urlByFile[file] : undefined;
        if (targetUrl === undefined && repositoryLink(page, href, pathPart, false, place)) continue;
        if (targetUrl === undefined) {
          reportError(page.runbook.vfile, `Unexpected link to \`${pathPart}\`: no runbook \`${file}\` is built, expected a path relative to this file`, place, 'broken-link');
          continue;
        }
      } else {
        const file = referencedFile(page.runbook.file, pathPart, options.runbooksFolder);
        if (file !== undefined && Object.hasOwn(resources, file)) {
          if (!referenced.has(file)) referenced.set(file, { runbook: page.runbook, place });
          continue;
        }
        if (file === undefined && folderLinkUrl(page.runbook.file, pathPart, options.folders, options.runbooksFolder) === undefined && repositoryLink(page, href, pathPart, Boolean(link.image), place)) continue;
        const resolved = new URL(pathPart, new URL(page.url, 'https://site.invalid' + options.basePath));
        let sitePath = safeDecode(resolved.pathname);
        if (pathPart.startsWith('/') && !sitePath.startsWith(options.basePath)) {
          // A site-absolute link written without the base path: Hugo sites commonly do this.
          sitePath = options.basePath + sitePath.slice(1);
        }
        if (!sitePath.startsWith(options.basePath)) {
          reportError(page.runbook.vfile, `Unexpected link \`${href}\` outside the site, expected a path under \`${options.basePath}\``, place, 'broken-link');
          continue;
        }
        targetUrl = sitePath.slice(options.basePath.length);
        if (isFile(targetUrl, { runbook: page.runbook, place })) continue;
        const looksLikeFile = link.image || /\.[a-z0-9]+$/i.test(pathPart) && !/\.html?$/i.test(pathPart);
        if (file !== undefined && looksLikeFile && !options.urls.has(pageUrlOf(targetUrl))) {
          const suggestion = closestFile(page.runbook.file, file, resources);
          reportError(
            page.runbook.vfile,
            `Unexpected ${link.image ? 'image' : 'link'} \`${pathPart}\`: there is no file \`${file}\` next to this runbook${suggestion ? `; did you mean \`${suggestion}\`?` : ', expected a path relative to this file'}`,
            place,
            link.image ? 'missing-image' : 'missing-file',
          );
          continue;
        }
      }

      if (isFile(targetUrl, { runbook: page.runbook, place })) continue;
      let pageUrl = pageUrlOf(targetUrl);
      if (!options.urls.has(pageUrl) && markdownFile === undefined) {
        // Written as GitHub reads it: relative to the file's folder.
        pageUrl = folderLinkUrl(page.runbook.file, pathPart, options.folders, options.runbooksFolder) ?? pageUrl;
      }
      if (link.image && !options.urls.has(pageUrl)) {
        reportError(page.runbook.vfile, `Unexpected image \`${href}\`: the site has no file \`/${targetUrl}\``, place, 'missing-image');
        continue;
      }
      if (!options.urls.has(pageUrl) && !isGeneratedFile(pageUrl)) {
        reportError(page.runbook.vfile, `Unexpected link \`${href}\` to \`/${pageUrl}\`: the site has no such page`, place, 'broken-link');
        continue;
      }
      if (fragment) {
        const headings = headingsByUrl.get(pageUrl);
        if (headings && !headings.has(fragment)) {
          const known = [...headings].slice(0, 8).map((id) => `#${id}`).join(', ');
          reportError(page.runbook.vfile, `Unexpected anchor \`#${fragment}\` on \`/${pageUrl}\`: nothing on the page has that id${known ? `, expected one of ${known}` : ''}`, place, 'broken-anchor');
        }
      }
    }
  }
  return referenced;
}
