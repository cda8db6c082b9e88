import test from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(projectRoot, 'bin/runbook-site.js');

/** The sample site plus 60 generated runbooks (and their alerts): enough pages for workers. */
async function biggerProject(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-prestart-'));
  await cp(path.join(projectRoot, 'rules'), path.join(dir, 'rules'), { recursive: true });
  await cp(path.join(projectRoot, 'runbooks'), path.join(dir, 'runbooks'), { recursive: true });
  await cp(path.join(projectRoot, 'runbook-site.yaml'), path.join(dir, 'runbook-site.yaml'));
  await mkdir(path.join(dir, 'runbooks/generated'), { recursive: true });
  const rules: string[] = ['groups:', '  - name: generated', '    rules:'];
  for (let i = 0; i < 60; i++) {
    rules.push(`      - alert: Generated${i}`, `        expr: up{job="g${i}"} == 0`, '        labels:', '          severity: warning');
    await writeFile(
      path.join(dir, `runbooks/generated/Generated${i}.md`),
      `---\ntitle: Generated${i}\ntags: [generated]\n---\n\n# Generated${i}\n\n{{% rule "generated.yaml" "Generated${i}" %}}\n\n## Meaning\n\nSee [the next one](Generated${(i + 1) % 60}.md).\n`,
    );
  }
  await writeFile(path.join(dir, 'rules/generated.yaml'), `${rules.join('\n')}\n`);
  return dir;
}

async function listFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

const run = (dir: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  promisify(execFile)(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, CI: 'true', ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

test('a cold build of a bigger site (workers started early) writes the same bytes as one on the main thread; the warm one renders nothing', async () => {
  const dir = await biggerProject();
  const early = await run(dir, ['build', '--out', 'early']);
  assert.equal(early.code, 0, early.stderr);
  assert.match(early.stderr, /\((\d+) rendered, 0 from cache/);
  const main = await run(dir, ['build', '--no-cache', '--out', 'main'], { RUNBOOK_SITE_WORKERS: '0' });
  assert.equal(main.code, 0, main.stderr);
  const files = await listFiles(path.join(dir, 'early'));
  assert.ok(files.length > 90, `${files.length} files`);
  assert.deepEqual(await listFiles(path.join(dir, 'main')), files);
  for (const file of files) assert.ok((await readFile(path.join(dir, 'early', file))).equals(await readFile(path.join(dir, 'main', file))), file);
  const html = await readFile(path.join(dir, 'early/runbooks/generated/generated3/index.html'), 'utf8');
  assert.match(html, /href="[^"]*runbooks\/generated\/generated4\/"/, 'the .md link is resolved in a worker');

  // Nothing changed: the last build's result is replayed. With one output file gone, the pipeline
  // runs again and every page comes from the render cache.
  const warm = await run(dir, ['build', '--out', 'early']);
  assert.match(warm.stderr, /Nothing changed: early is up to date/);
  await rm(path.join(dir, 'early/sitemap.xml'));
  const repaired = await run(dir, ['build', '--out', 'early']);
  assert.match(repaired.stderr, /\(0 rendered, \d+ from cache; 1 file written/);
});

test('a build that fails after workers were started early still exits at once', async () => {
  const dir = await biggerProject();
  await writeFile(path.join(dir, 'runbook-site.yaml'), `${await readFile(path.join(dir, 'runbook-site.yaml'), 'utf8')}\nintro: no-such-intro.md\n`);
  const started = Date.now();
  const result = await run(dir, ['build']);
  assert.equal(result.code, 2, result.stderr);
  assert.ok(Date.now() - started < 60_000);
});
