// `runbook-site annotate` through the real CLI, on copies of fixtures and of the srerun corpus:
// the files still load in promtool, a second run changes nothing, and only annotation lines differ.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, writeFile, mkdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runCli } from './helpers/cli.js';
import { projectRoot } from './helpers/project.js';
import { SRERUN, srerunAvailable } from './helpers/corpus.js';
import { promtoolVersion } from './helpers/promtool.js';
import { loadRuleFiles } from '../src/rules/load.js';
import { hugoSlug } from '../src/link/urls.js';

const FIXTURES = path.join(projectRoot, 'test/fixtures/annotate/rules');
const BASE = 'https://org.github.io/runbooks/';

function promtoolOrSkip(): boolean {
  if (promtoolVersion()) return true;
  if (process.env.REQUIRE_PROMTOOL === '1') assert.fail('REQUIRE_PROMTOOL=1 but promtool is not installed (apt-get install prometheus)');
  console.log('SKIPPED: promtool is not installed: annotated rule files not checked with promtool check rules');
  return false;
}

async function ruleFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && /\.ya?ml$/.test(e.name)).map((e) => path.join(e.parentPath, e.name)).sort();
}

async function copyOf(source: string, prefix: string): Promise<{ dir: string; rules: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  await cp(source, path.join(dir, 'rules'), { recursive: true });
  return { dir, rules: path.join(dir, 'rules') };
}

/** Lines removed and added between two texts (a longest-common-subsequence line diff). */
function lineDiff(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  const width = b.length + 1;
  const table = new Int32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] = a[i] === b[j] ? table[(i + 1) * width + j + 1] + 1 : Math.max(table[(i + 1) * width + j], table[i * width + j + 1]);
    }
  }
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
    } else if (table[(i + 1) * width + j] >= table[i * width + j + 1]) removed.push(a[i++]);
    else added.push(b[j++]);
  }
  removed.push(...a.slice(i));
  added.push(...b.slice(j));
  return { removed, added };
}

function promtoolCheck(file: string): { ok: boolean; output: string } {
  const run = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8', timeout: 30_000 });
  return { ok: run.status === 0, output: `${run.stdout}\n${run.stderr}` };
}

/** What every alert's annotation is, as the loader (with merge keys applied) reads it. */
async function annotationsByAlert(rulesDir: string, annotation = 'runbook_url'): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>();
  for (const file of await loadRuleFiles(rulesDir)) {
    for (const group of file.groups) for (const rule of group.rules) if (rule.kind === 'alert') out.set(rule.name, rule.annotations[annotation]);
  }
  return out;
}

test('annotate on all srerun rule files: promtool still passes, --check is then clean, only annotation lines are added', { timeout: 300_000 }, async (t) => {
  if (!srerunAvailable()) return t.skip('srerun corpus not found');
  const { dir, rules } = await copyOf(path.join(SRERUN, 'rules'), 'runbook-site-annotate-srerun-');
  const base = 'https://srerun.github.io/prometheus-alerts/';
  const before = await ruleFilesIn(rules);
  assert.equal(before.length, 81);
  const originals = new Map(await Promise.all(before.map(async (file) => [file, await readFile(file, 'utf8')] as const)));

  const first = await runCli(['annotate', '--base-url', base], dir);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stderr, /Set `runbook_url` on 594 alerts in 80 files/);

  const check = await runCli(['annotate', '--check', '--base-url', base], dir);
  assert.equal(check.code, 0, check.stdout + check.stderr);
  assert.match(check.stderr, /All 594 alerts have the expected `runbook_url`/);

  let addedLines = 0;
  for (const file of before) {
    const { removed, added } = lineDiff(originals.get(file)!, await readFile(file, 'utf8'));
    assert.deepEqual(removed, [], `${file}: no line removed or changed`);
    for (const line of added) assert.match(line, /^ +runbook_url: https:\/\/srerun\.github\.io\/prometheus-alerts\/alerts\/[^/\s]+\/$/, `${file}: only runbook_url lines added`);
    addedLines += added.length;
  }
  assert.equal(addedLines, 594);

  const values = await annotationsByAlert(rules);
  assert.equal(values.get('MysqlTooManyConnections(>80%)'), `${base}alerts/mysqltoomanyconnections80/`);
  for (const [name, value] of values) assert.equal(value, `${base}alerts/${encodeURI(hugoSlug(name))}/`, name);

  if (promtoolOrSkip()) {
    for (const file of before) {
      const { ok, output } = promtoolCheck(file);
      assert.ok(ok, `promtool check rules ${path.relative(dir, file)}:\n${output}`);
    }
  }
});

