// Go text/template checks for alert label and annotation values: known good and
// bad templates, robustness on random and deeply nested input, and a
// differential run against `promtool check rules` when promtool is installed.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { checkGoTemplate } from '../src/rules/go-template.js';
import { promtoolVersion } from './helpers/promtool.js';
import { randomSource } from './helpers/random.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

const goodTemplates = [
  '{{ $value }}',
  '{{ $labels.instance }}',
  '{{ $labels }}',
  '{{$value | humanize}}',
  '{{ $value | printf "%.2f"}}',
  '{{ printf "%.2f" $value }}%',
  '{{ with query "up" }}{{ . | first | value | humanize }}{{ end }}',
  '{{ range $i, $v := query "x" }}{{ $v.Labels.job }}{{ end }}',
  '{{- if gt $value 0.5 -}}high{{- else -}}low{{- end -}}',
  '{{/* note */}}',
  '{{ "a" }}{{ 1e3 }}{{ -3 }}{{ 0x1F }}',
  '{{ $x := 1 }}{{ $x = 2 }}{{ $x }}',
  '{{ index $labels "job" }}',
  '{{ (printf "%s" "a") }}',
  '{{ $labels.instance | reReplaceAll ":.*" "" }}',
  'plain text, no actions at all',
  'a lone { brace and a closing }} pair',
  '',
  'Instance {{ $labels.instance }} of job {{ $labels.job }} is down ({{ $value | humanizePercentage }})',
  '{{ if eq $labels.severity "critical" }}page{{ else if eq $labels.severity "warning" }}ticket{{ else }}log{{ end }}',
  '{{ range query "up == 0" }}{{ .Labels.instance }} {{ end }}',
  '{{ with printf "node_load1{instance=%q}" $labels.instance | query }}{{ . | first | value | printf "%.1f" }}{{ end }}',
  '{{ $externalURL }}/graph?g0.expr={{ urlquery "up" }} {{ $externalLabels.cluster }}',
  '{{ humanizeDuration $value }} {{ humanize1024 $value }} {{ humanizeTimestamp $value }} {{ $value | toTime }}',
  '{{ range $i, $v := query "x" }}{{ if $i }}, {{ end }}{{ if gt $i 3 }}{{ break }}{{ end }}{{ $v.Value }}{{ end }}',
  '{{/* multi\nline */}}{{- /* trimmed */ -}}',
  '{{ $ }}{{ $.Labels.job }}{{ . }}{{ .Labels.job }}',
  '{{ 1_000 }} {{ 0b101 }} {{ 0o17 }} {{ 0x1p-2 }} {{ 1. }} {{ .5 }} {{ 2i }} {{ 1+2i }}',
  "{{ 'a' }}{{ '\\n' }}{{ '\\x41' }}{{ \"\\u00e9 \\U0001F600 \\101\" }}{{ `raw\nstring` }}",
  '{{ with $x := 1 }}{{ $x }}{{ else with $y := 2 }}{{ $x }}{{ $y }}{{ end }}',
  '{{ define "row" }}{{ . }}{{ end }}{{ template "row" $value }}',
  '{{ block "b" . }}{{ .Value }}{{ end }}',
  '{{ if and (gt $value 1.0) (lt $value 5.0) }}{{ toUpper $labels.severity }}{{ end }}',
  '{{ .a | }}',
  '{{ ($x := 1) }}{{ $x }}',
  '{{ $value | humanize | printf "%s" | len }}',
  '{{ now | toTime }}{{ toDuration 5 }}{{ "a b" | urlQueryEscape }}{{ stripDomain "a.b" }}{{ stripPort "a:1" }}',
];

test('good templates have no problems', () => {
  for (const template of goodTemplates) assert.equal(checkGoTemplate(template), undefined, template);
});

