// A run whose inputs and output are unchanged replays the previous result; anything else runs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { sampleProject } from './helpers/project.js';

const replayed = /Nothing changed/;

test('an unchanged build is replayed; an edited output file or rule file makes it run again', async () => {
  const dir = await sampleProject('runbook-site-record-');
  const first = await runCli(['build'], dir);
  assert.equal(first.code, 0, first.stderr);
  assert.doesNotMatch(first.stderr, replayed);
  const second = await runCli(['build'], dir);
  assert.match(second.stderr, replayed);
  assert.equal(second.stdout, first.stdout, 'the same diagnostics and summary');

  const index = path.join(dir, 'dist/index.html');
  const original = await readFile(index);
  await appendFile(index, '<!-- edited by hand -->');
  const third = await runCli(['build'], dir);
  assert.doesNotMatch(third.stderr, replayed);
  assert.deepEqual(await readFile(index), original, 'the output is repaired');

  // A file added or removed deep in the output (the check stats, it does not list folders).
  const section = path.join(dir, 'dist/runbooks/haproxy');
  await writeFile(path.join(section, 'stray.html'), 'not ours');
  const added = await runCli(['build'], dir);
  assert.doesNotMatch(added.stderr, replayed);
  assert.ok(!existsSync(path.join(section, 'stray.html')), 'the stray file is gone');
  assert.match((await runCli(['build'], dir)).stderr, replayed);
  await rm(path.join(section, 'haproxydown/index.html'));
  const removed = await runCli(['build'], dir);
  assert.doesNotMatch(removed.stderr, replayed);
  assert.ok(existsSync(path.join(section, 'haproxydown/index.html')), 'the page is back');

  const rules = path.join(dir, 'rules/haproxy/haproxy.yml');
  await writeFile(rules, (await readFile(rules, 'utf8')).replace('haproxy_up == 0', 'haproxy_up < 1'));
  const fourth = await runCli(['build'], dir);
  assert.doesNotMatch(fourth.stderr, replayed);
  assert.match(await readFile(path.join(dir, 'dist/runbooks/haproxy/haproxydown/index.html'), 'utf8'), /expr: haproxy_up &lt; 1/);
});

test('a replayed check keeps its exit status, diagnostics and code frames', async () => {
  const dir = await sampleProject('runbook-site-record-');
  await writeFile(path.join(dir, 'runbooks/haproxy/Broken.md'), '# Broken\n\n{{% gauge "x" %}}\n');
  const first = await runCli(['check'], dir);
  const second = await runCli(['check'], dir);
  assert.equal(first.code, 1);
  assert.equal(second.code, 1);
  assert.equal(second.stdout, first.stdout);
  assert.match(second.stdout, /> 3 \| \{\{% gauge "x" %\}\}/);
});

test('a failed build is not replayed as a success, and --no-check is keyed apart', async () => {
  const dir = await sampleProject('runbook-site-record-');
  await writeFile(path.join(dir, 'runbooks/haproxy/Broken.md'), '# Broken\n\n{{% gauge "x" %}}\n');
  assert.equal((await runCli(['build'], dir)).code, 1);
  assert.equal((await runCli(['build'], dir)).code, 1);
  const forced = await runCli(['build', '--no-check'], dir);
  // Written, and still exit 1: the errors are there.
  assert.equal(forced.code, 1);
  assert.match(forced.stderr, /Built despite 1 error/);
  assert.doesNotMatch(forced.stderr, replayed);
  assert.equal((await runCli(['build'], dir)).code, 1, 'the checked build still fails');
});
