// Go text/template syntax check for alerting rule label and annotation values.
//
// Prometheus parses every such value as a Go text/template (rulefmt
// testTemplateParsing): it prepends
//   {{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}
// and calls text/template Parse with its function map. Only parsing happens, no
// execution, and a template that does not parse makes the rule file invalid.
//
// This is a lexer and parser modelled on the behaviour of Go's
// text/template/parse (Go 1.23+: `{{else with}}`, `{{break}}`/`{{continue}}`,
// the 10,000 limit on nested parentheses): the same token stream, the same
// grammar decisions, so the same verdict and the same first error, reported
// with messages written for people editing rule files. Nesting is handled with
// explicit stacks, never recursion, so deep input cannot overflow the JS stack.

import { closest, editDistance } from '../edit-distance.js';

export interface TemplateProblem {
  start: number;
  end: number;
  message: string;
}

/** Go text/template's builtin functions (text/template funcs.go). */
const GO_BUILTIN_FUNCTIONS = ['and', 'call', 'html', 'index', 'slice', 'js', 'len', 'not', 'or', 'print', 'printf', 'println', 'urlquery', 'eq', 'ge', 'gt', 'le', 'lt', 'ne'];

/** Prometheus 3 template functions (template/template.go, NewTemplateExpander). */
const PROMETHEUS_FUNCTIONS = [
  'query',
  'first',
  'label',
  'value',
  'strvalue',
  'args',
  'reReplaceAll',
  'safeHtml',
  'match',
  'title',
  'toUpper',
  'toLower',
  'graphLink',
  'tableLink',
  'sortByLabel',
  'stripPort',
  'stripDomain',
  'humanize',
  'humanize1024',
  'humanizeDuration',
  'humanizePercentage',
  'humanizeTimestamp',
  'toTime',
  'toDuration',
  'now',
  'pathPrefix',
  'externalURL',
  'parseDuration',
  'urlQueryEscape',
];

const KNOWN_FUNCTIONS: ReadonlySet<string> = new Set([...GO_BUILTIN_FUNCTIONS, ...PROMETHEUS_FUNCTIONS]);

/** `$` plus the variables declared by the prefix Prometheus puts before every template. */
const PRELUDE_VARIABLES = ['$', '$labels', '$externalLabels', '$externalURL', '$value'];

/** Go's maxStackDepth: deeper parenthesised pipelines are a parse error. */
const MAX_PAREN_DEPTH = 10_000;
/** Go's maxPipelineCmds. */
const MAX_PIPELINE_COMMANDS = 100_000;

// ---------------------------------------------------------------------------
// Tokens

type ControlKeyword = 'block' | 'break' | 'continue' | 'define' | 'else' | 'end' | 'if' | 'range' | 'template' | 'with';

type TokenKind =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'leftParen'
  | 'rightParen'
  | 'pipe'
  | 'assign'
  | 'declare'
  | 'char'
  | 'identifier'
  | 'field'
  | 'variable'
  | 'bool'
  | 'number'
  | 'complex'
  | 'charConstant'
  | 'string'
  | 'rawString'
  | 'dot'
  | 'nil'
  | ControlKeyword
  | 'eof'
  | 'error';

interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  text: string;
  /** Set on `error` tokens: the lexer's complaint. */
  problem?: TemplateProblem;
}

const KEYWORDS: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  ['block', 'block'],
  ['break', 'break'],
  ['continue', 'continue'],
  ['define', 'define'],
  ['else', 'else'],
  ['end', 'end'],
  ['if', 'if'],
  ['nil', 'nil'],
  ['range', 'range'],
  ['template', 'template'],
  ['with', 'with'],
]);

const CONTROL_KEYWORDS: ReadonlySet<TokenKind> = new Set<TokenKind>(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);

/** Tokens that can start an operand (Go's pipeline loop). */
const OPERAND_STARTS: ReadonlySet<TokenKind> = new Set<TokenKind>([
  'bool',
  'charConstant',
  'complex',
  'dot',
  'field',
  'identifier',
  'number',
  'nil',
  'rawString',
  'string',
  'variable',
  'leftParen',
]);

const DECIMAL_DIGITS = '0123456789_';
const HEX_DIGITS = '0123456789abcdefABCDEF_';
const OCTAL_DIGITS = '01234567_';
const BINARY_DIGITS = '01_';

const letterOrDigit = /^[\p{L}\p{Nd}]$/u;
/** Only Go's unicode.IsSpace characters (JavaScript's \s also has U+FEFF and lacks U+0085). */
const goSpaceOnly = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

/** Go's isSpace inside actions: ASCII space, tab, CR and LF only. */
function isActionSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}

function isDecimalDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

/** Go's isAlphaNumeric: `_`, Unicode letters and decimal digits. */
function isAlphaNumeric(codePoint: number): boolean {
  if (codePoint < 0x80) {
    const lower = codePoint | 0x20;
    return codePoint === 0x5f || (codePoint >= 0x30 && codePoint <= 0x39) || (lower >= 0x61 && lower <= 0x7a);
  }
  return letterOrDigit.test(String.fromCodePoint(codePoint));
}

/** A character as it should appear in a message: visible, with its code point when it is not. */
function showCharacter(char: string): string {
  const codePoint = char.codePointAt(0) ?? 0;
  const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
  if (codePoint <= 0x20 || (codePoint >= 0x7f && codePoint <= 0xa0) || /\p{Z}|\p{C}/u.test(char)) return `U+${hex}`;
  return codePoint < 0x80 ? `\`${char}\`` : `\`${char}\` (U+${hex})`;
}

/** Source text in backquotes for a message, shortened when long. */
function quoteSnippet(text: string): string {
  const shown = text.length > 24 ? `${text.slice(0, 24)}…` : text;
  return `\`${shown.replace(/\n/g, '\\n')}\``;
}

function characterAt(text: string, index: number): string {
  const codePoint = text.codePointAt(index);
  return codePoint === undefined ? '' : String.fromCodePoint(codePoint);
}

// ---------------------------------------------------------------------------
// Lexer: the whole token stream up to EOF or the first lexical error, which
// ends the stream as an `error` token. Go's lexer is lazy, but the parser
// consumes tokens in order either way, so a parse error that comes before the
// lexical error in the stream is still the one reported.

type LexState = 'text' | 'action' | 'stop';

class TemplateLexer {
  private readonly tokens: Token[] = [];
  private pos = 0;
  /** Where the `{{` of the action being lexed starts. */
  private actionStart = 0;
  /** Offsets of the `(` not yet closed in this action. */
  private openParens: number[] = [];

  constructor(private readonly input: string) {}

  tokenize(): Token[] {
    let state: LexState = 'text';
    while (state !== 'stop') state = state === 'text' ? this.lexText() : this.lexInsideAction();
    return this.tokens;
  }

