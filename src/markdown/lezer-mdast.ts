// A fast path for the markdown parser: @lezer/markdown (with GFM) parses a document several times
// faster than micromark, and its tree has the offsets of every construct, so for the documents it
// can vouch for, the mdast remark-parse (+ remark-gfm + remark-definition-list) would give is built
// from that tree directly. It is only ever an optimisation: wherever the two parsers could disagree
// (character references, tabs, footnotes, definition lists inside containers, autolink literals,
// strikethrough, multi-line inline HTML or code, emphasis next to Unicode punctuation, definitions
// not set apart, lazy lines…), or the tree holds a construct not mapped here, `parseWithLezer`
// declines and the caller uses remark-parse. Definition lists, which lezer does not know, are read
// at the top level through a stand-in marker (see markDescriptions). test/markdown-lezer.test.ts
// holds it to remark-parse's very tree, positions included, on the CommonMark examples, GFM cases,
// generated documents, every fixture and the srerun corpus.
import { parser as lezerParser, GFM } from '@lezer/markdown';
import type { SyntaxNode } from '@lezer/common';
import type { Point, Position } from 'unist';
import type { DefListDescriptionNode, DefListNode, DefListTermNode } from 'mdast-util-definition-list';
import type { BlockContent, Code, Definition, Html, Image, ImageReference, InlineCode, Link, LinkReference, List, ListItem, PhrasingContent, Root, RootContent, Table, TableCell, TableRow, Text } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { normalizeIdentifier } from 'micromark-util-normalize-identifier';
import { definitionListMayFire, footnoteMayFire } from './syntax-triggers.js';
import { lineIndexOf, lineStarts } from './line-index.js';

const markdownParser = lezerParser.configure(GFM);

/** Thrown inside the mapping when the document is one to leave to remark-parse; says why. */
class Declined {
  constructor(readonly reason: string) {}
}

function decline(reason: string): never {
  throw new Declined(reason);
}

/**
 * Source text on which the two parsers are not known to agree, or which micromark rewrites before
 * it parses (CR and CRLF, NUL, a byte-order mark). Tabs are mapped: indentation is counted in
 * columns (tab stops of 4), and a tab only partly taken by a container's indentation is declined
 * wherever its rest would be content (code, HTML, tables).
 */
const UNSAFE_SOURCE = /[\r\0\uFEFF\u000B\u000C]/;
/** A `*` or `_` next to a non-ASCII character: flanking rules differ on what counts as punctuation. */
const DELIMITER_BY_NON_ASCII = /[*_][^\x00-\x7F]|[^\x00-\x7F][*_]/;
/**
 * Decoded text the autolink-literal transform, a character reference or strikethrough may change,
 * or where micromark may see inline HTML lezer does not have (declarations, CDATA, `<?`).
 */
