// Plans the text edits that set one annotation on every alerting rule of a rule file.
// The yaml Document API locates the nodes (with their source offsets); the edits are then made
// on the original text at those offsets, so every byte outside the changed lines stays as written:
// comments, key order, quoting, anchors, flow style, line endings, other documents.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Alias, type Node, type Pair, type YAMLMap } from 'yaml';
import { parseYamlDocuments, type YamlRefusalRule } from '../yaml-policy.js';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** What one alerting rule has, and what it should have. */
export interface AnnotationFinding {
  alert: string;
  /** Where the rule (when the annotation is missing) or the annotation's value is, 1-based. */
  line: number;
  column: number;
  /** Position of the rule's mapping, 1-based: the key the link stage knows the rule by. */
  ruleLine: number;
  ruleColumn: number;
  /** The value now in effect (own, or from a merged anchor), or undefined when missing. */
  current?: string;
  expected: string;
  /**
   * `ok`: already right. `missing`/`wrong`: will be (or was) set. `template`: the value holds a Go
   * template and is left alone without `force`. `unsupported`: the rule cannot be edited safely.
   */
  status: 'ok' | 'missing' | 'wrong' | 'template' | 'unsupported';
  /** For `unsupported`: why. */
  reason?: string;
}

export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
  /** Set when the YAML policy refused the file (it parses, but is too large, deep or aliased). */
  ruleId?: YamlRefusalRule;
}

export interface AnnotationPlan {
  findings: AnnotationFinding[];
  edits: TextEdit[];
  /** YAML syntax errors: when there are any, the file gets no edits. */
  syntaxErrors: SyntaxProblem[];
}

export interface PlanOptions {
  /** The annotation to set, e.g. `runbook_url`. */
  annotation: string;
  /** The value an alert should have; the rule's position is passed for the `runbook` mode's lookup. */
  expectedValue: (alert: string, rulePosition: { line: number; column: number }) => string;
  /** Replace values that contain a Go template too. */
  force: boolean;
}

type Style = 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE';

function isMergeKey(node: unknown): boolean {
  return isScalar(node) && (node.source === '<<' || node.value === '<<' || typeof node.value === 'symbol');
}

function keyOf(pair: Pair): unknown {
  return isScalar(pair.key) ? pair.key.value : undefined;
}

/** The rule file's own line ending: CRLF when its first line break is one. */
function lineEnding(text: string): string {
  const at = text.indexOf('\n');
  return at > 0 && text[at - 1] === '\r' ? '\r\n' : '\n';
}