/** [template, message pattern, start offset of the problem] */
const badTemplates: [string, RegExp, number][] = [
  ['Value {{ $value', /^Unexpected end of template: action \{\{ opened here is not closed with \}\}$/, 6],
  ['{{/* note', /^Unexpected end of template: comment \{\{\/\* opened here is not closed with \*\/\}\}$/, 0],
  ['{{/* note */ }}', /^Unexpected space after the comment/, 12],
  ['{{ "abc }}', /^Unexpected end of template: string " opened here is not closed with "$/, 3],
  ['{{ "abc\n" }}', /^Unexpected end of line: string "/, 3],
  ['{{ `abc }}', /^Unexpected end of template: raw string ` opened here/, 3],
  ["{{ 'a }}", /^Unexpected end of template: character constant '/, 3],
  ['{{ $value | humanise }}', /^Unknown template function `humanise`, expected a Go template or Prometheus function \(did you mean `humanize`\?\)$/, 12],
  ['{{ Humanize $value }}', /did you mean `humanize`/, 3],
  ['{{ frobnicate 1 }}', /^Unknown template function `frobnicate`, expected a Go template or Prometheus function$/, 3],
  ['{{ $lables.instance }}', /^Undefined template variable `\$lables`$/, 3],
  ['{{ end }}', /^Unexpected `\{\{end\}\}`: no \{\{if\}\}, \{\{range\}\} or \{\{with\}\} is open$/, 0],
  ['{{ if true }}{{ end }}{{ end }}', /^Unexpected `\{\{end\}\}`/, 22],
  ['{{ if 1 }}a{{ else if 2 }}b{{ end }}{{ end }}', /^Unexpected `\{\{end\}\}`/, 36],
  ['x {{ if true }}yes', /^Unexpected end of template: \{\{if\}\} opened here is not closed with \{\{end\}\}$/, 2],
  ['{{ range . }}{{ with . }}{{ end }}', /\{\{range\}\} opened here is not closed/, 0],
  ['{{ define "x" }}body', /\{\{define\}\} opened here is not closed/, 0],
  ['{{ else }}', /^Unexpected `\{\{else\}\}`: no \{\{if\}\}, \{\{range\}\} or \{\{with\}\} is open$/, 0],
  ['{{ if 1 }}{{ else }}{{ else }}{{ end }}', /^Unexpected second `\{\{else\}\}` in \{\{if\}\}/, 20],
  ['{{ range . }}{{ else if 1 }}{{ end }}', /^Unexpected `if` after `\{\{else`: \{\{range\}\} has no \{\{else if\}\}/, 21],
  ['{{ break }}', /^Unexpected `\{\{break\}\}`: it is only allowed inside a \{\{range\}\} loop/, 0],
  ['{{ range . }}{{ end }}{{ continue }}', /^Unexpected `\{\{continue\}\}`/, 22],
  ['{{ range . }}{{ else }}{{ break }}{{ end }}', /^Unexpected `\{\{break\}\}`/, 23],
  ['{{ }}', /^Empty action, expected a value, variable or function call between \{\{ and \}\}$/, 0],
  ['{{-  -}}', /^Empty action/, 0],
  // The single space belongs to `{{- `, leaving `-}}` to be read as the number `-`, as in Go.
  ['{{- -}}', /^Invalid number `-`: a trim marker needs a space before it/, 4],
  ['{{ .a | | .b }}', /^Unexpected `\|`, expected a function call after the previous `\|`$/, 8],
  ['{{ | humanize }}', /^Unexpected `\|`, expected a value or function call before it$/, 3],
  ['{{ 1x }}', /^Invalid number `1x`$/, 3],
  ['{{ 089 }}', /^Invalid number `089`: a leading 0 makes it octal/, 3],
  ['{{ 18446744073709551616 }}', /does not fit in a 64-bit integer/, 3],
  ['{{ 1e400 }}', /out of range for a 64-bit float/, 3],
  ['{{-x}}', /trim marker needs a space after it/, 2],
  ['{{ $value -}} {{3-}}', /^Invalid number `3-`: a trim marker needs a space before it/, 16],
  ['{{ ) }}', /^Unexpected `\)`: no \( is open in this action$/, 3],
  ['{{ (printf "%s" "a" }}', /^Unexpected `\}\}`: \( opened here is not closed with \)$/, 3],
  ['{{ printf "%d" ( ) }}', /^Empty parentheses/, 15],
  ['{{ $x := }}', /^Unexpected `\}\}`, expected a value after `:=`$/, 9],
  ['{{ if }}{{ end }}', /^Unexpected `\}\}`, expected a value after `if`$/, 6],
  ['{{ if true }}{{ $x := 1 }}{{ end }}{{ $x }}', /^Undefined template variable `\$x`$/, 38],
  ['{{ with $x := 1 }}{{ end }}{{ $x }}', /^Undefined template variable `\$x`$/, 30],
  ['{{ define "d" }}{{ $labels.job }}{{ end }}', /^Undefined template variable `\$labels` \(\{\{define\}\} and \{\{block\}\} bodies/, 19],
  ['{{ if 1 }}{{ define "x" }}a{{ end }}{{ end }}', /^Unexpected `define`: \{\{define\}\} is only allowed at the top level/, 13],
  ['{{ define "a" }}x{{ end }}{{ define "a" }}y{{ end }}', /^Template `a` is defined twice/, 26],
  ['{{ $x+2 }}', /^Unexpected `\+` right after `\$x`, expected a space before it$/, 5],
  ['{{$x=1}}', /^Unexpected `=` right after `\$x`/, 4],
  ['{{ printf 3, 4 }}', /^Unexpected `,` right after `3`/, 11],
  ['{{ .x := 1 }}', /only a variable like `\$x` at the start of an action can be declared/, 6],
  ['{{ "a".b }}', /a constant has no fields/, 6],
  ['{{ . | 1 }}', /^Unexpected `1` after `\|`, expected a function, method or field to receive the piped value$/, 7],
  ['{{ with $a, $b := . }}{{ end }}', /only \{\{range\}\} can declare two variables/, 10],
  ['{{ range $a, $b, $c := . }}{{ end }}', /\{\{range\}\} declares at most two variables/, 15],
  ['{{ "\\q" }}', /^Invalid escape sequence `\\q` in string$/, 4],
  ["{{ 'ab' }}", /must hold exactly one character/, 3],
  ['{{ /* not a comment */ }}', /^Unexpected `\/\*`: a comment must start right after/, 3],
  ['{{ end x }}', /^Unexpected `x` after `end`, expected `\}\}`$/, 7],
  ['{{ template name }}', /expected a template name in "double quotes"/, 12],
  ['{{ block "b" }}{{ end }}', /expected the value to pass to the block/, 13],
  ['{{ x\u00a0}}', /right after `x`/, 4],
  ['{{ \u00a0 }}', /^Unexpected character U\+00A0 in action$/, 3],
  ['😀 {{ humanise 1 }}', /Unknown template function `humanise`/, 6],
  ['{{ ' + '('.repeat(10_001) + '1' + ')'.repeat(10_001) + ' }}', /parentheses nested more than 10000 deep/, 10_003],
];

test('bad templates report the first problem, on the offending token', () => {
  for (const [template, message, start] of badTemplates) {
    const problem = checkGoTemplate(template);
    const shown = template.length > 80 ? `${template.slice(0, 80)}…` : template;
    assert.ok(problem, `expected a problem for ${JSON.stringify(shown)}`);
    assert.match(problem.message, message, shown);
    assert.equal(problem.start, start, `start of ${JSON.stringify(shown)}: ${problem.message}`);
    assert.ok(problem.end > problem.start && problem.end <= template.length, `end of ${JSON.stringify(shown)}: ${problem.start}-${problem.end}`);
  }
});

test('the problem covers the whole offending token or opener', () => {
  assert.deepEqual(checkGoTemplate('x {{ if 1 }}'), { start: 2, end: 7, message: 'Unexpected end of template: {{if}} opened here is not closed with {{end}}' });
  assert.deepEqual(checkGoTemplate('{{ $lables }}'), { start: 3, end: 10, message: 'Undefined template variable `$lables`' });
  const unknown = checkGoTemplate('{{ $value | humanise }}');
  assert.equal(unknown?.end, 20);
  assert.equal(unknown?.message, 'Unknown template function `humanise`, expected a Go template or Prometheus function (did you mean `humanize`?)');
});

/** Alert label and annotation values of the project's rule files and good fixtures. */
function projectTemplates(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(name)) files.push(full);
    }
  };
  walk(path.join(projectRoot, 'rules'));
  walk(path.join(projectRoot, 'test/fixtures/rules/good'));
  const templates: string[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const data = doc.toJS() as { groups?: unknown[]; spec?: { groups?: unknown[] } } | null;
      const groups = (data?.groups ?? data?.spec?.groups ?? []) as { rules?: { alert?: string; labels?: Record<string, unknown>; annotations?: Record<string, unknown> }[] }[];
      for (const rule of groups.flatMap((group) => group?.rules ?? [])) {
        if (!rule?.alert) continue;
        for (const value of [...Object.values(rule.labels ?? {}), ...Object.values(rule.annotations ?? {})]) {
          if (typeof value === 'string') templates.push(value);
        }
      }
    }
  }
  return templates;
}

test("the project's own rule files have valid templates", () => {
  const templates = projectTemplates();
  assert.ok(templates.some((template) => template.includes('{{')), `found ${templates.length} values`);
  for (const template of templates) assert.equal(checkGoTemplate(template), undefined, template);
});

const fragments = [
  '{{', '}}', '{{- ', ' -}}', ' ', ' ', '(', ')', '|', '$', '.', '"', '`', "'", '/*', '*/', 'if ', 'end', 'range ', 'else', 'with ', ':=', '=', ',',
  '$x', '$value', '.a', '1', '-', 'x', 'printf ', 'humanize', '\n', 'define ', '"a"', 'break', 'continue', 'nil', 'true', '0x', 'e', 'i', '_',
  'template ', 'block ', '$labels.job', 'len ', '1.5', '0', '\t', '\\', '"%s"', 'and ', '$i, $v := ', 'else if ', '{', '}', '*', '/', 'é', '😀',
];

