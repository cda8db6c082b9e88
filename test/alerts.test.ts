// Alert pages, alerts.json, the 404 recovery map, the runbook annotation check and `new`,
// through the real CLI on copies of the sample site, fixture projects and the srerun corpus.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { runCli } from './helpers/cli.js';
import { projectRoot, sampleProject } from './helpers/project.js';
import { SRERUN, SRERUN_BASE_URL, srerunAvailable } from './helpers/corpus.js';
import { loadConfig } from '../src/config/load.js';
import { MAX_NEW_FILE_URL, newFileUrl } from '../src/link/placement.js';
import { fillTemplate } from '../src/scaffold/runbook.js';

interface CheckReport {
  diagnostics: { file: string; line: number; column: number; severity: string; ruleId: string; message: string }[];
  coverage: { alerts: number; withRunbook: number; withoutRunbook: string[] };
}

interface AlertsJson {
  version: number;
  baseURL: string;
  alerts: { name: string; file: string; line: number; runbook_url: string | null; alert_page_url: string | null; annotations: Record<string, string> }[];
}

/** The JSON Schema validator, compiled once from schemas/alerts.schema.json. */
async function alertsValidator() {
  const require = createRequire(import.meta.url);
  const Ajv2020 = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js').default;
  const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const schema = JSON.parse(await readFile(path.join(projectRoot, 'schemas/alerts.schema.json'), 'utf8'));
  assert.match(schema.$id, /alerts/);
  return ajv.compile(schema);
}

/** A project with one rule file and the given runbooks. */
async function project(rules: string, runbooks: Record<string, string> = {}, config = ''): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-alerts-'));
  await mkdir(path.join(dir, 'rules/app'), { recursive: true });
  await writeFile(path.join(dir, 'rules/app/app.yml'), rules);
  await mkdir(path.join(dir, 'runbooks'), { recursive: true });
  for (const [file, text] of Object.entries(runbooks)) {
    await mkdir(path.dirname(path.join(dir, 'runbooks', file)), { recursive: true });
    await writeFile(path.join(dir, 'runbooks', file), text);
  }
  if (config) await writeFile(path.join(dir, 'runbook-site.yaml'), config);
  return dir;
}

const json = async (dir: string, argv: string[] = []) => {
  const result = await runCli(['check', '--format', 'json', '--no-cache', ...argv], dir);
  return { code: result.code, report: JSON.parse(result.stdout) as CheckReport };
};

