// Last-modified dates of runbooks from git history, in one `git log` for the whole folder.
// Outside a git work tree (or without git) the map is empty and front matter dates are used.
import { execFile } from 'node:child_process';
import path from 'node:path';

function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 20_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

/** Absolute file path → date (YYYY-MM-DD) of the newest commit that touched it. */
export async function gitLastModified(dir: string): Promise<Map<string, string>> {
  const dates = new Map<string, string>();
  try {
    const top = (await git(['rev-parse', '--show-toplevel'], dir)).trim();
    // Newest first: the first date seen for a file is its last change.
    const log = await git(['log', '--format=%x00%cI', '--name-only', '--no-renames', '--', '.'], dir);
    let current = '';
    for (const line of log.split('\n')) {
      if (line.startsWith('\u0000')) current = line.slice(1, 11);
      else if (line && current) {
        const file = path.join(top, line);
        if (!dates.has(file)) dates.set(file, current);
      }
    }
  } catch {
    // Not a repository, shallow clone without history, or no git: no dates.
  }
  return dates;
}