  private emit(kind: TokenKind, start: number, end: number): void {
    this.tokens.push({ kind, start, end, text: this.input.slice(start, end) });
    this.pos = end;
  }

  private fail(start: number, end: number, message: string): LexState {
    this.tokens.push({ kind: 'error', start, end, text: this.input.slice(start, end), problem: { start, end, message } });
    return 'stop';
  }

  /** `-` followed by an ASCII space: the trim marker of `{{- `. */
  private hasLeftTrimMarker(at: number): boolean {
    return this.input[at] === '-' && at + 1 < this.input.length && isActionSpace(this.input.charCodeAt(at + 1));
  }

  /** An ASCII space followed by `-`: the trim marker of ` -}}`. */
  private hasRightTrimMarker(at: number): boolean {
    return at + 1 < this.input.length && isActionSpace(this.input.charCodeAt(at)) && this.input[at + 1] === '-';
  }

  /** Length of the right delimiter at `at` (`}}` or ` -}}`), 0 when there is none. */
  private rightDelimiterLength(at: number): number {
    if (this.hasRightTrimMarker(at) && this.input.startsWith('}}', at + 2)) return 4;
    return this.input.startsWith('}}', at) ? 2 : 0;
  }

  private skipActionSpaces(): void {
    while (this.pos < this.input.length && isActionSpace(this.input.charCodeAt(this.pos))) this.pos++;
  }

  private lexText(): LexState {
    const open = this.input.indexOf('{{', this.pos);
    if (open < 0) {
      if (this.pos < this.input.length) this.emit('text', this.pos, this.input.length);
      this.emit('eof', this.input.length, this.input.length);
      return 'stop';
    }
    const trimsBefore = this.hasLeftTrimMarker(open + 2);
    let textEnd = open;
    if (trimsBefore) while (textEnd > this.pos && isActionSpace(this.input.charCodeAt(textEnd - 1))) textEnd--;
    if (textEnd > this.pos) this.emit('text', this.pos, textEnd);
    const afterDelimiter = open + 2 + (trimsBefore ? 2 : 0);
    // A comment must start right after `{{` or `{{- `.
    if (this.input.startsWith('/*', afterDelimiter)) return this.lexComment(open, afterDelimiter);
    this.emit('leftDelim', open, open + 2);
    this.pos = afterDelimiter;
    this.actionStart = open;
    this.openParens = [];
    return 'action';
  }

  private lexComment(open: number, commentStart: number): LexState {
    const close = this.input.indexOf('*/', commentStart + 2);
    if (close < 0) return this.fail(open, commentStart + 2, 'Unexpected end of template: comment {{/* opened here is not closed with */}}');
    const afterComment = close + 2;
    const delimiter = this.rightDelimiterLength(afterComment);
    if (delimiter === 0) {
      if (afterComment >= this.input.length) {
        return this.fail(open, commentStart + 2, 'Unexpected end of template: comment {{/* opened here is not closed with }} after its */');
      }
      const char = characterAt(this.input, afterComment);
      const what = isActionSpace(char.charCodeAt(0)) ? 'space' : showCharacter(char);
      return this.fail(afterComment, afterComment + char.length, `Unexpected ${what} after the comment, expected \`*/}}\` or \`*/ -}}\``);
    }
    this.pos = afterComment + delimiter;
    if (delimiter === 4) this.skipActionSpaces();
    return 'text';
  }

  private lexRightDelim(): LexState {
    const trims = this.hasRightTrimMarker(this.pos);
    if (trims) this.pos += 2;
    this.emit('rightDelim', this.pos, this.pos + 2);
    if (trims) this.skipActionSpaces();
    return 'text';
  }

  private lexInsideAction(): LexState {
    if (this.rightDelimiterLength(this.pos) > 0) {
      if (this.openParens.length === 0) return this.lexRightDelim();
      const paren = this.openParens[this.openParens.length - 1];
      return this.fail(paren, paren + 1, 'Unexpected `}}`: ( opened here is not closed with )');
    }
    const start = this.pos;
    const codePoint = this.input.codePointAt(start);
    if (codePoint === undefined) {
      return this.fail(this.actionStart, this.actionStart + 2, 'Unexpected end of template: action {{ opened here is not closed with }}');
    }
    if (isActionSpace(codePoint)) return this.lexSpace();
    const char = String.fromCodePoint(codePoint);
    switch (char) {
      case '=':
        this.emit('assign', start, start + 1);
        return 'action';
      case ':':
        if (this.input[start + 1] !== '=') return this.fail(start, start + 1, 'Unexpected `:`, expected `:=`');
        this.emit('declare', start, start + 2);
        return 'action';
      case '|':
        this.emit('pipe', start, start + 1);
        return 'action';
      case '"':
        return this.lexQuoted(start, '"', 'string', 'string');
      case "'":
        return this.lexQuoted(start, "'", 'charConstant', 'character constant');
      case '`':
        return this.lexRawString(start);
      case '$':
        return this.lexFieldOrVariable(start, 'variable');
      case '.':
        // `.5` is a number, `.x` a field, `.` alone the cursor.
        if (start + 1 < this.input.length && !isDecimalDigit(this.input[start + 1])) return this.lexFieldOrVariable(start, 'field');
        return this.lexNumber(start);
      case '(':
        this.openParens.push(start);
        this.emit('leftParen', start, start + 1);
        return 'action';
      case ')':
        if (this.openParens.length === 0) return this.fail(start, start + 1, 'Unexpected `)`: no ( is open in this action');
        this.openParens.pop();
        this.emit('rightParen', start, start + 1);
        return 'action';
    }
    if (char === '+' || char === '-' || isDecimalDigit(char)) return this.lexNumber(start);
    if (isAlphaNumeric(codePoint)) return this.lexIdentifier(start);
    if (codePoint >= 0x20 && codePoint < 0x7f) {
      this.emit('char', start, start + 1);
      return 'action';
    }
    return this.fail(start, start + char.length, `Unexpected character ${showCharacter(char)} in action`);
  }

  private lexSpace(): LexState {
    let end = this.pos;
    while (end < this.input.length && isActionSpace(this.input.charCodeAt(end))) end++;
    // The last space of ` -}}` belongs to the delimiter; with a single space
    // Go goes straight to the delimiter (skipping its unclosed-paren check).
    if (this.hasRightTrimMarker(end - 1) && this.input.startsWith('}}', end + 1)) {
      end--;
      if (end === this.pos) return this.lexRightDelim();
    }
    this.emit('space', this.pos, end);
    return 'action';
  }

  /** Identifiers, fields and variables must be followed by a space, `.`, `,`, `|`, `:`, `(`, `)` or `}}`. */
  private atTerminator(at: number): boolean {
    if (at >= this.input.length) return true;
    if (isActionSpace(this.input.charCodeAt(at))) return true;
    if ('.,|:()'.includes(this.input[at])) return true;
    return this.input.startsWith('}}', at);
  }

