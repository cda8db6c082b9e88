// End-to-end: the real CLI builds the real srerun corpus, and the output is checked against
// Hugo's URLs for the same content and against the corpus's own annotations.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, readdir, writeFile, symlink } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { listFiles } from '../src/load/files.js';
import { SRERUN, SRERUN_BASE_URL, srerunAvailable } from './helpers/corpus.js';

const available = srerunAvailable();
const args = ['--rules', path.join(SRERUN, 'rules'), '--runbooks', path.join(SRERUN, 'content/runbooks'), '--intro', path.join(SRERUN, 'content/_index.md'), '--base-url', SRERUN_BASE_URL, '--no-cache'];

const htmlFiles = (root: string) => listFiles(root, (name) => name.endsWith('.html'));

let outDir = '';
let buildResult: Awaited<ReturnType<typeof runCli>> | undefined;
async function built(): Promise<string> {
  if (!buildResult) {
    const work = await mkdtemp(path.join(tmpdir(), 'runbook-site-srerun-'));
    outDir = path.join(work, 'dist');
    buildResult = await runCli(['build', ...args, '--out', outDir], work);
  }
  return outDir;
}

test('srerun: build exits 0; the 7 empty runbooks are warnings', { skip: !available }, async () => {
  await built();
  assert.equal(buildResult!.code, 0, buildResult!.stdout.slice(-3000) + buildResult!.stderr);
  const empties = buildResult!.stdout.split('\n').filter((line) => line.includes('[empty-runbook]'));
  assert.equal(empties.length, 7, empties.join('\n'));
  assert.ok(empties.every((line) => /\swarning\s/.test(line)));
});

test('srerun: every page Hugo generates exists at the same URL', { skip: !available }, async (t) => {
  const out = await built();
  try {
    execFileSync('hugo', ['version'], { stdio: 'ignore' });
  } catch {
    if (process.env.REQUIRE_HUGO) assert.fail('hugo is required (apt-get install hugo)');
    t.skip('SKIPPED: hugo not found (apt-get install hugo) — cannot compare URLs with Hugo');
    return;
  }
  const site = await mkdtemp(path.join(tmpdir(), 'hugo-srerun-'));
  await mkdir(path.join(site, 'layouts/_default'), { recursive: true });
  await mkdir(path.join(site, 'layouts/shortcodes'), { recursive: true });
  await symlink(path.join(SRERUN, 'content'), path.join(site, 'content'));
  await writeFile(path.join(site, 'config.toml'), `baseURL = "${SRERUN_BASE_URL}"\ndisableKinds = ["taxonomy", "term", "RSS"]\n`);
  // Hugo writes no file for a page that renders empty, so every layout prints the title too.
  for (const name of ['single', 'list']) await writeFile(path.join(site, `layouts/_default/${name}.html`), '<title>{{ .Title }}</title>{{ .Content }}');
  await writeFile(path.join(site, 'layouts/index.html'), '<title>{{ .Title }}</title>{{ .Content }}');
  await writeFile(path.join(site, 'layouts/shortcodes/rule.html'), '<pre>{{ .Get 0 }}</pre>');
  await writeFile(path.join(site, 'layouts/shortcodes/comment.html'), '{{ if false }}{{ .Inner }}{{ end }}');
  const hugoOut = path.join(site, 'public');
  execFileSync('hugo', ['--quiet', '-s', site, '-d', hugoOut]);
  const hugoPages = (await htmlFiles(hugoOut)).filter((file) => file.endsWith('index.html'));
  assert.ok(hugoPages.length > 1100, `hugo wrote ${hugoPages.length} pages`);
  const missing = hugoPages.filter((file) => !existsSync(path.join(out, file)));
  assert.deepEqual(missing, []);
});

