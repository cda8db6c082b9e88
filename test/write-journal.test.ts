// The in-place update of a previous site (src/write/in-place.ts), killed at every step: a child
// process writes the new site and is sent SIGKILL at its k-th file-system change, for every k
// until it finishes. After a kill before the commit the next build's clean-up must leave the
// previous site exactly as it was (bytes and mtimes); after the commit, and after the finished run,
// the new site whole; and nothing is left beside it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cleanStaleOutputs, writeSite, type OutputFile } from '../src/write/output.js';
import { projectRoot, sampleProject } from './helpers/project.js';
import { runCli } from './helpers/cli.js';
import { outputManifest } from '../src/cache/build-record.js';

/** Every folder and file under `dir` with a hash of its bytes and, unless `times` is false, its mtime. */
async function snapshot(dir: string, { times = true } = {}): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join((entry as unknown as { parentPath?: string }).parentPath ?? entry.path, entry.name);
    const relative = path.relative(dir, full);
    if (entry.isDirectory()) {
      out.push(`${relative}/`);
      continue;
    }
    const mtime = times ? ` ${(await stat(full)).mtimeMs}` : '';
    out.push(`${relative}${mtime} ${createHash('sha1').update(await readFile(full)).digest('hex')}`);
  }
  return out.sort();
}

const previousSite: OutputFile[] = [
  { path: 'index.html', content: '<p>home' },
  { path: 'runbooks/a/index.html', content: '<p>A' },
  { path: 'runbooks/b/index.html', content: '<p>B' },
  { path: 'gone/deep/index.html', content: '<p>gone' },
  { path: 'search-index.json', content: '{"v":1}' },
];
const nextSite: OutputFile[] = [
  { path: 'index.html', content: '<p>home' },
  { path: 'runbooks/a/index.html', content: '<p>A, changed' },
  { path: 'runbooks/b/index.html', content: '<p>B' },
  { path: 'runbooks/c/new/index.html', content: '<p>C, new' },
  { path: 'search-index.json', content: '{"v":2}' },
];

