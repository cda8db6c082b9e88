// `runbook-site init` through the real CLI, in empty and existing temporary repositories.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { runCli } from './helpers/cli.js';
import { projectRoot } from './helpers/project.js';
import { githubPages } from '../src/init/detect.js';

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-C', dir, ...args], { stdio: 'ignore' });
}

interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency: { group: string };
  jobs: Record<string, { if?: string; needs?: string; permissions?: Record<string, string>; environment?: { name: string }; steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] }>;
}

function assertWorkflow(text: string, branch: string): Workflow {
  const workflow = parse(text) as Workflow;
  assert.deepEqual(Object.keys(workflow.jobs), ['check', 'build', 'deploy']);
  assert.ok('pull_request' in workflow.on);
  assert.deepEqual((workflow.on.push as { branches: string[] }).branches, [branch]);
  assert.equal(workflow.permissions.contents, 'read');
  assert.ok(workflow.concurrency.group);
  const { check, build, deploy } = workflow.jobs;
  assert.equal(check.if, "github.event_name == 'pull_request'");
  assert.ok(check.steps.some((step) => /runbook-site(@[\d.]+)? check --format github$/.test(step.run ?? '')), 'check on pull requests, annotations on the diff');
  const uses = build.steps.map((step) => step.uses).filter(Boolean);
  assert.ok(uses.includes('actions/cache@v4'));
  assert.ok(uses.includes('actions/upload-pages-artifact@v3'));
  const cache = build.steps.find((step) => step.uses === 'actions/cache@v4')!;
  assert.equal(cache.with!.path, '.cache/runbook-site');
  assert.ok(build.steps.some((step) => /runbook-site(@[\d.]+)? build/.test(step.run ?? '')));
  assert.equal(build.steps.find((step) => step.uses === 'actions/upload-pages-artifact@v3')!.with!.path, 'dist');
  assert.equal(deploy.needs, 'build');
  assert.equal(deploy.if, `github.ref == 'refs/heads/${branch}'`);
  assert.deepEqual(deploy.permissions, { pages: 'write', 'id-token': 'write' });
  assert.equal(deploy.environment!.name, 'github-pages');
  assert.equal(deploy.steps[0].uses, 'actions/deploy-pages@v4');
  return workflow;
}

test('the GitHub Pages URL is read from every form of GitHub remote', () => {
  const expected = { repositoryURL: 'https://github.com/Acme/runbooks', baseURL: 'https://acme.github.io/runbooks/' };
  for (const remote of ['git@github.com:Acme/runbooks.git', 'https://github.com/Acme/runbooks.git', 'https://github.com/Acme/runbooks', 'ssh://git@github.com/Acme/runbooks.git', 'https://token@github.com/Acme/runbooks/']) {
    assert.deepEqual(githubPages(remote), expected, remote);
  }
  assert.deepEqual(githubPages('git@github.com:acme/acme.github.io.git'), { repositoryURL: 'https://github.com/acme/acme.github.io', baseURL: 'https://acme.github.io/' });
  assert.equal(githubPages('git@gitlab.com:acme/runbooks.git'), undefined);
});

test('init in an empty repository writes the config, the workflow and .gitignore, and says what next', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-init-empty-'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'remote', 'add', 'origin', 'git@github.com:Acme/runbooks.git');
  const result = await runCli(['init'], dir);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Wrote runbook-site\.yaml/);
  assert.match(result.stdout, /Wrote \.github\/workflows\/runbooks\.yml/);
  assert.match(result.stdout, /Wrote \.gitignore \(dist\/, \.cache\/\)/);
  assert.match(result.stdout, /Next:[\s\S]*runbook-site new --missing[\s\S]*"GitHub Actions"/);

  const config = parse(await readFile(path.join(dir, 'runbook-site.yaml'), 'utf8')) as Record<string, unknown>;
  assert.equal(config.baseURL, 'https://acme.github.io/runbooks/');
  assert.equal(config.rules, 'rules');
  assert.equal(config.runbooks, 'runbooks');
  assert.deepEqual(config.repository, { url: 'https://github.com/Acme/runbooks', branch: 'main' });
  assertWorkflow(await readFile(path.join(dir, '.github/workflows/runbooks.yml'), 'utf8'), 'main');
  assert.equal(await readFile(path.join(dir, '.gitignore'), 'utf8'), '# runbook-site: built site and render cache\ndist/\n.cache/\n');

  // The config it wrote is one runbook-site reads: `check` gets past the config to the folders.
  await mkdir(path.join(dir, 'rules'));
  await mkdir(path.join(dir, 'runbooks'));
  const check = await runCli(['check', '--no-cache'], dir);
  assert.equal(check.code, 0, check.stdout + check.stderr);

  // Run again: nothing overwritten, and it says so.
  await writeFile(path.join(dir, 'runbook-site.yaml'), 'title: Mine\n');
  const again = await runCli(['init'], dir);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /Skipped runbook-site\.yaml: it exists \(pass --force to overwrite it\)/);
  assert.match(again.stdout, /Skipped \.github\/workflows\/runbooks\.yml/);
  assert.doesNotMatch(again.stdout, /Wrote/);
  assert.equal(await readFile(path.join(dir, 'runbook-site.yaml'), 'utf8'), 'title: Mine\n');
  assert.equal((await readFile(path.join(dir, '.gitignore'), 'utf8')).match(/dist\//g)?.length, 1, 'no duplicate .gitignore lines');

  const forced = await runCli(['init', '--force'], dir);
  assert.equal(forced.code, 0);
  assert.match(forced.stdout, /Wrote runbook-site\.yaml/);
  assert.match(await readFile(path.join(dir, 'runbook-site.yaml'), 'utf8'), /baseURL: https:\/\/acme\.github\.io\/runbooks\//);
});

test('init in an existing repository finds its folders, keeps its .gitignore and uses its lockfile', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-init-existing-'));
  await cp(path.join(projectRoot, 'rules'), path.join(dir, 'prometheus', 'alerts'), { recursive: true });
  await cp(path.join(projectRoot, 'runbooks'), path.join(dir, 'docs', 'runbooks'), { recursive: true });
  await writeFile(path.join(dir, '.gitignore'), 'node_modules\r\n/dist\r\n*.log');
  await writeFile(path.join(dir, 'package.json'), '{"name": "ops", "devDependencies": {"runbook-site": "^0.1.0"}}\n');
  await writeFile(path.join(dir, 'package-lock.json'), '{}\n');
  git(dir, 'init', '-q', '-b', 'trunk');
  git(dir, 'remote', 'add', 'origin', 'https://github.com/acme/ops.git');

  const result = await runCli(['init'], dir);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Rules: prometheus\/alerts\/ \(found\)/);
  assert.match(result.stdout, /Runbooks: docs\/runbooks\/ \(found\)/);
  assert.doesNotMatch(result.stdout, /npm install --save-dev/, 'already a dependency');
  const config = parse(await readFile(path.join(dir, 'runbook-site.yaml'), 'utf8')) as Record<string, unknown>;
  assert.equal(config.rules, 'prometheus/alerts');
  assert.equal(config.runbooks, 'docs/runbooks');
  assert.equal(config.baseURL, 'https://acme.github.io/ops/');
  const workflow = assertWorkflow(await readFile(path.join(dir, '.github/workflows/runbooks.yml'), 'utf8'), 'trunk');
  assert.ok(workflow.jobs.build.steps.some((step) => step.run === 'npm ci'));
  assert.ok(workflow.jobs.build.steps.some((step) => step.run === 'npx runbook-site build --format github'));
  assert.equal(await readFile(path.join(dir, '.gitignore'), 'utf8'), 'node_modules\r\n/dist\r\n*.log\r\n# runbook-site: built site and render cache\r\n.cache/\r\n', 'only the missing entry, in the file\'s line endings');

  // The written config drives a real check of the detected folders.
  const check = await runCli(['check', '--no-cache'], dir);
  assert.ok(check.code === 0 || check.code === 1, check.stdout + check.stderr);
  assert.match(check.stdout, /alerts/);
});