test('sample: every alert has a page; with a runbook it redirects there, without it shows the rule and how to write one', async () => {
  const dir = await sampleProject();
  const result = await runCli(['build', '--no-cache'], dir);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const catalogue = JSON.parse(await readFile(path.join(dir, 'dist/alerts.json'), 'utf8')) as AlertsJson;
  for (const alert of catalogue.alerts) {
    const file = path.join(dir, 'dist', new URL(alert.alert_page_url!).pathname.slice('/runbooks/'.length), 'index.html');
    assert.ok(existsSync(file), `${alert.name}: ${file}`);
  }
  const redirect = await readFile(path.join(dir, 'dist/alerts/haproxydown/index.html'), 'utf8');
  assert.match(redirect, /<meta http-equiv="refresh" content="0; url=https:\/\/example\.github\.io\/runbooks\/runbooks\/haproxy\/haproxydown\/">/);
  assert.match(redirect, /<link rel="canonical" href="https:\/\/example\.github\.io\/runbooks\/runbooks\/haproxy\/haproxydown\/">/);
  assert.match(redirect, /<a href="https:\/\/example\.github\.io\/runbooks\/runbooks\/haproxy\/haproxydown\/">/);

  const page = await readFile(path.join(dir, 'dist/alerts/kubejobfailed/index.html'), 'utf8');
  assert.match(page, /No runbook yet/);
  assert.match(page, /<code id="alert-kubejobfailed-e">/, 'the rule card with its expression');
  assert.match(page, /<dt>summary<\/dt><dd>Job \{\{ \$labels\.namespace \}\}\/\{\{ \$labels\.job_name \}\} failed<\/dd>/, 'annotations as written');
  assert.match(page, /runbook-site new KubeJobFailed/);
  const write = /<a class="button" href="([^"]+)"[^>]*>Write this runbook<\/a>/.exec(page);
  assert.ok(write, 'a Write this runbook link');
  const href = new URL(write[1].replace(/&amp;/g, '&').replace(/&#x3D;/g, '='));
  assert.equal(href.origin + href.pathname, 'https://github.com/example/runbooks/new/main/runbooks/kubernetes');
  assert.equal(href.searchParams.get('filename'), 'KubeJobFailed.md');
  const value = href.searchParams.get('value')!;
  assert.match(value, /^---\ntitle: KubeJobFailed\nalert: KubeJobFailed\n/);
  assert.match(value, /\{\{% rule "kubernetes\/kube-state\.yaml" "KubeJobFailed" %\}\}/);
  for (const section of ['Meaning', 'Impact', 'Diagnosis', 'Mitigation']) assert.match(value, new RegExp(`^## ${section}$`, 'm'));

  const alertsPage = await readFile(path.join(dir, 'dist/alerts/index.html'), 'utf8');
  assert.match(alertsPage, /<th scope="row"><a href="kubejobfailed\/">Kube<wbr>Job<wbr>Failed<\/a><\/th>/);
  const sitemap = await readFile(path.join(dir, 'dist/sitemap.xml'), 'utf8');
  assert.match(sitemap, /alerts\/kubejobfailed\//);
  assert.doesNotMatch(sitemap, /alerts\/haproxydown\//, 'a redirect is not a page of its own');
});

test('alerts.json validates against its schema and is byte-reproducible', async () => {
  const validate = await alertsValidator();
  const dir = await sampleProject();
  assert.equal((await runCli(['build', '--no-cache'], dir)).code, 0);
  const first = await readFile(path.join(dir, 'dist/alerts.json'), 'utf8');
  const catalogue = JSON.parse(first) as AlertsJson;
  assert.ok(validate(catalogue), JSON.stringify(validate.errors));
  assert.equal(catalogue.version, 1);
  const job = catalogue.alerts.find((alert) => alert.name === 'KubeJobFailed')!;
  assert.equal(job.runbook_url, null);
  assert.equal(job.alert_page_url, 'https://example.github.io/runbooks/alerts/kubejobfailed/');
  assert.equal(job.file, 'kubernetes/kube-state.yaml');
  assert.equal(job.line, 39);
  assert.equal(catalogue.alerts.find((alert) => alert.name === 'HaproxyDown')!.runbook_url, 'https://example.github.io/runbooks/runbooks/haproxy/haproxydown/');
  // A second copy built elsewhere gives the same bytes.
  const again = await sampleProject();
  assert.equal((await runCli(['build', '--no-cache'], again)).code, 0);
  assert.equal(await readFile(path.join(again, 'dist/alerts.json'), 'utf8'), first);
  // The validator does reject what breaks the format.
  assert.equal(validate({ ...catalogue, version: 2 }), false);
  assert.equal(validate({ ...catalogue, alerts: [{ ...job, line: 0 }] }), false);
});

test('the 404 map knows every page, the aliases and the alert names', async () => {
  const dir = await sampleProject();
  assert.equal((await runCli(['build', '--no-cache'], dir)).code, 0);
  const map = JSON.parse(await readFile(path.join(dir, 'dist/404.json'), 'utf8')) as { version: number; pages: string[]; aliases: Record<string, string>; alerts: Record<string, string> };
  assert.equal(map.version, 1);
  assert.ok(map.pages.includes('runbooks/haproxy/haproxydown/'));
  assert.ok(!map.pages.includes('404.html'));
  assert.equal(map.aliases['runbooks/node/hostoutofmemory/'], 'runbooks/node-exporter/hostoutofmemory/');
  assert.equal(map.alerts.haproxydown, 'runbooks/haproxy/haproxydown/');
  assert.equal(map.alerts.kubejobfailed, 'alerts/kubejobfailed/');
  const notFound = await readFile(path.join(dir, 'dist/404.html'), 'utf8');
  assert.match(notFound, /data-recovery-map="\/runbooks\/404\.json" data-base="\/runbooks\/"/);
  assert.match(notFound, /<script src="\/runbooks\/assets\/recover\.[0-9a-f]{8}\.js" defer><\/script>/);
  assert.doesNotMatch(await readFile(path.join(dir, 'dist/index.html'), 'utf8'), /recover\./, 'only the 404 page loads it');
});

test('check: the missing-runbook message says which file to create; a missing annotation is a warning at the rule', async () => {
  const dir = await sampleProject();
  const { code, report } = await json(dir);
  assert.equal(code, 0);
  const missing = report.diagnostics.find((d) => d.ruleId === 'missing-runbook')!;
  assert.equal(missing.message, 'Alert KubeJobFailed has no runbook; create runbooks/kubernetes/KubeJobFailed.md, or run runbook-site new KubeJobFailed');
  assert.equal(`${missing.file}:${missing.line}`, 'rules/kubernetes/kube-state.yaml:39');
  const annotation = report.diagnostics.find((d) => d.ruleId === 'runbook-url-missing' && d.message.includes('KubeJobFailed'))!;
  assert.equal(annotation.severity, 'warning');
  assert.equal(annotation.line, 39);
  assert.match(annotation.message, /set it to `https:\/\/example\.github\.io\/runbooks\/alerts\/kubejobfailed\/`, or run runbook-site annotate/);
  assert.equal((await runCli(['check', '--strict', '--no-cache'], dir)).code, 1);
});

const RULES = `groups:
  - name: App
    rules:
      - alert: AppDown
        expr: up == 0
        annotations:
          runbook_url: https://anywhere.example/team/alerts/appdown/
      - alert: AppSlow
        expr: rate(x[5m]) > 1
        annotations:
          runbook_url: https://anywhere.example/team/runbooks/app/nope/
      - alert: AppLegacy
        expr: up == 0
        annotations:
          runbook: https://wiki.example/AppLegacy
`;

test('check with the default base URL reads alerts/ and runbooks/ paths on any host; the legacy runbook annotation counts', async () => {
  const dir = await project(RULES, { 'app/AppDown.md': '# AppDown\n', 'app/AppSlow.md': '# AppSlow\n', 'app/AppLegacy.md': '# AppLegacy\n' });
  const { report } = await json(dir);
  const annotations = report.diagnostics.filter((d) => d.ruleId.startsWith('runbook-url'));
  assert.deepEqual(annotations.map((d) => `${d.line} ${d.ruleId}`), ['8 runbook-url-mismatch']);
  assert.match(annotations[0].message, /^Alert AppSlow's `runbook_url` annotation `https:\/\/anywhere\.example\/team\/runbooks\/app\/nope\/` points at `\/runbooks\/app\/nope\/`, a page this site does not build; set it to `http:\/\/localhost\/alerts\/appslow\/`, or run runbook-site annotate$/);
  // Once the annotation key is configured, only that one counts.
  await writeFile(path.join(dir, 'runbook-site.yaml'), 'runbookAnnotation: runbook_url\n');
  const configured = (await json(dir)).report.diagnostics.filter((d) => d.ruleId === 'runbook-url-missing');
  assert.deepEqual(configured.map((d) => d.line), [12]);
  // With a configured base URL, another host is not this site.
  const based = (await json(dir, ['--base-url', 'https://runbooks.example.org/'])).report.diagnostics.filter((d) => d.ruleId === 'runbook-url-mismatch');
  assert.deepEqual(based, []);
});

test('new --missing on the sample, then check: full coverage, the new runbook linked, nothing overwritten', async () => {
  const dir = await sampleProject();
  const wrote = await runCli(['new', '--missing'], dir);
  assert.equal(wrote.code, 0, wrote.stderr);
  assert.equal(wrote.stdout, 'Wrote runbooks/kubernetes/KubeJobFailed.md (alert KubeJobFailed)\n');
  const text = await readFile(path.join(dir, 'runbooks/kubernetes/KubeJobFailed.md'), 'utf8');
  assert.match(text, /^---\ntitle: KubeJobFailed\nalert: KubeJobFailed\ndescription: Job \{\{ \$labels\.namespace \}\}\/\{\{ \$labels\.job_name \}\} failed\n---\n/);
  assert.match(text, /```promql\nkube_job_status_failed > 0\n```/);
  assert.match(text, /Severity: \*\*warning\*\*/);
  const { code, report } = await json(dir);
  assert.equal(code, 0);
  assert.deepEqual(report.coverage.withoutRunbook, []);
  assert.equal(report.coverage.withRunbook, report.coverage.alerts);
  assert.deepEqual(report.diagnostics.filter((d) => d.ruleId === 'missing-runbook' || d.ruleId === 'orphan-runbook' && d.file.includes('KubeJobFailed')), []);
  const built = await runCli(['build', '--no-cache'], dir);
  assert.equal(built.code, 0);
  assert.match(await readFile(path.join(dir, 'dist/alerts/kubejobfailed/index.html'), 'utf8'), /url=https:\/\/example\.github\.io\/runbooks\/runbooks\/kubernetes\/kubejobfailed\//);

  // A named alert that has one is left alone; nothing is overwritten.
  const again = await runCli(['new', 'KubeJobFailed'], dir);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /KubeJobFailed already has a runbook: runbooks\/kubernetes\/KubeJobFailed\.md/);
  assert.equal(await readFile(path.join(dir, 'runbooks/kubernetes/KubeJobFailed.md'), 'utf8'), text);
});

test('new: a file in the way is not overwritten (exit 1); an unknown name is a usage error with the closest name', async () => {
  const dir = await sampleProject();
  const inTheWay = path.join(dir, 'runbooks/kubernetes/KubeJobFailed.md');
  await writeFile(inTheWay, '---\ndraft: true\n---\nmine\n');
  const blocked = await runCli(['new', 'KubeJobFailed'], dir);
  assert.equal(blocked.code, 1);
  assert.match(blocked.stderr, /runbooks\/kubernetes\/KubeJobFailed\.md already exists and was not overwritten/);
  assert.equal(await readFile(inTheWay, 'utf8'), '---\ndraft: true\n---\nmine\n');
  const unknown = await runCli(['new', 'kubejobfailed'], dir);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /No rule file defines an alert `kubejobfailed`; did you mean `KubeJobFailed`\?/);
  const none = await runCli(['new'], dir);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /--missing/);
});

test('new puts a runbook where its runbook_url points, else beside its group, else in the rule file\'s section', async () => {
  const rules = `groups:
  - name: App
    rules:
      - alert: AppDown
        expr: up == 0
      - alert: AppErrors
        expr: rate(errors[5m]) > 1
        annotations:
          runbook_url: http://localhost/runbooks/team/app-errors/
  - name: Other
    rules:
      - alert: OtherDown
        expr: up == 0
`;
  const dir = await project(rules, { 'Team/_index.md': '# Team\n', 'services/AppDown.md': '# AppDown\n', 'services/OtherDown.md': '---\nalert: OtherDown\n---\n# x\n' });
  await writeFile(path.join(dir, 'rules/app/more.yml'), 'groups:\n  - name: More\n    rules:\n      - alert: "Fancy/Name (>80%)"\n        expr: up == 0\n');
  const result = await runCli(['new', '--missing'], dir);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'Wrote runbooks/Team/app-errors.md (alert AppErrors)\nWrote runbooks/more/Fancy-Name (>80%).md (alert Fancy/Name (>80%))\n');
  const { report } = await json(dir);
  assert.deepEqual(report.coverage.withoutRunbook, []);
  assert.deepEqual(report.diagnostics.filter((d) => d.ruleId === 'runbook-url-mismatch'), [], 'AppErrors\' runbook_url now names its page');
});

