// PromQL checks over the Prometheus project's own lezer grammar.
// Syntax errors are the error nodes of the parse tree; type errors follow the
// rules of Prometheus' parser (promql/parser/parse.go checkAST), re-implemented
// here over the lezer tree.
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode, Tree } from '@lezer/common';

export interface PromQLProblem {
  /** 0-based offsets into the expression. */
  from: number;
  to: number;
  message: string;
  ruleId: string;
  /** Problems that Prometheus accepts only behind a feature flag are warnings. */
  severity?: 'error' | 'warning';
}

type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';
type ArgType = 'scalar' | 'vector' | 'matrix' | 'string' | 'any';

const typeName: Record<ValueType | 'any', string> = {
  scalar: 'scalar',
  vector: 'instant vector',
  matrix: 'range vector',
  string: 'string',
  any: 'any',
};

interface FunctionDef {
  args: ArgType[];
  /** 0: exactly args.length; n > 0: last argument optional up to n extra; -1: unlimited repeats of the last type. */
  variadic: number;
  returns: ValueType;
  experimental?: boolean;
}

const S: ArgType = 'scalar';
const V: ArgType = 'vector';
const M: ArgType = 'matrix';
const STR: ArgType = 'string';

const functions: Record<string, FunctionDef> = {};
function def(names: string, args: ArgType[], variadic: number, returns: ValueType, experimental = false): void {
  for (const name of names.split(/\s+/)) if (name) functions[name] = { args, variadic, returns, experimental };
}
def(
  'abs absent acos acosh asin asinh atan atanh ceil cos cosh deg exp floor ln log10 log2 rad sgn sin sinh sqrt tan tanh sort sort_desc timestamp histogram_count histogram_sum histogram_avg histogram_stddev histogram_stdvar',
  [V],
  0,
  'vector',
);
def(
  'absent_over_time avg_over_time count_over_time last_over_time max_over_time min_over_time stddev_over_time stdvar_over_time sum_over_time present_over_time changes delta deriv idelta increase irate rate resets',
  [M],
  0,
  'vector',
);
def('mad_over_time first_over_time ts_of_first_over_time ts_of_max_over_time ts_of_min_over_time ts_of_last_over_time', [M], 0, 'vector', true);
def('quantile_over_time', [S, M], 0, 'vector');
def('predict_linear', [M, S], 0, 'vector');
def('double_exponential_smoothing', [M, S, S], 0, 'vector', true);
def('clamp', [V, S, S], 0, 'vector');
def('clamp_max clamp_min', [V, S], 0, 'vector');
def('days_in_month day_of_month day_of_week day_of_year hour minute month year', [V], 1, 'vector');
def('histogram_fraction', [S, S, V], 0, 'vector');
def('histogram_quantile', [S, V], 0, 'vector');
def('info', [V, V], 1, 'vector', true);
def('label_replace', [V, STR, STR, STR, STR], 0, 'vector');
def('label_join', [V, STR, STR, STR], -1, 'vector');
def('pi time', [], 0, 'scalar');
def('round', [V, S], 1, 'vector');
def('scalar', [V], 0, 'scalar');
def('vector', [S], 0, 'vector');
def('sort_by_label sort_by_label_desc', [V, STR], -1, 'vector', true);
// Newer functions whose signatures are not checked here: arguments are type-checked loosely.
def('histogram_quantiles start_timestamp', ['any'], -1, 'vector', true);
def('range step', [], 0, 'scalar', true);

const paramAggregations: Record<string, ValueType> = {
  topk: 'scalar',
  bottomk: 'scalar',
  quantile: 'scalar',
  limitk: 'scalar',
  limit_ratio: 'scalar',
  count_values: 'string',
};
const experimentalAggregations = new Set(['limitk', 'limit_ratio']);

const comparisonOps = new Set(['Eql', 'Neq', 'Gtr', 'Lss', 'Gte', 'Lte']);
const setOps = new Set(['And', 'Or', 'Unless']);
const binaryOps = new Set(['Pow', 'Mul', 'Div', 'Mod', 'Add', 'Sub', 'Atan2', 'TrimUpper', 'TrimLower', ...comparisonOps, ...setOps]);

