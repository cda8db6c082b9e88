// Rendering one page, the same on the main thread and in a worker: a PageData in, a RenderedPage
// and the `.md` links it resolved (for the cache) out. Set up once per thread from plain options.
import type { LinkDependency, RenderMode } from '../cache/page-cache.js';
import type { PageData, RenderedPage } from '../render/page-data.js';
import type { Theme } from '../render/theme.js';
import { markdownLinkFile } from '../link/urls.js';

/** The site-wide data a thread needs to resolve markdown links: sent once per worker. */
export interface LinkMap {
  /** Runbook file (relative to the runbooks folder) → page URL. */
  urlByFile: Record<string, string>;
  basePath: string;
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

/** A relative `.md` link in `fromFile` (relative to the runbooks folder) → site-relative page URL with basePath. */
export function resolveLinkIn(map: LinkMap, fromFile: string, href: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//') || href.startsWith('#')) return undefined;
  const hashAt = href.indexOf('#');
  const target = hashAt === -1 ? href : href.slice(0, hashAt);
  if (!/\.md$/i.test(target)) return undefined;
  const file = markdownLinkFile(fromFile, target)!;
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
export function recordingResolver(map: LinkMap, fromFile: string): { resolve: (href: string) => string | undefined; links: LinkDependency[] } {
  const links: LinkDependency[] = [];
  const seen = new Set<string>();
  return {
    links,
    resolve(href) {
      const url = resolveLinkIn(map, fromFile, href);
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
        const resolver = recordingResolver(links.map, links.fileByUrl.get(page.url) ?? '');
        const out = renderMarkdown(page.markdown.body, {
          shortcodes: page.markdown.shortcodes,
          renderEmbed: () => '',
          resolved: page.markdown.resolved,
          resolveLink: resolver.resolve,
          startLine: page.markdown.startLine,
        });
        const rendered: RenderedPage = { outputPath: page.outputPath, html: '', headingIds: out.headingIds, links: out.links, searchText: '', problems: out.problems };
        return { page: rendered, links: resolver.links };
      },
    };
  }
  const { loadTheme, renderPage } = await import('../render/index.js');
  const theme = loadedTheme ?? (await loadTheme(init.theme));
  return {
    render(page, links) {
      const resolver = recordingResolver(links.map, links.fileByUrl.get(page.url) ?? '');
      const rendered = renderPage(page, theme, { resolveLink: resolver.resolve });
      return { page: rendered, links: resolver.links };
    },
  };
}
