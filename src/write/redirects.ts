import type { Site } from '../link/site.js';
import type { OutputFile } from './output.js';
import { escapeHtml } from '../html.js';

/** A small page per front-matter alias that sends the reader (and search engines) to the new URL. */
export function redirectFiles(site: Site): OutputFile[] {
  return site.redirects.map((redirect) => {
    const target = escapeHtml(new URL(redirect.to, site.info.baseURL).href);
    return {
      path: redirect.outputPath,
      content:
        `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Moved</title>` +
        `<link rel="canonical" href="${target}"><meta name="robots" content="noindex">` +
        `<meta http-equiv="refresh" content="0; url=${target}"></head>` +
        `<body><p>This runbook moved to <a href="${target}">${target}</a>.</p></body></html>\n`,
    };
  });
}