/** Parse once; the tree is shared by the checker and the highlighter. */
export function parsePromQL(expr: string): Tree {
  return parser.parse(expr);
}

/** Unquote a PromQL string literal (double, single or back quotes). Returns undefined if it is malformed. */
export function unquotePromQLString(text: string): string | undefined {
  if (text.length < 2) return undefined;
  const quote = text[0];
  if (text[text.length - 1] !== quote) return undefined;
  const body = text.slice(1, -1);
  if (quote === '`') return body.includes('`') ? undefined : body;
  if (quote !== '"' && quote !== "'") return undefined;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === quote || c === '\n') return undefined;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case '"': case "'": out += e; break;
      case 'x': {
        const hex = body.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
        out += String.fromCharCode(parseInt(hex, 16));
        i += 2;
        break;
      }
      case 'u': case 'U': {
        const n = e === 'u' ? 4 : 8;
        const hex = body.slice(i + 1, i + 1 + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) return undefined;
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff) return undefined;
        out += String.fromCodePoint(cp);
        i += n;
        break;
      }
      default:
        if (e !== undefined && /[0-7]/.test(e)) {
          const oct = body.slice(i, i + 3);
          if (!/^[0-7]{3}$/.test(oct)) return undefined;
          out += String.fromCharCode(parseInt(oct, 8));
          i += 2;
          break;
        }
        return undefined;
    }
  }
  return out;
}

/**
 * A mirror of the lezer tree with comments dropped and postfix modifiers re-associated.
 * The lezer grammar applies `offset`, `@`, `[range]` and `[subquery]` to a whole preceding
 * binary or unary expression (`a - b offset 5m` as `(a - b) offset 5m`), while Prometheus binds
 * them tighter than any operator (`a - (b offset 5m)`); the checker needs Prometheus' reading.
 */
interface ENode {
  name: string;
  from: number;
  to: number;
  kids: ENode[];
}

const postfixNodes = new Set(['OffsetExpr', 'StepInvariantExpr', 'MatrixSelector', 'SubqueryExpr', 'AnchoredExpr', 'SmoothedExpr']);

function mirror(node: SyntaxNode): ENode {
  const kids: ENode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name !== 'LineComment') kids.push(mirror(c));
  const e: ENode = { name: node.name, from: node.from, to: node.to, kids };
  return postfixNodes.has(e.name) ? pushDown(e) : e;
}

function pushDown(postfix: ENode): ENode {
  const target = postfix.kids[0];
  if (!target || (target.name !== 'BinaryExpr' && target.name !== 'UnaryExpr')) return postfix;
  const last = target.kids[target.kids.length - 1];
  if (!last) return postfix;
  const inner = pushDown({ ...postfix, from: last.from, kids: [last, ...postfix.kids.slice(1)] });
  return { ...target, to: postfix.to, kids: [...target.kids.slice(0, -1), inner] };
}

function children(node: ENode): ENode[] {
  return node.kids;
}

class Checker {
  problems: PromQLProblem[] = [];
  constructor(private readonly expr: string) {}

  text(node: ENode): string {
    return this.expr.slice(node.from, node.to);
  }

  fail(node: { from: number; to: number }, message: string, ruleId = 'promql-type', severity: 'error' | 'warning' = 'error'): void {
    this.problems.push({ from: node.from, to: node.to, message, ruleId, severity });
  }

  expect(node: ENode, got: ValueType | undefined, want: ArgType, context: string): void {
    if (got === undefined || want === 'any' || got === want) return;
    this.fail(node, `Expected type ${typeName[want]} in ${context}, got ${typeName[got]}.`);
  }

