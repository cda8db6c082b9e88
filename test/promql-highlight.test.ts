import test from 'node:test';
import assert from 'node:assert/strict';
import { highlightPromQL } from '../src/rules/highlight.js';

test('highlights tokens of a sample expression', () => {
  assert.equal(
    highlightPromQL('sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) > bool 0.5 # note'),
    '<span class="pq-aggregation">sum</span> <span class="pq-keyword">by</span> (<span class="pq-label">job</span>) ' +
      '(<span class="pq-function">rate</span>(<span class="pq-metric">http_requests_total</span>{<span class="pq-label">code</span>' +
      '<span class="pq-operator">=~</span><span class="pq-string">&quot;5..&quot;</span>}[<span class="pq-duration">5m</span>])) ' +
      '<span class="pq-operator">&gt;</span> <span class="pq-keyword">bool</span> <span class="pq-number">0.5</span> <span class="pq-comment"># note</span>',
  );
});

test('escapes HTML and keeps every character, valid or not', () => {
  for (const expr of ['x{a="<script>&"}', 'foo{ & <', '((( "unterminated', 'a and on(x) group_left b unless c']) {
    const html = highlightPromQL(expr);
    assert.ok(!html.includes('<script>'), html);
    const text = html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    assert.equal(text, expr);
  }
});
