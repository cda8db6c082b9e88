// The contract between the link stage and the render stage.
// A PageData is everything needed to render one page: plain, structured-clone-safe data,
// so pages can be rendered in worker threads and cached by a hash of this object.
// Nothing here is site-wide: a runbook or section page carries only its own navigation (its
// section's pages), never the whole site tree, so that a change elsewhere does not change it.
import { posix } from 'node:path';
import type { LoadedRule, ShortcodeToken } from '../model.js';
import type { ResolvedShortcode } from '../shortcodes/registry.js';
import type { SearchTerms } from './search-index.js';

export type PageKind = 'home' | 'section' | 'runbook' | 'alerts' | 'alert' | 'tag' | 'tags' | '404';

/** A link to another page. `url` is site-relative without leading slash ('' is the home page). */
export interface NavLink {
  title: string;
  url: string;
  /** True when this link points at the page being rendered (or its section). */
  current?: boolean;
  /** Number of runbooks under it (sections), or pages with a tag. */
  count?: number;
  description?: string;
}

export interface SiteInfo {
  title: string;
  /** Absolute base URL with trailing slash, e.g. https://org.github.io/repo/ */
  baseURL: string;
  /** Path part of baseURL with leading and trailing slash, e.g. /repo/ — prefix of every internal link. */
  basePath: string;
  /** Site-relative URL of the page that lists every top-level section (`runbooks/`). */
  sectionsUrl: string;
  prometheusURL?: string;
  grafanaURL?: string;
  /** Runbook HTML is cleaned (config `sanitize`). */
  sanitize?: boolean;
  /** Smart punctuation in runbook text (config `typographer`). */
  typographer?: boolean;
  /** Emoji shortcodes in runbook text (config `emoji`). */
  emoji?: boolean;
  /** Tool version, for the generator meta tag and cache keys. */
  version: string;
  /** The `lang` of every page (Hugo's languageCode; default `en`). */
  languageCode?: string;
  /** Site parameters as configured (Hugo's `params`, or `params:` in runbook-site.yaml). */
  params?: Record<string, unknown>;
}

/** One row of the alerts page. */
export interface AlertRow {
  name: string;
  severity: string;
  group: string;
  file: string;
  /** Site-relative URL of the runbook page, absent when the alert has none. */
  runbookUrl?: string;
  /** Site-relative URL of the alert's own page (`alerts/<slug>/`): its runbook, or what is known without one. */
  alertPageUrl?: string;
  /** URL of the rule file in the repository, if a repository is configured. */
  sourceUrl?: string;
}

/** An alert's own page (`alerts/<slug>/`): a redirect to its runbook, or the page shown while it has none. */
export interface AlertPageData {
  /** The alert name (the first in code-point order when several names share the address). */
  name: string;
  /** Site-relative URL of the runbook: when set, the page only sends the reader there. */
  redirectTo?: string;
  /** `redirectTo` as an absolute URL (for the canonical link and the meta refresh). */
  redirectHref?: string;
  /** Other alert names whose page is at the same address (their slugs collide), with their runbook or page. */
  sharedWith: { name: string; url: string; hasRunbook: boolean }[];
  /** The runbooks of its definitions (one: the redirect's target; several: the page lists them). */
  runbooks: { title: string; url: string }[];
  /** Each group (and rule file) defining the alert that has other alerts, with those. */
  groups: { name: string; file: string; alerts: { name: string; url: string; hasRunbook: boolean }[] }[];
  /** Where its runbook should be written, and how (absent on redirects). */
  newRunbook?: {
    /** Path of the new file relative to the project, e.g. `runbooks/kubernetes/KubeJobFailed.md`. */
    file: string;
    /** The command that writes it. */
    command: string;
    /** The repository's new-file page with the path and the scaffold filled in (GitHub, GitLab), when a repository is configured. */
    writeUrl?: string;
    /** False when the scaffold made the link too long and it opens an empty file. */
    prefilled?: boolean;
  };
}

/** A `rule` shortcode reference resolved by the link stage. */
export interface RuleEmbed {
  /** Index of the token in `markdown.shortcodes`. */
  token: number;
  /** Every definition of the alert in that file (an alert can be defined in several groups). */
  rules: LoadedRule[];
  /** Set when the file exists but defines no such alert (a stale embed): the page shows a notice. */
  missing?: { file: string; alert: string };
}