  /** Returns the value type of an expression node, or undefined when it cannot be known. */
  check(node: ENode): ValueType | undefined {
    switch (node.name) {
      case 'PromQL': {
        const [first] = children(node);
        return first ? this.check(first) : undefined;
      }
      case 'ParenExpr': {
        const [inner] = children(node);
        return inner ? this.check(inner) : undefined;
      }
      case 'NumberDurationLiteral': {
        // Prometheus' lexer reads a number and the letters glued to it as one bad token
        // (`0.05and` is not `0.05 and`); the lezer grammar splits them, so check it here.
        const next = this.expr[node.to];
        if (next !== undefined && /[\p{L}\p{N}_]/u.test(next)) {
          const glued = /^[\p{L}\p{N}_]+/u.exec(this.expr.slice(node.to))![0];
          this.fail({ from: node.from, to: node.to + glued.length }, `Unexpected \`${glued}\` right after the number \`${this.text(node)}\`, expected a space or an operator between them.`, 'promql-syntax');
        }
        return 'scalar';
      }
      case 'StringLiteral':
        if (unquotePromQLString(this.text(node)) === undefined) this.fail(node, `Invalid string literal ${this.text(node)}.`, 'promql-syntax');
        return 'string';
      case 'VectorSelector':
        this.checkSelector(node);
        return 'vector';
      case 'MatrixSelector':
        return this.checkMatrix(node);
      case 'SubqueryExpr': {
        const [inner] = children(node);
        const t = inner ? this.check(inner) : undefined;
        if (inner && t !== undefined && t !== 'vector') {
          this.fail(inner, `Subquery is only allowed on an instant vector, got ${typeName[t]}.`);
        }
        return 'matrix';
      }
      case 'OffsetExpr':
      case 'StepInvariantExpr':
        return this.checkModifier(node);
      case 'AnchoredExpr':
      case 'SmoothedExpr': {
        const [inner] = children(node);
        this.fail(node, `The \`${node.name === 'AnchoredExpr' ? 'anchored' : 'smoothed'}\` modifier is experimental (Prometheus needs --enable-feature=promql-extended-range-selectors).`, 'promql-experimental', 'warning');
        return inner ? this.check(inner) : undefined;
      }
      case 'UnaryExpr': {
        const parts = children(node);
        const inner = parts[parts.length - 1];
        const t = inner ? this.check(inner) : undefined;
        if (inner && t !== undefined && t !== 'scalar' && t !== 'vector') {
          this.fail(node, `Unary expression only allowed on expressions of type scalar or instant vector, got ${typeName[t]}.`);
        }
        return t;
      }
      case 'BinaryExpr':
        return this.checkBinary(node);
      case 'AggregateExpr':
        return this.checkAggregate(node);
      case 'FunctionCall':
        return this.checkCall(node);
      default:
        return undefined;
    }
  }

  checkSelector(node: ENode): void {
    let metricName: string | undefined;
    let nonEmpty = false;
    for (const part of children(node)) {
      if (part.name === 'Identifier') {
        metricName = this.text(part);
        nonEmpty = true;
      } else if (part.name === 'LabelMatchers') {
        for (const m of children(part)) {
          const [nameNode, opNode, valueNode] = children(m);
          if (!opNode || !valueNode) {
            // `{"metric_name"}`: a quoted metric name alone.
            if (m.name === 'QuotedLabelName' || (m.name === 'QuotedLabelMatcher' && nameNode && !opNode)) {
              const n = nameNode ? unquotePromQLString(this.text(nameNode.name === 'StringLiteral' ? nameNode : nameNode.kids[0] ?? nameNode)) : undefined;
              if (metricName !== undefined) this.fail(m, `Metric name must not be set twice: "${metricName}" or "${n ?? ''}".`);
              metricName = n;
              nonEmpty = true;
            }
            continue;
          }
          const labelName =
            nameNode.name === 'LabelName' ? this.text(nameNode) : unquotePromQLString(this.text(nameNode.kids[0] ?? nameNode)) ?? '';
          const op = this.text(opNode);
          const value = unquotePromQLString(this.text(valueNode));
          if (value === undefined) {
            this.fail(valueNode, `Invalid string literal ${this.text(valueNode)}.`, 'promql-syntax');
            nonEmpty = true;
            continue;
          }
          if (op === '=~' || op === '!~') {
            const { re, problem } = compileRE2ish(value);
            if (problem) this.fail(valueNode, `Error parsing regexp \`${value}\`: ${problem}.`, 'promql-regex');
            if (!re || (op === '=~') !== re.test('')) nonEmpty = true;
          } else if ((op === '=') === (value !== '')) {
            nonEmpty = true;
          }
          if (labelName === '__name__' && op === '=') {
            if (metricName !== undefined) this.fail(m, `Metric name must not be set twice: "${metricName}" or "${value}".`);
            metricName = value;
          }
        }
      }
    }
    if (!nonEmpty) this.fail(node, 'Vector selector must contain at least one non-empty matcher.');
  }

