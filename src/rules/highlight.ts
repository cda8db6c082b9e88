// Build-time PromQL highlighting: escaped HTML with <span class="pq-…"> around tokens
// from the lezer-promql parse tree. No client-side highlighter needed.
import { parser } from '@prometheus-io/lezer-promql';
import { escapeHtml } from '../html.js';

/** CSS class per grammar node; descendants of a classed node are not looked at. */
const classes: Record<string, string> = {
  LineComment: 'pq-comment',
  Identifier: 'pq-metric',
  LabelName: 'pq-label',
  QuotedLabelName: 'pq-label',
  StringLiteral: 'pq-string',
  NumberDurationLiteral: 'pq-number',
  NumberDurationLiteralInDurationContext: 'pq-duration',
  FunctionIdentifier: 'pq-function',
  AggregateOp: 'pq-aggregation',
  By: 'pq-keyword',
  Without: 'pq-keyword',
  Bool: 'pq-keyword',
  On: 'pq-keyword',
  Ignoring: 'pq-keyword',
  GroupLeft: 'pq-keyword',
  GroupRight: 'pq-keyword',
  Offset: 'pq-keyword',
  Smoothed: 'pq-keyword',
  Anchored: 'pq-keyword',
  Fill: 'pq-keyword',
  FillLeft: 'pq-keyword',
  FillRight: 'pq-keyword',
  AtModifierPreprocessors: 'pq-function',
  DurationStep: 'pq-function',
  DurationRange: 'pq-function',
  DurationMinOf: 'pq-function',
  DurationMaxOf: 'pq-function',
  At: 'pq-operator',
  MatchOp: 'pq-operator',
  UnaryOp: 'pq-operator',
  // Set operators read as keywords; with pq-operator too, the later operator colour won.
  And: 'pq-logic',
  Or: 'pq-logic',
  Unless: 'pq-logic',
};
for (const op of ['Pow', 'Mul', 'Div', 'Mod', 'Add', 'Sub', 'Eql', 'Neq', 'Gtr', 'Lss', 'Gte', 'Lte', 'Atan2', 'TrimUpper', 'TrimLower']) {
  classes[op] = 'pq-operator';
}

/** A number literal that is really a duration (`5m`, `1h30m`), as opposed to `1e3`, `0x1f`, `Inf`. */
function isDuration(text: string): boolean {
  return /^\d+(?:ms|[smhdwy])(?:\d+(?:ms|[smhdwy]))*$/.test(text);
}

/** HTML for a PromQL expression with token spans; invalid expressions are highlighted as far as the grammar got. */
export function highlightPromQL(expr: string): string {
  try {
    const tree = parser.parse(expr);
    let out = '';
    let pos = 0;
    tree.iterate({
      enter(node) {
        if (node.type.isError) return undefined;
        let cls = classes[node.name];
        if (!cls || node.from >= node.to || node.from < pos) return undefined;
        const text = expr.slice(node.from, node.to);
        if (node.name === 'NumberDurationLiteral' && isDuration(text)) cls = 'pq-duration';
        else if (node.name === 'NumberDurationLiteralInDurationContext' && !isDuration(text)) cls = 'pq-number';
        out += escapeHtml(expr.slice(pos, node.from));
        out += `<span class="${cls}">${escapeHtml(text)}</span>`;
        pos = node.to;
        return false;
      },
    });
    return out + escapeHtml(expr.slice(pos));
  } catch {
    return escapeHtml(expr);
  }
}