test('init detects a Hugo project and rule files outside the usual folders; flags override detection', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-init-hugo-'));
  await writeFile(path.join(dir, 'hugo.toml'), 'title = "Runbooks"\n');
  await cp(path.join(projectRoot, 'runbooks'), path.join(dir, 'content', 'runbooks'), { recursive: true });
  await cp(path.join(projectRoot, 'rules', 'node'), path.join(dir, 'observability', 'node'), { recursive: true });
  const result = await runCli(['init', '--base-url', 'https://runbooks.example.com'], dir);
  assert.equal(result.code, 0, result.stderr);
  const text = await readFile(path.join(dir, 'runbook-site.yaml'), 'utf8');
  const config = parse(text) as Record<string, unknown>;
  assert.equal(config.rules, 'observability');
  assert.equal(config.runbooks, 'content/runbooks');
  assert.equal(config.baseURL, 'https://runbooks.example.com/');
  assert.match(result.stdout, /Hugo project: content\//);
  assert.equal(config.repository, undefined, 'no remote, no repository');

  const other = await mkdtemp(path.join(tmpdir(), 'runbook-site-init-flags-'));
  const flags = await runCli(['init', '--rules', 'ops/rules', '--runbooks', './ops/runbooks/'], other);
  assert.equal(flags.code, 0);
  const flagged = parse(await readFile(path.join(other, 'runbook-site.yaml'), 'utf8')) as Record<string, unknown>;
  assert.equal(flagged.rules, 'ops/rules');
  assert.equal(flagged.runbooks, 'ops/runbooks');
  assert.equal(flagged.baseURL, undefined, 'no remote: no guess');
  assert.match(await readFile(path.join(other, '.github/workflows/runbooks.yml'), 'utf8'), /--base-url "https:\/\/\$\{\{ github\.repository_owner \}\}\.github\.io/);
  const bad = await runCli(['init', '--rules', '../elsewhere'], other);
  assert.equal(bad.code, 2);
  assert.ok(!existsSync(path.join(other, '..', 'elsewhere')));
});

test('init in a Hugo project leaves what hugo.toml says to it: its baseURL, title and content folder are not overridden', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-init-hugo-config-'));
  await writeFile(path.join(dir, 'hugo.toml'), 'baseURL = "https://docs.example.com/"\ntitle = "Ops"\n');
  await mkdir(path.join(dir, 'content'));
  await writeFile(path.join(dir, 'content', '_index.md'), '# Ops\n');
  await cp(path.join(projectRoot, 'rules'), path.join(dir, 'rules'), { recursive: true });
  git(dir, 'init', '-q');
  git(dir, 'remote', 'add', 'origin', 'git@github.com:org/repo.git');
  const result = await runCli(['init'], dir);
  assert.equal(result.code, 0, result.stderr);
  const config = parse(await readFile(path.join(dir, 'runbook-site.yaml'), 'utf8')) as Record<string, unknown>;
  for (const key of ['baseURL', 'title', 'runbooks', 'content']) assert.equal(config[key], undefined, key);
  const built = await runCli(['build'], dir);
  assert.equal(built.code, 0, built.stdout + built.stderr);
  assert.match(await readFile(path.join(dir, 'dist', 'sitemap.xml'), 'utf8'), /<loc>https:\/\/docs\.example\.com\/<\/loc>/);
  assert.match(await readFile(path.join(dir, 'dist', 'index.html'), 'utf8'), /<title>[^<]*Ops/);
});
