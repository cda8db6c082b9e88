// Markdown → HTML for one runbook body, with the data later stages need.
// Pipeline: shortcode expansion (source level; a shortcode's inner content is rendered the same way,
// on its own) → remark (GFM, definition lists) → Hugo heading ids → placeholders → typographer,
// emoji (options) → rehype (raw HTML kept) → collect → mermaid fences →
// code highlighting → heading permalinks → HTML.
// One frozen processor for the module; per call a new VFile carries the call's settings.
import { unified } from 'unified';
import { defListHastHandlers } from 'remark-definition-list';
import remarkParseGated from './remark-parse-gated.js';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import { VFile } from 'vfile';
import type { ShortcodeToken } from '../model.js';
import { expandShortcodes, originalOffset } from '../shortcodes/expand.js';
import { planShortcodes, type PlannedShortcode, type ShortcodePlan } from '../shortcodes/plan.js';
import { builtinShortcode, SITE_TEMPLATE_SHORTCODE, type RenderCall, type RenderEnv, type ResolvedShortcode } from '../shortcodes/registry.js';
import { renderSiteTemplate } from '../shortcodes/builtin/site-template.js';
import remarkPlaceholders, { PLACEHOLDER_DATA_KEY, type EmbedOutput, type PlaceholderOptions } from '../shortcodes/remark-placeholders.js';
import type { ShortcodeProblem } from '../shortcodes/tokenize.js';
import { escapeHtml } from '../html.js';
import remarkHeadingIds, { createIdFactory, PAGE_IDS_KEY } from './heading-ids.js';
import rehypeHighlightCode from './highlight-code.js';
import rehypeMermaidFences, { MERMAID_DATA_KEY, type MermaidServices } from './mermaid-fences.js';
import rehypeHeadingAnchors from './heading-anchors.js';
import remarkTypographer from './typographer.js';
import remarkEmoji, { mayHaveEmoji } from './emoji.js';
import { checkMarkdownComplexity } from './complexity.js';
import { lineIndexOf, lineStarts } from './line-index.js';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize from 'rehype-sanitize';
import { rehypePutBackEmbeds, rehypeSetAsideEmbeds, sanitizeSchema, TRUSTED_HTML_KEY } from './sanitize.js';
import rehypeCollect, { isResolvable, COLLECT_DATA_KEY, COLLECT_OPTIONS_KEY, type Collected, type CollectedHeading, type CollectOptions } from './rehype-collect.js';

export interface RenderMarkdownOptions {
  /** Shortcodes of `markdown` as found by `tokenizeShortcodes` (offsets into `markdown`). */
  shortcodes: ShortcodeToken[];
  /** HTML for the `rule` embed at this token index. */
  renderEmbed: (tokenIndex: number) => string;
  /** What the link stage resolved, by token index (ref/relref/param text, site templates). */
  resolved?: Record<number, ResolvedShortcode>;
  /** Page services for shortcodes (theme assets, site templates, ids); defaults do without a theme. */
  env?: Partial<Pick<RenderEnv, 'page' | 'asset' | 'siteTemplate' | 'takeId'>>;
  /** URL for a relative `.md` link (whole href given, fragment included), or undefined to keep it. */
  resolveLink?: (href: string) => string | undefined;
  /** Line of the markdown's first line in its file (1-based, default 1). */
  startLine?: number;
  /** Clean the HTML (config `sanitize`). */
  sanitize?: boolean;
  /** Smart quotes, dashes and ellipses in text, as Hugo's typographer (config `typographer`). */
  typographer?: boolean;
  /** GitHub's emoji shortcodes (`:warning:`) as emoji (config `emoji`). */
  emoji?: boolean;
}
export interface RenderedMarkdown {
  html: string;
  /** Every heading in document order. */
  headings: CollectedHeading[];
  /** Every id a `#fragment` can name in the body (headings, footnotes, raw HTML): see rehype-collect. */
  headingIds: string[];
  /** Links as written, with their file line/column. */
  links: { href: string; line: number; column: number }[];
  /** Plain text of the body, whitespace collapsed (for search). */
  text: string;
  /** Offsets into `markdown`. */
  problems: ShortcodeProblem[];
}

/**
 * The markdown pipeline; with `sanitize`, raw HTML is parsed and cleaned before it is collected
 * (our own embeds set aside); with `typographer`, text gets Hugo's smart punctuation, after the
 * heading ids are taken (Hugo's ids are made from the text as written).
 */
function markdownProcessor(sanitize: boolean, typographer: boolean, emoji: boolean) {
  // remark-parse + remark-gfm + remark-definition-list, each extension only where it can fire.
  // Heading ids before the shortcodes' inner content is rendered: the body's headings keep their
  // ids whatever a shortcode holds, and inner headings take the next free ones (PAGE_IDS_KEY).
  const parsed = unified().use(remarkParseGated).use(remarkHeadingIds).use(remarkPlaceholders);
  const typeset = typographer ? (emoji ? parsed.use(remarkTypographer).use(remarkEmoji) : parsed.use(remarkTypographer)) : emoji ? parsed.use(remarkEmoji) : parsed;
  const toHtml = typeset.use(remarkRehype, { allowDangerousHtml: true, handlers: defListHastHandlers });
  const cleaned = sanitize ? toHtml.use(rehypeSetAsideEmbeds).use(rehypeRaw).use(rehypeSanitize, sanitizeSchema).use(rehypePutBackEmbeds) : toHtml;
  return cleaned.use(rehypeCollect).use(rehypeMermaidFences).use(rehypeHighlightCode).use(rehypeHeadingAnchors).use(rehypeStringify, { allowDangerousHtml: true }).freeze();
}

