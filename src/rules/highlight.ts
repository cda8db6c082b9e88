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

/** Line-break opportunities for narrow screens: after `_` inside names, after `{` and `,`, before `[`. */
function withBreaks(html: string, names: boolean): string {
  return names ? html.replace(/_(?=[^_])/g, '_<wbr>') : html.replace(/([{,])(?=\S)/g, '$1<wbr>').replace(/(?<=\S)\[/g, '<wbr>[');
}

/**
 * HTML for a PromQL expression with token spans; invalid expressions are highlighted as far as
 * the grammar got. With `breaks`, `<wbr>` marks where a long line may wrap (they add no text).
 */
export function highlightPromQL(expr: string, options: { breaks?: boolean } = {}): string {
  const plain = (text: string) => (options.breaks ? withBreaks(escapeHtml(text), false) : escapeHtml(text));
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
        out += plain(expr.slice(pos, node.from));
        const tokenHtml = escapeHtml(text);
        out += `<span class="${cls}">${options.breaks && (cls === 'pq-metric' || cls === 'pq-label') ? withBreaks(tokenHtml, true) : tokenHtml}</span>`;
        pos = node.to;
        return false;
      },
    });
    return out + plain(expr.slice(pos));
  } catch {
    return escapeHtml(expr);
  }
}

/** Deepest indentation level with its own hanging-indent class (`pl d0` … `pl d12`). */
const MAX_DEPTH = 12;

/**
 * A multi-line expression as one block per line (`<span class="pl dN">`, N = indentation in
 * two-space steps), highlighted, so a line too long for the screen wraps with a hanging indent
 * under its own start instead of at the left edge. Leading spaces are kept for copy and paste.
 */
export function highlightPromQLLines(expr: string): string {
  // Tokens never span lines (strings are quoted, comments end at the line's end), so the
  // highlighted HTML splits cleanly at newlines.
  const lines = expr.split('\n');
  return highlightPromQL(expr, { breaks: true })
    .split('\n')
    .map((line, i) => {
      const spaces = /^ */.exec(lines[i] ?? '')![0].length;
      return `<span class="pl d${Math.min(MAX_DEPTH, Math.floor(spaces / 2))}">${line}</span>`;
    })
    .join('');
}
