// Runbook loading and front matter, through the real CLI on small sites written per test.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli.js';

interface Diagnostic { file: string; line: number; column: number; severity: string; ruleId: string; message: string }

async function site(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-runbooks-'));
  await mkdir(path.join(dir, 'rules'));
  await writeFile(path.join(dir, 'rules/app.yml'), 'groups:\n  - name: App\n    rules:\n      - alert: AppDown\n        expr: up == 0\n');
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return dir;
}

async function check(dir: string): Promise<{ code: number; diagnostics: Diagnostic[] }> {
  const result = await runCli(['check', '--format', 'json'], dir);
  return { code: result.code, diagnostics: (JSON.parse(result.stdout) as { diagnostics: Diagnostic[] }).diagnostics };
}

test('invalid front matter YAML is an error at its line and column; the rest still checks', async () => {
  const dir = await site({ 'runbooks/AppDown.md': '---\ntitle: App down\ntags: [a, b\n---\n\n# App down\n' });
  const { code, diagnostics } = await check(dir);
  assert.equal(code, 1);
  const error = diagnostics.find((d) => d.ruleId === 'front-matter-yaml');
  assert.ok(error, JSON.stringify(diagnostics));
  assert.equal(error.file, 'runbooks/AppDown.md');
  assert.ok(error.line >= 3 && error.line <= 4, `line ${error.line}`);
  assert.match(error.message, /Invalid YAML in front matter/);
});

test('a front matter value of the wrong type points at its key', async () => {
  const dir = await site({ 'runbooks/AppDown.md': '---\ntitle: App down\nweight: heavy\n---\n\nText.\n' });
  const { code, diagnostics } = await check(dir);
  assert.equal(code, 1);
  const error = diagnostics.find((d) => d.ruleId === 'front-matter-schema');
  assert.deepEqual([error?.line, error?.column], [3, 1]);
  assert.match(error!.message, /`weight`/);
});

test('one bad front matter key does not leave the others unconverted (a lone tag, a lone alias)', async () => {
  const dir = await site({ 'runbooks/app/AppDown.md': '---\ntitle: App down\nweight: heavy\ntags: paging\naliases: [/old/app-down/]\n---\n\nText.\n' });
  const build = await runCli(['build', '--no-check'], dir);
  // Written despite the error, which still fails the run.
  assert.equal(build.code, 1, build.stderr);
  assert.match(build.stderr, /Built despite 1 error/);
  assert.match(build.stdout, /front-matter-schema/);
  // The tag became a list of one (a tag page), not a string looped over letter by letter.
  assert.match(await readFile(path.join(dir, 'dist/tags/paging/index.html'), 'utf8'), /App down/);
  assert.match(await readFile(path.join(dir, 'dist/old/app-down/index.html'), 'utf8'), /runbooks\/app\/appdown\//);
});

test('a runbook file ending in .MD is the runbook of its alert, titled without the extension', async () => {
  const dir = await site({ 'runbooks/AppDown.MD': '---\ndescription: upper-case extension\n---\n\nRestart it.\n' });
  const result = await runCli(['build', '--format', 'json'], dir);
  assert.equal(result.code, 0, result.stdout);
  assert.deepEqual((JSON.parse(result.stdout) as { coverage: { withoutRunbook: string[] } }).coverage.withoutRunbook, []);
  assert.match(await readFile(path.join(dir, 'dist/runbooks/appdown/index.html'), 'utf8'), /<title>AppDown · /);
});

test('keys from other tools are kept and are never an error', async () => {
  const dir = await site({ 'runbooks/AppDown.md': '---\ntitle: App down\nbookCollapseSection: true\neditor: markdown\ndateCreated: 2020-04-10T18:32:27.079Z\n#published: true\n---\n\nText.\n' });
  const { code, diagnostics } = await check(dir);
  assert.equal(code, 0, JSON.stringify(diagnostics));
});

test('an empty runbook is a warning; --strict makes it fail', async () => {
  const dir = await site({ 'runbooks/AppDown.md': '' });
  const { code, diagnostics } = await check(dir);
  assert.equal(code, 0);
  assert.deepEqual(diagnostics.filter((d) => d.ruleId === 'empty-runbook').map((d) => d.severity), ['warning']);
  assert.equal((await runCli(['check', '--strict'], dir)).code, 1);
});

test('aliases become redirect pages; an alias on an existing page is an error', async () => {
  const dir = await site({
    'runbooks/app/AppDown.md': '---\ntitle: App down\naliases: [/runbooks/old/appdown/, app-is-down]\n---\n\nText.\n',
    'runbooks/app/Other.md': '---\ntitle: Other\n---\n\nText.\n',
  });
  const built = await runCli(['build', '--base-url', 'https://example.org/docs/'], dir);
  assert.equal(built.code, 0, built.stdout + built.stderr);
  const redirect = await readFile(path.join(dir, 'dist/runbooks/old/appdown/index.html'), 'utf8');
  assert.match(redirect, /<link rel="canonical" href="https:\/\/example\.org\/docs\/runbooks\/app\/appdown\/">/);
  assert.match(await readFile(path.join(dir, 'dist/runbooks/app/app-is-down/index.html'), 'utf8'), /url=https:\/\/example\.org\/docs\/runbooks\/app\/appdown\//);
  await writeFile(path.join(dir, 'runbooks/app/Other.md'), '---\ntitle: Other\naliases: [/runbooks/app/appdown/]\n---\n\nText.\n');
  const { code, diagnostics } = await check(dir);
  assert.equal(code, 1);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.column} ${d.ruleId}`), ['runbooks/app/Other.md:3:11 alias-conflict']);
});

test('a runbook too large to be one is refused with an error instead of hanging the build', async () => {
  const dir = await site({ 'runbooks/AppDown.md': '# Huge\n\n' + '- item [link](#x)\n'.repeat(20_000) });
  const started = Date.now();
  const { code, diagnostics } = await check(dir);
  assert.equal(code, 1);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.column} ${d.ruleId}`), ['1:1 runbook-too-large']);
  assert.ok(Date.now() - started < 60_000);
});

