// `annotate`'s work on the rules folder: plan each file's edits, check them, write them atomically.
import { randomBytes } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseYamlDocuments, yamlValue } from '../yaml-policy.js';
import { rulesNotFound, type ResolvedConfig } from '../config/load.js';
import { RunbookSiteError } from '../errors.js';
import { listFiles } from '../load/files.js';
import { readTextFile } from '../load/text.js';
import { applyEdits, planAnnotations, type AnnotationFinding, type SyntaxProblem } from './edit.js';
import { encodePath, expectedHref, type TargetMode } from './targets.js';
import { fragmentOf } from '../link/urls.js';
import { RULE_FILE_NAME } from '../rules/file-names.js';

export interface AnnotateOptions {
  config: ResolvedConfig;
  annotation: string;
  mode: TargetMode;
  /** Change nothing: report what would change. */
  check: boolean;
  /** Replace values holding a Go template too. */
  force: boolean;
}

export interface FileOutcome {
  /** Path relative to the working directory, posix separators. */
  file: string;
  findings: AnnotationFinding[];
  syntaxErrors: SyntaxProblem[];
  /** True when the file was (or, with `check`, would be) rewritten. */
  changed: boolean;
  /** Why the file was left untouched although it needed changes (unreadable, outside the folder…). */
  problem?: string;
}

function inside(root: string, target: string): boolean {
  return target === root || target.startsWith(root + path.sep);
}

/** Runbook page URLs by rule position (`file:line:column`), from the pipeline's load and link stages. */
async function linkedRunbooks(config: ResolvedConfig, all: boolean): Promise<Map<string, string>> {
  try {
    if (!statSync(config.runbooksDir).isDirectory()) throw new Error('not a folder');
  } catch {
    // Without runbooks no annotation names one; only `--url runbook` needs them.
    if (!all) return new Map();
    throw new RunbookSiteError('FolderNotFound', { what: 'runbooks', path: path.relative(config.cwd, config.runbooksDir) || config.runbooksDir });
  }
  const [{ loadSiteInputs }, { linkSite }, { toolVersion }, { annotatesRunbook }] = await Promise.all([import('../pipeline/site-stages.js'), import('../link/site.js'), import('../cli/io.js'), import('../link/alerts.js')]);
  // The pages as a build makes them (a Hugo content folder's URLs, uglyURLs), so that the URLs written are the site's.
  const inputs = await loadSiteInputs(config, { scaffold: false });
  const site = linkSite({ config, ...inputs, version: toolVersion() });
  const byPosition = new Map<string, string>();
  for (const link of site.alerts) {
    if (!annotatesRunbook(link, all ? 'runbook' : 'alert-page')) continue;
    byPosition.set(`${link.rule.file}:${link.rule.position.line}:${link.rule.position.column}`, new URL(encodePath(link.runbook!.url), config.baseURL).href + fragmentOf(link.anchor));
  }
  return byPosition;
}

/** Everything but the annotation, as data: an edit must leave it exactly as it was. */
function withoutAnnotation(text: string, annotation: string): unknown {
  // Both texts passed the YAML policy in planAnnotations, so their aliases are bounded.
  return parseYamlDocuments(text, { merge: true }).docs.map((doc) => {
    const data = yamlValue(doc) as Record<string, unknown> | null;
    const spec = data?.spec as Record<string, unknown> | undefined;
    const groups = (Array.isArray(data?.groups) ? data.groups : Array.isArray(spec?.groups) ? spec.groups : []) as unknown[];
    for (const group of groups) {
      const rules = (group as { rules?: unknown })?.rules;
      if (!Array.isArray(rules)) continue;
      for (const rule of rules as Record<string, unknown>[]) {
        if (!rule || typeof rule !== 'object' || !('alert' in rule)) continue;
        const annotations = rule.annotations as Record<string, unknown> | null | undefined;
        if (annotations && typeof annotations === 'object') {
          delete annotations[annotation];
          if (Object.keys(annotations).length === 0) delete rule.annotations;
        } else if (annotations === null) delete rule.annotations;
      }
    }
    return data;
  });
}

