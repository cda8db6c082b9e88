// The output folder and the caches, through the real CLI: leftovers of killed builds go, a
// read-only old output does not fail the swap, the output and the cache stay apart from the
// inputs and each other, tampered caches are misses, and --strict / --no-check say what they do.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, chown, cp, mkdir, mkdtemp, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { projectRoot, sampleProject } from './helpers/project.js';

/** Every file under `dir` with its size, mtime and a hash of its bytes: equal snapshots mean untouched. */
async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join((entry as unknown as { parentPath?: string }).parentPath ?? entry.path, entry.name);
    if (!entry.isFile()) continue;
    const info = await stat(full);
    out.push(`${path.relative(dir, full)} ${info.size} ${info.mtimeMs} ${createHash('sha1').update(await readFile(full)).digest('hex')}`);
  }
  return out.sort();
}

/** A process id that no running process has. */
function deadPid(): number {
  for (let pid = 3_999_999; ; pid--) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
}

async function leftovers(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.startsWith('.dist.')).sort();
}

test('folders a killed build left next to the output are removed by the next build, which leaves one complete site', async () => {
  const dir = await sampleProject();
  assert.equal((await runCli(['build'], dir)).code, 0);
  const pid = deadPid();
  // Killed while writing: a half-written staging folder. Killed during clean-up: part of a retired copy.
  await mkdir(path.join(dir, `.dist.staging-${pid}-abc123/runbooks`), { recursive: true });
  await writeFile(path.join(dir, `.dist.staging-${pid}-abc123/runbooks/half.html`), '<p>half');
  await cp(path.join(dir, 'dist/runbooks'), path.join(dir, `.dist.old-${pid}-abc122/runbooks`), { recursive: true });
  // A build still running (its process is alive) keeps its staging folder.
  await mkdir(path.join(dir, `.dist.staging-${process.ppid}-abc124`));
  const replayed = await runCli(['build'], dir);
  assert.equal(replayed.code, 0, replayed.stderr);
  assert.deepEqual(await leftovers(dir), [`.dist.staging-${process.ppid}-abc124`]);
  assert.match(await readFile(path.join(dir, 'dist/index.html'), 'utf8'), /<title>Example runbooks<\/title>/);
});

test('killed between the two renames of the swap: the next build puts the previous site back, even when it then fails', async () => {
  const dir = await sampleProject();
  assert.equal((await runCli(['build'], dir)).code, 0);
  const before = await snapshot(path.join(dir, 'dist'));
  const pid = deadPid();
  // The moment after `dist` became `.dist.old-…` and before the complete staging folder became `dist`.
  await rename(path.join(dir, 'dist'), path.join(dir, `.dist.old-${pid}-k1`));
  await cp(path.join(dir, `.dist.old-${pid}-k1`), path.join(dir, `.dist.staging-${pid}-k1`), { recursive: true });
  await writeFile(path.join(dir, 'runbooks/writing-runbooks.md'), '---\ntitle: Broken\n---\n\n[x](missing.md)\n');
  const failed = await runCli(['build'], dir);
  assert.equal(failed.code, 1, failed.stdout);
  assert.deepEqual(await leftovers(dir), []);
  assert.deepEqual(await snapshot(path.join(dir, 'dist')), before);
});

