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
