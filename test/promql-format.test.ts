// The PromQL formatter against Prometheus' own layout rules, the srerun corpus, and
// `promtool promql format` itself where the installed promtool has that command.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { displayPromQL, formatPromQL, goDuration, goFloat, goQuote } from '../src/rules/promql-format.js';
import { highlightPromQLLines } from '../src/rules/highlight.js';
import { loadRuleFiles } from '../src/rules/load.js';
import { SRERUN, srerunAvailable } from './helpers/corpus.js';

const LONG = 'some_very_long_metric_name_for_testing_the_prettier_output_total';

test('short expressions print in canonical one-line form, as promtool does', () => {
  const cases: [string, string][] = [
    ['sum(rate(x[5m])) by (job)', 'sum by (job) (rate(x[5m]))'],
    ['sum by () (x)', 'sum(x)'],
    ['count without () (x)', 'count without () (x)'],
    ['x{b="1", a=~"2"}', 'x{a=~"2",b="1"}'],
    ["label_join(x, 'd', ',', 's')", 'label_join(x, "d", ",", "s")'],
    ['-1e6 + x', '-1e+06 + x'],
    ['x > 0.00001', 'x > 1e-05'],
    ['x > 123456', 'x > 123456'],
    ['x offset 90s', 'x offset 1m30s'],
    ['x offset -5m @ 123', 'x @ 123.000 offset -5m'],
    ['rate(x[24h])', 'rate(x[1d])'],
    ['a * on() group_left(x) b', 'a * on () group_left (x) b'],
    ['a > bool 5', 'a > bool 5'],
    ['a   AND  b', 'a and b'],
    ['rate(x[5m])[30m:1m]', 'rate(x[5m])[30m:1m]'],
    ['(a - b offset 5m)', '(a - b offset 5m)'],
  ];
  for (const [input, expected] of cases) assert.equal(formatPromQL(input), expected, input);
});

test('long expressions are split node by node, two spaces per level, as Prometheus Pretty() lays them out', () => {
  assert.equal(
    formatPromQL(`sum without(instance) (rate(${LONG}{job="prometheus", instance="localhost:9090"}[5m]))`),
    [`sum without (instance) (`, `  rate(`, `    ${LONG}{instance="localhost:9090",job="prometheus"}[5m]`, `  )`, `)`].join('\n'),
  );
  assert.equal(
    formatPromQL(`label_replace(rate(${LONG}{job="prometheus", instance="localhost:9090"}[5m]), "dst", "$1", "src", "(.*)")`),
    ['label_replace(', '  rate(', `    ${LONG}{instance="localhost:9090",job="prometheus"}[5m]`, '  ),', '  "dst",', '  "$1",', '  "src",', '  "(.*)"', ')'].join('\n'),
  );
  // The expression: the `> 5` threshold ends up on its own line, fully visible.
  assert.equal(
    formatPromQL('sum by (backend) (rate(haproxy_server_http_responses_total{code="4xx"}[1m])) / sum by (backend) (rate(haproxy_server_http_responses_total[1m])) > 5'),
    [
      '    sum by (backend) (rate(haproxy_server_http_responses_total{code="4xx"}[1m]))',
      '  /',
      '    sum by (backend) (rate(haproxy_server_http_responses_total[1m]))',
      '>',
      '  5',
    ].join('\n'),
  );
});

test('Go printing of numbers, durations and strings', () => {
  assert.deepEqual([1, 0.5, 1e6, 999999, 1e-5, 0.0001, 1e21, -2.5, Infinity, -Infinity, NaN].map(goFloat), ['1', '0.5', '1e+06', '999999', '1e-05', '0.0001', '1e+21', '-2.5', '+Inf', '-Inf', 'NaN']);
  assert.deepEqual([0, 90_000, 86_400_000, 7 * 86_400_000, 8 * 86_400_000, 1500].map(goDuration), ['0s', '1m30s', '1d', '1w', '8d', '1s500ms']);
  assert.equal(goQuote('a"b\\c\nd\u0001é'), '"a\\"b\\\\c\\nd\\x01é"');
});

