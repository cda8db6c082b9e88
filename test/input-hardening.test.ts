// Issue 14, input side: hostile or unusual input files are read as Hugo reads them, or refused
// with a positioned message, and never crash or hang the build.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { sampleProject } from './helpers/project.js';

interface Diagnostic { file: string; line: number; column: number; severity: string; ruleId: string; message: string }

async function check(dir: string, args: string[] = []): Promise<{ code: number; diagnostics: Diagnostic[]; stderr: string }> {
  const result = await runCli(['check', '--format', 'json', '--no-cache', ...args], dir);
  const diagnostics = result.stdout ? (JSON.parse(result.stdout) as { diagnostics: Diagnostic[] }).diagnostics : [];
  return { code: result.code, diagnostics, stderr: result.stderr };
}

function about(diagnostics: Diagnostic[], file: string): Diagnostic[] {
  return diagnostics.filter((d) => d.file.endsWith(file));
}

const bomb = (levels: number): string => {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let text = `a: &a [${Array(9).fill('"lol"').join(',')}]\n`;
  for (let i = 1; i < levels; i++) text += `${letters[i]}: &${letters[i]} [${Array(9).fill(`*${letters[i - 1]}`).join(',')}]\n`;
  return text;
};

test('a YAML alias bomb in front matter is refused at its place, in check and build, without exhausting memory', async () => {
  const dir = await sampleProject('runbook-site-input-');
  await writeFile(path.join(dir, 'runbooks/bomb.md'), `---\ntitle: Bomb\n${bomb(9)}---\n\nSteps.\n`);
  const started = performance.now();
  const { code, diagnostics } = await check(dir);
  assert.ok(performance.now() - started < 30_000);
  assert.equal(code, 1);
  const problems = about(diagnostics, 'runbooks/bomb.md').filter((d) => d.severity === 'error');
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.equal(problems[0].ruleId, 'yaml-alias-bomb');
  // `f: &f [*e, …]`: the first alias past the budget (9^6 nodes), line 8 of the file.
  assert.deepEqual([problems[0].line, problems[0].column], [8, 8]);
  const [problem] = problems;
  assert.match(problem.message, /expected aliases that repeat a few values/);
  const build = await runCli(['build', '--no-cache'], dir);
  assert.equal(build.code, 1);
  assert.match(build.stdout + build.stderr, /yaml-alias-bomb/);
});

test('the config file is read under the same YAML policy: an alias bomb there is a named config error', async () => {
  const dir = await sampleProject('runbook-site-input-');
  await writeFile(path.join(dir, 'runbook-site.yaml'), `title: x\n${bomb(9)}`);
  const result = await runCli(['check'], dir);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /runbook-site\.yaml/);
  assert.match(result.stderr, /alias/);
  assert.match(result.stderr, /\d+:\d+/);
  assert.doesNotMatch(result.stderr, /Internal error/);
});

test('a large rule file without aliases is not an alias bomb; aliases that expand a little are fine', async () => {
  const dir = await sampleProject('runbook-site-input-');
  // Recording rules: as many YAML nodes as 16,000 alerts (the size reported), without 16,000 alert pages.
  const rule = (i: number) => `  - record: job:generated_${i}:rate5m\n    expr: rate(up{job="g${i}"}[5m])\n    labels:\n      severity: warning\n      team: sre\n      tier: backend\n`;
  await mkdir(path.join(dir, 'rules/big'), { recursive: true });
  await writeFile(path.join(dir, 'rules/big/big.yml'), `groups:\n- name: big\n  rules:\n${Array.from({ length: 16_000 }, (_, i) => rule(i)).join('')}`);
  await writeFile(path.join(dir, 'rules/big/merged.yml'), `groups:\n- name: merged\n  rules:\n  - alert: MergedBase\n    expr: up == 0\n    labels: &defaults\n      severity: warning\n      team: sre\n${Array.from({ length: 50 }, (_, i) => `  - alert: Merged${i}\n    expr: up == 0\n    labels:\n      <<: *defaults\n`).join('')}`);
  const { diagnostics } = await check(dir);
  assert.deepEqual(diagnostics.filter((d) => d.ruleId.startsWith('yaml-') || (d.severity === 'error' && d.file.endsWith('.yml'))), []);
  const json = await runCli(['check', '--format', 'json', '--no-cache'], dir);
  assert.equal((JSON.parse(json.stdout) as { coverage: { alerts: number } }).coverage.alerts, 11 + 51);
});

