// The search index: metric and label names from expressions, camel-case parts of alert names,
// stored fields for result snippets and severity badges.
import test from 'node:test';
import assert from 'node:assert/strict';
import MiniSearch from 'minisearch';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { buildSearchIndex, expressionTerms, pageSearchTerms, prepareSearchDocs, searchSummary, SEARCH_OPTIONS, type SearchDoc } from '../src/render/search-index.js';
import { projectRoot } from './helpers/project.js';

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

/** The index as MiniSearch itself serialises it (how the build made it before writing the JSON itself). */
function miniSearchJson(docs: SearchDoc[]): string {
  const prepared = prepareSearchDocs(docs);
  const search = new MiniSearch({ idField: SEARCH_OPTIONS.idField, fields: [...SEARCH_OPTIONS.fields], storeFields: [...SEARCH_OPTIONS.storeFields] });
  search.addAll(prepared);
  const stored = new Map(prepared.map((doc) => [doc.id, doc.stored]));
  const json = search.toJSON() as unknown as { storedFields: Record<string, Record<string, unknown>>; documentIds: Record<string, string> };
  for (const [short, id] of Object.entries(json.documentIds)) {
    json.storedFields[short] = Object.fromEntries(Object.entries(stored.get(id)!).filter(([, value]) => value !== undefined));
  }
  return JSON.stringify({ v: 1, options: SEARCH_OPTIONS, index: json });
}

test('the index is byte for byte what MiniSearch serialises: generated documents (shared prefixes, case, punctuation, unicode, repeats)', () => {
  const word = fc.oneof(
    fc.constantFrom('a', 'ab', 'abc', 'abd', 'b', 'ba', 'HAProxy', 'haproxy', 'Haproxy', 'ha', 'h', 'é', 'É', 'ß', 'İ', '日本', '日', '😀', 'x_y', 'x-y', '4xx', '5xx', 'up', 'upstream'),
    fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'A', 'é', '_', '1'), minLength: 1, maxLength: 6 }),
  );
  const text = fc.array(fc.tuple(word, fc.constantFrom(' ', '  ', '.', ', ', '-', '\n', '\u00a0', '(', ')', '/')), { maxLength: 30 }).map((parts) => parts.map(([w, sep]) => w + sep).join(''));
  const doc = fc.record({
    url: fc.stringMatching(/^runbooks\/[a-c]{1,3}\/$/),
    title: word,
    alerts: fc.array(word, { maxLength: 3 }),
    terms: fc.record({ metrics: fc.array(word, { maxLength: 3 }), labels: fc.array(word, { maxLength: 3 }) }),
    severity: fc.option(fc.constantFrom('critical', 'warning', ''), { nil: undefined }),
    headings: fc.option(fc.array(text, { maxLength: 3 }), { nil: undefined }),
    text,
  });
  fc.assert(
    fc.property(fc.array(doc, { maxLength: 25 }), (docs) => {
      assert.equal(buildSearchIndex(docs).content, miniSearchJson(docs));
    }),
    { numRuns: 400 },
  );
});

const SRERUN = path.join(projectRoot, '../shared/corpora/srerun/content/runbooks');

test('the index is byte for byte what MiniSearch serialises: the srerun runbooks, and again after one page changes', { skip: !existsSync(SRERUN) && 'no srerun corpus' }, async () => {
  const files = (await readdir(SRERUN, { recursive: true })).filter((file) => file.endsWith('.md')).sort();
  const docs: SearchDoc[] = [];
  for (const file of files) {
    const body = await readFile(path.join(SRERUN, file), 'utf8');
    const title = path.basename(file, '.md');
    docs.push({ url: `runbooks/${file.replace(/\.md$/, '').toLowerCase()}/`, title, alerts: [title], exprs: [], headings: body.match(/^#+ .*/gm) ?? [], severity: 'warning', text: searchSummary(body) });
  }
  assert.ok(docs.length > 900);
  const full = buildSearchIndex(docs).content;
  assert.equal(full, miniSearchJson(docs));
  docs[10] = { ...docs[10], text: `${docs[10].text} Edited with brandnewterm` };
  assert.equal(buildSearchIndex(docs).content, miniSearchJson(docs));
});
