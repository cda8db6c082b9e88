// Parsed input files reused across builds: a rule file or runbook whose text (and path) did not
// change since the last build is not parsed and validated again; its result and its diagnostics
// come from here. After one edit, a build loads one file instead of all of them (srerun: the load
// stage went from ~0.6 s to a few tens of milliseconds, see BENCHMARKS.md).
//
// One file per cache folder, keyed by the tool's code and version (any other code: a miss).
// Entries are keyed by kind and path and hold a hash of the text they were parsed from. Only the
// entries of the current build are saved, so the file does not grow with deleted inputs.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { VFile } from 'vfile';
import { reportError, reportNote, reportWarning, severityOf, type Place, type Severity } from '../diagnostics.js';
import type { Point } from '../model.js';
import { readBlob, writeBlob } from './blob-cache.js';
import { codeFingerprint } from './code-fingerprint.js';

const FORMAT = 1;

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
  const file = path.join(cacheDir, 'load.cache');
  const key = `${FORMAT}:${version}:${await codeFingerprint()}`;
  let previous: Record<string, Entry> = {};
  const stored = await readBlob(file, key);
  if (stored !== undefined) {
    try {
      const parsed = JSON.parse(stored) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) previous = parsed as Record<string, Entry>;
    } catch {
      // Corrupt: parse everything again.
    }
  }
  const current: Record<string, Entry> = {};
  let parsed = 0;
  return {
    reuse<T>(kind: LoadKind, name: string, text: string, vfile: VFile): T | undefined {
      const id = `${kind}:${name}`;
      const entry = Object.hasOwn(previous, id) ? previous[id] : undefined;
      if (!entry || entry.textHash !== textHash(text) || !Array.isArray(entry.messages)) return undefined;
      replayMessages(vfile, entry.messages);
      current[id] = entry;
      return entry.value as T;
    },
    keep(kind, name, text, vfile, value) {
      parsed++;
      current[`${kind}:${name}`] = { textHash: textHash(text), value, messages: storedMessages(vfile) };
    },
    async save() {
      // Nothing parsed and no file gone: the file on disk already says the same.
      if (parsed === 0 && Object.keys(current).length === Object.keys(previous).length) return;
      await writeBlob(file, key, JSON.stringify(current));
    },
  };
}
