// renderPage and the theme on hand-made PageData: escaping, overrides, assets, badges, navigation.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTheme, renderPage, themeAssets, themeFingerprint, themeData, themeFromData, severityClass, type Theme } from '../src/render/index.js';
import type { PageData } from '../src/render/page-data.js';
import type { LoadedRule, ShortcodeToken } from '../src/model.js';

const TEMPLATES = path.resolve(import.meta.dirname, '../../templates');
const BASE = '/runbooks-site/';

function rule(overrides: Partial<LoadedRule> = {}): LoadedRule {
  return {
    kind: 'alert',
    name: 'HostDown',
    expr: 'up{job="node"} == 0',
    for: '5m',
    labels: { severity: 'critical', team: 'infra' },
    annotations: { summary: 'Host {{ $labels.instance }} is down <script>alert(1)</script>', description: 'line one\nline two {{ $value }}' },
    group: 'node',
    file: 'node/node.yml',
    position: { line: 3, column: 7 },
    yaml: 'alert: HostDown\nexpr: up{job="node"} == 0\nfor: 5m\nlabels:\n  severity: critical\n',
    ...overrides,
  };
}

function page(overrides: Partial<PageData> = {}): PageData {
  return {
    kind: 'runbook',
    url: 'runbooks/node/hostdown/',
    outputPath: 'runbooks/node/hostdown/index.html',
    title: 'HostDown',
    site: { title: 'Ops <Runbooks>', baseURL: 'https://example.org/runbooks-site/', basePath: BASE, sectionsUrl: 'runbooks/', version: '0.0.0-test' },
    frontMatter: {},
    rules: [rule()],
    tags: [],
    sections: [],
    sectionPages: [
      { title: 'HostDown', url: 'runbooks/node/hostdown/', current: true },
      { title: 'HostOutOfMemory', url: 'runbooks/node/hostoutofmemory/' },
    ],
    breadcrumbs: [
      { title: 'Home', url: '' },
      { title: 'Runbooks', url: 'runbooks/' },
      { title: 'node', url: 'runbooks/node/' },
    ],
    children: [],
    alertRows: [],
    ...overrides,
  };
}

function markdown(body: string, shortcodes: ShortcodeToken[] = [], embeds: NonNullable<PageData['markdown']>['embeds'] = []): PageData['markdown'] {
  return { body, file: 'runbooks/node/HostDown.md', shortcodes, embeds, startLine: 1 };
}

let themePromise: Promise<Theme> | undefined;
const defaultTheme = () => (themePromise ??= loadTheme({ defaultDir: TEMPLATES, basePath: BASE }));