test('markdown nested too deeply to render is an error on its file, not a crash', async () => {
  const dir = await site({ 'runbooks/AppDown.md': `# Deep\n\n${'>'.repeat(20_000)} x\n` });
  const { code, diagnostics } = await check(dir);
  assert.equal(code, 1);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file} ${d.ruleId}`), ['runbooks/AppDown.md markdown-too-deep']);
});

test('links with malformed percent escapes are checked, not a crash', async () => {
  const dir = await site({ 'runbooks/AppDown.md': '# App down\n\n[a](100%25%.md) [b](#50%) [c](/runbooks/x%/)\n' });
  const { code, diagnostics } = await check(dir);
  assert.equal(code, 1);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.column} ${d.ruleId}`), ['3:1 broken-link', '3:17 broken-anchor', '3:27 broken-link']);
});

test('an alert named in front matter that no rule defines is a warning at the `alert:` key', async () => {
  const dir = await site({ 'runbooks/Guide.md': '---\ntitle: Guide\ntags: [x]\nalert: NoSuchAlert\n---\n\nText.\n' });
  const { diagnostics } = await check(dir);
  assert.deepEqual(diagnostics.filter((d) => d.ruleId === 'alert-not-found').map((d) => `${d.line}:${d.column} ${d.severity}`), ['4:1 warning']);
  // A name close to one the rules define gets it suggested.
  const typo = await site({ 'runbooks/Guide.md': '---\ntitle: Guide\nalert: AppDwn\n---\n\nText.\n' });
  const near = (await check(typo)).diagnostics.filter((d) => d.ruleId === 'alert-not-found');
  assert.deepEqual(near.map((d) => d.message), ['Unexpected alert `AppDwn` in front matter `alert:`: no rule file defines it; did you mean `AppDown`?']);
});

test('without a front-matter title, a runbook is titled by the # heading it opens with, as GitHub shows the file; else by its file name', async () => {
  const dir = await site({
    'runbooks/db/README.md': '# Databases\n\nThe database runbooks.\n',
    'runbooks/db/postgres-down.md': '\n# Postgres is *down* `pg_up`\n\nRestart it.\n',
    'runbooks/db/titled.md': '---\ntitle: From front matter\n---\n# Another heading\n',
    'runbooks/db/no-heading.md': 'Text first.\n\n# A heading later\n',
    'runbooks/db/shortcode.md': '# {{< param "team" >}} pager\n',
    'runbooks/db/second-level.md': '## Steps\n',
  });
  await writeFile(path.join(dir, 'runbook-site.yaml'), 'params:\n  team: DBA\n');
  const result = await runCli(['build', '--no-check'], dir);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const page = async (url: string) => readFile(path.join(dir, 'dist', url, 'index.html'), 'utf8');
  const down = await page('runbooks/db/postgres-down');
  assert.match(down, /<title>Postgres is down pg_up · /);
  // One h1 on the page: the body's own, lifted into the header.
  assert.equal(down.match(/<h1/g)?.length, 1);
  const section = await page('runbooks/db');
  assert.match(section, /<title>Databases · /);
  // Long names may break after `-` and `_` (<wbr>): read the text without them.
  const listed = [...section.replace(/<wbr>/g, '').matchAll(/<li><a href="([^"]+)\/">([^<]+)<\/a>/g)].map((match) => `${match[1]}=${match[2]}`);
  for (const entry of ['postgres-down=Postgres is down pg_up', 'titled=From front matter', 'no-heading=no-heading', 'shortcode=shortcode', 'second-level=second-level']) {
    assert.ok(listed.includes(entry), `${entry} in ${listed.join(', ')}`);
  }
});
