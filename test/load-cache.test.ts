// Rule files and runbooks whose text did not change are not parsed again: their result and their
// diagnostics come from the load cache, exactly as a fresh parse would give them.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VFile } from 'vfile';
import { LOAD_SHARDS, loadShardFile, openLoadCache } from '../src/cache/load-cache.js';
import { reportError, reportWarning } from '../src/diagnostics.js';
import { runCli } from './helpers/cli.js';
import { memoryLoadCache } from '../src/serve/session.js';
import { sampleProject } from './helpers/project.js';
import { loadConfig } from '../src/config/load.js';
import { buildInputsKey } from '../src/cache/build-record.js';
import { loadRunbooks } from '../src/load/runbooks.js';
import type { Listings } from '../src/load/files.js';
import { loadRuleFiles } from '../src/rules/load.js';
import { DEFAULT_TEMPLATES_DIR } from '../src/build.js';

test('load cache: a value and its diagnostics come back for the same text only, and only for the same version', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-load-'));
  const first = await openLoadCache(dir, '1.0.0');
  const parsed = new VFile({ path: '/x/a.yml', value: 'text' });
  reportError(parsed, 'Bad thing', { start: { line: 2, column: 3, offset: 9 }, end: { line: 2, column: 5, offset: 11 } }, 'bad-thing');
  reportWarning(parsed, 'Odd thing', { line: 1, column: 1, offset: 0 }, 'odd-thing');
  first.keep('rules', 'a.yml', 'text', parsed, { groups: ['g'] });
  await first.save();

  const second = await openLoadCache(dir, '1.0.0');
  const again = new VFile({ path: '/x/a.yml', value: 'text' });
  assert.deepEqual(second.reuse('rules', 'a.yml', 'text', again), { groups: ['g'] });
  assert.deepEqual(
    again.messages.map((m) => [m.reason, m.ruleId, m.fatal, m.line, m.column, m.place && 'end' in m.place ? m.place.end.column : undefined]),
    [
      ['Bad thing', 'bad-thing', true, 2, 3, 5],
      ['Odd thing', 'odd-thing', false, 1, 1, undefined],
    ],
  );
  assert.equal(second.reuse('rules', 'a.yml', 'text changed', new VFile()), undefined);
  assert.equal(second.reuse('runbook', 'a.yml', 'text', new VFile()), undefined, 'kinds are apart');
  assert.equal((await openLoadCache(dir, '1.0.1')).reuse('rules', 'a.yml', 'text', new VFile()), undefined, 'another version misses');

  for (let shard = 0; shard < LOAD_SHARDS; shard++) await writeFile(loadShardFile(dir, shard), 'garbage');
  assert.equal((await openLoadCache(dir, '1.0.0')).reuse('rules', 'a.yml', 'text', new VFile()), undefined, 'a corrupt file is a miss, not a crash');
});

test('load cache: shards; an edit rewrites the one its file is in; the format-1 file and dead saves\' temporary files go', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-load-'));
  const names = Array.from({ length: 100 }, (_, i) => `r${i}.md`);
  const first = await openLoadCache(dir, '1.0.0');
  for (const name of names) first.keep('runbook', name, `text of ${name}`, new VFile(), { name });
  await writeFile(path.join(dir, 'load.cache'), 'format 1');
  const dead = `${loadShardFile(dir, 3)}.2147483646.abc.tmp`;
  await writeFile(dead, 'half a shard');
  await first.save();
  const files = (await readdir(dir)).sort();
  assert.deepEqual(files, Array.from({ length: LOAD_SHARDS }, (_, i) => path.basename(loadShardFile(dir, i))));
  const before = await Promise.all(files.map(async (file) => (await stat(path.join(dir, file))).mtimeMs));
  await new Promise((resolve) => setTimeout(resolve, 20));

  const second = await openLoadCache(dir, '1.0.0');
  for (const name of names.slice(1)) assert.deepEqual(second.reuse('runbook', name, `text of ${name}`, new VFile()), { name });
  assert.equal(second.reuse('runbook', names[0], 'edited', new VFile()), undefined);
  second.keep('runbook', names[0], 'edited', new VFile(), { edited: true });
  await second.save();
  const after = await Promise.all(files.map(async (file) => (await stat(path.join(dir, file))).mtimeMs));
  assert.equal(after.filter((mtime, i) => mtime !== before[i]).length, 1, 'one shard rewritten');
  const third = await openLoadCache(dir, '1.0.0');
  assert.deepEqual(third.reuse('runbook', names[0], 'edited', new VFile()), { edited: true });
  assert.deepEqual(third.reuse('runbook', names[1], `text of ${names[1]}`, new VFile()), { name: names[1] });
});

