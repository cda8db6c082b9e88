// The offline search index, built once at build time and lazy-loaded by the browser on first
// focus of the search box. The browser restores it with MiniSearch.loadJSON using the options
// stored next to it, so both sides always agree. The build writes MiniSearch's JSON itself, byte
// for byte what `JSON.stringify(miniSearch)` gives (test/search-index.test.ts compares them):
// MiniSearch indexes every occurrence of every term through its radix tree and then copies the
// whole index into plain objects to serialise it, ~0.7 s for the 10x corpus on every build that
// changes a page; here each term goes into the tree once and the JSON is written directly.
//
// Size matters (it is downloaded on a phone): only the title is stored per document (the URL is
// the id, the section is derived from it), the body text is cut to its first words, stop words are
// dropped, and alert names are split at camelCase boundaries (`HaproxyHighHttp4xxErrorRateBackend`
// is also indexed as `haproxy high http 4xx error rate backend`) so partial words match.
import SearchableMap from 'minisearch/SearchableMap';
import { promqlSyntaxTree, type PromQLNode } from '../rules/promql.js';

export interface SearchDoc {
  url: string;
  title: string;
  alerts: string[];
  /** Expressions of the page's rules: their metric and label names are indexed. */
  exprs?: string[];
  /** Those names already worked out (by the render stage, see `RenderedPage.searchTerms`): then `exprs` is not parsed. */
  terms?: SearchTerms;
  /** Severity of the page's (first) alert, shown as a badge in results. */
  severity?: string;
  headings?: string[];
  text: string;
}

/**
 * Metric names and label names an expression uses, from its lezer tree: selectors' metric names
 * (also `{__name__="x"}`), matcher labels, and `by`/`without`/`on`/`ignoring`/`group_*` labels.
 */
export function expressionTerms(expr: string): { metrics: string[]; labels: string[] } {
  const metrics = new Set<string>();
  const labels = new Set<string>();
  const parsed = promqlSyntaxTree(expr);
  if (!parsed) {
    // Invalid expressions still name their metrics: take the identifiers outside quotes.
    for (const match of expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ').matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(?=\s*[{[])/g)) metrics.add(match[0]);
    return { metrics: [...metrics], labels: [] };
  }
  const walk = (node: PromQLNode) => {
    if (node.name === 'Identifier') metrics.add(expr.slice(node.from, node.to));
    else if (node.name === 'LabelName') labels.add(expr.slice(node.from, node.to));
    else if (node.name === 'UnquotedLabelMatcher' && expr.slice(node.kids[0]?.from ?? 0, node.kids[0]?.to ?? 0) === '__name__') {
      const value = node.kids[2] ? expr.slice(node.kids[2].from + 1, node.kids[2].to - 1) : '';
      if (/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(value)) metrics.add(value);
    }
    for (const kid of node.kids) walk(kid);
  };
  walk(parsed.tree);
  labels.delete('__name__');
  return { metrics: [...metrics], labels: [...labels] };
}

/** Metric and label names of a page's expressions, each once, in order of appearance. */
export interface SearchTerms {
  metrics: string[];
  labels: string[];
}

export function pageSearchTerms(exprs: string[]): SearchTerms {
  const metrics = new Set<string>();
  const labels = new Set<string>();
  for (const expr of exprs) {
    const terms = expressionTerms(expr);
    terms.metrics.forEach((name) => metrics.add(name));
    terms.labels.forEach((name) => labels.add(name));
  }
  return { metrics: [...metrics], labels: [...labels] };
}

/** Words of the body shown under a result (the matched terms are marked by the browser). */
const SNIPPET_WORDS = 24;

/** Options shared by the build and the browser (serialised into the index file). */
export const SEARCH_OPTIONS = {
  idField: 'id',
  fields: ['title', 'alerts', 'metrics', 'labels', 'headings', 'text'],
  storeFields: ['title', 'severity', 'snippet', 'metrics'],
  searchOptions: {
    boost: { title: 4, alerts: 3, metrics: 2.5, labels: 1.2, headings: 1.5, text: 1 },
    prefix: true,
    fuzzy: 0.2,
    combineWith: 'AND',
  },
} as const;

/** Words kept from each page body. Titles, alert names and headings are always kept whole. */
const TEXT_WORDS = 60;

const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could do does for from has have if in into is it its may might more ' +
    'must no not of on or other should so such than that the their then there these they this to was were when which ' +
    'will with would you your also any all some'
  ).split(' '),
);