test('two alert names with one address share a page that lists both, with a warning', async () => {
  const rules = 'groups:\n  - name: App\n    rules:\n      - alert: HostDown\n        expr: up == 0\n      - alert: Hostdown\n        expr: up == 1\n';
  const dir = await project(rules);
  const built = await runCli(['build', '--no-cache', '--format', 'json'], dir);
  assert.equal(built.code, 0, built.stderr);
  const collisions = (JSON.parse(built.stdout) as CheckReport).diagnostics.filter((d) => d.ruleId === 'alert-page-collision');
  assert.deepEqual(collisions.map((d) => d.line), [6]);
  assert.match(collisions[0].message, /^Alert Hostdown has the same page address `\/alerts\/hostdown\/` as alert HostDown/);
  const page = await readFile(path.join(dir, 'dist/alerts/hostdown/index.html'), 'utf8');
  assert.match(page, /<h1>HostDown<\/h1>/);
  assert.match(page, /This address is shared with <a href="\.\/">Hostdown<\/a>/);
  assert.equal((page.match(/<section class="card"/g) ?? []).length, 2, 'both rules are shown');
});

test('the Write this runbook link: GitHub and GitLab forms; without the text when it would be too long', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-url-'));
  const gitlab = await loadConfig({ cwd: dir, overrides: {} });
  gitlab.repository = { url: 'https://gitlab.com/group/sub/repo/', branch: 'release/1', path: 'ops' };
  assert.deepEqual(newFileUrl(gitlab, 'runbooks/app/A B.md', 'x y'), {
    url: 'https://gitlab.com/group/sub/repo/-/new/release%2F1/ops/runbooks/app?file_name=A%20B.md&content=x%20y',
    prefilled: true,
  });
  const long = newFileUrl({ ...gitlab, repository: { url: 'https://github.com/o/r', branch: 'main', path: '' } }, 'runbooks/A.md', 'x'.repeat(MAX_NEW_FILE_URL))!;
  assert.deepEqual(long, { url: 'https://github.com/o/r/new/main/runbooks?filename=A.md', prefilled: false });
  assert.equal(newFileUrl({ ...gitlab, repository: { url: 'https://git.example.org/o/r', branch: 'main', path: '' } }, 'runbooks/A.md', 'x'), undefined);
});

