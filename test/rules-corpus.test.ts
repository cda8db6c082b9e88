import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadRuleFiles } from '../src/rules/load.js';
import { severityOf } from '../src/diagnostics.js';

const corpus = fileURLToPath(new URL('../../../shared/corpora/srerun/rules/', import.meta.url));

test('srerun corpus: 81 files, 594 alerts, no errors, the NatsHighPendingBytes duplicate warned', { skip: existsSync(corpus) ? false : `corpus not found at ${corpus}` }, async () => {
  const start = performance.now();
  const files = await loadRuleFiles(corpus);
  const ms = performance.now() - start;
  console.log(`# loaded ${files.length} srerun rule files in ${ms.toFixed(0)} ms`);
  assert.equal(files.length, 81);
  const rules = files.flatMap((f) => f.groups.flatMap((g) => g.rules));
  assert.equal(rules.filter((r) => r.kind === 'alert').length, 594);
  const problems = files.flatMap((f) => f.vfile.messages.map((m) => ({ file: f.path, line: m.line, ruleId: m.ruleId, severity: severityOf(m), reason: m.reason })));
  assert.deepEqual(
    problems.filter((p) => p.severity === 'error'),
    [],
  );
  const warnings = problems.filter((p) => p.severity === 'warning');
  assert.deepEqual(
    warnings.map((w) => [w.file, w.line, w.ruleId]),
    [['nats/nats-exporter.yml', 136, 'duplicate-rule']],
  );
  assert.match(warnings[0].reason, /NatsHighPendingBytes/);
  for (const r of rules) {
    assert.ok(r.yaml.startsWith(`alert: ${r.name}\n`) || r.yaml.startsWith(`alert: "${r.name}"`) || r.yaml.startsWith(`alert: '${r.name}'`), r.yaml);
    assert.ok(r.exprPosition && r.exprPosition.line > r.position.line - 1);
  }
});
