// The record of the last build (or check): when none of its inputs changed and the output folder
// is exactly as that build left it, the previous diagnostics are replayed and nothing is loaded,
// rendered or written. Inputs are hashed by content (every rule file, runbook, template, the intro
// and config files), together with the resolved configuration, the options that change the result,
// the tool's own code and, for builds, the git commit (last-modified dates come from history).
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import type { Coverage } from '../link/alerts.js';
import { everyFile, listFiles, type Listings } from '../load/files.js';
import type { Diagnostic } from '../report/format.js';
import { readBlob, writeBlob } from './blob-cache.js';
import { codeFingerprint } from './code-fingerprint.js';
import { isRuleFileName } from '../rules/file-names.js';

const RECORD_FORMAT = 2;

export type RecordMode = 'build' | 'check';

export interface BuildRecord {
  /** As printed: paths relative to the command's working directory (part of the key). */
  diagnostics: Diagnostic[];
  coverage: Coverage;
  runbookCount: number;
  pageCount: number;
  errors: number;
  warnings: number;
  /** Build mode: every output file with its size and mtime, to tell that the folder is untouched. */
  output?: [file: string, size: number, mtimeMs: number][];
  /** Build mode: every output folder (`.` is the output folder) with its mtime, which changes when an entry is added or removed. */
  outputDirs?: [dir: string, mtimeMs: number][];
}

function gitHead(dir: string): Promise<string> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', 'HEAD'], { cwd: dir, timeout: 5_000 }, (error, stdout) => resolve(error ? '' : stdout.trim()));
  });
}

async function hashFolder(hash: ReturnType<typeof createHash>, label: string, dir: string | undefined, accept: (name: string) => boolean, listings?: Listings): Promise<void> {
  if (!dir) return;
  let files: string[];
  try {
    files = await listFiles(dir, accept);
    listings?.set(path.resolve(dir), { files, accept });
  } catch {
    hash.update(`${label}\0missing\0`);
    return;
  }
  // Synchronous reads: for a thousand small files they beat a thousand thread-pool round trips
  // (measured on srerun: ~30 ms against ~200 ms), and there is nothing else to do meanwhile.
  for (const file of files) {
    hash.update(`${label}\0${file}\0`);
    try {
      hash.update(readFileSync(path.join(dir, file)));
    } catch {
      // Unreadable (permissions, gone since the listing): the pipeline reports it if a page needs it.
      hash.update('\0unreadable');
    }
    hash.update('\0');
  }
}

/** Key of everything a build's result depends on. */
export async function buildInputsKey(options: {
  config: ResolvedConfig;
  mode: RecordMode;
  failOnErrors: boolean;
  strict?: boolean;
  version: string;
  templatesDir: string;
  /**
   * Where to keep the listings of the rules and runbooks folders, for the load stage. (Not the
   * bytes read: holding every input until the load stage made a replayed build, which needs none
   * of them, slower than reading the inputs twice made a one-change build.)
   */
  listings?: Listings;
}): Promise<string> {
  const { config } = options;
  const hash = createHash('sha1');
  const [code, head] = await Promise.all([codeFingerprint(), options.mode === 'build' ? gitHead(config.runbooksDir) : Promise.resolve('')]);
  hash.update(JSON.stringify({ format: RECORD_FORMAT, mode: options.mode, failOnErrors: options.failOnErrors, strict: Boolean(options.strict), version: options.version, code, head, config }));
  await hashFolder(hash, 'rules', config.rulesDir, isRuleFileName, options.listings);
  // Every file: images and attachments next to the runbooks are published and checked too.
  await hashFolder(hash, 'runbooks', config.runbooksDir, everyFile, options.listings);
  await hashFolder(hash, 'static', config.staticDir, () => true);
  await hashFolder(hash, 'theme', options.templatesDir, () => true);
  await hashFolder(hash, 'templates', config.templatesDir, () => true);
  for (const file of [config.introFile, config.configFile, config.hugoConfigFile]) {
    if (file) hash.update(`file\0${file}\0`).update(await readFile(file).catch(() => Buffer.from('missing'))).update('\0');
  }
  return hash.digest('base64url');
}

function recordFile(config: ResolvedConfig, mode: RecordMode): string {
  // One record per output folder, so building two sites from one project does not thrash it.
  const target = createHash('sha1').update(mode === 'build' ? config.outDir : config.runbooksDir).digest('hex').slice(0, 12);
  return path.join(config.cacheDirAbs, `last-${mode}-${target}.record`);
}