test('the scaffold fills placeholders once: rule text is never read as a placeholder', () => {
  const out = fillTemplate('{alert}\n\n{description}\n\nkeep {unknown}\n{summary}\n', { alert: 'A {summary}', description: '', summary: 'S' });
  assert.equal(out, 'A {summary}\n\nkeep {unknown}\nS\n');
});

test('srerun: every alert name has a page (a redirect to its runbook, or the page without one); alerts.json validates', { skip: !srerunAvailable() }, async () => {
  const work = await mkdtemp(path.join(tmpdir(), 'runbook-site-srerun-alerts-'));
  const out = path.join(work, 'dist');
  const args = ['--rules', path.join(SRERUN, 'rules'), '--runbooks', path.join(SRERUN, 'content/runbooks'), '--base-url', SRERUN_BASE_URL, '--no-cache'];
  const result = await runCli(['build', ...args, '--out', out], work);
  assert.equal(result.code, 0, result.stdout.slice(-2000) + result.stderr);
  const catalogue = JSON.parse(await readFile(path.join(out, 'alerts.json'), 'utf8')) as AlertsJson;
  const validate = await alertsValidator();
  assert.ok(validate(catalogue), JSON.stringify(validate.errors?.slice(0, 3)));
  assert.equal(catalogue.alerts.length, 594);
  let redirects = 0;
  let real = 0;
  for (const name of new Set(catalogue.alerts.map((alert) => alert.name))) {
    const definitions = catalogue.alerts.filter((alert) => alert.name === name);
    const pageUrl = definitions[0].alert_page_url!;
    const html = await readFile(path.join(out, pageUrl.slice(SRERUN_BASE_URL.length), 'index.html'), 'utf8');
    const runbooks = new Set(definitions.map((alert) => alert.runbook_url));
    if (runbooks.size === 1 && !runbooks.has(null)) {
      redirects++;
      assert.ok(html.includes(`<meta http-equiv="refresh" content="0; url=${[...runbooks][0]}">`), name);
      assert.ok(existsSync(path.join(out, [...runbooks][0]!.slice(SRERUN_BASE_URL.length), 'index.html')), name);
    } else {
      real++;
      assert.ok(html.includes('<article class="alert-page">'), name);
      if (runbooks.has(null)) assert.match(html, /No runbook yet/, name);
    }
  }
  assert.ok(redirects > 500, `${redirects} redirects, ${real} pages`);
  const check = await runCli(['check', ...args, '--format', 'json'], work);
  assert.equal(check.code, 0);
  const report = JSON.parse(check.stdout) as CheckReport;
  const byRule = (id: string) => report.diagnostics.filter((d) => d.ruleId === id).length;
  console.log(`srerun check: ${report.diagnostics.filter((d) => d.severity === 'warning').length} warnings (missing-runbook ${byRule('missing-runbook')}, runbook-url-missing ${byRule('runbook-url-missing')}, runbook-url-mismatch ${byRule('runbook-url-mismatch')}, alert-page-collision ${byRule('alert-page-collision')}); ${redirects} redirect pages, ${real} alert pages`);
  assert.equal(byRule('runbook-url-missing'), 0, 'every srerun rule has the legacy `runbook` annotation');
});