test('rule text and annotations are escaped and Go templates are kept as text', async () => {
  const theme = await defaultTheme();
  const { html } = renderPage(page({ title: 'Host <down>' }), theme);
  assert.ok(!html.includes('<script>alert(1)</script>'), 'annotation HTML must be escaped');
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.match(html, /Host \{\{ \$labels\.instance \}\} is down/);
  assert.match(html, /line two \{\{ \$value \}\}/);
  assert.ok(html.includes('Ops &lt;Runbooks&gt;'), 'site title escaped');
  assert.ok(html.includes('Host &lt;down&gt;'), 'page title escaped');
  // The expression is highlighted at build time; its text is intact.
  const expr = /<code id="alert-hostdown-e">([\s\S]*?)<\/code>/.exec(html)?.[1] ?? '';
  assert.match(expr, /class="pq-/);
  assert.equal(expr.replace(/<[^>]*>/g, ''), 'up{job=&quot;node&quot;} == 0');
});

test('markdown body with Go template text and raw HTML in code stays text; the body h1 becomes the page heading', async () => {
  const theme = await defaultTheme();
  const body = '# HostDown\n\nInstance {{ $labels.instance }} is down.\n\n```\n<script>x()</script>\n```\n\n## Meaning\n\nA\n\n## Impact\n\nB\n\n## Mitigation\n\nC\n';
  const { html, headingIds, searchText } = renderPage(page({ markdown: markdown(body) }), theme);
  assert.match(html, /Instance \{\{ \$labels\.instance \}\} is down\./);
  assert.ok(!html.includes('<script>x()</script>'));
  assert.equal((html.match(/<h1[\s>]/g) ?? []).length, 1, 'one h1');
  assert.ok(headingIds.includes('meaning'));
  assert.match(html, /<nav class="toc"[^>]*>.*href="#meaning"/s, 'table of contents for three h2s');
  assert.match(searchText, /Mitigation/);
});

test('the lifted heading and the table of contents show heading text as written, and no id repeats', async () => {
  const theme = await defaultTheme();
  const body = '# A < B & C\n\n## Alert HostDown\n\n## x & y\n\n## z\n';
  const { html } = renderPage(page({ markdown: markdown(body) }), theme);
  // Escaped once by the template: not `&amp;#x3C;` (entities of the rendered body decoded first).
  assert.match(html, /<h1 id="a--b--c">A &lt; B &amp; C<\/h1>/);
  assert.match(html, /<a href="#x--y">x &amp; y<\/a>/);
  // The heading `Alert HostDown` keeps its id; the HostDown rule card takes the next one.
  assert.match(html, /<h2 id="alert-hostdown">Alert HostDown <a class="anchor" href="#alert-hostdown"/);
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids.filter((id, i) => ids.indexOf(id) !== i)}`);
});

test('no table of contents for short pages', async () => {
  const theme = await defaultTheme();
  const { html } = renderPage(page({ markdown: markdown('# T\n\n## One\n\nx\n\n## Two\n\ny\n') }), theme);
  assert.ok(!html.includes('class="toc"'));
});

test('rule shortcode embeds render the rule YAML under a stable, unique id', async () => {
  const theme = await defaultTheme();
  const source = '{{% rule "node/node.yml" "HostDown" %}}';
  const body = `Intro\n\n${source}\n\nAgain\n\n${source}\n`;
  const first = body.indexOf(source);
  const second = body.indexOf(source, first + 1);
  const token = (start: number): ShortcodeToken => ({ name: 'rule', args: ['node/node.yml', 'HostDown'], type: 'open', delimiter: '{{%', start, end: start + source.length, source });
  const { html } = renderPage(
    page({ markdown: markdown(body, [token(first), token(second)], [{ token: 0, rules: [rule()] }, { token: 1, rules: [rule()] }]) }),
    theme,
  );
  assert.match(html, /id="rule-node-node-hostdown"/);
  assert.match(html, /id="rule-node-node-hostdown-2"/);
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids.filter((id, i) => ids.indexOf(id) !== i)}`);
  // One rule, one place: the card at the top shows HostDown, so the embeds point at it instead of repeating the YAML.
  assert.equal(html.match(/<p class="rule-ref" id="rule-node-node-hostdown(-2)?">The rule <a href="#rs-rules">HostDown<\/a>/g)?.length, 2);
  assert.ok(!html.includes('id="rule-node-node-hostdown-c"'));
  assert.match(html, /<div class="rules" id="rs-rules">/);
  // The card keeps the YAML one click away (a details element), and its copy button uses it.
  const yamlText = (/<code id="alert-hostdown-y">([\s\S]*?)<\/code>/.exec(html)?.[1] ?? '').replace(/<[^>]+>/g, '').replace(/&quot;/g, '"');
  assert.match(yamlText, /^alert: HostDown\nexpr: up\{job="node"\} == 0/);
  assert.match(html, /<details class="yaml-src"><summary>Rule YAML<\/summary>/);
  assert.match(html, /data-copy="alert-hostdown-y">Copy rule YAML/);
  assert.ok(!html.includes('{{% rule'), 'no shortcode text left');

  // An embed of a rule the card does not show (another alert's) renders its YAML where it was written.
  const other = rule({ name: 'HostUp', yaml: 'alert: HostUp\nexpr: up == 1\n' });
  const again = renderPage(page({ markdown: markdown(body, [token(first), token(second)], [{ token: 0, rules: [other] }, { token: 1, rules: [other] }]) }), theme).html;
  assert.match(again, /<code id="rule-node-node-hostup-c">/);
  assert.match(again, /data-copy="rule-node-node-hostup-c">Copy<\/button>/);
  assert.ok(!again.includes('class="rule-ref"'));
});

