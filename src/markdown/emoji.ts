// GitHub's emoji shortcodes as GitHub renders them (config `emoji`): `:warning:` becomes ⚠️ in text,
// never in code, inline code or raw HTML. remark-gemoji does the work, with GitHub's gemoji names.
import type { Root } from 'mdast';
import remarkGemoji from 'remark-gemoji';
import { nameToEmoji } from 'gemoji';

/**
 * True when `markdown` holds a shortcode of a known emoji: the replacement walks every text node,
 * and `:` pairs are common in runbooks (`job:up:sum`, `10:30:00`) where no emoji is.
 */
export function mayHaveEmoji(markdown: string): boolean {
  for (const match of markdown.matchAll(/:([+\w-]+):/g)) if (Object.hasOwn(nameToEmoji, match[1])) return true;
  return false;
}

export default function remarkEmoji() {
  // remark-gemoji is an attacher that does not use `this`; called directly, it gives its transformer.
  const replace = (remarkGemoji as unknown as () => (tree: Root) => void)();
  return (tree: Root): void => replace(tree);
}
