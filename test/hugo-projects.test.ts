// Repositories as teams have them: a Hugo site (hugo.toml, content/ with several sections, static/,
// page bundles, images) and a GitHub-style folder of runbooks (README.md per folder, screenshots in
// helpers/ and images/), each built end to end with the real CLI; plus the srerun corpus laid out
// as a Hugo project and built with no flags, compared with Hugo's own build.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, mkdir, symlink, writeFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { listFiles } from '../src/load/files.js';
import { SRERUN, SRERUN_BASE_URL, srerunAvailable } from './helpers/corpus.js';
import { projectOf } from './helpers/project.js';
import { GITHUB_FIXTURE, GITHUB_FIXTURE_ARGS, HUGO_FIXTURE, buildFixture, hugoAvailable, hugoOutputFiles, localReferences, type BuiltFixture } from './helpers/fixture-sites.js';

function requireHugo(t: { skip: (message: string) => void }): boolean {
  if (hugoAvailable()) return true;
  if (process.env.REQUIRE_HUGO) assert.fail('hugo is required (apt-get install hugo)');
  t.skip('SKIPPED: hugo not found (apt-get install hugo): cannot compare with Hugo');
  return false;
}

/** Every image and link of every page of a build resolves to a file in its output. */
async function assertNothingMissing(built: BuiltFixture, basePath: string): Promise<number> {
  const missing: string[] = [];
  let images = 0;
  for (const page of await listFiles(built.out, (name) => name.endsWith('.html'))) {
    if (page === '404.html') continue;
    const html = readFileSync(path.join(built.out, page), 'utf8');
    for (const reference of localReferences(html, page, basePath)) {
      if (reference.attribute === 'src') images++;
      if (!existsSync(path.join(built.out, reference.file))) missing.push(`${page}: ${reference.attribute}="${reference.value}" → ${reference.file}`);
    }
  }
  assert.deepEqual(missing, []);
  return images;
}

let hugoSite: Promise<BuiltFixture> | undefined;
const builtHugoSite = () => (hugoSite ??= buildFixture(HUGO_FIXTURE));
let githubSite: Promise<BuiltFixture> | undefined;
const builtGithubSite = () => (githubSite ??= buildFixture(GITHUB_FIXTURE, GITHUB_FIXTURE_ARGS));

test('Hugo site: builds with no flags from hugo.toml, content/ and static/, and says so', async () => {
  const { result } = await builtHugoSite();
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /^0 errors, 0 warnings/m);
  assert.match(result.stderr, /Built \d+ pages from content\/, rules\/ and static\/ \(config: hugo\.toml\) into dist/);
});

test('Hugo site: every section is built at its Hugo URL; slug, url, bundles, publishDate/expiryDate', async () => {
  const { out } = await builtHugoSite();
  for (const page of ['index.html', 'about/index.html', 'docs/index.html', 'docs/escalate/index.html', 'oncall/index.html', 'runbooks/index.html', 'runbooks/app/index.html', 'runbooks/app/appdown/index.html', 'runbooks/app/diskfull/index.html', 'runbooks/queue/queuebacklog/index.html']) {
    assert.ok(existsSync(path.join(out, page)), page);
  }
  assert.ok(!existsSync(path.join(out, 'docs/oncall')), 'url: /oncall/ moves the page');
  assert.ok(!existsSync(path.join(out, 'runbooks/app/future')), 'a future publishDate is not built');
  assert.ok(!existsSync(path.join(out, 'runbooks/app/expired')), 'a past expiryDate is not built');
  const home = readFileSync(path.join(out, 'index.html'), 'utf8');
  assert.match(home, /<html lang="en-gb">/);
  assert.match(home, /Welcome\. Start with the/, 'content/_index.md is the home page');
  assert.match(home, />About</, 'linkTitle names the page in navigation');
  assert.match(readFileSync(path.join(out, 'docs/index.html'), 'utf8'), /When to page the secondary\./, 'summary describes a page in listings');
  const appDown = readFileSync(path.join(out, 'runbooks/app/appdown/index.html'), 'utf8');
  assert.match(appDown, /href="https:\/\/github\.com\/example\/ops-runbooks\/edit\/main\/content\/runbooks\/app\/AppDown\.md"/, 'BookRepo/BookEditPath make the edit link');
});

