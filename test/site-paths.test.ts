// Site paths → output paths (src/link/site-paths.ts), through the real CLI: aliases, tags and file
// names that would leave the output folder, reach no page, or land on a generated file are
// positioned content errors, and nothing outside the output folder ever changes (a sentinel folder
// around the project is compared file by file before and after each build).
import test from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { projectRoot } from './helpers/project.js';

interface Diagnostic { file: string; line: number; column: number; severity: string; ruleId: string; message: string }

/** The sample site at `<sentinel>/a/b/`, so that `../../` from its `dist/` lands in the sentinel folder. */
async function nestedProject(): Promise<{ sentinel: string; dir: string }> {
  const sentinel = await mkdtemp(path.join(tmpdir(), 'runbook-site-sentinel-'));
  await writeFile(path.join(sentinel, 'victim.html'), 'precious');
  await mkdir(path.join(sentinel, 'a', 'keep'), { recursive: true });
  await writeFile(path.join(sentinel, 'a', 'keep', 'index.html'), 'also precious');
  const dir = path.join(sentinel, 'a', 'b');
  for (const name of ['rules', 'runbooks', 'runbook-site.yaml']) await cp(path.join(projectRoot, name), path.join(dir, name), { recursive: true });
  return { sentinel, dir };
}

/** Every file and folder under `root` with a hash of its bytes, except the build's own output and cache. */
async function snapshot(root: string, project: string): Promise<string[]> {
  const own = [path.join(project, 'dist'), path.join(project, '.cache')];
  const out: string[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const full = path.join((entry as unknown as { parentPath?: string }).parentPath ?? entry.path, entry.name);
    if (own.some((folder) => full === folder || full.startsWith(folder + path.sep))) continue;
    const relative = path.relative(root, full);
    out.push(entry.isFile() ? `${relative} ${createHash('sha1').update(await readFile(full)).digest('hex')}` : `${relative}/`);
  }
  return out.sort();
}

async function buildJson(dir: string, extra: string[] = []): Promise<{ code: number; diagnostics: Diagnostic[]; stderr: string }> {
  const result = await runCli(['build', '--format', 'json', ...extra], dir);
  return { code: result.code, diagnostics: (JSON.parse(result.stdout) as { diagnostics: Diagnostic[] }).diagnostics, stderr: result.stderr };
}

