// Write stage: the site is written into a staging folder next to the output folder and swapped
// into place only when complete, so a failed build leaves the previous output exactly as it was.
// Files whose bytes did not change are hard-linked from the previous output: bytes and mtime stay.
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { RunbookSiteError } from '../errors.js';
import { OUTPUT_MARKER, unsafeOutputPath } from '../link/site-paths.js';
import { rollBack, updateInPlace } from './in-place.js';
import type { OutputManifest } from '../cache/build-record.js';

export interface OutputFile {
  /** Relative to the output folder, posix separators. */
  path: string;
  content: string | Uint8Array;
}

export { OUTPUT_MARKER };

export interface WriteResult {
  written: number;
  unchanged: number;
  /** The previous output, retired, when it could not be removed (the next build tries again). */
  leftover?: string;
  /** The output as written, when the write already knows it (an in-place update); else walk it. */
  manifest?: OutputManifest;
}

function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Refuse output folders whose replacement would destroy something that is not a built site. */
export async function assertSafeOutput(
  outDir: string,
  guarded: { root: string; inputs: string[]; cwd?: string; inputFiles?: string[]; cacheDir?: string },
): Promise<void> {
  const cwd = guarded.cwd ?? process.cwd();
  const out = path.resolve(outDir);
  const display = path.relative(cwd, out) || '.';
  if (out === path.parse(out).root) throw new RunbookSiteError('UnsafeOutput', { path: out, reason: 'it is the file-system root' });
  if (out === path.resolve(guarded.root)) throw new RunbookSiteError('UnsafeOutput', { path: display, reason: 'it is the project folder' });
  if (out === path.resolve(cwd)) throw new RunbookSiteError('UnsafeOutput', { path: display, reason: 'it is the current folder' });
  for (const input of guarded.inputs) {
    if (isInside(out, path.resolve(input))) {
      throw new RunbookSiteError('UnsafeOutput', { path: display, reason: `it contains the input folder \`${path.relative(cwd, input) || input}\`` });
    }
    // A site built inside its own input would be read back as input by the next build. The walks
    // skip a folder holding the site marker (load/files.ts), so an output beside the runbooks in a
    // project-root input (`runbooks: .`, a GitHub-rendered repository) is fine; deeper is a mistake.
    if (isInside(path.resolve(input), out) && path.resolve(input) !== path.resolve(guarded.root)) {
      throw new RunbookSiteError('UnsafeOutput', { path: display, reason: `it is inside the input folder \`${path.relative(cwd, input) || input}\`` });
    }
  }
  for (const input of guarded.inputFiles ?? []) {
    if (isInside(out, path.resolve(input))) {
      throw new RunbookSiteError('UnsafeOutput', { path: display, reason: `it contains the input file \`${path.relative(cwd, input) || input}\`` });
    }
  }
  // The cache inside the output would be published with the site and replaced by every build.
  if (guarded.cacheDir && isInside(out, path.resolve(guarded.cacheDir))) {
    throw new RunbookSiteError('UnsafeOutput', {
      path: display,
      reason: `it contains the cache folder \`${path.relative(cwd, guarded.cacheDir) || guarded.cacheDir}\`, which would be published with the site; move the cache with \`--cache-dir\` (or \`cacheDir:\`) outside it`,
    });
  }
  let entries: string[];
  try {
    const info = await stat(out);
    if (!info.isDirectory()) throw new RunbookSiteError('UnsafeOutput', { path: display, reason: 'it is a file, not a folder' });
    entries = await readdir(out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (entries.length > 0 && !entries.includes(OUTPUT_MARKER)) {
    throw new RunbookSiteError('UnsafeOutput', { path: display, reason: 'it is not empty and was not written by runbook-site' });
  }
}

/**
 * The last line of defence (the link stage claims every path, see link/site-paths.ts): every
 * path stays inside the output folder, and no two outputs share a file, or a file and a folder.
 * Checked before anything is written, so a slip is an internal error and nothing is touched.
 */
function assertOutputPaths(files: OutputFile[]): void {
  const seen = new Set<string>();
  for (const file of files) {
    const unsafe = unsafeOutputPath(file.path);
    if (unsafe) throw new RunbookSiteError('Internal', { reason: `output path \`${file.path}\` is not inside the output folder: ${unsafe}` });
    if (seen.has(file.path)) throw new RunbookSiteError('Internal', { reason: `two outputs for ${file.path}` });
    seen.add(file.path);
  }
  for (const file of files) {
    for (let slash = file.path.indexOf('/'); slash !== -1; slash = file.path.indexOf('/', slash + 1)) {
      const folder = file.path.slice(0, slash);
      if (seen.has(folder)) throw new RunbookSiteError('Internal', { reason: `output ${file.path} needs a folder where ${folder} is a file` });
    }
  }
}

function sameBytes(file: string, content: Uint8Array): boolean {
  try {
    const info = statSync(file);
    if (!info.isFile() || info.size !== content.byteLength) return false;
    return Buffer.compare(readFileSync(file), content) === 0;
  } catch {
    return false;
  }
}

/** Staging and retired folders of builds running in this process (a leftover of ours is stale). */
const activeFolders = new Set<string>();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes a folder tree we wrote, even when parts of it were made read-only since (a folder
 * without write permission cannot lose its entries, so those get it back first). True when gone.
 */
function removeTree(dir: string): boolean {
  try {
    rmSync(dir, { recursive: true, force: true });
    return true;
  } catch {
    // Below: make every folder writable, then try once more.
  }
  const unlock = (folder: string) => {
    try {
      const info = lstatSync(folder);
      if (!info.isDirectory()) return;
      chmodSync(folder, info.mode | 0o700);
      for (const name of readdirSync(folder)) unlock(path.join(folder, name));
    } catch {
      // Whatever cannot be unlocked makes the second attempt fail, which is reported.
    }
  };
  unlock(dir);
  try {
    rmSync(dir, { recursive: true, force: true });
    return true;
  } catch {
    return false;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * True when another live process is writing this output folder (its staging or journal folder is
 * beside it): two in-place updates at once could interleave, two swaps each leave a whole site.
 */
function anotherBuildWriting(out: string): boolean {
  const pattern = new RegExp(`^\\.${escapeRegExp(path.basename(out))}\\.(staging|undo)-(\\d+)-[0-9a-z]+$`);
  let names: string[];
  try {
    names = readdirSync(path.dirname(out));
  } catch {
    return false;
  }
  return names.some((name) => {
    const pid = Number(pattern.exec(name)?.[2] ?? 0);
    return pid > 0 && pid !== process.pid && processAlive(pid);
  });
}

export interface StaleCleanup {
  /** A retired copy put back because the output folder was missing (a build killed mid-swap). */
  restored?: string;
  removed: string[];
  /** Stale folders that could not be removed (the next build tries again). */
  left: string[];
}

/**
 * Staging (`.dist.staging-<pid>-<time>`) and retired (`.dist.old-<pid>-<time>`) folders that a
 * killed or failed build left next to the output folder are removed; folders of a build still
 * running (its process is alive) are left alone. An in-place update's journal
 * (`.dist.undo-<pid>-<time>`, see in-place.ts) is rolled back, which leaves the previous site as
 * it was. When the output folder itself is missing, a build was killed between the two renames
 * of a swap: the previous site, complete in its retired folder, is put back first.
 */
export function cleanStaleOutputs(outDir: string): StaleCleanup {
  const out = path.resolve(outDir);
  const parent = path.dirname(out);
  const pattern = new RegExp(`^\\.${escapeRegExp(path.basename(out))}\\.(staging|old|undo)-(\\d+)-[0-9a-z]+$`);
  const result: StaleCleanup = { removed: [], left: [] };
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return result;
  }
  const stale = names
    .map((name) => ({ name, match: pattern.exec(name) }))
    .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
    .filter(({ name, match }) => {
      const full = path.join(parent, name);
      if (activeFolders.has(full)) return false;
      const pid = Number(match[2]);
      return pid === process.pid || !processAlive(pid);
    })
    .map(({ name, match }) => ({ full: path.join(parent, name), kind: match[1] }));
  // An in-place update that did not commit is undone first (there is an output folder to undo it in).
  for (const entry of stale) {
    if (entry.kind !== 'undo') continue;
    if (!existsSync(out)) {
      result.left.push(entry.full);
      continue;
    }
    try {
      rollBack(out, entry.full);
      result.removed.push(entry.full);
    } catch {
      result.left.push(entry.full);
    }
  }
  if (!existsSync(out)) {
    const retired = stale
      .filter((entry) => entry.kind === 'old' && existsSync(path.join(entry.full, OUTPUT_MARKER)))
      .sort((a, b) => lstatSync(b.full).mtimeMs - lstatSync(a.full).mtimeMs)[0];
    if (retired) {
      try {
        renameSync(retired.full, out);
        result.restored = retired.full;
      } catch {
        // Left as it is: removed below only if something else is in place.
      }
    }
  }
  for (const entry of stale) {
    if (entry.full === result.restored || entry.kind === 'undo') continue;
    if (entry.kind === 'old' && !existsSync(out)) {
      result.left.push(entry.full);
      continue;
    }
    (removeTree(entry.full) ? result.removed : result.left).push(entry.full);
  }
  return result;
}

/**
 * Writes the site. A previous site is updated in place under an undo journal (in-place.ts): only
 * the files that changed are touched, and a kill leaves a journal the next build rolls back.
 * Otherwise (no previous site, or one that cannot be updated in place) the site is written whole
 * into a staging folder, then swapped in with two renames: the output folder to
 * a retired name, the staging folder to the output name. Until the first rename the old site is
 * untouched; after the second the new one is complete in place; between them (microseconds, or a
 * kill -9) the old site is complete under its retired name and the next build puts it back
 * (`cleanStaleOutputs`). Removing the retired copy comes last and cannot fail the build: what is
 * left of it is reported and removed by the next build.
 */
export async function writeSite(outDir: string, files: OutputFile[], version: string, cwd: string = process.cwd(), recorded?: OutputManifest): Promise<WriteResult> {
  const out = path.resolve(outDir);
  const parent = path.dirname(out);
  const all: OutputFile[] = [...files, { path: OUTPUT_MARKER, content: `runbook-site ${version}\n` }];
  assertOutputPaths(all);
  cleanStaleOutputs(out);
  const stamp = `${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const staging = path.join(parent, `.${path.basename(out)}.staging-${stamp}`);
  const retired = path.join(parent, `.${path.basename(out)}.old-${stamp}`);
  const undo = path.join(parent, `.${path.basename(out)}.undo-${stamp}`);
  const folders = [staging, retired, undo];
  for (const folder of folders) activeFolders.add(folder);
  try {
    // A previous site is updated where it is, at the cost of what changed (in-place.ts); the
    // whole site is written and swapped in when there is none, or when that cannot be done.
    if (existsSync(path.join(out, OUTPUT_MARKER)) && !anotherBuildWriting(out)) {
      const updated = updateInPlace(out, undo, all, recorded);
      if (updated) return updated;
    }
    return swapIn(out, parent, staging, retired, all, cwd);
  } finally {
    for (const folder of folders) activeFolders.delete(folder);
  }
}

function swapIn(out: string, parent: string, staging: string, retired: string, all: OutputFile[], cwd: string): WriteResult {
  // The file-system calls are synchronous on purpose: a thousand small reads, links and writes
  // through the thread pool took several times longer here (srerun: 1,123 files per build).
  let written = 0;
  let unchanged = 0;
  try {
    mkdirSync(parent, { recursive: true });
    mkdirSync(staging);
    const folders = new Set(all.map((file) => path.posix.dirname(file.path)).filter((dir) => dir !== '.'));
    for (const dir of [...folders].sort()) mkdirSync(path.join(staging, dir), { recursive: true });
    for (const file of all) {
      const bytes = typeof file.content === 'string' ? Buffer.from(file.content) : file.content;
      const previous = path.join(out, file.path);
      const target = path.join(staging, file.path);
      if (sameBytes(previous, bytes)) {
        try {
          linkSync(previous, target);
          unchanged++;
          continue;
        } catch {
          // Cross-device or unsupported: fall through and write a copy.
        }
      }
      writeFileSync(target, bytes);
      written++;
    }
  } catch (error) {
    removeTree(staging);
    if (error instanceof RunbookSiteError) throw error;
    throw new RunbookSiteError('OutputFailed', { path: path.relative(cwd, out) || out, reason: (error as Error).message });
  }

  let hadPrevious = true;
  try {
    renameSync(out, retired);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      removeTree(staging);
      throw new RunbookSiteError('OutputFailed', { path: out, reason: (error as Error).message });
    }
    hadPrevious = false;
  }
  try {
    renameSync(staging, out);
  } catch (error) {
    if (hadPrevious) {
      try {
        renameSync(retired, out);
      } catch {
        // Leave the retired copy for the user to recover; the message names the output folder.
      }
    }
    removeTree(staging);
    throw new RunbookSiteError('OutputFailed', { path: out, reason: (error as Error).message });
  }
  const leftover = hadPrevious && !removeTree(retired) ? path.relative(cwd, retired) || retired : undefined;
  return { written, unchanged, leftover };
}
