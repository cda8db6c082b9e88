import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderMarkdown } from '../src/markdown/render.js';
import { hugoAnchor, createIdFactory } from '../src/markdown/heading-ids.js';
import { tokenizeShortcodes } from '../src/shortcodes/tokenize.js';
import type { ShortcodeToken } from '../src/model.js';

// Compiled to lib/test/, fixtures stay in test/fixtures/.
const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../test/fixtures/markdown/${name}`, import.meta.url)), 'utf8');

const EMBED = '<div class="rule-embed">RULE</div>';

function render(markdown: string, extra: { resolveLink?: (href: string) => string | undefined; startLine?: number; renderEmbed?: (i: number, t: ShortcodeToken[]) => string } = {}) {
  const { tokens } = tokenizeShortcodes(markdown);
  return renderMarkdown(markdown, {
    shortcodes: tokens,
    renderEmbed: (i) => (extra.renderEmbed ? extra.renderEmbed(i, tokens) : EMBED),
    resolveLink: extra.resolveLink,
    startLine: extra.startLine,
  });
}

/** The heading HTML without the permalink the theme adds after each heading's text. */
function withoutPermalinks(html: string): string {
  return html.replace(/ <a class="anchor" href="#[^"]*" aria-label="[^"]*">#<\/a>/g, '');
}

test('headings h2–h6 get a permalink to themselves, labelled with their text; h1 and id-less ones do not', () => {
  const out = render('# Top\n\n## Check the pods\n\n#### Deep\n\ntext\n');
  assert.match(out.html, /<h2 id="check-the-pods">Check the pods <a class="anchor" href="#check-the-pods" aria-label="Link to this section: Check the pods">#<\/a><\/h2>/);
  assert.match(out.html, /<h4 id="deep">Deep <a class="anchor" href="#deep"/);
  assert.doesNotMatch(out.html, /<h1[^>]*>[^<]*<a class="anchor"/);
  // The collected text (table of contents, search) has no `#`.
  assert.deepEqual(out.headings.map((h) => h.text), ['Top', 'Check the pods', 'Deep']);
});

