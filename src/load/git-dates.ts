// Last-modified dates of runbooks from git history, in one `git log` for the whole folder.
// Outside a git work tree (or without git) the map is empty and front matter dates are used.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 20_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

/**
 * The commits where a shallow clone's history is cut. Such a commit seems to add every file that
 * existed then, so its date is not when those files last changed: they get no date from git.
 * (CI checkouts are shallow by default: actions/checkout fetches one commit.)
 */
async function shallowBoundary(dir: string): Promise<Set<string>> {
  if ((await git(['rev-parse', '--is-shallow-repository'], dir)).trim() !== 'true') return new Set();
  const file = path.resolve(dir, (await git(['rev-parse', '--git-path', 'shallow'], dir)).trim());
  return new Set((await readFile(file, 'utf8')).split('\n').filter(Boolean));
}

/** Absolute file path → date (YYYY-MM-DD) of the newest commit that touched it. */
export async function gitLastModified(dir: string): Promise<Map<string, string>> {
  const dates = new Map<string, string>();
  try {
    const top = (await git(['rev-parse', '--show-toplevel'], dir)).trim();
    const boundary = await shallowBoundary(dir);
    // Newest first: the first date seen for a file is its last change.
    const log = await git(['log', '--format=%x00%H %cI', '--name-only', '--no-renames', '--', '.'], dir);
    let current = '';
    const seen = new Set<string>();
    for (const line of log.split('\n')) {
      if (line.startsWith('\u0000')) {
        const [hash, date] = line.slice(1).split(' ');
        current = boundary.has(hash) ? '' : date.slice(0, 10);
      } else if (line) {
        const file = path.join(top, line);
        if (seen.has(file)) continue;
        seen.add(file);
        if (current) dates.set(file, current);
      }
    }
  } catch {
    // Not a repository, or no git: no dates.
  }
  return dates;
}