test('a runbook whose url: is its alert\'s page address is that page; in a Hugo content folder new runbooks go where the annotation points', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-alerts-hugo-'));
  await writeFile(path.join(dir, 'hugo.toml'), 'baseURL = "https://example.org/"\ntitle = "Ops"\n');
  await mkdir(path.join(dir, 'content', 'ops'), { recursive: true });
  await mkdir(path.join(dir, 'content', 'db'), { recursive: true });
  await writeFile(path.join(dir, 'content', '_index.md'), '# Ops\n');
  await writeFile(path.join(dir, 'content', 'ops', 'Restart.md'), '---\nurl: /alerts/restart/\n---\n\n# Restart\n\nSteps.\n');
  await writeFile(path.join(dir, 'content', 'db', 'PostgresUp.md'), '# Postgres up\n\nSteps.\n');
  await mkdir(path.join(dir, 'rules'));
  await writeFile(
    path.join(dir, 'rules', 'app.yml'),
    'groups:\n  - name: app\n    rules:\n      - alert: Restart\n        expr: up == 0\n        annotations:\n          runbook_url: https://example.org/alerts/restart/\n      - alert: PostgresDown\n        expr: pg_up == 0\n        annotations:\n          runbook_url: https://example.org/db/postgresdown/\n',
  );
  const result = await runCli(['build', '--format', 'json'], dir);
  const diagnostics = (JSON.parse(result.stdout) as { diagnostics: { ruleId: string; severity: string; message: string }[] }).diagnostics;
  assert.equal(result.code, 0, JSON.stringify(diagnostics.filter((d) => d.severity === 'error')));
  assert.match(await readFile(path.join(dir, 'dist/alerts/restart/index.html'), 'utf8'), /<h1[^>]*>Restart</, 'the runbook itself, not a redirect');
  const missing = diagnostics.find((d) => d.ruleId === 'missing-runbook');
  assert.match(missing?.message ?? '', /create content\/db\/PostgresDown\.md/);
});