/** Writes beside the file, then renames over it: a crash leaves the old file or the new one, never half of one. */
async function writeAtomically(file: string, content: string): Promise<void> {
  const { mode } = statSync(file);
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode & 0o7777);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

export async function annotateRules(options: AnnotateOptions): Promise<FileOutcome[]> {
  const { config } = options;
  if (config.rulesMissing) throw rulesNotFound('annotate');
  let realRoot: string;
  try {
    realRoot = realpathSync(config.rulesDir);
    if (!statSync(realRoot).isDirectory()) throw new Error('not a folder');
  } catch {
    throw new RunbookSiteError('FolderNotFound', { what: 'rules', path: path.relative(config.cwd, config.rulesDir) || config.rulesDir });
  }
  const runbookHrefs = options.mode.kind === 'pattern' ? new Map<string, string>() : await linkedRunbooks(config, options.mode.kind === 'runbook');
  const files = await listFiles(config.rulesDir, (name) => RULE_FILE_NAME.test(name));
  const outcomes: FileOutcome[] = [];
  for (const rel of files) {
    const absolute = path.join(config.rulesDir, ...rel.split('/'));
    const shown = path.relative(config.cwd, absolute).split(path.sep).join('/') || absolute;
    const outcome: FileOutcome = { file: shown, findings: [], syntaxErrors: [], changed: false };
    outcomes.push(outcome);
    let read: ReturnType<typeof readTextFile>;
    let real: string;
    try {
      real = realpathSync(absolute);
      // As the loader reads it: past a byte-order mark (written back), and never a file that is
      // not UTF-8, which a decode and re-encode would silently damage.
      read = readTextFile(real);
    } catch (error) {
      outcome.problem = `could not be read: ${(error as Error).message}`;
      continue;
    }
    if (read.problem) {
      outcome.problem = `${read.problem.place.line}:${read.problem.place.column}: ${read.problem.message}; left as it is`;
      continue;
    }
    const bom = read.bom ? '\ufeff' : '';
    const text = read.text;
    let plan;
    try {
      plan = planAnnotations(text, {
        annotation: options.annotation,
        force: options.force,
        expectedValue: (alert, at) => expectedHref(options.mode, config, alert, runbookHrefs.get(`${rel}:${at.line}:${at.column}`)),
      });
    } catch (error) {
      outcome.problem = `could not be read as YAML: ${(error as Error).message}`;
      continue;
    }
    outcome.findings = plan.findings;
    outcome.syntaxErrors = plan.syntaxErrors;
    if (plan.edits.length === 0) continue;
    outcome.changed = true;
    if (options.check) continue;
    const updated = applyEdits(text, plan.edits);
    // Belt and braces: the new text must parse, need no further edit, and mean the same apart from
    // the annotation. Anything else is a bug here, and the file is left as it was.
    let safe = false;
    try {
      // The same rules in the same order: each gets the value planned for it.
      let next = 0;
      const again = planAnnotations(updated, { annotation: options.annotation, force: options.force, expectedValue: () => plan.findings[next++]?.expected ?? '' });
      safe = again.syntaxErrors.length === 0 && again.edits.length === 0 && isDeepStrictEqual(withoutAnnotation(text, options.annotation), withoutAnnotation(updated, options.annotation));
    } catch {
      safe = false;
    }
    if (!safe) {
      outcome.changed = false;
      outcome.problem = 'was left untouched: the edit could not be verified to change only the annotation (please report this file as a bug)';
      continue;
    }
    if (!inside(realRoot, real)) {
      outcome.changed = false;
      outcome.problem = `was left untouched: it is a link to \`${real}\`, outside the rules folder`;
      continue;
    }
    try {
      await writeAtomically(real, bom + updated);
    } catch (error) {
      outcome.changed = false;
      outcome.problem = `could not be written: ${(error as Error).message}`;
    }
  }
  return outcomes;
}