/** Runs the CLI in a child process as an unprivileged user (root ignores file permissions). */
function runAsNobody(argv: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin/runbook-site.js'), ...argv], { cwd, uid: 65534, gid: 65534, env: { ...process.env, CI: 'true' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

test('a read-only old output is swapped out and removed: exit 0, one site, no retired copy beside it', async () => {
  const dir = await sampleProject();
  const asRoot = process.getuid?.() === 0;
  const build = async () => {
    if (!asRoot) {
      const result = await runCli(['build'], dir);
      return { code: result.code, output: result.stdout + result.stderr };
    }
    return runAsNobody(['build'], dir);
  };
  if (asRoot) {
    await chmod(dir, 0o755);
    for (const entry of ['', ...(await readdir(dir, { recursive: true }))]) await chown(path.join(dir, entry), 65534, 65534);
  }
  const first = await build();
  assert.equal(first.code, 0, first.output);
  for (const entry of ['runbooks', ...(await readdir(path.join(dir, 'dist/runbooks'), { recursive: true })).map((name) => `runbooks/${name}`)]) {
    const full = path.join(dir, 'dist', entry);
    if ((await stat(full)).isDirectory()) await chmod(full, 0o555);
  }
  await writeFile(path.join(dir, 'runbooks/writing-runbooks.md'), '---\ntitle: Writing runbooks, again\n---\n\nSteps.\n');
  const second = await build();
  assert.equal(second.code, 0, second.output);
  assert.doesNotMatch(second.output, /EACCES|Internal error/);
  assert.deepEqual(await leftovers(dir), []);
  assert.match(await readFile(path.join(dir, 'dist/runbooks/writing-runbooks/index.html'), 'utf8'), /Writing runbooks, again/);
});

test('an unreadable file next to the runbooks does not crash the build (it is hashed for replay as unreadable)', { skip: process.getuid?.() === 0 ? false : 'needs root to run the build as another user' }, async () => {
  const dir = await sampleProject();
  await chmod(dir, 0o755);
  for (const entry of ['', ...(await readdir(dir, { recursive: true }))]) await chown(path.join(dir, entry), 65534, 65534);
  // Owned by root, readable by root only: the build runs as nobody.
  await writeFile(path.join(dir, 'runbooks', 'secret.bin'), 'secret');
  await chmod(path.join(dir, 'runbooks', 'secret.bin'), 0o600);
  const result = await runAsNobody(['build'], dir);
  assert.equal(result.code, 0, result.output);
  assert.doesNotMatch(result.output, /EACCES|Internal error/);
});

test('runbooks at the repository root (`runbooks: .`, as GitHub renders them) build into dist/ beside them, which is never read back', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-root-runbooks-'));
  await mkdir(path.join(dir, 'db'));
  await mkdir(path.join(dir, 'rules'));
  await writeFile(path.join(dir, 'README.md'), '# Runbooks\n\nSee [db](db/).\n');
  await writeFile(path.join(dir, 'db', 'PostgresDown.md'), '# PostgresDown\n\nRestart it.\n');
  await writeFile(path.join(dir, 'rules', 'db.yml'), 'groups:\n  - name: db\n    rules:\n      - alert: PostgresDown\n        expr: pg_up == 0\n        annotations:\n          runbook_url: https://org.github.io/rb/alerts/postgresdown/\n');
  await writeFile(path.join(dir, 'runbook-site.yaml'), 'runbooks: .\nbaseURL: https://org.github.io/rb/\n');
  const first = await runCli(['build'], dir);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const pages = /Built (\d+) pages/.exec(first.stderr)?.[1];
  // A second build with a change sees the same pages: dist/ (its .html, its assets) is not input.
  await writeFile(path.join(dir, 'db', 'PostgresDown.md'), '# PostgresDown\n\nRestart it, then check the replicas.\n');
  const second = await runCli(['build'], dir);
  assert.equal(second.code, 0, second.stdout + second.stderr);
  assert.equal(/Built (\d+) pages/.exec(second.stderr)?.[1], pages);
  assert.doesNotMatch(await readFile(path.join(dir, 'dist', 'sitemap.xml'), 'utf8'), /dist/);
  // And the next run is a replay: what the last build wrote is not an input that changed.
  assert.match((await runCli(['build'], dir)).stderr, /Nothing changed/);
  // Nested deeper in an input folder is still refused (next test): that is a mistake, not a layout.
});