  private alphaNumericRunEnd(from: number): number {
    let end = from;
    for (;;) {
      const codePoint = this.input.codePointAt(end);
      if (codePoint === undefined || !isAlphaNumeric(codePoint)) return end;
      end += codePoint > 0xffff ? 2 : 1;
    }
  }

  private badCharacter(at: number, wordStart: number): LexState {
    const char = characterAt(this.input, at);
    const word = this.input.slice(wordStart, at);
    return this.fail(at, at + char.length, `Unexpected ${showCharacter(char)} right after ${quoteSnippet(word)}, expected a space before it`);
  }

  private lexIdentifier(start: number): LexState {
    const end = this.alphaNumericRunEnd(start);
    if (!this.atTerminator(end)) return this.badCharacter(end, start);
    const word = this.input.slice(start, end);
    const kind = KEYWORDS.get(word) ?? (word === 'true' || word === 'false' ? 'bool' : 'identifier');
    this.emit(kind, start, end);
    return 'action';
  }

  /** `$name`, `$`, `.Name` or `.`; the `$` or `.` is at `start`. */
  private lexFieldOrVariable(start: number, kind: 'field' | 'variable'): LexState {
    const nameStart = start + 1;
    if (this.atTerminator(nameStart)) {
      this.emit(kind === 'variable' ? 'variable' : 'dot', start, nameStart);
      return 'action';
    }
    const end = this.alphaNumericRunEnd(nameStart);
    if (!this.atTerminator(end)) return this.badCharacter(end, start);
    this.emit(kind, start, end);
    return 'action';
  }

  /** Double-quoted strings and character constants: single line, backslash escapes. */
  private lexQuoted(start: number, quote: string, kind: TokenKind, description: string): LexState {
    let at = start + 1;
    for (;;) {
      let char = this.input[at];
      if (char === '\\') {
        at++;
        char = this.input[at];
        if (char !== undefined && char !== '\n') {
          at++;
          continue;
        }
      }
      if (char === undefined || char === '\n') {
        const where = char === undefined ? 'end of template' : 'end of line';
        return this.fail(start, start + 1, `Unexpected ${where}: ${description} ${quote} opened here is not closed with ${quote}`);
      }
      at++;
      if (char === quote) break;
    }
    this.emit(kind, start, at);
    return 'action';
  }

  private lexRawString(start: number): LexState {
    const close = this.input.indexOf('`', start + 1);
    if (close < 0) return this.fail(start, start + 1, 'Unexpected end of template: raw string ` opened here is not closed with `');
    this.emit('rawString', start, close + 1);
    return 'action';
  }

  /**
   * Go's scanNumber: a loose scan (it accepts `.`, `089` or `0x1.2`) that the
   * parser validates with strconv later. `ok` is false when a letter or digit
   * follows, which Go reports right away as bad number syntax.
   */
  private scanNumber(from: number): { end: number; ok: boolean } {
    const input = this.input;
    let at = from;
    const skipRun = (digits: string): void => {
      while (at < input.length && digits.includes(input[at])) at++;
    };
    if (input[at] === '+' || input[at] === '-') at++;
    let digits = DECIMAL_DIGITS;
    if (input[at] === '0') {
      at++;
      const prefix = input[at];
      if (prefix === 'x' || prefix === 'X') digits = HEX_DIGITS;
      else if (prefix === 'o' || prefix === 'O') digits = OCTAL_DIGITS;
      else if (prefix === 'b' || prefix === 'B') digits = BINARY_DIGITS;
      if (digits !== DECIMAL_DIGITS) at++;
    }
    skipRun(digits);
    if (input[at] === '.') {
      at++;
      skipRun(digits);
    }
    const exponent = digits === DECIMAL_DIGITS ? 'eE' : digits === HEX_DIGITS ? 'pP' : '';
    if (exponent !== '' && at < input.length && exponent.includes(input[at])) {
      at++;
      if (input[at] === '+' || input[at] === '-') at++;
      skipRun(DECIMAL_DIGITS);
    }
    if (input[at] === 'i') at++;
    const next = input.codePointAt(at);
    if (next !== undefined && isAlphaNumeric(next)) return { end: at + (next > 0xffff ? 2 : 1), ok: false };
    return { end: at, ok: true };
  }

  private lexNumber(start: number): LexState {
    const first = this.scanNumber(start);
    if (!first.ok) {
      // `{{-x}}`: the trim marker lacks its space and was read as the start of a number.
      const hint = this.input[start] === '-' && start === this.actionStart + 2 ? ': a trim marker needs a space after it, `{{- `' : '';
      return this.fail(start, first.end, `Invalid number ${quoteSnippet(this.input.slice(start, first.end))}${hint}`);
    }
    const sign = this.input[first.end];
    if (sign === '+' || sign === '-') {
      // A complex constant such as 1+2i: no spaces, must end in i.
      const second = this.scanNumber(first.end);
      if (!second.ok || this.input[second.end - 1] !== 'i') {
        const text = this.input.slice(start, second.end);
        // `{{3-}}`: the trim marker lacks its space and was read as part of a number.
        const hint = text.endsWith('-') && this.input.startsWith('}}', second.end) ? ': a trim marker needs a space before it, ` -}}`' : '';
        return this.fail(start, second.end, `Invalid number ${quoteSnippet(text)}${hint}`);
      }
      this.emit('complex', start, second.end);
      return 'action';
    }
    this.emit('number', start, first.end);
    return 'action';
  }
}

// ---------------------------------------------------------------------------
// Literal validation: what Go's strconv (and fmt.Sscan for complex constants)
// accepts. Only verdicts matter here, plus a useful explanation.

type NumberVerdict = 'ok' | 'syntax' | 'range';

const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_INT64 = (1n << 63n) - 1n;
/** Hexadecimal floats at or above this round to +Inf in float64: halfway between MaxFloat64 and 2^1024. */
const FLOAT64_OVERFLOW = (1n << 1024n) - (1n << 970n);

function digitValue(char: string): number {
  const code = char.charCodeAt(0);
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (char.length === 1 && lower >= 0x61 && lower <= 0x7a) return lower - 0x61 + 10;
  return -1;
}

/** Go literal rule for `_`: only between digits, or between a base prefix and a digit. */
function underscoresSeparateDigits(text: string): boolean {
  let at = text[0] === '+' || text[0] === '-' ? 1 : 0;
  let previous: 'start' | 'digit' | 'underscore' | 'other' = 'start';
  let hex = false;
  const prefix = text[at + 1]?.toLowerCase();
  if (text[at] === '0' && (prefix === 'b' || prefix === 'o' || prefix === 'x')) {
    previous = 'digit';
    hex = prefix === 'x';
    at += 2;
  }
  for (; at < text.length; at++) {
    const char = text[at];
    const lower = char.toLowerCase();
    if (isDecimalDigit(char) || (hex && lower >= 'a' && lower <= 'f')) {
      previous = 'digit';
    } else if (char === '_') {
      if (previous !== 'digit') return false;
      previous = 'underscore';
    } else {
      if (previous === 'underscore') return false;
      previous = 'other';
    }
  }
  return previous !== 'underscore';
}