export interface PageData {
  kind: PageKind;
  /** Site-relative URL with trailing slash, no leading slash; '' for the home page. */
  url: string;
  /** Output file relative to the output folder, e.g. runbooks/haproxy/haproxydown/index.html */
  outputPath: string;
  title: string;
  description?: string;
  site: SiteInfo;
  /** Markdown to render as the page body (runbook, section intro, home intro). */
  markdown?: {
    /** Body text (front matter removed). */
    body: string;
    /** Source path relative to the project (for messages and edit links). */
    file: string;
    /** Shortcodes found in `body`, with offsets into `body`. */
    shortcodes: ShortcodeToken[];
    /** Resolved `rule` shortcodes. */
    embeds: RuleEmbed[];
    /** What the link stage resolved for other shortcodes, by token index (`ref` URLs, `param` values, site templates). */
    resolved?: Record<number, ResolvedShortcode>;
    /** Line of the body's first line in the file (1-based). */
    startLine: number;
  };
  /** Front matter as written, including keys from other tools (Hugo, wiki.js…). */
  frontMatter: Record<string, unknown>;
  /** The alert rules this page is the runbook for (runbook pages), each definition once. */
  rules: LoadedRule[];
  tags: NavLink[];
  /**
   * Top-level sections, on the few pages outside any section (home, alerts, tags, 404). Runbook and
   * section pages get none and link `site.sectionsUrl` instead: a list on every page would make a
   * new section re-render the whole site, and it was a third of each page's bytes.
   */
  sections: NavLink[];
  /**
   * Pages and subsections of the current section (for runbook and section pages): all of them, or a
   * window around the current page in big sections, so a page's size does not grow with its section.
   */
  sectionPages: NavLink[];
  /** How many of the section's pages the window leaves out (0 or absent: none). */
  sectionPagesHidden?: number;
  /** From home to the parent of this page. */
  breadcrumbs: NavLink[];
  /** Section and tag pages: what they list. */
  children: NavLink[];
  /** Alerts page: every alert. Home: empty. */
  alertRows: AlertRow[];
  /** Coverage figures (home page and alerts page). */
  stats?: {
    runbooks: number;
    alerts: number;
    alertsWithRunbook: number;
    sections: number;
  };
  editUrl?: string;
  /**
   * (Optional, added by the theme.) Rule file path (LoadedRule.file) → URL of that file in the
   * repository, for the rules on this page; the rule card links its source file when present.
   */
  ruleSourceUrls?: Record<string, string>;
  /** ISO date (YYYY-MM-DD) of the last change: git when available, else front matter. */
  lastModified?: string;
  /** Alert pages (`kind: 'alert'`): the alert, its runbook or how to write one. */
  alert?: AlertPageData;
}

/** What rendering one page produces. */
export interface RenderedPage {
  outputPath: string;
  /**
   * The page. A page from the render cache keeps the UTF-8 bytes it was stored as: they are what
   * is written and compared with the output, and on a large site decoding them all into strings
   * (then encoding them back to write) cost more than the rest of a one-change build's write.
   */
  html: string | Buffer;
  /** Every id in the body (headings, footnotes, raw HTML), for `#anchor` checks. */
  headingIds: string[];
  /** Links written in the markdown, for link checks (positions are file lines/columns). */
  links: { href: string; line: number; column: number }[];
  /** The first words of the body worth indexing (see `searchSummary`), for the search index. */
  searchText: string;
  /** Runbook pages: the metric and label names of their rules' expressions, for the search index (parsed here, in the render workers, and cached with the page). */
  searchTerms?: SearchTerms;
  /** Problems found in the markdown (unclosed comment…), reported by the pipeline. */
  problems?: RenderProblem[];
  /**
   * The theme's on-demand assets (mermaid) whose file the HTML names, found where the page is
   * rendered and cached with it: else every page's HTML is searched for them on every build.
   */
  assetUses: string[];
}

/** Theme assets written only when a page names their file (mermaid is ~3 MB). */
export const ON_DEMAND_ASSETS = new Set(['mermaid.min.js', 'mermaid-init.js']);

/** The on-demand assets whose file `html` names (RenderedPage.assetUses); `assetPaths` as the theme has them. */
export function onDemandAssetsIn(assetPaths: Record<string, string>, html: string): string[] {
  return [...ON_DEMAND_ASSETS].filter((name) => assetPaths[name] !== undefined && html.includes(posix.basename(assetPaths[name])));
}

/** A page just rendered (not from the cache): its HTML is text. */
export type FreshPage = RenderedPage & { html: string };

/** A problem found while rendering a page's markdown (offsets into PageData.markdown.body). */
export interface RenderProblem {
  start: number;
  end: number;
  message: string;
  ruleId: string;
}

/** Ids the default layout gives its own landmarks: links to them (`#rs-rules`, the rule cards) are valid on every page. */
export const LAYOUT_IDS = ['rs-main', 'rs-q', 'rs-results', 'rs-status', 'rs-rules', 'rs-nav'];
