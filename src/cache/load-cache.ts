// Parsed input files reused across builds: a rule file or runbook whose text (and path) did not
// change since the last build is not parsed and validated again; its result and its diagnostics
// come from here. After one edit, a build loads one file instead of all of them (srerun: the load
// stage went from ~0.6 s to a few tens of milliseconds, see BENCHMARKS.md).
//
// 16 files per cache folder (`load-<nn>.cache`, an entry in the one its kind and path hash to),
// each keyed by the tool's code and version (any other code: a miss). One edit rewrites one
// shard: as one file, the 10x corpus's 17 MB of JSON was stringified, hashed and written on every
// build that changed anything. Entries are keyed by kind and path and hold a hash of the text they
// were parsed from. Only the entries of the current build are saved, so the files do not grow
// with deleted inputs.
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { VFile } from 'vfile';
import { reportError, reportNote, reportWarning, severityOf, type Place, type Severity } from '../diagnostics.js';
import type { Point } from '../model.js';
import { readBlob, writeBlob } from './blob-cache.js';
import { codeFingerprint } from './code-fingerprint.js';

/** 2: 16 shards instead of one `load.cache`. */
const FORMAT = 2;
export const LOAD_SHARDS = 16;

/** The shard of an entry: FNV-1a of its id, so that a path always lands in the same file. */
function shardOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % LOAD_SHARDS;
}

export function loadShardFile(cacheDir: string, shard: number): string {
  return path.join(cacheDir, `load-${String(shard).padStart(2, '0')}.cache`);
}

/** A diagnostic as kept with a cached value, to be put back on the file when the value is reused. */
export interface StoredMessage {
  reason: string;
  place?: Point | Place;
  ruleId: string;
  severity: Severity;
}

interface Entry {
  textHash: string;
  value: unknown;
  messages: StoredMessage[];
}

export type LoadKind = 'rules' | 'runbook';

export interface LoadCache {
  /** The value parsed from this very text last time, its diagnostics put back on `vfile`; else undefined. */
  reuse<T>(kind: LoadKind, file: string, text: string, vfile: VFile): T | undefined;
  /** Records what `text` parsed to (plain data) and the diagnostics now on `vfile`. */
  keep(kind: LoadKind, file: string, text: string, vfile: VFile, value: unknown): void;
  /** Writes the entries used by this build (atomically; a failure only means a miss next time). */
  save(): Promise<void>;
}

/** The key of a file's text in a load cache. */
export function textHash(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}

const report = { error: reportError, warning: reportWarning, note: reportNote } as const;

/** The diagnostics now on `vfile`, as a cache keeps them. */
export function storedMessages(vfile: VFile): StoredMessage[] {
  return vfile.messages.map((message) => ({
    reason: message.reason,
    place: message.place as Point | Place | undefined,
    ruleId: message.ruleId ?? 'runbook-site',
    severity: severityOf(message),
  }));
}

/** Puts kept diagnostics back on `vfile`, as the parse that found them did. */
export function replayMessages(vfile: VFile, messages: StoredMessage[]): void {
  for (const message of messages) report[message.severity](vfile, message.reason, message.place, message.ruleId);
}

export async function openLoadCache(cacheDir: string, version: string): Promise<LoadCache> {
  const key = `${FORMAT}:${version}:${await codeFingerprint()}`;
  const shards = Array.from({ length: LOAD_SHARDS }, (_, shard) => shard);
  const previous: Record<string, Entry>[] = await Promise.all(
    shards.map(async (shard) => {
      const stored = await readBlob(loadShardFile(cacheDir, shard), key);
      if (stored !== undefined) {
        try {
          const parsed = JSON.parse(stored) as unknown;
          if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, Entry>;
        } catch {
          // Corrupt: parse this shard's files again.
        }
      }
      return {};
    }),
  );
  const current: Record<string, Entry>[] = shards.map(() => ({}));
  const parsed = shards.map(() => 0);
  return {
    reuse<T>(kind: LoadKind, name: string, text: string, vfile: VFile): T | undefined {
      const id = `${kind}:${name}`;
      const shard = shardOf(id);
      const entry = Object.hasOwn(previous[shard], id) ? previous[shard][id] : undefined;
      if (!entry || entry.textHash !== textHash(text) || !Array.isArray(entry.messages)) return undefined;
      replayMessages(vfile, entry.messages);
      current[shard][id] = entry;
      return entry.value as T;
    },
    keep(kind, name, text, vfile, value) {
      const id = `${kind}:${name}`;
      const shard = shardOf(id);
      parsed[shard]++;
      current[shard][id] = { textHash: textHash(text), value, messages: storedMessages(vfile) };
    },
    async save() {
      let wrote = false;
      for (const shard of shards) {
        // Nothing parsed and no file gone: the file on disk already says the same.
        if (parsed[shard] === 0 && Object.keys(current[shard]).length === Object.keys(previous[shard]).length) continue;
        await writeBlob(loadShardFile(cacheDir, shard), key, JSON.stringify(current[shard]));
        wrote = true;
      }
      // The one file of format 1: never read again. (What a killed save of a shard left, writeBlob removes.)
      if (wrote) await rm(path.join(cacheDir, 'load.cache'), { force: true }).catch(() => undefined);
    },
  };
}
