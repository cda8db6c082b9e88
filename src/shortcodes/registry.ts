// The shortcode registry: one module per shortcode (builtin/<name>.ts), looked up by name.
// A shortcode has two halves, one per stage:
//  - `resolve` (link stage, main thread): checks the arguments and resolves what needs the whole
//    site (a page for `ref`, a rule for `rule`, a parameter for `param`); problems go on the
//    runbook's vfile. What it returns is plain data carried to the render stage in the PageData.
//  - `render` (render stage, any thread): turns the call, its inner content and that data into HTML
//    (or a fenced code block, or text). It sees only its own page.
// A site's own shortcodes (templates/shortcodes/NAME.hbs) go through builtin/site-template.ts.
import type { ResolvedConfig } from '../config/load.js';
import type { RuleFile, Runbook, ShortcodeToken } from '../model.js';
import type { PageData, RuleEmbed } from '../render/page-data.js';
import { alert } from './builtin/alert.js';
import { button } from './builtin/button.js';
import { columns } from './builtin/columns.js';
import { comment } from './builtin/comment.js';
import { details } from './builtin/details.js';
import { expand } from './builtin/expand.js';
import { figure } from './builtin/figure.js';
import { highlight } from './builtin/highlight.js';
import { hint } from './builtin/hint.js';
import { mermaid } from './builtin/mermaid.js';
import { pageinfo } from './builtin/pageinfo.js';
import { param } from './builtin/param.js';
import { ref, relref } from './builtin/ref.js';
import { rule } from './builtin/rule.js';
import { tab, tabs } from './builtin/tabs.js';
import { tabpane } from './builtin/tabpane.js';
import { toc } from './builtin/toc.js';

/**
 * Whether a shortcode has inner content up to its closing tag: `none` (a closing tag is an error),
 * `required` (the closing tag must follow), `optional` (paired when a closing tag follows).
 * `raw` inner content (highlight, mermaid) is text: shortcodes inside it are not expanded.
 */
export type InnerMode = 'none' | 'required' | 'optional';

/** One use of a shortcode, as the link stage sees it. */
export interface ResolveCall {
  token: ShortcodeToken;
  /** Index of the token in the runbook's shortcode list. */
  index: number;
  runbook: Runbook;
  /** The inner content as written, for paired shortcodes. */
  inner?: string;
  error(message: string, ruleId: string): void;
  warning(message: string, ruleId: string): void;
}

/** What the link stage knows that a shortcode may look up. */
export interface ResolveScope {
  config: ResolvedConfig;
  ruleFiles: RuleFile[];
  ruleFileByPath: Map<string, RuleFile>;
  /** Every published page by its file path relative to the runbooks (content) folder. */
  pageByFile: Map<string, Runbook>;
  /** Site parameters (Hugo's `.Site.Params`): `config.params` when set. */
  siteParams: Record<string, unknown>;
}

/** Plain data from the link stage for one shortcode use (structured-clone safe). */
export interface ResolvedShortcode {
  /** Output text that replaces the shortcode (ref, relref, param). */
  text?: string;
  /** A page URL the shortcode's output links to (`button relref=…`). */
  url?: string;
  /** True when the shortcode is the site's own template (templates/shortcodes/NAME.hbs). */
  site?: boolean;
  /** Set for `rule` embeds. */
  embed?: RuleEmbed;
}

/** What the render stage gives a shortcode. */
export interface RenderCall {
  token: ShortcodeToken;
  index: number;
  /** Positional and named arguments. */
  args: string[];
  named: Record<string, string>;
  /** Inner content as written (paired shortcodes). */
  inner?: string;
  /** The inner content rendered as markdown (block HTML). */
  innerHtml(): string;
  /** Offsets of the inner content in the body (paired shortcodes). */
  innerStart?: number;
  innerEnd?: number;
  /** A range of the body (within the inner content) rendered as markdown, with its shortcodes. */
  renderRange(start: number, end: number): string;
  resolved?: ResolvedShortcode;
  env: RenderEnv;
}

