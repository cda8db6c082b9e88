// A single cached value in a file: a header line naming the key, then the value as text.
// Used for build outputs computed from all pages at once (the search index): reused when the key
// is the same, rewritten atomically otherwise. Anything odd about the file means a miss.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const MAGIC = 'runbook-site cached value';

export async function readBlob(file: string, key: string): Promise<string | undefined> {
  try {
    const text = await readFile(file, 'utf8');
    const newline = text.indexOf('\n');
    if (newline === -1) return undefined;
    const header = JSON.parse(text.slice(0, newline)) as { magic?: unknown; key?: unknown; length?: unknown };
    if (header.magic !== MAGIC || header.key !== key) return undefined;
    const value = text.slice(newline + 1);
    return value.length === header.length ? value : undefined;
  } catch {
    return undefined;
  }
}

export async function writeBlob(file: string, key: string, value: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(temporary, `${JSON.stringify({ magic: MAGIC, key, length: value.length })}\n${value}`);
    await rename(temporary, file);
  } catch {
    await rm(temporary, { force: true }).catch(() => undefined);
  }
}