test('the output folder may not be inside an input folder, nor hold the cache', async () => {
  const dir = await sampleProject();
  for (const out of ['runbooks/sub', 'rules/sub', 'runbooks/haproxy/site']) {
    const result = await runCli(['build', '--out', out], dir);
    assert.equal(result.code, 2, out);
    assert.match(result.stderr, new RegExp(`Refusing to write the site into \`${out}\`: it is inside the input folder \`${out.split('/')[0]}\``));
  }
  const cached = await runCli(['build', '--cache-dir', 'dist/.cache'], dir);
  assert.equal(cached.code, 2);
  assert.match(cached.stderr, /it contains the cache folder `dist\/\.cache`, which would be published/);
  assert.deepEqual((await readdir(dir)).sort(), ['rules', 'runbook-site.yaml', 'runbooks']);
  // Without a cache there is nothing to publish.
  assert.equal((await runCli(['build', '--cache-dir', 'dist/.cache', '--no-cache'], dir)).code, 0);
});

/** Replaces `from` by `to` (same length) in the value of a cache file, keeping its header as it was. */
async function tamper(file: string, from: string, to: string): Promise<void> {
  assert.equal(from.length, to.length);
  const text = await readFile(file, 'utf8');
  const newline = text.indexOf('\n');
  assert.ok(text.indexOf(from, newline) > newline, `${from} in ${file}`);
  await writeFile(file, text.slice(0, newline) + text.slice(newline).replace(from, to));
}

async function recordFiles(dir: string): Promise<string[]> {
  return (await readdir(path.join(dir, '.cache/runbook-site'))).filter((name) => name.endsWith('.record')).map((name) => path.join(dir, '.cache/runbook-site', name));
}

for (const [cacheFile, from, to, published] of [
  ['load-*.cache', 'The HAProxy exporter cannot reach HAProxy', 'The HAProxy exporter cannot reach HAPROXY', 'runbooks/haproxy/haproxydown/index.html'],
  ['search-index.cache', 'haproxydown', 'haproxydowx', 'search-index.json'],
] as const) {
  test(`a same-length edit inside ${cacheFile} is a miss, never published`, async () => {
    const dir = await sampleProject();
    assert.equal((await runCli(['build'], dir)).code, 0);
    const original = await readFile(path.join(dir, 'dist', published), 'utf8');
    // The load cache is in shards: the one that holds the text.
    const cacheDir = path.join(dir, '.cache/runbook-site');
    const pattern = new RegExp(`^${cacheFile.replace('.', '\\.').replace('*', '\\d\\d')}$`);
    const candidates = (await readdir(cacheDir)).filter((name) => pattern.test(name));
    const holding: string[] = [];
    for (const name of candidates) if ((await readFile(path.join(cacheDir, name), 'utf8')).includes(from)) holding.push(name);
    assert.equal(holding.length, 1, `${from} in one of ${candidates.join(', ')}`);
    await tamper(path.join(cacheDir, holding[0]), from, to);
    // Without the build records the pipeline runs, and meets the tampered entry.
    for (const file of await recordFiles(dir)) await writeFile(file, '');
    const rebuilt = await runCli(['build'], dir);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.equal(await readFile(path.join(dir, 'dist', published), 'utf8'), original);
  });
}

test('a tampered build record is not replayed; a replayed record\'s exit status follows its diagnostics', async () => {
  const dir = await sampleProject();
  const first = await runCli(['build'], dir);
  assert.equal(first.code, 0);
  const warnings = Number(/0 errors, (\d+) warnings?/.exec(first.stdout)?.[1]);
  assert.ok(warnings >= 1, first.stdout);
  const plural = (n: number) => `${n} warning${n === 1 ? '' : 's'}`;
  const [record] = (await recordFiles(dir)).filter((file) => path.basename(file).startsWith('last-build-'));
  // One of the sample's warnings (e.g. KubeJobFailed has no runbook) turned into an error.
  await tamper(record, '"severity":"warning"', '"severity":"error"  ');
  const tampered = await runCli(['build'], dir);
  assert.equal(tampered.code, 0);
  assert.match(tampered.stdout, new RegExp(`0 errors, ${plural(warnings)}`));
  assert.doesNotMatch(tampered.stderr, /Nothing changed/);

  // Even with a checksum that matches, the exit status is that of the diagnostics printed.
  const honest = await readFile(record, 'utf8');
  const newline = honest.indexOf('\n');
  const value = honest.slice(newline + 1).replace('"severity":"warning"', '"severity":"error"');
  const header = { ...(JSON.parse(honest.slice(0, newline)) as Record<string, unknown>), length: value.length, sum: createHash('sha1').update(value).digest('base64url') };
  await writeFile(record, `${JSON.stringify(header)}\n${value}`);
  const replayed = await runCli(['build'], dir);
  assert.match(replayed.stderr, /Nothing changed/);
  assert.match(replayed.stdout, new RegExp(`1 error, ${plural(warnings - 1)}`));
  assert.equal(replayed.code, 1);
});

