// Alert ↔ runbook linking and the link stage's checks, through the real loaders on fixture sites.
import test from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { loadConfig } from '../src/config/load.js';
import { loadRuleFiles } from '../src/rules/load.js';
import { loadRunbooks } from '../src/load/runbooks.js';
import { linkSite } from '../src/link/site.js';

const fixtures = path.resolve(import.meta.dirname, '../../test/fixtures/sites');

async function linked(name: string) {
  const dir = path.join(fixtures, name);
  const config = await loadConfig({ cwd: dir, overrides: { baseURL: 'https://example.org/site/' } });
  const [ruleFiles, runbooks] = await Promise.all([loadRuleFiles(config.rulesDir), loadRunbooks(config.runbooksDir)]);
  return linkSite({ config, ruleFiles, runbooks, version: 'test' });
}

test('front matter, annotation, shortcode and file name each link an alert to its runbook', async () => {
  const site = await linked('linking');
  const byKey = new Map(site.alerts.map((link) => [`${link.rule.file}#${link.rule.name}#${link.rule.group}`, link]));
  // Its runbook_url names the page (the file name would have found it too).
  assert.equal(byKey.get('app/app.yml#AppDown#AppAvailability')?.runbook?.file, 'app/AppDown.md');
  assert.equal(byKey.get('app/app.yml#AppDown#AppAvailability')?.via, 'annotation');
  // Same name in another rule file; its annotation names the page as `…/index.html`.
  assert.equal(byKey.get('edge/edge.yml#AppDown#Edge')?.runbook?.file, 'edge/AppDown.md');
  assert.equal(byKey.get('edge/edge.yml#AppDown#Edge')?.via, 'annotation');
  // Read without the annotations, the file names find the same runbooks: for the second AppDown, the
  // one in the section named after its rule file.
  const dir = path.join(fixtures, 'linking');
  const config = await loadConfig({ cwd: dir, overrides: { baseURL: 'https://example.org/site/', runbookAnnotation: 'no_such_annotation' } });
  const [ruleFiles, runbooks] = await Promise.all([loadRuleFiles(config.rulesDir), loadRunbooks(config.runbooksDir)]);
  const byName = linkSite({ config, ruleFiles, runbooks, version: 'test' }).alerts;
  const appDowns = byName.filter((link) => link.rule.name === 'AppDown');
  assert.deepEqual(appDowns.map((link) => `${link.rule.file} ${link.runbook?.file} ${link.via}`), ['app/app.yml app/AppDown.md file-name', 'edge/edge.yml edge/AppDown.md file-name']);
  assert.equal(byKey.get('app/app.yml#AppErrors#AppAvailability')?.via, 'shortcode');
  // An alert defined in two groups: one runbook shows both definitions.
  const slow = site.pages.find((page) => page.url === 'runbooks/app/slow/');
  assert.equal(slow?.rules.length, 2);
  assert.deepEqual(slow?.rules.map((rule) => rule.group), ['AppAvailability', 'AppLatencyCritical']);
  assert.equal(byKey.get('app/app.yml#AppSlow#AppLatencyCritical')?.via, 'front-matter');
  assert.deepEqual(site.coverage, { alerts: 4, withRunbook: 3, withoutRunbook: ['AppNoRunbook'], orphanRunbooks: ['app/notes.md'] });
});

test('pages carry only their own navigation, never the whole site', async () => {
  const site = await linked('linking');
  const page = site.pages.find((p) => p.url === 'runbooks/app/appdown/')!;
  // No site-wide list on a runbook page: a section added elsewhere must not change (and re-render) it.
  assert.deepEqual(page.sections, []);
  assert.equal(page.site.sectionsUrl, 'runbooks/');
  const home = site.pages.find((p) => p.kind === 'home')!;
  assert.deepEqual(home.sections.map((s) => s.url), ['runbooks/app/', 'runbooks/edge/']);
  assert.deepEqual(page.sectionPages.map((s) => s.url).sort(), ['runbooks/app/appdown/', 'runbooks/app/errors-guide/', 'runbooks/app/notes/', 'runbooks/app/slow/']);
  assert.ok(!page.sectionPages.some((link) => link.url.startsWith('runbooks/edge/')));
  assert.deepEqual(page.breadcrumbs.map((b) => b.url), ['', 'runbooks/', 'runbooks/app/']);
});

