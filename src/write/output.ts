// Write stage: the site is written into a staging folder next to the output folder and swapped
// into place only when complete, so a failed build leaves the previous output exactly as it was.
// Files whose bytes did not change are hard-linked from the previous output: bytes and mtime stay.
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { RunbookSiteError } from '../errors.js';
import { OUTPUT_MARKER, unsafeOutputPath } from '../link/site-paths.js';

export interface OutputFile {
  /** Relative to the output folder, posix separators. */
  path: string;
  content: string | Uint8Array;
}

export { OUTPUT_MARKER };

export interface WriteResult {
  written: number;
  unchanged: number;
}

function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Refuse output folders whose replacement would destroy something that is not a built site. */
export async function assertSafeOutput(outDir: string, guarded: { root: string; inputs: string[]; cwd?: string }): Promise<void> {
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

export async function writeSite(outDir: string, files: OutputFile[], version: string, cwd: string = process.cwd()): Promise<WriteResult> {
  const out = path.resolve(outDir);
  const parent = path.dirname(out);
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const staging = path.join(parent, `.${path.basename(out)}.staging-${stamp}`);
  const retired = path.join(parent, `.${path.basename(out)}.old-${stamp}`);
  const all: OutputFile[] = [...files, { path: OUTPUT_MARKER, content: `runbook-site ${version}\n` }];
  assertOutputPaths(all);
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
    rmSync(staging, { recursive: true, force: true });
    if (error instanceof RunbookSiteError) throw error;
    throw new RunbookSiteError('OutputFailed', { path: path.relative(cwd, out) || out, reason: (error as Error).message });
  }

  let hadPrevious = true;
  try {
    renameSync(out, retired);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      rmSync(staging, { recursive: true, force: true });
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
    rmSync(staging, { recursive: true, force: true });
    throw new RunbookSiteError('OutputFailed', { path: out, reason: (error as Error).message });
  }
  if (hadPrevious) rmSync(retired, { recursive: true, force: true });
  return { written, unchanged };
}