export interface OutputManifest {
  files: [file: string, size: number, mtimeMs: number][];
  dirs: [dir: string, mtimeMs: number][];
}

const byName = <T extends [string, ...unknown[]]>(a: T, b: T) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * Size and mtime of every file in the output folder and the mtime of every folder, sorted.
 * Synchronous on purpose: one pass of readdir and stat calls is ~10x faster than the same calls
 * through the thread pool here.
 */
export function outputManifest(outDir: string): OutputManifest {
  const files: OutputManifest['files'] = [];
  const dirs: OutputManifest['dirs'] = [['.', lstatSync(outDir).mtimeMs]];
  for (const entry of readdirSync(outDir, { recursive: true, withFileTypes: true })) {
    // `parentPath` is the newer name; Node 20.0-20.11 only has `path`.
    const parent = (entry as unknown as { parentPath?: string }).parentPath ?? entry.path;
    const full = path.join(parent, entry.name);
    const relative = path.relative(outDir, full).split(path.sep).join('/');
    const info = lstatSync(full);
    if (entry.isDirectory()) dirs.push([relative, info.mtimeMs]);
    else files.push([relative, info.size, info.mtimeMs]);
  }
  return { files: files.sort(byName), dirs: dirs.sort(byName) };
}

/**
 * True when the output folder is as the manifest describes it. Only stat calls, no directory
 * listing: a file added or removed changes its folder's mtime, a file edited in place its own.
 */
export function outputUnchanged(outDir: string, manifest: OutputManifest): boolean {
  const stat = (relative: string): Stats | undefined => {
    try {
      return lstatSync(path.join(outDir, relative));
    } catch {
      return undefined;
    }
  };
  for (const [dir, mtimeMs] of manifest.dirs) {
    const info = stat(dir);
    if (!info?.isDirectory() || info.mtimeMs !== mtimeMs) return false;
  }
  for (const [file, size, mtimeMs] of manifest.files) {
    const info = stat(file);
    if (!info?.isFile() || info.size !== size || info.mtimeMs !== mtimeMs) return false;
  }
  return true;
}

function isDiagnostic(value: unknown): value is Diagnostic {
  const d = value as Diagnostic | null;
  return (
    typeof d === 'object' && d !== null && typeof d.file === 'string' && typeof d.message === 'string' && typeof d.ruleId === 'string' &&
    Number.isInteger(d.line) && Number.isInteger(d.column) && (d.severity === 'error' || d.severity === 'warning' || d.severity === 'note')
  );
}

export async function readBuildRecord(config: ResolvedConfig, mode: RecordMode, key: string): Promise<BuildRecord | undefined> {
  const text = await readBlob(recordFile(config, mode), key);
  if (text === undefined) return undefined;
  let record: BuildRecord;
  try {
    record = JSON.parse(text) as BuildRecord;
  } catch {
    return undefined;
  }
  if (!Array.isArray(record.diagnostics) || !record.diagnostics.every(isDiagnostic) || !record.coverage) return undefined;
  if (mode === 'build') {
    if (!Array.isArray(record.output) || !Array.isArray(record.outputDirs)) return undefined;
    if (!outputUnchanged(config.outDir, { files: record.output, dirs: record.outputDirs })) return undefined;
  }
  return record;
}

/**
 * The output as the last build's record lists it, whatever its inputs were: the in-place update
 * takes its list of old files from it while the folders' mtimes say it still holds (write/in-place.ts).
 */
export async function readRecordedOutput(config: ResolvedConfig): Promise<OutputManifest | undefined> {
  const text = await readBlob(recordFile(config, 'build'), undefined);
  if (text === undefined) return undefined;
  try {
    const record = JSON.parse(text) as Partial<BuildRecord>;
    if (!Array.isArray(record.output) || !Array.isArray(record.outputDirs)) return undefined;
    const files = record.output.filter((entry) => Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number' && typeof entry[2] === 'number');
    const dirs = record.outputDirs.filter((entry) => Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number');
    if (files.length !== record.output.length || dirs.length !== record.outputDirs.length) return undefined;
    return { files, dirs };
  } catch {
    return undefined;
  }
}

export async function writeBuildRecord(config: ResolvedConfig, mode: RecordMode, key: string, record: BuildRecord): Promise<void> {
  await writeBlob(recordFile(config, mode), key, JSON.stringify(record));
}
