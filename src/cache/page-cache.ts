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
// Storage: 32 pack files (shards) per render mode, `<dir>/pages-<mode>-<nn>.pack`, an entry
// going to the shard its key's first character names. A one-change build rewrites the shard its
// new entry goes to and the one its old entry leaves, not the whole cache (16,000 pages: ~15 MB of
// gzip, ~100 MB inflated, re-serialised on every edit when it was one file). Each shard is written
// atomically (temporary file + rename) and only when something in it changed. It holds a header
// line and a gzip stream (level 1) of length-prefixed records, one V8-serialised `[key, entry]`
// each, the entry's HTML and search text as UTF-8 bytes (half the size of V8's two-byte strings).
// Records are encoded and compressed one at a time while writing, so saving never holds a second
// copy of every page in memory. gzip's CRC-32 catches corruption; its size trailer sizes the
// inflate buffer. A shard that is missing, unreadable, corrupt, from another format or tool
// version is ignored (its pages are rendered again and it is rewritten): a cache is never trusted
// and never a crash. Shards are independent (keys are hashes of every input), so a build killed
// between two shard renames leaves a cache that is only partly fresh, never wrong.
// A saved shard holds only the entries used by the last build, so the cache never grows without bound.
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { createGzip, gunzip } from 'node:zlib';
import type { PageData, RenderedPage } from '../render/page-data.js';
import { removeDeadTemporaries } from './blob-cache.js';

const gunzipAsync = promisify(gunzip);

/** Bump when the layout of the pack or of an entry changes. 4: 32 shards instead of one pack. */
export const CACHE_FORMAT = 4;
export const SHARDS = 32;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Shard of a key by its first character: page keys are base64url hashes, so shards fill evenly. */
const SHARD_OF = new Uint8Array(128);
for (let i = 0; i < BASE64URL.length; i++) SHARD_OF[BASE64URL.charCodeAt(i)] = i >> 1;

export function shardOf(key: string): number {
  const code = key.charCodeAt(0);
  return code < 128 ? SHARD_OF[code] : code % SHARDS;
}

/** The shard files of a render mode. */
export function shardFile(dir: string, mode: RenderMode, shard: number): string {
  return path.join(dir, `pages-${mode}-${String(shard).padStart(2, '0')}.pack`);
}

/** Whether any shard of `mode` is on disk (a warm cache). */
export function hasShards(dir: string, mode: RenderMode): boolean {
  for (let shard = 0; shard < SHARDS; shard++) if (existsSync(shardFile(dir, mode, shard))) return true;
  return false;
}

/** A temporary file of a save: `.pages-<mode>-<nn>.pack.<pid>.<stamp>.tmp`. */
const TEMPORARY = /^\.pages-(?:full|markdown)-\d\d\.pack\.(\d+)\.[0-9a-z]+\.tmp$/;

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
    Array.isArray(page.links) &&
    Array.isArray(page.assetUses)
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

interface ShardState {
  /** Entries read from disk and not used yet. */
  stored: Map<string, StoredEntry>;
  /** Something was added to the shard, or what is on disk could not be used. */
  changed: boolean;
}

/** Reads one shard's bytes into `into`; throws with the reason they cannot be used. */
async function readShard(bytes: Buffer, version: string, into: Map<string, StoredEntry>): Promise<void> {
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
  let count = 0;
  while (offset < raw.length) {
    if (offset + 4 > raw.length) throw new Error('truncated record');
    const length = raw.readUInt32LE(offset);
    if (offset + 4 + length > raw.length) throw new Error('truncated record');
    const item = deserialize(raw.subarray(offset + 4, offset + 4 + length)) as unknown;
    offset += 4 + length;
    if (!Array.isArray(item) || item.length !== 2 || typeof item[0] !== 'string' || !isStoredEntry(item[1])) throw new Error('malformed entry');
    into.set(item[0], item[1]);
    count++;
  }
  if (count !== header.count) throw new Error('entry count differs from the header');
}

export class PageCache {
  readonly dir: string;
  readonly mode: RenderMode;
  readonly stats: CacheStats = { loaded: 0, saved: false };
  private readonly version: string;
  private readonly shards: ShardState[] = Array.from({ length: SHARDS }, () => ({ stored: new Map(), changed: false }));
  /** Entries used or added by this build, decoded. */
  private readonly used = new Map<string, CacheEntry>();

  private constructor(dir: string, mode: RenderMode, version: string) {
    this.dir = dir;
    this.mode = mode;
    this.version = version;
  }

  /** The file of shard `shard`. */
  file(shard: number): string {
    return shardFile(this.dir, this.mode, shard);
  }

  /** Opens the shards for `mode`; a shard with any problem is left empty (see `stats.ignored`). */
  static async open(dir: string, mode: RenderMode, version: string): Promise<PageCache> {
    const cache = new PageCache(dir, mode, version);
    const problems = await Promise.all(
      cache.shards.map(async (shard, i): Promise<string | undefined> => {
        let bytes: Buffer;
        try {
          bytes = await readFile(cache.file(i));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
          shard.changed = true;
          return `unreadable: ${(error as Error).message}`;
        }
        try {
          await readShard(bytes, version, shard.stored);
          return undefined;
        } catch (error) {
          shard.stored.clear();
          shard.changed = true;
          return `corrupt: ${(error as Error).message} (${path.basename(cache.file(i))})`;
        }
      }),
    );
    cache.stats.loaded = cache.shards.reduce((sum, shard) => sum + shard.stored.size, 0);
    // Missing shards are normal (a small site leaves some empty); any other problem is reported.
    cache.stats.ignored = problems.find((problem) => problem !== undefined && problem !== 'missing') ?? (problems.every((problem) => problem === 'missing') ? 'missing' : undefined);
    return cache;
  }

