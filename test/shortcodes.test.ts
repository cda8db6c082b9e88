import test from 'node:test';
import assert from 'node:assert/strict';
import { tokenizeShortcodes, escapedShortcodeText } from '../src/shortcodes/tokenize.js';
import { expandShortcodes, originalOffset, placeholderId } from '../src/shortcodes/expand.js';
import type { ShortcodeToken } from '../src/model.js';
import { planShortcodes } from '../src/shortcodes/plan.js';
import { builtinShortcode } from '../src/shortcodes/registry.js';

const brief = (tokens: ShortcodeToken[]) => tokens.map((t) => `${t.type}:${t.name}${t.args.length ? ' ' + JSON.stringify(t.args) : ''}`);
/** Expansion as the render stage does it: pairing by the registry, then expansion. */
function expandAll(text: string, tokens: ShortcodeToken[]) {
  const plan = planShortcodes(tokens, builtinShortcode);
  return { ...expandShortcodes(text, tokens, plan), problems: plan.problems };
}

test('tokenizer: the three delimiter styles are equivalent', () => {
  for (const [open, close] of [['{{%', '%}}'], ['{{<', '>}}'], ['<<%', '%>>']] as const) {
    const text = `x ${open} rule "haproxy/haproxy-exporter-v1.yml" "HaproxyDown" ${close} y`;
    const { tokens, problems } = tokenizeShortcodes(text);
    assert.deepEqual(problems, []);
    assert.equal(tokens.length, 1);
    const token = tokens[0];
    assert.deepEqual(
      { name: token.name, args: token.args, type: token.type, delimiter: token.delimiter },
      { name: 'rule', args: ['haproxy/haproxy-exporter-v1.yml', 'HaproxyDown'], type: 'open', delimiter: open },
    );
    assert.equal(token.start, 2);
    assert.equal(token.end, text.length - 2);
    assert.equal(token.source, text.slice(2, -2));
  }
});

test('tokenizer: closing forms in every delimiter style, with and without spaces', () => {
  const text = '{{% /comment %}}{{< /comment >}}<<% /comment %>>{{%/comment%}}';
  const { tokens, problems } = tokenizeShortcodes(text);
  assert.deepEqual(problems, []);
  assert.deepEqual(brief(tokens), ['close:comment', 'close:comment', 'close:comment', 'close:comment']);
  assert.deepEqual(tokens.map((t) => [t.start, t.end]), [[0, 16], [16, 32], [32, 48], [48, 62]]);
  assert.deepEqual(tokens.map((t) => t.delimiter), ['{{%', '{{<', '<<%', '{{%']);
});

test('tokenizer: Hugo escapes are type escaped and render without the comment markers', () => {
  const text = 'Write {{</* rule "a" "b" */>}} or {{%/* comment */%}} or <<%/* /comment */%>>.';
  const { tokens, problems } = tokenizeShortcodes(text);
  assert.deepEqual(problems, []);
  assert.deepEqual(brief(tokens), ['escaped:rule ["a","b"]', 'escaped:comment', 'escaped:comment']);
  assert.equal(tokens[0].source, '{{</* rule "a" "b" */>}}');
  assert.equal(escapedShortcodeText(tokens[0]), '{{< rule "a" "b" >}}');
  assert.equal(escapedShortcodeText(tokens[1]), '{{% comment %}}');
  assert.equal(escapedShortcodeText(tokens[2]), '<<% /comment %>>');
});

test('tokenizer: arguments with spaces, escapes, raw strings, bare words and named args', () => {
  const text = '{{< x "a b" "say \\"hi\\"\\\\" `raw \\n "q"` bare key="v w" k2=v2 `multi\nline` >}}';
  const { tokens, problems } = tokenizeShortcodes(text);
  assert.deepEqual(problems, []);
  assert.deepEqual(tokens[0].args, ['a b', 'say "hi"\\', 'raw \\n "q"', 'bare', 'multi\nline']);
  assert.deepEqual(tokens[0].named, { key: 'v w', k2: 'v2' });
  assert.equal(tokens[0].end, text.length);
});

test('tokenizer: a shortcode may span lines of one paragraph', () => {
  const text = 'a\n{{% rule\n  "f.yml"\n  "A" %}}\nb';
  const { tokens } = tokenizeShortcodes(text);
  assert.deepEqual(brief(tokens), ['open:rule ["f.yml","A"]']);
  assert.equal(tokens[0].start, 2);
});

test('tokenizer: shortcodes in fenced code are left alone (backticks, tildes, lists, block quotes)', () => {
  const text = [
    '```yaml',
    '{{% rule "a" "b" %}}',
    '```',
    '~~~~',
    '{{% rule "c" %}}',
    '~~~ still code (shorter fence)',
    '```',
    '~~~~',
    '1. Step',
    '',
    '   ```sh',
    '   {{% rule "in-list" %}}',
    '   ```',
    '   {{% after-list-fence %}}',
    '',
    '> ```',
    '> {{% quoted %}}',
    '> ```',
    '> {{% after-quote-fence %}}',
    '',
    '  ```',
    '  {{% indented-fence %}}',
    '    ```',
    '   ```',
    '{{% outside %}}',
  ].join('\n');
  const { tokens, problems } = tokenizeShortcodes(text);
  assert.deepEqual(problems, []);
  assert.deepEqual(brief(tokens), ['open:after-list-fence', 'open:after-quote-fence', 'open:outside']);
});

