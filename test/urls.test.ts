import test from 'node:test';
import assert from 'node:assert/strict';
import { hugoSlug, runbookUrl, sectionUrl } from '../src/link/urls.js';

// Each pair was observed in Hugo 0.111's output for the srerun corpus.
const observed: [string, string][] = [
  ['MysqlTooManyConnections(>80%)', 'mysqltoomanyconnections80'],
  ['SslCertificateExpiry(<7Days)', 'sslcertificateexpiry7days'],
  ['HaproxyBackendMaxActiveSession>80%', 'haproxybackendmaxactivesession80'],
  ['ProviderFailedBecauseNet_versionFailed', 'providerfailedbecausenet_versionfailed'],
  ['DISMAN-SCHEDULE-MIB', 'disman-schedule-mib'],
  ['jmx_exporter', 'jmx_exporter'],
  ['HaproxyDown', 'haproxydown'],
];

test('slugs match what Hugo writes for the same file names', () => {
  for (const [name, slug] of observed) assert.equal(hugoSlug(name), slug, name);
});

test('spaces become single hyphens, leading ones are dropped, %XX escapes survive', () => {
  assert.equal(hugoSlug('  Disk  Full now'), 'disk-full-now');
  assert.equal(hugoSlug('a%20b'), 'a%20b');
  assert.equal(hugoSlug('100%'), '100');
  assert.equal(hugoSlug('Ünïcode Wörds'), 'ünïcode-wörds');
});

test('runbook and section URLs live under runbooks/ with a trailing slash', () => {
  assert.equal(runbookUrl(['snmptrap', 'IF-MIB'], 'LinkDown.md'), 'runbooks/snmptrap/if-mib/linkdown/');
  assert.equal(sectionUrl(['haproxy-exporter-v1']), 'runbooks/haproxy-exporter-v1/');
  assert.equal(sectionUrl([]), 'runbooks/');
});

test('rule source links point at the rule lines, as GitHub and GitLab each write line ranges', async () => {
  const { withLineAnchor } = await import('../src/link/urls.js');
  const rule = { position: { line: 12 }, yaml: 'alert: X\nexpr: up == 0\nfor: 5m\n' };
  assert.equal(withLineAnchor('https://github.com/o/r/blob/main/rules/x.yml', rule), 'https://github.com/o/r/blob/main/rules/x.yml#L12-L14');
  assert.equal(withLineAnchor('https://gitlab.com/o/r/-/blob/main/rules/x.yml', rule), 'https://gitlab.com/o/r/-/blob/main/rules/x.yml#L12-14');
  assert.equal(withLineAnchor('https://gitlab.example.org/o/r/blob/main/x.yml', rule), 'https://gitlab.example.org/o/r/blob/main/x.yml#L12-14');
  assert.equal(withLineAnchor('https://github.com/o/r/blob/main/x.yml', { position: { line: 3 }, yaml: 'alert: X\n' }), 'https://github.com/o/r/blob/main/x.yml#L3');
  assert.equal(withLineAnchor(undefined, rule), undefined);
});
