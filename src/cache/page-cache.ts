// Persistent render cache: a page's RenderedPage is reused when everything that shaped it hashes
// the same. The key of a page is a hash of
//   - the build's salt: cache format, tool version, a hash of the tool's own compiled code and
//     lock file, the theme fingerprint (every template and asset byte, base path), the render
//     mode (full page or markdown only) and the render-relevant configuration;
//   - the page's PageData (its rules, navigation, front matter, markdown… all plain data).
// The link map is site-wide, so it is not in the key: each entry records the `.md` links it
// resolved while rendering and what they resolved to, and is reused only when they all still
// resolve the same ("the link map entries it depends on").
//
// Storage: one pack file per render mode, `<dir>/pages-<mode>.pack`, written atomically
// (temporary file + rename) and only when something changed. It holds a header line and a
// gzip stream (level 1) of length-prefixed records, one V8-serialised `[key, entry]` each, the
// entry's HTML and search text as UTF-8 bytes (half the size of V8's two-byte strings). Records are
// encoded and compressed one at a time while writing, so saving never holds a second copy of every
// page in memory. gzip's CRC-32 catches corruption; its size trailer sizes the inflate buffer. A pack that
// is missing, unreadable, corrupt, from another format or tool version is ignored (the build
// starts from an empty cache and rewrites it): a cache is never trusted and never a crash.
// A saved pack holds only the entries used by the last build, so it never grows without bound.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { createGzip, gunzip } from 'node:zlib';
import type { PageData, RenderedPage } from '../render/page-data.js';

const gunzipAsync = promisify(gunzip);

/** Bump when the layout of the pack or of an entry changes. */
export const CACHE_FORMAT = 3;
const MAGIC = 'runbook-site render cache';

/** A `.md` href resolved while rendering the page and the URL it became (null: left as written). */
export type LinkDependency = [href: string, url: string | null];

export interface CacheEntry {
  page: RenderedPage;
  links: LinkDependency[];
}

export type RenderMode = 'full' | 'markdown';

export interface CacheStats {
  /** Entries read from disk. */
  loaded: number;
  /** Why the pack on disk was not used, if it was not. */
  ignored?: string;
  /** Whether save() wrote the pack. */
  saved: boolean;
}

/** An entry as stored: the big strings as UTF-8 bytes. */
interface StoredEntry {
  page: Omit<RenderedPage, 'html' | 'searchText'> & { html: Uint8Array; searchText: Uint8Array };
  links: LinkDependency[];
}

function isStoredEntry(value: unknown): value is StoredEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as StoredEntry;
  const page = entry.page as StoredEntry['page'] | undefined;
  return (
    Array.isArray(entry.links) &&
    typeof page === 'object' &&
    page !== null &&
    page.html instanceof Uint8Array &&
    page.searchText instanceof Uint8Array &&
    typeof page.outputPath === 'string' &&
    Array.isArray(page.headingIds) &&
    Array.isArray(page.links)
  );
}

const utf8 = new TextDecoder();

function toStored(entry: CacheEntry): StoredEntry {
  const html = typeof entry.page.html === 'string' ? Buffer.from(entry.page.html) : entry.page.html;
  return { page: { ...entry.page, html, searchText: Buffer.from(entry.page.searchText) }, links: entry.links };
}

function fromStored(entry: StoredEntry): CacheEntry {
  // The page's bytes as they are (a view, not a copy); its search text is wanted as text.
  const html = Buffer.from(entry.page.html.buffer, entry.page.html.byteOffset, entry.page.html.byteLength);
  return { page: { ...entry.page, html, searchText: utf8.decode(entry.page.searchText) }, links: entry.links };
}

export class PageCache {
  readonly file: string;
  readonly stats: CacheStats = { loaded: 0, saved: false };
  private readonly version: string;
  /** Entries read from disk and not used yet. */
  private readonly stored = new Map<string, StoredEntry>();
  /** Entries used or added by this build, decoded. */
  private readonly used = new Map<string, CacheEntry>();
  private changed = false;

  private constructor(dir: string, mode: RenderMode, version: string) {
    this.file = path.join(dir, `pages-${mode}.pack`);
    this.version = version;
  }

