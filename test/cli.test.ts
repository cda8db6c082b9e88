import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile, stat, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { projectRoot, sampleProject } from './helpers/project.js';


test('--version prints the package version, through the real bin script', async () => {
  const pkg = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(projectRoot, 'bin/runbook-site.js'), '--version']);
  assert.equal(stdout.trim(), pkg.version);
});

test('unknown flags, commands and arguments are usage errors (exit 2) with a hint', async () => {
  const flag = await runCli(['build', '--colour']);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /Unknown option `--colour`/);
  assert.match(flag.stderr, /hint:/);
  assert.doesNotMatch(flag.stderr, /at .*\.js:\d+/, 'no stack trace');
  const command = await runCli(['publish']);
  assert.equal(command.code, 2);
  assert.match(command.stderr, /Unknown command `publish`/);
  const url = await runCli(['check', '--base-url', 'not a url']);
  assert.equal(url.code, 2);
  assert.match(url.stderr, /Invalid value for `--base-url`/);
  const empty = await runCli(['check', '--cache-dir', '']);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /`--cache-dir`: expected a path/);
  const format = await runCli(['check', '--format', 'xml']);
  assert.equal(format.code, 2);
  assert.match(format.stderr, /`xml` is not a format/);
});

test('a config file with an unknown key is a config error naming the key and its line', async () => {
  const dir = await sampleProject('runbook-site-cli-');
  await writeFile(path.join(dir, 'runbook-site.yaml'), 'title: x\nbaseUrl: https://example.org/\n');
  const result = await runCli(['check'], dir);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /runbook-site\.yaml/);
  assert.match(result.stderr, /`baseUrl`/);
  assert.match(result.stderr, /2:1/);
});

test('the sample site builds cleanly; the alert without a runbook is listed as missing', async () => {
  const dir = await sampleProject('runbook-site-cli-');
  const result = await runCli(['build'], dir);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const alerts = await readFile(path.join(dir, 'dist/alerts/index.html'), 'utf8');
  // The row of the alert without a runbook is marked missing (its name wraps only between words: <wbr>).
  assert.match(alerts, /<tr data-sev="[^"]*" data-missing><th scope="row">(<a href="[^"]*">)?Kube<wbr>Job<wbr>Failed(<\/a>)?<\/th>/);
  // An alias is relative to the site root, as in Hugo, even when the base URL has a path (/runbooks/).
  assert.match(await readFile(path.join(dir, 'dist/runbooks/node/hostoutofmemory/index.html'), 'utf8'), /url=https:\/\/example\.github\.io\/runbooks\/runbooks\/node-exporter\/hostoutofmemory\//);
  const files = await readdir(path.join(dir, 'dist'));
  for (const expected of ['index.html', '404.html', 'sitemap.xml', '.nojekyll', 'runbooks', 'alerts']) assert.ok(files.includes(expected), expected);
  const json = await runCli(['check', '--format', 'json'], dir);
  const report = JSON.parse(json.stdout) as { coverage: { withoutRunbook: string[] } };
  assert.deepEqual(report.coverage.withoutRunbook, ['KubeJobFailed']);
});

/** The sample project built once, with the HaproxyDown page's text and mtime. */
async function builtSample(): Promise<{ dir: string; page: string; before: { text: string; mtime: number } }> {
  const dir = await sampleProject('runbook-site-cli-');
  assert.equal((await runCli(['build'], dir)).code, 0);
  const page = path.join(dir, 'dist/runbooks/haproxy/haproxydown/index.html');
  return { dir, page, before: { text: await readFile(page, 'utf8'), mtime: (await stat(page)).mtimeMs } };
}

test('a build with content errors exits 1 and leaves the previous output exactly as it was', async () => {
  const { dir, page, before } = await builtSample();
  const runbook = path.join(dir, 'runbooks/haproxy/HaproxyDown.md');
  await writeFile(runbook, (await readFile(runbook, 'utf8')).replace('"haproxy/haproxy.yml"', '"haproxy/nope.yml"'));
  const failed = await runCli(['build'], dir);
  assert.equal(failed.code, 1);
  assert.match(failed.stdout, /runbooks\/haproxy\/HaproxyDown\.md:\d+:\d+\s+error\s+Unexpected rule file `haproxy\/nope\.yml`/);
  assert.match(failed.stdout, /\[rule-file-not-found\]/);
  assert.equal(await readFile(page, 'utf8'), before.text);
  assert.equal((await stat(page)).mtimeMs, before.mtime);
  // --no-check writes anyway, and still exits 1.
  assert.equal((await runCli(['build', '--no-check'], dir)).code, 1);
  assert.notEqual(await readFile(page, 'utf8'), before.text);
});

