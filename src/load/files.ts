import { readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Files under `root` whose name passes `accept`, as posix paths relative to `root`, sorted so that
 * every build sees the same order. Hidden entries and node_modules are skipped.
 */
export async function listFiles(root: string, accept: (name: string) => boolean): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !accept(entry.name)) continue;
    // `parentPath` is the newer name; Node 20.0-20.11 only has `path`.
    const parent = (entry as unknown as { parentPath?: string }).parentPath ?? entry.path;
    const relative = path.relative(root, path.join(parent, entry.name)).split(path.sep).join('/');
    if (relative.split('/').some((segment) => segment.startsWith('.') || segment === 'node_modules')) continue;
    files.push(relative);
  }
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