/** Random compositions of template fragments, and small edits of the good templates. */
function generatedTemplates(count: number, seed: number): string[] {
  const random = randomSource(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const out = new Set<string>();
  while (out.size < count) {
    let template = '';
    if (random() < 0.5) {
      const parts = 2 + Math.floor(random() * 12);
      for (let i = 0; i < parts; i++) template += pick(fragments);
      if (random() < 0.5) template = `{{ ${template} }}`;
    } else {
      template = pick(goodTemplates.filter((t) => t.includes('{{')));
      const edits = 1 + Math.floor(random() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * (template.length + 1));
        const kind = random();
        if (kind < 0.35) template = template.slice(0, at) + template.slice(at + 1);
        else if (kind < 0.7) template = template.slice(0, at) + pick(fragments) + template.slice(at);
        else if (kind < 0.85) {
          const other = Math.floor(random() * (template.length + 1));
          template = template.slice(0, Math.min(at, other)) + template.slice(Math.max(at, other));
        } else template = template.slice(0, at) + template.slice(at, at + 6) + template.slice(at);
      }
    }
    out.add(template);
  }
  return [...out];
}

test('random input never throws, hangs, or reports offsets outside the text', () => {
  const random = randomSource(20240601);
  const started = performance.now();
  for (let i = 0; i < 20_000; i++) {
    let template = '';
    const parts = Math.floor(random() * 40);
    for (let p = 0; p < parts; p++) template += fragments[Math.floor(random() * fragments.length)];
    const before = performance.now();
    const problem = checkGoTemplate(template);
    assert.ok(performance.now() - before < 10_000, `slow on ${JSON.stringify(template)}`);
    if (problem) {
      assert.ok(problem.start >= 0 && problem.start <= problem.end && problem.end <= template.length, `${JSON.stringify(template)}: ${JSON.stringify(problem)}`);
      assert.ok(problem.message.length > 0);
    }
  }
  assert.ok(performance.now() - started < 120_000, `20,000 random templates took ${performance.now() - started} ms`);
});