test('Hugo site: images, bundle resources and static files are published; links get the base path; OWNERS is not', async (t) => {
  const built = await builtHugoSite();
  const { out } = built;
  assert.ok(existsSync(path.join(out, 'runbooks/app/images/appdown.png')));
  assert.ok(existsSync(path.join(out, 'runbooks/app/diskfull/disk.svg')));
  assert.ok(existsSync(path.join(out, 'images/logo.svg')) && existsSync(path.join(out, 'robots.txt')), 'static/ is copied to the root');
  assert.ok(!existsSync(path.join(out, 'runbooks/app/diskfull/OWNERS')));
  const images = await assertNothingMissing(built, '/ops/');
  assert.ok(images >= 3, `${images} images`);
  const oncall = readFileSync(path.join(out, 'oncall/index.html'), 'utf8');
  assert.match(oncall, /href="\/ops\/alerts\/"/, 'a root-relative link gets the base path');
  assert.match(oncall, /href="\/ops\/runbooks\/app\/"/, 'one written with the base path keeps it');
  assert.match(oncall, /href="\/ops\/runbooks\/app\/appdown\/#check-the-pods"/);
  assert.match(readFileSync(path.join(out, 'runbooks/app/diskfull/index.html'), 'utf8'), /<img src="\/ops\/runbooks\/app\/diskfull\/disk\.svg" alt="Disk usage" width="200">/);
  if (!requireHugo(t)) return;
  const hugoFiles = await hugoOutputFiles(HUGO_FIXTURE);
  const notBuilt = hugoFiles.filter((file) => path.basename(file) !== 'OWNERS' && !existsSync(path.join(out, file)));
  assert.deepEqual(notBuilt, [], 'every page and file Hugo publishes is at the same place');
});

test('GitHub-style folder: README.md is each folder page, screenshots and diagrams are published, nothing else', async () => {
  const built = await builtGithubSite();
  const { out, result } = built;
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /^0 errors, 0 warnings/m);
  assert.match(result.stderr, /from alerts\/ and prometheus\/rules\/ \(no config file\)/, 'the rules were found in a common place');
  for (const page of ['runbooks/index.html', 'runbooks/kafka/index.html', 'runbooks/kafka/kafkaconsumerlag/index.html', 'runbooks/zookeeper/index.html', 'runbooks/zookeeper/zookeeperdown/index.html']) {
    assert.ok(existsSync(path.join(out, page)), page);
  }
  assert.ok(!existsSync(path.join(out, 'runbooks/kafka/readme')), 'README.md is the folder page, not a page of its own');
  assert.ok(existsSync(path.join(out, 'runbooks/kafka/helpers/consumer lag.png')));
  assert.ok(existsSync(path.join(out, 'runbooks/kafka/helpers/topology.svg')));
  for (const notContent of ['runbooks/kafka/helpers/topology.dot', 'runbooks/kafka/helpers/render.sh', 'runbooks/kafka/OWNERS']) {
    assert.ok(!existsSync(path.join(out, notContent)), notContent);
  }
  const images = await assertNothingMissing(built, '/runbooks/');
  assert.ok(images >= 4, `${images} images`);
  const lag = readFileSync(path.join(out, 'runbooks/kafka/kafkaconsumerlag/index.html'), 'utf8');
  assert.match(lag, /<img src="\/runbooks\/runbooks\/kafka\/helpers\/consumer%20lag\.png"/);
  assert.match(lag, /<p align="center"><img src="\/runbooks\/runbooks\/kafka\/helpers\/topology\.svg" width="400" alt="Topology"><\/p>/, 'raw HTML is rewritten in place');
  assert.match(lag, /href="\/runbooks\/runbooks\/zookeeper\/zookeeperdown\/#mitigation"/);
  assert.match(lag, /href="\/runbooks\/runbooks\/zookeeper\/">ZooKeeper runbooks/, 'a folder link is read as GitHub reads it, from the file');
});

test('a missing image or file is an error at its place, with the closest file suggested', async () => {
  const { project } = await builtGithubSite();
  const file = path.join(project, 'alerts/zookeeper/ZookeeperDown.md');
  await writeFile(file, (await readFile(file, 'utf8')) + '\n![](images/zk.jpg) and [notes](images/notes.txt) and <img src="/nowhere.png">\n');
  const result = await runCli(['check', ...GITHUB_FIXTURE_ARGS, '--no-cache'], project);
  assert.equal(result.code, 1);
  assert.match(result.stdout, /alerts\/zookeeper\/ZookeeperDown\.md:9:1 +error +Unexpected image `images\/zk\.jpg`: there is no file `zookeeper\/images\/zk\.jpg` next to this runbook; did you mean `images\/zk\.png`\?  \[missing-image\]/);
  assert.match(result.stdout, /ZookeeperDown\.md:9:\d+ +error +Unexpected link `images\/notes\.txt`: there is no file .*\[missing-file\]/);
  assert.match(result.stdout, /ZookeeperDown\.md:9:\d+ +error +Unexpected image `\/nowhere\.png`.*\[missing-image\]/);
});