/** strconv.ParseUint(text, 0, 64): the value, or why it fails. */
function parseGoUnsigned(text: string): bigint | 'syntax' | 'range' {
  if (text === '') return 'syntax';
  let base = 10n;
  let digits = text;
  if (text[0] === '0') {
    // A leading 0 alone means octal; 0b, 0o and 0x need a digit after them.
    const prefix = text.length >= 3 ? text[1].toLowerCase() : '';
    base = prefix === 'b' ? 2n : prefix === 'x' ? 16n : 8n;
    digits = text.slice(prefix === 'b' || prefix === 'o' || prefix === 'x' ? 2 : 1);
  }
  let value = 0n;
  let underscores = false;
  for (const char of digits) {
    if (char === '_') {
      underscores = true;
      continue;
    }
    const digit = digitValue(char);
    if (digit < 0 || BigInt(digit) >= base) return 'syntax';
    value = value * base + BigInt(digit);
    if (value > MAX_UINT64) return 'range';
  }
  if (underscores && !underscoresSeparateDigits(text)) return 'syntax';
  return value;
}

/** strconv.ParseInt(text, 0, 64). */
function parseGoSigned(text: string): NumberVerdict {
  if (text === '') return 'syntax';
  const negative = text[0] === '-';
  const magnitude = parseGoUnsigned(text[0] === '+' || negative ? text.slice(1) : text);
  if (typeof magnitude !== 'bigint') return magnitude;
  return magnitude > (negative ? MAX_INT64 + 1n : MAX_INT64) ? 'range' : 'ok';
}

/** strconv.ParseFloat(text, 64), decimal and hexadecimal forms (the lexer never produces Inf or NaN). */
function parseGoFloat(text: string): NumberVerdict {
  let at = 0;
  if (text[at] === '+' || text[at] === '-') at++;
  let hex = false;
  if (at + 2 < text.length && text[at] === '0' && (text[at + 1] === 'x' || text[at + 1] === 'X')) {
    hex = true;
    at += 2;
  }
  let mantissa = '';
  let fractionDigits = 0;
  let sawDot = false;
  let underscores = false;
  for (; at < text.length; at++) {
    const char = text[at];
    const lower = char.toLowerCase();
    if (char === '_') {
      underscores = true;
    } else if (char === '.') {
      if (sawDot) break;
      sawDot = true;
    } else if (isDecimalDigit(char) || (hex && lower >= 'a' && lower <= 'f')) {
      mantissa += char;
      if (sawDot) fractionDigits++;
    } else {
      break;
    }
  }
  if (mantissa === '') return 'syntax';
  let exponent = 0;
  if (at < text.length && text[at].toLowerCase() === (hex ? 'p' : 'e')) {
    at++;
    let sign = 1;
    if (text[at] === '+') at++;
    else if (text[at] === '-') {
      sign = -1;
      at++;
    }
    if (!isDecimalDigit(text[at])) return 'syntax';
    for (; at < text.length && (isDecimalDigit(text[at]) || text[at] === '_'); at++) {
      if (text[at] === '_') underscores = true;
      // Go stops accumulating at this size; the value is out of range (or zero) anyway.
      else if (exponent < 10_000) exponent = exponent * 10 + Number(text[at]);
    }
    exponent *= sign;
  } else if (hex) {
    return 'syntax'; // a hexadecimal mantissa needs a p exponent
  }
  if (underscores && !underscoresSeparateDigits(text.slice(0, at))) return 'syntax';
  if (at !== text.length) return 'syntax';
  if (hex) {
    // Exact comparison: the value is mantissa × 2^(exponent − 4·fraction digits).
    const value = BigInt(`0x${mantissa}`);
    const shift = exponent - 4 * fractionDigits;
    const overflows = shift >= 0 ? value << BigInt(shift) >= FLOAT64_OVERFLOW : value >= FLOAT64_OVERFLOW << BigInt(-shift);
    return overflows ? 'range' : 'ok';
  }
  // JavaScript rounds decimal strings exactly like Go; only overflow is an error (underflow gives 0).
  return Number.isFinite(Number(text.replace(/_/g, ''))) ? 'ok' : 'range';
}

/** strconv.Atoi: optional sign, decimal digits only, int64 range. */
function isGoDecimalInteger(text: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(text)) return false;
  const value = BigInt(text);
  return value <= MAX_INT64 && value >= -MAX_INT64 - 1n;
}

/** fmt's conversion of one scanned float token, which also accepts a decimal mantissa with a p exponent. */
function isScannedFloat(token: string): boolean {
  const p = token.indexOf('p');
  if (p >= 0 && !/[xX]/.test(token)) return parseGoFloat(token.slice(0, p)) === 'ok' && isGoDecimalInteger(token.slice(p + 1));
  return parseGoFloat(token) === 'ok';
}

/** Complex constants (`1+2i`) are read by fmt.Sscan into a complex128. */
function isValidComplex(text: string): boolean {
  let at = 0;
  const accept = (set: string): boolean => {
    if (at < text.length && set.includes(text[at])) {
      at++;
      return true;
    }
    return false;
  };
  const floatToken = (): string => {
    const start = at;
    if (accept('nN') && accept('aA') && accept('nN')) return text.slice(start, at);
    accept('+-');
    if (accept('iI') && accept('nN') && accept('fF')) return text.slice(start, at);
    let digits = '0123456789_';
    let exponent = 'eEpP';
    if (accept('0') && accept('xX')) {
      digits = '0123456789aAbBcCdDeEfF_';
      exponent = 'pP';
    }
    while (accept(digits));
    if (accept('.')) while (accept(digits));
    if (accept(exponent)) {
      accept('+-');
      while (accept('0123456789_'));
    }
    return text.slice(start, at);
  };
  const parenthesised = accept('(');
  const real = floatToken();
  if (!accept('+-')) return false;
  const sign = text[at - 1];
  const imaginary = sign + floatToken();
  if (!accept('i')) return false;
  if (parenthesised && !accept(')')) return false;
  return isScannedFloat(real) && isScannedFloat(imaginary);
}

/** Why a number token is not a Go template number, or undefined when it is one. */
function numberProblem(text: string): string | undefined {
  // Imaginary constants: everything before the i must be a float.
  if (text.endsWith('i') && parseGoFloat(text.slice(0, -1)) === 'ok') return undefined;
  const unsigned = parseGoUnsigned(text);
  const signed = parseGoSigned(text);
  if (typeof unsigned === 'bigint' || signed === 'ok') return undefined;
  const float = parseGoFloat(text);
  const looksInteger = !/[.eEpP]/.test(text);
  if (float === 'ok' && !looksInteger) return undefined;
  if (/^[+-]?0[0-7_]*[89]/.test(text) && looksInteger) return `Invalid number ${quoteSnippet(text)}: a leading 0 makes it octal, which has no digits 8 or 9`;
  if (float === 'ok' || unsigned === 'range' || signed === 'range') return `Number ${quoteSnippet(text)} does not fit in a 64-bit integer`;
  if (float === 'range') return `Number ${quoteSnippet(text)} is out of range for a 64-bit float`;
  return `Invalid number ${quoteSnippet(text)}`;
}

