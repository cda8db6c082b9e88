// Hugo's typographer (goldmark's, on by default in Hugo), as an option (config `typographer`):
// straight quotes become curly, `--` an en dash, `---` an em dash, `...` an ellipsis, `<<` and
// `>>` angle quotes. Only text is touched: code, inline code, raw HTML and embeds keep what the
// author wrote, since a command copied from a runbook must still run.
import type { Root, Text } from 'mdast';
import remarkSmartypants from 'remark-smartypants';
import { visit } from 'unist-util-visit';

/** retext-smartypants set up as goldmark's typographer: `--` en dash, `---` em dash, no backtick quotes. */
const HUGO_SMARTYPANTS = { dashes: 'oldschool', backticks: false, ellipses: true, quotes: true } as const;

export default function remarkTypographer() {
  // remark-smartypants is an attacher that does not use `this`; called directly, it gives its transformer.
  const smartypants = (remarkSmartypants as unknown as (options: typeof HUGO_SMARTYPANTS) => (tree: Root) => void)(HUGO_SMARTYPANTS);
  return (tree: Root): void => {
    smartypants(tree);
    // Angle quotes, which smartypants does not know.
    visit(tree, 'text', (node: Text) => {
      if (node.value.includes('<<') || node.value.includes('>>')) node.value = node.value.replace(/<</g, '«').replace(/>>/g, '»');
    });
  };
}