test('code blocks are highlighted at build time in the languages runbooks use; unknown languages stay plain', () => {
  const fence = (lang: string, code: string) => '```' + lang + '\n' + code + '\n```\n';
  const md = [
    fence('sh', 'kubectl get pods -n "$NS" # list'),
    fence('yaml', 'groups:\n  - name: x'),
    fence('sql', 'SELECT count(*) FROM pg_stat_activity;'),
    fence('promql', 'rate(http_requests_total{code="500"}[5m]) > 0'),
    fence('hcl', 'resource "aws_instance" "web" {\n  ami = "ami-1"\n}'),
    fence('toml', '[server]\nport = 8080'),
    fence('diff', '-old\n+new'),
    fence('dockerfile', 'FROM alpine:3\nRUN apk add curl'),
    fence('go', 'func main() {}'),
    fence('python', 'def f(): return 1'),
    fence('json', '{"a": 1}'),
    fence('console', '$ df -h'),
    fence('brainfuck', '+[-->-[>>+>-----<<]<--<---]'),
  ].join('\n');
  const html = render(md).html;
  const blocks = [...html.matchAll(/<pre><code class="language-([\w-]+)">([\s\S]*?)<\/code><\/pre>/g)].map((m) => [m[1], m[2]] as const);
  assert.equal(blocks.length, 13);
  for (const [lang, body] of blocks) {
    if (lang === 'brainfuck') assert.doesNotMatch(body, /<span/, 'unknown language left plain');
    else assert.match(body, /<span class="(hljs|pq)-/, `${lang} highlighted`);
  }
  assert.match(html, /<span class="pq-metric">http_requests_total<\/span>/);
  // Highlighting adds markup, never text: the code reads exactly as written.
  const text = (body: string) => body.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&#x3C;/g, '<').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  assert.equal(text(blocks[0][1]), 'kubectl get pods -n "$NS" # list\n');
});

test('render: an embed inside <details> is replaced by the embed HTML, the comment is gone', () => {
  const out = render(fixture('details-embed.md'), { renderEmbed: (i, t) => `<div class="rule-embed">${t[i].args[1]}</div>` });
  assert.match(out.html, /<summary>Alert Rule<\/summary>\n<div class="rule-embed">HaproxyDown<\/div>\n<\/details>/);
  assert.ok(!out.html.includes('<p><div'), 'the embed is not wrapped in a paragraph');
  assert.ok(!out.html.includes('\uE000'));
  assert.ok(!out.html.includes('comment'));
  assert.ok(!out.html.includes('alert: HaproxyDown'));
  assert.deepEqual(out.problems, []);
});

test('render: Go template text is kept verbatim', () => {
  const out = render(fixture('details-embed.md'));
  assert.ok(out.html.includes('HAProxy down (instance {{ $labels.instance }}), value {{ $value }}.'));
  assert.ok(out.html.includes('<code>{{ $labels.fqdn }}</code> and {{ $labels.fqdn }} and'));
  assert.ok(out.text.includes('{{ $labels.fqdn }}'));
});

test('render: an inline embed splits the text; embeds in link URLs keep the shortcode text', () => {
  const out = render('Before {{< rule "f.yml" "A" >}} after.\n\n[x]({{% rule "u" %}})');
  assert.ok(out.html.includes(`<p>Before ${EMBED} after.</p>`));
  assert.ok(out.html.includes('<a href="%7B%7B%25%20rule%20%22u%22%20%25%7D%7D">x</a>'));
});

test('render: definition lists as in the SNMP trap runbooks', () => {
  const out = render('### Definitions \n\n\n**schedLastFailure** \n: The most recent error\nthat occurred.\n\n**schedLastFailed** \n: The date and time.\n');
  assert.match(out.html, /<dl>\n<dt><strong>schedLastFailure<\/strong><\/dt>\n<dd>The most recent error\nthat occurred.\n?<\/dd>/);
  assert.match(out.html, /<dt><strong>schedLastFailed<\/strong><\/dt>\n<dd>The date and time.\n?<\/dd>\n<\/dl>/);
});

test('render: GFM tables, strikethrough, task lists and autolinks', () => {
  const out = render('| a | b |\n|---|:-:|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n- [ ] todo\n\nsee https://example.com/x.\n');
  assert.match(out.html, /<table>\s*<thead>\s*<tr>\s*<th>a<\/th>\s*<th align="center">b<\/th>/);
  assert.match(out.html, /<td>1<\/td>/);
  assert.ok(out.html.includes('<del>old</del>'));
  assert.match(out.html, /<input type="checkbox" checked disabled> done/);
  assert.ok(out.html.includes('<a href="https://example.com/x">https://example.com/x</a>.'));
});

test('render: heading ids follow Hugo 0.111, unique per page', () => {
  const out = render([
    '# DISMAN-SCHEDULE-MIB::schedActionFailure ',
    '## How to contribute?',
    '## Meaning', '## Meaning', '## Meaning-1', '## Meaning',
    '### **9. NatsHighJetstreamMemoryUsage**',
    '## Foo & bar', '## `code` here_x', '## Ünïcödé Straße', '## [link](http://x) text', '## C++ / C#', '## trailing ##', '## ',
  ].join('\n'));
  const expected = [
    'disman-schedule-mibschedactionfailure', 'how-to-contribute', 'meaning', 'meaning-1', 'meaning-1-1', 'meaning-2',
    '9-natshighjetstreammemoryusage', 'foo--bar', 'code-here_x', 'ünïcödé-straße', 'linkhttpx-text', 'c--c', 'trailing', 'heading',
  ];
  assert.deepEqual(out.headingIds, expected);
  assert.ok(withoutPermalinks(out.html).includes('<h2 id="meaning-2">Meaning</h2>'));
  // No state between calls: the same headings give the same ids again.
  assert.deepEqual(render('## Meaning\n## Meaning').headingIds, ['meaning', 'meaning-1']);
  assert.equal(hugoAnchor('  A_b-c d!  '), 'a_b-c-d');
  const next = createIdFactory();
  assert.deepEqual([next('x'), next('x'), next('')], ['x', 'x-1', 'heading']);
});

test('render: links with file positions, after front matter and shortened shortcodes', () => {
  const markdown = 'Intro {{% rule "some/long/path.yml" "Alert" %}} then [a](http://a.example/).\n\n{{% comment %}}\n[hidden](x.md)\n{{% /comment %}}\n  * [b](../b/B.md#frag) and <https://c.example>\n';
  const out = render(markdown, { startLine: 10, resolveLink: (href) => (href.startsWith('../b/B.md') ? '/site/runbooks/b/b/' : undefined) });
  assert.deepEqual(out.links, [
    { href: 'http://a.example/', line: 10, column: markdown.indexOf('[a]') + 1 },
    { href: '../b/B.md#frag', line: 15, column: 5 },
    { href: 'https://c.example', line: 15, column: 29 },
  ]);
  assert.ok(out.html.includes('<a href="/site/runbooks/b/b/#frag">b</a>'));
  assert.ok(out.html.includes('<a href="http://a.example/">a</a>'));
});

test('render: relative .md links are rewritten only when resolveLink returns a URL', () => {
  const out = render('[a](a.md) [b](b.md#x) [c](https://x.example/c.md) [d](d.md)', {
    resolveLink: (href) => ({ 'a.md': '/r/a/', 'b.md#x': '/r/b/#x' } as Record<string, string>)[href],
  });
  assert.ok(out.html.includes('<a href="/r/a/">a</a>'));
  assert.ok(out.html.includes('<a href="/r/b/#x">b</a>'));
  assert.ok(out.html.includes('<a href="https://x.example/c.md">c</a>'));
  assert.ok(out.html.includes('<a href="d.md">d</a>'));
});

test('render: escaped shortcodes are literal text, in text and in HTML', () => {
  const out = render('Write {{</* rule "file.yml" "Alert" */>}} to embed.\n\n<div title="x">{{%/* comment */%}}</div>\n');
  assert.ok(out.html.includes('<p>Write {{&#x3C; rule "file.yml" "Alert" >}} to embed.</p>'));
  assert.ok(out.html.includes('<div title="x">{{% comment %}}</div>'));
  assert.ok(out.text.includes('Write {{< rule "file.yml" "Alert" >}} to embed.'));
});

test('render: unknown shortcodes and shortcodes in code stay as written', () => {
  const out = render('{{< unknown "x" >}}\n\n```\n{{% rule "a" "b" %}}\n```\n');
  assert.ok(out.html.includes('<p>{{&#x3C; unknown "x" >}}</p>'));
  assert.ok(out.html.includes('<pre><code>{{% rule "a" "b" %}}\n</code></pre>'));
});

test('render: comment problems are returned with offsets into the body', () => {
  const out = render('a\n\n{{% comment %}}\nnever closed\n');
  assert.deepEqual(out.problems.map((p) => [p.ruleId, p.start, p.end]), [['shortcode-unclosed', 3, 18]]);
});

test('render: plain text for search is whitespace-collapsed and block-separated', () => {
  const out = render('# Title\n\nOne  *two*\nthree.\n\n- a\n- b\n\n<details><summary>S</summary>\n\n{{% rule "f" "A" %}}\n\n</details>\n');
  assert.equal(out.text, 'Title One two three. a b');
});

test("heading attributes as in Hugo: {#id .class} set the id and class and are not shown; other attributes are dropped", () => {
  const md = [
    '## Restart the pods {#restart .important}',
    '## Use {placeholder}',
    '## Click {onclick="alert(1)" #x}',
    '## Restart',
    'Text {#not-a-heading}',
    '## Two classes {.a .b}',
    '## Bad {#id junk',
  ].join('\n\n');
  const out = render(md);
  // The expected HTML is what Hugo 0.111 (goldmark) writes for the same markdown (our permalinks aside).
  assert.equal(
    withoutPermalinks(out.html),
    [
      '<h2 id="restart" class="important">Restart the pods</h2>',
      '<h2 id="use-placeholder">Use {placeholder}</h2>',
      '<h2 id="x">Click</h2>',
      '<h2 id="restart-1">Restart</h2>',
      '<p>Text {#not-a-heading}</p>',
      '<h2 class="a b" id="two-classes">Two classes</h2>',
      '<h2 id="bad-id-junk">Bad {#id junk</h2>',
    ].join('\n'),
  );
  assert.deepEqual(out.headingIds, ['restart', 'use-placeholder', 'x', 'restart-1', 'two-classes', 'bad-id-junk']);
});
