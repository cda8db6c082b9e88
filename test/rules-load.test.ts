import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadRuleFiles, parseRuleFile } from '../src/rules/load.js';
import { severityOf } from '../src/diagnostics.js';
import type { RuleFile } from '../src/model.js';

const fixtures = fileURLToPath(new URL('../../test/fixtures/rules/', import.meta.url));

function messages(file: RuleFile) {
  return file.vfile.messages.map((m) => ({ ruleId: m.ruleId, line: m.line, column: m.column, severity: severityOf(m), reason: m.reason }));
}

/** file → expected [ruleId, line, column, severity, message fragment] (exactly one message per bad file). */
const expected: Record<string, [string, number, number, 'error' | 'warning', string]> = {
  'alias-bomb.yml': ['yaml-alias-bomb', 6, 8, 'error', 'alias bomb'],
  'duplicate-group.yml': ['duplicate-group', 6, 11, 'error', 'Group name `example` is repeated in the same file (first at line 2).'],
  'duplicate-rule.yml': ['duplicate-rule', 8, 9, 'warning', 'alert `A` with the same labels (severity="page") already appears in this group at line 4'],
  'duplicate-rule-across-groups.yml': ['duplicate-rule', 10, 9, 'warning', 'already appears in group `first` at line 4'],
  'duration-fractional.yml': ['invalid-duration', 6, 14, 'error', 'Invalid duration `1.5h` for `for`'],
  'duration-interval.yml': ['invalid-duration', 3, 15, 'error', 'Invalid duration `1m30` for `interval`'],
  'duration-keep-firing.yml': ['invalid-duration', 6, 26, 'error', 'Invalid duration `5 minutes` for `keep_firing_for`'],
  'duration-query-offset.yml': ['invalid-duration', 3, 19, 'error', 'Invalid duration `30S` for `query_offset`'],
  'empty-alert-name.yml': ['empty-alert-name', 4, 16, 'error', 'Alert name must not be empty.'],
  'group-name-missing.yml': ['group-name-missing', 2, 5, 'error', 'Rule group has no name'],
  'label-name-reserved.yml': ['invalid-label-name', 7, 11, 'error', 'Invalid label name `__name__`'],
  'labels-type.yml': ['value-type', 7, 21, 'error', 'The value of label `severity` must be a string, not a list.'],
  'missing-expr.yml': ['missing-expr', 5, 15, 'error', 'Field `expr` must be set'],
  'missing-record-or-alert.yml': ['missing-record-or-alert', 4, 9, 'error', 'one of `record` or `alert`'],
  'promql-arg-count.yml': ['promql-type', 6, 29, 'error', 'Expected 2 argument(s) in call to "histogram_quantile", got 1.'],
  'promql-range-on-expr.yml': ['promql-type', 7, 13, 'error', 'Ranges only allowed for vector selectors.'],
  'promql-rate-instant.yml': ['promql-type', 5, 20, 'error', 'Expected type range vector in call to function "rate", got instant vector.'],
  'promql-scalar-comparison.yml': ['promql-type', 5, 15, 'error', 'Comparisons between scalars must use the bool modifier.'],
  'promql-string-binary.yml': ['promql-type', 5, 16, 'error', 'Binary expression must contain only scalar and instant vector types, got string.'],
  'promql-syntax.yml': ['promql-syntax', 5, 51, 'error', 'Unclosed left parenthesis.'],
  'promql-number-glued.yml': ['promql-syntax', 5, 32, 'error', 'Unexpected `and` right after the number `0.05`, expected a space or an operator between them.'],
  'template-syntax.yml': ['template-syntax', 10, 46, 'error', 'Invalid template in annotation `description` (Prometheus would not load this file): Unknown template function `humanise`, expected a Go template or Prometheus function (did you mean `humanize`?)'],
  'promql-unknown-function.yml': ['promql-syntax', 5, 38, 'error', 'Unknown function with name "hist_quantile".'],
  'record-and-alert.yml': ['record-and-alert', 5, 9, 'error', 'only one of `record` and `alert`'],
  'record-name.yml': ['invalid-record-name', 4, 17, 'error', 'Invalid recording rule name `job:up:sum{job="x"}`'],
  'recording-annotations.yml': ['recording-rule-field', 6, 9, 'error', 'cannot have `annotations`'],
  'recording-for.yml': ['recording-rule-field', 6, 9, 'error', 'cannot have `for`'],
  'recording-keep-firing-for.yml': ['recording-rule-field', 6, 9, 'error', 'cannot have `keep_firing_for`'],
  'unknown-field-group.yml': ['unknown-field', 3, 5, 'error', 'Unexpected field `evaluation_interval` in a rule group, expected one of `name`, `interval`'],
  'unknown-field-rule.yml': ['unknown-field', 6, 9, 'error', 'Unexpected field `annotation` in a rule, expected one of `record`, `alert`, `expr`, `for`, `keep_firing_for`, `labels`, `annotations`. Did you mean `annotations`?'],
  'yaml-syntax.yml': ['yaml-syntax', 6, 1, 'error', 'YAML syntax error'],
  // The parser finds five errors here; the first is the one to fix.
  'yaml-cascade.yml': ['yaml-syntax', 7, 7, 'error', 'must be sufficiently indented and end with a ]. 4 more syntax errors in this document most likely follow from this one.'],
  // Valid YAML, but a mapping: `{{ … }}` alone reads as one.
  'annotation-template-mapping.yml': ['value-type', 7, 20, 'error', 'must be a string, not a mapping. A value that starts with `{{` must be quoted in YAML: `summary: "{{ $labels.instance }}"`.'],
  'unquoted-template.yml': ['yaml-syntax', 7, 24, 'error', 'A value that starts with `{{` must be quoted in YAML: `description: "{{ $value }} errors in \\"x\\""`.'],
  // One warning instead of forty syntax errors; the file is left out.
  'helm-template.yaml': ['rule-file-template', 1, 1, 'warning', 'Skipped a template, not a rule file: `{{- if .Values.rules.enabled }}` is for Helm'],
  // `*.rules` files are read; this one is of Prometheus 1.x.
  'prometheus-1.rules': ['prometheus-1-rules', 2, 1, 'error', 'Unexpected Prometheus 1.x rule syntax (`ALERT … IF …`)'],
};