test('srerun: every runbook annotation under the base URL resolves, except the 6 that never can', { skip: !available }, async () => {
  const out = await built();
  const unresolved: string[] = [];
  let checked = 0;
  const rules = path.join(SRERUN, 'rules');
  for (const file of await listFiles(rules, (name) => /\.ya?ml$/i.test(name))) {
    for (const match of readFileSync(path.join(rules, file), 'utf8').matchAll(/^\s*runbook(?:_url)?:\s*(\S+)\s*$/gm)) {
      const url = match[1];
      if (!url.startsWith(SRERUN_BASE_URL)) continue;
      checked++;
      const target = path.join(out, url.slice(SRERUN_BASE_URL.length), 'index.html');
      if (!existsSync(target)) unresolved.push(url);
    }
  }
  assert.ok(checked > 500, `checked ${checked}`);
  // These alert names contain `(`, `>` or `%`: Hugo drops those characters from the URL.
  assert.equal(unresolved.length, 6, unresolved.join('\n'));
  assert.ok(unresolved.every((url) => /[(>%<]/.test(url)), unresolved.join('\n'));
  const mismatches = buildResult!.stdout.split('\n').filter((line) => line.includes('[runbook-url-mismatch]'));
  assert.equal(mismatches.length, 6, mismatches.join('\n'));
});

test('srerun: no page shows an unresolved shortcode; Go templates stay verbatim', { skip: !available }, async () => {
  const out = await built();
  const leftovers: string[] = [];
  for (const file of await htmlFiles(out)) {
    const html = await readFile(path.join(out, file), 'utf8');
    if (/(\{\{[%<]|&#x3C;&#x3C;%|<<%)\s*\/?\s*(rule|comment)\b/.test(html)) leftovers.push(file);
  }
  assert.deepEqual(leftovers, []);
  assert.match(await readFile(path.join(out, 'index.html'), 'utf8'), /Welcome to the site hosting runbooks/, 'the home page shows the --intro file');
  const page = await readFile(path.join(out, 'runbooks/haproxy-exporter-v1/haproxyhighhttp4xxerrorratebackend/index.html'), 'utf8');
  assert.ok(page.includes('{{ $labels.fqdn }}'), 'the annotation template is shown as written');
});

test('srerun: check reports the duplicate rule, coverage matches the alerts page', { skip: !available }, async () => {
  const out = await built();
  const check = await runCli(['check', ...args.filter((a) => a !== '--no-cache'), '--format', 'json']);
  assert.equal(check.code, 0, check.stderr);
  const report = JSON.parse(check.stdout) as {
    diagnostics: { file: string; ruleId: string; severity: string; message: string }[];
    coverage: { alerts: number; withRunbook: number; withoutRunbook: string[]; orphanRunbooks: string[] };
  };
  const duplicate = report.diagnostics.filter((d) => d.message.includes('NatsHighPendingBytes') && d.severity === 'warning' && /duplicate/i.test(d.ruleId));
  assert.equal(duplicate.length, 1, JSON.stringify(duplicate));
  assert.equal(report.diagnostics.filter((d) => d.ruleId === 'empty-runbook').length, 7);
  const { coverage } = report;
  assert.deepEqual([...coverage.withoutRunbook].sort(), coverage.withoutRunbook);
  const alertsPage = await readFile(path.join(out, 'alerts/index.html'), 'utf8');
  // The uncovered names are exactly those with a row marked missing on the alerts page.
  // Names are links with <wbr> between their words: compare their text.
  const nameText = (html: string) => html.replace(/<[^>]+>/g, '').trim();
  const missingRows = [...alertsPage.matchAll(/<tr [^>]*data-missing><th scope="row"[^>]*>(.*?)<\/th>/g)].map((m) => nameText(m[1]));
  assert.deepEqual([...new Set(missingRows)].sort(), coverage.withoutRunbook);
  // One row per definition, headed by the alert name.
  const rows = [...alertsPage.matchAll(/<th scope="row"[^>]*>(.*?)<\/th>/g)].map((m) => nameText(m[1]));
  assert.equal(rows.length, 594);
  assert.equal(new Set(rows).size, coverage.alerts);
  assert.ok((await readdir(out)).includes('sitemap.xml'));
});
