// Serves the files of one built site folder under the site's base path, as GitHub Pages does:
// `index.html` for folders (and a 301 to the trailing-slash URL), the site's own `404.html` with
// status 404 for misses, no directory listings. Only files inside the folder are ever read:
// `..`, encoded separators or dots (also double-encoded), NUL bytes, empty segments (`//`, an
// absolute path) and symbolic links leading out of the folder are refused.
import { readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export interface StaticSiteOptions {
  /** The folder to serve (read at every request: it changes while serving). */
  root: () => string;
  /** Path prefix of the site, with leading and trailing slash (`/` or `/repo/`). */
  basePath: () => string;
  /** Rewrites an HTML response before it is sent (live reload injects its script here); `file` is site-relative. */
  transformHtml?: (html: string, file: string) => string;
  /** Sent when the folder has no page to show (nothing built yet, or no 404.html). */
  fallbackHtml?: (status: number) => string;
}

/** Why a request path was refused, or the site-relative segments it names. */
type Resolved = { refused: 403 | 400 } | { segments: string[]; trailingSlash: boolean };

// After one decoding, these mean the path was encoded twice to smuggle a dot, separator or NUL.
const DOUBLE_ENCODED = /%(2e|2f|5c|00)/i;

/** Splits the part of the path after the base path into decoded segments, refusing anything that could leave the folder. */
export function resolveRequestPath(rawPath: string): Resolved {
  const trailingSlash = rawPath === '' || rawPath.endsWith('/');
  const rawSegments = rawPath.split('/');
  if (trailingSlash) rawSegments.pop();
  const segments: string[] = [];
  for (const raw of rawSegments) {
    // An empty segment: `//`, or an absolute path glued after the base path.
    if (raw === '') return { refused: 403 };
    // Encoded separators would turn one segment into several after decoding.
    if (/%2f|%5c|%00/i.test(raw)) return { refused: 403 };
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { refused: 400 };
    }
    if (segment === '.' || segment === '..' || segment.includes('\\') || segment.includes('\0') || segment.includes('/')) return { refused: 403 };
    if (DOUBLE_ENCODED.test(segment)) return { refused: 403 };
    // A drive letter (`C:`) is an absolute path on Windows.
    if (/^[a-z]:$/i.test(segment)) return { refused: 403 };
    segments.push(segment);
  }
  return { segments, trailingSlash };
}

function inside(root: string, target: string): boolean {
  return target === root || target.startsWith(root + path.sep);
}

function statOf(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/** The real file behind `segments`, or 403 when a link leads out of the folder, or undefined when there is none. */
function realFile(root: string, segments: string[]): { file: string; stats: Stats } | 403 | undefined {
  const candidate = path.join(root, ...segments);
  let real: string;
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(candidate);
  } catch {
    return undefined;
  }
  if (!inside(realRoot, real)) return 403;
  const stats = statOf(real);
  return stats ? { file: real, stats } : undefined;
}

function etagOf(stats: Stats, variant: string): string {
  return `"${stats.size.toString(36)}-${Math.floor(stats.mtimeMs).toString(36)}${variant}"`;
}

function notModified(request: IncomingMessage, etag: string, stats: Stats): boolean {
  const match = request.headers['if-none-match'];
  if (match !== undefined) return match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
  const since = request.headers['if-modified-since'];
  if (since === undefined) return false;
  const time = Date.parse(since);
  return Number.isFinite(time) && Math.floor(stats.mtimeMs / 1000) <= Math.floor(time / 1000);
}

