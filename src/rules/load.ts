// Find and parse Prometheus rule files (plain rule files and PrometheusRule objects).
// Content problems become messages on each file's vfile; only I/O errors on the folder throw.
import { readTextFile } from '../load/text.js';
import { listKnownFiles, type Listings } from '../load/files.js';
import path from 'node:path';
import { VFile } from 'vfile';
import { LineCounter, type Document } from 'yaml';
import { parseYamlDocuments } from '../yaml-policy.js';
import { pointAt, reportError, reportWarning } from '../diagnostics.js';
import type { LoadedRuleGroup, RuleFile } from '../model.js';
import { checkDuplicateGroupsAcrossDocuments, quoteTemplateHint, validateRuleDocument } from './validate.js';
import type { LoadCache } from '../cache/load-cache.js';
import { isRuleFileName } from './file-names.js';

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** Prometheus 1.x's rule syntax: `ALERT Name` on a line, then `IF expr`. */
const PROMETHEUS_1_ALERT = /^ALERT[ \t]+[A-Za-z_:][\w:]*[ \t]*\r?\n(?:[ \t]*(?:#.*)?\r?\n)*[ \t]+IF[ \t]/m;

/** The line of `text` that holds `offset`, without its line ending. */
function lineAt(text: string, offset: number): { start: number; line: string } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return { start, line: text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '') };
}

/**
 * Text of a Go-template tool (Helm, above all) rather than YAML, given where YAML first failed: an
 * action on a line of its own there (`{{- if .Values.rules.enabled }}`), or anywhere one naming
 * Helm's objects. Prometheus's own templates (`{{ $labels.instance }}`) live inside annotation
 * values, where YAML reads them as text.
 */
