// PromQL layout as `promtool promql format` writes it (Prometheus 2.42, promql/parser's Pretty):
// the expression is read into Prometheus' own node kinds from the lezer tree, printed in its
// canonical form (matchers sorted, `sum(x) by (a)` as `sum by (a) (x)`, strings double-quoted,
// numbers as Go prints a float64), and every node whose canonical text is longer than 100
// characters is split over several lines, its children indented by two spaces per level.
import { promqlSyntaxTree, unquotePromQLString, type PromQLNode } from './promql.js';

/** Prometheus' line limit for one node's canonical text. */
const MAX_LINE = 100;

type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'vector'; name: string; matchers: string[]; at: string; offset: string }
  | { kind: 'matrix'; vector: Extract<Expr, { kind: 'vector' }>; range: string; at: string; offset: string }
  | { kind: 'subquery'; expr: Expr; range: string; step: string; at: string; offset: string }
  | { kind: 'paren'; expr: Expr }
  | { kind: 'unary'; op: string; expr: Expr }
  | { kind: 'binary'; op: string; bool: boolean; matching: string; lhs: Expr; rhs: Expr }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'aggregate'; op: string; grouping: string; param?: Expr; expr: Expr };

class Unsupported extends Error {}

/** Go's strconv.Quote (what `%q` prints): double quotes, escapes for what is not printable. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === ' ' || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch)) out += ch;
    else {
      const named: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };
      if (named[ch]) out += named[ch];
      else if (cp < 0x80) out += '\\x' + cp.toString(16).padStart(2, '0');
      else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
      else out += '\\U' + cp.toString(16).padStart(8, '0');
    }
  }
  return out + '"';
}

/** A float64 as Go's fmt.Sprint prints it: shortest digits, exponent form below 1e-4 and from 1e6. */
export function goFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace(/^-/, '').replace('.', '');
  let out: string;
  if (exponent < -4 || exponent >= 6) {
    const rest = digits.slice(1);
    const sign = exponent < 0 ? '-' : '+';
    out = `${digits[0]}${rest ? '.' + rest : ''}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  } else if (exponent < 0) {
    out = '0.' + '0'.repeat(-exponent - 1) + digits;
  } else {
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const fraction = digits.slice(exponent + 1);
    out = fraction ? `${whole}.${fraction}` : whole;
  }
  return negative ? '-' + out : out;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** Milliseconds of a duration literal (`1h30m`, or a plain number of seconds). */
function durationMs(text: string): number {
  if (/^[0-9.]+(?:e[+-]?\d+)?$/i.test(text)) return Math.round(Number(text) * 1000);
  let total = 0;
  const re = /(\d+)(ms|[smhdwy])/g;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    consumed += m[0].length;
  }
  if (consumed !== text.length) throw new Unsupported(`duration ${text}`);
  return total;
}

/** Prometheus' model.Duration.String(): `90s` → `1m30s`, `24h` → `1d`, `14d` → `2w`. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  const unit = (name: string, size: number, exact: boolean) => {
    if (exact && rest % size !== 0) return;
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${name}`;
      rest -= count * size;
    }
  };
  unit('y', UNIT_MS.y, true);
  unit('w', UNIT_MS.w, true);
  unit('d', UNIT_MS.d, false);
  unit('h', UNIT_MS.h, false);
  unit('m', UNIT_MS.m, false);
  unit('s', UNIT_MS.s, false);
  unit('ms', 1, false);
  return out;
}

function parseNumber(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === '+inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (lower === 'nan') return NaN;
  if (/^\d+(?:ms|[smhdwy])/.test(text)) return durationMs(text) / 1000;
  const value = Number(text.replace(/_/g, ''));
  if (Number.isNaN(value)) throw new Unsupported(`number ${text}`);
  return value;
}

/** Reads the re-associated lezer tree into Prometheus' node kinds. */
class Reader {
  constructor(private readonly source: string) {}

  text(node: PromQLNode): string {
    return this.source.slice(node.from, node.to);
  }

  unquote(node: PromQLNode): string {
    const value = unquotePromQLString(this.text(node));
    if (value === undefined) throw new Unsupported('string');
    return value;
  }

  labels(node: PromQLNode | undefined): string[] {
    if (!node) return [];
    return node.kids.map((kid) => (kid.name === 'LabelName' ? this.text(kid) : this.unquote(kid.kids[0] ?? kid)));
  }

  duration(node: PromQLNode): number {
    if (node.name === 'NumberDurationLiteralInDurationContext' || node.name === 'NumberDurationLiteral') return durationMs(this.text(node));
    if (node.kids.length === 2 && node.kids[0].name === 'UnaryOp') return (this.text(node.kids[0]) === '-' ? -1 : 1) * this.duration(node.kids[1]);
    if (node.kids.length === 1) return this.duration(node.kids[0]);
    throw new Unsupported(`duration expression ${node.name}`);
  }

