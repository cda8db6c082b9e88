// A single cached value in a file: a header line naming the key, the value's length and a
// checksum of its bytes, then the value as text. Used for the load cache, the search index and the
// build records: reused when the key is the same and the checksum matches, rewritten atomically
// otherwise. Anything odd about the file (an edit of the same length included) means a miss.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const MAGIC = 'runbook-site cached value';

/** SHA-1 is a checksum here (files we wrote ourselves), and faster than SHA-256 on CPUs without SHA extensions. */
function checksum(value: string): string {
  return createHash('sha1').update(value).digest('base64url');
}

/** The value if it was stored under `key` (any key when `key` is undefined) and its checksum matches. */
export async function readBlob(file: string, key: string | undefined): Promise<string | undefined> {
  try {
    const text = await readFile(file, 'utf8');
    const newline = text.indexOf('\n');
    if (newline === -1) return undefined;
    const header = JSON.parse(text.slice(0, newline)) as { magic?: unknown; key?: unknown; length?: unknown; sum?: unknown };
    if (header.magic !== MAGIC || (key !== undefined && header.key !== key)) return undefined;
    const value = text.slice(newline + 1);
    return value.length === header.length && header.sum === checksum(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export async function writeBlob(file: string, key: string, value: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(temporary, `${JSON.stringify({ magic: MAGIC, key, length: value.length, sum: checksum(value) })}\n${value}`);
    await rename(temporary, file);
  } catch {
    await rm(temporary, { force: true }).catch(() => undefined);
    return;
  }
  // What a killed save of this file left (the search index's is the size of the index): never read.
  const name = path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await removeDeadTemporaries(path.dirname(file), new RegExp(`^${name}\\.(\\d+)\\.[0-9a-z]+\\.tmp$`));
}

/** Whether a process is running (a save of another build may be under way). */
export function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files in `dir` that `pattern` matches (its first group: the pid of the
 * process that wrote it) whose process is gone: a killed save's leftovers, never read.
 */
export async function removeDeadTemporaries(dir: string, pattern: RegExp): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const match = pattern.exec(name);
    if (match && !alive(Number(match[1]))) await rm(path.join(dir, name), { force: true }).catch(() => undefined);
  }
}
