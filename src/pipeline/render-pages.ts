// Render stage driver: turns every PageData into a RenderedPage.
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import type { Site } from '../link/site.js';
import type { RenderedPage } from '../render/page-data.js';
import type { OutputFile } from '../write/output.js';

export interface RenderOptions {
  config: ResolvedConfig;
  version: string;
  templatesDir: string;
  /** `check`: render markdown only (for links and problems), no layouts. */
  markdownOnly: boolean;
  cache: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface PageProblem {
  url: string;
  start: number;
  end: number;
  message: string;
  ruleId: string;
}

export interface RenderOutcome {
  /** By page URL, in site order. */
  rendered: Map<string, RenderedPage>;
  problems: PageProblem[];
  cacheHits: number;
  renderedCount: number;
}

export async function renderPages(site: Site, options: RenderOptions): Promise<RenderOutcome> {
  const rendered = new Map<string, RenderedPage>();
  const problems: PageProblem[] = [];
  const total = site.pages.length;
  let done = 0;
  if (options.markdownOnly) {
    const { renderMarkdown } = await import('../markdown/render.js');
    const fileByUrl = new Map(site.runbooks.map((runbook) => [runbook.url, runbook.file]));
    for (const page of site.pages) {
      if (page.markdown) {
        const out = renderMarkdown(page.markdown.body, {
          shortcodes: page.markdown.shortcodes,
          renderEmbed: () => '',
          resolveLink: (href) => resolveMarkdownLink(site, fileByUrl.get(page.url) ?? '', href),
          startLine: page.markdown.startLine,
        });
        rendered.set(page.url, { outputPath: page.outputPath, html: '', headingIds: out.headingIds, links: out.links, searchText: '', problems: out.problems });
      }
      options.onProgress?.(++done, total);
    }
  } else {
    const { loadTheme, renderPage } = await import('../render/index.js');
    const theme = await loadTheme({ defaultDir: options.templatesDir, overrideDir: options.config.templatesDir, basePath: options.config.basePath });
    for (const page of site.pages) {
      rendered.set(page.url, renderPage(page, theme));
      options.onProgress?.(++done, total);
    }
  }
  for (const [url, page] of rendered) for (const problem of page.problems ?? []) problems.push({ url, ...problem });
  return { rendered, problems, cacheHits: 0, renderedCount: rendered.size };
}

/** A relative `.md` link in `fromFile` (project-relative path) → site-relative page URL with basePath. */
export function resolveMarkdownLink(site: Site, fromFile: string, href: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//') || href.startsWith('#')) return undefined;
  const hashAt = href.indexOf('#');
  const target = hashAt === -1 ? href : href.slice(0, hashAt);
  if (!/\.md$/i.test(target)) {
    // Site-absolute links are written from the site root; on a project site they need the base path.
    if (href.startsWith('/') && !href.startsWith(site.info.basePath)) return site.info.basePath + href.slice(1);
    return undefined;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    return undefined;
  }
  const file = decoded.startsWith('/') ? decoded.slice(1) : path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), decoded));
  const url = site.urlByFile[file];
  return url === undefined ? undefined : site.info.basePath + url + (hashAt === -1 ? '' : href.slice(hashAt));
}

export async function assetFiles(site: Site, rendered: Map<string, RenderedPage>, options: { config: ResolvedConfig; templatesDir: string }): Promise<OutputFile[]> {
  const { loadTheme, themeAssets, buildSearchIndex } = await import('../render/index.js');
  const theme = await loadTheme({ defaultDir: options.templatesDir, overrideDir: options.config.templatesDir, basePath: options.config.basePath });
  const files: OutputFile[] = themeAssets(theme).map((asset) => ({ path: asset.path, content: asset.content }));
  const docs = site.pages
    .filter((page) => page.kind === 'runbook')
    .map((page) => ({
      url: page.url,
      title: page.title,
      alerts: page.rules.map((rule) => rule.name),
      text: rendered.get(page.url)?.searchText ?? '',
    }));
  const index = buildSearchIndex(docs);
  files.push({ path: index.path, content: index.content });
  return files;
}