test('a deeply nested YAML flow collection is refused before parsing, in rules and front matter', async () => {
  const dir = await sampleProject('runbook-site-input-');
  await writeFile(path.join(dir, 'rules/deep.yml'), `groups: ${'['.repeat(100_000)}\n`);
  await writeFile(path.join(dir, 'runbooks/deep.md'), `---\ntitle: ${'{'.repeat(100_000)}\n---\n\nSteps.\n`);
  const started = performance.now();
  const { code, diagnostics } = await check(dir);
  assert.ok(performance.now() - started < 30_000);
  assert.equal(code, 1);
  const rule = about(diagnostics, 'rules/deep.yml').find((d) => d.severity === 'error');
  assert.equal(rule?.ruleId, 'yaml-too-deep', JSON.stringify(diagnostics));
  assert.deepEqual([rule.line, rule.column], [1, 9 + 64]);
  const runbook = about(diagnostics, 'runbooks/deep.md').find((d) => d.severity === 'error');
  assert.equal(runbook?.ruleId, 'yaml-too-deep');
  assert.equal(runbook.line, 2);
});

test('deeply nested or bracket-heavy markdown gets a positioned error before the parser, not a hang', async () => {
  const dir = await sampleProject('runbook-site-input-');
  const inputs: Record<string, string> = {
    'lists-8k': '- '.repeat(8_000),
    'lists-100k': '- '.repeat(100_000),
    emphasis: `${'*'.repeat(16_000)}a${'*'.repeat(16_000)}`,
    brackets: '['.repeat(50_000),
    quotes: '>'.repeat(100_000),
    'close-brackets': 'a]'.repeat(20_000),
    'link-lines': '[a]\n'.repeat(20_000),
    'emphasis-pairs': '*a* '.repeat(20_000),
  };
  for (const [name, body] of Object.entries(inputs)) await writeFile(path.join(dir, `runbooks/${name}.md`), `---\ntitle: ${name}\n---\nIntro line.\n${body}\n`);
  const started = performance.now();
  const build = await runCli(['build', '--format', 'json', '--no-cache'], dir);
  const seconds = (performance.now() - started) / 1000;
  // The bound that matters is measured in bench/pathological.ts; this only catches a hang.
  assert.ok(seconds < 60, `took ${seconds} s`);
  assert.equal(build.code, 1);
  const diagnostics = (JSON.parse(build.stdout) as { diagnostics: Diagnostic[] }).diagnostics;
  for (const name of Object.keys(inputs)) {
    const problem = about(diagnostics, `runbooks/${name}.md`).find((d) => d.severity === 'error');
    assert.ok(problem, `${name}: ${JSON.stringify(about(diagnostics, name))}`);
    assert.match(problem.ruleId, /^markdown-too-(deep|complex)$/, name);
    assert.ok(problem.line >= 5, `${name}: in the body, at the limit`);
    assert.match(problem.message, /expected .*: /, name);
  }
});

test('the complexity bound leaves real runbooks alone: nested lists, quotes and emphasis still render', async () => {
  const dir = await sampleProject('runbook-site-input-');
  const nested = Array.from({ length: 12 }, (_, i) => `${'  '.repeat(i)}- level ${i} with **bold** and [a link](https://example.org/${i})`).join('\n');
  await writeFile(path.join(dir, 'runbooks/nested.md'), `---\ntitle: Nested\n---\n${nested}\n\n> > > quoted *three* deep\n\n\`\`\`json\n${'[{"a": [1, 2]}]\n'.repeat(3000)}\`\`\`\n`);
  const build = await runCli(['build', '--no-cache'], dir);
  assert.equal(build.code, 0, build.stdout + build.stderr);
  const html = await readFile(path.join(dir, 'dist/runbooks/nested/index.html'), 'utf8');
  assert.match(html, /level 11 with <strong>bold<\/strong>/);
  assert.match(html, /<blockquote>\s*<blockquote>\s*<blockquote>/);
});

test('front matter is read as Hugo reads it: after a byte order mark, as TOML between +++ and as JSON', async () => {
  const dir = await sampleProject('runbook-site-input-');
  await writeFile(path.join(dir, 'runbooks/bom.md'), '\uFEFF---\ntitle: Bom title\ntags: [bom]\n---\n\nSteps.\n');
  await writeFile(path.join(dir, 'runbooks/toml.md'), '+++\ntitle = "Toml title"\ndate = 2024-05-31\ntags = ["toml"]\n+++\n\nSteps.\n');
  await writeFile(path.join(dir, 'runbooks/json.md'), '{\n  "title": "Json title",\n  "lastmod": "2024-06-01",\n  "tags": ["json", "{braces}"]\n}\n\nSteps.\n');
  const build = await runCli(['build', '--no-cache'], dir);
  assert.equal(build.code, 0, build.stdout + build.stderr);
  for (const [name, title] of [['bom', 'Bom title'], ['toml', 'Toml title'], ['json', 'Json title']]) {
    const html = await readFile(path.join(dir, `dist/runbooks/${name}/index.html`), 'utf8');
    assert.match(html, new RegExp(`<h1[^>]*>${title}</h1>`), name);
    assert.doesNotMatch(html, /title[:=] |&quot;title&quot;/, `${name}: no front matter in the body`);
  }
  assert.match(await readFile(path.join(dir, 'dist/runbooks/toml/index.html'), 'utf8'), /2024-05-31/);
  assert.match(await readFile(path.join(dir, 'dist/runbooks/json/index.html'), 'utf8'), /2024-06-01/);
  assert.ok((await readFile(path.join(dir, 'dist/tags/json/index.html'), 'utf8')).includes('Json title'));
});