function templateAction(text: string, failedAt: number): { offset: number; action: string } | undefined {
  const { start, line } = lineAt(text, failedAt);
  const own = /^[ \t]*(\{\{[^\n]*\}\})[ \t]*$/.exec(line);
  if (own) return { offset: start + line.indexOf('{{'), action: own[1] };
  const helm = /\{\{-?[^\n}]*?(?:\.Values\b|\.Release\b|\.Chart\b|\binclude\s+"|\btoYaml\b)[^\n}]*\}\}/.exec(text);
  return helm ? { offset: helm.index, action: helm[0] } : undefined;
}

/** Parse one rule file's text. Never throws: problems are messages on the returned vfile. */
export function parseRuleFile(text: string, absolutePath: string, relPath: string, vfile = new VFile({ path: absolutePath, value: text })): RuleFile {
  const lineCounter = new LineCounter();
  const point = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col, offset };
  };
  const legacy = PROMETHEUS_1_ALERT.exec(text);
  if (legacy) {
    reportError(
      vfile,
      'Unexpected Prometheus 1.x rule syntax (`ALERT … IF …`): Prometheus 2 and later load only YAML rule groups; rewrite the file as `groups:` (see https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/)',
      pointAt(text, legacy.index),
      'prometheus-1-rules',
    );
    return { path: relPath, vfile, groups: [] };
  }
  const perDocument: LoadedRuleGroup[][] = [];
  let docs: Document.Parsed[];
  let aliasesOf: ReturnType<typeof parseYamlDocuments>['aliases'];
  try {
    const parsed = parseYamlDocuments(text, { lineCounter, merge: true, prettyErrors: false, uniqueKeys: true });
    if (parsed.refusal) {
      const { offset, line = 1, column = 1, reason, ruleId } = parsed.refusal;
      reportError(vfile, reason, { start: { line, column, offset } }, ruleId);
    }
    docs = parsed.docs;
    aliasesOf = parsed.aliases;
  } catch (err) {
    reportError(vfile, `Could not read the YAML: ${(err as Error).message}`, { line: 1, column: 1 }, 'yaml-syntax');
    return { path: relPath, vfile, groups: [] };
  }
  const firstSyntaxError = docs.flatMap((doc) => doc.errors).find((err) => err.code !== 'DUPLICATE_KEY');
  if (firstSyntaxError) {
    const template = templateAction(text, firstSyntaxError.pos[0]);
    if (template) {
      reportWarning(
        vfile,
        `Skipped a template, not a rule file: \`${template.action}\` is for Helm or another Go-template tool, and the text is no YAML until it has run; render it first (\`helm template\`) and point \`--rules\` at the output, or keep templates out of the rules folder`,
        { start: point(template.offset) },
        'rule-file-template',
      );
      return { path: relPath, vfile, groups: [] };
    }
  }
  for (const doc of docs) {
    let broken = false;
    // The first syntax error is the one to fix: the parser's later ones mostly follow from it.
    const syntax = doc.errors.filter((err) => err.code !== 'DUPLICATE_KEY');
    for (const err of doc.errors) {
      broken = true;
      if (err !== syntax[0] && err.code !== 'DUPLICATE_KEY') continue;
      const [from, to] = err.pos;
      const ruleId = err.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax';
      let message = `YAML ${ruleId === 'duplicate-key' ? 'mapping' : 'syntax'} error: ${firstLine(err.message)}.`.replace(/\.\.$/, '.');
      let at = { start: point(from), end: point(Math.max(from, to)) };
      if (ruleId === 'yaml-syntax') {
        const { start, line } = lineAt(text, from);
        const unquoted = /^\s*(?:-\s+)?([\w.-]+):[ \t]+\{\{/.exec(line);
        if (unquoted) {
          // Reported where the value starts, which is what to quote.
          const value = line.indexOf('{{');
          at = { start: point(start + value), end: point(start + line.length) };
          message += quoteTemplateHint(unquoted[1], line.slice(value));
        }
        if (syntax.length > 1) message += ` ${syntax.length - 1} more syntax error${syntax.length > 2 ? 's' : ''} in this document most likely follow from this one.`;
      }
      reportError(vfile, message, at, ruleId);
    }
    for (const warn of doc.warnings) {
      const [from, to] = warn.pos;
      reportWarning(vfile, `YAML warning: ${firstLine(warn.message)}.`.replace(/\.\.$/, '.'), { start: point(from), end: point(Math.max(from, to)) }, 'yaml-warning');
    }
    const aliases = aliasesOf.get(doc);
    if (broken || !aliases) continue;
    perDocument.push(validateRuleDocument({ vfile, source: text, lineCounter, doc, aliases, file: relPath }));
  }
  checkDuplicateGroupsAcrossDocuments(vfile, perDocument);
  return { path: relPath, vfile, groups: perDocument.flat() };
}

/**
 * Load every rule file (RULE_FILE_NAME) under rulesDir (sorted by path, hidden folders skipped).
 * Each RuleFile comes back with its diagnostics attached.
 */
export async function loadRuleFiles(rulesDir: string, cache?: LoadCache, listings?: Listings): Promise<RuleFile[]> {
  const root = path.resolve(rulesDir);
  // The listing the build record's key made, when it made one with the same test.
  const files = await listKnownFiles(root, isRuleFileName, listings);
  return Promise.all(
    files.map(async (rel) => {
      const abs = path.join(root, ...rel.split('/'));
      let text: string;
      try {
        const read = readTextFile(abs);
        if (read.problem) {
          const vfile = new VFile({ path: abs, value: '' });
          reportError(vfile, read.problem.message, read.problem.place, read.problem.ruleId);
          return { path: rel, vfile, groups: [] };
        }
        text = read.text;
      } catch (err) {
        const vfile = new VFile({ path: abs, value: '' });
        reportError(vfile, `Could not read the rule file: ${(err as Error).message}`, undefined, 'read-error');
        return { path: rel, vfile, groups: [] };
      }
      const vfile = new VFile({ path: abs, value: text });
      const reused = cache?.reuse<RuleFile['groups']>('rules', rel, text, vfile);
      if (reused) return { path: rel, vfile, groups: reused };
      const parsed = parseRuleFile(text, abs, rel, vfile);
      cache?.keep('rules', rel, text, vfile, parsed.groups);
      return parsed;
    }),
  );
}
