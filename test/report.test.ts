import test from 'node:test';
import assert from 'node:assert/strict';
import { VFile } from 'vfile';
import { reportError, reportNote, reportWarning } from '../src/diagnostics.js';
import { collectDiagnostics, formatGithub, formatHuman, formatJson, type Report } from '../src/report/format.js';

function sample(): { report: Report; sources: Map<string, string> } {
  const source = 'line one\nline two, with: a problem\nline three\n';
  const file = new VFile({ path: '/project/runbooks/a.md', value: source });
  reportError(file, 'Unexpected thing, expected 50% less: here', { line: 2, column: 11 }, 'test-error');
  reportWarning(file, 'Unexpected warning', { line: 1, column: 1 }, 'test-warning');
  reportNote(file, 'A note', { line: 3, column: 1 }, 'test-note');
  const diagnostics = collectDiagnostics([file], '/project');
  const coverage = { alerts: 4, withRunbook: 3, withoutRunbook: ['X'], orphanRunbooks: [] };
  return { report: { diagnostics, coverage, runbooks: 5 }, sources: new Map([['runbooks/a.md', source]]) };
}

test('human output: location, severity, rule id, a code frame under errors, and a summary', () => {
  const { report, sources } = sample();
  const text = formatHuman(report, { colour: false, quiet: false, verbose: false, sources });
  assert.match(text, /^runbooks\/a\.md:1:1  warning  Unexpected warning  \[test-warning\]$/m);
  assert.match(text, /^runbooks\/a\.md:2:11  error  Unexpected thing/m);
  assert.match(text, /> 2 \| line two, with: a problem\n\s+\|\s{11}\^/);
  assert.doesNotMatch(text, /A note/);
  assert.match(text, /1 note not shown/);
  assert.match(text, /1 error, 1 warning, 1 note · 4 alerts, 5 runbooks, coverage 75% \(3\/4 alerts have a runbook, 0 orphan runbooks\)/);
  assert.doesNotMatch(text, /\u001b\[/, 'no colour when not asked');
  assert.match(formatHuman(report, { colour: true, quiet: false, verbose: true, sources }), /\u001b\[31merror/);
});

test('github output escapes workflow-command data and properties', () => {
  const { report } = sample();
  const text = formatGithub(report, { verbose: false });
  assert.match(text, /^::error file=runbooks\/a\.md,line=2,col=11,title=runbook-site test-error::Unexpected thing, expected 50%25 less: here$/m);
  assert.match(text, /^::warning file=runbooks\/a\.md,line=1,col=1,/m);
  assert.doesNotMatch(text, /::notice/);
  assert.match(formatGithub(report, { verbose: true }), /^::notice /m);
});

test('json output has exactly the documented fields', () => {
  const { report } = sample();
  const parsed = JSON.parse(formatJson(report)) as { diagnostics: Record<string, unknown>[]; coverage: unknown };
  assert.deepEqual(Object.keys(parsed), ['diagnostics', 'coverage']);
  assert.deepEqual(parsed.diagnostics.map((d) => Object.keys(d).join(',')), Array(3).fill('file,line,column,severity,ruleId,message'));
  assert.deepEqual(parsed.diagnostics.map((d) => d.severity), ['warning', 'error', 'note']);
  assert.deepEqual(parsed.coverage, { alerts: 4, withRunbook: 3, withoutRunbook: ['X'], orphanRunbooks: [] });
});