test('broken TOML and JSON front matter, and dates that are not dates, are errors at their place', async () => {
  const dir = await sampleProject('runbook-site-input-');
  await writeFile(path.join(dir, 'runbooks/bad-toml.md'), '+++\ntitle = "x"\ntags = [1,\n+++\n\nSteps.\n');
  await writeFile(path.join(dir, 'runbooks/bad-json.md'), '{\n  "title": "x",\n}\n\nSteps.\n');
  await writeFile(path.join(dir, 'runbooks/bad-date.md'), '---\ntitle: x\nlastmod: 2024-13-45\ndate: not-a-date\n---\n\nSteps.\n');
  await writeFile(path.join(dir, 'runbooks/bad-toml-date.md'), '+++\ntitle = "x"\ndate = "yesterday"\n+++\n\nSteps.\n');
  const { code, diagnostics } = await check(dir);
  assert.equal(code, 1);
  const errors = (file: string) => about(diagnostics, file).filter((d) => d.severity === 'error').map((d) => [d.ruleId, d.line, d.column]);
  assert.deepEqual(errors('runbooks/bad-toml.md').map((e) => [e[0], e[1]]), [['front-matter-toml', 4]]);
  assert.deepEqual(errors('runbooks/bad-json.md'), [['front-matter-json', 3, 1]]);
  assert.deepEqual(errors('runbooks/bad-date.md'), [['front-matter-date', 3, 10], ['front-matter-date', 4, 7]]);
  assert.deepEqual(errors('runbooks/bad-toml-date.md'), [['front-matter-date', 3, 1]]);
  const lastmod = about(diagnostics, 'runbooks/bad-date.md').find((d) => d.line === 3)!;
  assert.match(lastmod.message, /`lastmod`: `2024-13-45` is not a date, expected a date such as 2024-05-31/);
});

