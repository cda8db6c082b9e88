// Config `timeout` (Hugo's): a page that renders for longer stops the build with its name, and the
// previous output stays as it was. Through the real CLI, with a worker forced so that one core runs it too.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFile, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseDuration, formatDuration } from '../src/config/duration.js';
import { loadConfig } from '../src/config/load.js';
import { projectOf, projectRoot, sampleProject } from './helpers/project.js';

const BIN = path.join(projectRoot, 'bin/runbook-site.js');

async function build(dir: string): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await promisify(execFile)(process.execPath, [BIN, 'build', '--no-cache', '--quiet'], { cwd: dir, env: { ...process.env, CI: 'true', RUNBOOK_SITE_WORKERS: '1' } });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  return new Map(await Promise.all(files.map(async (entry) => {
    const file = path.join(entry.parentPath, entry.name);
    return [path.relative(dir, file), await readFile(file, 'utf8')] as const;
  })));
}

/** A legitimate but slow page: a long table (about a second to render), under the size limit. */
function slowRunbook(): string {
  const rows = Array.from({ length: 12_000 }, () => '|1|2|3|4|5|6|7|8|');
  return ['---', 'title: A very long inventory', '---', '', 'Every host, one per row.', '', '|a|b|c|d|e|f|g|h|', '|-|-|-|-|-|-|-|-|', ...rows, ''].join('\n');
}

test('timeout: a page rendering for longer stops the build, names the page and keeps the previous output', async () => {
  const dir = await sampleProject('runbook-site-timeout-');
  const first = await build(dir);
  assert.equal(first.code, 0, first.stderr);
  const before = await snapshot(path.join(dir, 'dist'));

  await writeFile(path.join(dir, 'runbooks/inventory.md'), slowRunbook());
  await appendFile(path.join(dir, 'runbook-site.yaml'), 'timeout: 400ms\n');
  const stopped = await build(dir);
  assert.equal(stopped.code, 2, stopped.stderr);
  assert.match(stopped.stderr, /Rendering `runbooks\/inventory\.md` took longer than 400ms, so the build was stopped/);
  assert.match(stopped.stderr, /raise `timeout` in runbook-site\.yaml/);
  assert.doesNotMatch(stopped.stderr, /\n\s+at /, 'no stack trace');
  assert.deepEqual(await snapshot(path.join(dir, 'dist')), before, 'the previous output is untouched');

  // The same page within the default limit builds: the limit, not the page, stopped it.
  await writeFile(path.join(dir, 'runbook-site.yaml'), (await readFile(path.join(dir, 'runbook-site.yaml'), 'utf8')).replace('timeout: 400ms\n', ''));
  const built = await build(dir);
  assert.equal(built.code, 0, built.stderr);
  assert.ok((await readFile(path.join(dir, 'dist/runbooks/inventory/index.html'), 'utf8')).includes('A very long inventory'));
});

test('timeout: Go durations and milliseconds, as Hugo reads them', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration(120_000), 120_000);
  assert.equal(parseDuration('120000'), 120_000);
  for (const bad of ['', '30 seconds', '-1s', 's', '1d', '1m 30s']) {
    assert.equal(parseDuration(bad), undefined, bad);
  }
  assert.deepEqual([250, 30_000, 90_000, 120_000].map(formatDuration), ['250ms', '30s', '1m30s', '2m']);
});

test('timeout: 30s by default, Hugo’s value in a Hugo project, and a clear error for a value that is not a duration', async () => {
  const plain = await projectOf({ 'runbooks/a.md': '# A\n', 'rules/a.yml': 'groups: []\n' });
  assert.equal((await loadConfig({ cwd: plain, overrides: {} })).timeout, 30_000);

  const hugo = await projectOf({ 'hugo.toml': 'title = "Ops"\ntimeout = "2m"\n', 'content/runbooks/a.md': '# A\n' });
  assert.equal((await loadConfig({ cwd: hugo, overrides: {} })).timeout, 120_000);

  const wrong = await projectOf({ 'runbook-site.yaml': 'timeout: soon\n', 'runbooks/a.md': '# A\n' });
  await assert.rejects(loadConfig({ cwd: wrong, overrides: {} }), (error: Error) => {
    assert.match(error.message, /`timeout`: expected a duration such as "30s" or "2m", or a number of milliseconds/);
    assert.match(error.message, /runbook-site\.yaml/);
    return true;
  });
});
