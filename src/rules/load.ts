// Find and parse Prometheus rule files (plain rule files and PrometheusRule objects).
// Content problems become messages on each file's vfile; only I/O errors on the folder throw.
import { readFileSync } from 'node:fs';
import { listFiles } from '../load/files.js';
import path from 'node:path';
import { VFile } from 'vfile';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Alias, type Document, type Node, type Pair } from 'yaml';
import { reportError, reportWarning } from '../diagnostics.js';
import type { LoadedRuleGroup, RuleFile } from '../model.js';
import { checkDuplicateGroupsAcrossDocuments, validateRuleDocument } from './validate.js';
import type { LoadCache } from '../cache/load-cache.js';

/** Documents whose aliases would expand to more nodes than this are refused (YAML "billion laughs"). */
export const MAX_EXPANDED_NODES = 200_000;

/**
 * Count the nodes a document would have with every alias expanded, without expanding anything
 * (memoised per node). Returns the alias at which the limit was crossed, or a cycle, if any.
 */
/**
 * Resolve every alias once, in document order (an alias refers to the closest preceding anchor
 * of that name). yaml's own Alias.resolve walks the whole document per call, which is quadratic.
 */
export function resolveAliases(doc: Document): Map<Alias, Node | undefined> {
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node | undefined>();
  visit(doc, (_key, node) => {
    if (isAlias(node)) {
      targets.set(node, anchors.get(node.source));
    } else if (node && typeof node === 'object' && 'anchor' in node && typeof (node as { anchor?: unknown }).anchor === 'string') {
      anchors.set((node as { anchor: string }).anchor, node as Node);
    }
    return undefined;
  });
  return targets;
}

function checkAliasExpansion(doc: Document, aliases: Map<Alias, Node | undefined>): { node: Node; reason: string } | undefined {
  const memo = new Map<Node, number>();
  const inProgress = new Set<Node>();
  let problem: { node: Node; reason: string } | undefined;
  const size = (node: unknown, via?: Node): number => {
    if (problem) return 0;
    if (node === null || node === undefined || typeof node !== 'object') return 1;
    let n = node as Node;
    if (isAlias(n)) {
      const target = aliases.get(n);
      if (!target) return 1;
      const s = size(target, n);
      return s;
    }
    const known = memo.get(n);
    if (known !== undefined) return known;
    if (inProgress.has(n)) {
      problem = { node: via ?? n, reason: 'An alias refers to a node that contains it (a cycle); the document is refused.' };
      return 0;
    }
    inProgress.add(n);
    let total = 1;
    if (isMap(n) || isSeq(n)) {
      for (const item of n.items as unknown[]) {
        if (isScalar(item) || isAlias(item) || isMap(item) || isSeq(item)) total += size(item);
        else if (item && typeof item === 'object' && 'key' in item) {
          const pair = item as Pair<unknown, unknown>;
          total += size(pair.key) + size(pair.value);
        }
        if (total > MAX_EXPANDED_NODES && !problem) {
          problem = {
            node: via ?? n,
            reason: `YAML aliases here would expand to more than ${MAX_EXPANDED_NODES} nodes (a "billion laughs" alias bomb?); the document is refused.`,
          };
        }
        if (problem) break;
      }
    }
    inProgress.delete(n);
    memo.set(n, total);
    return total;
  };
  try {
    size(doc.contents);
  } catch (err) {
    if (err instanceof RangeError) return { node: doc.contents as Node, reason: 'The YAML document is nested too deeply to be read.' };
    throw err;
  }
  return problem;
}

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
  try {
    docs = parseAllDocuments(text, { lineCounter, merge: true, prettyErrors: false, uniqueKeys: true }) as Document.Parsed[];
    if (!Array.isArray(docs)) docs = [docs as unknown as Document.Parsed];
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
    if (broken) continue;
    const aliases = resolveAliases(doc);
    const bomb = checkAliasExpansion(doc, aliases);
    if (bomb) {
      const offset = bomb.node?.range?.[0] ?? 0;
      reportError(vfile, bomb.reason, { start: point(offset) }, 'yaml-alias-bomb');
      continue;
    }
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
        text = readFileSync(abs, 'utf8');
      } catch (err) {
        const vfile = new VFile({ path: abs, value: '' });
        reportError(vfile, `Could not read the rule file: ${(err as Error).message}`, undefined, 'read-error');
        return { path: rel, vfile, groups: [] };
      }
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const vfile = new VFile({ path: abs, value: text });
      const reused = cache?.reuse<RuleFile['groups']>('rules', rel, text, vfile);
      if (reused) return { path: rel, vfile, groups: reused };
      const parsed = parseRuleFile(text, abs, rel, vfile);
      cache?.keep('rules', rel, text, vfile, parsed.groups);
      return parsed;
    }),
  );
}