test('severity badges: known values, unknown values and missing severity are styled distinctly', async () => {
  assert.equal(severityClass('critical'), 'sev-critical');
  assert.equal(severityClass('Warning'), 'sev-warning');
  assert.equal(severityClass('info'), 'sev-info');
  assert.equal(severityClass('page'), 'sev-other');
  assert.equal(severityClass(''), 'sev-none');
  const theme = await defaultTheme();
  const rules = [rule(), rule({ name: 'B', labels: { severity: 'warning' } }), rule({ name: 'C', labels: { severity: 'P1' } }), rule({ name: 'D', labels: {} })];
  const { html } = renderPage(page({ rules }), theme);
  assert.match(html, /<span class="sev sev-critical">critical<\/span>/);
  assert.match(html, /<span class="sev sev-warning">warning<\/span>/);
  assert.match(html, /<span class="sev sev-other">P1<\/span>/);
  assert.match(html, /<span class="sev sev-none">no severity<\/span>/);
});

test('assets are fingerprinted and referenced with the base path; themeAssets lists them', async () => {
  const theme = await defaultTheme();
  const { html } = renderPage(page(), theme);
  const css = html.match(/href="([^"]*style[^"]*\.css)"/)?.[1];
  assert.ok(css, 'stylesheet link');
  assert.match(css!, /^\/runbooks-site\/assets\/style\.[0-9a-f]{8}\.css$/);
  const assets = themeAssets(theme);
  assert.ok(assets.some((asset) => BASE + asset.path === css));
  const mini = assets.find((asset) => asset.path.startsWith('assets/minisearch.'));
  assert.ok(mini && mini.content.length > 10_000, 'MiniSearch browser build shipped from node_modules');
  assert.ok(html.includes(`data-lib="${BASE}${mini!.path}"`));
  for (const href of html.matchAll(/(?:href|src)="(\/[^"]*)"/g)) assert.ok(href[1].startsWith(BASE), `${href[1]} has the base path`);
  assert.match(themeFingerprint(theme), /^[0-9a-f]{64}$/);
});

test('the theme rebuilds from plain data (worker threads) with the same fingerprint and output', async () => {
  const theme = await defaultTheme();
  const data = structuredClone(themeData(theme));
  const again = themeFromData(data);
  assert.equal(themeFingerprint(again), themeFingerprint(theme));
  assert.equal(renderPage(page(), again).html, renderPage(page(), theme).html);
});

test('a user folder overrides a partial and a layout by file name', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'rs-theme-'));
  await mkdir(path.join(dir, 'partials'));
  await writeFile(path.join(dir, 'partials', 'footer.hbs'), '<footer class="custom">Custom footer for {{site.title}}</footer>');
  await writeFile(path.join(dir, 'tags.hbs'), '{{#> base}}{{#*inline "main"}}<h1>My tags</h1>{{/inline}}{{/base}}');
  const theme = await loadTheme({ defaultDir: TEMPLATES, overrideDir: dir, basePath: BASE });
  const { html } = renderPage(page(), theme);
  assert.match(html, /<footer class="custom">Custom footer for Ops &lt;Runbooks&gt;<\/footer>/);
  const tags = renderPage(page({ kind: 'tags', url: 'tags/', outputPath: 'tags/index.html', rules: [] }), theme);
  assert.match(tags.html, /<h1>My tags<\/h1>/);
  assert.notEqual(themeFingerprint(theme), themeFingerprint(await defaultTheme()));
});

