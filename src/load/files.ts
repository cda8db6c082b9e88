import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

function inside(root: string, target: string): boolean {
  return target === root || target.startsWith(root + path.sep);
}

/**
 * Files under `root` whose name passes `accept`, as posix paths relative to `root`, sorted so that
 * every build sees the same order. Hidden entries and node_modules are skipped. Symbolic links are
 * followed only while they stay inside `root` (a link out is never read), and each real folder is
 * walked once, so link cycles cannot hang the walk. Only an unreadable `root` throws.
 */
export async function listFiles(root: string, accept: (name: string) => boolean): Promise<string[]> {
  const realRoot = await realpath(root);
  const visited = new Set<string>([realRoot]);
  const files: string[] = [];
  async function walk(dir: string, relative: string, isRoot: boolean): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isRoot) throw error;
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      const childRelative = relative ? `${relative}/${entry.name}` : entry.name;
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await realpath(full);
          if (!inside(realRoot, target)) continue;
          const info = await stat(target);
          isDirectory = info.isDirectory();
          isFile = info.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDirectory) {
        const real = await realpath(full).catch(() => full);
        if (visited.has(real)) continue;
        visited.add(real);
        await walk(full, childRelative, false);
      } else if (isFile && accept(entry.name)) {
        files.push(childRelative);
      }
    }
  }
  await walk(root, '', true);
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