// Runbook repositories that GitHub renders point their rules at GitHub's view of each file, often
// one file for several alerts with a heading each, or a file named in kebab-case.
const REPOSITORY_RULES = `groups:
  - name: db
    rules:
      - alert: PostgresReplicationLag
        expr: pg_replication_lag > 30
        annotations:
          runbook_url: https://github.com/acme/ops/blob/main/runbooks/db/postgres.md#postgresreplicationlag
      - alert: PostgresTooManyConnections
        expr: pg_connections > 100
        annotations:
          runbook_url: https://github.com/acme/ops/tree/release/2.x/runbooks/db/postgres.md#postgres-too-many
      - alert: PostgresDiskFull
        expr: pg_disk_free < 0.1
      - alert: PostgresGone
        expr: pg_up == 0
        annotations:
          runbook_url: https://github.com/acme/ops/blob/main/runbooks/db/PostgresGone.md
      - alert: PostgresElsewhere
        expr: pg_up == 0
        annotations:
          runbook_url: https://github.com/other/repo/blob/main/runbooks/db/postgres.md
      - alert: PostgresVacuumStuck
        expr: pg_vacuum_running > 3600
        annotations:
          runbook_url: https://github.com/acme/ops/tree/main/runbooks/db/vacuum/
`;

test('a runbook annotation naming a runbook file as GitHub shows it links the alert to that page and heading; kebab-case file names match', async () => {
  const dir = await project(REPOSITORY_RULES, {
    'db/postgres.md': '# Postgres\n\n## PostgresReplicationLag\n\nCheck the replica.\n\n## PostgresTooManyConnections\n\nKill idle sessions.\n',
    'db/postgres-disk-full.md': '# Disk full\n\nGrow the volume.\n',
    // A folder per runbook, named by GitHub's view of the folder.
    'db/vacuum/README.md': '# Vacuum stuck\n',
  }, 'baseURL: https://acme.github.io/ops/\nrepository:\n  url: https://github.com/acme/ops\n');
  const { report } = await json(dir);
  const shown = report.diagnostics.map((d) => `${d.line}:${d.column} ${d.ruleId}`);
  // PostgresGone's file does not exist; PostgresElsewhere is another repository's file and has no runbook here.
  assert.deepEqual(shown, ['8:9 broken-anchor', '12:9 runbook-url-missing', '14:9 missing-runbook', '14:9 runbook-url-mismatch', '18:9 missing-runbook']);
  const anchor = report.diagnostics.find((d) => d.ruleId === 'broken-anchor')!;
  assert.equal(anchor.message, "Alert PostgresTooManyConnections's `runbook_url` annotation names the heading `#postgres-too-many` of runbooks/db/postgres.md, which has no heading with that id; did you mean `#postgrestoomanyconnections`?");
  const gone = report.diagnostics.find((d) => d.ruleId === 'runbook-url-mismatch')!;
  assert.match(gone.message, /^Alert PostgresGone's `runbook_url` annotation `https:\/\/github\.com\/acme\/ops\/blob\/main\/runbooks\/db\/PostgresGone\.md` points at `runbooks\/db\/PostgresGone\.md` in the repository, which is no runbook of this site; set it to `https:\/\/acme\.github\.io\/ops\/alerts\/postgresgone\/`/);
  assert.deepEqual(report.coverage.withoutRunbook, ['PostgresElsewhere', 'PostgresGone']);
  assert.deepEqual(report.diagnostics.filter((d) => d.ruleId === 'orphan-runbook'), []);
  // The runbook to write goes where the annotation already points.
  const missing = report.diagnostics.filter((d) => d.ruleId === 'missing-runbook').map((d) => d.message);
  assert.equal(missing[0], 'Alert PostgresGone has no runbook; create runbooks/db/PostgresGone.md, or run runbook-site new PostgresGone');

  const built = await runCli(['build', '--no-cache'], dir);
  assert.equal(built.code, 0, built.stdout + built.stderr);
  const redirect = await readFile(path.join(dir, 'dist/alerts/postgresreplicationlag/index.html'), 'utf8');
  assert.match(redirect, /<meta http-equiv="refresh" content="0; url=https:\/\/acme\.github\.io\/ops\/runbooks\/db\/postgres\/#postgresreplicationlag">/);
  assert.match(await readFile(path.join(dir, 'dist/runbooks/db/postgres/index.html'), 'utf8'), /<h2 id="postgresreplicationlag">/);
  assert.match(await readFile(path.join(dir, 'dist/alerts/postgresdiskfull/index.html'), 'utf8'), /url=https:\/\/acme\.github\.io\/ops\/runbooks\/db\/postgres-disk-full\/"/);
  const catalogue = JSON.parse(await readFile(path.join(dir, 'dist/alerts.json'), 'utf8')) as AlertsJson;
  const runbookOf = Object.fromEntries(catalogue.alerts.map((alert) => [alert.name, alert.runbook_url]));
  assert.deepEqual(runbookOf, {
    PostgresDiskFull: 'https://acme.github.io/ops/runbooks/db/postgres-disk-full/',
    PostgresElsewhere: null,
    PostgresGone: null,
    PostgresReplicationLag: 'https://acme.github.io/ops/runbooks/db/postgres/#postgresreplicationlag',
    PostgresTooManyConnections: 'https://acme.github.io/ops/runbooks/db/postgres/#postgres-too-many',
    PostgresVacuumStuck: 'https://acme.github.io/ops/runbooks/db/vacuum/',
  });

  // annotate keeps what only the annotation said: those alerts point at their runbook on the site
  // (the alert page would lose it), the others at their alert page; the links survive, twice over.
  const annotated = await runCli(['annotate'], dir);
  assert.equal(annotated.code, 0, annotated.stdout + annotated.stderr);
  const rules = await readFile(path.join(dir, 'rules/app/app.yml'), 'utf8');
  assert.match(rules, /runbook_url: https:\/\/acme\.github\.io\/ops\/runbooks\/db\/postgres\/#postgresreplicationlag\n/);
  assert.match(rules, /runbook_url: https:\/\/acme\.github\.io\/ops\/alerts\/postgresdiskfull\/\n/);
  assert.equal((await runCli(['annotate', '--check'], dir)).code, 0);
  const after = (await json(dir)).report;
  assert.deepEqual(after.coverage.withoutRunbook, ['PostgresElsewhere', 'PostgresGone']);
  assert.deepEqual(after.diagnostics.filter((d) => d.ruleId.startsWith('runbook-url')), []);
});

test('with the default base URL, a GitHub file URL in a repository named runbooks is not read as a page of this site', async () => {
  const dir = await project(REPOSITORY_RULES.replaceAll('acme/ops', 'acme/runbooks'), { 'db/postgres.md': '# Postgres\n\n## PostgresReplicationLag\n' });
  const { report } = await json(dir);
  assert.deepEqual(report.diagnostics.filter((d) => d.ruleId === 'runbook-url-mismatch'), []);
  // Without a configured repository, a file URL of any repository names the file of this one at its path.
  assert.deepEqual(report.coverage.withoutRunbook, ['PostgresDiskFull', 'PostgresGone', 'PostgresVacuumStuck']);
});
