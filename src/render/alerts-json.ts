// `alerts.json`: the alert catalogue for other tools (Grafana, PagerDuty or Backstage plugins…),
// in the format of schemas/alerts.schema.json. Plain data, sorted, without dates: the same
// rules and runbooks always give the same bytes.
import { byCodePoint } from '../order.js';
import type { LoadedRule } from '../model.js';
import { alertPageUrl, encodeUrlPath, fragmentOf, hugoSlug } from '../link/urls.js';

export const ALERTS_JSON_PATH = 'alerts.json';
/** Bumped only for a change that breaks readers (see the schema's description). */
export const ALERTS_JSON_VERSION = 1;

export interface AlertsJsonEntry {
  name: string;
  group: string;
  file: string;
  line: number;
  expr: string;
  for: string | null;
  keep_firing_for: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runbook_url: string | null;
  alert_page_url: string | null;
}


/** The catalogue's text, from every alert definition and its runbook's site-relative URL. */
export function alertsJson(alerts: { rule: LoadedRule; runbookUrl?: string; anchor?: string }[], baseURL: string): string {
  const absolute = (url: string) => new URL(encodeUrlPath(url), baseURL).href;
  const entries: AlertsJsonEntry[] = alerts
    .map(({ rule, runbookUrl, anchor }) => ({
      name: rule.name,
      group: rule.group,
      file: rule.file,
      line: rule.position.line,
      expr: rule.expr,
      for: rule.for ?? null,
      keep_firing_for: rule.keepFiringFor ?? null,
      labels: Object.fromEntries(Object.entries(rule.labels).map(([key, value]) => [key, String(value)])),
      annotations: Object.fromEntries(Object.entries(rule.annotations).map(([key, value]) => [key, String(value)])),
      runbook_url: runbookUrl ? absolute(runbookUrl) + fragmentOf(anchor) : null,
      alert_page_url: hugoSlug(rule.name) ? absolute(alertPageUrl(rule.name)) : null,
    }))
    .sort((a, b) => byCodePoint(a.name, b.name) || byCodePoint(a.file, b.file) || a.line - b.line || byCodePoint(a.group, b.group));
  return `${JSON.stringify({ version: ALERTS_JSON_VERSION, baseURL, alerts: entries }, null, 1)}\n`;
}