test('a runbook or rule file that is not UTF-8 text is an error at its first bad byte', async () => {
  const dir = await sampleProject('runbook-site-input-');
  await writeFile(path.join(dir, 'runbooks/latin1.md'), Buffer.concat([Buffer.from('---\ntitle: Caf'), Buffer.from([0xe9]), Buffer.from('\n---\n\nSteps.\n')]));
  await writeFile(path.join(dir, 'runbooks/image.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
  await writeFile(path.join(dir, 'rules/utf16.yml'), Buffer.from('\uFEFFgroups: []\n', 'utf16le'));
  const { code, diagnostics } = await check(dir);
  assert.equal(code, 1);
  const first = (file: string) => about(diagnostics, file).find((d) => d.severity === 'error');
  assert.deepEqual([first('runbooks/latin1.md')?.ruleId, first('runbooks/latin1.md')?.line, first('runbooks/latin1.md')?.column], ['not-utf8', 2, 11]);
  assert.match(first('runbooks/latin1.md')!.message, /not UTF-8 text\. Save it as UTF-8/);
  assert.deepEqual([first('runbooks/image.md')?.ruleId, first('runbooks/image.md')?.line, first('runbooks/image.md')?.column], ['not-utf8', 1, 1]);
  assert.equal(first('rules/utf16.yml')?.ruleId, 'not-utf8');
});

test('private-use characters typed in a runbook are never taken for a shortcode placeholder', async () => {
  const dir = await sampleProject('runbook-site-input-');
  const runbook = path.join(dir, 'runbooks/haproxy/HaproxyDown.md');
  const original = await readFile(runbook, 'utf8');
  assert.match(original, /\{\{% rule /, 'the sample runbook embeds a rule');
  await writeFile(runbook, `${original}\nTyped: \uE0000\uE001 and \`\uE0000\uE001\` and \uE000\uE0020\uE001.\n`);
  const build = await runCli(['build', '--no-cache'], dir);
  assert.equal(build.code, 0, build.stdout + build.stderr);
  const html = await readFile(path.join(dir, 'dist/runbooks/haproxy/haproxydown/index.html'), 'utf8');
  assert.match(html, /Typed: \uE0000\uE001 and <code>\uE0000\uE001<\/code> and \uE000\uE0020\uE001\./);
});

test('URL keys in the config accept only http(s): a javascript: URL is a config error naming the key and line', async () => {
  const dir = await sampleProject('runbook-site-input-');
  for (const [key, text] of [
    ['prometheusURL', 'title: x\nprometheusURL: "javascript:alert(52)//"\n'],
    ['grafanaURL', 'title: x\ngrafanaURL: "data:text/html,hi"\n'],
    ['baseURL', 'title: x\nbaseURL: "file:///etc/"\n'],
    ['repository.url', 'title: x\nrepository:\n  url: "javascript:alert(1)"\n'],
  ]) {
    await writeFile(path.join(dir, 'runbook-site.yaml'), text);
    const result = await runCli(['check'], dir);
    assert.equal(result.code, 2, key);
    assert.match(result.stderr, new RegExp(`\`${key.replace('.', '\\.')}\`: expected an http:// or https:// URL`), key);
    assert.match(result.stderr, /runbook-site\.yaml`: (2|3):\d+: /, key);
  }
  await writeFile(path.join(dir, 'runbook-site.yaml'), 'title: x\nprometheusURL: "https://prometheus.example.org/"\n');
  assert.equal((await runCli(['check'], dir)).code, 0);
});

test('raw HTML passes through by default; with sanitize: true scripts, handlers and javascript: links go, and rule cards, ids and details stay', async () => {
  const dir = await sampleProject('runbook-site-input-');
  const runbook = path.join(dir, 'runbooks/haproxy/HaproxyDown.md');
  const hostile = '\n## Hostile part\n\n<script>alert(1)</script>\n\n<img src="https://example.com/x.png" onerror="alert(2)">\n\n[click](javascript:alert(3))\n\n<details class="hint"><summary>More</summary>\n\nHidden *steps*.\n\n</details>\n';
  await writeFile(runbook, `${await readFile(runbook, 'utf8')}${hostile}`);
  const page = path.join(dir, 'dist/runbooks/haproxy/haproxydown/index.html');

  assert.equal((await runCli(['build', '--no-cache'], dir)).code, 0);
  const trusting = await readFile(page, 'utf8');
  assert.match(trusting, /<script>alert\(1\)<\/script>/, 'runbooks are the team\'s own by default');
  assert.match(trusting, /onerror="alert\(2\)"/);

  await writeFile(path.join(dir, 'runbook-site.yaml'), `${await readFile(path.join(dir, 'runbook-site.yaml'), 'utf8')}\nsanitize: true\n`);
  const build = await runCli(['build', '--no-cache'], dir);
  assert.equal(build.code, 0, build.stdout + build.stderr);
  const clean = await readFile(page, 'utf8');
  const body = clean.slice(clean.indexOf('<main'), clean.indexOf('</main>'));
  assert.doesNotMatch(body, /alert\(1\)|onerror|javascript:/);
  assert.match(body, /<details class="hint"><summary>More<\/summary>/);
  assert.match(body, /<h2 id="hostile-part"/);
  // The rule card is the same HTML with or without sanitize.
  const card = (html: string) => /id="rs-rules"[\s\S]*?<\/pre>/.exec(html)?.[0];
  assert.ok(card(trusting));
  assert.equal(card(body), card(trusting));
});

test('a Hugo YAML config and a rule file given to annotate are read under the same YAML policy', async () => {
  const dir = await sampleProject('runbook-site-input-');
  // A Hugo project: hugo.yaml beside content/.
  await mkdir(path.join(dir, 'content'), { recursive: true });
  await writeFile(path.join(dir, 'content/_index.md'), '---\ntitle: Home\n---\n');
  await writeFile(path.join(dir, 'hugo.yaml'), `title: x\n${bomb(9)}`);
  const started = performance.now();
  const hugo = await runCli(['check', '--content', 'content'], dir);
  assert.ok(performance.now() - started < 30_000);
  assert.equal(hugo.code, 2, hugo.stdout + hugo.stderr);
  assert.match(hugo.stderr, /hugo\.yaml:\d+:\d+/);
  assert.match(hugo.stderr, /alias/);
  assert.doesNotMatch(hugo.stderr, /Internal error|JavaScript heap/);

  const rules = await sampleProject('runbook-site-input-');
  const ruleFile = path.join(rules, 'rules/bomb.yml');
  const text = `${bomb(9)}groups:\n  - name: g\n    rules:\n      - alert: Bomb\n        expr: up == 0\n        labels: { severity: page, x: *i }\n`;
  await writeFile(ruleFile, text);
  const annotate = await runCli(['annotate', '--base-url', 'https://example.org/'], rules);
  assert.equal(annotate.code, 1, annotate.stdout + annotate.stderr);
  assert.match(annotate.stdout + annotate.stderr, /bomb\.yml:\d+:\d+ .*alias bomb.*left it untouched  \[yaml-alias-bomb\]/);
  assert.equal(await readFile(ruleFile, 'utf8'), text, 'the refused file is left as it was');
});