test('annotation URLs that do not match the generated page are warnings giving the right URL', async () => {
  // edge.yml's runbook_url ends in `appdown/index.html`: the same page, no warning.
  const site = await linked('linking');
  const messages = site.ruleFiles.flatMap((file) => file.vfile.messages).filter((m) => m.ruleId === 'runbook-url-mismatch');
  assert.equal(messages.length, 1);
  assert.match(messages[0].reason, /AppSlow/);
  assert.match(messages[0].reason, /set it to `https:\/\/example\.org\/site\/alerts\/appslow\/`, or run runbook-site annotate/);
  assert.equal(messages[0].fatal, false);
});

test('two runbooks on one URL are an error naming both files', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-dup-'));
  await cp(path.join(fixtures, 'linking'), dir, { recursive: true });
  await writeFile(path.join(dir, 'runbooks/app/appdown.md'), '# lower-case twin\n');
  const result = await runCli(['check'], dir);
  assert.equal(result.code, 1);
  assert.match(result.stdout, /runbooks\/app\/appdown\.md:1:1\s+error\s+Unexpected second page for URL `\/runbooks\/app\/appdown\/`: .*already the page of `app\/AppDown\.md`/);
});

test('each shortcode and link error names its place and rule id', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-errors-'));
  await cp(path.join(fixtures, 'errors'), dir, { recursive: true });
  const outside = path.join(dir, 'outside.yml');
  await writeFile(outside, 'groups:\n  - name: X\n    rules:\n      - alert: AppDown\n        expr: up == 0\n');
  await symlink(outside, path.join(dir, 'rules/link.yml'));
  const result = await runCli(['check', '--format', 'json'], dir);
  assert.equal(result.code, 1);
  const report = JSON.parse(result.stdout) as { diagnostics: { file: string; line: number; column: number; ruleId: string; severity: string; message: string }[] };
  const errors = report.diagnostics
    .filter((d) => (d.severity === 'error' || d.ruleId === 'alert-not-found') && d.file === 'runbooks/AppDown.md')
    .map((d) => `${d.line}:${d.column} ${d.ruleId}`);
  assert.deepEqual(errors, [
    '5:1 unknown-shortcode',
    '7:1 rule-file-not-found',
    '9:1 alert-not-found',
    '11:1 rule-path-outside',
    '13:1 rule-path-outside',
    '15:1 rule-path-outside',
    '17:1 shortcode-arguments',
    '19:3 broken-link',
    '19:41 broken-anchor',
    '21:1 shortcode-unclosed',
  ]);
  const stale = report.diagnostics.find((d) => d.ruleId === 'alert-not-found');
  assert.match(stale!.message, /`AppDwn`/);
  assert.equal(stale!.severity, 'warning', 'a stale embed is a warning: real sites keep runbooks of deleted alerts');
});

test('a big section gives each page a window of its neighbours, never the whole list', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-big-'));
  await cp(path.join(fixtures, 'linking'), dir, { recursive: true });
  for (let i = 0; i < 40; i++) await writeFile(path.join(dir, `runbooks/app/Page${String(i).padStart(2, '0')}.md`), `# Page ${i}\n`);
  const config = await loadConfig({ cwd: dir, overrides: {} });
  const site = linkSite({ config, ruleFiles: await loadRuleFiles(config.rulesDir), runbooks: await loadRunbooks(config.runbooksDir), version: 'test' });
  const page = site.pages.find((p) => p.url === 'runbooks/app/page30/')!;
  assert.equal(page.sectionPages.length, 25);
  assert.equal(page.sectionPagesHidden, 44 - 25);
  assert.ok(page.sectionPages.some((link) => link.current && link.url === 'runbooks/app/page30/'));
  const section = site.pages.find((p) => p.url === 'runbooks/app/')!;
  assert.equal(section.children.length, 44, 'the section page itself still lists everything');
});