  expr(node: PromQLNode): Expr {
    switch (node.name) {
      case 'PromQL':
      case 'FunctionCallBody':
        if (node.kids.length !== 1) throw new Unsupported(node.name);
        return this.expr(node.kids[0]);
      case 'ParenExpr':
        return { kind: 'paren', expr: this.expr(node.kids[0]) };
      case 'NumberDurationLiteral':
        return { kind: 'number', value: parseNumber(this.text(node)) };
      case 'StringLiteral':
        return { kind: 'string', value: this.unquote(node) };
      case 'VectorSelector':
        return this.vector(node);
      case 'MatrixSelector': {
        const inner = this.expr(node.kids[0]);
        if (inner.kind !== 'vector') throw new Unsupported('range of a non-selector');
        return { kind: 'matrix', vector: { ...inner, at: '', offset: '' }, range: goDuration(this.duration(node.kids[1])), at: inner.at, offset: inner.offset };
      }
      case 'SubqueryExpr': {
        const [inner, range, step] = node.kids;
        return { kind: 'subquery', expr: this.expr(inner), range: goDuration(this.duration(range)), step: step ? goDuration(this.duration(step)) : '', at: '', offset: '' };
      }
      case 'OffsetExpr': {
        const inner = this.expr(node.kids[0]);
        const ms = this.duration(node.kids[node.kids.length - 1]);
        const offset = ms > 0 ? ` offset ${goDuration(ms)}` : ms < 0 ? ` offset -${goDuration(-ms)}` : '';
        if (inner.kind === 'vector' || inner.kind === 'matrix' || inner.kind === 'subquery') return { ...inner, offset };
        throw new Unsupported('offset on an expression');
      }
      case 'StepInvariantExpr': {
        const inner = this.expr(node.kids[0]);
        const what = node.kids[node.kids.length - 1];
        let at: string;
        if (what.name === 'AtModifierPreprocessors') at = ` @ ${this.text(what.kids[0] ?? what).toLowerCase()}()`;
        else at = ` @ ${parseNumber(this.text(what)).toFixed(3)}`;
        if (inner.kind === 'vector' || inner.kind === 'matrix' || inner.kind === 'subquery') return { ...inner, at };
        throw new Unsupported('@ on an expression');
      }
      case 'UnaryExpr': {
        const op = this.text(node.kids[0]);
        const inner = this.expr(node.kids[node.kids.length - 1]);
        if (inner.kind === 'number') return { kind: 'number', value: op === '-' ? -inner.value : inner.value };
        return { kind: 'unary', op, expr: inner };
      }
      case 'BinaryExpr':
        return this.binary(node);
      case 'FunctionCall': {
        const [identifier, body] = node.kids;
        return { kind: 'call', name: this.text(identifier), args: body ? body.kids.map((arg) => this.expr(arg)) : [] };
      }
      case 'AggregateExpr':
        return this.aggregate(node);
      default:
        throw new Unsupported(node.name);
    }
  }

  vector(node: PromQLNode): Extract<Expr, { kind: 'vector' }> {
    let name = '';
    const matchers: string[] = [];
    for (const part of node.kids) {
      if (part.name === 'Identifier') name = this.text(part);
      else if (part.name === 'LabelMatchers') {
        for (const matcher of part.kids) {
          if (matcher.name === 'QuotedLabelName') {
            name = this.unquote(matcher.kids[0] ?? matcher);
            continue;
          }
          const [label, op, value] = matcher.kids;
          if (!label || !op || !value) throw new Unsupported('matcher');
          const labelName = label.name === 'LabelName' ? this.text(label) : this.unquote(label.kids[0] ?? label);
          matchers.push(`${labelName}${this.text(op)}${goQuote(this.unquote(value))}`);
        }
      }
    }
    return { kind: 'vector', name, matchers, at: '', offset: '' };
  }

  binary(node: PromQLNode): Expr {
    const kids = node.kids;
    const lhs = this.expr(kids[0]);
    const rhs = this.expr(kids[kids.length - 1]);
    const op = this.text(kids[1]).toLowerCase();
    let bool = false;
    let matching = '';
    for (const modifier of kids.slice(2, -1)) {
      if (modifier.name === 'BoolModifier') bool = true;
      else if (modifier.name === 'MatchingModifierClause') {
        const [kind, labels, group, include] = modifier.kids;
        const on = kind.name === 'On';
        const names = this.labels(labels);
        // Prometheus prints the clause only when it has labels or is `on` (so `ignoring()` vanishes, with its group modifier).
        if (names.length > 0 || on) {
          matching = ` ${on ? 'on' : 'ignoring'} (${names.join(', ')})`;
          if (group) matching += ` ${group.name === 'GroupLeft' ? 'group_left' : 'group_right'} (${this.labels(include).join(', ')})`;
        }
      } else throw new Unsupported(modifier.name);
    }
    return { kind: 'binary', op, bool, matching, lhs, rhs };
  }