test('the card shows short expressions as written, long ones formatted, and never drops comments', () => {
  assert.equal(displayPromQL('sum(rate(x[5m])) by (job) > 1'), 'sum(rate(x[5m])) by (job) > 1');
  const long = `rate(${LONG}{job="prometheus"}[5m]) > 100 and rate(${LONG}{job="other"}[5m]) > 100`;
  assert.notEqual(displayPromQL(long), long);
  assert.ok(displayPromQL(long).split('\n').length > 2);
  const commented = `# why this threshold\nrate(${LONG}{job="prometheus", instance="localhost:9090"}[5m]) > 100 and rate(${LONG}[5m]) > 1`;
  assert.equal(displayPromQL(commented), commented);
  const invalid = `rate(${LONG}[5m] > 100 and rate(${LONG}[5m]) > 100 and rate(${LONG}[5m]) > 100`;
  assert.equal(displayPromQL(invalid), invalid);
});

test('highlighted lines carry their indentation level and keep the text', () => {
  const formatted = formatPromQL('sum by (backend) (rate(haproxy_server_http_responses_total{code="4xx"}[1m])) / sum by (backend) (rate(haproxy_server_http_responses_total[1m])) > 5')!;
  const html = highlightPromQLLines(formatted);
  assert.deepEqual([...html.matchAll(/<span class="pl d(\d+)">/g)].map((m) => Number(m[1])), [2, 1, 2, 0, 1]);
  const text = html.replace(/<span class="pl d\d+">/g, '\n').replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&gt;/g, '>').slice(1);
  assert.equal(text, formatted);
});

async function srerunExpressions(): Promise<string[]> {
  const files = await loadRuleFiles(path.join(SRERUN, 'rules'));
  return [...new Set(files.flatMap((file) => file.groups.flatMap((group) => group.rules.map((rule) => rule.expr))))];
}

test('every srerun expression formats, and formatting is stable (formatting the output changes nothing)', { skip: !srerunAvailable() }, async () => {
  const exprs = await srerunExpressions();
  assert.ok(exprs.length > 400, `${exprs.length} expressions`);
  let split = 0;
  for (const expr of exprs) {
    const formatted = formatPromQL(expr);
    assert.ok(formatted !== undefined, `not formatted: ${expr}`);
    assert.equal(formatPromQL(formatted), formatted, `not stable: ${expr}`);
    if (formatted.includes('\n')) split++;
  }
  assert.ok(split > 10, `${split} expressions laid out over several lines`);
});

/** `promtool promql format` needs `--experimental` in 2.42+; Debian's 2.42 build has neither. */
function promtoolFormat(): string[] | undefined {
  for (const args of [['--experimental', 'promql', 'format'], ['promql', 'format']]) {
    const run = spawnSync('promtool', [...args, 'up'], { encoding: 'utf8', timeout: 10_000 });
    if (run.status === 0 && run.stdout.trim() === 'up') return args;
  }
  return undefined;
}

const formatArgs = promtoolFormat();
if (!formatArgs) console.log('SKIPPED: the installed promtool has no `promql format` command (Debian builds 2.42 without it): formatter output not compared with promtool');

test('formats every srerun expression exactly as `promtool promql format`', { skip: !formatArgs || !srerunAvailable() }, async () => {
  let compared = 0;
  for (const expr of await srerunExpressions()) {
    const run = spawnSync('promtool', [...formatArgs!, expr], { encoding: 'utf8', timeout: 10_000 });
    if (run.status !== 0) continue;
    assert.equal(formatPromQL(expr), run.stdout.replace(/\n$/, ''), expr);
    compared++;
  }
  assert.ok(compared > 400, `compared ${compared}`);
});