  checkMatrix(node: ENode): ValueType {
    const [inner] = children(node);
    if (!inner) return 'matrix';
    if (inner.name === 'VectorSelector') {
      this.checkSelector(inner);
    } else if (inner.name === 'OffsetExpr') {
      this.check(inner);
      this.fail(inner, 'No offset modifiers allowed before range.');
    } else if (inner.name === 'StepInvariantExpr') {
      this.check(inner);
      this.fail(inner, 'No @ modifiers allowed before range.');
    } else {
      this.check(inner);
      this.fail(node, 'Ranges only allowed for vector selectors.');
    }
    return 'matrix';
  }

  checkModifier(node: ENode): ValueType | undefined {
    const [inner] = children(node);
    if (!inner) return undefined;
    const modifier = node.name === 'OffsetExpr' ? 'offset' : '@';
    const allowed = ['VectorSelector', 'MatrixSelector', 'SubqueryExpr'];
    if (inner.name === node.name) {
      // Checked once: checking it again for its type doubled the work at every nesting level.
      const t = this.check(inner);
      this.fail(node, modifier === 'offset' ? 'Offset may not be set multiple times.' : '@ <timestamp> may not be set multiple times.');
      return t;
    }
    const other = node.name === 'OffsetExpr' ? 'StepInvariantExpr' : 'OffsetExpr';
    if (inner.name === other) {
      const [innermost] = children(inner);
      if (innermost && innermost.name === node.name) {
        this.fail(node, modifier === 'offset' ? 'Offset may not be set multiple times.' : '@ <timestamp> may not be set multiple times.');
      }
      return this.check(inner);
    }
    const t = this.check(inner);
    if (!allowed.includes(inner.name)) {
      this.fail(node, `The ${modifier} modifier must be preceded by an instant vector selector or range vector selector or a subquery.`);
    }
    return t;
  }

  checkBinary(node: ENode): ValueType | undefined {
    const parts = children(node);
    const lhs = parts[0];
    const rhs = parts[parts.length - 1];
    const opNode = parts[1];
    if (!lhs || !rhs || !opNode || parts.length < 3) return undefined;
    const lt = this.check(lhs);
    const rt = this.check(rhs);
    const op = opNode.name;
    const opText = this.text(opNode);
    const bool = parts.some((p) => p.name === 'BoolModifier');
    const matching = parts.find((p) => p.name === 'MatchingModifierClause');
    if (!binaryOps.has(op)) return undefined;
    const isComparison = comparisonOps.has(op);
    const isSet = setOps.has(op);
    if (bool && !isComparison) this.fail(opNode, 'The bool modifier can only be used on comparison operators.');
    if (isComparison && !bool && lt === 'scalar' && rt === 'scalar') {
      this.fail(node, 'Comparisons between scalars must use the bool modifier.');
    }
    let matchingLabels: string[] = [];
    let includeLabels: string[] = [];
    let on = false;
    let grouping = false;
    if (matching) {
      const mparts = children(matching);
      for (let i = 0; i < mparts.length; i++) {
        const p = mparts[i];
        if (p.name === 'On' || p.name === 'Ignoring') {
          on = p.name === 'On';
          const labels = mparts[i + 1];
          if (labels?.name === 'GroupingLabels') matchingLabels = this.labelList(labels);
        } else if (p.name === 'GroupLeft' || p.name === 'GroupRight') {
          grouping = true;
          const labels = mparts[i + 1];
          if (labels?.name === 'GroupingLabels') includeLabels = this.labelList(labels);
        }
      }
      if (on) {
        for (const l of matchingLabels) {
          if (includeLabels.includes(l)) this.fail(matching, `Label "${l}" must not occur in ON and GROUP clause at once.`);
        }
      }
    }
    for (const [side, t] of [
      [lhs, lt],
      [rhs, rt],
    ] as const) {
      if (t !== undefined && t !== 'scalar' && t !== 'vector') {
        this.fail(side, `Binary expression must contain only scalar and instant vector types, got ${typeName[t]}.`);
        return undefined;
      }
    }
    if (lt === undefined || rt === undefined) return lt === 'vector' || rt === 'vector' ? 'vector' : undefined;
    if ((lt !== 'vector' || rt !== 'vector') && matching) {
      if (matchingLabels.length > 0 || grouping) this.fail(matching, 'Vector matching only allowed between instant vectors.');
    } else if (isSet && grouping) {
      this.fail(matching ?? opNode, `No grouping allowed for "${opText}" operation.`);
    }
    if ((lt === 'scalar' || rt === 'scalar') && isSet) {
      this.fail(opNode, `Set operator "${opText}" not allowed in binary scalar expression.`);
    }
    return lt === 'scalar' && rt === 'scalar' ? 'scalar' : 'vector';
  }