/** `HaproxyHighHttp4xxErrorRateBackend` → `Haproxy High Http 4xx Error Rate Backend`. */
export function splitIdentifier(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-zA-Z])([0-9])/g, '$1 $2')
    .replace(/[_:.-]+/g, ' ');
}

function withParts(names: string[]): string {
  return names.map((name) => `${name} ${splitIdentifier(name)}`).join(' ');
}

/** The first words of a page's body worth indexing: what `RenderedPage.searchText` holds (made in the render workers). */
export function searchSummary(text: string): string {
  const words = text.split(/[^\p{L}\p{N}_]+/u);
  const kept: string[] = [];
  for (const word of words) {
    if (!word || word.length < 2 || STOP_WORDS.has(word.toLowerCase())) continue;
    kept.push(word);
    if (kept.length >= TEXT_WORDS) break;
  }
  return kept.join(' ');
}

/** A document as MiniSearch is given it: the indexed fields, and what is stored for display. */
export interface PreparedDoc {
  id: string;
  title: string;
  alerts: string;
  metrics: string;
  labels: string;
  headings: string;
  text: string;
  stored: { title: string; severity?: string; snippet?: string; metrics?: string };
}

/** The documents MiniSearch is given, each URL once. `doc.text` is already a `searchSummary`. */
export function prepareSearchDocs(docs: SearchDoc[]): PreparedDoc[] {
  const seen = new Set<string>();
  const prepared: PreparedDoc[] = [];
  for (const doc of docs) {
    if (seen.has(doc.url)) continue;
    seen.add(doc.url);
    const terms = doc.terms ?? pageSearchTerms(doc.exprs ?? []);
    const metrics = new Set(terms.metrics);
    const labels = new Set(terms.labels);
    prepared.push({
      id: doc.url,
      title: `${doc.title} ${splitIdentifier(doc.title)}`,
      alerts: withParts(doc.alerts.filter((name) => name !== doc.title)),
      // Whole names and their parts: `haproxy_server_http_responses_total` and `haproxy server http responses total`.
      metrics: withParts([...metrics]),
      labels: [...labels].join(' '),
      headings: (doc.headings ?? []).join(' '),
      text: doc.text,
      stored: { title: doc.title, severity: doc.severity || undefined, snippet: doc.text.split(' ').slice(0, SNIPPET_WORDS).join(' ') || undefined, metrics: metrics.size ? [...metrics].join(' ') : undefined },
    });
  }
  return prepared;
}

/** MiniSearch's default tokenizer (`SPACE_OR_PUNCTUATION` in its source). */
const SPACE_OR_PUNCTUATION = /[\n\r\p{Z}\p{P}]+/u;

/** Where a term occurs: per field, document ids and counts, in turn (documents come in id order). */
type Postings = (number[] | undefined)[];

