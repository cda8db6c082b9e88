import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeSite, assertSafeOutput, OUTPUT_MARKER } from '../src/write/output.js';

async function temp(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'runbook-site-write-'));
}

test('a second write keeps unchanged files (same inode and mtime) and replaces changed ones', async () => {
  const root = await temp();
  const out = path.join(root, 'dist');
  await writeSite(out, [{ path: 'a/index.html', content: 'A' }, { path: 'b/index.html', content: 'B' }], '1');
  const before = await stat(path.join(out, 'a/index.html'));
  await new Promise((resolve) => setTimeout(resolve, 20));
  const result = await writeSite(out, [{ path: 'a/index.html', content: 'A' }, { path: 'b/index.html', content: 'B2' }], '1');
  const after = await stat(path.join(out, 'a/index.html'));
  assert.equal(after.ino, before.ino);
  assert.equal(after.mtimeMs, before.mtimeMs);
  assert.equal(await readFile(path.join(out, 'b/index.html'), 'utf8'), 'B2');
  assert.deepEqual({ written: result.written, unchanged: result.unchanged }, { written: 1, unchanged: 2 });
  // No staging or retired folders are left next to the output.
  assert.deepEqual(await readdir(root), ['dist']);
});

test('files no longer produced disappear from the output', async () => {
  const out = path.join(await temp(), 'dist');
  await writeSite(out, [{ path: 'old.html', content: 'x' }], '1');
  await writeSite(out, [{ path: 'new.html', content: 'y' }], '1');
  assert.deepEqual((await readdir(out)).sort(), [OUTPUT_MARKER, 'new.html']);
});

test('refuses dangerous output folders', async () => {
  const root = await temp();
  const rules = path.join(root, 'rules');
  await mkdir(rules);
  await assert.rejects(assertSafeOutput('/', { root, inputs: [] }), /file-system root/);
  await assert.rejects(assertSafeOutput(root, { root, inputs: [rules] }), /project folder/);
  await assert.rejects(assertSafeOutput(path.join(root, 'x'), { root: path.join(root, 'x', 'y'), inputs: [path.join(root, 'x', 'rules')] }), /contains the input folder/);
  const foreign = path.join(root, 'docs');
  await mkdir(foreign);
  await writeFile(path.join(foreign, 'notes.txt'), 'precious');
  await assert.rejects(assertSafeOutput(foreign, { root, inputs: [rules] }), /not written by runbook-site/);
  await assert.doesNotReject(assertSafeOutput(path.join(root, 'fresh'), { root, inputs: [rules] }));
});