  labelList(node: ENode): string[] {
    return children(node).map((l) => (l.name === 'LabelName' ? this.text(l) : unquotePromQLString(this.text(l.kids[0] ?? l)) ?? this.text(l)));
  }

  checkAggregate(node: ENode): ValueType {
    const parts = children(node);
    const opNode = parts.find((p) => p.name === 'AggregateOp');
    const body = parts.find((p) => p.name === 'FunctionCallBody');
    const op = opNode ? this.text(opNode).toLowerCase() : '';
    if (experimentalAggregations.has(op) && opNode) {
      this.fail(opNode, `The \`${op}\` aggregation is experimental (Prometheus needs --enable-feature=promql-experimental-functions).`, 'promql-experimental', 'warning');
    }
    if (!body) return 'vector';
    const args = children(body);
    const param = paramAggregations[op];
    const expected = param ? 2 : 1;
    if (args.length !== expected) {
      this.fail(body, `Wrong number of arguments for aggregate expression provided, expected ${expected}, got ${args.length}.`);
      for (const a of args) this.check(a);
      return 'vector';
    }
    if (param) this.expect(args[0], this.check(args[0]), param, 'aggregation parameter');
    const last = args[args.length - 1];
    this.expect(last, this.check(last), 'vector', 'aggregation expression');
    return 'vector';
  }

  checkCall(node: ENode): ValueType | undefined {
    const parts = children(node);
    const ident = parts.find((p) => p.name === 'FunctionIdentifier');
    const body = parts.find((p) => p.name === 'FunctionCallBody');
    if (!ident) return undefined;
    const name = this.text(ident);
    const fn = functions[name];
    const args = body ? children(body) : [];
    if (!fn) {
      for (const a of args) this.check(a);
      return undefined;
    }
    if (fn.experimental) {
      this.fail(ident, `The function \`${name}\` is experimental (Prometheus needs --enable-feature=promql-experimental-functions).`, 'promql-experimental', 'warning');
    }
    const nargs = fn.args.length;
    const where = body ?? node;
    if (fn.variadic === 0) {
      if (nargs !== args.length) this.fail(where, `Expected ${nargs} argument(s) in call to "${name}", got ${args.length}.`);
    } else {
      const min = nargs - 1;
      if (min > args.length) this.fail(where, `Expected at least ${min} argument(s) in call to "${name}", got ${args.length}.`);
      else if (fn.variadic > 0 && min + fn.variadic < args.length) {
        this.fail(where, `Expected at most ${min + fn.variadic} argument(s) in call to "${name}", got ${args.length}.`);
      }
    }
    args.forEach((a, i) => {
      const want = fn.args[Math.min(i, nargs - 1)] ?? 'any';
      this.expect(a, this.check(a), want, `call to function "${name}"`);
    });
    return fn.returns;
  }
}

/** True when a `(` outside strings and comments is never closed. */
function unclosedParen(expr: string): boolean {
  let depth = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < expr.length && expr[i] !== c; i++) if (expr[i] === '\\' && c !== '`') i++;
    } else if (c === '#') {
      while (i < expr.length && expr[i] !== '\n') i++;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
  }
  return depth > 0;
}

/**
 * Compile a label-matcher regex (RE2 syntax in Prometheus) with JavaScript's engine, after
 * translating the RE2-only spellings. Reports Perl features RE2 lacks and syntax both engines
 * reject; when only JavaScript rejects it, the regex is given the benefit of the doubt.
 */
