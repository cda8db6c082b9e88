// remark-parse with GFM and definition lists, where each syntax extension is used only on the
// documents in which it can fire. The trees are the same as with remark-parse + remark-gfm +
// remark-definition-list (test/markdown-gated.test.ts compares them on the CommonMark spec, the
// srerun corpus and the fixtures); the saving is the work an extension does on every document
// although its trigger text is absent: GFM's autolink-literal transform alone walks every text
// node of every page with several regular expressions. Before any of it, lezer-mdast.ts gets the
// document: where it vouches for the same tree it builds it several times faster.
import type { Root } from 'mdast';
import type { Plugin, Processor } from 'unified';
import { fromMarkdown, type Extension as FromMarkdownExtension } from 'mdast-util-from-markdown';
import type { Extension as MicromarkExtension } from 'micromark-util-types';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { defList } from 'micromark-extension-definition-list';
import { defListFromMarkdown } from 'mdast-util-definition-list';
import { parseWithLezer } from './lezer-mdast.js';
import { autolinkLiteralMayFire, definitionListMayFire, footnoteMayFire, strikethroughMayFire, tableMayFire, taskListItemMayFire } from './syntax-triggers.js';

interface Syntax {
  /** True when the document contains text without which the extension cannot produce anything. */
  mayFire: (markdown: string) => boolean;
  micromark: () => MicromarkExtension;
  mdast: () => FromMarkdownExtension;
}

/**
 * In remark-gfm's order (it decides which construct wins where two start on the same character),
 * then definition lists, as remark-definition-list is used after remark-gfm.
 */
const SYNTAXES: Syntax[] = [
  { mayFire: autolinkLiteralMayFire, micromark: gfmAutolinkLiteral, mdast: gfmAutolinkLiteralFromMarkdown },
  { mayFire: footnoteMayFire, micromark: gfmFootnote, mdast: gfmFootnoteFromMarkdown },
  { mayFire: strikethroughMayFire, micromark: () => gfmStrikethrough(), mdast: gfmStrikethroughFromMarkdown },
  { mayFire: tableMayFire, micromark: gfmTable, mdast: gfmTableFromMarkdown },
  { mayFire: taskListItemMayFire, micromark: gfmTaskListItem, mdast: gfmTaskListItemFromMarkdown },
  { mayFire: definitionListMayFire, micromark: () => defList, mdast: () => defListFromMarkdown },
];

interface Extensions {
  extensions: MicromarkExtension[];
  mdastExtensions: FromMarkdownExtension[];
}

/** The extensions for one set of syntaxes, made once per set (configuration, not per-file state). */
const bySet = new Map<number, Extensions>();

function extensionsFor(markdown: string): Extensions {
  let set = 0;
  SYNTAXES.forEach((syntax, bit) => {
    if (syntax.mayFire(markdown)) set |= 1 << bit;
  });
  let extensions = bySet.get(set);
  if (!extensions) {
    const used = SYNTAXES.filter((_, bit) => set & (1 << bit));
    extensions = { extensions: used.map((syntax) => syntax.micromark()), mdastExtensions: used.map((syntax) => syntax.mdast()) };
    bySet.set(set, extensions);
  }
  return extensions;
}

/**
 * RUNBOOK_SITE_MARKDOWN_PARSER=remark turns the lezer path off: the site must come out the same
 * byte for byte (test/markdown-lezer-build.test.ts builds srerun both ways), and it is the way to
 * rule the fast path out when a page looks wrong.
 */
export const LEZER_ENABLED = process.env.RUNBOOK_SITE_MARKDOWN_PARSER !== 'remark';

/**
 * Parses markdown to mdast as remark-parse with remark-gfm and remark-definition-list would: with
 * lezer where it vouches for the very same tree (several times faster), otherwise with micromark.
 */
export function parseMarkdown(markdown: string): Root {
  return (LEZER_ENABLED && parseWithLezer(markdown)) || fromMarkdown(markdown, extensionsFor(markdown));
}

/** The parser plugin: use it instead of remark-parse, remark-gfm and remark-definition-list. */
const remarkParseGated: Plugin<[], string, Root> = function (this: Processor) {
  this.parser = (document) => parseMarkdown(document);
};

export default remarkParseGated;