test('navigation: the current section and a link to all sections, never the whole tree', async () => {
  const theme = await defaultTheme();
  const { html } = renderPage(page(), theme);
  const nav = html.match(/<nav class="side"[\s\S]*?<\/nav>/)?.[0] ?? '';
  const hrefs = [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
  // Links within the site are relative to the page (shorter); resolved they are the three expected pages.
  const resolved = hrefs.map((href) => new URL(href, 'https://example.org' + BASE + 'runbooks/node/hostdown/').pathname);
  assert.deepEqual(resolved.sort(), [BASE + 'runbooks/', BASE + 'runbooks/node/hostdown/', BASE + 'runbooks/node/hostoutofmemory/'].sort());
  assert.match(nav, /href="\.\/" aria-current="page"/);
  assert.match(nav, /<a href="\.\.\/\.\.\/">All sections<\/a>/);
  // Pages outside any section (home, alerts, tags, 404) list the sections themselves.
  const sections = [{ title: 'node', url: 'runbooks/node/' }, { title: 'mysql', url: 'runbooks/mysql/' }];
  const alerts = renderPage(page({ kind: 'alerts', url: 'alerts/', outputPath: 'alerts/index.html', rules: [], sectionPages: [], sections }), theme).html;
  assert.match(alerts, /<details class="all" open><summary>All sections <span class="n">2<\/span><\/summary>\n<ul><li><a href="\.\.\/runbooks\/node\/">node<\/a><\/li>/);
  assert.match(html, /<nav class="crumbs" aria-label="Breadcrumb">/);
});

test('big sections: the sidebar shows the window it is given and links the whole section', async () => {
  const theme = await defaultTheme();
  // The link stage chooses the window (see link.test.ts); the theme shows it and says what is left out.
  const sectionPages = Array.from({ length: 25 }, (_, i) => ({ title: `P${i + 138}`, url: `runbooks/node/p${i + 138}/`, current: i + 138 === 150 }));
  const { html } = renderPage(page({ url: 'runbooks/node/p150/', sectionPages, sectionPagesHidden: 275 }), theme);
  const nav = html.match(/<nav class="side"[\s\S]*?<\/nav>/)?.[0] ?? '';
  assert.ok(nav.includes('>P150</a>') && nav.includes('>P140</a>') && !nav.includes('>P100</a>'));
  assert.match(nav, /All pages in node<\/a> <span class="n">\+275<\/span>/);
});

test('the 404 page links absolutely (it is served at any address)', async () => {
  const theme = await defaultTheme();
  const { html } = renderPage(page({ kind: '404', url: '404.html', outputPath: '404.html', rules: [], sectionPages: [], breadcrumbs: [] }), theme);
  for (const href of html.matchAll(/(?:href|src)="([^"#]*)"/g)) assert.match(href[1], /^(\/runbooks-site\/|https:)/, href[1]);
});

test('rule card: copy buttons, source link, Prometheus and Grafana links when configured', async () => {
  const theme = await defaultTheme();
  const site = { ...page().site, prometheusURL: 'https://prom.example.org/', grafanaURL: 'https://grafana.example.org' };
  const raw = renderPage(page({ site, ruleSourceUrls: { 'node/node.yml': 'https://github.com/o/r/blob/main/rules/node/node.yml' } }), theme).html;
  // Attribute values are entity-escaped by Handlebars (`=` → `&#x3D;`); compare decoded.
  const html = raw.replace(/&#x3D;/g, '=');
  // The expression button copies the expression as written in the rule file.
  assert.match(html, /data-copy-text="up\{job=&quot;node&quot;\} == 0">Copy expression/);
  assert.match(html, /data-copy="alert-hostdown-y"/);
  assert.match(html, /<code id="alert-hostdown-y">/);
  assert.ok(html.includes('href="https://prom.example.org/graph?g0.expr=up%7Bjob%3D%22node%22%7D%20%3D%3D%200&amp;g0.tab=0"'));
  assert.ok(html.includes('href="https://grafana.example.org/explore?left='));
  // The source link points at the rule's lines, as GitHub writes them.
  assert.match(html, /<a href="https:\/\/github.com\/o\/r\/blob\/main\/rules\/node\/node.yml#L\d+(-L\d+)?">node\/node.yml<\/a>/);
  assert.match(html, /for 5m/);
  const plain = renderPage(page(), theme).html;
  assert.ok(!plain.includes('Open in Prometheus'));
});

test('alerts page lists every alert with severity, group, file and runbook link or "missing"', async () => {
  const theme = await defaultTheme();
  const { html } = renderPage(
    page({
      kind: 'alerts',
      url: 'alerts/',
      outputPath: 'alerts/index.html',
      title: 'Alerts',
      rules: [],
      sectionPages: [],
      alertRows: [
        { name: 'HostDown', severity: 'critical', group: 'node', file: 'node/node.yml', runbookUrl: 'runbooks/node/hostdown/' },
        { name: 'Orphan<b>', severity: 'weird', group: 'g', file: 'x.yml' },
      ],
      stats: { runbooks: 1, alerts: 2, alertsWithRunbook: 1, sections: 1 },
    }),
    theme,
  );
  // Names break only between their words (<wbr>).
  assert.match(html, /<tr data-sev="critical"><th scope="row">(<a href="[^"]*">)?Host<wbr>Down(<\/a>)?<\/th>/);
  assert.match(html, /href="\.\.\/runbooks\/node\/hostdown\/">Runbook<\/a>/);
  assert.match(html, /Orphan&lt;b&gt;/);
  assert.match(html, /<span class="missing">missing<\/span>/);
  assert.match(html, /<option value="weird">weird \(1\)<\/option>/);
  assert.match(html, /50%/);
});

test('every page kind renders with landmarks and a skip link', async () => {
  const theme = await defaultTheme();
  for (const kind of ['home', 'section', 'runbook', 'alerts', 'tag', 'tags', '404'] as const) {
    const { html } = renderPage(page({ kind, children: [{ title: 'x', url: 'runbooks/x/', count: 1 }] }), theme);
    assert.match(html, /<a class="skip" href="#rs-main">/, kind);
    assert.match(html, /<main id="rs-main"/, kind);
    assert.match(html, /<header class="top">/, kind);
    assert.match(html, /<html lang="en">/, kind);
  }
});

test('one rounding rule for coverage: the home page, the alerts page and the CLI say 90.9 % for 1000 of 1100', async () => {
  const { coveragePercent } = await import('../src/report/percent.js');
  assert.deepEqual([coveragePercent(1000, 1100), coveragePercent(29, 100), coveragePercent(1, 3), coveragePercent(5, 5), coveragePercent(0, 0)], [90.9, 29, 33.3, 100, 100]);
  const theme = await defaultTheme();
  const stats = { runbooks: 1000, alerts: 1100, alertsWithRunbook: 1000, sections: 3 };
  const home = renderPage(page({ kind: 'home', url: '', outputPath: 'index.html', rules: [], stats }), theme).html;
  const alerts = renderPage(page({ kind: 'alerts', url: 'alerts/', outputPath: 'alerts/index.html', rules: [], alertRows: [], stats }), theme).html;
  assert.match(home, /<b>90\.9%<\/b> of alerts have a runbook/);
  assert.match(alerts, /\(90\.9%\)/);
});

test('names wrap only between their words: <wbr> at camel case and after _ - . : /', async () => {
  const { breakableName } = await import('../src/render/theme.js');
  assert.equal(breakableName('HaproxyHighHttp4xxErrorRateBackend'), 'Haproxy<wbr>High<wbr>Http4xx<wbr>Error<wbr>Rate<wbr>Backend');
  assert.equal(breakableName('KubeAPIErrorsHigh'), 'Kube<wbr>API<wbr>Errors<wbr>High');
  assert.equal(breakableName('node_filesystem-x/y.yml'), 'node_<wbr>filesystem-<wbr>x/<wbr>y.<wbr>yml');
  assert.equal(breakableName('A<b>'), 'A&lt;b&gt;');
});