test('deep nesting is handled without recursion', () => {
  const cases: [string, boolean][] = [
    ['{{ ' + '('.repeat(10_000), false],
    ['{{ ' + '('.repeat(10_000) + ' }}', false],
    ['{{ ' + '('.repeat(10_000) + '1' + ')'.repeat(10_000) + ' }}', true],
    ['{{ if 1 }}'.repeat(10_000) + '{{ end }}'.repeat(10_000), true],
    ['{{ range . }}'.repeat(10_000) + '{{ break }}' + '{{ end }}'.repeat(10_000), true],
    ['{{ with . }}'.repeat(10_000), false],
    ['{{ if 1 }}' + '{{ else if 1 }}'.repeat(10_000) + '{{ end }}', true],
    ['{{ ' + '$x := '.repeat(10_000) + '1 }}', false],
  ];
  for (const [template, valid] of cases) {
    const started = performance.now();
    const problem = checkGoTemplate(template);
    assert.equal(problem === undefined, valid, `${template.slice(0, 40)}…: ${problem?.message}`);
    assert.ok(performance.now() - started < 15_000, `${template.slice(0, 40)}… took too long`);
  }
});

// ---------------------------------------------------------------------------
// Differential test against promtool.


const version = promtoolVersion();

/**
 * Prometheus 2.x is built with Go < 1.23 (no `{{else with}}`, no limit on nested
 * parentheses) and lacks some Prometheus 3 template functions; we follow
 * Prometheus 3 on a current Go, so templates using those are not compared.
 */
function knownDifference(template: string): boolean {
  const major = Number(version?.split('.')[0] ?? 0);
  return major < 3 && (/\b(now|toDuration|urlQueryEscape)\b|else\s+with/.test(template) || template.includes('('.repeat(10_001)));
}

function shorten(template: string): string {
  return JSON.stringify(template.length > 100 ? `${template.slice(0, 100)}…` : template);
}

