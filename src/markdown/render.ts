// Markdown → HTML for one runbook body, with the data later stages need.
// Pipeline: shortcode expansion (source level) → remark (GFM, definition lists) →
// placeholders → Hugo heading ids → rehype (raw HTML kept) → collect → HTML.
// One frozen processor for the module; per call a new VFile carries the call's settings.
import { unified } from 'unified';
import { defListHastHandlers } from 'remark-definition-list';
import remarkParseGated from './remark-parse-gated.js';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import { VFile } from 'vfile';
import type { ShortcodeToken } from '../model.js';
import { expandShortcodes, originalOffset } from '../shortcodes/expand.js';
import remarkPlaceholders, { PLACEHOLDER_DATA_KEY, type PlaceholderOptions } from '../shortcodes/remark-placeholders.js';
import type { ShortcodeProblem } from '../shortcodes/tokenize.js';
import remarkHeadingIds from './heading-ids.js';
import { checkMarkdownComplexity } from './complexity.js';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize from 'rehype-sanitize';
import { rehypePutBackEmbeds, rehypeSetAsideEmbeds, sanitizeSchema, TRUSTED_HTML_KEY } from './sanitize.js';
import rehypeCollect, { COLLECT_DATA_KEY, COLLECT_OPTIONS_KEY, type Collected, type CollectedHeading, type CollectOptions } from './rehype-collect.js';

export interface RenderMarkdownOptions {
  /** Shortcodes of `markdown` as found by `tokenizeShortcodes` (offsets into `markdown`). */
  shortcodes: ShortcodeToken[];
  /** HTML for the embed shortcode (`rule`) at this token index. */
  renderEmbed: (tokenIndex: number) => string;
  /** URL for a relative `.md` link (whole href given, fragment included), or undefined to keep it. */
  resolveLink?: (href: string) => string | undefined;
  /** Line of the markdown's first line in its file (1-based, default 1). */
  startLine?: number;
  /** Which tokens are embeds; default: opening `rule` shortcodes. */
  isEmbed?: (tokenIndex: number) => boolean;
  /** Clean the HTML (config `sanitize`). */
  sanitize?: boolean;
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

const processor = unified()
  // remark-parse + remark-gfm + remark-definition-list, each extension only where it can fire.
  .use(remarkParseGated)
  .use(remarkPlaceholders)
  .use(remarkHeadingIds)
  .use(remarkRehype, { allowDangerousHtml: true, handlers: defListHastHandlers })
  .use(rehypeCollect)
  .use(rehypeStringify, { allowDangerousHtml: true })
  .freeze();

/** The same, with the HTML cleaned before it is collected (`sanitize: true`). */
const sanitizingProcessor = unified()
  .use(remarkParseGated)
  .use(remarkPlaceholders)
  .use(remarkHeadingIds)
  .use(remarkRehype, { allowDangerousHtml: true, handlers: defListHastHandlers })
  .use(rehypeSetAsideEmbeds)
  .use(rehypeRaw)
  .use(rehypeSanitize, sanitizeSchema)
  .use(rehypePutBackEmbeds)
  .use(rehypeCollect)
  .use(rehypeStringify, { allowDangerousHtml: true })
  .freeze();

const NOT_RENDERED = '<p>This runbook could not be rendered.</p>';

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let p = text.indexOf('\n'); p !== -1; p = text.indexOf('\n', p + 1)) starts.push(p + 1);
  return starts;
}

export function renderMarkdown(markdown: string, options: RenderMarkdownOptions): RenderedMarkdown {
  const tokens = options.shortcodes;
  const isEmbed = options.isEmbed ?? ((index: number) => tokens[index].type === 'open' && tokens[index].name === 'rule');
  const expanded = expandShortcodes(markdown, tokens, isEmbed);
  const startLine = options.startLine ?? 1;

  let starts: number[] | undefined;
  const locate = (offset: number) => {
    const original = originalOffset(expanded.edits, offset);
    starts ??= lineStarts(markdown);
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= original) low = mid;
      else high = mid - 1;
    }
    return { line: low + startLine, column: original - starts[low] + 1 };
  };

  const file = new VFile({ value: expanded.markdown });
  const trusted: string[] = [];
  const renderEmbed = options.sanitize
    ? (index: number) => {
        const html = options.renderEmbed(index);
        trusted.push(html);
        return html;
      }
    : options.renderEmbed;
  const placeholderOptions: PlaceholderOptions = { placeholders: expanded.placeholders, pattern: expanded.pattern, renderEmbed };
  const collectOptions: CollectOptions = { resolveLink: options.resolveLink, locate };
  const data = file.data as Record<string, unknown>;
  data[PLACEHOLDER_DATA_KEY] = placeholderOptions;
  data[COLLECT_OPTIONS_KEY] = collectOptions;
  data[TRUSTED_HTML_KEY] = trusted;
  const run = (options.sanitize ? sanitizingProcessor : processor) as typeof processor;

  // Bounded before the parser: past these limits it is the parser, not the page, that is slow.
  const tooComplex = checkMarkdownComplexity(expanded.markdown);
  if (tooComplex) {
    const at = originalOffset(expanded.edits, tooComplex.offset);
    const problem = { start: at, end: at, message: tooComplex.message, ruleId: tooComplex.ruleId };
    return { html: NOT_RENDERED, headings: [], headingIds: [], links: [], text: '', problems: [...expanded.problems, problem] };
  }

  let html: string;
  try {
    const tree = run.parse(file);
    const hast = run.runSync(tree, file);
    html = run.stringify(hast, file);
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
    return { html: NOT_RENDERED, headings: [], headingIds: [], links: [], text: '', problems: [...expanded.problems, problem] };
  }
  const collected = data[COLLECT_DATA_KEY] as Collected;
  return { html, headings: collected.headings, headingIds: collected.ids, links: collected.links, text: collected.text, problems: expanded.problems };
}
