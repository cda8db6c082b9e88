import test from 'node:test';
import assert from 'node:assert/strict';
import { checkPromQL } from '../src/rules/promql.js';

function verdict(expr: string): string[] {
  return checkPromQL(expr).map((p) => `${p.ruleId}@${p.from}-${p.to}: ${p.message}`);
}

test('valid expressions have no problems', () => {
  for (const expr of [
    'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) > 0.5',
    'histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))',
    'a - b offset 5m > 0',
    'x[5m] offset 1m',
    'foo offset 5m @ start()',
    'max_over_time((a + b)[10m:1m])',
    'time() > bool 5',
    'x and on(a) y',
    'x + on(a) group_left(b) y',
    'count_values("v", x)',
    'topk(3, x)',
    'label_join(x, "dst", ",", "a", "b")',
    'round(x)',
    'hour()',
    '{__name__=~"job:.*"}',
    '{"utf8.metric", "a.b"="c"}',
    'absent(up{job="x"}) # trailing comment',
    '-x',
    'vector(1) * scalar(up)',
  ]) {
    assert.deepEqual(verdict(expr), [], expr);
  }
});

test('syntax errors come from the lezer-promql error nodes', () => {
  assert.deepEqual(verdict('sum(rate(x[5m]) > 1'), ['promql-syntax@18-19: Unclosed left parenthesis.']);
  assert.deepEqual(verdict('foo bar'), ['promql-syntax@4-7: Unexpected `bar`.']);
  assert.deepEqual(verdict('x > 1.5h'), ['promql-syntax@7-8: Unexpected `h`.']);
  assert.deepEqual(verdict('abc(x)'), ['promql-syntax@0-3: Unknown function with name "abc".']);
  assert.deepEqual(verdict('   '), ['promql-syntax@0-3: Expression is empty.']);
});

test('type errors follow Prometheus parser rules', () => {
  const cases: [string, string][] = [
    ['rate(x)', 'promql-type@5-6: Expected type range vector in call to function "rate", got instant vector.'],
    ['(a+b)[5m]', 'promql-type@0-9: Ranges only allowed for vector selectors.'],
    ['"str" + 1', 'promql-type@0-5: Binary expression must contain only scalar and instant vector types, got string.'],
    ['a - b[5m]', 'promql-type@4-9: Binary expression must contain only scalar and instant vector types, got range vector.'],
    ['1 > 2', 'promql-type@0-5: Comparisons between scalars must use the bool modifier.'],
    ['x and 1', 'promql-type@2-5: Set operator "and" not allowed in binary scalar expression.'],
    ['x + bool y', 'promql-type@2-3: The bool modifier can only be used on comparison operators.'],
    ['x and on(a) group_left y', 'promql-type@6-22: No grouping allowed for "and" operation.'],
    ['x + on(a) group_left(a) y', 'promql-type@4-23: Label "a" must not occur in ON and GROUP clause at once.'],
    ['histogram_quantile(0.9)', 'promql-type@18-23: Expected 2 argument(s) in call to "histogram_quantile", got 1.'],
    ['round(x, 1, 2)', 'promql-type@5-14: Expected at most 2 argument(s) in call to "round", got 3.'],
    ['label_join(x, "a")', 'promql-type@10-18: Expected at least 3 argument(s) in call to "label_join", got 2.'],
    ['topk(x)', 'promql-type@4-7: Wrong number of arguments for aggregate expression provided, expected 2, got 1.'],
    ['count_values(1, y)', 'promql-type@13-14: Expected type string in aggregation parameter, got scalar.'],
    ['sum(x[5m])', 'promql-type@4-9: Expected type instant vector in aggregation expression, got range vector.'],
    ['-"a"', 'promql-type@0-4: Unary expression only allowed on expressions of type scalar or instant vector, got string.'],
    ['sum(x) offset 5m', 'promql-type@0-16: The offset modifier must be preceded by an instant vector selector or range vector selector or a subquery.'],
    ['x offset 1m offset 2m', 'promql-type@0-21: Offset may not be set multiple times.'],
    ['x offset 1m [5m]', 'promql-type@0-11: No offset modifiers allowed before range.'],
    ['{}', 'promql-type@0-2: Vector selector must contain at least one non-empty matcher.'],
    ['{a=~".*"}', 'promql-type@0-9: Vector selector must contain at least one non-empty matcher.'],
    ['foo{__name__="bar"}', 'promql-type@4-18: Metric name must not be set twice: "foo" or "bar".'],
    ['scalar(x)[5m:]', 'promql-type@0-9: Subquery is only allowed on an instant vector, got scalar.'],
  ];
  for (const [expr, message] of cases) assert.deepEqual(verdict(expr), [message], expr);
});

test('label-matcher regexes: RE2 spellings accepted, broken or Perl-only ones rejected', () => {
  for (const ok of ['x{a=~"(?i)abc"}', 'x{a=~"(?P<n>a)b"}', 'x{a=~"\\\\d+"}', 'x{a=~"[[:alpha:]]+"}', 'x{a!~"a|b"}']) assert.deepEqual(verdict(ok), [], ok);
  assert.deepEqual(verdict('x{a=~"(a"}'), ['promql-regex@5-9: Error parsing regexp `(a`: unterminated group.']);
  assert.deepEqual(verdict('x{a=~"a(?=b)"}'), ['promql-regex@5-13: Error parsing regexp `a(?=b)`: lookahead and lookbehind are not supported (RE2 syntax).']);
  assert.deepEqual(verdict('x{a=~"*a"}'), ['promql-regex@5-9: Error parsing regexp `*a`: nothing to repeat.']);
});

test('experimental functions are warnings, not errors', () => {
  const [p] = checkPromQL('sort_by_label(x, "a")');
  assert.equal(p?.ruleId, 'promql-experimental');
  assert.equal(p?.severity, 'warning');
});

test('nested modifiers are checked once each: 30 offsets take milliseconds, not minutes', () => {
  // Each level used to be checked twice, doubling the work: 25 levels took 1.2 s, 30 about 40 s.
  const started = performance.now();
  const problems = checkPromQL(`x${' offset 1m'.repeat(30)}`);
  assert.ok(performance.now() - started < 15_000, 'finished (the exponential version needed about 40 s on a quiet machine)');
  assert.equal(problems.length, 29);
  assert.ok(problems.every((p) => p.message === 'Offset may not be set multiple times.'));
});
