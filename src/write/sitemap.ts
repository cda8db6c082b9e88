import type { Site } from '../link/site.js';
import { escapeHtml } from '../html.js';

/** sitemap.xml listing every page but 404, with absolute URLs under the base URL. */
export function sitemap(site: Site): string {
  const entries = site.pages
    // An alert page that only redirects to its runbook is not a page of its own.
    .filter((page) => page.kind !== '404' && !page.alert?.redirectTo)
    .map((page) => {
      const loc = new URL(page.url, site.info.baseURL).href;
      const lastmod = page.lastModified ? `<lastmod>${escapeHtml(page.lastModified)}</lastmod>` : '';
      return `  <url><loc>${escapeHtml(loc)}</loc>${lastmod}</url>`;
    });
  return `<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</urlset>\n`;
}
