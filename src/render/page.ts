// Renders one page: a pure function of its PageData and the theme. Nothing here looks at other
// pages, so the cost of a page is proportional to that page alone.
import Handlebars from 'handlebars';
import type { LoadedRule } from '../model.js';
import { renderMarkdown } from '../markdown/render.js';
import type { CollectedHeading } from '../markdown/rehype-collect.js';
import { highlightPromQLLines } from '../rules/highlight.js';
import { displayPromQL } from '../rules/promql-format.js';
import { escapeText, slugId } from '../html.js';
import { LAYOUT_IDS, onDemandAssetsIn, type AlertRow, type PageData, type FreshPage, type RenderedPage, type RenderProblem } from './page-data.js';
import type { Theme } from './theme.js';
import { SEARCH_INDEX_PATH, pageSearchTerms, searchSummary } from './search-index.js';
import { RunbookSiteError } from '../errors.js';
import { withLineAnchor } from '../link/urls.js';
import { RULE_FILE_NAME } from '../rules/file-names.js';

const KNOWN_SEVERITIES = new Set(['critical', 'warning', 'info']);

/** CSS class of a severity badge: `sev-critical`, `sev-warning`, `sev-info`, `sev-other` (unknown value) or `sev-none`. */
export function severityClass(severity: string | undefined): string {
  const value = (severity ?? '').trim().toLowerCase();
  if (!value) return 'sev-none';
  return KNOWN_SEVERITIES.has(value) ? `sev-${value}` : 'sev-other';
}

/** An element id from a rule file or alert name: a rule file's extension does not count. */
export function ruleSlugId(text: string): string {
  return slugId(text.replace(RULE_FILE_NAME, ''));
}

export interface RuleView {
  /** Unique element id on the page. */
  id: string;
  name: string;
  kind: LoadedRule['kind'];
  severity: string;
  severityClass: string;
  for?: string;
  keepFiringFor?: string;
  /** The expression as written in the rule file (what the copy button copies). */
  expr: string;
  /** The expression as shown: laid out over several lines as `promtool promql format` does when a line is over 100 characters, highlighted, one `<span class="pl dN">` per line. */
  exprHtml: Handlebars.SafeString;
  labels: { key: string; value: string }[];
  annotations: { key: string; value: string; multiline: boolean }[];
  group: string;
  file: string;
  /** The rule in its file in the repository, with the host's line anchor (`#L12-L18` on GitHub, `#L12-18` on GitLab). */
  sourceUrl?: string;
  /** First line of the rule in its file. */
  line: number;
  /** The rule's YAML, escaped for element content. */
  yaml: Handlebars.SafeString;
  /** Id of the element holding the rule's YAML text, for the copy button: the card's own, or a `rule` embed of the same rule in the body. */
  yamlId: string;
  /** False when the YAML is already on the page in a `rule` embed (the card then does not repeat it). */
  showYaml: boolean;
  prometheusUrl?: string;
  grafanaUrl?: string;
}

/** An h2 or h3 of the body in the table of contents. */
export type TocEntry = CollectedHeading;

/** Everything a layout receives. Documented in templates/README.md. */
export interface TemplateContext {
  page: PageData;
  site: PageData['site'];
  /** Rendered markdown body (trusted HTML we produced), without its leading `# Title` when that was lifted into the page header. */
  content?: Handlebars.SafeString;
  /** Page heading text and the id of the markdown h1 it came from, if any. */
  heading: string;
  headingId?: string;
  toc: TocEntry[];
  rules: RuleView[];
  alertRows: (AlertRow & { severityClass: string })[];
  severities: { name: string; count: number; severityClass: string }[];
  searchIndexUrl: string;
  /** The current section's pages for the sidebar: all of them, or a window around the current page in big sections. */
  sectionNav: { items: PageData['sectionPages']; hidden: number; sectionUrl?: string; sectionTitle?: string };
}


/**
 * A rule's YAML as element content, escaped and not highlighted: it sits one click away in the
 * card, and highlighting it would add ~1.5 KB of spans to every runbook page for text rarely read.
 */
const ruleYaml = (yaml: string): Handlebars.SafeString => new Handlebars.SafeString(escapeText(yaml.replace(/\n+$/, '')));

function prometheusLink(base: string | undefined, expr: string): string | undefined {
  if (!base) return undefined;
  return `${base.replace(/\/$/, '')}/graph?g0.expr=${encodeURIComponent(expr)}&g0.tab=0`;
}