  /** The entry for `key` if its link dependencies still resolve the same. */
  get(key: string, resolve: (href: string) => string | undefined): CacheEntry | undefined {
    const used = this.used.get(key);
    const shard = this.shards[shardOf(key)];
    const stored = used ? undefined : shard.stored.get(key);
    const links = used?.links ?? stored?.links;
    if (!links) return undefined;
    for (const [href, url] of links) {
      if ((resolve(href) ?? null) !== url) return undefined;
    }
    if (used) return used;
    // Decoded once; the bytes are dropped so that the page is held once, as text.
    const entry = fromStored(stored!);
    shard.stored.delete(key);
    this.used.set(key, entry);
    return entry;
  }

  set(key: string, entry: CacheEntry): void {
    this.used.set(key, entry);
    this.shards[shardOf(key)].changed = true;
  }

  /** Writes, atomically, each shard whose entries used by this build differ from what is on disk. */
  async save(): Promise<void> {
    // A shard is unchanged when nothing was added to it and every entry it had on disk was used.
    const dirty = this.shards.map((shard) => shard.changed || shard.stored.size > 0);
    if (!dirty.includes(true)) return;
    const entries: [string, CacheEntry][][] = Array.from({ length: SHARDS }, () => []);
    for (const item of this.used) if (dirty[shardOf(item[0])]) entries[shardOf(item[0])].push(item);
    try {
      await mkdir(this.dir, { recursive: true });
    } catch {
      return;
    }
    let saved = false;
    // One shard at a time: saving never holds more than one shard's records besides the pages.
    for (let shard = 0; shard < SHARDS; shard++) {
      if (dirty[shard] && (await this.saveShard(shard, entries[shard]))) {
        saved = true;
        this.shards[shard].changed = false;
        this.shards[shard].stored.clear();
      }
    }
    this.stats.saved = saved;
    await this.removeLeftovers();
  }

  private async saveShard(shard: number, entries: [string, CacheEntry][]): Promise<boolean> {
    const file = this.file(shard);
    const header = JSON.stringify({ magic: MAGIC, format: CACHE_FORMAT, version: this.version, count: entries.length });
    const temporary = path.join(this.dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
    try {
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
      await rename(temporary, file);
      return true;
    } catch {
      // A cache that cannot be written only costs time on the next build.
      await rm(temporary, { force: true }).catch(() => undefined);
      return false;
    }
  }

  /** The single pack of format 3 and temporary files of saves that were killed: never read, so removed. */
  private async removeLeftovers(): Promise<void> {
    await rm(path.join(this.dir, `pages-${this.mode}.pack`), { force: true }).catch(() => undefined);
    await removeDeadTemporaries(this.dir, TEMPORARY);
  }
}

/** Hash of the build-wide inputs of every page (see the header of this file). */
export function cacheSalt(parts: Record<string, unknown>): string {
  return createHash('sha256').update(`${CACHE_FORMAT}\0${JSON.stringify(parts)}`).digest('base64url');
}

/**
 * Keys for the pages of one build. A page's JSON is ~6 kB, much of it objects that many pages
 * share: the site info, rules (a runbook page's and its embeds'), the links of a section's window
 * (the pages of a section list the same link objects). Each of those is serialised once per keyer,
 * by identity, and a key is the hash of the page's JSON with those parts as their memoised JSON
 * (the 10x corpus: 105 MB of JSON per build, a third of it section windows). A keyer serves one
 * pass over pages that are not changed meanwhile, so a memoised text never goes stale.
 */
export function pageKeyer(salt: string): (page: PageData) => string {
  const memo = new Map<object, string>();
  const json = (value: object): string => {
    let text = memo.get(value);
    if (text === undefined) memo.set(value, (text = JSON.stringify(value)));
    return text;
  };
  const list = (values: readonly object[] | undefined): string => {
    if (!values) return 'undefined';
    let text = '[';
    for (let i = 0; i < values.length; i++) text += (i === 0 ? '' : ',') + json(values[i]);
    return `${text}]`;
  };
  // SHA-1 is enough to tell inputs apart (this is not a defence against forged inputs) and is
  // faster than SHA-256 on CPUs without SHA extensions. The parts are apart by NUL bytes, which
  // JSON text never holds unescaped.
  return (page) => {
    const { site, rules, sectionPages, markdown, ...rest } = page;
    const hash = createHash('sha1').update(salt).update(JSON.stringify(rest));
    hash.update('\0site\0').update(site ? json(site) : 'undefined');
    hash.update('\0rules\0').update(list(rules));
    hash.update('\0sectionPages\0').update(list(sectionPages));
    if (markdown) {
      const { embeds, ...own } = markdown;
      hash.update('\0markdown\0').update(JSON.stringify(own)).update('\0embeds');
      for (const { rules: embedded, ...embed } of embeds ?? []) hash.update('\0').update(JSON.stringify(embed)).update('\0').update(list(embedded));
    }
    return hash.digest('base64url');
  };
}

/** The cache key of one page (pageKeyer for many). */
export function pageKey(salt: string, page: PageData): string {
  return pageKeyer(salt)(page);
}