  /** Opens the pack for `mode`; any problem with it yields an empty cache (see `stats.ignored`). */
  static async open(dir: string, mode: RenderMode, version: string): Promise<PageCache> {
    const cache = new PageCache(dir, mode, version);
    let bytes: Buffer;
    try {
      bytes = await readFile(cache.file);
    } catch (error) {
      cache.stats.ignored = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `unreadable: ${(error as Error).message}`;
      return cache;
    }
    try {
      const newline = bytes.indexOf(10);
      if (newline === -1 || newline > 4096) throw new Error('no header');
      const header = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as { magic?: unknown; format?: unknown; version?: unknown; count?: unknown };
      if (header.magic !== MAGIC) throw new Error('not a runbook-site cache');
      if (header.format !== CACHE_FORMAT) throw new Error(`cache format ${String(header.format)}`);
      if (header.version !== version) throw new Error(`written by version ${String(header.version)}`);
      const gzipped = bytes.subarray(newline + 1);
      if (gzipped.length < 18) throw new Error('truncated');
      // Inflate into one buffer of the size the gzip trailer gives: zlib's default 16 kB chunks
      // cost ~3× the time in callbacks.
      const size = gzipped.readUInt32LE(gzipped.length - 4);
      if (size > gzipped.length * 1032) throw new Error('impossible size in the gzip trailer'); // deflate's best ratio
      const raw = await gunzipAsync(gzipped, { chunkSize: Math.max(64 * 1024, size + 1) });
      let offset = 0;
      while (offset < raw.length) {
        if (offset + 4 > raw.length) throw new Error('truncated record');
        const length = raw.readUInt32LE(offset);
        if (offset + 4 + length > raw.length) throw new Error('truncated record');
        const item = deserialize(raw.subarray(offset + 4, offset + 4 + length)) as unknown;
        offset += 4 + length;
        if (!Array.isArray(item) || item.length !== 2 || typeof item[0] !== 'string' || !isStoredEntry(item[1])) throw new Error('malformed entry');
        cache.stored.set(item[0], item[1]);
      }
      if (cache.stored.size !== header.count) throw new Error('entry count differs from the header');
      cache.stats.loaded = cache.stored.size;
    } catch (error) {
      cache.stored.clear();
      cache.changed = true;
      cache.stats.ignored = `corrupt: ${(error as Error).message}`;
    }
    return cache;
  }

  /** The entry for `key` if its link dependencies still resolve the same. */
  get(key: string, resolve: (href: string) => string | undefined): CacheEntry | undefined {
    const used = this.used.get(key);
    const stored = used ? undefined : this.stored.get(key);
    const links = used?.links ?? stored?.links;
    if (!links) return undefined;
    for (const [href, url] of links) {
      if ((resolve(href) ?? null) !== url) return undefined;
    }
    if (used) return used;
    // Decoded once; the bytes are dropped so that the page is held once, as text.
    const entry = fromStored(stored!);
    this.stored.delete(key);
    this.used.set(key, entry);
    return entry;
  }

  set(key: string, entry: CacheEntry): void {
    this.used.set(key, entry);
    this.changed = true;
  }

  /** Writes the entries used by this build, atomically, if they differ from what was on disk. */
  async save(): Promise<void> {
    // Unchanged: nothing added, and every entry on disk was used.
    if (!this.changed && this.stored.size === 0) return;
    const entries = [...this.used];
    const header = JSON.stringify({ magic: MAGIC, format: CACHE_FORMAT, version: this.version, count: entries.length });
    const dir = path.dirname(this.file);
    const temporary = path.join(dir, `.${path.basename(this.file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
    try {
      await mkdir(dir, { recursive: true });
      const out = createWriteStream(temporary);
      out.write(`${header}\n`);
      await pipeline(
        function* records() {
          // Records go to zlib in ~4 MB slices: one write per record costs a thread-pool round trip each.
          let parts: Buffer[] = [];
          let size = 0;
          for (const [key, entry] of entries) {
            const record = serialize([key, toStored(entry)]);
            const length = Buffer.alloc(4);
            length.writeUInt32LE(record.length);
            parts.push(length, record);
            size += 4 + record.length;
            if (size >= 4 * 1024 * 1024) {
              yield Buffer.concat(parts, size);
              parts = [];
              size = 0;
            }
          }
          if (size > 0) yield Buffer.concat(parts, size);
        },
        createGzip({ level: 1, chunkSize: 4 * 1024 * 1024 }),
        out,
      );
      await rename(temporary, this.file);
      this.stats.saved = true;
    } catch {
      // A cache that cannot be written only costs time on the next build.
      await rm(temporary, { force: true }).catch(() => undefined);
    }
  }
}

/** Hash of the build-wide inputs of every page (see the header of this file). */
export function cacheSalt(parts: Record<string, unknown>): string {
  return createHash('sha256').update(`${CACHE_FORMAT}\0${JSON.stringify(parts)}`).digest('base64url');
}

/** The cache key of one page. */
export function pageKey(salt: string, page: PageData): string {
  // SHA-1 is enough to tell inputs apart (this is not a defence against forged inputs) and is
  // faster than SHA-256 on CPUs without SHA extensions; the JSON is ~27 kB per srerun page.
  return createHash('sha1').update(salt).update(JSON.stringify(page)).digest('base64url');
}
