// Site-wide link check over what rendering found: relative `.md` links, site-absolute links and
// `#anchors` must point at pages (and headings) the build generates. Runs before anything is written.
import { reportError } from '../diagnostics.js';
import type { Runbook } from '../model.js';
import { markdownLinkFile, pageUrlOf, safeDecode, sitePageUrl } from './urls.js';

export interface PageLinks {
  /** The page's runbook (links are reported on its file). */
  runbook: Runbook;
  url: string;
  headingIds: string[];
  links: { href: string; line: number; column: number }[];
}

/** Link targets that are not pages: generated files and the assets folder. */
function isGeneratedFile(target: string): boolean {
  return target === '404.html' || target === 'sitemap.xml' || target.startsWith('assets/');
}

export function checkLinks(pages: PageLinks[], options: { urls: Set<string>; urlByFile: Record<string, string>; basePath: string; baseURL: string }): void {
  const headingsByUrl = new Map(pages.map((page) => [page.url, new Set(page.headingIds)]));
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
      const markdownFile = markdownLinkFile(page.runbook.file, pathPart);

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
        if (targetUrl === undefined) {
          reportError(page.runbook.vfile, `Unexpected link to \`${pathPart}\`: no runbook \`${file}\` is built, expected a path relative to this file`, place, 'broken-link');
          continue;
        }
      } else {
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
      }

      const pageUrl = pageUrlOf(targetUrl);
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
}