test('root-relative links are checked against the site, with or without the base path', async () => {
  const { project } = await builtHugoSite();
  const file = path.join(project, 'content/about.md');
  await writeFile(file, (await readFile(file, 'utf8')) + '\n[gone](/runbooks/gone/) [kept](/ops/docs/) [also](/docs/)\n');
  const result = await runCli(['check', '--no-cache', '--format', 'json'], project);
  const report = JSON.parse(result.stdout) as { diagnostics: { file: string; ruleId: string; message: string }[] };
  const broken = report.diagnostics.filter((d) => d.ruleId === 'broken-link');
  assert.deepEqual(broken.map((d) => d.message), ['Unexpected link `/runbooks/gone/` to `/runbooks/gone/`: the site has no such page']);
});

test('runbook-site.yaml wins over hugo.toml where it sets a key; docsy params make the repository', async () => {
  const { project } = await builtHugoSite();
  await writeFile(path.join(project, 'runbook-site.yaml'), 'title: From YAML\n');
  await writeFile(path.join(project, 'hugo.toml'), 'baseURL = "https://docs.example.org/"\ntitle = "From Hugo"\n[params]\ngithub_repo = "https://github.com/example/docs"\ngithub_branch = "trunk"\ngithub_subdir = "site"\n');
  const { loadConfig } = await import('../src/config/load.js');
  const config = await loadConfig({ cwd: project, overrides: {} });
  assert.equal(config.title, 'From YAML');
  assert.equal(config.baseURL, 'https://docs.example.org/');
  assert.deepEqual(config.repository, { url: 'https://github.com/example/docs', branch: 'trunk', path: 'site' });
  assert.deepEqual(config.params, { github_repo: 'https://github.com/example/docs', github_branch: 'trunk', github_subdir: 'site' });
  assert.equal(config.contentDir, path.join(project, 'content'));
  const flagged = await loadConfig({ cwd: project, overrides: { runbooks: 'content/runbooks' } });
  assert.equal(flagged.contentDir, undefined, '--runbooks beats the content folder Hugo names');
  assert.equal(flagged.urlPrefix, 'runbooks/');
});

test('srerun laid out as a Hugo project builds with no flags, at the same URLs as Hugo', { skip: !srerunAvailable() }, async (t) => {
  const project = await mkdtemp(path.join(tmpdir(), 'runbook-site-srerun-hugo-'));
  await symlink(path.join(SRERUN, 'content'), path.join(project, 'content'));
  await symlink(path.join(SRERUN, 'rules'), path.join(project, 'rules'));
  await mkdir(path.join(project, 'static'));
  await writeFile(path.join(project, 'static/favicon.png'), 'not really a png');
  await writeFile(path.join(project, 'hugo.toml'), `baseURL = "${SRERUN_BASE_URL}"\ntitle = "SRE Runbooks"\n[params]\nBookRepo = "https://github.com/srerun/prometheus-alerts"\nBookEditPath = "edit/main"\n`);
  const result = await runCli(['build', '--no-cache'], project);
  assert.equal(result.code, 0, result.stdout.slice(-2000) + result.stderr);
  assert.match(result.stderr, /from content\/, rules\/ and static\/ \(config: hugo\.toml\)/);
  const out = path.join(project, 'dist');
  assert.ok(existsSync(path.join(out, 'favicon.png')));
  assert.match(readFileSync(path.join(out, 'index.html'), 'utf8'), /Welcome to the site hosting runbooks/);
  if (!requireHugo(t)) return;
  const hugoFiles = (await hugoOutputFiles(project)).filter((file) => file.endsWith('.html'));
  assert.ok(hugoFiles.length > 1100, `hugo wrote ${hugoFiles.length} pages`);
  assert.deepEqual(hugoFiles.filter((file) => !existsSync(path.join(out, file))), []);
  await rm(project, { recursive: true, force: true });
});