test('--format github prints workflow commands with file, line and column', async () => {
  const dir = await sampleProject('runbook-site-cli-');
  await writeFile(path.join(dir, 'runbooks/haproxy/Broken.md'), '# Broken\n\n{{% gauge "x" %}}\n');
  const result = await runCli(['check', '--format', 'github'], dir);
  assert.equal(result.code, 1);
  assert.match(result.stdout, /^::error file=runbooks\/haproxy\/Broken\.md,line=3,col=1,.*title=runbook-site unknown-shortcode::Unexpected shortcode `gauge`/m);
});

test('a missing runbooks folder is a usage error, not a crash', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-empty-'));
  const result = await runCli(['build', '--rules', '.', '--runbooks', 'nope'], dir);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /The runbooks folder `nope` does not exist/);
});

test('an error found only while rendering still leaves the previous output as it was, and no staging folder', async () => {
  const { dir, page, before } = await builtSample();
  // A closing shortcode without its opening one is only found when the body is rendered.
  const runbook = path.join(dir, 'runbooks/haproxy/HaproxyDown.md');
  await writeFile(runbook, (await readFile(runbook, 'utf8')) + '\n{{< /comment >}}\n');
  for (const workers of ['0', '2']) {
    process.env.RUNBOOK_SITE_WORKERS = workers;
    try {
      const failed = await runCli(['build', '--no-cache'], dir);
      assert.equal(failed.code, 1, `workers=${workers}: ${failed.stdout}`);
      assert.match(failed.stdout, /HaproxyDown\.md:\d+:\d+\s+error\s+.*\[shortcode-stray-close\]/);
    } finally {
      delete process.env.RUNBOOK_SITE_WORKERS;
    }
    assert.equal(await readFile(page, 'utf8'), before.text);
    assert.equal((await stat(page)).mtimeMs, before.mtime);
    assert.deepEqual((await readdir(dir)).filter((name) => name.includes('staging')), [], 'no staging folder is left');
  }
});

test('template errors are named errors (exit 2) that say which template, also from a worker thread', async () => {
  const dir = await sampleProject('runbook-site-cli-');
  await mkdir(path.join(dir, 'theme/partials'), { recursive: true });
  await writeFile(path.join(dir, 'theme/partials/footer.hbs'), '{{#if site}}unclosed\n');
  const syntax = await runCli(['build', '--templates', 'theme'], dir);
  assert.equal(syntax.code, 2);
  assert.match(syntax.stderr, /Template `[^`]*theme\/partials\/footer\.hbs` is not valid Handlebars: Parse error on line 2/);
  assert.doesNotMatch(syntax.stderr, /Internal error/);

  await writeFile(path.join(dir, 'theme/partials/footer.hbs'), '{{> no-such-partial}}\n');
  for (const workers of ['0', '1']) {
    process.env.RUNBOOK_SITE_WORKERS = workers;
    try {
      const runtime = await runCli(['build', '--templates', 'theme', '--no-cache'], dir);
      assert.equal(runtime.code, 2, `workers=${workers}`);
      assert.match(runtime.stderr, /Template `\w+\.hbs` failed while rendering `\/[^`]*`: The partial no-such-partial could not be found/);
    } finally {
      delete process.env.RUNBOOK_SITE_WORKERS;
    }
  }
  assert.ok(!existsSync(path.join(dir, 'dist')), 'nothing was written');
  assert.deepEqual((await readdir(dir)).filter((name) => name.includes('staging')), [], 'no staging folder is left');
});

test('a mistyped command or option is rejected with the closest name suggested', async () => {
  const command = await runCli(['buidl']);
  assert.equal(command.code, 2);
  assert.match(command.stderr, /Unknown command `buidl`; did you mean `build`\?/);
  const flag = await runCli(['check', '--strcit']);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /Unknown option `--strcit` for `check`; did you mean `--strict`\?/);
  const far = await runCli(['check', '--zzzzzzzz']);
  assert.doesNotMatch(far.stderr, /did you mean/);
  const help = await runCli(['build', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--no-check/);
});

test('annotate and new in a repository without rule files say where they looked and how to point at the rules', async () => {
  const { projectOf } = await import('./helpers/project.js');
  const dir = await projectOf({ 'alerts/KubeJobFailed.md': '# KubeJobFailed\n' }, 'runbook-site-no-rules-');
  for (const argv of [['annotate', '--base-url', 'https://example.org/'], ['new', '--missing']]) {
    const result = await runCli(argv, dir);
    assert.equal(result.code, 2, argv.join(' '));
    assert.match(result.stderr, new RegExp(`\`runbook-site ${argv[0]}\` needs the alerting rules, and none were found \\(looked in \`rules/\`, \`prometheus/rules/\``));
    assert.match(result.stderr, /hint: Point `--rules`/);
  }
});
