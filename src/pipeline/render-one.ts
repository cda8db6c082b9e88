// Rendering one page, the same on the main thread and in a worker: a PageData in, a RenderedPage
// and the `.md` links it resolved (for the cache) out. Set up once per thread from plain options.
import type { LinkDependency, RenderMode } from '../cache/page-cache.js';
import type { PageData, RenderedPage } from '../render/page-data.js';
import type { Theme } from '../render/theme.js';
import { markdownLinkFile, repositoryPathOf, repositoryViewUrl, safeDecode, type Repository } from '../link/urls.js';
import { encodeSitePath, folderLinkUrl, referencedFile } from '../link/resources.js';

/** The site-wide data a thread needs to resolve markdown links: sent once per worker. */
export interface LinkMap {
  /** Runbook file (relative to the runbooks folder) → page URL. */
  urlByFile: Record<string, string>;
  basePath: string;
  /** Non-markdown file (relative to the runbooks folder) → its site path, for images and attachments. */
  resources?: Record<string, string>;
  /** Folder (relative to the runbooks folder, '' the root) → its section's URL, for GitHub-style folder links. */
  folders?: Record<string, string>;
  /** The runbooks folder from the project root (posix, '' when it is the root): links from the intro outside it lead back in. */
  runbooksFolder?: string;
  /** The repository (config `repository`): a link to a project file outside the runbooks folder goes to its page there. */
  repository?: Repository;
}

/** Every page URL of a link map, built once per map. */
const pageUrlSets = new WeakMap<LinkMap, Set<string>>();
function pageUrlsOf(map: LinkMap): Set<string> {
  let urls = pageUrlSets.get(map);
  if (!urls) {
    urls = new Set([...Object.values(map.urlByFile), ...Object.values(map.folders ?? {})]);
    pageUrlSets.set(map, urls);
  }
  return urls;
}

/** Plain, structured-clone-safe settings to set up a renderer (a worker's `workerData`). */
export interface ThreadInit {
  mode: RenderMode;
  theme: { defaultDir: string; overrideDir?: string; basePath: string };
}

/** A renderer's settings and the site's link map. */
export interface RendererInit extends ThreadInit {
  links: LinkMap;
}

/** The link map with its inverse, built once per thread. */
export interface LinkContext {
  map: LinkMap;
  fileByUrl: Map<string, string>;
}

export function linkContext(map: LinkMap): LinkContext {
  return { map, fileByUrl: fileByUrlOf(map) };
}

export interface PageResult {
  page: RenderedPage;
  links: LinkDependency[];
}

export interface PageRenderer {
  /** Undefined in markdown mode for a page without markdown (nothing to check). */
  render(page: PageData, links: LinkContext): PageResult | undefined;
}

/**
 * What an href (or image src) written in `fromFile` (relative to the runbooks folder) becomes in
 * the page: a `.md` link its page's URL, a file next to the runbooks its published place, a
 * root-relative link the same path under the base path; undefined to keep it as written.
 */
