// Updating a previous site in place, with an undo journal, so that a build's cost follows what
// changed rather than the size of the site (writing a full staging tree meant one mkdir per
// output folder and one link per file, and removing the retired tree as much again: 5–7 s of a
// one-change build of a 16,000-page site on a slow disk).
//
// The journal folder `.<out>.undo-<pid>-<stamp>` sits next to the output folder (same file
// system, so renames work). In order:
//   1. the new bytes of every changed or added file are written to `new/<i>` (flat: no folders);
//   2. `journal.json` lists the entries and the folders to create and remove (from here on, a
//      kill leaves something to undo);
//   3. each old file that changes or goes is kept as `old/<i>` (a hard link, so readers never
//      see the path missing; a rename where links are not supported), each new file is renamed
//      into place, folders are created and emptied ones removed;
//   4. deleting `journal.json` commits, and the journal folder is removed.
// A failure in 3 rolls back at once; a kill is rolled back by the next build (`rollBack`, called
// by cleanStaleOutputs), which leaves the previous site exactly as it was, as the swap does.
import { closeSync, existsSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OutputFile, WriteResult } from './output.js';
import type { OutputManifest } from '../cache/build-record.js';
import { RunbookSiteError } from '../errors.js';

export const JOURNAL_FILE = 'journal.json';

type EntryKind = 'changed' | 'added' | 'removed';

interface Journal {
  format: 1;
  entries: [file: string, kind: EntryKind][];
  /** Output folders this update creates, parents first. */
  dirsCreated: string[];
  /** Output folders this update empties and removes, children first. */
  dirsRemoved: string[];
}

/** What the update needs to know of an old file: whether it is a regular file, its size and mtime. */
interface FileInfo {
  file: boolean;
  size: number;
  mtimeMs: number;
}

interface PreviousSite {
  files: Map<string, FileInfo>;
  /** Every folder (`.` is the output folder itself) with its mtime. */
  dirs: Map<string, number>;
}

function listSite(out: string): PreviousSite {
  const files = new Map<string, FileInfo>();
  const dirs = new Map<string, number>([['.', lstatSync(out).mtimeMs]]);
  const walk = (dir: string, relative: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        dirs.set(name, lstatSync(full).mtimeMs);
        walk(full, name);
      } else {
        const info = lstatSync(full);
        files.set(name, { file: info.isFile(), size: info.size, mtimeMs: info.mtimeMs });
      }
    }
  };
  walk(out, '');
  return { files, dirs };
}

/**
 * The old site as the last build's record lists it, when every folder still has the mtime
 * recorded: adding, removing or renaming an entry changes its folder's mtime, so the list of
 * files is the same, at one stat per folder instead of a listing per folder and a stat per file
 * (the 10x corpus: 16,600 folders and files). Sizes may be stale (a file edited in place): a
 * stale size only makes the file be compared, or written, as a changed one. Undefined: walk.
 */
function siteFromRecord(out: string, manifest: OutputManifest): PreviousSite | undefined {
  const dirs = new Map<string, number>();
  for (const [dir, mtimeMs] of manifest.dirs) {
    let info;
    try {
      info = lstatSync(path.join(out, dir));
    } catch {
      return undefined;
    }
    if (!info.isDirectory() || info.mtimeMs !== mtimeMs) return undefined;
    dirs.set(dir, mtimeMs);
  }
  if (!dirs.has('.')) return undefined;
  const files = new Map<string, FileInfo>();
  for (const [file, size, mtimeMs] of manifest.files) files.set(file, { file: true, size, mtimeMs });
  return { files, dirs };
}

const byName = <T extends [string, ...unknown[]]>(a: T, b: T) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * What the build record keeps of the output (see cache/build-record.ts `outputManifest`), from
 * the listing made before the update: only the entries it touched, and the folders they are in,
 * are looked at again, instead of walking the whole site a second time.
 */