test('load cache: after an edit, a build reports exactly what a build without any cache reports', async () => {
  const dir = await sampleProject('runbook-site-load-');
  // Problems in a rule file and a runbook that stay unchanged, so their diagnostics must come back from the cache.
  const rules = path.join(dir, 'rules/haproxy/haproxy.yml');
  await writeFile(rules, (await readFile(rules, 'utf8')).replace('haproxy_up == 0', 'haproxy_up == 0.05and up'));
  await writeFile(path.join(dir, 'runbooks/haproxy/Broken.md'), '---\ntitle: Broken\nweight: heavy\n---\n# Broken\n\n{{% rule "haproxy/haproxy.yml" %}}\n');
  const first = await runCli(['check', '--format', 'json'], dir);
  assert.equal(first.code, 1);
  let stored = '';
  for (let shard = 0; shard < LOAD_SHARDS; shard++) stored += await readFile(loadShardFile(path.join(dir, '.cache/runbook-site'), shard), 'utf8').catch(() => '');
  assert.match(stored, /"rules:haproxy\/haproxy\.yml"/);
  assert.match(stored, /"runbook:haproxy\/Broken\.md"/);

  const other = path.join(dir, 'runbooks/haproxy/HaproxyDown.md');
  await writeFile(other, (await readFile(other, 'utf8')) + '\nOne more line.\n');
  const cached = await runCli(['check', '--format', 'json'], dir);
  const fresh = await runCli(['check', '--format', 'json', '--no-cache'], dir);
  assert.equal(cached.stdout, fresh.stdout);
  const ruleIds = (JSON.parse(cached.stdout) as { diagnostics: { ruleId: string }[] }).diagnostics.map((d) => d.ruleId);
  assert.ok(ruleIds.includes('promql-syntax') && ruleIds.includes('front-matter-schema'), ruleIds.join(', '));

  // A fixed file is parsed again: its problem is gone.
  await writeFile(rules, (await readFile(rules, 'utf8')).replace('haproxy_up == 0.05and up', 'haproxy_up == 0'));
  const fixed = JSON.parse((await runCli(['check', '--format', 'json'], dir)).stdout) as { diagnostics: { ruleId: string }[] };
  assert.ok(!fixed.diagnostics.some((d) => d.ruleId === 'promql-syntax'));
});

test('serve\'s in-memory load cache keeps what it took from the disk cache: the second build parses nothing either', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-memory-cache-'));
  const disk = await openLoadCache(dir, 'test');
  const written = new VFile({ path: 'a.md', value: 'text' });
  reportWarning(written, 'A warning', { line: 1, column: 1 }, 'some-rule');
  disk.keep('runbook', 'a.md', 'text', written, { parsed: 1 });
  await disk.save();

  const memory = memoryLoadCache(await openLoadCache(dir, 'test'));
  for (const build of [1, 2, 3]) {
    const vfile = new VFile({ path: 'a.md', value: 'text' });
    assert.deepEqual(memory.reuse('runbook', 'a.md', 'text', vfile), { parsed: 1 }, `build ${build}`);
    assert.deepEqual(vfile.messages.map((message) => message.reason), ['A warning'], `build ${build}: its diagnostics too`);
    memory.forgetUnused();
    await memory.save();
  }
});

test('the build record key keeps its listings of the rules and runbooks folders, and the load stage takes them instead of walking again', async () => {
  const dir = await sampleProject('runbook-site-load-');
  const config = await loadConfig({ cwd: dir, overrides: {} });
  const listings: Listings = new Map();
  await buildInputsKey({ config, mode: 'build', failOnErrors: true, version: 'test', templatesDir: DEFAULT_TEMPLATES_DIR, listings });
  const runbooks = (await readdir(config.runbooksDir, { recursive: true })).filter((file) => file.endsWith('.md'));
  assert.ok(runbooks.length > 3);
  assert.deepEqual([...listings.keys()].sort(), [config.rulesDir, config.runbooksDir].sort());
  const loaded = await loadRunbooks(config.runbooksDir, undefined, {}, listings);
  assert.deepEqual(loaded.map((runbook) => runbook.file).sort(), [...runbooks].sort());
  // What is loaded is the key's listing: a file left out of it is not seen; without it, the folder is walked.
  const listing = listings.get(config.runbooksDir)!;
  listing.files = listing.files.filter((file) => file !== runbooks[0]);
  assert.equal((await loadRunbooks(config.runbooksDir, undefined, {}, listings)).length, runbooks.length - 1);
  assert.equal((await loadRunbooks(config.runbooksDir, undefined, {})).length, runbooks.length);
  const rules = await loadRuleFiles(config.rulesDir, undefined, listings);
  assert.deepEqual(rules.map((file) => file.path), listings.get(config.rulesDir)!.files);
});