const errorsOf = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.column} ${d.ruleId}`);

test('aliases that climb out of the site are positioned errors and write nothing outside the output, even with --no-check', async () => {
  const { sentinel, dir } = await nestedProject();
  await writeFile(
    path.join(dir, 'runbooks/trick.md'),
    '---\ntitle: Trick\naliases:\n  - /../../victim.html\n  - /../../../../../up/and/away/\n  - /a/b/../../../x\n  - ../../../../keep/index.html\n---\n\nSteps.\n',
  );
  const before = await snapshot(sentinel, dir);
  const refused = await buildJson(dir);
  assert.equal(refused.code, 1, refused.stderr);
  assert.deepEqual(errorsOf(refused.diagnostics), ['runbooks/trick.md:4:5 unsafe-path', 'runbooks/trick.md:5:5 unsafe-path', 'runbooks/trick.md:6:5 unsafe-path', 'runbooks/trick.md:7:5 unsafe-path']);
  assert.match(refused.diagnostics.find((d) => d.line === 4)!.message, /Unexpected alias `\/\.\.\/\.\.\/victim\.html`: `\/\.\.\/\.\.\/victim\.html` climbs above the site root, expected .*`\/runbooks\/old-name\/`/);
  assert.deepEqual(await snapshot(sentinel, dir), before);

  // --no-check writes the site without the refused aliases, and still exits 1.
  const forced = await buildJson(dir, ['--no-check']);
  assert.equal(forced.code, 1, forced.stderr);
  assert.deepEqual(await snapshot(sentinel, dir), before);
  assert.equal(await readFile(path.join(sentinel, 'victim.html'), 'utf8'), 'precious');
  assert.match(await readFile(path.join(dir, 'dist/runbooks/trick/index.html'), 'utf8'), /<title>Trick · /);
});

test('legitimate aliases keep Hugo\'s forms, dot folders included; an alias is never silently renamed', async () => {
  const { sentinel, dir } = await nestedProject();
  await writeFile(
    path.join(dir, 'runbooks/trick.md'),
    '---\ntitle: Trick\naliases: [/old/page/, old.html, /legacy/name, /a/./b/../c/, /.well-known/trick, /sp%20ace/, /.nojekyll]\n---\n\nSteps.\n',
  );
  const before = await snapshot(sentinel, dir);
  const refused = await buildJson(dir);
  assert.equal(refused.code, 1, refused.stderr);
  const nojekyll = refused.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errorsOf(nojekyll), ['runbooks/trick.md:3:93 alias-conflict']);
  assert.match(nojekyll[0].message, /`\.nojekyll\/index\.html`, inside `\.nojekyll`, which is the file that turns off Jekyll/);

  assert.deepEqual(await snapshot(sentinel, dir), before);
  await writeFile(path.join(dir, 'runbooks/trick.md'), (await readFile(path.join(dir, 'runbooks/trick.md'), 'utf8')).replace(', /.nojekyll]', ']'));
  const fixed = await snapshot(sentinel, dir);
  const built = await buildJson(dir);
  assert.equal(built.code, 0, JSON.stringify(built.diagnostics));
  for (const file of ['old/page/index.html', 'runbooks/old.html', 'legacy/name/index.html', 'a/c/index.html', '.well-known/trick/index.html', 'sp ace/index.html']) {
    assert.match(await readFile(path.join(dir, 'dist', file), 'utf8'), /url=https:\/\/example\.github\.io\/runbooks\/runbooks\/trick\//, file);
  }
  assert.equal(await readFile(path.join(dir, 'dist/.nojekyll'), 'utf8'), '');
  assert.deepEqual(await snapshot(sentinel, dir), fixed);
});

test('an alias onto a generated file is a positioned alias-conflict, not an internal error', async () => {
  const { sentinel, dir } = await nestedProject();
  const aliases = ['/index.html', '/runbooks/writing-runbooks/index.html', '/search-index.json', '/sitemap.xml', '/404.html', '/assets/style.css', '/', '/tags/', '/runbooks/'];
  await writeFile(path.join(dir, 'runbooks/trick.md'), `---\ntitle: Trick\naliases:\n${aliases.map((alias) => `  - ${alias}\n`).join('')}---\n\nSteps.\n`);
  const before = await snapshot(sentinel, dir);
  for (const extra of [[], ['--no-check']]) {
    const result = await buildJson(dir, extra);
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(errorsOf(result.diagnostics), aliases.map((_, i) => `runbooks/trick.md:${4 + i}:5 alias-conflict`));
    assert.doesNotMatch(result.stderr, /Internal error|EISDIR|bug/);
  }
  const messages = (await buildJson(dir)).diagnostics.map((d) => d.message).join('\n');
  assert.match(messages, /`\/index\.html`: it would be written to `index\.html`, which is already the home page/);
  assert.match(messages, /`\/sitemap\.xml`: it would be written to `sitemap\.xml\/index\.html`, inside `sitemap\.xml`, which is the sitemap, not a folder/);
  assert.match(messages, /`\/assets\/style\.css`: .*inside `assets\/`, the theme's assets folder/);
  // With --no-check the site is written, and the generated files are the real ones.
  assert.match(await readFile(path.join(dir, 'dist/index.html'), 'utf8'), /<title>Example runbooks<\/title>/);
  assert.match(await readFile(path.join(dir, 'dist/sitemap.xml'), 'utf8'), /<urlset/);
  JSON.parse(await readFile(path.join(dir, 'dist/search-index.json'), 'utf8'));
  assert.deepEqual(await snapshot(sentinel, dir), before);
});

test('tags `..` and `.` are positioned errors; the home page and the tags index stay theirs', async () => {
  const { sentinel, dir } = await nestedProject();
  await writeFile(path.join(dir, 'runbooks/trick.md'), '---\ntitle: Trick\ntags: [networking, "..", ".", "%2e%2e"]\n---\n\nSteps.\n');
  const before = await snapshot(sentinel, dir);
  const refused = await buildJson(dir);
  assert.equal(refused.code, 1, refused.stderr);
  assert.deepEqual(errorsOf(refused.diagnostics), ['runbooks/trick.md:3:20 unsafe-path', 'runbooks/trick.md:3:26 unsafe-path', 'runbooks/trick.md:3:31 unsafe-path']);
  assert.match(refused.diagnostics.find((d) => d.column === 20)!.message, /Unexpected tag `\.\.`: `\/tags\/\.\.\/` has the segment `\.\.`, which is the parent folder, expected a tag that names a folder of its own/);

  const forced = await buildJson(dir, ['--no-check']);
  assert.equal(forced.code, 1);
  assert.match(await readFile(path.join(dir, 'dist/index.html'), 'utf8'), /<title>Example runbooks<\/title>/);
  const tagsIndex = await readFile(path.join(dir, 'dist/tags/index.html'), 'utf8');
  assert.match(tagsIndex, /<title>Tags · /);
  assert.match(tagsIndex, /href="networking\/"/);
  const page = await readFile(path.join(dir, 'dist/runbooks/trick/index.html'), 'utf8');
  assert.doesNotMatch(page, /href="[^"]*tags\/(\.|%2e)/);
  assert.deepEqual(await snapshot(sentinel, dir), before);
});

test('a file name whose URL no browser can reach (`%2e%2e.md`) is an error, not an unreachable page', async () => {
  const { sentinel, dir } = await nestedProject();
  await writeFile(path.join(dir, 'runbooks/%2e%2e.md'), '---\ntitle: Dots\n---\n\nSteps.\n');
  await mkdir(path.join(dir, 'runbooks/%2E'));
  await writeFile(path.join(dir, 'runbooks/%2E/Inner.md'), '---\ntitle: Inner\n---\n\nSteps.\n');
  const before = await snapshot(sentinel, dir);
  const refused = await buildJson(dir);
  assert.equal(refused.code, 1, refused.stderr);
  assert.deepEqual(errorsOf(refused.diagnostics), ['runbooks/%2E/Inner.md:1:1 unsafe-path', 'runbooks/%2e%2e.md:1:1 unsafe-path']);
  assert.match(refused.diagnostics.find((d) => d.file === 'runbooks/%2e%2e.md')!.message, /`\/runbooks\/%2e%2e\/` has the segment `%2e%2e` \(`\.\.` to a browser\).*rename the file/);
  const forced = await buildJson(dir, ['--no-check']);
  assert.equal(forced.code, 1);
  assert.match(await readFile(path.join(dir, 'dist/index.html'), 'utf8'), /<title>Example runbooks<\/title>/);
  assert.match(await readFile(path.join(dir, 'dist/runbooks/index.html'), 'utf8'), /<title>Runbooks · /);
  assert.deepEqual(await snapshot(sentinel, dir), before);
});

test('an alert whose page address no browser can reach gets no page, and an alias cannot take an alert\'s page', async () => {
  const { sentinel, dir } = await nestedProject();
  await writeFile(path.join(dir, 'rules/dots.yml'), 'groups:\n  - name: Dots\n    rules:\n      - alert: ".."\n        expr: up == 0\n');
  await writeFile(path.join(dir, 'runbooks/trick.md'), '---\ntitle: Trick\naliases: [/alerts/haproxydown/]\n---\n\nSteps.\n');
  const before = await snapshot(sentinel, dir);
  const result = await buildJson(dir, ['--no-check']);
  assert.equal(result.code, 1, result.stderr);
  assert.doesNotMatch(result.stderr, /Internal error/);
  assert.deepEqual(errorsOf(result.diagnostics), ['runbooks/trick.md:3:11 alias-conflict']);
  assert.ok(result.diagnostics.some((d) => d.file === 'rules/dots.yml' && d.ruleId === 'alert-page-unavailable'), JSON.stringify(result.diagnostics));
  assert.match(await readFile(path.join(dir, 'dist/index.html'), 'utf8'), /<title>Example runbooks<\/title>/);
  assert.deepEqual(await snapshot(sentinel, dir), before);
});

test('`#` kept by Hugo\'s slugs is a literal character of a page, tag or alert page, not the end of its path', async () => {
  const { dir } = await nestedProject();
  await mkdir(path.join(dir, 'runbooks', 'lang'));
  await writeFile(path.join(dir, 'runbooks', 'lang', 'C#.md'), '---\ntitle: C sharp\ntags: ["C#"]\n---\n\nSteps.\n');
  await writeFile(path.join(dir, 'rules', 'hash.yml'), 'groups:\n  - name: x\n    rules:\n      - alert: Disk#Full\n        expr: up == 0\n');
  const { code, diagnostics } = await buildJson(dir);
  assert.equal(code, 0, JSON.stringify(errorsOf(diagnostics)));
  assert.deepEqual(diagnostics.filter((d) => d.ruleId === 'unsafe-path' || d.ruleId === 'alert-page-unavailable'), []);
  for (const file of ['runbooks/lang/c#/index.html', 'tags/c#/index.html', 'alerts/disk#full/index.html']) await readFile(path.join(dir, 'dist', file));
  // Links name them percent-encoded, which a web server decodes back to these files.
  assert.match(await readFile(path.join(dir, 'dist/runbooks/lang/index.html'), 'utf8'), /href="c%23\/"/);
});