function manifestAfter(out: string, previous: PreviousSite, entries: [string, EntryKind][], dirsCreated: string[], dirsRemoved: string[]): OutputManifest {
  const files = new Map<string, { size: number; mtimeMs: number }>(previous.files);
  const dirs = new Map(previous.dirs);
  const touched = new Set<string>();
  const parentOf = (file: string) => path.posix.dirname(file);
  for (const [file, kind] of entries) {
    touched.add(parentOf(file));
    if (kind === 'removed') files.delete(file);
    else files.set(file, lstatSync(path.join(out, file)));
  }
  for (const dir of dirsRemoved) {
    dirs.delete(dir);
    touched.add(parentOf(dir));
  }
  for (const dir of dirsCreated) touched.add(parentOf(dir));
  for (const dir of [...dirsCreated, ...touched]) if (!dirsRemoved.includes(dir)) dirs.set(dir, lstatSync(path.join(out, dir)).mtimeMs);
  return {
    files: [...files].map(([file, info]): [string, number, number] => [file, info.size, info.mtimeMs]).sort(byName),
    dirs: [...dirs].sort(byName),
  };
}

/** One buffer for reading every old file back (grown when needed): 16,000 reads allocated 16,000 buffers. */
let readBuffer = Buffer.alloc(1 << 20);