export function compileRE2ish(source: string): { re?: RegExp; problem?: string } {
  if (/\(\?<?[=!]/.test(source.replace(/\\./g, ''))) return { problem: 'lookahead and lookbehind are not supported (RE2 syntax)' };
  if (/\\[1-9]/.test(source.replace(/\\\\/g, ''))) return { problem: 'backreferences are not supported (RE2 syntax)' };
  let flags = 's';
  let js = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$')
    .replace(/\\Q(.*?)(?:\\E|$)/g, (_m, lit: string) => lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  js = js.replace(/\(\?([imsU]+)\)/g, (_m, f: string) => {
    if (f.includes('i')) flags += 'i';
    return '';
  });
  js = js.replace(/\(\?[imsU]+:/g, '(?:');
  try {
    return { re: new RegExp(`^(?:${js})$`, flags) };
  } catch (err) {
    const message = (err as Error).message;
    // Only trust JavaScript's verdict for mistakes RE2 rejects too.
    if (/Unterminated group|Unmatched '\)'|Nothing to repeat|Unterminated character class|Lone quantifier brackets|numbers out of order|Range out of order/i.test(message)) {
      return { problem: message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '').replace(/\.$/, '').toLowerCase() };
    }
    return {};
  }
}

function syntaxProblem(expr: string, tree: Tree): PromQLProblem | undefined {
  let found: SyntaxNode | undefined;
  tree.iterate({
    enter(ref) {
      if (found) return false;
      if (ref.type.isError) {
        found = ref.node;
        return false;
      }
      return undefined;
    },
  });
  if (!found) return undefined;
  const err = found;
  // An identifier followed by `(` (spaces allowed) that the grammar did not take as a function.
  const prev = err.prevSibling;
  if (prev && prev.name === 'Identifier' && /^\s*\(/.test(expr.slice(prev.to)) && expr.slice(prev.to, err.from).trim() === '') {
    return { from: prev.from, to: prev.to, message: `Unknown function with name "${expr.slice(prev.from, prev.to)}".`, ruleId: 'promql-syntax', severity: 'error' };
  }
  // Describe the token at the error.
  let at = err.from;
  while (at < expr.length && /\s/.test(expr[at])) at++;
  if (at >= expr.length) {
    if (unclosedParen(expr)) return { from: Math.max(0, expr.length - 1), to: expr.length, message: 'Unclosed left parenthesis.', ruleId: 'promql-syntax', severity: 'error' };
    return { from: Math.max(0, expr.length - 1), to: expr.length, message: 'Unexpected end of input.', ruleId: 'promql-syntax', severity: 'error' };
  }
  const token = /^(?:[A-Za-z_:][\w:]*|\d[\w.]*|"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|`[^`]*`?|[=!<>]=|=~|!~|\S)/.exec(expr.slice(at))?.[0] ?? expr[at];
  const shown = token.length > 40 ? `${token.slice(0, 40)}…` : token;
  return { from: at, to: at + token.length, message: `Unexpected \`${shown}\`.`, ruleId: 'promql-syntax', severity: 'error' };
}

/** Check a PromQL expression the way Prometheus' parser does. Offsets index `expr`. */
export function checkPromQL(expr: string): PromQLProblem[] {
  if (expr.trim() === '') return [{ from: 0, to: expr.length, message: 'Expression is empty.', ruleId: 'promql-syntax', severity: 'error' }];
  const tree = parsePromQL(expr);
  const syntax = syntaxProblem(expr, tree);
  if (syntax) return [syntax];
  const checker = new Checker(expr);
  checker.check(mirror(tree.topNode));
  return checker.problems;
}

/** A node of `promqlSyntaxTree`: the lezer node's name and span, children without comments. */
export type PromQLNode = ENode;

/**
 * The expression's tree as Prometheus reads it (postfix modifiers re-associated, comments
 * dropped), or undefined when the grammar found a syntax error. `comments` tells whether the
 * text had `#` comments, which a tree cannot keep.
 */
export function promqlSyntaxTree(expr: string): { tree: PromQLNode; comments: boolean } | undefined {
  const tree = parser.parse(expr);
  let broken = false;
  let comments = false;
  tree.iterate({
    enter(node) {
      if (node.type.isError) broken = true;
      if (node.name === 'LineComment') comments = true;
      return !broken;
    },
  });
  if (broken) return undefined;
  return { tree: mirror(tree.topNode), comments };
}
