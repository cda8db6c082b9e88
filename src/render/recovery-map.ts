// `404.json`: what the 404 page needs to send a reader who mistyped (or followed an old or
// hand-made link) to the page meant: every page URL (matched ignoring case, a missing trailing
// slash or `.html`), the aliases, and the alert names. Loaded only by the 404 page (recover.js).
import { byCodePoint } from '../order.js';
import type { Site } from '../link/site.js';
import { alertPageUrl, hugoSlug } from '../link/urls.js';

export const RECOVERY_MAP_PATH = '404.json';

export interface RecoveryMap {
  version: 1;
  /** Site-relative URL of every page. */
  pages: string[];
  /** Old address (front matter `aliases`) → page. */
  aliases: Record<string, string>;
  /** Lower-cased alert name → its runbook's URL, else its alert page's. */
  alerts: Record<string, string>;
}


export function recoveryMap(site: Site): string {
  const pages = site.pages.filter((page) => page.kind !== '404').map((page) => page.url).sort(byCodePoint);
  const aliases: Record<string, string> = {};
  for (const redirect of [...site.redirects].sort((a, b) => byCodePoint(a.from, b.from))) aliases[redirect.from] = redirect.to;
  const alertTargets = new Map<string, string>();
  for (const link of [...site.alerts].sort((a, b) => byCodePoint(a.rule.name, b.rule.name))) {
    if (!hugoSlug(link.rule.name)) continue;
    const key = link.rule.name.toLowerCase();
    // A name with several runbooks (or none) goes to its alert page, which lists them.
    const target = link.runbook?.url ?? alertPageUrl(link.rule.name);
    const seen = alertTargets.get(key);
    alertTargets.set(key, seen === undefined || seen === target ? target : alertPageUrl(link.rule.name));
  }
  const map: RecoveryMap = { version: 1, pages, aliases, alerts: Object.fromEntries(alertTargets) };
  return `${JSON.stringify(map)}\n`;
}