const UNSAFE_TEXT = /https?:|www\.|@|~|&(?:#\d+|#x[\da-f]+|[a-z][a-z\d]*);|<[!?]/i;
/** HTML blocks of kinds 1–5 (CommonMark 4.6), which run to their end condition, not to a blank line. */
const HTML_TERMINATORS: [RegExp, RegExp][] = [
  [/^<(?:script|pre|style|textarea)(?:\s|>|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^<!--/, /-->/],
  [/^<\?/, /\?>/],
  [/^<![A-Za-z]/, />/],
  [/^<!\[CDATA\[/, /\]\]>/],
];
/** A line a GFM table's delimiter row could be, which lezer may not have read as one. */
const DELIMITER_ROW = /^[ \t]*\|?[ \t:-]*-[ \t:-]*(?:\|[ \t:-]*)*$/;
/** CommonMark's open or closing tag (6.6). */
const TAG = /(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*\/?>|<\/[A-Za-z][A-Za-z0-9-]*\s*>)/.source;
/** One tag as an inline HTML node. */
const HTML_TAG = new RegExp(`^${TAG}$`);
/** A line holding one tag, which starts an HTML block (kind 7) where no paragraph is interrupted. */
const LONE_TAG_LINE = new RegExp(`^${TAG}\\s*$`);
/** After a block: the end of the text, or a line that is blank but for quote markers. */
const BLANK_LINE_AFTER = /^(?:\n?$|\n[ \t>]*(?:\n|$))/;
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;
/** A reference label as mdast's `identifier`: micromark's normalisation, lower-cased, as mdast-util-from-markdown does. */
const normalizeLabel = (label: string) => normalizeIdentifier(label).toLowerCase();
const ESCAPABLE = /\\([!-/:-@[-`{-~])/g;

/**
 * A line micromark-extension-definition-list may start a description on, where a term comes before
 * it: `:` after at most three spaces, then a space and content. (After a tab, or with nothing after
 * it, `:` starts one too: those are not given to lezer, and the document is declined.)
 */
const DESCRIPTION_MARK = /^ {0,3}:(?= +[^ \t\n])/gm;
/** A line that is only `:` (and spaces): an empty description where it follows a term. */
const EMPTY_DESCRIPTION = /^ {0,3}:(?= *$)/gm;
/** A line whose `:` the extension may read as a description's, at the top level or in a container. */
const MAY_DESCRIBE = /[ \t>*+\-0-9.)]*:/y;
/** Where a description's `:` cannot start one: inside code or HTML, which micromark reads as a whole. */
const OPAQUE_BLOCK = /^(?:FencedCode|HTMLBlock|CommentBlock|ProcessingInstructionBlock)$/;
/** The first character of a lazy line that could start a block or a table row instead. */
const UNSAFE_LAZY_START = /^[#>*+\-=_~`|<:0-9]/;

interface LinkParts {
  marks: SyntaxNode[];
  url?: SyntaxNode;
  title?: SyntaxNode;
  label?: SyntaxNode;
}

/** A block container the current block is inside, to know where a line's own content starts. */
type Container = { quote: true } | { quote: false; from: number; contentStart: number; contentColumn: number; description?: true };

const isSpace = (code: number) => code === 32;
/** Space or tab: what micromark strips around text and headings. */
const isBlank = (code: number) => code === 32 || code === 9;

/** The mdast of `markdown` as remark-parse + remark-gfm + remark-definition-list give it, or undefined to use them. */
export function parseWithLezer(markdown: string): Root | undefined {
  const result = mapWithLezer(markdown);
  return typeof result === 'string' ? undefined : result;
}

/** The mdast, or why the document is left to remark-parse (for tests and the bench). */
export function mapWithLezer(markdown: string): Root | string {
  if (UNSAFE_SOURCE.test(markdown)) return 'CR, NUL or BOM';
  if (footnoteMayFire(markdown)) return 'footnote';
  if (DELIMITER_BY_NON_ASCII.test(markdown)) return 'emphasis next to non-ASCII';
  try {
    if (!definitionListMayFire(markdown)) return new Mapping(markdown).root(markdownParser.parse(markdown).topNode);
    const { parsed, markers, empties } = markDescriptions(markdown);
    return new Mapping(markdown, markers, empties).root(markdownParser.parse(parsed).topNode);
  } catch (error) {
    if (error instanceof Declined) return error.reason;
    // A fault in the mapping costs speed, never the build: remark-parse reads the document instead.
    return `mapping failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * lezer knows no definition lists: each `:` that may start a description is handed to it as `+`, a
 * bullet list marker of the same width. A bullet item interrupts a paragraph and holds blocks much
 * as a description does, so lezer's tree then has the terms' paragraph followed by a list of the
 * descriptions. The mapping checks that micromark reads each such list as descriptions, and every
 * other `:` line as none, and declines where it cannot tell.
 */
function markDescriptions(markdown: string): { parsed: string; markers: Set<number>; empties: Set<number> } {
  const markers = new Set<number>();
  const empties = new Set<number>();
  const parsed = markdown
    .replace(DESCRIPTION_MARK, (mark: string, offset: number) => {
      markers.add(offset + mark.length - 1);
      return `${mark.slice(0, -1)}+`;
    })
    // An empty description's line is given as a blank line: it ends the terms' paragraph as it does.
    .replace(EMPTY_DESCRIPTION, (mark: string, offset: number) => {
      empties.add(offset + mark.length - 1);
      return `${mark.slice(0, -1)} `;
    });
  return { parsed, markers, empties };
}

/** True when every `(` in a link destination has its `)` and none closes before it opens (escaped ones aside). */
function balancedParentheses(destination: string): boolean {
  let depth = 0;
  for (let at = 0; at < destination.length; at++) {
    const char = destination[at];
    if (char === '\\') at++;
    else if (char === '(') depth++;
    else if (char === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** A definition list being built at the top level, and what merging the next one into it needs. */
interface OpenDefList {
  node: DefListNode;
  /** The lezer node of its last descriptions (or terms, where those are empty): a term paragraph right after it continues this list. */
  last: SyntaxNode;
  /** How many lists micromark merged into it: its end stays that of the second. */
  merged: number;
}

class Mapping {
  private readonly lineStarts: number[];
  /** Set by contentStart: a tab was only partly taken by the containers' indentation. */
  private partialTab = false;
  /** A backtick in the current paragraph's text that opened no code span (it shifts micromark's positions). */
  private strayBacktick = false;
  /** The same for any character that may open a construct (`` ` [ ] < & \ ! ``). */
  private strayOpener = false;

  /** The identifiers the document defines: only a reference to one of them is a link. */
  private readonly definitions = new Set<string>();

  /** The top-level lists that stand for descriptions (by offset), each mapped with its terms. */
  private readonly descriptionLists = new Set<number>();
  private openDefList: OpenDefList | undefined;

  /** How many of the empty descriptions were mapped: each must be. */
  private emptiesMapped = 0;

  /**
   * `markers`: where markDescriptions gave lezer `+` for `:`, `empties` where it gave a blank for
   * an empty description's; undefined where no `:` line may describe.
   */
  constructor(
    private readonly source: string,
    private readonly markers?: Set<number>,
    private readonly empties = new Set<number>(),
  ) {
    this.lineStarts = lineStarts(source);
  }

  /** Collects the document's definitions (a reference may come before its definition). */
  private collectDefinitions(node: SyntaxNode): void {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.name === 'LinkReference') {
        const label = child.getChild('LinkLabel');
        if (label) this.definitions.add(normalizeLabel(this.source.slice(label.from + 1, label.to - 1)));
      } else if (child.name === 'Blockquote' || child.name === 'BulletList' || child.name === 'OrderedList' || child.name === 'ListItem') {
        this.collectDefinitions(child);
      }
    }
  }

  root(node: SyntaxNode): Root {
    this.collectDefinitions(node);
    if (this.markers) this.checkDescriptionLines(node, this.markers);
    const children = this.blocks(node, []) as RootContent[];
    // An empty description's line that was not mapped as one: lezer read a blank line micromark does not have.
    if (this.emptiesMapped !== this.empties.size) decline('description not mapped');
    return { type: 'root', children, position: this.position(0, this.source.length) };
  }

  /**
   * Every line whose `:` the extension may take for a description's: it must be one handed to lezer
   * as a marker and now a top-level list's (mapped as descriptions if its terms check out), be
   * inside code or HTML, or be one micromark reads as no description (`:` not at a line's start,
   * or not followed by a space). Definition lists inside quotes, lists or descriptions are declined.
   */
  private checkDescriptionLines(top: SyntaxNode, markers: Set<number>): void {
    const source = this.source;
    const tree = top.tree;
    if (!tree) return decline('unexpected');
    for (const lineStart of this.lineStarts) {
      MAY_DESCRIBE.lastIndex = lineStart;
      if (!MAY_DESCRIBE.test(source)) continue;
      const colon = MAY_DESCRIBE.lastIndex - 1;
      if (this.empties.has(colon)) continue;
      const after = source[colon + 1];
      if (!markers.has(colon) && after !== undefined && after !== ' ' && after !== '\t' && after !== '\n') continue;
      let node: SyntaxNode | null = tree.resolveInner(colon, 1);
      let inContainer = false;
      let opaque = false;
      let mark: SyntaxNode | undefined;
      for (; node && node.name !== 'Document'; node = node.parent) {
        if (OPAQUE_BLOCK.test(node.name)) opaque = true;
        if (node.name === 'BulletList' || node.name === 'OrderedList' || node.name === 'Blockquote') inContainer = true;
        if (node.name === 'ListMark' && node.from === colon) mark = node;
      }
      if (opaque) continue;
      if (!markers.has(colon)) {
        if (inContainer) decline('definition list in a container');
        if (/^ {0,3}:/.test(source.slice(lineStart, colon + 1))) decline('description not mapped');
        continue;
      }
      // A marker: the mark of an item of a top-level list whose items are all markers.
      const list = mark?.parent?.parent;
      if (!list || list.name !== 'BulletList' || list.parent?.name !== 'Document') return decline('definition list in a container');
      for (let item = list.firstChild; item; item = item.nextSibling) if (!markers.has(item.firstChild?.from ?? -1)) decline('list next to descriptions');
      this.descriptionLists.add(list.from);
    }
  }

  // --- positions -----------------------------------------------------------------------------

  private lineIndex(offset: number): number {
    return lineIndexOf(this.lineStarts, offset);
  }

  private point(offset: number): Point {
    const line = this.lineIndex(offset);
    return { line: line + 1, column: offset - this.lineStarts[line] + 1, offset };
  }

  private position(from: number, to: number): Position {
    return { start: this.point(from), end: this.point(to) };
  }

  private lineEnd(offset: number): number {
    const end = this.source.indexOf('\n', offset);
    return end === -1 ? this.source.length : end;
  }

  /**
   * Where the content of the line starting at `lineStart` begins, inside `containers`. With
   * `strict`, a line that is a lazy continuation (its quote marker or list indentation missing) is
   * declined: some blocks (tables) do not continue over one in micromark.
   */
  private contentStart(lineStart: number, containers: Container[], strict = false): number {
    const source = this.source;
    let at = lineStart;
    let column = 0;
    this.partialTab = false;
    const end = this.lineEnd(lineStart);
    for (const container of containers) {
      if (container.quote) {
        for (let n = 0; n < 3 && isSpace(source.charCodeAt(at)); n++) at++, column++;
        if (source[at] !== '>') decline('lazy quote line');
        at++, column++;
        if (source[at] === '\t') decline('tab after a quote marker');
        if (isSpace(source.charCodeAt(at))) at++, column++;
      } else if (container.from >= lineStart && container.from <= end) {
        at = container.contentStart;
        column = container.contentColumn;
      } else {
        // The item's indentation, in columns: a tab reaches the next multiple of 4.
        while (column < container.contentColumn) {
          const code = source.charCodeAt(at);
          if (code === 32) column++;
          else if (code === 9) column += 4 - (column % 4);
          else break;
          at++;
        }
        if (column > container.contentColumn) this.partialTab = true;
        if (strict && column < container.contentColumn) decline('lazy line');
      }
    }
    return at;
  }

  /** The column (tabs expanded) at `offset`, counted from its line's start. */
  private columnOf(offset: number): number {
    let column = 0;
    for (let at = this.lineStarts[this.lineIndex(offset)]; at < offset; at++) column = this.source[at] === '\t' ? column + 4 - (column % 4) : column + 1;
    return column;
  }

  /** A quote marker indented four spaces or more is no marker (micromark reads code there; lezer not always). */
  private quoteMarkInPlace(mark: SyntaxNode, outer: Container[]): void {
    const lineStart = this.lineStarts[this.lineIndex(mark.from)];
    const before = this.source.slice(this.contentStart(lineStart, outer), mark.from);
    if (!/^ {0,3}$/.test(before)) decline('quote marker out of place');
  }

  // --- blocks --------------------------------------------------------------------------------

  private blocks(parent: SyntaxNode, containers: Container[]): RootContent[] {
    const out: RootContent[] = [];
    let markAfterLast = false;
    const inQuote = containers[containers.length - 1]?.quote === true;
    const insideQuote = containers.some((container) => container.quote);
    for (let child = parent.firstChild; child; child = child.nextSibling) {
      if (this.markers && containers.length === 0) {
        const next = child.nextSibling;
        if (child.name === 'Paragraph' && next && this.descriptionLists.has(next.from)) {
          this.definitionList(child, next, out);
          child = next;
          continue;
        }
        if (child.name === 'Paragraph' && this.emptyDescriptionAfter(child, out)) continue;
        if (this.descriptionLists.has(child.from)) decline('description without a term');
        this.openDefList = undefined;
      }
      if (child.name === 'QuoteMark' && inQuote) this.quoteMarkInPlace(child, containers.slice(0, -1));
      const block = this.block(child, containers);
      if (!block) {
        markAfterLast = child.name === 'QuoteMark';
        continue;
      }
      // micromark ends a quote or list nested in a quote after the next line's marker: not mapped.
      const previous = out[out.length - 1];
      if (insideQuote && (previous?.type === 'blockquote' || previous?.type === 'list')) decline('container in quote');
      out.push(block);
      markAfterLast = false;
    }
    // Lines of only quote markers after the last block: where micromark ends the blocks around them varies.
    if (markAfterLast && out.length > 0) decline('trailing quote line');
    return out;
  }

  private block(node: SyntaxNode, containers: Container[]): RootContent | undefined {
    switch (node.name) {
      case 'QuoteMark':
      case 'ListMark':
        return undefined;
      case 'Paragraph':
        // A line of one tag starts an HTML block where no paragraph is interrupted; lezer misses some.
        if (LONE_TAG_LINE.test(this.source.slice(node.from, this.lineEnd(node.from)))) decline('lone tag line');
        this.noLazyLines(node, containers);
        return this.paragraph(node, node.from);
      case 'ATXHeading1':
      case 'ATXHeading2':
      case 'ATXHeading3':
      case 'ATXHeading4':
      case 'ATXHeading5':
      case 'ATXHeading6':
        return this.atxHeading(node, Number(node.name.slice(-1)) as 1 | 2 | 3 | 4 | 5 | 6);
      case 'SetextHeading1':
      case 'SetextHeading2':
        if (LONE_TAG_LINE.test(this.source.slice(node.from, this.lineEnd(node.from)))) decline('lone tag line');
        this.noLazyLines(node, containers);
        return this.setextHeading(node, node.name === 'SetextHeading1' ? 1 : 2);
      case 'HorizontalRule':
        return { type: 'thematicBreak', position: this.position(node.from, node.to) };
      case 'Blockquote':
        return { type: 'blockquote', children: this.blocks(node, [...containers, { quote: true }]) as BlockContent[], position: this.position(node.from, node.to) };
      case 'BulletList':
      case 'OrderedList':
        return this.list(node, containers);
      case 'FencedCode':
        return this.fencedCode(node, containers);
      case 'CodeBlock':
        return this.indentedCode(node, containers);
      case 'HTMLBlock':
      case 'CommentBlock':
      case 'ProcessingInstructionBlock':
        return this.htmlBlock(node, containers);
      case 'Table':
        return this.table(node, containers);
      case 'LinkReference':
        return this.definition(node);
      default:
        // Anything not mapped here.
        return decline(node.name);
    }
  }

  /**
   * Declines text with a pipe above a line that could be a table's delimiter row, or any line that
   * could be one without a pipe (`:-`, `-:`: GFM takes those, lezer not): where GFM starts a table varies.
   */
  private noTableLookalike(from: number, to: number): void {
    const text = this.source.slice(from, to);
    if (!text.includes('\n')) return;
    const pipe = text.includes('|');
    if (!pipe && !/:-|-:/.test(text)) return;
    for (const line of text.split('\n').slice(1)) {
      const row = line.replace(/^[ \t>]*/, '');
      if (DELIMITER_ROW.test(row) && (row.includes('|') ? pipe : /:-|-:/.test(row))) decline('table look-alike');
    }
    if (pipe && /\n[ \t>]*-+[ \t]*$/.test(text)) decline('table look-alike');
  }

  /** Declines a block with a lazy continuation line: micromark reads some of those as new blocks. */
  private noLazyLines(node: SyntaxNode, containers: Container[]): void {
    if (containers.length === 0) return;
    // A paragraph right in a description may have lazy lines (runbooks wrap descriptions so) where
    // the line could start nothing else.
    const only = containers[0];
    const lenient = containers.length === 1 && !only.quote && only.description === true && node.name === 'Paragraph';
    for (let line = this.lineIndex(node.from); line < this.lineStarts.length && this.lineStarts[line] < node.to; line++) {
      const lineStart = this.lineStarts[line];
      if (!lenient) {
        this.contentStart(lineStart, containers, true);
        continue;
      }
      const at = this.contentStart(lineStart, containers);
      if (this.columnOf(at) >= only.contentColumn || at === only.contentStart) continue;
      const text = this.source.slice(at, this.lineEnd(lineStart));
      if (UNSAFE_LAZY_START.test(text.trimStart()) || text.includes('|') || text.includes('\t')) decline('lazy line');
    }
  }

  private paragraph(node: SyntaxNode, from: number, task?: SyntaxNode): RootContent {
    const to = this.trimEnd(from, node.to);
    this.noTableLookalike(from, to);
    const children = this.inlineContent(node, from, to);
    // GFM's task paragraph keeps starting at its marker unless text follows it (mdast-util-gfm-task-list-item).
    if (task && children[0]?.type !== 'text') from = task.from;
    // A paragraph that opens with `[ ]` where lezer saw no task: leave it to GFM's own reading.
    const first = children[0];
    if (first?.type === 'text' && /^\[[ xX]\]/.test(first.value)) decline('task marker');
    return { type: 'paragraph', children, position: this.position(from, node.to) };
  }

  private atxHeading(node: SyntaxNode, depth: 1 | 2 | 3 | 4 | 5 | 6): RootContent {
    const open = node.firstChild;
    if (open?.name !== 'HeaderMark') return decline('unexpected');
    let from = open.to;
    while (from < node.to && isBlank(this.source.charCodeAt(from))) from++;
    const close = node.lastChild && node.lastChild.from !== open.from && node.lastChild.name === 'HeaderMark' ? node.lastChild : undefined;
    const to = this.trimEnd(from, close ? close.from : node.to);
    return { type: 'heading', depth, children: from < to ? this.inlineContent(node, from, to) : [], position: this.position(node.from, node.to) };
  }

  private setextHeading(node: SyntaxNode, depth: 1 | 2): RootContent {
    const underline = node.lastChild;
    if (underline?.name !== 'HeaderMark') return decline('unexpected');
    const to = this.trimEnd(node.from, this.source.lastIndexOf('\n', underline.from));
    this.noTableLookalike(node.from, underline.to);
    return { type: 'heading', depth, children: this.inlineContent(node, node.from, to), position: this.position(node.from, node.to) };
  }

  private list(node: SyntaxNode, containers: Container[]): List {
    const ordered = node.name === 'OrderedList';
    const items: SyntaxNode[] = [];
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.name !== 'ListItem') return decline('unexpected');
      items.push(child);
    }
    let start: number | null = null;
    if (ordered) {
      const mark = items[0]?.firstChild;
      if (mark?.name !== 'ListMark') return decline('unexpected');
      start = Number.parseInt(this.source.slice(mark.from, mark.to - 1), 10);
      // micromark reads one that starts past 1 as a paragraph in places where no paragraph is
      // interrupted (first in a quote or on its item's marker line, after indented code): only
      // those that follow another block are mapped.
      const previous = node.prevSibling;
      if (start !== 1 && (!previous || /^(?:QuoteMark|ListMark|CodeBlock)$/.test(previous.name))) decline('ordered list starting past 1');
      // It cannot interrupt a paragraph, which lezer sometimes lets it do.
      if (start !== 1 && previous?.name === 'Paragraph' && !this.blankLineBetween(previous.to, node.from)) decline('ordered list starting past 1');
    }
    let spread = false;
    for (let i = 1; i < items.length; i++) if (this.blankLineBetween(items[i - 1].to, items[i].from)) spread = true;
    const children = items.map((item) => this.listItem(item, containers));
    // An empty item cannot interrupt a paragraph, which lezer sometimes lets it do.
    if (children[0].children.length === 0) decline('empty first list item');
    // A list, like its items, starts at its first marker, not at the indentation before it.
    return { type: 'list', ordered, start, spread, children, position: this.position(children[0].position!.start.offset!, children[children.length - 1].position!.end.offset!) };
  }

  private listItem(node: SyntaxNode, containers: Container[]): ListItem {
    const mark = node.firstChild;
    if (mark?.name !== 'ListMark') return decline('unexpected');
    const source = this.source;
    const lineStart = this.lineStarts[this.lineIndex(mark.from)];
    this.contentStart(lineStart, containers);
    let spaces = 0;
    while (isSpace(source.charCodeAt(mark.to + spaces))) spaces++;
    if (source[mark.to + spaces] === '\t') decline('tab after a list marker');
    const atLineEnd = mark.to + spaces >= source.length || source[mark.to + spaces] === '\n';
    // An item that starts with a blank line: the parsers part on what belongs to it.
    if (atLineEnd && mark.nextSibling) decline('item starting with a blank line');
    const width = atLineEnd || spaces >= 5 ? 1 : spaces;
    const contentStart = mark.to + width;
    const inner: Container[] = [...containers, { quote: false, from: node.from, contentStart, contentColumn: this.columnOf(contentStart) }];

    const children: RootContent[] = [];
    const blocks: SyntaxNode[] = [];
    let checked: boolean | null = null;
    let markAfterLast = false;
    for (let child = mark.nextSibling; child; child = child.nextSibling) {
      markAfterLast = child.name === 'QuoteMark';
      if (markAfterLast) continue;
      blocks.push(child);
      if (child.name === 'Task') {
        this.noLazyLines(child, inner);
        if (children.length > 0) return decline('unexpected');
        const marker = child.firstChild;
        if (marker?.name !== 'TaskMarker') return decline('unexpected');
        // GFM's task marker is followed by a space and then text on the same line.
        if (source[marker.to] !== ' ' || /^\s$/.test(source[marker.to + 1] ?? '\n')) return decline('unexpected');
        checked = source[marker.from + 1] !== ' ';
        children.push(this.paragraph(child, marker.to + 1, marker));
      } else {
        const block = this.block(child, inner);
        if (!block) continue;
        // As in a quote (see blocks): a list or quote followed by more of the item, inside a quote.
        const previous = children[children.length - 1];
        if ((previous?.type === 'list' || previous?.type === 'blockquote') && containers.some((container) => container.quote)) decline('container in quote');
        children.push(block);
      }
    }
    let spread = false;
    for (let i = 1; i < blocks.length; i++) if (this.blankLineBetween(blocks[i - 1].to, blocks[i].from)) spread = true;
    if (markAfterLast) decline('trailing quote line');
    // It ends with its last block, or an empty one with its marker line's spaces.
    const end = blocks.length > 0 ? blocks[blocks.length - 1].to : mark.to + spaces;
    return { type: 'listItem', spread, checked, children: children as ListItem['children'], position: this.position(mark.from, end) };
  }

  // --- definition lists ----------------------------------------------------------------------

  /**
   * A top-level paragraph of terms and the list standing for its descriptions, as a defList, or
   * added to the one before when only blank lines part them (micromark merges those).
   */
  private definitionList(paragraph: SyntaxNode, list: SyntaxNode, out: RootContent[]): void {
    // micromark looks back over at most one blank line for the term.
    const between = this.source.slice(paragraph.to, list.from);
    if (between.split('\n').length > 3) decline('blank lines before a description');
    const children: DefListNode['children'] = this.terms(paragraph);
    const close = this.closeOf(list.to);
    const items: SyntaxNode[] = [];
    for (let item = list.firstChild; item; item = item.nextSibling) items.push(item);
    const starts = items.map((item) => this.descriptionContentStart(item));
    items.forEach((item, i) => children.push(this.description(item, starts[i], i + 1 < items.length ? starts[i + 1] : close)));
    this.addDefList(paragraph, list, children, close, out);
  }

  /**
   * A term paragraph followed by a line of only `:` (given to lezer as blank), then a blank line,
   * the end or a line that is not indented (which micromark does not read into it): a defList
   * with an empty description. False where the paragraph has no such line after it.
   */
  private emptyDescriptionAfter(paragraph: SyntaxNode, out: RootContent[]): boolean {
    const line = this.lineIndex(paragraph.to) + 1;
    if (line >= this.lineStarts.length) return false;
    const lineStart = this.lineStarts[line];
    const colon = this.source.indexOf(':', lineStart);
    if (!this.empties.has(colon) || colon > this.lineEnd(lineStart)) return false;
    const nextLine = this.lineEnd(lineStart) + 1;
    if (nextLine < this.source.length && isBlank(this.source.charCodeAt(nextLine))) decline('empty description continued');
    // With nothing at all after its `:`, micromark starts it at the document's start.
    if (colon + 1 === this.source.length) decline('empty description at the end');
    const close = this.closeOf(lineStart);
    // An indented line after blank ones: micromark splits the code there (not mapped).
    if (close < this.source.length && isBlank(this.source.charCodeAt(close))) decline('indented line after an empty description');
    const empty: DefListDescriptionNode = { type: 'defListDescription', spread: false, children: [], position: this.position(colon + 1, close) };
    this.addDefList(paragraph, paragraph, [...this.terms(paragraph), empty], close, out);
    this.emptiesMapped++;
    return true;
  }

  /** Adds terms and descriptions to the document, merged into the defList before where micromark merges. */
  private addDefList(paragraph: SyntaxNode, last: SyntaxNode, children: DefListNode['children'], close: number, out: RootContent[]): void {
    const open = this.openDefList;
    if (open && out[out.length - 1] === (open.node as unknown as RootContent) && paragraph.prevSibling?.from === open.last.from) {
      open.node.children.push(...children);
      // micromark's merge keeps the second list's end for all of them.
      if (++open.merged === 2) open.node.position = this.position(open.node.position!.start.offset!, close);
      open.last = last;
      return;
    }
    const node: DefListNode = { type: 'defList', children, position: this.position(this.lineStarts[this.lineIndex(paragraph.from)], close) } as DefListNode;
    out.push(node as unknown as RootContent);
    this.openDefList = { node, last, merged: 1 };
  }

  /** Where micromark closes a top-level description ending on the line of `offset`: the next line that is not blank, or the end. */
  private closeOf(offset: number): number {
    let at = this.lineEnd(offset) + 1;
    while (at < this.source.length && /^[ \t]*$/.test(this.source.slice(at, this.lineEnd(at)))) at = this.lineEnd(at) + 1;
    return Math.min(at, this.source.length);
  }

  /** Each line of the paragraph is a term of its own, with its line ending; its text is read alone. */
  private terms(paragraph: SyntaxNode): DefListTermNode[] {
    const source = this.source;
    if (LONE_TAG_LINE.test(source.slice(paragraph.from, this.lineEnd(paragraph.from)))) decline('lone tag line');
    const text = source.slice(paragraph.from, paragraph.to);
    // A term that could be a table's header row, or a row: GFM's reading of those varies.
    if (text.includes('|')) decline('table look-alike in a term');
    this.noTableLookalike(paragraph.from, paragraph.to);
    const breaks = new Map<number, SyntaxNode>();
    for (let child = paragraph.firstChild; child; child = child.nextSibling) {
      if (child.name === 'HardBreak') breaks.set(this.lineIndex(child.from), child);
      // Inline constructs do not run from one term into the next: lezer read one paragraph.
      else if (source.slice(child.from, child.to).includes('\n')) decline('inline across terms');
    }
    const terms: DefListTermNode[] = [];
    const first = this.lineIndex(paragraph.from);
    const last = this.lineIndex(paragraph.to);
    for (let line = first; line <= last; line++) {
      const lineStart = this.lineStarts[line];
      const lineEnd = this.lineEnd(lineStart);
      // micromark keeps a later term line's indentation in its text.
      if (line > first && isBlank(source.charCodeAt(lineStart))) decline('indented term line');
      const from = line === first ? paragraph.from : lineStart;
      const hardBreak = breaks.get(line);
      if (hardBreak && hardBreak.to !== lineEnd + 1) return decline('unexpected');
      if (!hardBreak && line === last && source[this.trimEnd(from, lineEnd) - 1] === '\\') decline('backslash ending a term');
      const to = this.trimEnd(from, hardBreak ? hardBreak.from : lineEnd);
      const children = from < to ? this.inlineContent(paragraph, from, to) : [];
      if (hardBreak) children.push({ type: 'break', position: this.position(hardBreak.from, hardBreak.to) });
      terms.push({ type: 'defListTerm', children, position: this.position(lineStart, lineEnd + 1) });
    }
    return terms;
  }

  /** Where a description's content starts: after its `:` and the spaces micromark takes with it (as after a list marker). */
  private descriptionContentStart(item: SyntaxNode): number {
    const mark = item.firstChild;
    if (mark?.name !== 'ListMark') return decline('unexpected');
    let spaces = 0;
    while (isSpace(this.source.charCodeAt(mark.to + spaces))) spaces++;
    // Five spaces or more: one is the marker's, the rest indent code.
    return mark.to + (spaces >= 5 ? 1 : spaces);
  }

  private description(item: SyntaxNode, contentStart: number, end: number): DefListDescriptionNode {
    const mark = item.firstChild!;
    const source = this.source;
    if (source[contentStart] === '\t' || source[contentStart] === '\n') return decline('unexpected');
    const inner: Container[] = [{ quote: false, from: item.from, contentStart, contentColumn: this.columnOf(contentStart), description: true }];
    const children: RootContent[] = [];
    for (let child = mark.nextSibling; child; child = child.nextSibling) {
      // A list or quote in a description does not go on over a blank line in micromark as it does in lezer.
      if (/List$|^Blockquote$/.test(child.name) && /\n[ \t]*\n/.test(source.slice(child.from, item.to))) decline('container in a description over a blank line');
      // Nor does an item of a list in a description (one begun on a later line of it) take more
      // blocks: only items of one paragraph are mapped.
      if (/List$/.test(child.name)) {
        for (let listItem = child.firstChild; listItem; listItem = listItem.nextSibling) {
          const content = listItem.firstChild?.nextSibling;
          if (!content || content.name !== 'Paragraph' || content.nextSibling) decline('list item in a description with blocks');
        }
      }
      const block = this.block(child, inner);
      if (block) children.push(block);
    }
    // Loose where a blank line comes right before its `:`, and only if the `:` is not indented
    // (micromark judges by the token right before the marker, and indentation resets its flag).
    const line = this.lineIndex(mark.from);
    const spread = line > 0 && mark.from === this.lineStarts[line] && /^[ \t]*$/.test(source.slice(this.lineStarts[line - 1], this.lineStarts[line] - 1));
    return { type: 'defListDescription', spread, children: children as DefListDescriptionNode['children'], position: this.position(contentStart, end) };
  }

  /** True when a blank line (perhaps only container markers) separates the two offsets. */
  private blankLineBetween(from: number, to: number): boolean {
    const first = this.source.indexOf('\n', from);
    if (first === -1 || first >= to) return false;
    const second = this.source.indexOf('\n', first + 1);
    return second !== -1 && second < to;
  }

  /** True when the block is first in its container or a blank line separates it from the block before. */
  private setApartBefore(node: SyntaxNode): boolean {
    const previous = node.prevSibling;
    return !previous || previous.name === 'QuoteMark' || previous.name === 'ListMark' || this.blankLineBetween(previous.to, node.from);
  }

  /** True when the text ends after the block, or the line after it is blank. */
  private setApartAfter(node: SyntaxNode): boolean {
    return BLANK_LINE_AFTER.test(this.source.slice(node.to, node.to + 200));
  }

  /** The lines from `firstLine` through offset `end`, each without its containers' prefix and up to `strip` spaces of indentation. */
  private codeLines(firstLine: number, end: number, containers: Container[], strip: number): string[] {
    const source = this.source;
    const lines: string[] = [];
    for (let lineStart = firstLine; lineStart <= end; ) {
      let at = this.contentStart(lineStart, containers);
      const lineEnd = Math.min(this.lineEnd(lineStart), end);
      if (this.partialTab && at < lineEnd) decline('tab partly indentation');
      for (let n = 0; n < strip && at < lineEnd; n++, at++) {
        const code = source.charCodeAt(at);
        if (code === 9) decline('tab in code indentation');
        if (code !== 32) break;
      }
      lines.push(source.slice(Math.min(at, lineEnd), lineEnd));
      lineStart = lineEnd + 1;
    }
    return lines;
  }

  private fencedCode(node: SyntaxNode, containers: Container[]): Code {
    const source = this.source;
    const open = node.firstChild;
    if (open?.name !== 'CodeMark') return decline('unexpected');
    const openLineStart = this.lineStarts[this.lineIndex(node.from)];
    const indent = node.from - this.contentStart(openLineStart, containers);
    const infoEnd = this.lineEnd(open.to);
    if (source.slice(openLineStart, infoEnd).includes('\t')) return decline('tab in a fence line');
    const info = source.slice(open.to, infoEnd).replace(/^ +/, '');
    if (/[\\&]/.test(info)) return decline('unexpected');
    let lang: string | null = null;
    let meta: string | null = null;
    if (info.trim()) {
      const space = info.indexOf(' ');
      lang = space === -1 ? info : info.slice(0, space);
      const rest = space === -1 ? '' : info.slice(space).replace(/^ +/, '');
      meta = rest ? rest : null;
    }
    const close = node.lastChild && node.lastChild.from !== open.from && node.lastChild.name === 'CodeMark' ? node.lastChild : undefined;
    const bodyStart = infoEnd + 1;
    // Unclosed, it runs to the end of its container, and from-markdown drops one final line ending.
    // An unclosed one inside a quote or list ends where micromark closes the container: not mapped.
    if (!close && containers.length > 0) return decline('unclosed fence in container');
    const bodyEnd = close ? this.lineStarts[this.lineIndex(close.from)] - 1 : node.to;
    let value = bodyStart <= bodyEnd ? this.codeLines(bodyStart, bodyEnd, containers, indent).join('\n') : '';
    if (!close && value.endsWith('\n')) value = value.slice(0, -1);
    return { type: 'code', lang, meta, value, position: this.position(node.from, node.to) };
  }

  private indentedCode(node: SyntaxNode, containers: Container[]): Code {
    const lineStart = this.lineStarts[this.lineIndex(node.from)];
    if (!this.setApartBefore(node)) decline('indented code after a block');
    // After a list, micromark may still count its lines as the list's: not mapped.
    const previous = node.prevSibling;
    if (previous && /List$|^Blockquote$/.test(previous.name)) decline('indented code after a list');
    // micromark ends it after a following line of only spaces or tabs, lezer before: not mapped.
    if (/^\n*[ \t]+(?:\n|$)/.test(this.source.slice(node.to, node.to + 200))) return decline('blank line after indented code');
    const value = this.codeLines(lineStart, node.to, containers, 4).join('\n');
    // Its indentation is part of it.
    return { type: 'code', lang: null, meta: null, value, position: this.position(this.contentStart(lineStart, containers), node.to) };
  }

  private htmlBlock(node: SyntaxNode, containers: Container[]): Html {
    // The indentation before it is part of it.
    const lineStart = this.lineStarts[this.lineIndex(node.from)];
    const from = this.contentStart(lineStart, containers);
    const lines = this.codeLines(lineStart, node.to, containers, 0);
    if (!/^<(?:[!?]|\/?[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$))/.test(lines[0])) return decline('html block start');
    // Where a blank line ends it (lezer and micromark differ inside containers), not mapped.
    if (lines.some((line) => line.trim() === '')) return decline('blank line in HTML');
    // One that only its end condition ends (a comment, <script>…) and that lezer ends before it: not mapped.
    const terminator = HTML_TERMINATORS.find(([start]) => start.test(lines[0]))?.[1];
    if (terminator && !terminator.test(lines[lines.length - 1])) return decline('unterminated HTML');
    return { type: 'html', value: lines.join('\n'), position: this.position(from, node.to) };
  }

  private table(node: SyntaxNode, containers: Container[]): Table {
    const source = this.source;
    if (source.slice(node.from, node.to).includes('\\|')) return decline('escaped pipe in table');
    this.noLazyLines(node, containers);
    // Where a table begins after a paragraph line or ends before a line that is not blank, the
    // parsers differ (a lazy line, an indented line taken as a row): only tables set apart are mapped.
    if (!this.setApartBefore(node) || !this.setApartAfter(node)) decline('table not set apart');
    const rows: TableRow[] = [];
    let align: Table['align'] = [];
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.name === 'TableDelimiter') {
        align = source
          .slice(child.from, child.to)
          .trim()
          .replace(/^\||\|$/g, '')
          .split('|')
          .map((cell) => {
            const spec = cell.trim();
            const left = spec.startsWith(':');
            const right = spec.endsWith(':');
            return left && right ? 'center' : left ? 'left' : right ? 'right' : null;
          });
      } else if (child.name === 'TableHeader' || child.name === 'TableRow') {
        rows.push(this.tableRow(child));
      } else {
        return decline('unexpected');
      }
    }
    if (rows.some((row) => row.children.length > align.length) || rows[0]?.children.length !== align.length) return decline('unexpected');
    return { type: 'table', align, children: rows, position: this.position(node.from, node.to) };
  }

  private tableRow(row: SyntaxNode): TableRow {
    const pipes: number[] = [];
    const contents: SyntaxNode[] = [];
    for (let child = row.firstChild; child; child = child.nextSibling) {
      if (child.name === 'TableDelimiter') pipes.push(child.from);
      else if (child.name === 'TableCell') contents.push(child);
      else return decline('unexpected');
    }
    // A row without a pipe (GFM takes some, micromark not those indented as code): not mapped.
    if (pipes.length === 0) decline('row without a pipe');
    // Each cell runs from the pipe before it (or the row's start) to the next pipe; the last one
    // takes a closing pipe with it.
    const bounds: number[] = [row.from];
    for (const pipe of pipes) if (pipe !== row.from) bounds.push(pipe);
    const trailing = pipes.length > 0 && pipes[pipes.length - 1] === row.to - 1;
    if (trailing) bounds.pop();
    const source = this.source;
    const cells: TableCell[] = bounds.map((from, i) => {
      const to = i + 1 < bounds.length ? bounds[i + 1] : row.to;
      const content = contents.find((cell) => cell.from >= from && cell.to <= to);
      // The cell's text is what is between its pipes, without the spaces around it.
      let start = source[from] === '|' ? from + 1 : from;
      let end = to < row.to || !trailing ? to : to - 1;
      while (start < end && isBlank(source.charCodeAt(start))) start++;
      while (end > start && isBlank(source.charCodeAt(end - 1))) end--;
      return { type: 'tableCell', children: content && start < end ? this.inlineContent(content, start, end) : [], position: this.position(from, to) };
    });
    return { type: 'tableRow', children: cells, position: this.position(row.from, row.to) };
  }

  // --- inline --------------------------------------------------------------------------------

  private trimEnd(from: number, to: number): number {
    while (to > from && (isBlank(this.source.charCodeAt(to - 1)) || this.source[to - 1] === '\n')) to--;
    return to;
  }

  /** A paragraph's, heading's or cell's phrasing content, where lezer and micromark read its emphasis alike. */
  private inlineContent(parent: SyntaxNode, from: number, to: number): PhrasingContent[] {
    if (this.hasBothFlankingDelimiter(from, to)) decline('both-flanking emphasis delimiter');
    // An escaped backtick next to a code span: lezer and micromark pair the backticks differently.
    if (this.source.slice(from, to).includes('\\`')) decline('escaped backtick');
    this.strayBacktick = false;
    this.strayOpener = false;
    return this.phrasing(parent, from, to);
  }

  /**
   * True when a `*` or `_` run in the text could both open and close emphasis: only there do the
   * parsers' delimiter algorithms part (CommonMark's rule of three applies), so such text is not mapped.
   * Code spans and HTML in the range count too: they only make it decline more.
   */
  private hasBothFlankingDelimiter(from: number, to: number): boolean {
    const source = this.source;
    for (let at = from; at < to; at++) {
      const char = source[at];
      if (char !== '*' && char !== '_') continue;
      let end = at;
      while (end < to && source[end] === char) end++;
      const before = at > from ? source[at - 1] : ' ';
      const after = end < to ? source[end] : ' ';
      const spaceBefore = /\s/.test(before);
      const spaceAfter = /\s/.test(after);
      const punctuationBefore = ASCII_PUNCTUATION.test(before);
      const punctuationAfter = ASCII_PUNCTUATION.test(after);
      const left = !spaceAfter && (!punctuationAfter || spaceBefore || punctuationBefore);
      const right = !spaceBefore && (!punctuationBefore || spaceAfter || punctuationAfter);
      // An underscore run flanked both ways only takes part when punctuation is beside it.
      if (left && right && (char === '*' || punctuationBefore || punctuationAfter)) return true;
      at = end - 1;
    }
    return false;
  }

  /** The phrasing content of `parent` between `from` and `to`: its inline nodes, text in between. */
  private phrasing(parent: SyntaxNode, from: number, to: number): PhrasingContent[] {
    const source = this.source;
    const out: PhrasingContent[] = [];
    // The text since the last inline node: micromark makes one text node of it.
    let text: Text | undefined;
    let textStart = 0;
    let textEnd = 0;
    let lineStart = false;
    const addText = (value: string, start: number, end: number) => {
      if (!value) return;
      if (!text) {
        text = { type: 'text', value: '', position: undefined };
        textStart = start;
      }
      text.value += value;
      textEnd = end;
    };
    const flush = () => {
      if (!text) return;
      if (UNSAFE_TEXT.test(text.value)) decline(`text ${UNSAFE_TEXT.exec(text.value)![0]}`);
      text.position = this.position(textStart, textEnd);
      out.push(text);
      text = undefined;
    };
    const gap = (a: number, b: number) => {
      let at = a;
      while (at < b) {
        if (lineStart) {
          const indented = at;
          while (at < b && isBlank(source.charCodeAt(at))) at++;
          // After a construct that failed to open earlier in the paragraph (a stray ` or [),
          // micromark's text takes the next line's indentation with it: not mapped.
          if (text && at > indented && this.strayOpener && text.value.endsWith('\n')) decline('indented inline after a line ending');
          if (at >= b) return;
          lineStart = false;
        }
        if (!this.strayBacktick) {
          for (let i = at; i < b; i++) {
            const code = source.charCodeAt(i);
            // ` [ ] < & \ !
            if (code === 96 || code === 91 || code === 93 || code === 60 || code === 38 || code === 92 || code === 33) {
              this.strayOpener = true;
              if (code === 96) {
                this.strayBacktick = true;
                break;
              }
            }
          }
        }
        const newline = source.indexOf('\n', at);
        if (newline === -1 || newline >= b) {
          addText(source.slice(at, b), at, b);
          return;
        }
        let end = newline;
        while (end > at && isBlank(source.charCodeAt(end - 1))) end--;
        addText(source.slice(at, end), at, end);
        addText('\n', newline, newline + 1);
        lineStart = true;
        at = newline + 1;
      }
    };

    const visit = (container: SyntaxNode, start: number, end: number) => {
      let at = start;
      for (let child = container.firstChild; child; child = child.nextSibling) {
        if (child.to <= start || child.from < start) continue;
        if (child.from >= end) break;
        if (child.name === 'TaskMarker') continue;
        gap(at, child.from);
        at = child.to;
        switch (child.name) {
          case 'QuoteMark':
            lineStart = true;
            continue;
          case 'Escape':
            if (lineStart) lineStart = false;
            addText(source[child.from + 1], child.from, child.to);
            continue;
          case 'HardBreak':
            if (source[child.from] === '\\' && text === undefined && out.length === 0) decline('unexpected');
            if (this.strayBacktick) decline('hard break after a backtick');
            // Spaces after a tab make no hard break for micromark.
            if (source[child.from] === ' ' && source[child.from - 1] === '\t') decline('tab before a hard break');
            flush();
            out.push({ type: 'break', position: this.position(child.from, child.to) });
            lineStart = true;
            continue;
        }
        lineStart = false;
        // `[text]` that names no definition is text, brackets and all, with its content as usual.
        const parts = child.name === 'Link' || child.name === 'Image' ? this.linkParts(child) : undefined;
        const unwrapped = parts && this.undefinedShortcut(child, parts);
        if (unwrapped) {
          this.strayOpener = true;
          addText(source.slice(child.from, unwrapped.open.to), child.from, unwrapped.open.to);
          visit(child, unwrapped.open.to, unwrapped.close.from);
          lineStart = false;
          addText(']', unwrapped.close.from, unwrapped.close.to);
          continue;
        }
        flush();
        out.push(parts ? this.link(child, parts) : this.inline(child));
      }
      gap(at, end);
    };
    visit(parent, from, to);
    flush();
    return out;
  }

  private inline(node: SyntaxNode): PhrasingContent {
    const source = this.source;
    switch (node.name) {
      case 'Emphasis':
      case 'StrongEmphasis': {
        const open = node.firstChild;
        const close = node.lastChild;
        if (!open || !close || open.from === close.from) return decline('unexpected');
        const children = this.phrasing(node, open.to, close.from);
        return { type: node.name === 'Emphasis' ? 'emphasis' : 'strong', children, position: this.position(node.from, node.to) };
      }
      case 'InlineCode': {
        const open = node.firstChild;
        const close = node.lastChild;
        if (!open || !close || open.from === close.from) return decline('unexpected');
        let value = source.slice(open.to, close.from);
        if (value.includes('\n')) return decline('multi-line code');
        // One space off each end, unless the code is only spaces (a tab is not one: CommonMark 6.1).
        if (value.length > 2 && value.startsWith(' ') && value.endsWith(' ') && /[^ ]/.test(value)) value = value.slice(1, -1);
        return { type: 'inlineCode', value, position: this.position(node.from, node.to) } satisfies InlineCode;
      }
      case 'HTMLTag':
      case 'Comment':
      case 'ProcessingInstruction': {
        const value = source.slice(node.from, node.to);
        if (value.includes('\n')) return decline('multi-line html');
        // lezer is looser about tag names (<snake_case>) than CommonMark.
        if (node.name === 'HTMLTag' && !HTML_TAG.test(value)) return decline('html tag');
        return { type: 'html', value, position: this.position(node.from, node.to) } satisfies Html;
      }
      default:
        // Character references, autolinks, GFM's literal URLs and strikethrough, and anything else.
        return decline(node.name);
    }
  }

  /** The parts of a Link or Image node: its marks, destination, title and reference label. */
  private linkParts(node: SyntaxNode): LinkParts {
    const marks: SyntaxNode[] = [];
    let url: SyntaxNode | undefined;
    let title: SyntaxNode | undefined;
    let label: SyntaxNode | undefined;
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.name === 'LinkMark') marks.push(child);
      else if (child.name === 'URL') url = child;
      else if (child.name === 'LinkTitle') title = child;
      else if (child.name === 'LinkLabel') label = child;
    }
    return { marks, url, title, label };
  }

  /** `[text]` (or `![text]`) alone, naming no definition: its brackets, for it to be read as text. */
  private undefinedShortcut(node: SyntaxNode, { marks, url, title, label }: LinkParts): { open: SyntaxNode; close: SyntaxNode } | undefined {
    if (marks.length !== 2 || url || title || label) return undefined;
    const [open, close] = marks;
    const text = this.source.slice(open.to, close.from);
    if (this.definitions.has(normalizeLabel(text))) return undefined;
    // Emphasis delimiters inside could pair with ones outside once the brackets are text, which
    // lezer, having read a link, did not consider: not mapped.
    if (/[*_\[\]\\\n]/.test(text)) return decline('brackets as text');
    // Right before `]`, `(` or `[`, lezer's reading of the brackets around may differ: not mapped.
    if (/[\]([]/.test(this.source[node.to] ?? '')) return decline('brackets as text');
    return { open, close };
  }

  private destination(url: SyntaxNode | undefined, title: SyntaxNode | undefined): { url: string; title: string | null } {
    let destination = url ? this.source.slice(url.from, url.to) : '';
    if (destination.startsWith('<')) destination = destination.slice(1, -1);
    // A bare destination's parentheses must balance (CommonMark 6.3), which lezer does not check: `[a](( )`.
    else if (!balancedParentheses(destination)) return decline('unbalanced destination');
    const titleText = title ? this.source.slice(title.from + 1, title.to - 1) : '';
    if (/[&\n]/.test(destination) || /[&\n]/.test(titleText)) return decline('link destination');
    return { url: destination.replace(ESCAPABLE, '$1'), title: titleText ? titleText.replace(ESCAPABLE, '$1') : null };
  }

  private link(node: SyntaxNode, { marks, url, title, label }: LinkParts): Link | Image | LinkReference | ImageReference {
    const source = this.source;
    const [open, closeLabel, openParen] = marks;
    if (!open || !closeLabel) return decline('unexpected');
    const position = this.position(node.from, node.to);
    const children = this.phrasing(node, open.to, closeLabel.from);
    if (openParen === undefined || source[openParen.from] !== '(') {
      // A reference: full `[text][label]`, collapsed `[text][]` or shortcut `[text]`.
      if (url || title || marks.length !== 2) return decline('reference link');
      const written = label && label.to - label.from > 2 ? source.slice(label.from + 1, label.to - 1) : source.slice(open.to, closeLabel.from);
      if (/[\\&\n\[\]]/.test(written)) return decline('reference label');
      const identifier = normalizeLabel(written);
      if (!this.definitions.has(identifier)) return decline('undefined reference');
      const referenceType = !label ? 'shortcut' : label.to - label.from > 2 ? 'full' : 'collapsed';
      // A shortcut right before `[` or `(` is one the parsers may read differently: not mapped.
      if (referenceType === 'shortcut' && /[[(]/.test(source[node.to] ?? '')) return decline('reference link');
      if (node.name === 'Image') return { type: 'imageReference', alt: toString(children), position, label: written, identifier, referenceType };
      return { type: 'linkReference', children: children as LinkReference['children'], position, label: written, identifier, referenceType };
    }
    if (openParen.from !== closeLabel.to || marks.length !== 4 || source[marks[3].from] !== ')') return decline('unexpected');
    const target = this.destination(url, title);
    if (node.name === 'Image') return { type: 'image', title: target.title, url: target.url, alt: toString(children), position };
    return { type: 'link', title: target.title, url: target.url, children: children as Link['children'], position };
  }

  /** A link reference definition, `[label]: destination "title"`, on one line. */
  private definition(node: SyntaxNode): Definition {
    const { url, title, label } = this.linkParts(node);
    if (!label || this.lineIndex(node.from) !== this.lineIndex(node.to)) return decline('definition');
    // A line after it that is not blank may be read into the definition's paragraph by micromark
    // (positions, lazy lines, setext headings): only definitions set apart are mapped.
    if (!this.setApartAfter(node)) return decline('definition not set apart');
    const written = this.source.slice(label.from + 1, label.to - 1);
    if (/[\\&\n\[\]]/.test(written)) return decline('reference label');
    const target = this.destination(url, title);
    return { type: 'definition', identifier: normalizeLabel(written), label: written, title: target.title, url: target.url, position: this.position(node.from, node.to) };
  }
}