test('Hugo\'s configuration folder: config/_default/hugo.toml with params.toml builds the same site as hugo.toml', async () => {
  const { out } = await builtHugoSite();
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-hugo-config-dir-'));
  await cp(HUGO_FIXTURE, dir, { recursive: true });
  await rm(path.join(dir, 'hugo.toml'));
  await mkdir(path.join(dir, 'config', '_default'), { recursive: true });
  const [site, params] = readFileSync(path.join(HUGO_FIXTURE, 'hugo.toml'), 'utf8').split('[params]');
  await writeFile(path.join(dir, 'config', '_default', 'hugo.toml'), site);
  await writeFile(path.join(dir, 'config', '_default', 'params.toml'), params);
  const result = await runCli(['build', '--no-cache'], dir);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stderr, /\(config: config\/_default\/hugo\.toml\)/);
  const files = await listFiles(out, () => true);
  assert.deepEqual(await listFiles(path.join(dir, 'dist'), () => true), files);
  for (const file of files) assert.equal(readFileSync(path.join(dir, 'dist', file), 'utf8'), readFileSync(path.join(out, file), 'utf8'), file);
});

test('a Hugo site whose runbooks are the content/alerts/ section builds at Hugo\'s URLs: the section is the alerts page, content/tags/ the tags page', async (t) => {
  const dir = await projectOf({
    'hugo.toml': 'baseURL = "https://example.org/"\ntitle = "Ops"\n',
    'content/_index.md': '---\ntitle: Ops\n---\n',
    'content/alerts/_index.md': '---\ntitle: Alert runbooks\n---\nEvery alert we page on, and what to do.\n',
    'content/alerts/app/_index.md': '---\ntitle: App\n---\n',
    'content/alerts/app/AppDown.md': '---\ntitle: AppDown\ntags: [app]\n---\nRestart it.\n',
    'content/alerts/escalation.md': '---\ntitle: Escalation\n---\nCall the lead. See [AppDown](app/AppDown.md).\n',
    'content/tags/_index.md': '---\ntitle: Topics\n---\nRunbooks by topic.\n',
    'rules/app.yml': 'groups:\n- name: app\n  rules:\n  - alert: AppDown\n    expr: up == 0\n    annotations:\n      runbook_url: https://example.org/alerts/app/appdown/\n  - alert: AppSlow\n    expr: up == 2\n',
  }, 'runbook-site-hugo-alerts-section-');
  const result = await runCli(['build', '--no-cache'], dir);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const out = path.join(dir, 'dist');
  const alertsPage = readFileSync(path.join(out, 'alerts/index.html'), 'utf8');
  assert.match(alertsPage, /<h1>Alert runbooks<\/h1>/, 'the section\'s title');
  assert.match(alertsPage, /Every alert we page on, and what to do\./, 'the section\'s text');
  assert.match(alertsPage, /<table class="alerts">[\s\S]*App<wbr>Slow/, 'the alerts table');
  assert.match(alertsPage, /<h2 id="section-pages">[\s\S]*href="app\/"[\s\S]*href="escalation\/"/, 'the section\'s own pages');
  assert.ok(existsSync(path.join(out, 'alerts/app/appdown/index.html')));
  assert.ok(existsSync(path.join(out, 'alerts/appslow/index.html')), 'an alert without a runbook still gets its page');
  const tagsPage = readFileSync(path.join(out, 'tags/index.html'), 'utf8');
  assert.match(tagsPage, /<h1>Topics<\/h1>[\s\S]*Runbooks by topic\.[\s\S]*href="app\/"/);
  if (!requireHugo(t)) return;
  // Every page Hugo builds from this content is built at the same address.
  const hugo = (await hugoOutputFiles(dir)).filter((file) => file.endsWith('index.html') && !file.startsWith('tags/'));
  const ours = new Set(await listFiles(out, (name) => name === 'index.html'));
  assert.deepEqual(hugo.filter((file) => !ours.has(file)), []);
});

