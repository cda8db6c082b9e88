// The search index: metric and label names from expressions, camel-case parts of alert names,
// stored fields for result snippets and severity badges.
import test from 'node:test';
import assert from 'node:assert/strict';
import MiniSearch from 'minisearch';
import { buildSearchIndex, expressionTerms, pageSearchTerms } from '../src/render/search-index.js';

test('metric and label names come from the expression tree, not from strings or function names', () => {
  const terms = expressionTerms('sum by (backend) (rate(haproxy_server_http_responses_total{code="4xx", fake="not_a_metric"}[1m])) / on(instance) {__name__="up"}');
  assert.deepEqual(terms.metrics.sort(), ['haproxy_server_http_responses_total', 'up']);
  assert.deepEqual(terms.labels.sort(), ['backend', 'code', 'fake', 'instance']);
  // Invalid expressions still name their metrics.
  assert.deepEqual(expressionTerms('rate(node_cpu_seconds_total{mode="idle"}[5m]) >').metrics, ['node_cpu_seconds_total']);
});

test('a metric name finds every runbook whose alert uses it; results carry title, severity and a snippet', () => {
  const metric = 'haproxy_server_http_responses_total';
  const docs = [
    { url: 'runbooks/h/4xx/', title: 'HaproxyHighHttp4xxErrorRateBackend', alerts: ['HaproxyHighHttp4xxErrorRateBackend'], exprs: [`sum(rate(${metric}{code="4xx"}[1m])) > 5`], severity: 'critical', text: 'Too many HTTP requests with status 4xx' },
    { url: 'runbooks/h/5xx/', title: 'HaproxyHighHttp5xxErrorRateServer', alerts: ['HaproxyHighHttp5xxErrorRateServer'], exprs: [`sum(rate(${metric}{code="5xx"}[1m])) > 5`], severity: 'critical', text: 'Too many 5xx' },
    { url: 'runbooks/h/down/', title: 'HaproxyDown', alerts: ['HaproxyDown'], exprs: ['haproxy_up == 0'], severity: 'warning', text: 'HAProxy down' },
  ];
  const { content } = buildSearchIndex(docs);
  const data = JSON.parse(content);
  const engine = MiniSearch.loadJS(data.index, { idField: data.options.idField, fields: data.options.fields, storeFields: data.options.storeFields });
  const hits = engine.search(metric, { ...data.options.searchOptions });
  assert.deepEqual(hits.map((hit) => hit.id).sort(), ['runbooks/h/4xx/', 'runbooks/h/5xx/']);
  assert.equal(hits[0].severity, 'critical');
  assert.match(String(hits[0].snippet), /Too many/);
  assert.match(String(hits[0].metrics), new RegExp(metric));
  // Alert names split at camel case: "error rate server" finds the 5xx server alert.
  assert.equal(engine.search('error rate server', data.options.searchOptions)[0].id, 'runbooks/h/5xx/');
  // A label name finds the alerts that use it.
  assert.deepEqual(engine.search('code', { ...data.options.searchOptions, fields: ['labels'] }).map((hit) => hit.id).sort(), ['runbooks/h/4xx/', 'runbooks/h/5xx/']);
});

test('names worked out by the render stage (the page cache keeps them) give the same index as parsing the expressions', () => {
  const exprs = ['sum by (backend) (rate(haproxy_server_http_responses_total{code="5xx"}[1m])) > 5', 'haproxy_up{job="lb"} == 0', 'up == 0 and haproxy_up == 0'];
  const doc = { url: 'runbooks/h/a/', title: 'HaproxyDown', alerts: ['HaproxyDown', 'HaproxyHighHttp5xx'], severity: 'critical', text: 'Check the backends' };
  const terms = pageSearchTerms(exprs);
  assert.deepEqual(terms, { metrics: ['haproxy_server_http_responses_total', 'haproxy_up', 'up'], labels: ['backend', 'code', 'job'] });
  assert.equal(buildSearchIndex([{ ...doc, terms }]).content, buildSearchIndex([{ ...doc, exprs }]).content);
});
