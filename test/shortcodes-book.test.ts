// The registry's shortcodes through the real pipeline on test/fixtures/sites/shortcodes: hugo-book's
// (hint, details, tabs/tab, columns, expand, button, mermaid, toc), docsy's (alert, pageinfo, tabpane), a site's own shortcodes/NAME.hbs,
// and the messages for unknown shortcodes, stale `rule` references and missing `ref` targets.
import test from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { projectRoot } from './helpers/project.js';

const fixture = path.join(projectRoot, 'test/fixtures/sites/shortcodes');

async function copy(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-shortcodes-'));
  await cp(fixture, dir, { recursive: true });
  return dir;
}

let built: Promise<{ dir: string; page: string; other: string }> | undefined;
function build() {
  built ??= (async () => {
    const dir = await copy();
    const result = await runCli(['build', '--out', 'dist'], dir);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /0 errors, 0 warnings/);
    const page = await readFile(path.join(dir, 'dist/runbooks/postgres/postgresdown/index.html'), 'utf8');
    const other = await readFile(path.join(dir, 'dist/runbooks/postgres/postgrestoomanyconnections/index.html'), 'utf8');
    return { dir, page, other };
  })();
  return built;
}

const count = (text: string, pattern: RegExp) => (text.match(new RegExp(pattern.source, 'g')) ?? []).length;

test('hint: a call-out of its kind with markdown inside, links rewritten', async () => {
  const { page } = await build();
  assert.match(page, /<div class="sc-hint sc-hint-warning" role="note"><span class="sr">Warning: <\/span><p><strong>Data loss<\/strong> is possible: read <a href="\/runbooks\/runbooks\/postgres\/postgrestoomanyconnections\/">the other runbook<\/a> first\.<\/p><\/div>/);
});

test('details: hugo-book positional title and Hugo named summary/open', async () => {
  const { page } = await build();
  assert.match(page, /<details class="sc-details"><summary>Why it fires<\/summary><div class="sc-body"><p><code>pg_up<\/code> is <em>0<\/em>\.<\/p><\/div><\/details>/);
  assert.match(page, /<details class="sc-details" open><summary>Opened<\/summary>/);
});

test('tabs/tab: one radio group, first tab checked, each panel after its label, no stray paragraph', async () => {
  const { page } = await build();
  const tabs = /<div class="sc-tabs">([\s\S]*?)<\/div>\n?<div class="sc-columns">/.exec(page);
  assert.ok(tabs, 'tabs block');
  assert.equal(count(tabs[1], /<input type="radio" class="sc-tab-toggle" name="tabs-restart"/), 2);
  assert.match(tabs[1], /id="tabs-restart-0" checked><label for="tabs-restart-0">systemd<\/label><div class="sc-tab-panel"><pre tabindex="0"><code class="language-bash">systemctl restart postgresql/);
  assert.match(tabs[1], /id="tabs-restart-1"><label for="tabs-restart-1">Kubernetes<\/label><div class="sc-tab-panel"><p>Run <code>kubectl rollout restart<\/code> and see <a href="\/runbooks\/runbooks\/postgres\/postgrestoomanyconnections\/#check">/);
  assert.doesNotMatch(tabs[1], /<p><input/);
});

test('columns, expand and button', async () => {
  const { page } = await build();
  assert.match(page, /<div class="sc-columns"><div class="sc-column"><p>Left <strong>side<\/strong><\/p><\/div><div class="sc-column"><p>Right side<\/p><\/div><\/div>/);
  assert.match(page, /<details class="sc-expand"><summary><span>Show the query<\/span><span class="sc-expand-marker" aria-hidden="true">↕<\/span><\/summary><div class="sc-body"><p>SELECT 1;<\/p><\/div><\/details>/);
  assert.match(page, /<a class="sc-button" href="https:\/\/grafana\.example\.com\/d\/pg" target="_blank" rel="noopener">Open <strong>Grafana<\/strong><\/a>/);
  assert.match(page, /<a class="sc-button" href="\/runbooks\/runbooks\/postgres\/postgrestoomanyconnections\/">Next<\/a>/);
});

