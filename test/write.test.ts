import test from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, readdir, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeSite, assertSafeOutput, OUTPUT_MARKER } from '../src/write/output.js';
import { runCli } from './helpers/cli.js';
import { outputManifest } from '../src/cache/build-record.js';
import { sampleProject } from './helpers/project.js';

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

test('the old files come from the recorded listing while every folder keeps its recorded mtime, else from a walk', async () => {
  const out = path.join(await temp(), 'dist');
  const site = [{ path: 'a/index.html', content: 'A' }, { path: 'b/index.html', content: 'B' }];
  await writeSite(out, site, '1');
  const recorded = outputManifest(out);
  // A stray file, and a record that has its folder's mtime as it is now but does not list the
  // file (as when both happen within one tick of the clock): the record is believed, so the stray
  // file is not seen (what shows that the folders were not walked).
  await writeFile(path.join(out, 'a/stray.txt'), 'stray');
  const a = recorded.dirs.find(([dir]) => dir === 'a')!;
  a[1] = (await stat(path.join(out, 'a'))).mtimeMs;
  await writeSite(out, [...site, { path: 'c/index.html', content: 'C' }], '1', process.cwd(), recorded);
  assert.ok((await readdir(path.join(out, 'a'))).includes('stray.txt'), 'the recorded listing was used');
  // The folder's mtime changed since the record: the output is walked and the stray file goes.
  await appendFile(path.join(out, 'a/stray.txt'), '!');
  await writeFile(path.join(out, 'a/stray2.txt'), 'another');
  await writeSite(out, site, '1', process.cwd(), recorded);
  assert.deepEqual((await readdir(path.join(out, 'a'))).sort(), ['index.html']);
  assert.deepEqual((await readdir(out)).sort(), [OUTPUT_MARKER, 'a', 'b']);
});

test('through the CLI: a file added to the output after a build is removed by the next one', async () => {
  const dir = await sampleProject('runbook-site-write-');
  assert.equal((await runCli(['build'], dir)).code, 0);
  const page = (await readdir(path.join(dir, 'dist/runbooks'), { recursive: true })).find((file) => file.endsWith('index.html'))!;
  const stray = path.join(dir, 'dist/runbooks', path.dirname(page), 'stray.html');
  await writeFile(stray, 'not built');
  const runbook = (await readdir(path.join(dir, 'runbooks'), { recursive: true })).find((file) => file.endsWith('.md') && !file.endsWith('_index.md'))!;
  await appendFile(path.join(dir, 'runbooks', runbook), '\nOne more line.\n');
  const second = await runCli(['build'], dir);
  assert.equal(second.code, 0, second.stderr);
  await assert.rejects(stat(stray), /ENOENT/);
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
