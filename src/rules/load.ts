// Find and parse Prometheus rule files (plain rule files and PrometheusRule objects).
// Content problems become messages on each file's vfile; only I/O errors on the folder throw.
import { readTextFile } from '../load/text.js';
import { listFiles } from '../load/files.js';
import path from 'node:path';
import { VFile } from 'vfile';
import { LineCounter, type Document } from 'yaml';
import { parseYamlDocuments } from '../yaml-policy.js';
import { reportError, reportWarning } from '../diagnostics.js';
import type { LoadedRuleGroup, RuleFile } from '../model.js';
import { checkDuplicateGroupsAcrossDocuments, validateRuleDocument } from './validate.js';
import type { LoadCache } from '../cache/load-cache.js';

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** Parse one rule file's text. Never throws: problems are messages on the returned vfile. */
export function parseRuleFile(text: string, absolutePath: string, relPath: string, vfile = new VFile({ path: absolutePath, value: text })): RuleFile {
  const lineCounter = new LineCounter();
  const point = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col, offset };
  };
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
  for (const doc of docs) {
    let broken = false;
    for (const err of doc.errors) {
      broken = true;
      const [from, to] = err.pos;
      const ruleId = err.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax';
      reportError(vfile, `YAML ${ruleId === 'duplicate-key' ? 'mapping' : 'syntax'} error: ${firstLine(err.message)}.`.replace(/\.\.$/, '.'), { start: point(from), end: point(Math.max(from, to)) }, ruleId);
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
 * Load every `*.yml` / `*.yaml` file under rulesDir (sorted by path, hidden folders skipped).
 * Each RuleFile comes back with its diagnostics attached.
 */
export async function loadRuleFiles(rulesDir: string, cache?: LoadCache): Promise<RuleFile[]> {
  const root = path.resolve(rulesDir);
  const files = await listFiles(root, (name) => /\.ya?ml$/i.test(name));
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