/** Edge cases of the lexer and of strconv, with the verdicts Go gives them. */
const edgeTemplates = [
  '{{-3}}', '{{- 3 -}}', '{{3 -}}', '{{ x\t-}}', '{{ ( -}}', '{{ (1 -}}', '{{-/* a */}}', '{{/* a */x}}', '{{/* a */',
  '{{ .5 }}', '{{ . }}{{..}}', '{{ ..E }}', '{{nil.E}}', '{{ true.x }}', '{{ (1).x }}', '{{ (len "a").x }}', '{{ $.Labels }}',
  "{{ '\\\"' }}", "{{ '' }}", '{{ "\\400" }}', '{{ "\\ud800" }}', '{{ "\\x4" }}', "{{ '\\'' }}", '{{ "\'" }}',
  '{{ 1+2 }}', '{{ 1i+2i }}', '{{ 0x1p2+1i }}', '{{ 0x1P2+1i }}', '{{ 08.5 }}', '{{ 09i }}', '{{ 0b2 }}', '{{ 0x }}', '{{ 0x1i }}',
  '{{ 1__0 }}', '{{ 0_1 }}', '{{ 1_ }}', '{{ _ }}', '{{ -9223372036854775808 }}', '{{ -9223372036854775809 }}', '{{ 18446744073709551615 }}',
  '{{ 0x1p1024 }}', '{{ 0x1.fffffffffffffp1023 }}', '{{ 1e-400 }}', '{{ - }}', '{{ + }}', '{{ 1.2.3 }}',
  '{{ $x = 1 }}{{ $x }}', '{{ $x := $x }}', '{{ if $x := 1 }}{{ $x }}{{ else }}{{ $x }}{{ end }}',
  '{{ if . }}{{ $x := 1 }}{{ else }}{{ $x }}{{ end }}', '{{ block "x" $y := 1 }}{{ end }}{{ $y }}',
  '{{ range . }}{{ block "x" . }}{{ break }}{{ end }}{{ end }}', '{{ define "x" }} {{ end }}{{ define "x" }}b{{ end }}',
  '{{ range $i, }}{{ end }}', '{{ range $i, $v = . }}{{ end }}', '{{ $ := 1 }}', '{{ $x := 1, 2 }}', '{{ x | if }}', '{{ printf "%s" | if }}',
  '{{ é }}', '{{ a→ }}', '{{ ! }}', '{{ 𝒳 }}', '{{ $é := 1 }}{{ $é }}', '{{ .ß٣ }}', '{{ \u000b }}', '{{\r\n$value\r\n}}',
];

test('verdicts agree with promtool check rules', { skip: version ? false : 'promtool is not installed: template verdicts not compared (apt-get install prometheus)' }, () => {
  const templates = [...new Set([...goodTemplates, ...badTemplates.map(([template]) => template), ...edgeTemplates, ...projectTemplates(), ...generatedTemplates(150, 7)])];
  const compared = templates.filter((template) => !knownDifference(template));
  const folder = mkdtempSync(path.join(tmpdir(), 'runbook-site-templates-'));
  try {
    // One alerting rule per file, the template as its only annotation; JSON strings are valid YAML double-quoted scalars.
    const files = compared.map((template, i) => {
      const file = path.join(folder, `t${i}.yml`);
      writeFileSync(file, `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        annotations:\n          d: ${JSON.stringify(template)}\n`);
      return file;
    });
    const run = spawnSync('promtool', ['check', 'rules', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
    assert.equal(run.error, undefined, String(run.error));
    // promtool prints "Checking <file>" then "SUCCESS" on stdout per file; failures go to stderr prefixed with the file.
    const passed = new Set<string>();
    for (const block of run.stdout.split('Checking ').slice(1)) if (/SUCCESS/.test(block)) passed.add(block.split('\n')[0].trim());
    const reasons = new Map<string, string>();
    for (const line of run.stderr.split('\n')) {
      const match = /^(\S+\.yml): (.*)$/.exec(line);
      if (match) reasons.set(match[1], match[2].replace(/^.*?template: __alert_A:\d+: /, ''));
    }
    const disagreements: string[] = [];
    compared.forEach((template, i) => {
      const problem = checkGoTemplate(template);
      const theirs = passed.has(files[i]);
      if ((problem === undefined) !== theirs) {
        disagreements.push(`${shorten(template)}: we say ${problem ? `"${problem.message}"` : 'valid'}, promtool says ${theirs ? 'valid' : `"${reasons.get(files[i])}"`}`);
      }
    });
    const valid = passed.size;
    console.log(`promtool ${version}: ${compared.length - disagreements.length} of ${compared.length} templates agree (${valid} valid, ${compared.length - valid} invalid; ${templates.length - compared.length} skipped as Prometheus 3 / Go 1.23 features)`);
    assert.ok(valid > 40 && compared.length - valid > 100, `the comparison needs both verdicts: ${valid} valid of ${compared.length}`);
    assert.deepEqual(disagreements, [], `${disagreements.length} disagreements with promtool:\n${disagreements.join('\n')}`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