/**
 * `JSON.stringify({ v: 1, options: SEARCH_OPTIONS, index: miniSearch.toJSON() })` after
 * `miniSearch.addAll(prepared)` with the stored fields replaced by `stored` (undefined left out),
 * without building MiniSearch's index. What MiniSearch does, in the same order:
 * - ids 0, 1, … in document order;
 * - per field, the field's length is the number of distinct tokens (before lower-casing, the empty
 *   token included), and the field's average is updated as MiniSearch does, with the same
 *   floating-point operations, so that the same doubles come out;
 * - every occurrence of a lower-cased non-empty token adds one to its (term, field, document) count;
 * - terms are listed in the order MiniSearch's radix tree iterates them, which depends on the
 *   order terms were first inserted: the same SearchableMap, given each term once in order of first
 *   occurrence, has the same shape, because later occurrences of a term do not change the tree.
 * Object keys that are numbers (ids, field ids) come out in ascending order in JSON.stringify,
 * which is also the order MiniSearch inserted them in.
 */
function serializeIndex(prepared: PreparedDoc[]): string {
  const fields = SEARCH_OPTIONS.fields;
  const postings = new Map<string, Postings>();
  const documentIds: Record<number, string> = {};
  const fieldLength: Record<number, number[]> = {};
  const averageFieldLength: number[] = [];
  const storedFields: Record<number, Record<string, string>> = {};
  prepared.forEach((doc, id) => {
    documentIds[id] = doc.id;
    const lengths: number[] = [];
    for (let fieldId = 0; fieldId < fields.length; fieldId++) {
      const tokens = doc[fields[fieldId]].split(SPACE_OR_PUNCTUATION);
      const length = new Set(tokens).size;
      lengths[fieldId] = length;
      averageFieldLength[fieldId] = ((averageFieldLength[fieldId] || 0) * id + length) / (id + 1);
      for (const token of tokens) {
        const term = token.toLowerCase();
        if (!term) continue;
        let byField = postings.get(term);
        if (!byField) postings.set(term, (byField = []));
        const list = (byField[fieldId] ??= []);
        if (list.length > 0 && list[list.length - 2] === id) list[list.length - 1]++;
        else list.push(id, 1);
      }
    }
    fieldLength[id] = lengths;
    const stored: Record<string, string> = {};
    for (const [name, value] of Object.entries(doc.stored)) if (value !== undefined) stored[name] = value;
    storedFields[id] = stored;
  });
  const tree = new SearchableMap<Postings>();
  for (const [term, byField] of postings) tree.set(term, byField);
  const parts: string[] = [];
  for (const [term, byField] of tree) {
    let part = `[${JSON.stringify(term)},{`;
    let firstField = true;
    byField.forEach((list, fieldId) => {
      if (!list) return;
      part += `${firstField ? '' : ','}"${fieldId}":{`;
      firstField = false;
      for (let i = 0; i < list.length; i += 2) part += `${i === 0 ? '' : ','}"${list[i]}":${list[i + 1]}`;
      part += '}';
    });
    parts.push(`${part}}]`);
  }
  const fieldIds = Object.fromEntries(fields.map((field, i) => [field, i]));
  return (
    `{"v":1,"options":${JSON.stringify(SEARCH_OPTIONS)},"index":{"documentCount":${prepared.length},"nextId":${prepared.length},` +
    `"documentIds":${JSON.stringify(documentIds)},"fieldIds":${JSON.stringify(fieldIds)},"fieldLength":${JSON.stringify(fieldLength)},` +
    `"averageFieldLength":${JSON.stringify(averageFieldLength)},"storedFields":${JSON.stringify(storedFields)},"dirtCount":0,` +
    `"index":[${parts.join(',')}],"serializationVersion":2}}`
  );
}

/** `doc.text` is already a `searchSummary`. */
export function buildSearchIndex(docs: SearchDoc[]): { path: string; content: string } {
  return { path: SEARCH_INDEX_PATH, content: serializeIndex(prepareSearchDocs(docs)) };
}

/**
 * Where the index is written by default. Pages are rendered before the index exists (its text
 * comes from the rendered pages), so they cannot name a content hash: the file has a fixed name
 * and the browser revalidates it. (A hashed name would also change every page whenever any page's
 * text changed, defeating the render cache.)
 */
export const SEARCH_INDEX_PATH = 'search-index.json';