test('every bad fixture gets exactly its one expected message, at its place', async () => {
  const files = await loadRuleFiles(fixtures + 'bad');
  assert.deepEqual(
    files.map((f) => f.path),
    Object.keys(expected).sort(),
    'one expectation per bad fixture, files sorted by path',
  );
  for (const file of files) {
    const [ruleId, line, column, severity, fragment] = expected[file.path];
    const got = messages(file);
    assert.equal(got.length, 1, `${file.path}: ${JSON.stringify(got)}`);
    assert.deepEqual(
      { ruleId: got[0].ruleId, line: got[0].line, column: got[0].column, severity: got[0].severity },
      { ruleId, line, column, severity },
      file.path,
    );
    assert.ok(got[0].reason.includes(fragment), `${file.path}: ${got[0].reason}`);
    assert.equal(file.vfile.path, fixtures + 'bad/' + file.path);
  }
});

test('good near-miss fixtures load without errors or warnings (hidden folders skipped)', async () => {
  const files = await loadRuleFiles(fixtures + 'good');
  assert.deepEqual(
    files.map((f) => f.path),
    ['near-misses.yml', 'prometheusrule.yaml', 'templates.yml', 'values.yaml'],
  );
  // Other YAML in the rules folder (Helm values) is skipped with a note, not read as a broken rule file.
  assert.deepEqual(messages(files[3]).map((m) => `${m.line}:${m.column} ${m.severity} ${m.ruleId}`), ['1:1 note not-rule-document']);
  for (const file of files) {
    const problems = messages(file).filter((m) => m.severity !== 'note');
    assert.deepEqual(problems, [], file.path);
  }
  const near = files[0];
  assert.deepEqual(
    near.groups.map((g) => [g.name, g.interval, g.rules.length]),
    [
      ['example', '1m', 11],
      ['example-2', undefined, 1],
    ],
  );
  const annotated = near.groups[0].rules[0];
  assert.equal(annotated.kind, 'alert');
  assert.equal(annotated.for, '1h30m');
  assert.equal(annotated.keepFiringFor, '0m');
  assert.deepEqual(annotated.labels, { severity: 'page', priority: '1', 'service.name': 'api' });
  assert.equal(annotated.annotations['描述'], 'UTF-8 annotation names are fine in Prometheus 3');
  assert.deepEqual(annotated.position, { line: 10, column: 9, offset: String(near.vfile.value).indexOf('alert: Annotated') });
  assert.deepEqual([annotated.exprPosition?.line, annotated.exprPosition?.column], [11, 15]);
  const record = near.groups[0].rules[1];
  assert.deepEqual([record.kind, record.name, record.group, record.file], ['record', 'job:up:sum', 'example', 'near-misses.yml']);
  const subquery = near.groups[0].rules.find((r) => r.name === 'SubqueryOnExpression')!;
  assert.equal(subquery.expr, 'max_over_time(\n  (a + b)[5m:1m]\n) > 1\n');
  assert.deepEqual([subquery.exprPosition?.line, subquery.exprPosition?.column], [32, 11]);
  assert.equal(subquery.yaml, 'alert: SubqueryOnExpression\nexpr: |\n  max_over_time(\n    (a + b)[5m:1m]\n  ) > 1\nfor: 5s\n');
});