const SIMPLE_ESCAPES = 'abfnrtv\\';

/**
 * One character of a quoted literal at `at` (strconv.UnquoteChar): the index
 * after it, or a problem spanning the bad escape sequence.
 */
function unquoteCharacter(text: string, at: number, quote: string, description: string): number | { start: number; end: number; message: string } {
  const char = text[at];
  if (char !== '\\') return at + (characterAt(text, at).length || 1);
  const escape = text[at + 1];
  const invalid = (length: number, why = '') => {
    const sequence = text.slice(at, Math.min(at + length, text.length));
    return { start: at, end: at + sequence.length, message: `Invalid escape sequence \`${sequence}\` in ${description}${why}` };
  };
  if (escape !== undefined && SIMPLE_ESCAPES.includes(escape)) return at + 2;
  if (escape === "'" || escape === '"') return escape === quote ? at + 2 : invalid(2, `, write \`${escape}\` without the backslash`);
  const hexLength = escape === 'x' ? 2 : escape === 'u' ? 4 : escape === 'U' ? 8 : 0;
  if (hexLength > 0) {
    const digits = text.slice(at + 2, at + 2 + hexLength);
    if (digits.length < hexLength || !/^[0-9a-fA-F]+$/.test(digits)) return invalid(2 + hexLength, `, expected \\${escape} and ${hexLength} hexadecimal digits`);
    const value = parseInt(digits, 16);
    if (escape !== 'x' && (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff))) return invalid(2 + hexLength, ': not a valid Unicode code point');
    return at + 2 + hexLength;
  }
  if (escape !== undefined && escape >= '0' && escape <= '7') {
    const digits = text.slice(at + 1, at + 4);
    if (!/^[0-7]{3}$/.test(digits)) return invalid(4, ', expected a backslash and 3 octal digits');
    if (parseInt(digits, 8) > 255) return invalid(4, ': octal escapes stop at \\377');
    return at + 4;
  }
  return invalid(2);
}

/** strconv.Unquote of a double-quoted string token (raw strings are always valid). */
function stringProblem(token: Token): TemplateProblem | undefined {
  const text = token.text;
  for (let at = 1; at < text.length - 1; ) {
    const next = unquoteCharacter(text, at, '"', 'string');
    if (typeof next !== 'number') return { start: token.start + next.start, end: token.start + next.end, message: next.message };
    at = next;
  }
  return undefined;
}