test('a Hugo site\'s content/alerts.md and content/tags.md are the text of the alerts and tags pages, at Hugo\'s URLs, not a second page there', async (t) => {
  const files = {
    'hugo.toml': 'baseURL = "https://example.org/"\ntitle = "Ops"\n',
    'content/alerts.md': '---\ntitle: Our alerts\n---\nEvery alert we page on. Start with [AppDown](runbooks/AppDown.md).\n',
    'content/tags.md': '---\ntitle: Topics\n---\nRunbooks by topic.\n',
    'content/runbooks/AppDown.md': '---\ntitle: AppDown\ntags: [app]\n---\nRestart it. All alerts: [the list](../alerts.md).\n',
    'rules/app.yml': 'groups:\n- name: app\n  rules:\n  - alert: AppDown\n    expr: up == 0\n  - alert: AppSlow\n    expr: up == 2\n',
  };
  const dir = await projectOf(files, 'runbook-site-hugo-alerts-page-');
  const result = await runCli(['build', '--no-cache'], dir);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.doesNotMatch(result.stdout, /duplicate-url|broken-link/);
  const out = path.join(dir, 'dist');
  const alertsPage = readFileSync(path.join(out, 'alerts/index.html'), 'utf8');
  assert.match(alertsPage, /<h1>Our alerts<\/h1>/);
  assert.match(alertsPage, /Every alert we page on\. Start with <a href="\/runbooks\/appdown\/">AppDown<\/a>/);
  assert.match(alertsPage, /<table class="alerts">[\s\S]*App<wbr>Slow/, 'the alerts table');
  assert.match(readFileSync(path.join(out, 'tags/index.html'), 'utf8'), /<h1>Topics<\/h1>[\s\S]*Runbooks by topic\./);
  assert.match(readFileSync(path.join(out, 'runbooks/appdown/index.html'), 'utf8'), /<a href="\/alerts\/">the list<\/a>/);

  // Both a page and a section's text for the alerts page: two texts for one page is an error at the page.
  const both = await projectOf({ ...files, 'content/alerts/_index.md': '---\ntitle: Alert runbooks\n---\n' }, 'runbook-site-hugo-alerts-page-');
  const twice = await runCli(['build', '--no-cache'], both);
  assert.equal(twice.code, 1, twice.stdout + twice.stderr);
  assert.match(twice.stdout, /^content\/alerts\.md:1:1 {2}error {2}Unexpected second page for URL `\/alerts\/`.*\[duplicate-url\]$/m);
  if (!requireHugo(t)) return;
  // Hugo writes these pages where we write ours.
  const hugo = await hugoOutputFiles(dir);
  for (const file of ['alerts/index.html', 'tags/index.html', 'runbooks/appdown/index.html']) assert.ok(hugo.includes(file), `${file} in Hugo's output: ${hugo.join(', ')}`);
});

test('a static file where a page or a folder of pages is written is left out with a warning at the file (pages win, as in Hugo), not an internal error', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-static-clash-'));
  await cp(HUGO_FIXTURE, dir, { recursive: true });
  await writeFile(path.join(dir, 'static/index.html'), '<p>static home</p>');
  await writeFile(path.join(dir, 'static/docs'), 'a file where the docs section is');
  await mkdir(path.join(dir, 'static/alerts'), { recursive: true });
  await writeFile(path.join(dir, 'static/alerts/index.html'), '<p>static alerts</p>');
  await writeFile(path.join(dir, 'static/alerts/extra.txt'), 'kept');
  const result = await runCli(['build', '--no-cache'], dir);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.doesNotMatch(result.stderr, /Internal error/);
  for (const [file, owner] of [['index.html', 'already the home page'], ['docs', 'a folder holding the page of the section `docs`'], ['alerts/index.html', 'already the alerts page']]) {
    const line = result.stdout.split('\n').find((text) => text.startsWith(`static/${file}:1:1  warning  `)) ?? '';
    assert.ok(line.includes(`Unexpected static file \`${file}\`: it would be written to \`${file}\`, which is ${owner},`), line || result.stdout);
    assert.ok(line.includes('left out of the site') && line.endsWith('[static-conflict]'), line);
  }
  const out = path.join(dir, 'dist');
  assert.doesNotMatch(readFileSync(path.join(out, 'index.html'), 'utf8'), /static home/);
  assert.doesNotMatch(readFileSync(path.join(out, 'alerts/index.html'), 'utf8'), /static alerts/);
  assert.ok(existsSync(path.join(out, 'docs/index.html')));
  assert.equal(readFileSync(path.join(out, 'alerts/extra.txt'), 'utf8'), 'kept', 'a static file beside the pages is published');
  assert.ok(existsSync(path.join(out, 'robots.txt')));
});