test('PrometheusRule objects: several documents, ConfigMap skipped with a note, anchors and merge keys resolved', async () => {
  const [, file] = await loadRuleFiles(fixtures + 'good');
  assert.equal(file.path, 'prometheusrule.yaml');
  const notes = messages(file);
  assert.deepEqual(
    notes.map((m) => [m.ruleId, m.severity, m.line]),
    [['not-rule-document', 'note', 2]],
  );
  assert.match(notes[0].reason, /ConfigMap/);
  assert.deepEqual(
    file.groups.map((g) => [g.name, g.rules.map((r) => r.name)]),
    [
      ['k8s', ['KubePodCrashLooping', 'KubePodCrashLoopingCritical']],
      ['other', ['namespace:kube_pod_container_status_restarts_total:sum']],
    ],
  );
  const [base, merged] = file.groups[0].rules;
  assert.deepEqual(merged.labels, { severity: 'critical' });
  assert.equal(merged.expr, base.expr);
  assert.equal(merged.for, '15m');
  assert.deepEqual(merged.annotations, { summary: 'Pod is crash looping' });
  assert.equal(merged.position.line, 26);
  assert.equal(
    merged.yaml,
    'alert: KubePodCrashLoopingCritical\nexpr: increase(kube_pod_container_status_restarts_total[10m]) > 3\nfor: 15m\nlabels:\n  severity: critical\nannotations:\n  summary: Pod is crash looping\n',
  );
  assert.equal(file.groups[1].rules[0].kind, 'record');
});

test('a YAML alias bomb is refused quickly, with a place, never expanded', () => {
  const letters = 'abcdefghij';
  let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 1; i < letters.length; i++) {
    text += `${letters[i]}: &${letters[i]} [${Array(10).fill(`*${letters[i - 1]}`).join(',')}]\n`;
  }
  text += 'groups: *j\n';
  const start = performance.now();
  const file = parseRuleFile(text, '/virtual/bomb.yml', 'bomb.yml');
  const ms = performance.now() - start;
  assert.ok(ms < 10_000, `took ${ms} ms`);
  const got = messages(file);
  assert.equal(got.length, 1, JSON.stringify(got));
  assert.equal(got[0].ruleId, 'yaml-alias-bomb');
  assert.equal(got[0].severity, 'error');
  assert.ok((got[0].line ?? 0) > 1);
  assert.deepEqual(file.groups, []);
});

test('many uses of one anchor are fine (not mistaken for a bomb)', () => {
  let text = 'x-labels: &labels {severity: page}\ngroups:\n  - name: g\n    rules:\n';
  for (let i = 0; i < 300; i++) text += `      - alert: A${i}\n        expr: up == 0\n        labels: *labels\n`;
  const file = parseRuleFile(text, '/virtual/many.yml', 'many.yml');
  const got = messages(file);
  // The `x-labels` key is not a rule-file field: that is the only message.
  assert.deepEqual(got.map((m) => m.ruleId), ['unknown-field']);
  assert.equal(file.groups[0].rules.length, 300);
  assert.deepEqual(file.groups[0].rules[299]?.labels, { severity: 'page' });
});

test('PromQL errors in quoted and folded scalars point inside the expression', () => {
  const text = [
    'groups:',
    '  - name: g',
    '    rules:',
    '      - alert: Quoted',
    '        expr: "up == 0 and \\"s\\" + rate(x)"',
    '      - alert: Folded',
    '        expr: >',
    '          sum(x)',
    '          + rate(y)',
    '',
  ].join('\n');
  const file = parseRuleFile(text, '/virtual/q.yml', 'q.yml');
  const got = messages(file);
  assert.deepEqual(
    got.map((m) => [m.ruleId, m.line, m.column]),
    [
      // Inner problems are reported before the outer ones, like Prometheus' parser does.
      ['promql-type', 5, 41],
      ['promql-type', 5, 29],
      ['promql-type', 9, 18],
    ],
    JSON.stringify(got),
  );
});

test('loadRuleFiles throws only when the folder itself cannot be read', async () => {
  await assert.rejects(loadRuleFiles(fixtures + 'does-not-exist'));
  const file = parseRuleFile('groups: [\n', '/virtual/broken.yml', 'broken.yml');
  assert.equal(messages(file)[0].ruleId, 'yaml-syntax');
});
