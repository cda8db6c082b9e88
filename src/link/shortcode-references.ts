// Link stage, part 1: validates shortcodes against the rule files and resolves `rule` embeds.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { pointAt, reportError, reportWarning } from '../diagnostics.js';
import type { RuleFile, Runbook, ShortcodeToken } from '../model.js';
import type { RuleEmbed } from '../render/page-data.js';

const KNOWN_SHORTCODES = new Set(['rule', 'comment']);

function tokenPlace(runbook: Runbook, token: ShortcodeToken) {
  return { start: pointAt(runbook.body, token.start, runbook.bodyStart), end: pointAt(runbook.body, token.end, runbook.bodyStart) };
}

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

/** Every runbook's resolved `rule` embeds; unknown shortcodes and bad references become messages. */
export function resolveRuleEmbeds(pagesRunbooks: Runbook[], ruleFiles: RuleFile[], config: ResolvedConfig): Map<Runbook, RuleEmbed[]> {
  const ruleFileByPath = new Map(ruleFiles.map((file) => [file.path, file]));
  const embedsByRunbook = new Map<Runbook, RuleEmbed[]>();
  for (const runbook of pagesRunbooks) {
    const embeds: RuleEmbed[] = [];
    runbook.shortcodes.forEach((token, index) => {
      if (token.type === 'escaped') return;
      if (!KNOWN_SHORTCODES.has(token.name)) {
        reportError(
          runbook.vfile,
          `Unexpected shortcode \`${token.name}\`, expected \`rule\` or \`comment\``,
          tokenPlace(runbook, token),
          'unknown-shortcode',
        );
        return;
      }
      if (token.name !== 'rule') return;
      if (token.type === 'close') {
        reportError(runbook.vfile, 'Unexpected closing `rule` shortcode: `rule` takes no content', tokenPlace(runbook, token), 'shortcode-arguments');
        return;
      }
      const [written, alertName] = token.args;
      if (token.args.length !== 2 || !written || !alertName) {
        reportError(
          runbook.vfile,
          `Unexpected ${token.args.length} argument${token.args.length === 1 ? '' : 's'} to \`rule\`, expected a rule file and an alert name: \`{{% rule "dir/file.yml" "AlertName" %}}\``,
          tokenPlace(runbook, token),
          'shortcode-arguments',
        );
        return;
      }
      const rulePath = normaliseRulePath(written);
      if (rulePath === undefined) {
        reportError(
          runbook.vfile,
          `Unexpected rule path \`${written}\` outside the rules folder, expected a path relative to it`,
          tokenPlace(runbook, token),
          'rule-path-outside',
        );
        return;
      }
      const ruleFile = ruleFileByPath.get(rulePath);
      if (!ruleFile && leavesFolder(config.rulesDir, rulePath)) {
        reportError(
          runbook.vfile,
          `Unexpected rule path \`${written}\`: it is a link that leads outside the rules folder, expected a file inside it`,
          tokenPlace(runbook, token),
          'rule-path-outside',
        );
        return;
      }
      if (!ruleFile) {
        reportError(
          runbook.vfile,
          `Unexpected rule file \`${written}\`: no such file in the rules folder \`${path.relative(config.cwd, config.rulesDir) || '.'}\``,
          tokenPlace(runbook, token),
          'rule-file-not-found',
        );
        return;
      }
      const rules = ruleFile.groups.flatMap((group) => group.rules).filter((rule) => rule.kind === 'alert' && rule.name === alertName);
      if (rules.length === 0) {
        const names = ruleFile.groups.flatMap((group) => group.rules).filter((r) => r.kind === 'alert').map((r) => r.name);
        const close = names.find((name) => name.toLowerCase() === alertName.toLowerCase());
        // A warning, not an error: real sites keep runbooks for alerts removed from the rules
        // (srerun has nine). The page shows a notice in the rule's place; --strict fails on it.
        reportWarning(
          runbook.vfile,
          `Unexpected alert \`${alertName}\`: not defined in \`${written}\`${close ? `; did you mean \`${close}\`?` : ''}. Fix the name, or remove the shortcode if the alert was deleted`,
          tokenPlace(runbook, token),
          'alert-not-found',
        );
        embeds.push({ token: index, rules: [], missing: { file: written, alert: alertName } });
        return;
      }
      embeds.push({ token: index, rules });
    });
    embedsByRunbook.set(runbook, embeds);
  }
  return embedsByRunbook;
}
