// Hash of the tool's own code, for cache keys: the compiled modules next to this one and the lock
// file when there is one (a development checkout). The package version alone would let a cache
// written by an edited, unreleased build be reused by another. Costs a few milliseconds.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let memo: Promise<string> | undefined;

async function compute(): Promise<string> {
  const srcDir = fileURLToPath(new URL('../', import.meta.url));
  const hash = createHash('sha256');
  let files: string[] = [];
  try {
    // The worker bundle is made from these same modules (and esbuild, in the lock file): hashing
    // its 1.8 MB too would only slow every warm build.
    files = (await readdir(srcDir, { recursive: true })).filter((file) => file.endsWith('.js') && !file.endsWith('.bundle.js')).sort();
  } catch {
    // Unusual layout: the version in the key still separates releases.
  }
  const contents = await Promise.all(files.map((file) => readFile(path.join(srcDir, file)).catch(() => Buffer.alloc(0))));
  files.forEach((file, i) => hash.update(`${file.split(path.sep).join('/')}\0`).update(contents[i]).update('\0'));
  const lock = await readFile(fileURLToPath(new URL('../../../package-lock.json', import.meta.url))).catch(() => undefined);
  if (lock) hash.update('lock\0').update(lock);
  return hash.digest('base64url');
}

export function codeFingerprint(): Promise<string> {
  memo ??= compute();
  return memo;
}