/** A character constant must hold exactly one (possibly escaped) character. */
function characterConstantProblem(token: Token): TemplateProblem | undefined {
  const text = token.text;
  if (text === "''") return { start: token.start, end: token.end, message: "Empty character constant `''`, expected one character between the quotes" };
  const next = unquoteCharacter(text, 1, "'", 'character constant');
  if (typeof next !== 'number') return { start: token.start + next.start, end: token.start + next.end, message: next.message };
  if (next !== text.length - 1) {
    return { start: token.start, end: token.end, message: `Invalid character constant ${quoteSnippet(text)}: it must hold exactly one character, use "double quotes" for strings` };
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Parser

type OperandKind = 'bool' | 'chain' | 'dot' | 'field' | 'function' | 'nil' | 'number' | 'pipeline' | 'string' | 'variable';

interface Operand {
  kind: OperandKind;
  start: number;
  end: number;
}

/** Operands that cannot receive a piped value (Go's checkPipeline). */
const CONSTANT_OPERANDS: ReadonlySet<OperandKind> = new Set<OperandKind>(['bool', 'dot', 'nil', 'number', 'string']);

type PipelineContext = 'command' | 'if' | 'range' | 'with' | 'block' | 'template' | 'parentheses';

interface PipelineFrame {
  context: PipelineContext;
  end: 'rightDelim' | 'rightParen';
  /** `{{`, the keyword, or `(`. */
  opener: Token;
  declarationOperator?: Token;
  declarationCount: number;
  /** First operand of each command, to check what receives piped values. */
  stages: Operand[];
  /** Operands in the command being read. */
  operandCount: number;
}

/** One template tree: the main template, or the body of a {{define}} or {{block}}. */
interface TemplateTree {
  variables: string[];
  rangeDepth: number;
  /** Go's !IsEmptyTree: anything but whitespace text. */
  hasContent: boolean;
}

interface OpenBlock {
  keyword: 'if' | 'range' | 'with' | 'define' | 'block';
  /** From `{{` to the end of the keyword. */
  start: number;
  end: number;
  /** Variables of the tree when the block opened; later ones go out of scope at its {{end}}. */
  variableCount: number;
  inElse: boolean;
  /** Opened by `{{else if}}`/`{{else with}}`: its {{end}} also ends the block it continues. */
  continuesElse: boolean;
  /** For define/block: the template name and the tree to return to. */
  name?: string;
  outerTree?: TemplateTree;
}

class TemplateParseError extends Error {
  constructor(readonly problem: TemplateProblem) {
    super(problem.message);
  }
}

function closestFunction(name: string): string | undefined {
  if (name.length > 40) return undefined;
  // A different case only is the nearest of all.
  const best = closest(name, KNOWN_FUNCTIONS, (word, candidate, limit) => (candidate.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, candidate, limit)));
  return best && best.distance <= Math.min(2, Math.floor(name.length / 2)) ? best.candidate : undefined;
}

class TemplateParser {
  private index = 0;
  private tree: TemplateTree = { variables: [...PRELUDE_VARIABLES], rangeDepth: 0, hasContent: true };
  private readonly blocks: OpenBlock[] = [];
  /** Templates named by {{define}}/{{block}} → whether their body has content. */
  private readonly definitions = new Map<string, boolean>();

  constructor(private readonly tokens: Token[]) {}

  // Token stream, with Go's notion of spaces as tokens.

  private next(): Token {
    const token = this.tokens[Math.min(this.index, this.tokens.length - 1)];
    this.index++;
    return token;
  }

  private backup(): void {
    this.index--;
  }

  private peek(): Token {
    return this.tokens[Math.min(this.index, this.tokens.length - 1)];
  }

  private nextNonSpace(): Token {
    let token = this.next();
    while (token.kind === 'space') token = this.next();
    return token;
  }

  private peekNonSpace(): Token {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  private fail(start: number, end: number, message: string): never {
    throw new TemplateParseError({ start, end, message });
  }

  /** Lexical errors surface when the parser reaches them. */
  private failOnError(token: Token): void {
    if (token.kind === 'error' && token.problem) throw new TemplateParseError(token.problem);
  }

  private describe(token: Token): string {
    if (CONTROL_KEYWORDS.has(token.kind)) return `keyword \`${token.text}\``;
    return quoteSnippet(token.text);
  }

  parse(): void {
    for (;;) {
      const token = this.peek();
      if (token.kind === 'eof') {
        const open = this.blocks[this.blocks.length - 1];
        if (open) this.fail(open.start, open.end, `Unexpected end of template: {{${open.keyword}}} opened here is not closed with {{end}}`);
        return;
      }
      // {{define}} is recognised only at the top level of the main template.
      if (this.blocks.length === 0 && token.kind === 'leftDelim') {
        const restart = this.index;
        this.next();
        const keyword = this.nextNonSpace();
        if (keyword.kind === 'define') {
          this.openDefinition(token, keyword);
          continue;
        }
        this.index = restart;
      }
      this.textOrAction();
    }
  }

  private textOrAction(): void {
    const token = this.nextNonSpace();
    if (token.kind === 'text') {
      if (!goSpaceOnly.test(token.text)) this.tree.hasContent = true;
      return;
    }
    if (token.kind === 'leftDelim') return this.action(token);
    this.failOnError(token);
    const open = this.blocks[this.blocks.length - 1];
    if ((token.kind === 'if' || token.kind === 'with') && open?.inElse) {
      // Left pending by `{{else if`/`{{else with` in a block that does not chain them.
      this.fail(token.start, token.end, `Unexpected \`${token.text}\` after \`{{else\`: {{${open.keyword}}} has no {{else ${token.text}}}, expected \`}}\``);
    }
    this.fail(token.start, token.end, `Unexpected ${this.describe(token)}`);
  }

  private action(delimiter: Token): void {
    const keyword = this.nextNonSpace();
    switch (keyword.kind) {
      case 'block':
        return this.openBlockTemplate(delimiter, keyword);
      case 'break':
      case 'continue':
        return this.loopControl(delimiter, keyword);
      case 'else':
        return this.elseControl(delimiter, keyword);
      case 'end':
        return this.endControl(delimiter, keyword);
      case 'if':
      case 'range':
      case 'with':
        return this.openControl(delimiter, keyword, false);
      case 'template':
        return this.templateControl(keyword);
    }
    this.backup();
    this.tree.hasContent = true;
    // Variables declared here stay in scope until the enclosing {{end}}.
    this.pipeline('command', delimiter);
  }

  private expectRightDelim(after: Token, expected: string): void {
    const token = this.nextNonSpace();
    if (token.kind === 'rightDelim') return;
    this.failOnError(token);
    this.fail(token.start, token.end, `Unexpected ${this.describe(token)} after \`${after.text}\`, expected ${expected}`);
  }

  private openControl(delimiter: Token, keyword: Token, continuesElse: boolean): void {
    const variableCount = this.tree.variables.length;
    this.tree.hasContent = true;
    this.pipeline(keyword.kind as 'if' | 'range' | 'with', keyword);
    this.blocks.push({ keyword: keyword.kind as 'if' | 'range' | 'with', start: delimiter.start, end: keyword.end, variableCount, inElse: false, continuesElse });
    if (keyword.kind === 'range') this.tree.rangeDepth++;
  }

  private loopControl(delimiter: Token, keyword: Token): void {
    this.expectRightDelim(keyword, '`}}`');
    if (this.tree.rangeDepth === 0) {
      this.fail(delimiter.start, keyword.end, `Unexpected \`{{${keyword.text}}}\`: it is only allowed inside a {{range}} loop (not in its {{else}})`);
    }
  }

  private elseControl(delimiter: Token, keyword: Token): void {
    const pending = this.peekNonSpace();
    // `{{else if …` and `{{else with …` leave the keyword for the block to read.
    const chainable = pending.kind === 'if' || pending.kind === 'with';
    if (!chainable) this.expectRightDelim(keyword, '`}}`, `if` or `with`');
    const open = this.blocks[this.blocks.length - 1];
    if (!open) this.fail(delimiter.start, keyword.end, 'Unexpected `{{else}}`: no {{if}}, {{range}} or {{with}} is open');
    if (open.keyword === 'define' || open.keyword === 'block') {
      this.fail(delimiter.start, keyword.end, `Unexpected \`{{else}}\` in {{${open.keyword}}}, expected \`{{end}}\``);
    }
    if (open.inElse) this.fail(delimiter.start, keyword.end, `Unexpected second \`{{else}}\` in {{${open.keyword}}}, expected \`{{end}}\``);
    if (open.keyword === 'range') this.tree.rangeDepth--;
    open.inElse = true;
    if (chainable && pending.kind === open.keyword) {
      this.nextNonSpace();
      this.openControl(delimiter, pending, true);
    }
  }

  private endControl(delimiter: Token, keyword: Token): void {
    this.expectRightDelim(keyword, '`}}`');
    let open = this.blocks.pop();
    if (!open) this.fail(delimiter.start, keyword.end, 'Unexpected `{{end}}`: no {{if}}, {{range}} or {{with}} is open');
    for (;;) {
      if (open.keyword === 'define' || open.keyword === 'block') return this.closeTemplateTree(open);
      this.tree.variables.length = open.variableCount;
      if (open.keyword === 'range' && !open.inElse) this.tree.rangeDepth--;
      if (!open.continuesElse) return;
      // `{{if a}}…{{else if b}}…{{end}}` needs a single {{end}}.
      const continued = this.blocks.pop();
      if (!continued) return;
      open = continued;
    }
  }

  private templateName(after: Token): string {
    const token = this.nextNonSpace();
    if (token.kind === 'string') {
      const problem = stringProblem(token);
      if (problem) throw new TemplateParseError(problem);
      return token.text.slice(1, -1);
    }
    if (token.kind === 'rawString') return token.text.slice(1, -1);
    this.failOnError(token);
    return this.fail(token.start, token.end, `Unexpected ${this.describe(token)} after \`${after.text}\`, expected a template name in "double quotes" or \`backquotes\``);
  }

  private openDefinition(delimiter: Token, keyword: Token): void {
    const name = this.templateName(keyword);
    const token = this.nextNonSpace();
    if (token.kind !== 'rightDelim') {
      this.failOnError(token);
      this.fail(token.start, token.end, `Unexpected ${this.describe(token)} after the template name, expected \`}}\``);
    }
    this.openTemplateTree('define', name, delimiter, keyword);
  }

  private openBlockTemplate(delimiter: Token, keyword: Token): void {
    const name = this.templateName(keyword);
    this.tree.hasContent = true;
    // The pipeline belongs to the enclosing template, the body is a new one.
    this.pipeline('block', keyword);
    this.openTemplateTree('block', name, delimiter, keyword);
  }

  private openTemplateTree(keyword: 'define' | 'block', name: string, delimiter: Token, keywordToken: Token): void {
    this.blocks.push({ keyword, start: delimiter.start, end: keywordToken.end, variableCount: 0, inElse: false, continuesElse: false, name, outerTree: this.tree });
    // A new tree: only `$` is defined, and no {{range}} is open.
    this.tree = { variables: ['$'], rangeDepth: 0, hasContent: false };
  }

  private closeTemplateTree(open: OpenBlock): void {
    const name = open.name ?? '';
    if (this.definitions.get(name) === true && this.tree.hasContent) {
      this.fail(open.start, open.end, `Template ${quoteSnippet(name)} is defined twice, expected one {{define}} or {{block}} with content per name`);
    }
    if (!this.definitions.get(name)) this.definitions.set(name, this.tree.hasContent);
    this.tree = open.outerTree ?? this.tree;
  }

  private templateControl(keyword: Token): void {
    this.templateName(keyword);
    this.tree.hasContent = true;
    if (this.nextNonSpace().kind === 'rightDelim') return;
    this.backup();
    this.pipeline('template', keyword);
  }

  // Pipelines: declarations? command ('|' command)*, with parenthesised
  // pipelines as operands. Go recurses pipeline → command → operand → term →
  // pipeline; here the open parentheses are an explicit stack.

  private pipeline(context: PipelineContext, opener: Token): void {
    const stack: PipelineFrame[] = [];
    const enter = (frameContext: PipelineContext, frameOpener: Token): void => {
      const frame: PipelineFrame = { context: frameContext, end: frameContext === 'parentheses' ? 'rightParen' : 'rightDelim', opener: frameOpener, declarationCount: 0, stages: [], operandCount: 0 };
      stack.push(frame);
      this.declarations(frame);
    };
    enter(context, opener);
    let state: 'command' | 'operand' | 'afterOperand' = 'command';
    let operand: Operand | undefined;
    for (;;) {
      const frame = stack[stack.length - 1];
      if (state === 'command') {
        const token = this.nextNonSpace();
        if (token.kind === frame.end) {
          this.checkPipeline(frame, token);
          stack.pop();
          if (stack.length === 0) return;
          // The parenthesised pipeline is an operand of the enclosing command.
          operand = { kind: 'pipeline', start: frame.opener.start, end: token.end };
          state = 'afterOperand';
          continue;
        }
        if (!OPERAND_STARTS.has(token.kind)) this.unexpectedInPipeline(token, frame);
        this.backup();
        frame.operandCount = 0;
        state = 'operand';
      } else if (state === 'operand') {
        const token = this.nextNonSpace();
        if (token.kind === 'leftParen') {
          if (stack.length - 1 >= MAX_PAREN_DEPTH) this.fail(token.start, token.end, `Unexpected \`(\`: parentheses nested more than ${MAX_PAREN_DEPTH} deep`);
          enter('parentheses', token);
          state = 'command';
          continue;
        }
        operand = this.term(token);
        state = 'afterOperand';
      } else {
        if (operand) {
          operand = this.fieldChain(operand);
          if (frame.operandCount === 0) frame.stages.push(operand);
          frame.operandCount++;
        }
        const previous = operand;
        operand = undefined;
        const token = this.next();
        if (token.kind === 'space') {
          state = 'operand';
          continue;
        }
        if (token.kind === 'rightDelim' || token.kind === 'rightParen') this.backup();
        else if (token.kind !== 'pipe') this.unexpectedAfterOperand(token, frame, previous);
        if (frame.operandCount === 0) this.fail(token.start, token.end, `Unexpected ${this.describe(token)}, expected a value or function call`);
        if (frame.stages.length > MAX_PIPELINE_COMMANDS) this.fail(frame.opener.start, token.end, `Pipeline too long: more than ${MAX_PIPELINE_COMMANDS} commands`);
        state = 'command';
      }
    }
  }

  /**
   * `$x :=`, `$x =`, and for {{range}} `$i, $v :=`. The variables are in scope
   * from here on, even inside the value being assigned, as in Go.
   */
  private declarations(frame: PipelineFrame): void {
    for (;;) {
      const variable = this.peekNonSpace();
      if (variable.kind !== 'variable') return;
      const restart = this.index;
      this.next();
      const following = this.peekNonSpace();
      if (following.kind === 'assign' || following.kind === 'declare') {
        this.nextNonSpace();
        frame.declarationOperator = following;
        frame.declarationCount++;
        this.tree.variables.push(variable.text);
        return;
      }
      if (following.kind === 'char' && following.text === ',') {
        this.nextNonSpace();
        frame.declarationCount++;
        this.tree.variables.push(variable.text);
        if (frame.context === 'range' && frame.declarationCount < 2) {
          const second = this.peekNonSpace();
          if (second.kind === 'variable' || second.kind === 'rightDelim' || second.kind === 'rightParen') continue;
          this.failOnError(second);
          this.fail(second.start, second.end, `Unexpected ${this.describe(second)} after \`,\`, expected a variable: {{range}} can only declare variables`);
        }
        const why = frame.context === 'range' ? '{{range}} declares at most two variables' : 'only {{range}} can declare two variables';
        this.fail(following.start, following.end, `Unexpected \`,\` after ${quoteSnippet(variable.text)}: ${why}`);
      }
      // Not a declaration: `$x` is the first operand.
      this.index = restart;
      return;
    }
  }

  private checkPipeline(frame: PipelineFrame, end: Token): void {
    if (frame.stages.length === 0) {
      if (frame.declarationOperator) this.fail(end.start, end.end, `Unexpected ${this.describe(end)}, expected a value after \`${frame.declarationOperator.text}\``);
      switch (frame.context) {
        case 'command':
          this.fail(frame.opener.start, end.end, 'Empty action, expected a value, variable or function call between {{ and }}');
          break;
        case 'parentheses':
          this.fail(frame.opener.start, end.end, 'Empty parentheses, expected a value or function call between ( and )');
          break;
        case 'block':
          this.fail(end.start, end.end, 'Unexpected `}}`, expected the value to pass to the block after its name, e.g. {{block "name" .}}');
          break;
        default:
          this.fail(end.start, end.end, `Unexpected ${this.describe(end)}, expected a value after \`${frame.opener.text}\``);
      }
    }
    for (const stage of frame.stages.slice(1)) {
      if (CONSTANT_OPERANDS.has(stage.kind)) {
        this.fail(stage.start, stage.end, `Unexpected ${quoteSnippet(this.sourceOf(stage))} after \`|\`, expected a function, method or field to receive the piped value`);
      }
    }
  }

  private sourceOf(operand: Operand): string {
    const first = this.tokens.find((token) => token.start === operand.start);
    const last = this.tokens.find((token) => token.end === operand.end);
    if (!first || !last) return '';
    const from = this.tokens.indexOf(first);
    const to = this.tokens.indexOf(last);
    return this.tokens
      .slice(from, to + 1)
      .map((token) => token.text)
      .join('');
  }

  /** A term, or undefined (with the token put back) when the token cannot start one. */
  private term(token: Token): Operand | undefined {
    const span = { start: token.start, end: token.end };
    switch (token.kind) {
      case 'identifier': {
        if (!KNOWN_FUNCTIONS.has(token.text)) {
          const suggestion = closestFunction(token.text);
          const hint = suggestion ? ` (did you mean \`${suggestion}\`?)` : '';
          this.fail(token.start, token.end, `Unknown template function ${quoteSnippet(token.text)}, expected a Go template or Prometheus function${hint}`);
        }
        return { kind: 'function', ...span };
      }
      case 'dot':
        return { kind: 'dot', ...span };
      case 'nil':
        return { kind: 'nil', ...span };
      case 'variable':
        this.useVariable(token);
        return { kind: 'variable', ...span };
      case 'field':
        return { kind: 'field', ...span };
      case 'bool':
        return { kind: 'bool', ...span };
      case 'number': {
        const problem = numberProblem(token.text);
        if (problem) {
          // `{{-3}}` is the number -3, but `{{-x}}` or `{{-/* */}}` are a trim marker without its space.
          const position = this.tokens.indexOf(token);
          const previous = this.tokens[position - 1];
          const following = this.tokens[position + 1];
          let hint = '';
          if (token.text.startsWith('-') && previous?.kind === 'leftDelim' && previous.end === token.start) hint = ': a trim marker needs a space after it, `{{- `';
          // `{{- -}}`: the one space went to `{{- `, so `-}}` lacks its own.
          else if (token.text === '-' && following?.kind === 'rightDelim' && following.start === token.end) hint = ': a trim marker needs a space before it, ` -}}`';
          this.fail(token.start, token.end, problem + hint);
        }
        return { kind: 'number', ...span };
      }
      case 'complex':
        if (!isValidComplex(token.text)) this.fail(token.start, token.end, `Invalid number ${quoteSnippet(token.text)}`);
        return { kind: 'number', ...span };
      case 'charConstant': {
        const problem = characterConstantProblem(token);
        if (problem) throw new TemplateParseError(problem);
        return { kind: 'number', ...span };
      }
      case 'string': {
        const problem = stringProblem(token);
        if (problem) throw new TemplateParseError(problem);
        return { kind: 'string', ...span };
      }
      case 'rawString':
        return { kind: 'string', ...span };
    }
    this.backup();
    return undefined;
  }

  private useVariable(token: Token): void {
    if (this.tree.variables.includes(token.text)) return;
    const outer = this.blocks.some((open) => open.outerTree?.variables.includes(token.text));
    const hint = outer ? ' ({{define}} and {{block}} bodies only see `$` and their own variables)' : '';
    this.fail(token.start, token.end, `Undefined template variable ${quoteSnippet(token.text)}${hint}`);
  }

  /** `.Field` chains glued to a term: `$x.a.b`, `(pipeline).Field`, `fn.Field`. */
  private fieldChain(operand: Operand): Operand {
    const first = this.peek();
    if (first.kind !== 'field') return operand;
    let end = first.end;
    while (this.peek().kind === 'field') end = this.next().end;
    if (operand.kind === 'dot') {
      this.fail(operand.start, end, `Unexpected ${quoteSnippet(this.sourceOf({ ...operand, end }))}: a field of the cursor is written without the extra dot, like \`.Labels\``);
    }
    if (CONSTANT_OPERANDS.has(operand.kind)) {
      this.fail(first.start, end, `Unexpected ${quoteSnippet(this.sourceOf({ ...operand, start: first.start, end }))} after ${quoteSnippet(this.sourceOf(operand))}: a constant has no fields`);
    }
    const kind = operand.kind === 'field' || operand.kind === 'variable' ? operand.kind : 'chain';
    return { kind, start: operand.start, end };
  }

  private unexpectedInPipeline(token: Token, frame: PipelineFrame): never {
    this.failOnError(token);
    if (token.kind === 'rightDelim' && frame.end === 'rightParen') {
      return this.fail(frame.opener.start, frame.opener.end, 'Unexpected `}}`: ( opened here is not closed with )');
    }
    const described = this.describe(token);
    if (token.kind === 'pipe') {
      if (frame.stages.length === 0) return this.fail(token.start, token.end, 'Unexpected `|`, expected a value or function call before it');
      return this.fail(token.start, token.end, 'Unexpected `|`, expected a function call after the previous `|`');
    }
    if (token.kind === 'define') return this.fail(token.start, token.end, 'Unexpected `define`: {{define}} is only allowed at the top level of the template');
    if (CONTROL_KEYWORDS.has(token.kind)) {
      return this.fail(token.start, token.end, `Unexpected ${described}, expected a value or function call: \`${token.text}\` can only start an action`);
    }
    if (token.kind === 'assign' || token.kind === 'declare') {
      return this.fail(token.start, token.end, `Unexpected ${described}, expected a variable like \`$x\` before it`);
    }
    if (token.kind === 'char' && token.text === '/' && this.peek().text === '*') {
      return this.fail(token.start, token.end + 1, 'Unexpected `/*`: a comment must start right after `{{` or `{{- `');
    }
    return this.fail(token.start, token.end, `Unexpected ${described}, expected a value or function call`);
  }

  private unexpectedAfterOperand(token: Token, frame: PipelineFrame, previous: Operand | undefined): never {
    this.failOnError(token);
    const closer = frame.end === 'rightParen' ? '`)`' : '`}}`';
    const described = this.describe(token);
    if (token.kind === 'assign' || token.kind === 'declare') {
      return this.fail(token.start, token.end, `Unexpected ${described}: only a variable like \`$x\` at the start of an action can be declared or assigned`);
    }
    if (token.kind === 'define') return this.fail(token.start, token.end, 'Unexpected `define`: {{define}} is only allowed at the top level of the template');
    if (previous) {
      return this.fail(token.start, token.end, `Unexpected ${described} right after ${quoteSnippet(this.sourceOf(previous))}, expected a space, \`|\` or ${closer}`);
    }
    return this.fail(token.start, token.end, `Unexpected ${described}, expected an argument, \`|\` or ${closer}`);
  }
}

/**
 * First parse error of a Go text/template as Prometheus parses rule label/annotation values, or undefined.
 * Offsets are into `text` (UTF-16 indices).
 */
export function checkGoTemplate(text: string): TemplateProblem | undefined {
  // Fast path: no action at all is plain text.
  if (!text.includes('{{')) return undefined;
  const tokens = new TemplateLexer(text).tokenize();
  try {
    new TemplateParser(tokens).parse();
    return undefined;
  } catch (error) {
    if (error instanceof TemplateParseError) return error.problem;
    throw error;
  }
}