type Processor = ReturnType<typeof markdownProcessor>;
/** One frozen processor per combination of settings, made when first used. */
const processors = new Map<string, Processor>();
function processorFor(sanitize: boolean, typographer: boolean, emoji: boolean): Processor {
  const key = `${sanitize}:${typographer}:${emoji}`;
  let processor = processors.get(key);
  if (!processor) processors.set(key, (processor = markdownProcessor(sanitize, typographer, emoji)));
  return processor;
}

const NOT_RENDERED = '<p>This runbook could not be rendered.</p>';

/** Shortcodes nest at most this deep (a tab in a column in a hint…); deeper ones are left as written. */
const MAX_SHORTCODE_DEPTH = 16;

export function renderMarkdown(markdown: string, options: RenderMarkdownOptions): RenderedMarkdown {
  const tokens = options.shortcodes;
  const resolved = options.resolved ?? {};
  const startLine = options.startLine ?? 1;
  const siteNames = new Set<string>();
  for (const [index, entry] of Object.entries(resolved)) if (entry.site) siteNames.add(tokens[Number(index)]?.name);
  const plan = planShortcodes(tokens, (name) => (siteNames.has(name) ? SITE_TEMPLATE_SHORTCODE : builtinShortcode(name)));

  let starts: number[] | undefined;
  const locateOriginal = (original: number) => {
    starts ??= lineStarts(markdown);
    const line = lineIndexOf(starts, original);
    return { line: line + startLine, column: original - starts[line] + 1 };
  };

  // What inner content (rendered separately) adds to the page's figures.
  const nested: { headingIds: string[]; links: RenderedMarkdown['links']; text: string[] } = { headingIds: [], links: [], text: [] };
  const usedIds = new Set<string>();
  const headingIds = createIdFactory();
  const firstKeys = new Set<string>();
  const env: RenderEnv = {
    page: options.env?.page,
    asset: options.env?.asset ?? (() => undefined),
    siteTemplate: options.env?.siteTemplate ?? (() => undefined),
    takeId:
      options.env?.takeId ??
      ((base) => {
        let id = base;
        for (let n = 2; usedIds.has(id); n++) id = `${base}-${n}`;
        usedIds.add(id);
        return id;
      }),
    first: (key) => !firstKeys.has(key) && Boolean(firstKeys.add(key)),
    context: new Map(),
    inlineMarkdown: (text) => renderInline(text).html,
    // Only a shortcode's own call can say where it is (see renderShortcode): without one, not checked.
    inlineArgument: (text) => renderInline(text).html,
    urlArgument: (url) => (isResolvable(url) ? options.resolveLink?.(url) : undefined) ?? url,
    ruleEmbed: (index) => options.renderEmbed(index),
  };

  /** Inline markdown → HTML without the paragraph, and the links found in it. */
  function renderInline(text: string): { html: string; links: RenderedMarkdown['links'] } {
    const part = renderPart(text, 0, text.length, [], undefined, MAX_SHORTCODE_DEPTH);
    return { html: part.html.replace(/^<p>([\s\S]*)<\/p>\s*$/, '$1'), links: part.collected.links };
  }

  /** Links of arguments already added, so that an argument rendered twice is reported once. */
  const argumentLinks = new Set<string>();

  /** Renders `[from, to)` of `text` (the body, or a caption) with the shortcodes in it. */
  function renderPart(text: string, from: number, to: number, partTokens: ShortcodeToken[], partPlan: ShortcodePlan | undefined, depth: number) {
    const expanded = partPlan
      ? expandShortcodes(text, partTokens, partPlan, { from, to, resolved: (index) => resolved[index] })
      : { markdown: text.slice(from, to), placeholders: [], edits: [], base: from };
    const locate = (offset: number) => locateOriginal(originalOffset(expanded.edits, offset, expanded.base));
    const renderEmbed = (index: number): EmbedOutput => {
      const planned = partPlan?.byToken.get(index);
      if (!planned || depth <= 0) return escapeHtml(expanded.placeholders.find((p) => p.token === index)?.text ?? '');
      return renderShortcode(planned, index, depth - 1);
    };
    const file = new VFile({ value: expanded.markdown });
    // With `sanitize`, what the built-in shortcodes write is set aside from the clean-up and put
    // back. A site's own shortcode templates are not trusted: `{{< x >}}` hands them the
    // contributor's inner text as written.
    const trusted: string[] = [];
    const keep = options.sanitize
      ? (index: number): EmbedOutput => {
          const output = renderEmbed(index);
          if (typeof output === 'string' && !resolved[index]?.site) trusted.push(output);
          return output;
        }
      : renderEmbed;
    const placeholderOptions: PlaceholderOptions = { placeholders: expanded.placeholders, renderEmbed: keep };
    const collectOptions: CollectOptions = { resolveLink: options.resolveLink, locate };
    const data = file.data as Record<string, unknown>;
    data[PLACEHOLDER_DATA_KEY] = placeholderOptions;
    data[COLLECT_OPTIONS_KEY] = collectOptions;
    data[TRUSTED_HTML_KEY] = trusted;
    data[PAGE_IDS_KEY] = headingIds;
    data[MERMAID_DATA_KEY] = { asset: env.asset, first: env.first } satisfies MermaidServices;
    // Emoji only where a shortcode can be: the replacement walks every text node otherwise.
    const run = processorFor(options.sanitize ?? false, options.typographer ?? false, (options.emoji ?? false) && mayHaveEmoji(expanded.markdown));
    const tree = run.parse(file);
    const hast = run.runSync(tree, file);
    const html = run.stringify(hast, file);
    return { html, collected: data[COLLECT_DATA_KEY] as Collected };
  }

  function renderShortcode(planned: PlannedShortcode, index: number, depth: number): EmbedOutput {
    const token = tokens[index];
    const close = planned.close === undefined ? undefined : tokens[planned.close];
    const inner = close ? markdown.slice(token.end, close.start) : undefined;
    let innerHtml: string | undefined;
    const renderRange = (start: number, end: number): string => {
      const part = renderPart(markdown, start, end, tokens, plan, depth);
      nested.headingIds.push(...part.collected.ids);
      nested.links.push(...part.collected.links);
      nested.text.push(part.collected.text);
      return part.html;
    };
    const call: RenderCall = {
      token,
      index,
      args: token.args,
      named: token.named ?? {},
      inner,
      innerHtml: () => {
        if (innerHtml === undefined) innerHtml = close ? renderRange(token.end, close.start) : '';
        return innerHtml;
      },
      innerStart: close ? token.end : undefined,
      innerEnd: close?.start,
      renderRange: (start, end) => {
        rangeRendered = true;
        return renderRange(start, end);
      },
      resolved: resolved[index],
      env: {
        ...env,
        inlineArgument: (text) => {
          const inline = renderInline(text);
          const at = locateOriginal(token.start);
          for (const link of inline.links) {
            const key = `${link.href}\u0000${at.line}:${at.column}`;
            if (argumentLinks.has(key)) continue;
            argumentLinks.add(key);
            nested.links.push({ ...link, line: at.line, column: at.column });
          }
          return inline.html;
        },
        urlArgument: (url, kind) => {
          const at = locateOriginal(token.start);
          const key = `${url}\u0000${at.line}:${at.column}`;
          if (!argumentLinks.has(key)) {
            argumentLinks.add(key);
            nested.links.push({ href: url, line: at.line, column: at.column, ...(kind === 'image' ? { image: true } : {}) });
          }
          return (isResolvable(url) ? options.resolveLink?.(url) : undefined) ?? url;
        },
      },
    };
    let rangeRendered = false;
    const output = resolved[index]?.site ? (renderSiteTemplate(call) ?? '') : (planned.shortcode.render?.(call) ?? '');
    // Inner markdown is rendered even when the output does not use it (or there is no theme, as
    // in `check`), so that its links and anchors are checked the same in every mode.
    if (close && !planned.shortcode.rawInner && !rangeRendered) call.innerHtml();
    return output;
  }

  // Bounded before the parser: past these limits it is the parser, not the page, that is slow.
  const tooComplex = checkMarkdownComplexity(markdown);
  if (tooComplex) {
    const problem = { start: tooComplex.offset, end: tooComplex.offset, message: tooComplex.message, ruleId: tooComplex.ruleId };
    return { html: NOT_RENDERED, headings: [], headingIds: [], links: [], text: '', problems: [...plan.problems, problem] };
  }

  let body: { html: string; collected: Collected };
  try {
    body = renderPart(markdown, 0, markdown.length, tokens, plan, MAX_SHORTCODE_DEPTH);
  } catch (error) {
    // The unified libraries recurse per nesting level: thousands of nested quotes or lists exhaust
    // the stack. That is the file's problem, reported on it, not a crash of the build.
    if (!(error instanceof RangeError)) throw error;
    const problem = {
      start: 0,
      end: 0,
      message: `Unexpected markdown too deeply nested to render (${error.message}), expected at most a few hundred levels of quotes or lists`,
      ruleId: 'markdown-too-deep',
    };
    return { html: NOT_RENDERED, headings: [], headingIds: [], links: [], text: '', problems: [...plan.problems, problem] };
  }
  const collected = body.collected;
  const text = nested.text.length ? [collected.text, ...nested.text].filter(Boolean).join(' ') : collected.text;
  return {
    html: body.html,
    headings: collected.headings,
    headingIds: [...new Set([...collected.ids, ...nested.headingIds])],
    links: nested.links.length ? [...collected.links, ...nested.links].sort((a, b) => a.line - b.line || a.column - b.column) : collected.links,
    text,
    problems: plan.problems,
  };
}
