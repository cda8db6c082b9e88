// Link stage, part 1: every shortcode of every runbook is checked against the registry (and the
// site's own templates/shortcodes/NAME.hbs); each known one resolves what needs the whole site
// (`rule` embeds, `ref`/`relref` pages, `param` values). Problems become vfile messages at the
// shortcode; what was resolved goes to the render stage as plain data in the PageData.
import type { ResolvedConfig } from '../config/load.js';
import { pointAt, reportError, reportWarning } from '../diagnostics.js';
import type { RuleFile, Runbook, ShortcodeToken } from '../model.js';
import type { RuleEmbed } from '../render/page-data.js';
import { planShortcodes } from '../shortcodes/plan.js';
import { builtinShortcode, mixedArguments, SHORTCODES, SITE_TEMPLATE_SHORTCODE, type ResolvedShortcode, type ResolveScope, type Shortcode } from '../shortcodes/registry.js';
import { suggestion } from '../shortcodes/suggest.js';

export interface ShortcodeSources {
  /** Names of the site's own shortcodes (templates/shortcodes/NAME.hbs). */
  site: string[];
  /** Names of a Hugo site's `layouts/shortcodes/NAME.html` (Go templates we cannot run), and where they are. */
  hugo: { name: string; file: string }[];
  /** The templates folder as shown in messages (where shortcodes/NAME.hbs goes). */
  templatesFolder?: string;
}

export interface ResolvedShortcodes {
  embedsByRunbook: Map<Runbook, RuleEmbed[]>;
  /** Per runbook: token index → what was resolved (only tokens with something to carry). */
  resolvedByRunbook: Map<Runbook, Record<number, ResolvedShortcode>>;
}

function tokenPlace(runbook: Runbook, token: ShortcodeToken) {
  return { start: pointAt(runbook.body, token.start, runbook.bodyStart), end: pointAt(runbook.body, token.end, runbook.bodyStart) };
}

function unknownMessage(name: string, sources: ShortcodeSources): string {
  const known = [...SHORTCODES.keys(), ...sources.site];
  const near = suggestion(name, known);
  const folder = sources.templatesFolder ?? 'templates';
  const hugo = sources.hugo.find((entry) => entry.name === name);
  const define = hugo
    ? `\`${hugo.file}\` defines it for Hugo, but it is a Go template, which runbook-site cannot run: write it as \`${folder}/shortcodes/${name}.hbs\` (a Handlebars template; see templates/README.md)`
    : `to define it, write \`${folder}/shortcodes/${name}.hbs\` (a Handlebars template; see templates/README.md)${sources.templatesFolder ? '' : ' and set `templates:` in runbook-site.yaml'}`;
  return `Unexpected shortcode \`${name}\`${near ? `; did you mean \`${near}\`?` : ''}. It is neither built in nor one of the site's; ${define}`;
}

/** Every runbook's shortcodes resolved; unknown shortcodes and bad references become messages. */
export function resolveShortcodes(
  pagesRunbooks: Runbook[],
  ruleFiles: RuleFile[],
  config: ResolvedConfig,
  sources: ShortcodeSources = { site: [], hugo: [] },
  /** The pages `ref` may point at (default: `pagesRunbooks`). */
  pages: Runbook[] = pagesRunbooks,
): ResolvedShortcodes {
  const siteNames = new Set(sources.site);
  const lookup = (name: string): Shortcode | undefined => (siteNames.has(name) && name !== 'comment' && name !== 'rule' ? SITE_TEMPLATE_SHORTCODE : builtinShortcode(name));
  const scope: ResolveScope = {
    config,
    ruleFiles,
    ruleFileByPath: new Map(ruleFiles.map((file) => [file.path, file])),
    pageByFile: new Map(pages.map((runbook) => [runbook.file, runbook])),
    // Site parameters: `params` of the resolved configuration (from the Hugo config), when present.
    siteParams: plainRecord((config as { params?: unknown }).params),
  };
  const embedsByRunbook = new Map<Runbook, RuleEmbed[]>();
  const resolvedByRunbook = new Map<Runbook, Record<number, ResolvedShortcode>>();
  for (const runbook of pagesRunbooks) {
    const embeds: RuleEmbed[] = [];
    const resolved: Record<number, ResolvedShortcode> = {};
    embedsByRunbook.set(runbook, embeds);
    resolvedByRunbook.set(runbook, resolved);
    if (runbook.shortcodes.length === 0) continue;
    const plan = planShortcodes(runbook.shortcodes, lookup);
    // Unknown shortcodes opened and not yet closed, by name: their closing tag is the same mistake, reported once.
    const unknownOpen = new Map<string, number>();
    runbook.shortcodes.forEach((token, index) => {
      if (token.type === 'escaped' || plan.consumed.has(index)) return;
      const place = tokenPlace(runbook, token);
      const shortcode = lookup(token.name);
      if (!shortcode) {
        const open = unknownOpen.get(token.name) ?? 0;
        if (token.type === 'close' && open > 0) {
          unknownOpen.set(token.name, open - 1);
          return;
        }
        if (token.type === 'open' && !token.selfClosing) unknownOpen.set(token.name, open + 1);
        reportError(runbook.vfile, unknownMessage(token.name, sources), place, 'unknown-shortcode');
        return;
      }
      if (token.type === 'close') return; // a stray closing tag: the render stage reports it with the pairing
      const planned = plan.byToken.get(index);
      if (mixedArguments(token)) {
        reportError(runbook.vfile, `Unexpected mix of positional and named arguments in \`${token.name}\`, expected one kind (as Hugo requires)`, place, 'shortcode-arguments');
        return;
      }
      if (shortcode === SITE_TEMPLATE_SHORTCODE) {
        resolved[index] = { site: true };
        return;
      }
      const close = planned?.close === undefined ? undefined : runbook.shortcodes[planned.close];
      const result = shortcode.resolve?.(
        {
          token,
          index,
          runbook,
          inner: close ? runbook.body.slice(token.end, close.start) : undefined,
          error: (message, ruleId) => reportError(runbook.vfile, message, place, ruleId),
          warning: (message, ruleId) => reportWarning(runbook.vfile, message, place, ruleId),
        },
        scope,
      );
      if (!result) return;
      if (result.embed) embeds.push(result.embed);
      if (result.text !== undefined) resolved[index] = { text: result.text };
      if (result.url !== undefined) resolved[index] = { url: result.url };
    });
  }
  return { embedsByRunbook, resolvedByRunbook };
}

function plainRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

