// `{{% rule "dir/file.yml" "AlertName" %}}`: embeds an alert's rule definition, as written in its
// rule file. The link stage finds the rule (stale names and paths get the closest suggestion);
// the render stage shows it with the theme's rule-embed partial.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { candidatesOf, suggestion as closest, type Candidates } from '../suggest.js';
import type { RuleFile } from '../../model.js';
import type { ResolveScope, Shortcode } from '../registry.js';

/** A rule path as written in a shortcode, made relative to the rules folder; undefined if it leaves it. */
function normaliseRulePath(written: string): string | undefined {
  if (written.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(written) || written.includes('\\')) return undefined;
  const normal = path.posix.normalize(written);
  if (normal === '..' || normal.startsWith('../') || normal === '.') return undefined;
  return normal;
}

/** True when `relative` exists under `root` but resolves (through symlinks) outside it. Only asked on the error path. */
function leavesFolder(root: string, relative: string): boolean {
  try {
    const real = realpathSync(path.join(root, relative));
    const realRoot = realpathSync(root);
    return real !== realRoot && !real.startsWith(realRoot + path.sep);
  } catch {
    return false;
  }
}

function alertNames(file: RuleFile): string[] {
  return file.groups.flatMap((group) => group.rules).filter((rule) => rule.kind === 'alert').map((rule) => rule.name);
}

/** The closest rule file to a path that does not exist: by the whole path, else by its file name. */
function closestRuleFile(written: string, scope: ResolveScope): string | undefined {
  const paths = scope.ruleFiles.map((file) => file.path);
  const byPath = closest(written, paths);
  if (byPath) return byPath;
  const base = path.posix.basename(written);
  const byName = paths.filter((file) => path.posix.basename(file) === base);
  if (byName.length === 1) return byName[0];
  const name = closest(base, paths.map((file) => path.posix.basename(file)));
  return name ? paths.find((file) => path.posix.basename(file) === name) : undefined;
}

/** Every alert of a set of rule files, listed once per set: the stale-name suggestions all ask it. */
interface AlertIndex {
  /** The set's identity for the memo below: its paths and alert names. */
  key: string;
  namesOf: Map<RuleFile, Candidates>;
  fileOf: Map<string, string>;
  all: Candidates;
  fileOfEntry: string[];
}

const alertIndexOf = new WeakMap<RuleFile[], AlertIndex>();

function alertIndex(ruleFiles: RuleFile[]): AlertIndex {
  let index = alertIndexOf.get(ruleFiles);
  if (index) return index;
  const namesOf = new Map<RuleFile, Candidates>();
  const fileOf = new Map<string, string>();
  const names: string[] = [];
  const fileOfEntry: string[] = [];
  for (const file of ruleFiles) {
    const own = alertNames(file);
    namesOf.set(file, candidatesOf(own));
    for (const name of own) {
      if (!fileOf.has(name)) fileOf.set(name, file.path);
      names.push(name);
      fileOfEntry.push(file.path);
    }
  }
  const key = JSON.stringify(ruleFiles.map((file) => [file.path, namesOf.get(file)!.names]));
  index = { key, namesOf, fileOf, all: candidatesOf(names), fileOfEntry };
  alertIndexOf.set(ruleFiles, index);
  return index;
}

/**
 * Suggestions already worked out, for one set of rule files (by their paths and alert names):
 * a serve session asks the same ones on every rebuild, and each costs an edit distance to every alert.
 */
let suggestions: { alerts: string; byName: Map<string, string> } | undefined;

/** "did you mean" for a stale alert name: the closest of that file, else the alert in another file. */
function alertSuggestion(alertName: string, ruleFile: RuleFile, scope: ResolveScope): string {
  const index = alertIndex(scope.ruleFiles);
  if (suggestions?.alerts !== index.key) suggestions = { alerts: index.key, byName: new Map() };
  const key = `${ruleFile.path}\u0000${alertName}`;
  let found = suggestions.byName.get(key);
  if (found === undefined) suggestions.byName.set(key, (found = workOutSuggestion(alertName, ruleFile, index)));
  return found;
}

function workOutSuggestion(alertName: string, ruleFile: RuleFile, index: AlertIndex): string {
  const near = closest(alertName, index.namesOf.get(ruleFile)!);
  // Defined by that exact name in another file (not in its own, or the warning would not be asked for).
  const exactElsewhere = index.fileOf.get(alertName);
  if (exactElsewhere !== undefined) return `; it is defined in \`${exactElsewhere}\`: did you mean \`{{% rule "${exactElsewhere}" "${alertName}" %}}\`?`;
  if (near) return `; did you mean \`${near}\`?`;
  const other = closest(alertName, index.all);
  if (other) return `; did you mean \`${other}\` in \`${index.fileOfEntry[index.all.names.indexOf(other)]}\`?`;
  return '';
}

export const rule: Shortcode = {
  name: 'rule',
  inner: 'none',
  usage: '{{% rule "dir/file.yml" "AlertName" %}}',
  origin: 'runbook-site',
  resolve(call, scope) {
    const { token } = call;
    const [written, alertName] = token.args;
    if (token.args.length !== 2 || !written || !alertName || token.named) {
      const count = token.args.length + Object.keys(token.named ?? {}).length;
      call.error(
        `Unexpected ${count} argument${count === 1 ? '' : 's'} to \`rule\`, expected a rule file and an alert name: \`{{% rule "dir/file.yml" "AlertName" %}}\``,
        'shortcode-arguments',
      );
      return undefined;
    }
    const rulePath = normaliseRulePath(written);
    if (rulePath === undefined) {
      call.error(`Unexpected rule path \`${written}\` outside the rules folder, expected a path relative to it`, 'rule-path-outside');
      return undefined;
    }
    const ruleFile = scope.ruleFileByPath.get(rulePath);
    if (!ruleFile && leavesFolder(scope.config.rulesDir, rulePath)) {
      call.error(`Unexpected rule path \`${written}\`: it is a link that leads outside the rules folder, expected a file inside it`, 'rule-path-outside');
      return undefined;
    }
    if (!ruleFile) {
      const near = closestRuleFile(rulePath, scope);
      call.error(
        `Unexpected rule file \`${written}\`: no such file in the rules folder \`${path.relative(scope.config.cwd, scope.config.rulesDir) || '.'}\`${near ? `; did you mean \`${near}\`?` : ''}`,
        'rule-file-not-found',
      );
      return undefined;
    }
    const rules = ruleFile.groups.flatMap((group) => group.rules).filter((r) => r.kind === 'alert' && r.name === alertName);
    if (rules.length === 0) {
      // A warning, not an error: real sites keep runbooks for alerts removed from the rules
      // (srerun has nine). The page shows a notice in the rule's place; --strict fails on it.
      call.warning(
        `Unexpected alert \`${alertName}\`: not defined in \`${written}\`${alertSuggestion(alertName, ruleFile, scope)}. Fix the name, or remove the shortcode if the alert was deleted`,
        'alert-not-found',
      );
      return { embed: { token: call.index, rules: [], missing: { file: written, alert: alertName } } };
    }
    return { embed: { token: call.index, rules } };
  },
  render(call) {
    return call.env.ruleEmbed(call.index);
  },
};