/** Writes `nextSite` over `out` in a child process killed at its `killAt`-th file-system change; true when it finished. */
function writeKilledAt(out: string, killAt: number): Promise<boolean> {
  const script = `
    import fs from 'node:fs';
    import { syncBuiltinESMExports } from 'node:module';
    const { writeSite } = await import(${JSON.stringify(pathToFileURL(path.join(projectRoot, 'lib/src/write/output.js')).href)});
    let changes = 0;
    for (const name of ['writeFileSync', 'renameSync', 'linkSync', 'mkdirSync', 'rmdirSync', 'unlinkSync', 'rmSync']) {
      const original = fs[name];
      fs[name] = (...args) => {
        if (++changes === ${killAt}) process.kill(process.pid, 'SIGKILL');
        return original(...args);
      };
    }
    syncBuiltinESMExports();
    await writeSite(${JSON.stringify(out)}, ${JSON.stringify(nextSite)}, '1');
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve(false);
      else if (code === 0) resolve(true);
      else reject(new Error(`the writer failed (${code}): ${stderr}`));
    });
  });
}

test('an in-place update killed at any step is rolled back by the next build; finished, it is the new site', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'runbook-site-journal-'));
  const pristine = path.join(root, 'pristine');
  await writeSite(pristine, previousSite, '1');
  const previous = await snapshot(pristine);
  const out = path.join(root, 'dist');
  let rolledBack = 0;
  let committed = false;
  for (let killAt = 1; ; killAt++) {
    await rm(out, { recursive: true, force: true });
    await cp(pristine, out, { recursive: true, preserveTimestamps: true });
    // The copy's mtimes are rounded to the millisecond: it is the reference from here on.
    const before = await snapshot(out);
    const folderBefore = (await stat(path.join(out, 'runbooks'))).ino;
    assert.deepEqual(before.map((line) => line.replace(/ \S+ /, ' ')), previous.map((line) => line.replace(/ \S+ /, ' ')));
    const finished = await writeKilledAt(out, killAt);
    const cleanup = cleanStaleOutputs(out);
    assert.deepEqual(cleanup.left, [], `killed at change ${killAt}: the clean-up left ${cleanup.left.join(', ')}`);
    assert.deepEqual((await readdir(root)).sort(), ['dist', 'pristine'], `killed at change ${killAt}: folders left beside the output`);
    const after = await snapshot(out);
    if (!committed && JSON.stringify(after) === JSON.stringify(before)) {
      assert.ok(!finished, 'the writer finished, yet the output is the previous site');
      rolledBack++;
      continue;
    }
    // Killed after the commit (the journal deleted), or finished: the new site, whole.
    committed = true;
    const files = after.filter((line) => !line.endsWith('/')).map((line) => line.split(' ')[0]).sort();
    assert.deepEqual(files, [...nextSite.map((file) => file.path), '.runbook-site'].sort(), `killed at change ${killAt}: neither the previous site nor the new one`);
    for (const file of nextSite) assert.equal(await readFile(path.join(out, file.path), 'utf8'), file.content);
    // The unchanged files were not touched: same mtime as in the previous site.
    const untouched = (lines: string[]) => lines.filter((line) => line.startsWith('index.html ') || line.startsWith(`${path.join('runbooks', 'b', 'index.html')} `));
    assert.deepEqual(untouched(after), untouched(before));
    if (finished) {
      // Updated where it is, not rebuilt beside it and swapped in: its folders are the same ones.
      assert.equal((await stat(path.join(out, 'runbooks'))).ino, folderBefore);
      break;
    }
  }
  // Writing the new bytes, the journal, links, renames, folders made and removed: every one was a kill point.
  assert.ok(rolledBack >= 12, `only ${rolledBack} kill points: the update no longer goes through the journal?`);
});

test('a folder of the old site where a file now goes (and the other way round) is written whole and swapped in', async () => {
  const out = path.join(await mkdtemp(path.join(tmpdir(), 'runbook-site-journal-')), 'dist');
  await writeSite(out, [{ path: 'x/index.html', content: 'folder' }, { path: 'y', content: 'file' }], '1');
  await writeSite(out, [{ path: 'x', content: 'now a file' }, { path: 'y/index.html', content: 'now a folder' }], '1');
  assert.equal(await readFile(path.join(out, 'x'), 'utf8'), 'now a file');
  assert.equal(await readFile(path.join(out, 'y/index.html'), 'utf8'), 'now a folder');
  assert.deepEqual((await readdir(path.dirname(out))).sort(), ['dist']);
});

test('while another live build writes the same output (its journal is beside it), a build swaps instead of updating in place', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'runbook-site-journal-'));
  const out = path.join(root, 'dist');
  await writeSite(out, previousSite, '1');
  const folder = (await stat(path.join(out, 'runbooks'))).ino;
  // The parent of this test process stands for the other build: it is alive.
  await mkdir(path.join(root, `.dist.undo-${process.ppid}-other`));
  await writeSite(out, nextSite, '1');
  assert.notEqual((await stat(path.join(out, 'runbooks'))).ino, folder, 'updated in place beside another writer');
  for (const file of nextSite) assert.equal(await readFile(path.join(out, file.path), 'utf8'), file.content);
  // Without it, the next build updates in place again.
  await rm(path.join(root, `.dist.undo-${process.ppid}-other`), { recursive: true });
  const swapped = (await stat(path.join(out, 'runbooks'))).ino;
  await writeSite(out, previousSite, '1');
  assert.equal((await stat(path.join(out, 'runbooks'))).ino, swapped);
});

test('an in-place update returns the listing the build record keeps, the same as walking the output again', async () => {
  const out = path.join(await mkdtemp(path.join(tmpdir(), 'runbook-site-journal-')), 'dist');
  await writeSite(out, previousSite, '1');
  // Files changed, added in new folders, removed with their folders; then nothing changed at all.
  for (const site of [nextSite, nextSite, previousSite]) {
    const result = await writeSite(out, site, '1');
    assert.ok(result.manifest, 'no listing from an in-place update');
    assert.deepEqual(result.manifest, outputManifest(out));
  }
});

test('through the CLI, a site updated in place after runbooks are added, removed and moved equals a clean build of it', async () => {
  const dir = await sampleProject();
  assert.equal((await runCli(['build'], dir)).code, 0);
  const folder = (await stat(path.join(dir, 'dist'))).ino;
  // A section renamed (its pages move, the old folders go), a runbook deleted, one added in a new folder.
  await rename(path.join(dir, 'runbooks/node-exporter'), path.join(dir, 'runbooks/hosts'));
  await rm(path.join(dir, 'runbooks/haproxy/HaproxyHighHttp4xxErrorRateBackend.md'));
  await mkdir(path.join(dir, 'runbooks/databases'), { recursive: true });
  await writeFile(path.join(dir, 'runbooks/databases/PostgresDown.md'), '---\ntitle: PostgresDown\n---\n\nRestart the primary.\n');
  const updated = await runCli(['build', '--no-check'], dir);
  assert.equal((await stat(path.join(dir, 'dist'))).ino, folder, 'the output was swapped, not updated in place');
  const clean = await runCli(['build', '--no-check', '--no-cache', '--out', 'clean'], dir);
  assert.equal(updated.code, clean.code, updated.stdout + clean.stdout);
  assert.deepEqual(await snapshot(path.join(dir, 'dist'), { times: false }), await snapshot(path.join(dir, 'clean'), { times: false }));
  assert.ok((await snapshot(path.join(dir, 'dist'), { times: false })).some((line) => line.startsWith(path.join('runbooks', 'hosts'))));
  assert.deepEqual((await readdir(dir)).filter((name) => name.startsWith('.dist.')), []);
});