test('a GitHub-rendered repository of runbooks only (alerts/<operator>/<Alert>.md, no rule files, no config) builds with no flags; a rules folder that is named must exist', async () => {
  const dir = await projectOf({
    'README.md': '# Runbooks\n\nOne file per alert under `alerts/`.\n',
    OWNERS: 'approvers: [a]\n',
    'alerts/cluster-etcd-operator/OWNERS': 'approvers: [a]\n',
    // No front matter: the title is the first heading, as GitHub shows it.
    'alerts/KubeJobFailed.md': '# KubeJobFailed\n\n## Meaning\n\nSee the [monitoring one](cluster-monitoring-operator/KubeJobFailed.md).\n',
    'alerts/cluster-monitoring-operator/KubeJobFailed.md': '# KubeJobFailed\n\nThe job failed.\n',
    'alerts/cluster-etcd-operator/etcdMembersDown.md': '# etcdMembersDown\n\n![Stop and start](img/stop-start.png)\n',
    'alerts/cluster-etcd-operator/img/stop-start.png': 'png',
  }, 'runbook-site-runbooks-only-');
  const result = await runCli(['build', '--no-cache'], dir);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stderr, /from alerts\/ and no rules \(no config file\)/);
  assert.match(result.stdout, /0 notes · 0 alerts, 3 runbooks, no alert rules to check them against/, 'no orphan notes where nothing could link them');
  const out = path.join(dir, 'dist');
  for (const page of ['runbooks/kubejobfailed/index.html', 'runbooks/cluster-monitoring-operator/kubejobfailed/index.html', 'runbooks/cluster-etcd-operator/etcdmembersdown/index.html']) {
    assert.ok(existsSync(path.join(out, page)), page);
  }
  assert.ok(existsSync(path.join(out, 'runbooks/cluster-etcd-operator/img/stop-start.png')));
  assert.ok(!existsSync(path.join(out, 'runbooks/cluster-etcd-operator/OWNERS')));
  assert.match(readFileSync(path.join(out, 'runbooks/kubejobfailed/index.html'), 'utf8'), /href="\/runbooks\/cluster-monitoring-operator\/kubejobfailed\/"/);
  // The repository's README as the home page: its links are read from where it is, as GitHub reads them.
  await writeFile(path.join(dir, 'README.md'), '# Runbooks\n\nStart with [etcd](alerts/cluster-etcd-operator/etcdMembersDown.md) or [the jobs](alerts/KubeJobFailed.md#meaning); [all of etcd](alerts/cluster-etcd-operator/), [everything](alerts/), ![the button](alerts/cluster-etcd-operator/img/stop-start.png).\n');
  const withIntro = await runCli(['build', '--no-cache', '--intro', 'README.md'], dir);
  assert.equal(withIntro.code, 0, withIntro.stdout + withIntro.stderr);
  const home = readFileSync(path.join(out, 'index.html'), 'utf8');
  assert.match(home, /href="\/runbooks\/cluster-etcd-operator\/etcdmembersdown\/">etcd</);
  assert.match(home, /href="\/runbooks\/kubejobfailed\/#meaning">the jobs</);
  assert.match(home, /href="\/runbooks\/cluster-etcd-operator\/">all of etcd</, 'a folder link, as GitHub reads it from the README');
  assert.match(home, /href="\/runbooks\/">everything</);
  assert.match(home, /<img src="\/runbooks\/cluster-etcd-operator\/img\/stop-start\.png" alt="the button">/);
  const named = await runCli(['build', '--no-cache', '--rules', 'prometheus'], dir);
  assert.equal(named.code, 2);
  assert.match(named.stderr, /The rules folder `prometheus` does not exist/);
});

test('in a Hugo site, documentation sections are not orphan runbooks; an unlinked page among the runbooks still is', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-hugo-orphans-'));
  await cp(HUGO_FIXTURE, dir, { recursive: true });
  await writeFile(path.join(dir, 'content/runbooks/queue/OldNotes.md'), '---\ntitle: Old notes\n---\nNo alert of ours.\n');
  const result = await runCli(['check', '--no-cache', '--format', 'json'], dir);
  const report = JSON.parse(result.stdout) as { diagnostics: { file: string; ruleId: string }[]; coverage: { orphanRunbooks: string[] } };
  assert.deepEqual(report.diagnostics.filter((d) => d.ruleId === 'orphan-runbook').map((d) => d.file), ['content/runbooks/queue/OldNotes.md']);
  assert.deepEqual(report.coverage.orphanRunbooks, ['runbooks/queue/OldNotes.md']);
  // The summary counts the runbooks, not the documentation pages beside them: without the
  // documentation (docs/, about.md) the count is the same.
  const counted = async () => Number(/· \d+ alerts?, (\d+) runbooks?, /.exec((await runCli(['check', '--no-cache'], dir)).stdout)?.[1]);
  const withDocumentation = await counted();
  await rm(path.join(dir, 'content/docs'), { recursive: true });
  await rm(path.join(dir, 'content/about.md'));
  assert.ok(withDocumentation > 0);
  assert.equal(withDocumentation, await counted());
});

