// The URL each alert's runbook annotation should hold, from config `runbookURL`:
// `alert-page` (the alert's own page, which every build writes), `runbook` (the linked runbook's
// page, else the alert page) or a pattern with `{alert}` / `{slug}`.
import type { ResolvedConfig } from '../config/load.js';
import { RunbookSiteError } from '../errors.js';
import { alertPageUrl, hugoSlug } from '../link/urls.js';

export type TargetMode = { kind: 'alert-page' } | { kind: 'runbook' } | { kind: 'pattern'; pattern: string };

/** Percent-encodes what may not stand in a URL path as written (`#`, `?`, spaces, non-ASCII); keeps `%XX` escapes. */
export function encodePath(sitePath: string): string {
  return sitePath.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@%/]/gu, (c) => encodeURIComponent(c));
}

/** The absolute URL of an alert's own page. */
export function alertPageHref(alert: string, baseURL: string): string {
  return new URL(encodePath(alertPageUrl(alert)), baseURL).href;
}

/** Reads `runbookURL`; `from` names where it came from for the error (`--url` or the config file). */
export function targetMode(value: string, from: { flag?: string; configFile?: string }): TargetMode {
  if (value === 'alert-page' || value === 'runbook') return { kind: value };
  const problem = !/\{(alert|slug)\}/.test(value)
    ? 'it is neither `alert-page`, `runbook` nor a URL pattern with `{alert}` or `{slug}`'
    : /\{(?!alert\}|slug\})[^}]*\}/.test(value)
      ? 'the only placeholders are `{alert}` (the alert name) and `{slug}` (its lower-cased, URL-safe form)'
      : undefined;
  if (problem) {
    const hint = 'Use `alert-page`, `runbook`, or a pattern such as `https://org.github.io/runbooks/alerts/{slug}/`.';
    if (from.flag) throw new RunbookSiteError('InvalidFlag', { flag: from.flag, reason: problem, hint });
    throw new RunbookSiteError('ConfigInvalid', { file: from.configFile ?? 'runbook-site.yaml', reason: `\`runbookURL\` \`${value}\`: ${problem}` });
  }
  return { kind: 'pattern', pattern: value };
}

/** Whether the URLs of this mode are built on `baseURL` (so it must be the published URL, not the default). */
export function needsBaseURL(mode: TargetMode): boolean {
  if (mode.kind !== 'pattern') return true;
  return !/^[a-z][a-z0-9+.-]*:/i.test(mode.pattern);
}

/** The URL a pattern gives for an alert; relative patterns are resolved against the site's URL. */
export function patternHref(pattern: string, alert: string, baseURL: string): string {
  const filled = pattern.replace(/\{alert\}/g, () => encodeURIComponent(alert)).replace(/\{slug\}/g, () => encodePath(hugoSlug(alert)));
  return new URL(filled, baseURL).href;
}

/**
 * The expected value for every alert, given the runbook URLs of linked alerts: every one's for
 * `runbook`; for `alert-page`, those of alerts whose runbook only their annotation names, which
 * would lose it if the annotation pointed at the alert page instead.
 */
export function expectedHref(mode: TargetMode, config: ResolvedConfig, alert: string, runbookHref: string | undefined): string {
  if (mode.kind === 'pattern') return patternHref(mode.pattern, alert, config.baseURL);
  if (runbookHref) return runbookHref;
  return alertPageHref(alert, config.baseURL);
}