test('a section page moved by `url:` claims its new address: onto a generated page or another page it is an error, not a lost page', async () => {
  const { dir } = await nestedProject();
  await mkdir(path.join(dir, 'runbooks', 'x'));
  await writeFile(path.join(dir, 'runbooks', 'x', '_index.md'), '---\ntitle: X\nurl: /alerts/\n---\n\nX section.\n');
  await writeFile(path.join(dir, 'runbooks', 'x', 'Restart.md'), '# Restart\n');
  const { code, diagnostics } = await buildJson(dir);
  assert.equal(code, 1);
  assert.deepEqual(errorsOf(diagnostics), ['runbooks/x/_index.md:1:1 duplicate-url']);
  assert.match(diagnostics.find((d) => d.ruleId === 'duplicate-url')!.message, /`\/alerts\/`[\s\S]*the alerts page/);
});

test('a file next to the runbooks whose address a page has is an error at its link, not an internal error; links to generated files resolve', async () => {
  const { dir } = await nestedProject();
  await mkdir(path.join(dir, 'runbooks', 'x'));
  // `restart` (a script) would be written where the page of Restart.md needs a folder.
  await writeFile(path.join(dir, 'runbooks', 'x', 'restart'), '#!/bin/sh\necho restart\n');
  await writeFile(path.join(dir, 'runbooks', 'x', 'Restart.md'), '# Restart\n\nRun [the script](restart). The [catalogue](/alerts.json) lists every alert.\n');
  const { code, diagnostics, stderr } = await buildJson(dir);
  assert.equal(code, 1, stderr);
  assert.doesNotMatch(stderr, /Internal error/);
  assert.deepEqual(errorsOf(diagnostics), ['runbooks/x/Restart.md:3:5 path-conflict']);
});