test('annotate keeps comments, quoting, anchors and merge keys, flow style and other documents', async () => {
  const { dir, rules } = await copyOf(FIXTURES, 'runbook-site-annotate-fixtures-');
  const files = await ruleFilesIn(rules);
  const originals = new Map(await Promise.all(files.map(async (file) => [file, await readFile(file, 'utf8')] as const)));

  const check = await runCli(['annotate', '--check', '--base-url', BASE], dir);
  assert.equal(check.code, 1, 'missing and wrong annotations fail --check');
  assert.match(check.stdout, /rules\/comments\.yml:8:9 {2}error {2}Alert `DiskAlmostFull` has no `runbook_url`, expected `https:\/\/org\.github\.io\/runbooks\/alerts\/diskalmostfull\/`/);
  assert.match(check.stdout, /rules\/comments\.yml:23:24 {2}error {2}Alert `DiskFull` has `runbook_url` `https:\/\/old\.example\.com\/wiki\/DiskFull`/);
  assert.match(check.stdout, /DiskTemplated.*Go template.*--force/);
  for (const file of files) assert.equal(await readFile(file, 'utf8'), originals.get(file), '--check writes nothing');

  const write = await runCli(['annotate', '--base-url', BASE], dir);
  assert.equal(write.code, 0, write.stdout + write.stderr);
  const again = await runCli(['annotate', '--check', '--base-url', BASE], dir);
  assert.equal(again.code, 0, `idempotent: ${again.stdout}`);
  const third = await runCli(['annotate', '--base-url', BASE], dir);
  assert.match(third.stderr, /Nothing to change/);

  // Every alert has its own URL, as the loader reads the files (merge keys applied).
  const values = await annotationsByAlert(rules);
  for (const [name, value] of values) {
    if (name === 'DiskTemplated') assert.equal(value, 'https://wiki.example.com/{{ $labels.team }}/DiskTemplated', 'a Go template is left without --force');
    else assert.equal(value, `${BASE}alerts/${hugoSlug(name)}/`, name);
  }
  assert.equal(values.size, 18);

  const text = async (name: string) => readFile(path.join(rules, name), 'utf8');
  const comments = await text('comments.yml');
  for (const line of originals.get(path.join(rules, 'comments.yml'))!.split('\n').filter((l) => l.trim().startsWith('#') || l.includes(' # '))) {
    if (!line.includes('runbook_url')) assert.ok(comments.includes(line), `comment kept: ${line}`);
  }
  assert.match(comments, /runbook_url: 'https:\/\/org\.github\.io\/runbooks\/alerts\/diskfull\/' # stale link/, 'single quotes and the trailing comment kept');
  assert.match(comments, /description: "Only \{\{ \$value \| humanizePercentage \}\} left."\n {10}runbook_url: "https:\/\/org\.github\.io\/runbooks\/alerts\/diskalmostfull\/"\n {8}# a comment after/, 'added after the last annotation, quoted like its siblings');
  assert.match(comments, /- record: job:disk_free:ratio\n {8}expr: [^\n]+\n {6}- alert/, 'recording rule untouched');

  const anchors = await text('anchors.yml');
  assert.match(anchors, /annotations: &common\n {10}team: storage\n {10}runbook_url: https:\/\/org\.github\.io\/runbooks\/alerts\/base\/\n/);
  assert.match(anchors, /annotations:\n {10}<<: \*common\n {10}summary: Merged\n {10}runbook_url: [^\n]+mergedannotations\/\n/);
  assert.match(anchors, /annotations: # shared with Base\n {10}<<: \*common\n {10}runbook_url: [^\n]+aliasedannotations\/\n/);
  assert.match(anchors, /annotations: &defaults_annotations\n/);

  const flow = await text('flow.yml');
  assert.match(flow, /- \{alert: FlowRule, expr: up == 0, labels: \{severity: page\}, annotations: \{runbook_url: https:\/\/org\.github\.io\/runbooks\/alerts\/flowrule\/\}\}\n/);
  assert.match(flow, /annotations: \{runbook_url: "https:\/\/org\.github\.io\/runbooks\/alerts\/flowwithwrongurl\/", summary: 'quoted'\}/);

  const operator = await text('team/prometheusrule.yaml');
  const docs = parseAllDocuments(operator) as ReturnType<typeof parseAllDocuments> & unknown[];
  assert.equal(docs.length, 3, 'all three documents kept');
  assert.match(operator, /data:\n {2}runbook_url: keep-me\n---/, 'the ConfigMap is not a rule file: untouched');

  // Only annotation lines (and the lines that hold their mappings) changed.
  for (const file of files) {
    const { removed, added } = lineDiff(originals.get(file)!, await readFile(file, 'utf8'));
    for (const line of added) assert.match(line, /runbook_url|^ *annotations:|^ *<<: \*|^ *- \{alert:/, `${path.basename(file)}: unexpected added line ${JSON.stringify(line)}`);
    for (const line of removed) assert.match(line, /runbook_url|^ *annotations:|^ +https:\/\/old\.example\.com|^ *- \{alert:/, `${path.basename(file)}: unexpected removed line ${JSON.stringify(line)}`);
  }

  if (promtoolOrSkip()) {
    for (const file of files.filter((f) => !f.endsWith('prometheusrule.yaml'))) {
      const { ok, output } = promtoolCheck(file);
      assert.ok(ok, `promtool check rules ${path.basename(file)}:\n${output}`);
    }
  }
  const loaded = await loadRuleFiles(rules);
  for (const file of loaded) assert.deepEqual(file.vfile.messages.filter((m) => m.fatal).map(String), [], `${file.path} loads without errors`);
});

test('annotate keeps CRLF line endings and a byte-order mark', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-annotate-crlf-'));
  await mkdir(path.join(dir, 'rules'));
  const source = (await readFile(path.join(FIXTURES, 'comments.yml'), 'utf8')).replace(/\n/g, '\r\n');
  const file = path.join(dir, 'rules', 'crlf.yml');
  await writeFile(file, '\ufeff' + source);
  const write = await runCli(['annotate', '--base-url', BASE], dir);
  assert.equal(write.code, 0, write.stdout + write.stderr);
  const after = await readFile(file, 'utf8');
  assert.ok(after.startsWith('\ufeff'), 'byte-order mark kept');
  assert.doesNotMatch(after.replace(/\r\n/g, ''), /\n/, 'every line ends in CRLF');
  assert.match(after, /\r\n {10}runbook_url: "https:\/\/org\.github\.io\/runbooks\/alerts\/diskalmostfull\/"\r\n/);
  assert.equal((await runCli(['annotate', '--check', '--base-url', BASE], dir)).code, 0);
  if (promtoolOrSkip()) assert.ok(promtoolCheck(file).ok);
});

test('annotate reports a file that does not parse, with its position, and leaves it untouched', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-annotate-broken-'));
  await mkdir(path.join(dir, 'rules'));
  const broken = await readFile(path.join(FIXTURES, '../broken.yml'), 'utf8');
  await writeFile(path.join(dir, 'rules', 'broken.yml'), broken);
  await cp(path.join(FIXTURES, 'flow.yml'), path.join(dir, 'rules', 'flow.yml'));
  const result = await runCli(['annotate', '--base-url', BASE], dir);
  assert.equal(result.code, 1);
  assert.match(result.stdout, /rules\/broken\.yml:7:1 {2}error {2}Could not read the rule file \(YAML syntax error/);
  assert.equal(await readFile(path.join(dir, 'rules', 'broken.yml'), 'utf8'), broken);
  assert.match(await readFile(path.join(dir, 'rules', 'flow.yml'), 'utf8'), /alerts\/flowrule\//, 'the other files are annotated');
  assert.deepEqual((await readdir(path.join(dir, 'rules'))).sort(), ['broken.yml', 'flow.yml'], 'no temporary file left behind');
});

test('annotate: --annotation, --url patterns and runbook targets, --force, config keys', async () => {
  const { dir, rules } = await copyOf(FIXTURES, 'runbook-site-annotate-options-');
  const pattern = await runCli(['annotate', '--annotation', 'runbook', '--url', 'https://wiki.example.com/Runbooks/{alert}', '--force'], dir);
  assert.equal(pattern.code, 0, pattern.stdout + pattern.stderr);
  const values = await annotationsByAlert(rules, 'runbook');
  assert.equal(values.get('DiskTemplated'), 'https://wiki.example.com/Runbooks/DiskTemplated');
  assert.equal(values.get('Base'), 'https://wiki.example.com/Runbooks/Base');
  assert.equal((await annotationsByAlert(rules)).get('DiskFull'), 'https://old.example.com/wiki/DiskFull', 'runbook_url left alone');

  await writeFile(path.join(dir, 'runbook-site.yaml'), 'baseURL: https://org.github.io/runbooks/\nrunbookAnnotation: playbook\nrunbookURL: "docs/{slug}.html"\n');
  const fromConfig = await runCli(['annotate'], dir);
  assert.equal(fromConfig.code, 0, fromConfig.stdout + fromConfig.stderr);
  assert.equal((await annotationsByAlert(rules, 'playbook')).get('DiskFull'), 'https://org.github.io/runbooks/docs/diskfull.html', 'a relative pattern resolves against baseURL');

  const bad = await runCli(['annotate', '--url', 'https://example.com/static'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Invalid value for `--url`/);
  const noBase = await runCli(['annotate', '--config', '/dev/null'], dir);
  assert.equal(noBase.code, 2);
  assert.match(noBase.stderr, /needs the published site URL/);

  // `runbook`: the linked runbook's page when there is one, else the alert page.
  await mkdir(path.join(dir, 'runbooks', 'storage'), { recursive: true });
  await writeFile(path.join(dir, 'runbooks', 'storage', 'DiskFull.md'), '---\ntitle: Disk full\n---\nFree some space.\n');
  await writeFile(path.join(dir, 'runbook-site.yaml'), `baseURL: ${BASE}\nrunbookURL: runbook\n`);
  const runbook = await runCli(['annotate'], dir);
  assert.equal(runbook.code, 0, runbook.stdout + runbook.stderr);
  const linked = await annotationsByAlert(rules);
  assert.equal(linked.get('DiskFull'), `${BASE}runbooks/storage/diskfull/`);
  assert.equal(linked.get('DiskSlow'), `${BASE}alerts/diskslow/`);
});

test('annotate never writes through a link out of the rules folder', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-annotate-link-'));
  const outside = path.join(dir, 'outside');
  await mkdir(outside);
  await mkdir(path.join(dir, 'rules'));
  await cp(path.join(FIXTURES, 'flow.yml'), path.join(outside, 'flow.yml'));
  await symlink(path.join(outside, 'flow.yml'), path.join(dir, 'rules', 'flow.yml'));
  const before = await readFile(path.join(outside, 'flow.yml'), 'utf8');
  await runCli(['annotate', '--base-url', BASE], dir);
  assert.equal(await readFile(path.join(outside, 'flow.yml'), 'utf8'), before);
});

test('the Alertmanager template in the README gives the alert page slug (srerun names and edge cases)', async (t) => {
  // The README's `alertname | toLower | reReplaceAll "[^a-z0-9._~+@-]" ""`, as Go would run it on ASCII names.
  const templated = (name: string) => name.toLowerCase().replace(/[^a-z0-9._~+@-]/g, '');
  const names = ['KubeJobFailed', 'node_disk_full', 'Kube:Down', 'A/B', 'x.y~z+w@v-u', 'HaproxyBackendMaxActiveSession>80%'];
  if (srerunAvailable()) {
    for (const file of await loadRuleFiles(path.join(SRERUN, 'rules'))) for (const group of file.groups) for (const rule of group.rules) if (rule.kind === 'alert') names.push(rule.name);
  } else t.diagnostic('srerun corpus not found: edge cases only');
  for (const name of names) assert.equal(templated(name), hugoSlug(name), name);
  // `toLower` alone differs exactly for names with characters the slug drops.
  const differ = [...new Set(names)].filter((name) => name.toLowerCase() !== hugoSlug(name));
  for (const name of differ) assert.match(name, /[^A-Za-z0-9._~+@-]/, name);
  // Where the README says they disagree: whitespace, `#`, `%XX`.
  for (const name of ['Disk Full', 'Issue#1', 'Load%41']) assert.notEqual(templated(name), hugoSlug(name), name);
});

test('on the sample site, --url runbook writes the URLs check expects, and --check --format github annotates the diff', async () => {
  const { sampleProject } = await import('./helpers/project.js');
  const dir = await sampleProject('runbook-site-annotate-sample-');
  const github = await runCli(['annotate', '--check', '--format', 'github'], dir);
  assert.equal(github.code, 1);
  assert.match(github.stdout, /^::error file=rules\/kubernetes\/kube-state\.yaml,line=\d+,col=\d+,title=runbook-annotation::Alert `KubeJobFailed` has no `runbook_url`/m);
  const result = await runCli(['annotate', '--url', 'runbook'], dir);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.equal((await runCli(['annotate', '--check', '--url', 'runbook'], dir)).code, 0);
  const check = await runCli(['check', '--no-cache', '--format', 'json'], dir);
  const report = JSON.parse(check.stdout) as { diagnostics: { ruleId: string; message: string }[] };
  const mismatches = report.diagnostics.filter((d) => /runbook-url|annotation/.test(d.ruleId));
  assert.deepEqual(mismatches.map((d) => `${d.ruleId}: ${d.message}`), [], 'check agrees with every URL annotate wrote (runbook pages and alert pages)');
  const values = await annotationsByAlert(path.join(dir, 'rules'));
  assert.equal(values.get('HostOutOfMemory'), 'https://example.github.io/runbooks/runbooks/node-exporter/hostoutofmemory/', 'a runbook page');
  assert.equal(values.get('KubeJobFailed'), 'https://example.github.io/runbooks/alerts/kubejobfailed/', 'no runbook: the alert page');
});

test('annotate leaves a rule file that is not UTF-8 byte for byte as it was, and says why', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-annotate-latin1-'));
  await mkdir(path.join(dir, 'rules'));
  // "# café" in Latin-1: a decode and re-encode would turn é (0xe9) into U+FFFD.
  const latin1 = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\ngroups:\n  - name: g\n    rules:\n      - alert: CafeDown\n        expr: up == 0\n')]);
  const file = path.join(dir, 'rules', 'latin1.yml');
  await writeFile(file, latin1);
  const result = await runCli(['annotate', '--base-url', BASE], dir);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stdout + result.stderr, /latin1\.yml[\s\S]*not UTF-8/);
  assert.ok((await readFile(file)).equals(latin1), 'the file is untouched');
});

test('--url runbook on a Hugo content folder writes the URLs the build gives its pages (no runbooks/ prefix), which check accepts', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-annotate-hugo-'));
  await cp(path.join(projectRoot, 'test/fixtures/hugo-site'), dir, { recursive: true });
  const before = await readFile(path.join(dir, 'rules/app.yml'), 'utf8');
  const result = await runCli(['annotate', '--url', 'runbook'], dir);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const after = await readFile(path.join(dir, 'rules/app.yml'), 'utf8');
  assert.match(after, /runbook_url: https:\/\/example\.org\/ops\/runbooks\/app\/appdown\//, 'a right annotation is kept');
  assert.match(after, /https:\/\/example\.org\/ops\/runbooks\/queue\/queuebacklog\//);
  assert.doesNotMatch(after, /runbooks\/runbooks\//);
  assert.notEqual(after, before);
  const check = await runCli(['check', '--format', 'json'], dir);
  const annotationProblems = (JSON.parse(check.stdout) as { diagnostics: { ruleId: string }[] }).diagnostics.filter((d) => d.ruleId.startsWith('runbook-url'));
  assert.deepEqual(annotationProblems, []);
});
