// The title a runbook without a front-matter title has for its reader: the level-1 heading it opens
// with (`# Postgres replication lag`), as GitHub shows that file and as MkDocs titles it, rather
// than its file name. Only the heading's own line is parsed, and the parser is loaded only when
// some runbook needs it: a site whose runbooks all have titles pays nothing.
import type { Root } from 'mdast';

let parser: Promise<{ parse: (markdown: string) => Root; text: (tree: Root['children'][number]) => string }> | undefined;

function loadParser() {
  parser ??= Promise.all([import('../markdown/remark-parse-gated.js'), import('mdast-util-to-string')]).then(([{ parseMarkdown }, { toString }]) => ({
    parse: parseMarkdown,
    // Raw HTML in a heading is markup, not words of its title.
    text: (node) => toString(node, { includeHtml: false }),
  }));
  return parser;
}

/** The plain text of the `# heading` on the body's first non-blank line, or undefined. */
export async function openingHeading(body: string): Promise<string | undefined> {
  const line = /^(?:[ \t]*\r?\n)*([^\r\n]*)/.exec(body)?.[1] ?? '';
  // An ATX level-1 heading (at most three spaces before `#`); one holding a shortcode is left to the
  // renderer, which knows what the shortcode becomes.
  if (!/^ {0,3}#(?:[ \t]|$)/.test(line) || line.includes('{{') || line.includes('<<%')) return undefined;
  const { parse, text } = await loadParser();
  const node = parse(line).children[0];
  if (node?.type !== 'heading' || node.depth !== 1) return undefined;
  const title = text(node).replace(/\s+/g, ' ').trim();
  return title || undefined;
}