test('mermaid: diagram source in a pre, the library from the site\'s own assets, once, only on pages with one', async () => {
  const { dir, page, other } = await build();
  assert.equal(count(page, /<pre tabindex="0" class="sc-mermaid">/), 2);
  assert.match(page, /<pre tabindex="0" class="sc-mermaid">graph LR\n {2}A\[Client\] --&gt; B\{Postgres\}<\/pre>/);
  const scripts = [...page.matchAll(/<script src="\/runbooks\/(assets\/mermaid[^"]+)" defer><\/script>/g)].map((m) => m[1]);
  assert.equal(scripts.length, 2, 'the library and its starter, once per page');
  const assets = await readdir(path.join(dir, 'dist/assets'));
  for (const script of scripts) assert.ok(assets.includes(path.basename(script)), `${script} is published`);
  const library = await readFile(path.join(dir, 'dist', scripts[0]), 'utf8');
  assert.ok(library.length > 1_000_000 && library.includes('mermaid'), 'the mermaid package\'s bundle');
  assert.doesNotMatch(page, /cdn|jsdelivr|unpkg/i);
  assert.doesNotMatch(other, /mermaid/);
});

test('a site\'s own shortcode: shortcodes/NAME.hbs with params, named args and inner content, escaping on', async () => {
  const { page } = await build();
  // {{< >}}: inner as written (HTML), named argument escaped.
  assert.match(page, /<aside class="oncall" data-team="db &amp; storage">\*\*bold\*\* <em>as is<\/em><span class="page">PostgresDown<\/span><\/aside>/);
  // {{% %}}: inner rendered as markdown, positional argument.
  assert.match(page, /<aside class="oncall" data-team=""><strong>Pager<\/strong> <p><strong>bold<\/strong><\/p><span class="page">PostgresDown<\/span><\/aside>/);
});

test('unknown shortcodes: the closest name, how to define one, and Hugo\'s Go-template shortcodes named', async () => {
  const dir = await copy();
  await writeFile(path.join(dir, 'runbooks/postgres/Unknown.md'), '# Unknown\n\n{{< hnit info >}}x{{< /hnit >}}\n\n{{< notice >}}y{{< /notice >}}\n\n{{< oncal >}}\n');
  const result = await runCli(['check', '--format', 'json'], dir);
  assert.equal(result.code, 1);
  const diagnostics = (JSON.parse(result.stdout) as { diagnostics: { file: string; line: number; column: number; ruleId: string; message: string }[] }).diagnostics.filter((d) => d.file.endsWith('Unknown.md'));
  const at = (line: number, column: number) => diagnostics.find((d) => d.line === line && d.column === column && d.ruleId === 'unknown-shortcode');
  assert.match(at(3, 1)!.message, /^Unexpected shortcode `hnit`; did you mean `hint`\?.*write `templates\/shortcodes\/hnit\.hbs`/);
  assert.match(at(5, 1)!.message, /`layouts\/shortcodes\/notice\.html` defines it for Hugo, but it is a Go template.*write it as `templates\/shortcodes\/notice\.hbs`/);
  assert.match(at(7, 1)!.message, /did you mean `oncall`\?/);
  // One message per mistake: a closing tag of an unknown shortcode is not a second one.
  assert.deepEqual(diagnostics.filter((d) => d.ruleId !== 'orphan-runbook').map((d) => `${d.line}:${d.column} ${d.ruleId}`), ['3:1 unknown-shortcode', '5:1 unknown-shortcode', '7:1 unknown-shortcode']);
});

test('stale rule shortcodes: the closest alert of that file, the file that defines it, the closest rule file', async () => {
  const dir = await copy();
  await writeFile(path.join(dir, 'rules/postgres/replica.yml'), 'groups:\n  - name: replica\n    rules:\n      - alert: PostgresReplicaLag\n        expr: pg_lag > 30\n');
  await writeFile(
    path.join(dir, 'runbooks/postgres/Stale.md'),
    [
      '# Stale',
      '',
      '{{% rule "postgres/postgres.yml" "PostgresDwn" %}}',
      '',
      '{{% rule "postgres/postgres.yml" "PostgresReplicaLag" %}}',
      '',
      '{{% rule "postgres/postgre.yml" "PostgresDown" %}}',
      '',
      '{{% rule "postgres/postgres.yml" "PostgresReplicaLg" %}}',
      '',
    ].join('\n'),
  );
  const result = await runCli(['check', '--format', 'json'], dir);
  const diagnostics = (JSON.parse(result.stdout) as { diagnostics: { file: string; line: number; ruleId: string; message: string }[] }).diagnostics.filter((d) => d.file.endsWith('Stale.md'));
  const on = (line: number) => diagnostics.find((d) => d.line === line)!;
  assert.equal(on(3).ruleId, 'alert-not-found');
  assert.match(on(3).message, /`PostgresDwn`: not defined in `postgres\/postgres\.yml`; did you mean `PostgresDown`\?/);
  assert.match(on(5).message, /it is defined in `postgres\/replica\.yml`: did you mean `\{\{% rule "postgres\/replica\.yml" "PostgresReplicaLag" %\}\}`\?/);
  assert.equal(on(7).ruleId, 'rule-file-not-found');
  assert.match(on(7).message, /no such file in the rules folder `rules`; did you mean `postgres\/postgres\.yml`\?/);
  assert.match(on(9).message, /did you mean `PostgresReplicaLag` in `postgres\/replica\.yml`\?/);
});