test('tokenizer: a fence inside a block quote or list item ends with its container', () => {
  const text = '> ```\n> {{% in %}}\n\n{{% out %}}\n\n- ```\n  {{% in2 %}}\n\nnot in the list {{% out2 %}}';
  assert.deepEqual(brief(tokenizeShortcodes(text).tokens), ['open:out', 'open:out2']);
});

test('tokenizer: shortcodes in indented code and code spans are left alone', () => {
  const text = [
    'Para:',
    '    {{% lazy-continuation %}}',
    '',
    '    {{% indented-code %}}',
    '',
    'Use `{{% rule "a" %}}` or ``{{< x `y` >}}`` but \\`{{% escaped-tick %}}` and ` unmatched {{% real %}}',
  ].join('\n');
  const { tokens } = tokenizeShortcodes(text);
  assert.deepEqual(brief(tokens), ['open:lazy-continuation', 'open:escaped-tick', 'open:real']);
});

test('tokenizer: Go template text and lone delimiters are neither tokens nor problems', () => {
  const text = 'summary: {{ $labels.instance }} value {{ $value }} {{ printf "%.2f" $value }} {{ a << b %% c {{< $x >}} {{%';
  assert.deepEqual(tokenizeShortcodes(text), { tokens: [], problems: [] });
  assert.deepEqual(tokenizeShortcodes('no shortcodes here at all'), { tokens: [], problems: [] });
});

test('tokenizer: unterminated shortcodes are problems and the text stays as written', () => {
  const text = 'A {{% rule "x"\nstill para\n\n{{< rule "y" %}}\n\n<<%/* rule */ %>>\n\n{{% rule "open string %}}';
  const { tokens, problems } = tokenizeShortcodes(text);
  assert.deepEqual(tokens, []);
  assert.deepEqual(problems.map((p) => p.ruleId), ['shortcode-unterminated', 'shortcode-unterminated', 'shortcode-unterminated', 'shortcode-unterminated']);
  assert.equal(problems[0].message, 'Unexpected end of shortcode, expected `%}}`');
  assert.deepEqual([problems[0].start, problems[0].end], [2, 25]);
  assert.equal(problems[1].message, 'Unexpected end of shortcode, expected `>}}`');
  assert.equal(problems[2].message, 'Unexpected end of shortcode, expected `*/%>>`');
  assert.equal(problems[3].message, 'Unexpected end of shortcode, expected `"` to close the string');
  // Scanning goes on after a problem.
  const next = tokenizeShortcodes('{{% a "x\n\n{{% b %}}');
  assert.deepEqual(brief(next.tokens), ['open:b']);
  assert.equal(next.problems.length, 1);
});

test('tokenizer: arguments glued to the name are malformed', () => {
  const { tokens, problems } = tokenizeShortcodes('{{% rule"x" %}}');
  assert.deepEqual(tokens, []);
  assert.deepEqual(problems.map((p) => p.ruleId), ['shortcode-malformed']);
});

test('tokenizer: CRLF line endings', () => {
  const text = '```\r\n{{% no %}}\r\n```\r\n{{% yes %}}\r\n';
  const { tokens } = tokenizeShortcodes(text);
  assert.deepEqual(brief(tokens), ['open:yes']);
  assert.equal(text.slice(tokens[0].start, tokens[0].end), '{{% yes %}}');
});

test('expand: a comment holding a fenced yaml block is removed, lines kept', () => {
  const text = [
    '<details>',
    '  <summary>Alert Rule</summary>',
    '',
    '{{% rule "haproxy/haproxy-exporter-v1.yml" "HaproxyDown" %}}',
    '',
    '{{% comment %}}',
    '',
    '```yaml',
    'alert: HaproxyDown',
    '    summary: HAProxy down (instance {{ $labels.instance }})',
    '```',
    '',
    '{{% /comment %}}',
    '',
    '</details>',
    '## After',
  ].join('\n');
  const { tokens } = tokenizeShortcodes(text);
  assert.deepEqual(brief(tokens), ['open:rule ["haproxy/haproxy-exporter-v1.yml","HaproxyDown"]', 'open:comment', 'close:comment']);
  const out = expandAll(text, tokens);
  assert.deepEqual(out.problems, []);
  assert.equal(out.placeholders.length, 1);
  assert.deepEqual(out.placeholders[0], { id: placeholderId(0), token: 0, kind: 'embed', text: tokens[0].source });
  assert.equal(out.markdown.split('\n').length, text.split('\n').length);
  assert.ok(!out.markdown.includes('HaproxyDown\n'));
  assert.ok(!out.markdown.includes('comment'));
  assert.ok(!out.markdown.includes('$labels'));
  assert.equal(out.markdown.split('\n')[3], '\uE0000\uE001');
  assert.equal(out.markdown.split('\n')[15], '## After');
  // Offsets map back to the original.
  const after = out.markdown.indexOf('## After');
  assert.equal(originalOffset(out.edits, after), text.indexOf('## After'));
  assert.equal(originalOffset(out.edits, out.markdown.indexOf('\uE000')), text.indexOf('{{% rule'));
});

