// A killed build can leave a half-written temporary file beside any cached value (build records,
// the search index): the next save of that value removes those of dead processes, and keeps
// those of a live one (another build saving at the same moment).
import test from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { sampleProject } from './helpers/project.js';

const DEAD_PID = 2147483646;

test('cached values: a save removes the temporary files dead processes left beside it, and keeps a live one’s', async () => {
  const dir = await sampleProject('runbook-site-temporaries-');
  const cache = path.join(dir, '.cache/runbook-site');
  const first = await runCli(['build', '--quiet'], dir);
  assert.equal(first.code, 0, first.stderr);
  const names = await readdir(cache);
  const record = names.find((name) => /^last-build-[0-9a-f]+\.record$/.test(name));
  assert.ok(record, `a build record in ${names.join(', ')}`);
  assert.ok(names.includes('search-index.cache'));

  const dead = [`${record}.${DEAD_PID}.k1.tmp`, `search-index.cache.${DEAD_PID}.k2.tmp`];
  const live = `search-index.cache.${process.pid}.k3.tmp`;
  for (const name of [...dead, live]) await writeFile(path.join(cache, name), 'half a value');
  // A new word in a runbook: the search index and the record are both saved again.
  await appendFile(path.join(dir, 'runbooks/haproxy/HaproxyDown.md'), '\nAlso check the load balancer logs for zebrafish.\n');
  const second = await runCli(['build', '--quiet'], dir);
  assert.equal(second.code, 0, second.stderr);

  const after = await readdir(cache);
  for (const name of dead) assert.ok(!after.includes(name), `${name} is removed`);
  assert.ok(after.includes(live), 'a live process’s temporary file is kept');
});
