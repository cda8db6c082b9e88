// Build-time highlighting of code blocks: lowlight (highlight.js grammars as hast) for the
// languages runbooks are written in, our own lezer-based highlighter for PromQL. Only the
// grammars listed here are registered; fences in other languages stay plain text.
import { createRequire } from 'node:module';
import type { Element, ElementContent, Root } from 'hast';
import type { HLJSApi, LanguageFn } from 'highlight.js';
// lowlight's entry also imports its 190 grammars, never used here: the render worker's esbuild
// bundle leaves them out (the package declares no side effects); an unbundled process pays for
// them once (70–80 ms). Importing only its core instead took a top-level await, on which the
// bundle's module initialisation deadlocked.
import { createLowlight } from 'lowlight';
import { toHtml } from 'hast-util-to-html';
import { eachElement, SKIP } from './each-element.js';
import { highlightPromQL } from '../rules/highlight.js';
import { escapeText } from '../html.js';

const require = createRequire(import.meta.url);

/** HCL (Terraform, Nomad, Vault configuration): highlight.js has no grammar of its own for it. */
const hcl: LanguageFn = (hljs: HLJSApi) => ({
  name: 'HCL',
  keywords: { keyword: 'for in if else endif endfor', literal: 'true false null' },
  contains: [
    hljs.HASH_COMMENT_MODE,
    hljs.C_LINE_COMMENT_MODE,
    hljs.C_BLOCK_COMMENT_MODE,
    { scope: 'string', begin: /<<-?\s*([A-Za-z_]\w*)\s*$/, end: /^\s*[A-Za-z_]\w*\s*$/ },
    { scope: 'string', begin: /"/, end: /"/, contains: [hljs.BACKSLASH_ESCAPE, { scope: 'subst', begin: /\$\{/, end: /\}/ }] },
    { scope: 'number', begin: /\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b/ },
    { scope: 'attr', begin: /\b[A-Za-z_][\w-]*(?=\s*=(?!=))/ },
    { scope: 'title', begin: /^\s*[A-Za-z_][\w-]*(?=\s+(?:"|\{|[A-Za-z_]))/ },
  ],
});

const GRAMMARS = ['bash', 'shell', 'yaml', 'json', 'sql', 'go', 'python', 'dockerfile', 'ini', 'diff'] as const;
const lowlight = createLowlight();
const grammars: Record<string, LanguageFn> = { hcl };
for (const name of GRAMMARS) grammars[name] = require(`highlight.js/lib/languages/${name}`) as LanguageFn;
lowlight.register(grammars);

/** Fence info strings (lower-cased) → grammar. `promql` is ours. */
const LANGUAGE_OF: Record<string, string> = {
  sh: 'bash', bash: 'bash', zsh: 'bash', shell: 'bash', 'shell-script': 'bash', shellscript: 'bash',
  console: 'shell', 'shell-session': 'shell', shellsession: 'shell', terminal: 'shell',
  yaml: 'yaml', yml: 'yaml',
  json: 'json', jsonc: 'json', json5: 'json',
  sql: 'sql', psql: 'sql', postgresql: 'sql', postgres: 'sql', mysql: 'sql', sqlite: 'sql',
  go: 'go', golang: 'go',
  python: 'python', py: 'python', python3: 'python',
  hcl: 'hcl', terraform: 'hcl', tf: 'hcl', nomad: 'hcl',
  dockerfile: 'dockerfile', docker: 'dockerfile', containerfile: 'dockerfile',
  ini: 'ini', toml: 'ini', cfg: 'ini', conf: 'ini', properties: 'ini',
  diff: 'diff', patch: 'diff',
  promql: 'promql', prometheus: 'promql', metricsql: 'promql',
};

/** The grammar for a fence's language, or undefined (plain text). */
export function codeLanguage(info: string | undefined): string | undefined {
  if (!info) return undefined;
  return LANGUAGE_OF[info.toLowerCase()];
}

/** Highlighted HTML (element content) for code in a language; escaped plain text when the language is not known. */
export function highlightCode(info: string | undefined, code: string): string {
  const language = codeLanguage(info);
  if (language === 'promql') return highlightPromQL(code);
  if (!language) return escapeText(code);
  return toHtml(lowlight.highlight(language, code));
}

/** The language of a `<code class="language-X">`, as written. */
export function languageOfCode(code: Element): string | undefined {
  const classes = code.properties?.className;
  if (!Array.isArray(classes)) return undefined;
  for (const name of classes) {
    if (typeof name === 'string' && name.startsWith('language-')) return name.slice('language-'.length);
  }
  return undefined;
}

/** The text of an element and everything in it. */
export function textOf(node: Element): string {
  let out = '';
  for (const child of node.children) {
    if (child.type === 'text') out += child.value;
    else if (child.type === 'element') out += textOf(child);
  }
  return out;
}

/**
 * rehype plugin: highlights every `<pre><code class="language-X">` whose language is known.
 * The `<pre><code>` markup stays as it was (the `highlight` shortcode emits the same), only the
 * code's content becomes spans (`hljs-…` from lowlight, `pq-…` for PromQL).
 */
export default function rehypeHighlightCode() {
  return (tree: Root) => {
    eachElement(tree, (node, parent) => {
      if (node.tagName !== 'code' || parent.type !== 'element' || parent.tagName !== 'pre') return;
      const language = codeLanguage(languageOfCode(node));
      if (!language) return;
      const code = textOf(node);
      if (language === 'promql') {
        node.children = [{ type: 'raw', value: highlightPromQL(code) } as unknown as ElementContent];
      } else {
        node.children = lowlight.highlight(language, code).children as ElementContent[];
      }
      return SKIP;
    });
  };
}