function send(response: ServerResponse, request: IncomingMessage, status: number, headers: Record<string, string>, body: string | Buffer): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  response.writeHead(status, { 'Content-Length': String(bytes.length), 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache', ...headers });
  response.end(request.method === 'HEAD' ? undefined : bytes);
}

/** An HTTP handler serving the site folder; returns after the response is sent. */
export function staticSiteHandler(options: StaticSiteOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const sendHtml = (request: IncomingMessage, response: ServerResponse, status: number, html: string, file: string, extra: Record<string, string> = {}) => {
    const body = options.transformHtml ? options.transformHtml(html, file) : html;
    send(response, request, status, { 'Content-Type': 'text/html; charset=utf-8', ...extra }, body);
  };

  const notFound = (request: IncomingMessage, response: ServerResponse, status: 403 | 404 | 400 = 404) => {
    const root = options.root();
    const page = status === 404 ? realFile(root, ['404.html']) : undefined;
    if (page && page !== 403 && page.stats.isFile()) {
      sendHtml(request, response, status, readFileSync(page.file, 'utf8'), '404.html');
      return;
    }
    const reason = status === 403 ? 'Forbidden' : status === 400 ? 'Bad request' : 'Not found';
    const fallback = options.fallbackHtml?.(status);
    if (fallback) sendHtml(request, response, status, fallback, '');
    else send(response, request, status, { 'Content-Type': 'text/plain; charset=utf-8' }, `${status} ${reason}\n`);
  };

  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, request, 405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }, '405 Method not allowed\n');
      return;
    }
    const target = request.url ?? '/';
    // Only origin-form paths (`/…`): an absolute URL or `*` is not a file of the site.
    if (!target.startsWith('/')) {
      notFound(request, response, 400);
      return;
    }
    const queryAt = target.search(/[?#]/);
    const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
    const query = queryAt === -1 ? '' : target.slice(queryAt);
    if (rawPath.includes('\0') || rawPath.includes('\\') || /%5c|%00/i.test(rawPath)) {
      notFound(request, response, 403);
      return;
    }
    const basePath = options.basePath();
    if (!rawPath.startsWith(basePath)) {
      // `/` and `/repo` lead to the site; anything else outside the base path does not exist.
      if (rawPath === '/' || rawPath === basePath.slice(0, -1)) {
        send(response, request, 302, { Location: basePath + query, 'Content-Type': 'text/plain; charset=utf-8' }, `Redirecting to ${basePath}\n`);
      } else {
        notFound(request, response);
      }
      return;
    }
    const resolved = resolveRequestPath(rawPath.slice(basePath.length));
    if ('refused' in resolved) {
      notFound(request, response, resolved.refused);
      return;
    }
    const root = options.root();
    let found = realFile(root, resolved.segments);
    if (found === 403) {
      notFound(request, response, 403);
      return;
    }
    let file = resolved.segments.join('/');
    if (found?.stats.isDirectory()) {
      const index = realFile(root, [...resolved.segments, 'index.html']);
      if (index === 403) {
        notFound(request, response, 403);
        return;
      }
      if (!index?.stats.isFile()) {
        notFound(request, response);
        return;
      }
      if (!resolved.trailingSlash) {
        // GitHub Pages answers a folder without its slash with a permanent redirect.
        send(response, request, 301, { Location: `${rawPath}/${query}`, 'Content-Type': 'text/plain; charset=utf-8' }, `Moved to ${rawPath}/\n`);
        return;
      }
      found = index;
      file = file ? `${file}/index.html` : 'index.html';
    } else if (!found?.stats.isFile() || resolved.trailingSlash) {
      notFound(request, response);
      return;
    }
    const { stats } = found;
    const type = contentType(found.file);
    const isHtml = type.startsWith('text/html');
    // Served HTML differs from the bytes on disk (the live-reload script): its own validator.
    const etag = etagOf(stats, isHtml && options.transformHtml ? '-live' : '');
    const validators = { ETag: etag, 'Last-Modified': stats.mtime.toUTCString() };
    if (notModified(request, etag, stats)) {
      response.writeHead(304, { ...validators, 'Cache-Control': 'no-cache' });
      response.end();
      return;
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(found.file);
    } catch {
      // Replaced between the stat and the read (a rebuild): the next request gets the new file.
      notFound(request, response);
      return;
    }
    if (isHtml) sendHtml(request, response, 200, bytes.toString('utf8'), file, validators);
    else send(response, request, 200, { 'Content-Type': type, ...validators }, bytes);
  };
}