test('ref/relref: a missing page is an error at its place with the closest page; <<% %>> is {{% %}}; param not found', async () => {
  const dir = await copy();
  await writeFile(
    path.join(dir, 'runbooks/postgres/Refs.md'),
    [
      '# Refs',
      '',
      'See [it]({{< ref "PostgresDwn.md" >}}) and {{% relref "/runbooks/postgres/PostgresDown.md" %}}.',
      '',
      'Same: <<% relref "PostgresDown.md" %>>',
      '',
      'Owner: {{< param ownr >}}',
      '',
    ].join('\n'),
  );
  const check = await runCli(['check', '--format', 'json'], dir);
  assert.equal(check.code, 1);
  const diagnostics = (JSON.parse(check.stdout) as { diagnostics: { file: string; line: number; column: number; ruleId: string; message: string }[] }).diagnostics.filter((d) => d.file.endsWith('Refs.md') && d.ruleId !== 'orphan-runbook');
  assert.deepEqual(diagnostics.map((d) => `${d.line}:${d.column} ${d.ruleId}`), ['3:10 ref-not-found', '7:8 param-not-found']);
  assert.match(diagnostics[0].message, /`ref` target `PostgresDwn\.md`: no page has that file \(Hugo's REF_NOT_FOUND\); did you mean `PostgresDown\.md`\?/);
  await writeFile(path.join(dir, 'runbooks/postgres/Refs.md'), '# Refs\n\nA {{% relref "/runbooks/postgres/PostgresDown.md" %}} B <<% relref "PostgresDown.md" %>> C\n');
  const result = await runCli(['build', '--out', 'dist'], dir);
  assert.equal(result.code, 0, result.stdout);
  const page = await readFile(path.join(dir, 'dist/runbooks/postgres/refs/index.html'), 'utf8');
  assert.match(page, /<p>A \/runbooks\/runbooks\/postgres\/postgresdown\/ B \/runbooks\/runbooks\/postgres\/postgresdown\/ C<\/p>/);
});

test('a broken link inside a shortcode\'s inner content is reported at its line, in check and build alike', async () => {
  const dir = await copy();
  await writeFile(path.join(dir, 'runbooks/postgres/Inner.md'), '# Inner\n\n{{< hint info >}}\nSee [nothing](Nothing.md).\n{{< /hint >}}\n');
  for (const command of ['check', 'build']) {
    const result = await runCli([command, '--format', 'json', ...(command === 'build' ? ['--out', 'dist'] : [])], dir);
    const broken = (JSON.parse(result.stdout) as { diagnostics: { file: string; line: number; column: number; ruleId: string }[] }).diagnostics.filter((d) => d.file.endsWith('Inner.md') && d.ruleId !== 'orphan-runbook');
    assert.deepEqual(broken.map((d) => `${d.line}:${d.column} ${d.ruleId}`), ['4:5 broken-link'], command);
  }
});

test('links in a details summary and a figure caption are checked, reported at the shortcode; good ones are rewritten', async () => {
  const dir = await copy();
  await writeFile(
    path.join(dir, 'runbooks/postgres/Arguments.md'),
    '# Arguments\n\n{{< details summary="Read [the guide](Missing.md) first" >}}\nSteps.\n{{< /details >}}\n\n' +
      '{{< figure src="https://e.example/a.png" caption="From [the other runbook](PostgresTooManyConnections.md) and [nowhere](Gone.md)" >}}\n',
  );
  for (const command of ['check', 'build']) {
    const result = await runCli([command, '--format', 'json', ...(command === 'build' ? ['--out', 'dist', '--no-check'] : [])], dir);
    const problems = (JSON.parse(result.stdout) as { diagnostics: { file: string; line: number; column: number; ruleId: string; message: string }[] }).diagnostics.filter((d) => d.file.endsWith('Arguments.md') && d.ruleId !== 'orphan-runbook');
    assert.deepEqual(problems.map((d) => `${d.line}:${d.column} ${d.ruleId}`), ['3:1 broken-link', '7:1 broken-link'], `${command}: ${JSON.stringify(problems)}`);
    assert.match(problems[0].message, /Missing\.md/);
    assert.match(problems[1].message, /Gone\.md/);
  }
  const html = await readFile(path.join(dir, 'dist/runbooks/postgres/arguments/index.html'), 'utf8');
  assert.match(html, /<a href="\/runbooks\/runbooks\/postgres\/postgrestoomanyconnections\/">the other runbook<\/a>/);
});

test('shortcodes inside a shortcode\'s inner content: each one is rendered once, in its place', async () => {
  const dir = await copy();
  await writeFile(
    path.join(dir, 'runbooks/postgres/Nested.md'),
    '# Nested\n\nBefore {{< button href="https://e.example/one" >}}One {{</* x */>}}{{< /button >}} middle {{< button href="https://e.example/two" >}}Two{{< /button >}} end.\n',
  );
  const result = await runCli(['build', '--out', 'dist'], dir);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const html = await readFile(path.join(dir, 'dist/runbooks/postgres/nested/index.html'), 'utf8');
  const body = html.slice(html.indexOf('Before'), html.indexOf('end.') + 4);
  assert.equal(body.match(/e\.example\/one/g)?.length, 1, body);
  assert.equal(body.match(/e\.example\/two/g)?.length, 1, body);
  assert.ok(body.indexOf('e.example/one') < body.indexOf('middle') && body.indexOf('middle') < body.indexOf('e.example/two'), body);
});

test('with sanitize: true a site\'s own shortcode is cleaned like the author\'s HTML: its inner text is the contributor\'s', async () => {
  const dir = await copy();
  await writeFile(path.join(dir, 'runbook-site.yaml'), `${await readFile(path.join(dir, 'runbook-site.yaml'), 'utf8')}sanitize: true\n`);
  await writeFile(path.join(dir, 'runbooks/postgres/Hostile.md'), '# Hostile\n\n{{< oncall >}}<script>alert(5)</script><img src="https://e.example/y.png" onerror="alert(6)">{{< /oncall >}}\n');
  const result = await runCli(['build', '--out', 'dist'], dir);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const html = await readFile(path.join(dir, 'dist/runbooks/postgres/hostile/index.html'), 'utf8');
  const body = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
  assert.doesNotMatch(body, /alert\(5\)|onerror/);
  assert.match(body, /<span class="page">Hostile<\/span>/, 'the shortcode itself still renders');
});

test('headings inside shortcodes take ids the body has not: one id per element, the body\'s own unchanged, links to either checked', async () => {
  const dir = await copy();
  await writeFile(
    path.join(dir, 'runbooks/postgres/Repeats.md'),
    '---\ntitle: Repeats\n---\n\n## Steps\n\nSee [the hidden steps](#steps-2) and [the last](#steps-1).\n\n{{< details "More" >}}\n## Steps\n\nInner.\n{{< /details >}}\n\n{{< hint info >}}\n## Steps\n{{< /hint >}}\n\n## Steps\n\nBroken: [no such](#steps-4).\n',
  );
  const checked = await runCli(['check'], dir);
  assert.equal(checked.code, 1, checked.stdout + checked.stderr);
  const problems = checked.stdout.split('\n').filter((line) => line.startsWith('runbooks/postgres/Repeats.md'));
  assert.equal(problems.length, 1, checked.stdout);
  assert.match(problems[0], /#steps-4/);
  const file = path.join(dir, 'runbooks/postgres/Repeats.md');
  await writeFile(file, (await readFile(file, 'utf8')).replace('Broken: [no such](#steps-4).\n', ''));
  const result = await runCli(['build', '--out', 'dist'], dir);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const page = await readFile(path.join(dir, 'dist/runbooks/postgres/repeats/index.html'), 'utf8');
  const ids = [...page.matchAll(/<h2 id="([^"]+)"/g)].map((match) => match[1]);
  // The body's headings first in their order (as without the shortcodes), then the inner ones.
  assert.deepEqual(ids.sort(), ['steps', 'steps-1', 'steps-2', 'steps-3']);
  assert.match(page, /<h2 id="steps">[\s\S]*<details[\s\S]*<h2 id="steps-2">[\s\S]*<h2 id="steps-3">[\s\S]*<h2 id="steps-1">/);
});

test('figure src and link, button href: read as markdown images and links are (files next to the runbook, .md pages), and checked at the shortcode', async () => {
  const dir = await copy();
  await writeFile(path.join(dir, 'runbooks/postgres/graph.png'), 'PNG');
  const file = path.join(dir, 'runbooks/postgres/Pictures.md');
  const good = '---\ntitle: Pictures\n---\n\n{{< figure src="graph.png" link="PostgresDown.md" caption="See [the other](PostgresTooManyConnections.md)" >}}\n\n{{< button href="PostgresTooManyConnections.md#check" >}}Down{{< /button >}}\n';
  await writeFile(file, `${good}\n{{< figure src="missing.png" >}}\n\n{{< button href="Nowhere.md" >}}Nowhere{{< /button >}}\n`);
  const checked = await runCli(['check'], dir);
  assert.equal(checked.code, 1, checked.stdout + checked.stderr);
  const problems = checked.stdout.split('\n').filter((line) => line.startsWith('runbooks/postgres/Pictures.md'));
  assert.equal(problems.length, 2, checked.stdout);
  assert.match(problems[0], /^runbooks\/postgres\/Pictures\.md:9:1 {2}error {2}Unexpected image `missing\.png`.*\[missing-image\]$/);
  assert.match(problems[1], /^runbooks\/postgres\/Pictures\.md:11:1 {2}error {2}Unexpected link to `Nowhere\.md`.*\[broken-link\]$/);

  await writeFile(file, good);
  const result = await runCli(['build', '--out', 'dist'], dir);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const page = await readFile(path.join(dir, 'dist/runbooks/postgres/pictures/index.html'), 'utf8');
  assert.match(page, /<figure><a href="\/runbooks\/runbooks\/postgres\/postgresdown\/"><img src="\/runbooks\/runbooks\/postgres\/graph\.png"/);
  assert.match(page, /<a href="\/runbooks\/runbooks\/postgres\/postgrestoomanyconnections\/">the other<\/a>/);
  assert.match(page, /<a class="sc-button" href="\/runbooks\/runbooks\/postgres\/postgrestoomanyconnections\/#check">Down<\/a>/);
  assert.equal(await readFile(path.join(dir, 'dist/runbooks/postgres/graph.png'), 'utf8'), 'PNG', 'the image is published');
});

test('docsy\'s alert, pageinfo and tabpane, and geekdoc\'s hint title: a docsy site builds as written', async () => {
  const dir = await copy();
  await writeFile(
    path.join(dir, 'runbooks/postgres/Docsy.md'),
    [
      '---', 'title: Docsy', '---', '',
      '{{% alert title="Before you *start*" color="warning" %}}', 'Read [the other runbook](PostgresTooManyConnections.md).', '{{% /alert %}}', '',
      '{{% alert %}}', 'Plain note.', '{{% /alert %}}', '',
      '{{% pageinfo color="danger" %}}', 'Owned by **team A**.', '{{% /pageinfo %}}', '',
      '{{< tabpane lang="bash" >}}', '{{< tab header="Linux" >}}', 'systemctl restart postgresql && echo "<done>"', '{{< /tab >}}', '{{< tab header="SQL" lang="sql" >}}', 'SELECT 1;', '{{< /tab >}}', '{{< /tabpane >}}', '',
      '{{< tabpane text=true >}}', '{{% tab header="Why" %}}', 'Because **disk**.', '{{% /tab %}}', '{{< /tabpane >}}', '',
      '{{< hint type=caution title="Careful" >}}', 'Geekdoc.', '{{< /hint >}}', '',
      '{{< toc >}}', '', '## Steps', '', 'One.', '', '## Verify', '', 'Two.', '',
      '{{% alert color="purple" %}}', 'Odd colour.', '{{% /alert %}}', '',
    ].join('\n'),
  );
  const result = await runCli(['build', '--out', 'dist'], dir);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  // The one warning: a colour docsy does not have.
  const warnings = result.stdout.split('\n').filter((line) => line.includes(' warning '));
  assert.deepEqual(warnings.map((line) => line.replace(/\s+/g, ' ').split(' [')[0].split(' warning ')[0]), ['runbooks/postgres/Docsy.md:46:1']);
  assert.match(warnings[0], /Unexpected alert color `purple`, expected one of docsy's `primary`/);
  const page = await readFile(path.join(dir, 'dist/runbooks/postgres/docsy/index.html'), 'utf8');
  assert.match(page, /<div class="sc-hint sc-hint-warning" role="note"><span class="sr">Warning: <\/span><p class="sc-hint-title"><strong>Before you <em>start<\/em><\/strong><\/p><p>Read <a href="\/runbooks\/runbooks\/postgres\/postgrestoomanyconnections\/">the other runbook<\/a>\.<\/p><\/div>/);
  assert.match(page, /<div class="sc-hint sc-hint-info" role="note"><span class="sr">Note: <\/span><p>Plain note\.<\/p><\/div>/);
  assert.match(page, /<div class="sc-hint sc-hint-danger sc-pageinfo"><p>Owned by <strong>team A<\/strong>\.<\/p><\/div>/);
  // Code tabs, in the tab's language or the pane's, escaped and highlighted as fences are; a
  // text=true pane's tabs are markdown.
  assert.match(page, /<label for="tabs-tabpane-0">Linux<\/label><div class="sc-tab-panel"><pre tabindex="0"><code class="language-bash">systemctl restart postgresql &#x26;&#x26; <span class="hljs-built_in">echo<\/span> <span class="hljs-string">"&#x3C;done>"<\/span>\n<\/code><\/pre><\/div>/);
  assert.match(page, /<label for="tabs-tabpane-1">SQL<\/label><div class="sc-tab-panel"><pre tabindex="0"><code class="language-sql"><span class="hljs-keyword">SELECT<\/span> <span class="hljs-number">1<\/span>;\n<\/code><\/pre><\/div>/);
  assert.match(page, /<label for="tabs-tabpane-2-0">Why<\/label><div class="sc-tab-panel"><p>Because <strong>disk<\/strong>\.<\/p><\/div>/);
  assert.match(page, /<div class="sc-hint sc-hint-warning" role="note"><span class="sr">Warning: <\/span><p class="sc-hint-title"><strong>Careful<\/strong><\/p><p>Geekdoc\.<\/p><\/div>/);
  // `toc` adds nothing to the text: the layout's "On this page" is the table of contents, once.
  assert.equal(page.match(/aria-label="On this page"/g)?.length, 1);
  assert.match(page, /<div class="sc-hint sc-hint-warning" role="note"><span class="sr">Warning: <\/span><p class="sc-hint-title"><strong>Careful<\/strong><\/p><p>Geekdoc\.<\/p><\/div>\n*<h2 id="steps">/);
});

test('```mermaid fences are diagrams too, as GitHub draws them: the same pre as the shortcode, the scripts once for both', async () => {
  const dir = await copy();
  await writeFile(
    path.join(dir, 'runbooks/postgres/Flow.md'),
    '---\ntitle: Flow\n---\n\n```mermaid\ngraph LR\n  A[Alert] --> B{Up?}\n```\n\n{{< mermaid >}}\ngraph TD; X-->Y\n{{< /mermaid >}}\n\n```mermaid\nsequenceDiagram\n  A->>B: hi\n```\n\n`mermaid` in text, and a plain fence:\n\n```\nmermaid\n```\n',
  );
  const result = await runCli(['build', '--out', 'dist'], dir);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const page = await readFile(path.join(dir, 'dist/runbooks/postgres/flow/index.html'), 'utf8');
  assert.equal(count(page, /<pre tabindex="0" class="sc-mermaid">/), 3);
  assert.match(page, /<pre tabindex="0" class="sc-mermaid">graph LR\n {2}A\[Alert\] --> B\{Up\?\}<\/pre>/);
  assert.match(page, /<pre tabindex="0" class="sc-mermaid">sequenceDiagram\n {2}A->>B: hi<\/pre>/);
  assert.equal(count(page, /<script src="\/runbooks\/assets\/mermaid\.min\.[0-9a-f]+\.js" defer><\/script>/), 1);
  assert.equal(count(page, /<script src="\/runbooks\/assets\/mermaid-init\.[0-9a-f]+\.js" defer><\/script>/), 1);
  // A fence in another language stays code.
  assert.match(page, /<pre tabindex="0"><code>mermaid\n<\/code><\/pre>/);
});
