// One walk over a parsed rule document: builds the LoadedRuleGroups and reports
// every problem `promtool check rules` (Prometheus 3) would report, at its place.
import { isAlias, isMap, isScalar, isSeq, stringify, type Alias, type Document, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import type { VFile } from 'vfile';
import { reportError, reportNote, reportWarning, type Place } from '../diagnostics.js';
import type { LoadedRule, LoadedRuleGroup, Point } from '../model.js';
import { checkPromQL } from './promql.js';
import { checkGoTemplate } from './go-template.js';
import { closest } from '../edit-distance.js';

/**
 * What to write for a value given as an unquoted template (`summary: {{ $labels.instance }}`),
 * which YAML reads as a mapping or not at all: the same value, quoted.
 */
export function quoteTemplateHint(key: string, value: string): string {
  return ` A value that starts with \`{{\` must be quoted in YAML: \`${key}: "${value.trim().replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"\`.`;
}

export interface DocumentContext {
  vfile: VFile;
  source: string;
  lineCounter: LineCounter;
  doc: Document;
  /** Alias → anchored node, resolved once per document. */
  aliases: Map<Alias, Node | undefined>;
  /** Rule file path relative to the rules folder (posix). */
  file: string;
}

const ruleFields = ['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'];
const groupFields = ['name', 'interval', 'query_offset', 'limit', 'rules', 'labels'];
/** prometheus-operator (and Thanos) accept this extra group field in PrometheusRule objects. */
const operatorGroupFields = [...groupFields, 'partial_response_strategy'];

const durationRe = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const legacyMetricNameRe = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const loneSurrogateRe = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Prometheus' duration syntax (model.ParseDuration): units in decreasing order, integers only, or `0`. */
export function isValidDuration(text: string): boolean {
  if (text === '0') return true;
  if (text === '') return false;
  const m = durationRe.exec(text);
  if (!m) return false;
  // Reject overflow the way Prometheus does (int64 milliseconds).
  const mult = [365 * 86400e3, 7 * 86400e3, 86400e3, 3600e3, 60e3, 1e3, 1];
  let total = 0;
  for (let i = 0; i < mult.length; i++) if (m[i + 1]) total += Number(m[i + 1]) * mult[i];
  return total <= 9223372036854775807;
}

/** Prometheus 3 accepts any non-empty UTF-8 label name (except `__name__` in rule labels). */
export function isValidLabelName(name: string): boolean {
  return name.length > 0 && !loneSurrogateRe.test(name);
}

export function isValidRecordName(name: string): boolean {
  return legacyMetricNameRe.test(name);
}

interface Entry {
  key: string;
  keyNode: Node;
  value: Node | null;
}

function list(items: string[]): string {
  return items.map((f) => `\`${f}\``).join(', ');
}

function suggestion(key: string, allowed: string[]): string {
  const best = closest(key.toLowerCase(), allowed);
  return best && best.distance <= Math.max(2, Math.floor(best.candidate.length / 3)) ? ` Did you mean \`${best.candidate}\`?` : '';
}

class Walker {
  readonly groups: LoadedRuleGroup[] = [];
  /** Rule name + labels seen in this document (promtool's duplicate-rule lint spans every group of a file). */
  private readonly ruleKeys = new Map<string, { position: Point; group: string }>();
  private readonly doc: Document;
  private readonly file: VFile;

  constructor(private readonly ctx: DocumentContext) {
    this.doc = ctx.doc;
    this.file = ctx.vfile;
  }

  point(offset: number): Point {
    const { line, col } = this.ctx.lineCounter.linePos(offset);
    return { line, column: col, offset };
  }

  place(node: Node | null | undefined, fallback?: Node | null): Place | undefined {
    const n = node?.range ? node : fallback;
    if (!n?.range) return undefined;
    return { start: this.point(n.range[0]), end: this.point(n.range[1]) };
  }

  error(reason: string, node: Node | null | undefined, ruleId: string, fallback?: Node | null): void {
    reportError(this.file, reason, this.place(node, fallback), ruleId);
  }

  resolve(node: unknown): Node | null {
    let n = node as Node | null | undefined;
    for (let hops = 0; n && isAlias(n) && hops < 100; hops++) n = this.ctx.aliases.get(n);
    if (n && isAlias(n)) return null;
    return n ?? null;
  }

  /** Keys of a mapping in source order, `<<` merge keys resolved (explicit keys win). */
  entries(map: YAMLMap, depth = 0): Entry[] {
    const out: Entry[] = [];
    const index = new Map<string, number>();
    const put = (e: Entry, explicit: boolean): void => {
      const at = index.get(e.key);
      if (at === undefined) {
        index.set(e.key, out.length);
        out.push(e);
      } else if (explicit) {
        out[at] = e;
      }
    };
    for (const pair of map.items as Pair<unknown, unknown>[]) {
      const keyNode = pair.key as Node | null;
      if (isScalar(keyNode) && typeof keyNode.value === 'symbol') {
        // Merge key: a mapping or a sequence of mappings.
        const src = this.resolve(pair.value);
        const sources = isSeq(src) ? src.items.map((i) => this.resolve(i)) : [src];
        for (const s of sources) {
          if (isMap(s) && depth < 20) for (const e of this.entries(s, depth + 1)) put(e, false);
        }
        continue;
      }
      const k = this.resolve(keyNode);
      const key = isScalar(k) ? String(k.value) : String(k ?? '');
      put({ key, keyNode: keyNode ?? (pair.value as Node), value: this.resolve(pair.value) }, true);
    }
    return out;
  }

  /** Plain JS value with aliases and merges resolved (bounded: alias bombs are refused before this runs). */
  plain(node: Node | null, depth = 0): unknown {
    const n = this.resolve(node);
    if (!n || depth > 200) return null;
    if (isScalar(n)) return n.value;
    if (isSeq(n)) return n.items.map((i) => this.plain(i as Node, depth + 1));
    if (isMap(n)) {
      const o: Record<string, unknown> = {};
      for (const e of this.entries(n)) o[e.key] = this.plain(e.value, depth + 1);
      return o;
    }
    return null;
  }

  /** A scalar as Prometheus' YAML decoder would read it into a string; undefined when it is not a scalar. */
  str(node: Node | null): string | undefined {
    if (!isScalar(node)) return undefined;
    const v = node.value;
    if (v === null || v === undefined) return '';
    if (typeof v === 'string') return v;
    if (node.type === 'PLAIN' && typeof node.source === 'string') return node.source;
    return String(v);
  }

  unknownFields(entries: Entry[], allowed: string[], where: string): void {
    for (const e of entries) {
      if (!allowed.includes(e.key)) {
        this.error(`Unexpected field \`${e.key}\` in ${where}, expected one of ${list(allowed)}.${suggestion(e.key, allowed)}`, e.keyNode, 'unknown-field');
      }
    }
  }

  stringField(e: Entry | undefined, what: string): string | undefined {
    if (!e) return undefined;
    const s = this.str(e.value);
    if (s === undefined && e.value !== null) {
      this.error(`\`${e.key}\` ${what} must be a string, not a ${isSeq(e.value) ? 'list' : 'mapping'}.`, e.value, 'value-type', e.keyNode);
    }
    return e.value === null ? undefined : s;
  }

  duration(e: Entry | undefined, what: string): string | undefined {
    if (!e) return undefined;
    const s = this.stringField(e, what);
    if (s === undefined) return undefined;
    if (!isValidDuration(s)) {
      this.error(`Invalid duration \`${s}\` for \`${e.key}\` ${what}: use Prometheus durations such as \`30s\`, \`5m\` or \`1h30m\` (integers, units y w d h m s ms in that order).`, e.value, 'invalid-duration', e.keyNode);
    }
    return s;
  }

  /** `templates`: the values are Go templates (labels and annotations of an alerting rule), checked as Prometheus parses them. */
  stringMap(e: Entry | undefined, what: 'labels' | 'annotations', owner: string, rejectName: boolean, templates = false): Record<string, string> {
    const out: Record<string, string> = {};
    if (!e || e.value === null || (isScalar(e.value) && e.value.value === null)) return out;
    if (!isMap(e.value)) {
      this.error(`\`${e.key}\` ${owner} must be a mapping of names to strings.`, e.value, 'value-type', e.keyNode);
      return out;
    }
    for (const item of this.entries(e.value)) {
      const name = item.key;
      if (!isValidLabelName(name) || (rejectName && name === '__name__')) {
        const kind = what === 'labels' ? 'label' : 'annotation';
        this.error(`Invalid ${kind} name \`${name}\`${name === '__name__' ? ': `__name__` is reserved for the metric name' : ''}.`, item.keyNode, what === 'labels' ? 'invalid-label-name' : 'invalid-annotation-name');
      }
      // A key without a value (`{a}`) is the empty string to Prometheus, as `a:` is.
      const v = item.value === null ? '' : this.str(item.value);
      if (v === undefined) {
        const written = item.value?.range ? this.ctx.source.slice(item.value.range[0], item.value.range[1]) : '';
        const hint = written.startsWith('{{') ? quoteTemplateHint(name, written) : '';
        this.error(`The value of ${what === 'labels' ? 'label' : 'annotation'} \`${name}\` must be a string, not a ${isSeq(item.value) ? 'list' : 'mapping'}.${hint}`, item.value, 'value-type', item.keyNode);
        continue;
      }
      out[name] = v;
      if (templates && item.value && v.includes('{{')) this.template(item.value, v, what === 'labels' ? 'label' : 'annotation', name);
    }
    return out;
  }

  /** Reports the first Go template error in a label or annotation value, at its place in the YAML. */
  template(node: Node, value: string, kind: 'label' | 'annotation', name: string): void {
    const problem = checkGoTemplate(value);
    if (!problem) return;
    const start = this.mapExprOffset(node, value, problem.start);
    const end = this.mapExprOffset(node, value, Math.max(problem.start, problem.end));
    const place = { start: this.point(start), end: this.point(Math.max(start, end)) };
    reportError(this.file, `Invalid template in ${kind} \`${name}\` (Prometheus would not load this file): ${problem.message}`, place, 'template-syntax');
  }

  /** Entry point: one YAML document. */
  document(): void {
    const top = this.resolve(this.doc.contents);
    if (top === null || (isScalar(top) && top.value === null)) return; // empty document
    if (!isMap(top)) {
      reportNote(this.file, 'Skipped a YAML document that is not a mapping (neither a rule file nor a PrometheusRule).', this.place(top), 'not-rule-document');
      return;
    }
    const entries = this.entries(top);
    const get = (k: string): Entry | undefined => entries.find((e) => e.key === k);
    const kind = get('kind');
    const apiVersion = get('apiVersion');
    if (kind || apiVersion) {
      const kindText = this.str(kind?.value ?? null);
      const apiText = this.str(apiVersion?.value ?? null) ?? '';
      if (kindText !== 'PrometheusRule' || !apiText.startsWith('monitoring.coreos.com/')) {
        reportNote(this.file, `Skipped a YAML document of kind \`${kindText ?? '?'}\` (${apiText || 'no apiVersion'}): not a PrometheusRule.`, this.place(kind?.keyNode ?? apiVersion?.keyNode), 'not-rule-document');
        return;
      }
      if (apiText !== 'monitoring.coreos.com/v1') {
        reportWarning(this.file, `Unexpected apiVersion \`${apiText}\` for a PrometheusRule, expected \`monitoring.coreos.com/v1\`.`, this.place(apiVersion?.value), 'unknown-api-version');
      }
      const spec = get('spec');
      if (!spec || spec.value === null) return;
      if (!isMap(spec.value)) {
        this.error('`spec` of a PrometheusRule must be a mapping.', spec.value, 'value-type', spec.keyNode);
        return;
      }
      const specEntries = this.entries(spec.value);
      this.unknownFields(specEntries, ['groups'], 'the PrometheusRule spec');
      this.groupList(specEntries.find((e) => e.key === 'groups'), true);
      return;
    }
    // A mapping with no `groups` nor a key that could be a slip for it (`group:`) is some other
    // YAML in the rules folder (Helm values, a Prometheus or Alertmanager config), not a rule file.
    if (!get('groups') && entries.length > 0 && entries.every((e) => suggestion(e.key, ['groups']) === '')) {
      const keys = entries.slice(0, 3).map((e) => `\`${e.key}\``).join(', ') + (entries.length > 3 ? ', …' : '');
      reportNote(this.file, `Skipped a YAML document that is no rule file: a mapping of ${keys} without \`groups\` (nor a PrometheusRule).`, this.place(entries[0].keyNode), 'not-rule-document');
      return;
    }
    this.unknownFields(entries, ['groups'], 'a rule file');
    this.groupList(get('groups'), false);
  }

  groupList(e: Entry | undefined, operator: boolean): void {
    if (!e || e.value === null || (isScalar(e.value) && e.value.value === null)) return;
    if (!isSeq(e.value)) {
      this.error('`groups` must be a list of rule groups.', e.value, 'value-type', e.keyNode);
      return;
    }
    const seen = new Map<string, Point>();
    for (const item of e.value.items) {
      const g = this.resolve(item);
      if (!isMap(g)) {
        this.error('A rule group must be a mapping with `name` and `rules`.', g, 'value-type', e.keyNode);
        continue;
      }
      this.group(g, operator, seen);
    }
  }

  group(node: YAMLMap, operator: boolean, seen: Map<string, Point>): void {
    const entries = this.entries(node);
    const get = (k: string): Entry | undefined => entries.find((x) => x.key === k);
    this.unknownFields(entries, operator ? operatorGroupFields : groupFields, 'a rule group');
    const nameEntry = get('name');
    const name = this.stringField(nameEntry, 'of a group') ?? '';
    const position = this.point(node.range?.[0] ?? 0);
    if (name === '') {
      this.error('Rule group has no name: `name` must be set and not empty.', nameEntry?.value ?? node, 'group-name-missing', nameEntry?.keyNode);
    } else if (seen.has(name)) {
      const first = seen.get(name)!;
      this.error(`Group name \`${name}\` is repeated in the same file (first at line ${first.line}).`, nameEntry!.value, 'duplicate-group', nameEntry!.keyNode);
    } else {
      seen.set(name, position);
    }
    const interval = this.duration(get('interval'), 'of a group');
    this.duration(get('query_offset'), 'of a group');
    const limit = get('limit');
    if (limit && limit.value !== null && !(isScalar(limit.value) && (limit.value.value === null || Number.isInteger(limit.value.value)))) {
      this.error('`limit` of a group must be an integer.', limit.value, 'value-type', limit.keyNode);
    }
    this.stringMap(get('labels'), 'labels', 'of a group', true);
    const group: LoadedRuleGroup = { name, rules: [], position };
    if (interval !== undefined) group.interval = interval;
    const rulesEntry = get('rules');
    const rules = rulesEntry ? rulesEntry.value : null;
    if (rules !== null && !(isScalar(rules) && rules.value === null)) {
      if (!isSeq(rules)) {
        this.error('`rules` must be a list of rules.', rules, 'value-type', rulesEntry?.keyNode);
      } else {
        const duplicates = this.ruleKeys;
        for (const item of rules.items) {
          const r = this.resolve(item);
          if (!isMap(r)) {
            this.error('A rule must be a mapping with `alert` or `record` and `expr`.', r, 'value-type', rulesEntry?.keyNode);
            continue;
          }
          const rule = this.rule(r, name);
          if (!rule) continue;
          group.rules.push(rule);
          const key = `${rule.name}\u0000${JSON.stringify(Object.entries(rule.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;
          const first = duplicates.get(key);
          if (first) {
            const labels = Object.entries(rule.labels)
              .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
              .join(', ');
            reportWarning(
              this.file,
              `Duplicate rule: ${rule.kind === 'alert' ? 'alert' : 'recording rule'} \`${rule.name}\` with the same labels${labels ? ` (${labels})` : ''} already appears ${first.group === name ? 'in this group' : `in group \`${first.group}\``} at line ${first.position.line}.`,
              { start: rule.position },
              'duplicate-rule',
            );
          } else {
            duplicates.set(key, { position: rule.position, group: name });
          }
        }
      }
    }
    this.groups.push(group);
  }

  rule(node: YAMLMap, groupName: string): LoadedRule | undefined {
    const entries = this.entries(node);
    const get = (k: string): Entry | undefined => entries.find((x) => x.key === k);
    this.unknownFields(entries, ruleFields, 'a rule');
    const position = this.point(node.range?.[0] ?? 0);
    const rulePlace = { start: position };
    const recordEntry = get('record');
    const alertEntry = get('alert');
    const record = this.stringField(recordEntry, 'of a rule');
    const alert = this.stringField(alertEntry, 'of a rule');
    let kind: 'alert' | 'record' | undefined;
    let name = '';
    if (recordEntry && alertEntry) {
      this.error('A rule must have only one of `record` and `alert`, this one has both.', recordEntry.keyNode, 'record-and-alert');
    } else if (!recordEntry && !alertEntry) {
      reportError(this.file, 'A rule must have one of `record` or `alert`, this one has neither.', rulePlace, 'missing-record-or-alert');
    } else if (alertEntry) {
      kind = 'alert';
      name = alert ?? '';
      if (name === '' && (alert !== undefined || alertEntry.value === null)) {
        this.error('Alert name must not be empty.', alertEntry.value, 'empty-alert-name', alertEntry.keyNode);
      }
    } else if (recordEntry) {
      kind = 'record';
      name = record ?? '';
      if (record !== undefined || recordEntry.value === null) {
        if (name === '') this.error('Recording rule name must not be empty.', recordEntry.value, 'empty-record-name', recordEntry.keyNode);
        else if (!isValidRecordName(name)) {
          this.error(`Invalid recording rule name \`${name}\`: it must be a valid metric name (letters, digits, \`_\` and \`:\`, not starting with a digit).`, recordEntry.value, 'invalid-record-name', recordEntry.keyNode);
        }
      }
    }

    const exprEntry = get('expr');
    const expr = this.stringField(exprEntry, 'of a rule') ?? '';
    let exprPosition: Point | undefined;
    if (!exprEntry || (exprEntry.value !== null && isScalar(exprEntry.value) && expr.trim() === '') || exprEntry.value === null) {
      reportError(this.file, 'Field `expr` must be set in a rule and not be empty.', exprEntry ? this.place(exprEntry.value, exprEntry.keyNode) : rulePlace, 'missing-expr');
    } else if (isScalar(exprEntry.value)) {
      const scalar = exprEntry.value;
      exprPosition = this.point(this.contentStart(scalar));
      for (const p of checkPromQL(expr)) {
        const start = this.mapExprOffset(scalar, expr, p.from);
        const end = this.mapExprOffset(scalar, expr, Math.max(p.from, p.to));
        const place = { start: this.point(start), end: this.point(Math.max(start, end)) };
        const reason = p.ruleId === 'promql-experimental' ? p.message : `Invalid PromQL expression: ${p.message}`;
        if (p.severity === 'warning') reportWarning(this.file, reason, place, p.ruleId);
        else reportError(this.file, reason, place, p.ruleId);
      }
    }

    const forValue = this.duration(get('for'), 'of a rule');
    const keepFiringFor = this.duration(get('keep_firing_for'), 'of a rule');
    const labels = this.stringMap(get('labels'), 'labels', 'of a rule', true, kind === 'alert');
    const annotations = this.stringMap(get('annotations'), 'annotations', 'of a rule', false, kind === 'alert');
    if (kind === 'record') {
      for (const k of ['for', 'keep_firing_for', 'annotations']) {
        const e = get(k);
        if (e) this.error(`Recording rule \`${name}\` cannot have \`${k}\` (only alerting rules can).`, e.keyNode, 'recording-rule-field');
      }
    }
    if (!kind || name === '') return undefined;

    const fields: Record<string, unknown> = {};
    for (const e of entries) fields[e.key] = this.plain(e.value);
    const rule: LoadedRule = {
      kind,
      name,
      expr,
      labels,
      annotations,
      group: groupName,
      file: this.ctx.file,
      position,
      yaml: stringify(fields, { lineWidth: 0 }),
    };
    if (forValue !== undefined) rule.for = forValue;
    if (keepFiringFor !== undefined) rule.keepFiringFor = keepFiringFor;
    if (exprPosition) rule.exprPosition = exprPosition;
    return rule;
  }

  /** Offset in the file where a scalar's text content begins (after a quote or a block header line). */
  contentStart(scalar: Node): number {
    const start = scalar.range?.[0] ?? 0;
    const src = this.ctx.source;
    const type = isScalar(scalar) ? scalar.type : undefined;
    if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') return start + 1;
    if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
      const nl = src.indexOf('\n', start);
      if (nl < 0) return start;
      let i = nl + 1;
      // Skip blank lines and indentation up to the first content character.
      while (i < src.length && (src[i] === ' ' || src[i] === '\n' || src[i] === '\r')) i++;
      return i;
    }
    return start;
  }

  /**
   * Map an offset in a scalar's value to an offset in the file by walking the value
   * and the scalar's source together (handles indentation, folding, quotes and escapes);
   * falls back to the start of the value when they cannot be aligned.
   */
  mapExprOffset(scalar: Node, value: string, offset: number): number {
    const src = this.ctx.source;
    const begin = this.contentStart(scalar);
    const end = scalar.range?.[1] ?? src.length;
    let s = begin;
    for (let v = 0; v < offset && v < value.length; v++) {
      const c = value[v];
      let skipped = 0;
      while (s < end && src[s] !== c) {
        s++;
        if (++skipped > 200) return begin;
      }
      if (s >= end) return begin;
      s++;
    }
    // Land on the next non-skippable character for the start of a token.
    if (offset < value.length) {
      const c = value[offset];
      let t = s;
      while (t < end && src[t] !== c && t - s < 200) t++;
      if (t < end && src[t] === c) s = t;
    }
    return Math.min(s, end);
  }
}

/** Walk one parsed YAML document (already checked for syntax errors and alias bombs), reporting problems on ctx.vfile. */
export function validateRuleDocument(ctx: DocumentContext): LoadedRuleGroup[] {
  const walker = new Walker(ctx);
  walker.document();
  return walker.groups;
}

/** Duplicate group names across the documents of one file. */
export function checkDuplicateGroupsAcrossDocuments(vfile: VFile, groups: LoadedRuleGroup[][]): void {
  if (groups.length < 2) return;
  const seen = new Map<string, Point>();
  for (const doc of groups) {
    const names = new Set<string>();
    for (const g of doc) {
      if (!g.name || names.has(g.name)) continue;
      names.add(g.name);
      const first = seen.get(g.name);
      if (first) {
        reportWarning(vfile, `Group name \`${g.name}\` also appears in another document of this file (line ${first.line}).`, { start: g.position }, 'duplicate-group');
      } else {
        seen.set(g.name, g.position);
      }
    }
  }
}