test('build --strict with a warning exits 1 and leaves dist/ exactly as it was', async () => {
  const dir = await sampleProject();
  assert.equal((await runCli(['build'], dir)).code, 0);
  const before = await snapshot(path.join(dir, 'dist'));
  await writeFile(path.join(dir, 'runbooks/writing-runbooks.md'), '---\ntitle: Changed\n---\n\nNew steps.\n');
  const strict = await runCli(['build', '--strict'], dir);
  assert.equal(strict.code, 1, strict.stdout);
  assert.match(strict.stderr, /Build stopped by --strict: \d+ warnings?; dist was left as it was/);
  assert.deepEqual(await snapshot(path.join(dir, 'dist')), before);
  // Replayed or not, the answer is the same.
  assert.equal((await runCli(['build', '--strict'], dir)).code, 1);
  assert.deepEqual(await snapshot(path.join(dir, 'dist')), before);
});

test('build --no-check with errors writes the site and exits 1', async () => {
  const dir = await sampleProject();
  await writeFile(path.join(dir, 'runbooks/writing-runbooks.md'), '---\ntitle: Broken link\n---\n\nSee [this](missing.md).\n');
  const forced = await runCli(['build', '--no-check'], dir);
  assert.equal(forced.code, 1, forced.stdout);
  assert.match(forced.stderr, /Built despite 1 error \(--no-check\)/);
  assert.match(await readFile(path.join(dir, 'dist/runbooks/writing-runbooks/index.html'), 'utf8'), /Broken link/);
  const again = await runCli(['build', '--no-check'], dir);
  assert.match(again.stderr, /Nothing changed/);
  assert.equal(again.code, 1);
});

test('footnotes and raw HTML anchors are link targets the anchor check knows', async () => {
  const dir = await sampleProject();
  await writeFile(
    path.join(dir, 'runbooks/writing-runbooks.md'),
    '---\ntitle: Notes\n---\n\nRestart it[^1], see [below](#manual) and [the note](#user-content-fn-1), [back](#user-content-fnref-1).\n\n<a name="manual"></a>\n<div id="raw-box">x</div>\n\n[to the box](#raw-box) [wrong](#no-such-id)\n\n[^1]: After draining.\n',
  );
  const result = await runCli(['build', '--format', 'json'], dir);
  const errors = (JSON.parse(result.stdout) as { diagnostics: { severity: string; ruleId: string; message: string; line: number }[] }).diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => `${d.line} ${d.ruleId}`), ['10 broken-anchor']);
  assert.match(errors[0].message, /`#no-such-id`/);
  await writeFile(path.join(dir, 'runbooks/writing-runbooks.md'), '---\ntitle: Notes\n---\n\nRestart it[^1], [back](#user-content-fnref-1).\n\n[^1]: After draining.\n');
  const built = await runCli(['build'], dir);
  assert.equal(built.code, 0, built.stdout);
  assert.match(await readFile(path.join(dir, 'dist/runbooks/writing-runbooks/index.html'), 'utf8'), /id="user-content-fn-1"/);
});
