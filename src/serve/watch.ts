// Watches the inputs of the site with chokidar and reports bursts of changes as one batch: an
// editor's save (temporary file, rename) or a `git checkout` of many files becomes one rebuild.
import { statSync } from 'node:fs';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

/** Quiet time after the last event before a batch is reported. */
export const DEBOUNCE_MS = 40;
/** A steady stream of events is still reported this often. */
const MAX_WAIT_MS = 500;
/**
 * chokidar drops a second `change` of a file within 50 ms of the first (a leading-edge throttle
 * with no trailing event): a formatter rewriting a file just after the editor saved it, or a fix
 * saved right after an error showed, would never be built. Each file reported is looked at again
 * once that window is over, and reported again if it changed meanwhile.
 */
const RECHECK_MS = 80;

/** What a file looks like on disk, to tell whether it changed since. */
function fileState(file: string): string {
  try {
    const info = statSync(file, { bigint: true });
    return `${info.ino}:${info.size}:${info.mtimeNs}`;
  } catch {
    return 'missing';
  }
}

export interface WatchTargets {
  /** Folders watched recursively (rules, runbooks, templates, static files). */
  folders: string[];
  /** Single files (config, intro), watched through their folder so that creating them counts too. */
  files: string[];
  /** Folders whose changes are ours, not the user's (the output and cache folders). */
  ignore: string[];
}

export interface InputWatcher {
  /** Resolves once the initial scan is done (events before that are not reported). */
  ready: Promise<void>;
  close(): Promise<void>;
}

function inside(parent: string, child: string): boolean {
  return child === parent || child.startsWith(parent + path.sep);
}

/** Editors' swap and backup files, which are never inputs. */
function isScratchFile(file: string): boolean {
  const name = path.basename(file);
  return name === '4913' || name.endsWith('~') || /^#.*#$/.test(name) || /\.(swp|swx|swo|tmp|crswap)$/i.test(name);
}

export function watchInputs(targets: WatchTargets, onBatch: (files: string[]) => void): InputWatcher {
  const ignore = targets.ignore.map((dir) => path.resolve(dir));
  const ignored = (file: string) => {
    const absolute = path.resolve(file);
    if (ignore.some((dir) => inside(dir, absolute))) return true;
    const name = path.basename(absolute);
    return name === 'node_modules' || name === '.git' || isScratchFile(absolute);
  };
  let pending = new Set<string>();
  let quiet: NodeJS.Timeout | undefined;
  let firstAt = 0;
  const flush = () => {
    quiet = undefined;
    const files = [...pending].sort();
    pending = new Set();
    if (files.length > 0) onBatch(files);
  };
  /** Files to look at again: how they were when reported, and when. */
  let rechecks = new Map<string, { state: string; at: number }>();
  let recheckTimer: NodeJS.Timeout | undefined;
  const recheck = () => {
    recheckTimer = undefined;
    const now = Date.now();
    const due = rechecks;
    rechecks = new Map();
    for (const [file, seen] of due) {
      // Reported less than a window ago: its own window is not over yet.
      if (now - seen.at < RECHECK_MS) rechecks.set(file, seen);
      else if (fileState(file) !== seen.state) record(file);
    }
    if (rechecks.size > 0) recheckTimer ??= setTimeout(recheck, RECHECK_MS);
  };
  const record = (file: string) => {
    const absolute = path.resolve(file);
    if (pending.size === 0) firstAt = Date.now();
    pending.add(absolute);
    if (quiet) clearTimeout(quiet);
    quiet = setTimeout(flush, Date.now() - firstAt >= MAX_WAIT_MS ? 0 : DEBOUNCE_MS);
    rechecks.set(absolute, { state: fileState(absolute), at: Date.now() });
    recheckTimer ??= setTimeout(recheck, RECHECK_MS);
  };

  const watchers: FSWatcher[] = [];
  const folders = targets.folders.filter((dir, i, all) => !all.some((other, j) => j !== i && other !== dir && inside(other, dir)));
  if (folders.length > 0) watchers.push(watch(folders, { ignoreInitial: true, ignored }));
  const files = new Set(targets.files.map((file) => path.resolve(file)));
  const fileDirs = [...new Set([...files].map((file) => path.dirname(file)))].filter((dir) => !folders.some((folder) => inside(folder, dir)));
  if (fileDirs.length > 0) {
    watchers.push(watch(fileDirs, { ignoreInitial: true, depth: 0, ignored: (file) => !fileDirs.includes(path.resolve(file)) && !files.has(path.resolve(file)) }));
  }
  for (const watcher of watchers) {
    watcher.on('all', (_event, file) => record(file));
    // A folder that cannot be watched (permissions, too many watches) must not crash serve.
    watcher.on('error', () => undefined);
  }
  const ready = Promise.all(watchers.map((watcher) => new Promise<void>((resolve) => watcher.once('ready', () => resolve())))).then(() => undefined);
  return {
    ready,
    async close() {
      if (quiet) clearTimeout(quiet);
      quiet = undefined;
      if (recheckTimer) clearTimeout(recheckTimer);
      recheckTimer = undefined;
      rechecks.clear();
      pending.clear();
      await Promise.all(watchers.map((watcher) => watcher.close()));
    },
  };
}