test('emoji shortcodes: on in a GitHub-style folder, as GitHub renders them; a Hugo site follows enableEmoji, as Hugo does; never in code', async (t) => {
  const body = '# Disk\n\n:warning: Check the volume :+1:, then run `:fire:` and :no_such_emoji:.\n\n```\n:warning:\n```\n';
  const github = await projectOf({ 'runbooks/disk/DiskFull.md': body });
  assert.equal((await runCli(['build'], github)).code, 0);
  const page = await readFile(path.join(github, 'dist/runbooks/disk/diskfull/index.html'), 'utf8');
  assert.match(page, /<p>⚠️ Check the volume 👍, then run <code>:fire:<\/code> and :no_such_emoji:\.<\/p>/);
  assert.match(page, /<code>:warning:\n<\/code>/);
  await writeFile(path.join(github, 'runbook-site.yaml'), 'emoji: false\n');
  assert.equal((await runCli(['build'], github)).code, 0);
  assert.match(await readFile(path.join(github, 'dist/runbooks/disk/diskfull/index.html'), 'utf8'), /<p>:warning: Check the volume :\+1:,/);

  const hugoBody = `---\ntitle: DiskFull\n---\n${body.split('\n').slice(2).join('\n')}`;
  const hugo = await projectOf({ 'hugo.toml': 'baseURL = "https://org.github.io/rb/"\ntitle = "RB"\n', 'content/runbooks/disk/DiskFull.md': hugoBody });
  assert.equal((await runCli(['build'], hugo)).code, 0);
  assert.match(await readFile(path.join(hugo, 'dist/runbooks/disk/diskfull/index.html'), 'utf8'), /<p>:warning: Check the volume :\+1:,/);
  await writeFile(path.join(hugo, 'hugo.toml'), 'baseURL = "https://org.github.io/rb/"\ntitle = "RB"\nenableEmoji = true\n');
  assert.equal((await runCli(['build'], hugo)).code, 0);
  const ours = await readFile(path.join(hugo, 'dist/runbooks/disk/diskfull/index.html'), 'utf8');
  assert.match(ours, /<p>⚠️ Check the volume 👍, then run <code>:fire:<\/code> and :no_such_emoji:\.<\/p>/);
  if (!requireHugo(t)) return;
  // Hugo's own build of the same text gives the same characters in text. The one difference, on
  // purpose: Hugo replaces shortcodes in code too, where GitHub and we keep what the author wrote.
  await mkdir(path.join(hugo, 'layouts/_default'), { recursive: true });
  await writeFile(path.join(hugo, 'layouts/_default/single.html'), '{{ .Content }}');
  execFileSync('hugo', ['--quiet', '-s', hugo, '-d', path.join(hugo, 'hugo-out')]);
  const theirs = await readFile(path.join(hugo, 'hugo-out/runbooks/disk/diskfull/index.html'), 'utf8');
  assert.match(theirs, /<p>⚠️ Check the volume 👍, then run <code>🔥<\/code> and :no_such_emoji:\.<\/p>/);
});