test('expand: nested comments are counted, embeds inside comments vanish', () => {
  const text = 'a {{% comment %}} b {{< comment >}} {{% rule "x" %}} {{< /comment >}} c {{% /comment %}} d {{% rule "y" %}}';
  const { tokens } = tokenizeShortcodes(text);
  const out = expandAll(text, tokens);
  assert.deepEqual(out.problems, []);
  assert.equal(out.markdown, `a  d ${placeholderId(0)}`);
  assert.equal(out.placeholders[0].token, tokens.length - 1);
});

test('expand: an unclosed comment is a problem and nothing is removed', () => {
  const text = 'a\n{{% comment %}}\nhidden {{% rule "x" %}}';
  const { tokens } = tokenizeShortcodes(text);
  const out = expandAll(text, tokens);
  assert.deepEqual(out.problems, [
    {
      start: 2,
      end: 17,
      message: 'Unexpected end of file, expected `{{% /comment %}}` to close the comment opened here',
      ruleId: 'shortcode-unclosed',
    },
  ]);
  assert.equal(out.markdown, `a\n{{% comment %}}\nhidden ${placeholderId(0)}`);
});

test('expand: an unclosed outer comment still removes a closed inner pair', () => {
  const text = '<<% comment %>> x {{% comment %}} y {{% /comment %}} z';
  const { tokens } = tokenizeShortcodes(text);
  const out = expandAll(text, tokens);
  assert.deepEqual(out.problems.map((p) => [p.ruleId, p.start]), [['shortcode-unclosed', 0]]);
  assert.match(out.problems[0].message, /expected `<<% \/comment %>>`/);
  assert.equal(out.markdown, '<<% comment %>> x  z');
});

test('expand: a stray closing comment is a problem and left as written', () => {
  const text = 'a {{% /comment %}} b';
  const { tokens } = tokenizeShortcodes(text);
  const out = expandAll(text, tokens);
  assert.deepEqual(out.problems.map((p) => [p.ruleId, p.start, p.end]), [['shortcode-stray-close', 2, 18]]);
  assert.equal(out.markdown, text);
});

test('expand: escaped shortcodes become placeholders with their literal text; unknown ones stay', () => {
  const text = '{{</* rule "a" */>}} {{< unknown "x" >}}';
  const { tokens } = tokenizeShortcodes(text);
  const out = expandAll(text, tokens);
  assert.equal(out.markdown, `${placeholderId(0)} {{< unknown "x" >}}`);
  assert.deepEqual(out.placeholders, [{ id: placeholderId(0), token: 0, kind: 'escaped', text: '{{< rule "a" >}}' }]);
});

test('tokenizer: agrees with micromark on what is code, for generated documents', async () => {
  const { unified } = await import('unified');
  const { default: remarkParse } = await import('remark-parse');
  const { visit } = await import('unist-util-visit');
  const parser = unified().use(remarkParse);
  // Known divergences left out: tabs inside list indentation, indented lines after an empty `- ` item.
  const fragments = [
    '```', '~~~', '````', '    {{% a %}}', '- {{% b %}}', '  ```', '> ```', '> {{% c %}}', '1. x', '   {{% d %}}', '', '', '',
    'text `{{% e %}}` x', '``', '{{% f %}}', '  - ```', '    ```', '  {{% h %}}', '>', '> - ```', '>   {{% i %}}',
    'a ``{{% j %}}` {{% k %}}`` ', '`', '<details>', '      {{% l %}}', '- a', '    {{% m %}}', '1) ```', '# {{% n %}}',
    '---', 'para', '        {{% o %}}', '* * *', '  ~~~', '\\`{{% p %}}`', '<!-- x', '--> {{% q %}}', '2. y', '===',
  ];
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const mismatches: string[] = [];
  for (let n = 0; n < 3000; n++) {
    const lines: string[] = [];
    for (let i = 2 + Math.floor(random() * 10); i > 0; i--) lines.push(fragments[Math.floor(random() * fragments.length)]);
    const doc = lines.join('\n');
    const code: [number, number][] = [];
    visit(parser.parse(doc), (node) => {
      if ((node.type === 'code' || node.type === 'inlineCode') && node.position) code.push([node.position.start.offset!, node.position.end.offset!]);
    });
    const expected: number[] = [];
    for (let p = doc.indexOf('{{%'); p !== -1; p = doc.indexOf('{{%', p + 1)) if (!code.some(([s, e]) => p >= s && p < e)) expected.push(p);
    const got = tokenizeShortcodes(doc).tokens.map((t) => t.start);
    if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push(`${JSON.stringify(doc)}: expected ${expected}, got ${got}`);
  }
  assert.deepEqual(mismatches.slice(0, 5), []);
});
