// The text without which a markdown syntax extension cannot produce anything in a document. Each
// is a necessary condition, never a guess: the gated remark parser uses an extension only where its
// trigger is present, and the lezer parser leaves a document holding a trigger it does not map to
// remark-parse.

/**
 * Autolink literals need `http:`, `https:`, `www.` or an `@` (e-mail, `mailto:`, `xmpp:`). The
 * literal transform reads decoded text, where `.`, `:` and `@` may come from an escape (`\.`) or a
 * character reference (`&#64;`), so a `\` or `&` after `http`/`www`, or any reference, counts too.
 */
export const autolinkLiteralMayFire = (markdown: string) => /https?[:\\&]|www[.\\&]|@|&[#a-z]/i.test(markdown);
export const footnoteMayFire = (markdown: string) => markdown.includes('[^');
export const strikethroughMayFire = (markdown: string) => markdown.includes('~');
/**
 * A table needs a `|` or an alignment colon in its delimiter row (gfm-table takes `a` over `:-`,
 * `-:` or `:-:` as a table; without either it is a setext underline or a rule): a colon of a
 * delimiter cell is always next to its dashes.
 */
export const tableMayFire = (markdown: string) => markdown.includes('|') || markdown.includes(':-') || markdown.includes('-:');
export const taskListItemMayFire = (markdown: string) => markdown.includes('[');
/** A definition starts with `:` after at most list markers, quote markers and indentation. */
export const definitionListMayFire = (markdown: string) => /(?:^|[\n\r])[ \t>*+\-0-9.)]*:/.test(markdown);