test('a folder per runbook, as GitHub shows it (NodeDown/README.md and its screenshot), is that alert\'s page, linked as ../NodeDown/', async () => {
  const dir = await projectOf({
    'rules/k.yml': 'groups:\n  - name: k\n    rules:\n      - alert: KubePodCrashLooping\n        expr: up == 0\n      - alert: NodeDown\n        expr: up == 0\n',
    'runbooks/KubePodCrashLooping/README.md': '# Pod crash looping\n\n![graph](graph.png)\n',
    'runbooks/KubePodCrashLooping/graph.png': 'PNG',
    'runbooks/NodeDown/index.md': '# Node down\n\nSee [the pods](../KubePodCrashLooping/) and [their graph](../KubePodCrashLooping/graph.png).\n',
    // A README beside other runbooks stays the folder's own page.
    'runbooks/db/README.md': '# Databases\n',
    'runbooks/db/DbDown.md': '# Db down\n',
  });
  const checked = await runCli(['check', '--format', 'json'], dir);
  const report = JSON.parse(checked.stdout) as { coverage: { withoutRunbook: string[] }; diagnostics: { ruleId: string; severity: string }[] };
  assert.deepEqual(report.coverage.withoutRunbook, []);
  assert.deepEqual(report.diagnostics.filter((d) => d.severity !== 'note' && d.ruleId !== 'runbook-url-missing'), []);
  const built = await runCli(['build'], dir);
  assert.equal(built.code, 0, built.stdout + built.stderr);
  assert.match(await readFile(path.join(dir, 'dist/alerts/kubepodcrashlooping/index.html'), 'utf8'), /url=http:\/\/localhost\/runbooks\/kubepodcrashlooping\/"/);
  assert.ok(existsSync(path.join(dir, 'dist/runbooks/kubepodcrashlooping/graph.png')));
  assert.match(await readFile(path.join(dir, 'dist/runbooks/nodedown/index.html'), 'utf8'), /<a href="\/runbooks\/kubepodcrashlooping\/">the pods<\/a> and <a href="\/runbooks\/kubepodcrashlooping\/graph\.png">their graph<\/a>/);
  // Listed as a page of the runbooks, where db/ is a section.
  const home = await readFile(path.join(dir, 'dist/runbooks/index.html'), 'utf8');
  assert.match(home, /Pod crash looping/);
  assert.match(await readFile(path.join(dir, 'dist/runbooks/db/index.html'), 'utf8'), /<title>Databases · /);
});

test('links from a runbook to files of the repository outside the runbooks folder go to their page in the repository, as on GitHub; without one configured, a warning', async () => {
  const body = '# Node down\n\nSee [the rule](../../rules/k.yml#L4), [the fix](../../scripts/fix.sh), [all scripts](../../scripts/), [the README](../../README.md) and ![graph](../../docs/graph.png).\n';
  const dir = await projectOf({
    'rules/k.yml': 'groups:\n  - name: k\n    rules:\n      - alert: NodeDown\n        expr: up == 0\n',
    'runbooks/node/NodeDown.md': body,
    'scripts/fix.sh': 'echo fix\n',
    'README.md': '# Ops\n',
    'docs/graph.png': 'PNG',
  });
  const check = async () => JSON.parse((await runCli(['check', '--format', 'json'], dir)).stdout) as { diagnostics: { line: number; column: number; ruleId: string; message: string }[] };
  const without = (await check()).diagnostics.filter((d) => d.ruleId === 'repository-link');
  assert.deepEqual(without.map((d) => `${d.line}:${d.column}`), ['3:5', '3:39', '3:72', '3:103', '3:137']);
  assert.match(without[0].message, /^Unexpected link `\.\.\/\.\.\/rules\/k\.yml#L4` to `rules\/k\.yml`, a file outside the runbooks folder, which the site does not publish: set `repository\.url` in runbook-site\.yaml/);
  await writeFile(path.join(dir, 'runbook-site.yaml'), 'repository:\n  url: https://github.com/acme/ops\n  branch: trunk\n');
  assert.deepEqual((await check()).diagnostics.filter((d) => d.ruleId === 'repository-link' || d.ruleId === 'broken-link' || d.ruleId === 'missing-image'), []);
  const built = await runCli(['build'], dir);
  assert.equal(built.code, 0, built.stdout + built.stderr);
  const page = await readFile(path.join(dir, 'dist/runbooks/node/nodedown/index.html'), 'utf8');
  assert.match(page, /<a href="https:\/\/github\.com\/acme\/ops\/blob\/trunk\/rules\/k\.yml#L4">the rule<\/a>, <a href="https:\/\/github\.com\/acme\/ops\/blob\/trunk\/scripts\/fix\.sh">the fix<\/a>, <a href="https:\/\/github\.com\/acme\/ops\/tree\/trunk\/scripts">all scripts<\/a>, <a href="https:\/\/github\.com\/acme\/ops\/blob\/trunk\/README\.md">the README<\/a> and <img src="https:\/\/github\.com\/acme\/ops\/raw\/trunk\/docs\/graph\.png" alt="graph">/);
  // A file that is not there is still an error at its place.
  await writeFile(path.join(dir, 'runbooks/node/NodeDown.md'), body.replace('fix.sh', 'gone.sh'));
  const broken = (await check()).diagnostics.filter((d) => d.ruleId === 'broken-link');
  assert.deepEqual(broken.map((d) => `${d.line}:${d.column} ${d.message}`), ['3:39 Unexpected link `../../scripts/gone.sh`: there is no `scripts/gone.sh` in the project, expected a path relative to this file']);
});