  aggregate(node: PromQLNode): Expr {
    let op = '';
    let grouping = '';
    let args: Expr[] = [];
    for (const part of node.kids) {
      if (part.name === 'AggregateOp') op = this.text(part).toLowerCase();
      else if (part.name === 'AggregateModifier') {
        const [kind, labels] = part.kids;
        const names = this.labels(labels);
        if (kind.name === 'Without') grouping = ` without (${names.join(', ')}) `;
        else if (names.length > 0) grouping = ` by (${names.join(', ')}) `;
      } else if (part.name === 'FunctionCallBody') args = part.kids.map((arg) => this.expr(arg));
    }
    if (args.length === 0 || args.length > 2) throw new Unsupported('aggregation arguments');
    return args.length === 2 ? { kind: 'aggregate', op, grouping, param: args[0], expr: args[1] } : { kind: 'aggregate', op, grouping, expr: args[0] };
  }
}

/** Prometheus' canonical one-line text of a node (printer.go's String methods). */
function print(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return goFloat(e.value);
    case 'string':
      return goQuote(e.value);
    case 'vector': {
      const matchers = [...e.matchers].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return `${e.name}${matchers.length ? `{${matchers.join(',')}}` : ''}${e.at}${e.offset}`;
    }
    case 'matrix':
      return `${print(e.vector)}[${e.range}]${e.at}${e.offset}`;
    case 'subquery':
      return `${print(e.expr)}${subquerySuffix(e)}`;
    case 'paren':
      return `(${print(e.expr)})`;
    case 'unary':
      return `${e.op}${print(e.expr)}`;
    case 'binary':
      return `${print(e.lhs)} ${e.op}${e.bool ? ' bool' : ''}${e.matching} ${print(e.rhs)}`;
    case 'call':
      return `${e.name}(${e.args.map(print).join(', ')})`;
    case 'aggregate':
      return `${e.op}${e.grouping}(${e.param ? print(e.param) + ', ' : ''}${print(e.expr)})`;
  }
}

function subquerySuffix(e: Extract<Expr, { kind: 'subquery' }>): string {
  return `[${e.range}:${e.step}]${e.at}${e.offset}`;
}

const indent = (level: number) => '  '.repeat(level);
const needsSplit = (e: Expr) => print(e).length > MAX_LINE;

/** Prometheus' Pretty(level), method for method. */
function pretty(e: Expr, level: number): string {
  switch (e.kind) {
    case 'aggregate': {
      if (!needsSplit(e)) return indent(level) + print(e);
      let out = `${indent(level)}${e.op}${e.grouping}(\n`;
      if (e.param) out += `${pretty(e.param, level + 1)},\n`;
      return `${out}${pretty(e.expr, level + 1)}\n${indent(level)})`;
    }
    case 'binary':
      if (!needsSplit(e)) return indent(level) + print(e);
      return `${pretty(e.lhs, level + 1)}\n${indent(level)}${e.op}${e.bool ? ' bool' : ''}${e.matching}\n${pretty(e.rhs, level + 1)}`;
    case 'call':
      if (!needsSplit(e)) return indent(level) + print(e);
      return `${indent(level)}${e.name}(\n${e.args.map((arg) => pretty(arg, level + 1)).join(',\n')}\n${indent(level)})`;
    case 'paren':
      if (!needsSplit(e)) return indent(level) + print(e);
      return `${indent(level)}(\n${pretty(e.expr, level + 1)}\n${indent(level)})`;
    case 'subquery':
      // As in Prometheus 2.42: an unsplit subquery is not indented.
      if (!needsSplit(e)) return print(e);
      return `${pretty(e.expr, level)}${subquerySuffix(e)}`;
    case 'unary':
      return `${indent(level)}${e.op}${pretty(e.expr, level).trim()}`;
    default:
      return indent(level) + print(e);
  }
}

/**
 * The expression as `promtool promql format` prints it, or undefined when it does not parse
 * (or uses syntax this reader does not model). Comments are dropped, as Prometheus drops them.
 */
export function formatPromQL(expr: string): string | undefined {
  const parsed = promqlSyntaxTree(expr);
  return parsed && formatParsed(expr, parsed.tree);
}

function formatParsed(expr: string, parsed: PromQLNode): string | undefined {
  try {
    return pretty(new Reader(expr).expr(parsed), 0);
  } catch (error) {
    if (error instanceof Unsupported || error instanceof TypeError) return undefined;
    throw error;
  }
}

/**
 * What a rule card shows: the formatted expression when the text as written has a line longer
 * than the limit, else the text as written (so short expressions read exactly as in the rule
 * file). Expressions with comments are always shown as written: formatting would drop them.
 */
export function displayPromQL(expr: string): string {
  const written = expr.replace(/\s+$/, '');
  if (written.split('\n').every((line) => line.length <= MAX_LINE)) return written;
  const parsed = promqlSyntaxTree(expr);
  if (!parsed || parsed.comments) return written;
  return formatParsed(expr, parsed.tree) ?? written;
}