function grafanaLink(base: string | undefined, expr: string): string | undefined {
  if (!base) return undefined;
  const left = JSON.stringify({ queries: [{ refId: 'A', expr }], range: { from: 'now-1h', to: 'now' } });
  return `${base.replace(/\/$/, '')}/explore?left=${encodeURIComponent(left)}`;
}

class IdAllocator {
  private used = new Set<string>();
  constructor(reserved: Iterable<string> = []) {
    for (const id of reserved) this.used.add(id);
  }
  reserve(id: string): void {
    this.used.add(id);
  }
  take(base: string): string {
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}-${n}`;
    this.used.add(id);
    return id;
  }
}

function ruleKey(rule: LoadedRule): string {
  return `${rule.file}\0${rule.group}\0${rule.name}\0${rule.position.line}:${rule.position.column}`;
}

function ruleView(rule: LoadedRule, page: PageData, id: string, embeddedYamlId: string | undefined): RuleView {
  const severity = rule.labels.severity ?? '';
  return {
    id,
    name: rule.name,
    kind: rule.kind,
    severity,
    severityClass: severityClass(severity),
    for: rule.for,
    keepFiringFor: rule.keepFiringFor,
    expr: rule.expr,
    exprHtml: new Handlebars.SafeString(highlightPromQLLines(displayPromQL(rule.expr))),
    labels: Object.entries(rule.labels).map(([key, value]) => ({ key, value: String(value) })),
    annotations: Object.entries(rule.annotations).map(([key, value]) => ({ key, value: String(value), multiline: String(value).includes('\n') })),
    group: rule.group,
    file: rule.file,
    sourceUrl: withLineAnchor(page.ruleSourceUrls?.[rule.file], rule),
    line: rule.position.line,
    yaml: ruleYaml(rule.yaml),
    yamlId: embeddedYamlId ?? `${id}-y`,
    showYaml: embeddedYamlId === undefined,
    prometheusUrl: prometheusLink(page.site.prometheusURL, rule.expr),
    grafanaUrl: grafanaLink(page.site.grafanaURL, rule.expr),
  };
}

/** The body's leading h1 (lifted out of it on runbook pages to become the page heading). */
const H1_AT_START = /^\s*<h1\b[^>]*>[\s\S]*?<\/h1>\s*/;

/** Table of contents from the body's headings: h2 and h3, shown when there are at least `minH2` h2. */
export function tableOfContents(headings: CollectedHeading[], minH2 = 3): TocEntry[] {
  const entries = headings.filter((heading) => heading.level === 2 || heading.level === 3);
  return entries.filter((entry) => entry.level === 2).length >= minH2 ? entries : [];
}

export interface RenderPageOptions {
  /** Rewrites a link written in the markdown (e.g. `../x/Y.md`) to its page URL; undefined keeps it. */
  resolveLink?: (href: string) => string | undefined;
}

export function renderPage(page: PageData, theme: Theme, options: RenderPageOptions = {}): FreshPage {
  // Ids the default theme's layouts use; body heading ids are added once the body is rendered.
  const ids = new IdAllocator(LAYOUT_IDS);
  const embeddedYaml = new Map<string, string>();
  // One rule, one place: a `rule` shortcode for a rule the page's card already shows renders as a
  // pointer to the card (at the top of the page); the card keeps the YAML, one click away.
  const inCard = new Set(page.rules.map(ruleKey));

  let content: Handlebars.SafeString | undefined;
  let heading = page.title;
  let headingId: string | undefined;
  let toc: TocEntry[] = [];
  let headingIds: string[] = [];
  let links: RenderedPage['links'] = [];
  let searchText = '';
  let problems: RenderProblem[] | undefined;

  if (page.markdown) {
    const markdown = page.markdown;
    const embedByToken = new Map(markdown.embeds.map((embed) => [embed.token, embed]));
    const embedPartial = theme.partial('rule-embed');
    const out = renderMarkdown(markdown.body, {
      shortcodes: markdown.shortcodes,
      renderEmbed: (tokenIndex: number) => {
        const embed = embedByToken.get(tokenIndex);
        if (!embed) return '';
        const views = embed.rules.map((rule) => {
          const id = ids.take(`rule-${ruleSlugId(rule.file)}-${ruleSlugId(rule.name)}`);
          const shownInCard = inCard.has(ruleKey(rule));
          if (!shownInCard && !embeddedYaml.has(ruleKey(rule))) embeddedYaml.set(ruleKey(rule), `${id}-c`);
          return { id, name: rule.name, file: rule.file, group: rule.group, yaml: ruleYaml(rule.yaml), shownInCard };
        });
        return embedPartial({ rules: views, missing: embed.missing, page, site: page.site });
      },
      resolved: markdown.resolved,
      env: {
        page,
        takeId: (base) => ids.take(base),
        asset: (name) => (theme.assetPaths[name] ? page.site.basePath + theme.assetPaths[name] : undefined),
        siteTemplate: (name, data) => {
          const template = theme.shortcode(name);
          if (!template) return undefined;
          try {
            return template(data);
          } catch (error) {
            throw new RunbookSiteError('TemplateFailed', { template: `shortcodes/${name}.hbs`, page: page.url, reason: (error as Error).message });
          }
        },
      },
      resolveLink: options.resolveLink,
      sanitize: page.site.sanitize,
      typographer: page.site.typographer,
      emoji: page.site.emoji,
      startLine: markdown.startLine,
    });
    let html = out.html;
    const h1 = H1_AT_START.exec(html);
    if (h1 && page.kind === 'runbook') {
      // The first heading collected is that h1: its text as the reader sees it, and its id.
      const lifted = out.headings[0];
      headingId = lifted?.id;
      heading = lifted?.text || page.title;
      html = html.slice(h1[0].length);
    }
    // Code blocks scroll sideways on small screens: make them reachable by keyboard.
    html = html.replace(/<pre(?![^>]*\btabindex=)(?=[\s>])/g, '<pre tabindex="0"');
    content = new Handlebars.SafeString(html);
    // A page that asks for its contents (`{{< toc >}}`) gets them however few its sections.
    if (page.kind === 'runbook') toc = tableOfContents(out.headings, markdown.shortcodes.some((token) => token.type === 'open' && token.name === 'toc') ? 1 : undefined);
    headingIds = out.headingIds;
    // A rule card's id must not repeat a heading's (`## Alert HostDown` is `alert-hostdown` too).
    for (const id of headingIds) ids.reserve(id);
    links = out.links;
    searchText = searchSummary(out.text);
    problems = out.problems?.length ? out.problems : undefined;
  }

  const rules = page.rules.map((rule) => ruleView(rule, page, ids.take(`alert-${ruleSlugId(rule.name)}`), embeddedYaml.get(ruleKey(rule))));

  const severityCounts = new Map<string, number>();
  for (const row of page.alertRows) severityCounts.set(row.severity, (severityCounts.get(row.severity) ?? 0) + 1);
  const order = (name: string) => ['critical', 'warning', 'info'].indexOf(name.toLowerCase()) + 1 || (name ? 4 : 5);
  const severities = [...severityCounts.entries()]
    .map(([name, count]) => ({ name, count, severityClass: severityClass(name) }))
    .sort((a, b) => order(a.name) - order(b.name) || (a.name < b.name ? -1 : 1));

  const parentCrumb = page.breadcrumbs.length > 1 ? page.breadcrumbs[page.breadcrumbs.length - 1] : undefined;
  const context: TemplateContext = {
    page,
    site: page.site,
    content,
    heading,
    headingId,
    toc,
    rules,
    alertRows: page.alertRows.map((row) => ({ ...row, severityClass: severityClass(row.severity) })),
    severities,
    searchIndexUrl: page.site.basePath + SEARCH_INDEX_PATH,
    sectionNav: { items: page.sectionPages, hidden: page.sectionPagesHidden ?? 0, sectionUrl: parentCrumb?.url, sectionTitle: parentCrumb?.title },
  };
  let html: string;
  try {
    html = theme.layout(page.kind)(context);
  } catch (error) {
    throw new RunbookSiteError('TemplateFailed', { template: `${page.kind}.hbs`, page: page.url, reason: (error as Error).message });
  }
  const searchTerms = page.kind === 'runbook' ? pageSearchTerms(page.rules.map((rule) => rule.expr)) : undefined;
  return { outputPath: page.outputPath, html, headingIds, links, searchText, ...(searchTerms ? { searchTerms } : {}), problems, assetUses: onDemandAssetsIn(theme.assetPaths, html) };
}