export function resolveLinkIn(map: LinkMap, fromFile: string, href: string, pageUrl?: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//') || href.startsWith('#')) return undefined;
  const resolved = resolveSiteLink(map, fromFile, href, pageUrl);
  if (resolved !== undefined || !map.repository || href.startsWith('/')) return resolved;
  // A file of the repository the site does not publish (the rule file, a script, the top README):
  // its page in the repository, as GitHub's rendering of the runbook links it.
  const suffixAt = href.search(/[?#]/);
  const target = safeDecode(suffixAt === -1 ? href : href.slice(0, suffixAt));
  const projectPath = target ? repositoryPathOf(fromFile, target, map.runbooksFolder) : undefined;
  if (projectPath === undefined) return undefined;
  return repositoryViewUrl(map.repository, projectPath, target.endsWith('/')) + (suffixAt === -1 ? '' : href.slice(suffixAt));
}

function resolveSiteLink(map: LinkMap, fromFile: string, href: string, pageUrl?: string): string | undefined {
  const hashAt = href.indexOf('#');
  const target = hashAt === -1 ? href : href.slice(0, hashAt);
  if (!/\.md$/i.test(target.split('?')[0])) {
    if (target.startsWith('/')) {
      // A site-root link: under a base path it needs the base path, unless it was written with it.
      return map.basePath === '/' || target.startsWith(map.basePath) ? undefined : map.basePath + href.slice(1);
    }
    const suffixAt = href.search(/[?#]/);
    const suffix = suffixAt === -1 ? '' : href.slice(suffixAt);
    const file = referencedFile(fromFile, href, map.runbooksFolder);
    if (file !== undefined && map.resources && Object.hasOwn(map.resources, file)) return map.basePath + encodeSitePath(map.resources[file]) + suffix;
    // A folder link that works from the page's URL is kept; one written as GitHub reads it (from the file's folder) is rewritten.
    const folderUrl = folderLinkUrl(fromFile, target, map.folders, map.runbooksFolder);
    if (folderUrl === undefined || pageUrl === undefined) return undefined;
    const fromPage = new URL(target, new URL(pageUrl, 'https://site.invalid/')).pathname.slice(1);
    return pageUrlsOf(map).has(fromPage) ? undefined : map.basePath + folderUrl + suffix;
  }
  const file = markdownLinkFile(fromFile, target, map.runbooksFolder)!;
  if (!Object.hasOwn(map.urlByFile, file)) return undefined;
  return map.basePath + map.urlByFile[file] + (hashAt === -1 ? '' : href.slice(hashAt));
}

/** Page URL → runbook file, the inverse of `urlByFile`. */
export function fileByUrlOf(map: LinkMap): Map<string, string> {
  const byUrl = new Map<string, string>();
  for (const [file, url] of Object.entries(map.urlByFile)) byUrl.set(url, file);
  return byUrl;
}

/** A resolver for links written in the page at `url` that records what it resolved. */
export function recordingResolver(map: LinkMap, fromFile: string, pageUrl?: string): { resolve: (href: string) => string | undefined; links: LinkDependency[] } {
  const links: LinkDependency[] = [];
  const seen = new Set<string>();
  return {
    links,
    resolve(href) {
      const url = resolveLinkIn(map, fromFile, href, pageUrl);
      if (!seen.has(href)) {
        seen.add(href);
        links.push([href, url ?? null]);
      }
      return url;
    },
  };
}

/** Loads what rendering needs (markdown pipeline, theme): the slow part of starting a worker. */
export async function createRenderer(init: ThreadInit, loadedTheme?: Theme): Promise<PageRenderer> {
  if (init.mode === 'markdown') {
    const { renderMarkdown } = await import('../markdown/render.js');
    return {
      render(page, links) {
        if (!page.markdown) return undefined;
        const resolver = recordingResolver(links.map, links.fileByUrl.get(page.url) ?? '', page.url);
        const out = renderMarkdown(page.markdown.body, {
          shortcodes: page.markdown.shortcodes,
          renderEmbed: () => '',
          resolved: page.markdown.resolved,
          resolveLink: resolver.resolve,
          startLine: page.markdown.startLine,
        });
        const rendered: RenderedPage = { outputPath: page.outputPath, html: '', headingIds: out.headingIds, links: out.links, searchText: '', problems: out.problems, assetUses: [] };
        return { page: rendered, links: resolver.links };
      },
    };
  }
  const { loadTheme, renderPage } = await import('../render/index.js');
  const theme = loadedTheme ?? (await loadTheme(init.theme));
  return {
    render(page, links) {
      const resolver = recordingResolver(links.map, links.fileByUrl.get(page.url) ?? '', page.url);
      const rendered = renderPage(page, theme, { resolveLink: resolver.resolve });
      return { page: rendered, links: resolver.links };
    },
  };
}