/** A scalar in `style` that reads back as `value` in that context; double quotes when plain would not. */
export function formatScalar(value: string, style: Style, inFlow: boolean): string {
  if (style === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  if (style === 'PLAIN' && value !== '' && !/[\r\n\t]/.test(value)) {
    // Parse, don't guess: the plain text must read back as the same string (not a number, null,
    // comment, flow indicator…) where it will be written.
    const probe = inFlow ? `{k: ${value}}` : `k: ${value}\n`;
    try {
      const doc = parseDocument(probe);
      const read = doc.errors.length === 0 ? doc.get('k', true) : undefined;
      if (isScalar(read) && read.value === value && read.type === 'PLAIN') return value;
    } catch {
      // fall through to quotes
    }
  }
  return JSON.stringify(value);
}

interface Resolver {
  resolve(node: unknown): unknown;
}

/** A mapping's own pair for `key` (not one brought in by a merge key). */
function ownPair(map: YAMLMap, key: string): Pair | undefined {
  return (map.items as Pair[]).find((pair) => !isMergeKey(pair.key) && keyOf(pair) === key);
}

/** The maps a mapping merges in with `<<`, in precedence order. */
function mergedMaps(map: YAMLMap, r: Resolver): YAMLMap[] {
  const out: YAMLMap[] = [];
  for (const pair of map.items as Pair[]) {
    if (!isMergeKey(pair.key)) continue;
    const value = r.resolve(pair.value);
    if (isMap(value)) out.push(value);
    else if (isSeq(value)) for (const item of value.items) {
      const target = r.resolve(item);
      if (isMap(target)) out.push(target);
    }
  }
  return out;
}

/** The value a key has in a mapping, with YAML merge keys applied (own keys win; depth-bounded). */
function effective(map: YAMLMap, key: string, r: Resolver, depth = 0): { pair: Pair; owner: YAMLMap } | undefined {
  const own = ownPair(map, key);
  if (own) return { pair: own, owner: map };
  if (depth > 20) return undefined;
  for (const merged of mergedMaps(map, r)) {
    const found = effective(merged, key, r, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function scalarText(node: unknown, r: Resolver): string | undefined {
  const value = r.resolve(node);
  if (!isScalar(value) || value.value === null || value.value === undefined) return undefined;
  return String(value.value);
}

export function planAnnotations(text: string, options: PlanOptions): AnnotationPlan {
  const counter = new LineCounter();
  // The loader's YAML policy: a file it would refuse (alias bomb, too deep, too large) is not edited.
  const parsed = parseYamlDocuments(text, { lineCounter: counter, merge: true, uniqueKeys: true, prettyErrors: false });
  const documents = parsed.docs;
  const findings: AnnotationFinding[] = [];
  const edits: TextEdit[] = [];
  const syntaxErrors: SyntaxProblem[] = [];
  if (parsed.refusal) {
    const { line = 1, column = 1, reason, ruleId } = parsed.refusal;
    return { findings, edits: [], syntaxErrors: [{ line, column, message: reason, ruleId }] };
  }
  for (const doc of documents) {
    for (const error of doc.errors) {
      const { line, col } = counter.linePos(error.pos[0]);
      syntaxErrors.push({ line, column: col, message: error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') });
    }
  }
  if (syntaxErrors.length > 0) return { findings, edits: [], syntaxErrors };

  const eol = lineEnding(text);
  const lineStart = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
  const columnOf = (offset: number) => offset - lineStart(offset);
  /** Offset just after the line holding `offset` (past its comment and line break). */
  const afterLine = (offset: number): { at: number; needsBreak: boolean } => {
    if (offset > 0 && text[offset - 1] === '\n') return { at: offset, needsBreak: false };
    const next = text.indexOf('\n', offset);
    return next === -1 ? { at: text.length, needsBreak: true } : { at: next + 1, needsBreak: false };
  };

  for (const doc of documents) {
    // Aliases point at the closest preceding anchor of their name, within this document.
    const anchors = new Map<string, Node>();
    const anchorNames = new Set<string>();
    const collect = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      if (isAlias(node)) return;
      const anchor = (node as { anchor?: string }).anchor;
      if (anchor) {
        anchors.set(anchor, node as Node);
        anchorNames.add(anchor);
      }
      if (isMap(node) || isSeq(node)) {
        for (const item of node.items as unknown[]) {
          if (item && typeof item === 'object' && 'key' in item && !isScalar(item)) {
            collect((item as Pair).key);
            collect((item as Pair).value);
          } else collect(item);
        }
      }
    };
    collect(doc.contents);
    /** Inherited annotation mappings given an anchor by this plan (once each). */
    const namedHere = new Map<YAMLMap, string>();
    const r: Resolver = {
      resolve(node) {
        let current = node;
        for (let hops = 0; isAlias(current) && hops < 20; hops++) current = anchors.get((current as Alias).source);
        return current;
      },
    };

    const top = r.resolve(doc.contents);
    if (!isMap(top)) continue;
    let groupsNode = effective(top, 'groups', r)?.pair.value;
    if (!groupsNode) {
      const spec = effective(top, 'spec', r)?.pair.value;
      const specMap = r.resolve(spec);
      if (isMap(specMap)) groupsNode = effective(specMap, 'groups', r)?.pair.value;
    }
    const groups = r.resolve(groupsNode);
    if (!isSeq(groups)) continue;

    for (const groupItem of groups.items) {
      const group = r.resolve(groupItem);
      if (!isMap(group)) continue;
      const rules = r.resolve(effective(group, 'rules', r)?.pair.value);
      if (!isSeq(rules)) continue;
      for (const ruleItem of rules.items) {
        const rule = r.resolve(ruleItem);
        if (!isMap(rule)) continue;
        const alertPair = effective(rule, 'alert', r);
        if (!alertPair) continue; // a recording rule, or not a rule: the loader reports it
        const alert = scalarText(alertPair.pair.value, r);
        if (alert === undefined || alert === '') continue;
        const ruleStart = rule.range?.[0] ?? 0;
        const rulePos = counter.linePos(ruleStart);
        const expected = options.expectedValue(alert, { line: rulePos.line, column: rulePos.col });
        const finding = (status: AnnotationFinding['status'], at: number, current: string | undefined, reason?: string): void => {
          const { line, col } = counter.linePos(at);
          findings.push({ alert, line, column: col, ruleLine: rulePos.line, ruleColumn: rulePos.col, current, expected, status, ...(reason ? { reason } : {}) });
        };
        if (isAlias(ruleItem)) {
          // The rule is another rule's anchor: editing it would change that rule too.
          const value = currentValue(rule, options.annotation, r);
          if (value !== expected) finding('unsupported', ruleItem.range?.[0] ?? ruleStart, value, 'the rule is an alias of another rule (`*' + ruleItem.source + '`); give it its own mapping');
          else finding('ok', ruleStart, value);
          continue;
        }

        const annotationsEntry = ownPair(rule, 'annotations');
        const inherited = annotationsEntry ? undefined : effective(rule, 'annotations', r);
        const annotationsNode = annotationsEntry ? annotationsEntry.value : inherited?.pair.value;
        const annotationsMap = r.resolve(annotationsNode);
        const found = isMap(annotationsMap) ? effective(annotationsMap, options.annotation, r) : undefined;
        const current = found ? scalarText(found.pair.value, r) : undefined;
        const valueNode = found ? (found.pair.value as Node | null) : undefined;
        // Point at the value when the rule writes it itself; else at the rule, where it will be added.
        const ownValue = found && annotationsEntry && found.owner === annotationsMap && !isAlias(annotationsNode);
        const reportAt = (ownValue ? valueNode?.range?.[0] : undefined) ?? ruleStart;
        if (current === expected) {
          finding('ok', reportAt, current);
          continue;
        }
        if (current !== undefined && /\{\{/.test(current) && !options.force) {
          finding('template', reportAt, current);
          continue;
        }
        const status = current === undefined ? 'missing' : 'wrong';

        // 1. The rule's own annotations mapping has the key: replace its value in place.
        if (found && annotationsEntry && isMap(annotationsMap) && found.owner === annotationsMap && !isAlias(annotationsNode)) {
          const edit = replaceValue(found.pair, expected, annotationsMap.flow === true);
          if (edit) {
            edits.push(edit);
            finding(status, reportAt, current);
          } else finding('unsupported', reportAt, current, 'its value is not a plain, quoted or block scalar');
          continue;
        }
        // 2. The rule's own annotations mapping (which may merge others in): add the key to it.
        if (annotationsEntry && isMap(annotationsMap) && !isAlias(annotationsNode)) {
          edits.push(insertPair(annotationsMap, options.annotation, expected, siblingStyle(annotationsMap)));
          finding(status, reportAt, current);
          continue;
        }
        // 3. `annotations: *common`: merge the shared mapping into an own one, then add the key.
        if (annotationsEntry && isAlias(annotationsNode) && isMap(annotationsMap)) {
          const alias = annotationsNode as Alias;
          const indent = ' '.repeat(columnOf(rule.range![0]) + childStep(rule));
          const style = siblingStyle(annotationsMap);
          const value = formatScalar(expected, style, false);
          const key = formatKey(options.annotation, false);
          if (rule.flow) {
            edits.push({ start: alias.range![0], end: alias.range![1], text: `{<<: *${alias.source}, ${key}: ${formatScalar(expected, style, true)}}` });
          } else {
            // `annotations: *common # note` → `annotations: # note`, then the merge and the key below it.
            edits.push({ start: alias.range![0] - spacesBefore(alias.range![0]), end: alias.range![1], text: '' });
            const { at, needsBreak } = afterLine(alias.range![1]);
            const lines = `${indent}<<: *${alias.source}${eol}${indent}${key}: ${value}`;
            edits.push({ start: at, end: at, text: needsBreak ? eol + lines : lines + eol });
          }
          finding(status, reportAt, current);
          continue;
        }
        // 4. `annotations:` with no value (or `~`): give it a mapping.
        if (annotationsEntry && isScalar(annotationsNode) && (annotationsNode as Scalar).value === null) {
          const node = annotationsNode as Scalar;
          const key = formatKey(options.annotation, false);
          if (rule.flow || (node.source ?? '') !== '') {
            edits.push({ start: node.range![0], end: node.range![1], text: `{${key}: ${formatScalar(expected, 'PLAIN', true)}}` });
          } else {
            const indent = ' '.repeat(columnOf(rule.range![0]) + childStep(rule));
            const { at, needsBreak } = afterLine(annotationsEntry.key && (annotationsEntry.key as Node).range ? (annotationsEntry.key as Node).range![1] : node.range![0]);
            edits.push({ start: at, end: at, text: `${needsBreak ? eol : ''}${indent}${key}: ${formatScalar(expected, 'PLAIN', false)}${needsBreak ? '' : eol}` });
          }
          finding(status, reportAt, current);
          continue;
        }
        // 5. No annotations of its own.
        if (!annotationsEntry) {
          let mergeIn = '';
          if (isMap(annotationsMap)) {
            // Inherited through a merge key: merging is shallow, so an own `annotations` would drop the
            // inherited ones; merge them back in by anchor (naming the mapping when it has no anchor).
            let anchor = (annotationsMap as { anchor?: string }).anchor ?? namedHere.get(annotationsMap);
            if (!anchor) {
              anchor = uniqueAnchor(`${mergeSource(rule, r) ?? 'inherited'}_annotations`);
              const owner = inherited!.pair;
              const keyEnd = (owner.key as Node).range![1];
              const colon = text.indexOf(':', keyEnd);
              edits.push({ start: colon + 1, end: colon + 1, text: ` &${anchor}` });
              namedHere.set(annotationsMap, anchor);
            }
            mergeIn = anchor;
          }
          edits.push(insertAnnotations(rule, options.annotation, expected, mergeIn));
          finding(status, reportAt, current);
          continue;
        }
        finding('unsupported', reportAt, current, '`annotations` is not a mapping');
      }
    }

    function uniqueAnchor(base: string): string {
      let name = base;
      for (let i = 2; anchorNames.has(name); i++) name = `${base}${i}`;
      anchorNames.add(name);
      return name;
    }
  }

  function currentValue(rule: YAMLMap, annotation: string, r: Resolver): string | undefined {
    const annotations = r.resolve(effective(rule, 'annotations', r)?.pair.value);
    if (!isMap(annotations)) return undefined;
    const found = effective(annotations, annotation, r);
    return found ? scalarText(found.pair.value, r) : undefined;
  }

  /** The alias name of the merge key a rule's annotations come from (`<<: *defaults` → `defaults`). */
  function mergeSource(rule: YAMLMap, r: Resolver): string | undefined {
    for (const pair of rule.items as Pair[]) {
      if (!isMergeKey(pair.key)) continue;
      const aliases = isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const alias of aliases) {
        const target = r.resolve(alias);
        if (isAlias(alias) && isMap(target) && effective(target, 'annotations', r)) return alias.source.replace(/[^A-Za-z0-9_-]/g, '') || undefined;
      }
    }
    return undefined;
  }

  function spacesBefore(offset: number): number {
    let n = 0;
    while (offset - n - 1 >= 0 && (text[offset - n - 1] === ' ' || text[offset - n - 1] === '\t')) n++;
    return n;
  }

  /** How far the file indents a nested block mapping under its key (from this rule, else 2). */
  function childStep(rule: YAMLMap): number {
    for (const pair of rule.items as Pair[]) {
      if (isMap(pair.value) && !pair.value.flow && pair.value.items.length > 0 && pair.key && (pair.key as Node).range) {
        const child = (pair.value.items[0] as Pair).key as Node | null;
        if (child?.range) {
          const step = columnOf(child.range[0]) - columnOf((pair.key as Node).range![0]);
          if (step > 0) return step;
        }
      }
    }
    return 2;
  }

  /** The quoting the other values of the mapping use (the most common), plain when none is quoted. */
  function siblingStyle(map: YAMLMap): Style {
    const counts: Record<Style, number> = { PLAIN: 0, QUOTE_DOUBLE: 0, QUOTE_SINGLE: 0 };
    for (const pair of map.items as Pair[]) {
      if (isScalar(pair.value) && pair.value.type && pair.value.type in counts) counts[pair.value.type as Style]++;
    }
    const best = (Object.entries(counts) as [Style, number][]).sort((a, b) => b[1] - a[1])[0];
    return best[1] > 0 ? best[0] : 'PLAIN';
  }

  function formatKey(key: string, inFlow: boolean): string {
    return formatScalar(key, 'PLAIN', inFlow);
  }

  function replaceValue(pair: Pair, value: string, inFlow: boolean): TextEdit | undefined {
    const node = pair.value as Node | null;
    if (isAlias(node)) return { start: node.range![0], end: node.range![1], text: formatScalar(value, 'PLAIN', inFlow) };
    if (!isScalar(node) || !node.range) return undefined;
    if (node.value === null && node.range[0] === node.range[1]) {
      // `key:` with nothing after it.
      const space = text[node.range[0] - 1] === ':' ? ' ' : '';
      return { start: node.range[0], end: node.range[1], text: space + formatScalar(value, 'PLAIN', inFlow) };
    }
    const type = node.type ?? 'PLAIN';
    if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
      // `key: |` + indented lines become `key: value` on the key's line; the line break after stays.
      let end = node.range[1];
      while (end > node.range[0] && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
      return { start: node.range[0], end, text: formatScalar(value, 'PLAIN', inFlow) };
    }
    // Props (a tag or an anchor) before the scalar are kept: the range starts at the scalar itself.
    return { start: node.range[0], end: node.range[1], text: formatScalar(value, type as Style, inFlow) };
  }

  function insertPair(map: YAMLMap, key: string, value: string, style: Style): TextEdit {
    const items = map.items as Pair[];
    if (map.flow) {
      const last = items[items.length - 1];
      const entry = `${formatKey(key, true)}: ${formatScalar(value, style, true)}`;
      if (!last) {
        // `{}`: write inside the braces.
        const open = text.indexOf('{', map.range![0]);
        return { start: open + 1, end: open + 1, text: entry };
      }
      const lastEnd = ((last.value as Node | null)?.range ?? (last.key as Node).range!)[1];
      return { start: lastEnd, end: lastEnd, text: `, ${entry}` };
    }
    const firstKey = items[0].key as Node;
    const indent = ' '.repeat(columnOf(firstKey.range![0]));
    const last = items[items.length - 1];
    const lastEnd = ((last.value as Node | null)?.range ?? (last.key as Node).range!)[1];
    const { at, needsBreak } = afterLine(lastEnd);
    const line = `${indent}${formatKey(key, false)}: ${formatScalar(value, style, false)}`;
    return { start: at, end: at, text: needsBreak ? `${eol}${line}` : `${line}${eol}` };
  }

  function insertAnnotations(rule: YAMLMap, key: string, value: string, mergeIn: string): TextEdit {
    if (rule.flow) {
      const entries = `${mergeIn ? `<<: *${mergeIn}, ` : ''}${formatKey(key, true)}: ${formatScalar(value, 'PLAIN', true)}`;
      const items = rule.items as Pair[];
      const last = items[items.length - 1];
      const lastEnd = ((last.value as Node | null)?.range ?? (last.key as Node).range!)[1];
      return { start: lastEnd, end: lastEnd, text: `, annotations: {${entries}}` };
    }
    const items = rule.items as Pair[];
    const column = columnOf((items[0].key as Node).range![0]);
    const indent = ' '.repeat(column);
    const inner = ' '.repeat(column + childStep(rule));
    const last = items[items.length - 1];
    const lastEnd = ((last.value as Node | null)?.range ?? (last.key as Node).range!)[1];
    const { at, needsBreak } = afterLine(lastEnd);
    const lines = [`${indent}annotations:`, ...(mergeIn ? [`${inner}<<: *${mergeIn}`] : []), `${inner}${formatKey(key, false)}: ${formatScalar(value, 'PLAIN', false)}`];
    return { start: at, end: at, text: needsBreak ? eol + lines.join(eol) : lines.join(eol) + eol };
  }

  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  return { findings, edits, syntaxErrors };
}

/** Applies non-overlapping edits (sorted by start) to the text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const edit of edits) {
    if (edit.start < at) throw new Error(`overlapping edits at offset ${edit.start}`);
    out += text.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + text.slice(at);
}