function sameBytes(file: string, info: FileInfo, content: Uint8Array): boolean {
  if (!info.file || info.size !== content.byteLength) return false;
  // One byte more than expected is asked for, so that a file longer than its recorded size differs.
  const wanted = content.byteLength + 1;
  if (readBuffer.length < wanted) readBuffer = Buffer.alloc(Math.max(wanted, 2 * readBuffer.length));
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    let length = 0;
    for (let read; length < wanted && (read = readSync(fd, readBuffer, length, wanted - length, null)) > 0; ) length += read;
    return length === content.byteLength && Buffer.compare(readBuffer.subarray(0, length), content) === 0;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function foldersOf(file: string, into: Set<string>): void {
  for (let slash = file.indexOf('/'); slash !== -1; slash = file.indexOf('/', slash + 1)) into.add(file.slice(0, slash));
}

const byDepthThenName = (a: string, b: string) => a.split('/').length - b.split('/').length || (a < b ? -1 : a > b ? 1 : 0);

/**
 * Brings the previous site in `out` to exactly `files`, touching only what differs. Returns
 * undefined, with the previous site as it was, when it cannot (a file where a folder now goes or
 * the other way round, a folder without write permission, links or renames refused): the caller
 * then writes the site whole and swaps it in.
 */
export function updateInPlace(out: string, undo: string, files: OutputFile[], recorded?: OutputManifest): WriteResult | undefined {
  let previous: PreviousSite;
  try {
    previous = (recorded && siteFromRecord(out, recorded)) || listSite(out);
  } catch {
    return undefined;
  }
  const entries: [string, EntryKind][] = [];
  const contents: Uint8Array[] = [];
  const neededDirs = new Set<string>();
  let unchanged = 0;
  for (const file of files) {
    foldersOf(file.path, neededDirs);
    const bytes = typeof file.content === 'string' ? Buffer.from(file.content) : file.content;
    const before = previous.files.get(file.path);
    if (before && sameBytes(path.join(out, file.path), before, bytes)) {
      unchanged++;
      continue;
    }
    // A folder of the old site where a file now goes: not worth undoing piecemeal.
    if (previous.dirs.has(file.path)) return undefined;
    entries.push([file.path, before ? 'changed' : 'added']);
    contents.push(bytes);
  }
  const produced = new Set(files.map((file) => file.path));
  for (const file of previous.files.keys()) {
    if (produced.has(file)) continue;
    // An old file where a folder now goes: the same.
    if (neededDirs.has(file)) return undefined;
    entries.push([file, 'removed']);
  }
  const dirsCreated = [...neededDirs].filter((dir) => !previous.dirs.has(dir)).sort(byDepthThenName);
  const dirsRemoved = [...previous.dirs.keys()].filter((dir) => dir !== '.' && !neededDirs.has(dir)).sort(byDepthThenName).reverse();
  const written = contents.length;
  if (entries.length === 0 && dirsCreated.length === 0 && dirsRemoved.length === 0) return { written, unchanged, manifest: listingAfter(out, previous, [], [], []) };

  // 1. The new bytes, beside the site.
  try {
    mkdirSync(path.join(undo, 'new'), { recursive: true });
    mkdirSync(path.join(undo, 'old'));
    let next = 0;
    entries.forEach(([, kind], i) => {
      if (kind !== 'removed') writeFileSync(path.join(undo, 'new', String(i)), contents[next++]);
    });
    // 2. The journal, whole or not at all.
    const journal: Journal = { format: 1, entries, dirsCreated, dirsRemoved };
    writeFileSync(path.join(undo, `${JOURNAL_FILE}.part`), JSON.stringify(journal));
    renameSync(path.join(undo, `${JOURNAL_FILE}.part`), path.join(undo, JOURNAL_FILE));
  } catch {
    removeJournalFolder(undo);
    return undefined;
  }

  // 3. The site, file by file.
  try {
    for (const dir of dirsCreated) mkdirSync(path.join(out, dir));
    entries.forEach(([file, kind], i) => {
      const target = path.join(out, file);
      const kept = path.join(undo, 'old', String(i));
      if (kind === 'changed') keepOld(target, kept);
      if (kind === 'removed') renameSync(target, kept);
      else renameSync(path.join(undo, 'new', String(i)), target);
    });
    for (const dir of dirsRemoved) rmdirSync(path.join(out, dir));
  } catch (error) {
    try {
      rollBack(out, undo);
    } catch (undoError) {
      // The journal stays: the next build tries the undo again before anything else.
      throw new RunbookSiteError('OutputFailed', {
        path: out,
        reason: `${(error as Error).message}, and putting the previous site back failed too (${(undoError as Error).message}); the next build puts it back from ${undo}`,
      });
    }
    return undefined;
  }

  // 4. Commit.
  unlinkSync(path.join(undo, JOURNAL_FILE));
  removeJournalFolder(undo);
  return { written, unchanged, manifest: listingAfter(out, previous, entries, dirsCreated, dirsRemoved) };
}

/** The listing, or none (the caller then walks the output) if the output changed under us meanwhile. */
function listingAfter(...args: Parameters<typeof manifestAfter>): OutputManifest | undefined {
  try {
    return manifestAfter(...args);
  } catch {
    return undefined;
  }
}

/** The old file stays reachable as `kept`: a second link when the file system has them, else moved. */
function keepOld(target: string, kept: string): void {
  try {
    linkSync(target, kept);
  } catch {
    renameSync(target, kept);
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    const left = lstatSync(a);
    const right = lstatSync(b);
    return left.ino === right.ino && left.dev === right.dev;
  } catch {
    return false;
  }
}

/**
 * Undoes an update that did not commit (failed, or killed: then called by the next build), so
 * that `out` holds the previous site exactly, then removes the journal folder. Without a journal
 * (killed before it was written, or after the commit) there is nothing to undo. Throws when a
 * step of the undo fails; the journal folder then stays for the next build to try again.
 */
export function rollBack(out: string, undo: string): void {
  let journal: Journal | undefined;
  try {
    journal = JSON.parse(readFileSync(path.join(undo, JOURNAL_FILE), 'utf8')) as Journal;
  } catch {
    journal = undefined;
  }
  if (journal?.format === 1) {
    for (const dir of [...journal.dirsRemoved].reverse()) mkdirSync(path.join(out, dir), { recursive: true });
    journal.entries.forEach(([file, kind], i) => {
      const target = path.join(out, file);
      const kept = path.join(undo, 'old', String(i));
      if (kind === 'added') {
        // Moved in (its new/<i> is gone): take it out again.
        if (!existsSync(path.join(undo, 'new', String(i)))) rmSync(target, { force: true });
        return;
      }
      if (!existsSync(kept) || sameFile(kept, target)) return;
      mkdirSync(path.dirname(target), { recursive: true });
      renameSync(kept, target);
    });
    for (const dir of [...journal.dirsCreated].reverse()) {
      try {
        rmdirSync(path.join(out, dir));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    unlinkSync(path.join(undo, JOURNAL_FILE));
  }
  removeJournalFolder(undo);
}

function removeJournalFolder(undo: string): void {
  rmSync(undo, { recursive: true, force: true });
}