/** The page-level services a shortcode's render may use. */
export interface RenderEnv {
  page?: PageData;
  /** Inline markdown of the body (a button's text, whose links are checked where they are written) → HTML without the paragraph. */
  inlineMarkdown(text: string): string;
  /**
   * Inline markdown given as an argument (a caption, a summary) → HTML without the paragraph.
   * Its links are checked like the body's and reported at the shortcode, since an argument's
   * text has no place of its own in the file.
   */
  inlineArgument(text: string): string;
  /**
   * A URL given as an argument (a figure's `src`, a button's `href`) → what goes in the page: read
   * as the same URL written as a markdown link or image would be (a `.md` file its page, a file
   * next to the runbook its published place), and checked like one, reported at the shortcode.
   */
  urlArgument(url: string, kind: 'link' | 'image'): string;
  /** A unique element id on the page from `base`. */
  takeId(base: string): string;
  /** URL of a theme asset (fingerprinted, with the base path), or undefined without a theme. */
  asset(name: string): string | undefined;
  /** True the first time `key` is asked on this page (one script tag per page). */
  first(key: string): boolean;
  /** Enclosing shortcodes' state for the ones inside them (a `tab` asks its `tabs`), by name. */
  context: Map<string, unknown>;
  /** HTML of the `rule` embed at this token (the theme's rule-embed partial). */
  ruleEmbed(index: number): string;
  /** HTML of the site's shortcodes/NAME.hbs template for this call, or undefined without a theme. */
  siteTemplate(name: string, data: SiteShortcodeData): string | undefined;
}

/** The data a site's own shortcode template receives (documented in templates/README.md). */
export interface SiteShortcodeData {
  name: string;
  /** Positional arguments (Hugo's `.Params` for positional calls, `.Get 0`). */
  params: string[];
  /** Named arguments (Hugo's `.Get "key"`). */
  named: Record<string, string>;
  /** Inner content: rendered HTML for `{{% %}}`, the text as written for `{{< >}}`; '' when none. */
  inner: unknown;
  /** True when the shortcode had a closing tag. */
  isPaired: boolean;
  /** `{{%`, `{{<` or `<<%`. */
  delimiter: string;
  page?: { title: string; url: string; frontMatter: Record<string, unknown> };
  site?: PageData['site'];
}

/** A fenced code block, rendered by the markdown pipeline as if written as one. */
export interface CodeOutput {
  code: { lang?: string; meta?: string; value: string };
}

export interface Shortcode {
  name: string;
  inner: InnerMode;
  /** Inner content is text, not markdown: shortcodes inside it stay as written. */
  rawInner?: boolean;
  /** One line for the README and for messages: how it is written. */
  usage: string;
  /** Where it comes from, for the docs: 'runbook-site', 'hugo', 'hugo-book'. */
  origin: 'runbook-site' | 'hugo' | 'hugo-book' | 'docsy';
  resolve?(call: ResolveCall, scope: ResolveScope): ResolvedShortcode | undefined;
  /** Omitted for `comment` (removed with its content) and text shortcodes (their `resolved.text`). */
  render?(call: RenderCall): string | CodeOutput;
}

const BUILTINS: Shortcode[] = [rule, comment, ref, relref, param, highlight, figure, details, hint, tabs, tab, columns, expand, button, mermaid, alert, pageinfo, tabpane, toc];

export const SHORTCODES: ReadonlyMap<string, Shortcode> = new Map(BUILTINS.map((shortcode) => [shortcode.name, shortcode]));

/** How a site's own template shortcode pairs: a closing tag is taken when one follows. */
export const SITE_TEMPLATE_SHORTCODE: Shortcode = {
  name: '(site template)',
  inner: 'optional',
  usage: '{{< NAME args >}}',
  origin: 'runbook-site',
  render: undefined,
};

export function builtinShortcode(name: string): Shortcode | undefined {
  return SHORTCODES.get(name);
}

/** For a shortcode that takes none: arguments given are a warning, and ignored. */
export function ignoreArguments(call: ResolveCall): undefined {
  if (call.token.args.length > 0 || call.token.named) call.warning(`Unexpected arguments to \`${call.token.name}\`: they are ignored`, 'shortcode-arguments');
  return undefined;
}

/** Positional arguments and named ones may not be mixed (as in Hugo). */
export function mixedArguments(token: ShortcodeToken): boolean {
  return token.args.length > 0 && token.named !== undefined;
}

/** A named argument, else the positional one at `position`. */
export function argument(call: { token: ShortcodeToken }, key: string, position?: number): string | undefined {
  const named = call.token.named?.[key];
  if (named !== undefined) return named;
  return position === undefined ? undefined : call.token.args[position];
}

/** Hugo's truthy strings for boolean arguments. */
export function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['true', '1', 'yes', 'on'].includes(value.trim().toLowerCase());
}
