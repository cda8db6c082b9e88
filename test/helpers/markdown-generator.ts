// Markdown documents made of random constructs (CommonMark and GFM, well and badly formed), nested
// in quotes and lists, for differential tests of the markdown parser.
import { randomSource } from './random.js';

const INLINE = [
  'word', 'two words', '*em*', '**strong**', '_under_', '__double__', '***both***', '*a **b** c*', 'snake_case_name',
  '`code`', '` spaced `', '``a ` b``', '`unclosed', '[link](/x)', '[link](/x "title")', '[link](<a b>)', '[a *b*](u \'t\')',
  '[](empty)', '[text]', '![alt](i.png)', '![a *b* `c`](i.png "t")', '<span class="x">', '</span>', '<!-- note -->',
  '\\*', '\\_', '\\[', '\\\\', '*', '**', '_', '[', ']', '(', ')', '!', '#', '|', '<', '>', '"quote"', "it's", '1.',
  'a  ', 'end\\', '<br/>', '*open', 'close*', '**a*', 'x*y*z', '`a`b`', 'trailing ', '---',
  '**Note:**', '`kubectl get pods -n monitoring`', '[docs](/a_(b))', '<kbd>Ctrl</kbd>', '\uE0003\uE001', '\uE000',
  'a\tb', '\t', 'tab\t\n', '`a\tb`', '[x](#anchor)', '![](empty.png)', '[ref]', '[text][ref]', '[Ref][]', '![img][ref]', '[missing]', '[a][missing]', '[ REF ]', '[two words]', '1)', '*a*b', 'a**b**', '_a_b', '__a__.', '(*em*)', '"*q*"', '**a** **b**', '~', '&',
];

function inline(next: () => number): string {
  const parts: string[] = [];
  const count = 1 + Math.floor(next() * 6);
  for (let i = 0; i < count; i++) {
    parts.push(INLINE[Math.floor(next() * INLINE.length)]);
    const r = next();
    parts.push(r < 0.6 ? ' ' : r < 0.75 ? '' : r < 0.9 ? '\n' : '  \n');
  }
  return parts.join('').trim() || 'x';
}

function block(next: () => number): string {
  const text = () => inline(next);
  const kinds = [
    () => text(),
    () => `${text()}\n${text()}`,
    () => `${'#'.repeat(1 + Math.floor(next() * 6))} ${text().replace(/\n/g, ' ')}${next() < 0.3 ? ' ##' : ''}`,
    () => `${text().replace(/\n/g, ' ')}\n${next() < 0.5 ? '===' : '---'}`,
    () => (next() < 0.5 ? '---' : '* * *'),
    () => `\`\`\`${next() < 0.5 ? 'sh' : ''}${next() < 0.3 ? ' title="x" ' : ''}\n${text()}\n${next() < 0.5 ? '  indented line\n' : ''}\`\`\``,
    () => `~~~\n${text()}\n`,
    () => `    code line\n    ${text().replace(/\n/g, ' ')}`,
    () => `<details>\n<summary>${text().replace(/\n/g, ' ')}</summary>\n\n${text()}\n\n</details>`,
    () => `<!-- a comment\nover lines -->`,
    () => `| a | b |\n|${next() < 0.5 ? ':-' : '--'}|-:|\n| ${text().replace(/\n/g, ' ').replace(/\|/g, '')} | c |`,
    () => `- [${next() < 0.5 ? ' ' : 'x'}] ${text().replace(/\n/g, ' ')}`,
    () => `${1 + Math.floor(next() * 12)}${next() < 0.5 ? '.' : ')'} ${text()}\n${next() < 0.5 ? '' : '\n'}${2 + Math.floor(next() * 3)}${next() < 0.5 ? '.' : ')'} ${text()}`,
    () => `- ${text()}\n${next() < 0.5 ? '' : '\n'}  - ${text()}\n${next() < 0.5 ? '' : '\n'}  ${text()}\n- ${text()}`,
    () => `\`\`\`\`\`${next() < 0.5 ? 'promql' : ''}\n${text()}\n\n\`\`\`\n\`\`\`\`\``,
    () => `<div align="center">\n${text()}\n</div>`,
    () => `\uE000${Math.floor(next() * 9)}\uE001`,
    () => `${next() < 0.5 ? '-' : '1.'} ${text()}\n\t${next() < 0.5 ? '*' : '-'} ${text()}\n${next() < 0.5 ? '\t' : '\t\t'}${text()}`,
    () => `\t${text().replace(/\n/g, ' ')}\n\tmore\tcode`,
    () => `\`\`\`\n\tindented with a tab\n  \tmixed\n\`\`\``,
    () => `[${next() < 0.5 ? 'ref' : 'Two  Words'}]: ${next() < 0.5 ? '/url' : '<https://x.y/a b>'}${next() < 0.5 ? ' "title"' : ''}`,
  ];
  return kinds[Math.floor(next() * kinds.length)]();
}

/** Puts a block in a container: every line prefixed, or only the first (a lazy continuation). */
function contain(markdown: string, next: () => number): string {
  const lines = markdown.split('\n');
  const r = next();
  const [first, rest] = r < 0.3 ? ['> ', next() < 0.8 ? '> ' : ''] : r < 0.6 ? ['- ', '  '] : r < 0.8 ? ['1. ', '   '] : ['* ', next() < 0.5 ? '  ' : ''];
  return lines.map((line, i) => (i === 0 ? first : line === '' && rest.trim() === '' ? '' : rest) + line).join('\n');
}

export function generatedMarkdown(count: number, seed: number): { name: string; markdown: string }[] {
  const next = randomSource(seed);
  return Array.from({ length: count }, (_, n) => {
    const blocks: string[] = [];
    const length = 1 + Math.floor(next() * 5);
    for (let i = 0; i < length; i++) {
      let markdown = block(next);
      for (let depth = Math.floor(next() * 3); depth > 0; depth--) markdown = contain(markdown, next);
      blocks.push(markdown);
    }
    const markdown = blocks.reduce((all, markdown) => (all ? `${all}${next() < 0.7 ? '\n\n' : '\n'}${markdown}` : markdown), '') + (next() < 0.8 ? '\n' : '');
    return { name: `generated ${seed}:${n}: ${JSON.stringify(markdown)}`, markdown };
  });
}


// --- definition lists (micromark-extension-definition-list) ------------------------------------

const pick = <T>(next: () => number, choices: readonly T[]): T => choices[Math.floor(next() * choices.length)];

/** A term line: inline markup, at times indented, with trailing spaces (a hard break), a pipe or a backslash. */
function termLine(next: () => number, first: boolean): string {
  const indent = next() < 0.8 ? '' : pick(next, [' ', '  ', '   ', '    ', '\t']);
  const text = next() < 0.5 ? pick(next, ['Term', '**Term**', '`term`', '*a* term', '[link](/x)', 'snake_case', 'x *y* **z**', '**vrrpStatus**']) : inline(next).replace(/\n/g, ' ');
  const trailing = next() < 0.7 ? '' : pick(next, [' ', '  ', '   ', '\t', '\\', ' |']);
  return (first || next() < 0.5 ? indent : '') + text + trailing;
}

/** The `:` that may open a description: indented 0–4, then the spaces or tab after it, or none. */
function descriptionMarker(next: () => number): string {
  const indent = next() < 0.75 ? '' : pick(next, [' ', '  ', '   ', '    ', '\t']);
  const after = next() < 0.85 ? ' ' : pick(next, ['  ', '   ', '    ', '     ', '      ', '\t', ' \t', '', ':', 'x']);
  return `${indent}:${after}`;
}

/** A description's content after its marker: `size` is the column its continuation lines need. */
function descriptionBody(next: () => number, size: number): string {
  const pad = ' '.repeat(size);
  const line = () => inline(next).replace(/\n/g, ' ');
  const lazy = () => (next() < 0.8 ? '' : pick(next, [' ', '\t', '  '])) + pick(next, [line(), "'initialize', which indicates", 'Used by a trap.', '- a lazy item?', '# not a heading', '| a | b |', '1. one', ': colon', '---', '<div>']);
  const kinds = [
    () => line(),
    () => `${line()}\n${lazy()}`,
    () => `${line()}\n${lazy()}\n${lazy()}`,
    () => `${line()}\n${pad}${line()}`,
    () => `${line()}\n\n${pad}${line()}`,
    () => `${line()}\n\n${' '.repeat(Math.max(0, size - 1))}${line()}`,
    () => `${line()}\n\n${pad}    indented code\n`,
    () => `- ${line()}\n${pad}- ${line()}`,
    () => `${line()}\n${pad}- item\n${pad}- item two`,
    () => `${line()}\n- not in it`,
    () => `\`\`\`${next() < 0.5 ? 'sh' : ''}\n${pad}code: here\n${pad}: not a description\n${pad}\`\`\``,
    () => `\`\`\`\n${line()}\n\`\`\``,
    () => `    code after the marker\n${pad}    more code`,
    () => `> ${line()}\n${pad}> ${line()}`,
    () => `> quoted\nlazy after a quote`,
    () => `# heading in a description`,
    () => `${line()}\n${pad}: nested description`,
    () => `${line()}\n\n${pad}Nested term\n${pad}: nested description`,
    () => `| a | b |\n${pad}| - | - |\n${pad}| c | d |`,
    () => `${line()}   `,
    () => `${line()}\n${pad}\t${line()}`,
    () => `${line()}\n\n${pad}    \n${pad}    code`,
    () => `${line()}\n\n${pad}     \n`,
    () => `${line()}\n\n${pad}    code\n\t\n`,
    () => `${line()}\n${pad}===`,
    () => `[ ] not a task`,
  ];
  return pick(next, kinds)();
}

/** A group: terms, descriptions after them, and the blank lines between, as the extension reads them or nearly. */
function definitionGroup(next: () => number): string {
  const terms = Array.from({ length: 1 + Math.floor(next() * (next() < 0.8 ? 1 : 3)) }, (_, i) => termLine(next, i === 0));
  const parts = [terms.join('\n')];
  const descriptions = 1 + Math.floor(next() * (next() < 0.6 ? 1 : 3));
  for (let i = 0; i < descriptions; i++) {
    const r = next();
    parts.push(r < 0.75 ? '\n' : r < 0.93 ? '\n\n' : r < 0.97 ? '\n  \n' : '\n\n\n');
    const marker = descriptionMarker(next);
    // The column the description's later lines continue at (a tab taken as one).
    const size = marker.replace(/\t/g, ' ').length;
    parts.push(marker + descriptionBody(next, Math.min(size, 6)));
  }
  return parts.join('');
}

/** A `:` line that no term comes before, or that is no description's. */
function notADescription(next: () => number): string {
  return pick(next, [
    ': after nothing',
    '# Heading\n: after a heading',
    'para\n\n\n: after two blank lines',
    '```\ncode\n```\n: after code',
    '---\n: after a rule',
    'text\n:no space after the colon',
    'text\n10:30 is a time',
    'text\n    : indented four',
    'text\n::: fenced div',
    '- item\n: after a list',
    '> quote\n: after a quote',
    '| a | b |\n| - | - |\n: after a table',
    '<div>\n: in html\n</div>',
    'Term\n:\n  description after a blank marker line',
    'Term\n:    \n',
    'Setext\n---\n: after a setext heading',
    '[ref]: /url\n: after a definition',
    '    code\n: after indented code',
  ]);
}

/**
 * Documents holding definition lists: groups of terms and descriptions in the forms the extension
 * takes and the near misses it does not, next to tables, headings, lists and quotes, at times
 * merged (only blank lines between) and at times inside a quote or a list.
 */
export function generatedDefinitionLists(count: number, seed: number): { name: string; markdown: string }[] {
  const next = randomSource(seed);
  return Array.from({ length: count }, (_, n) => {
    const blocks: string[] = [];
    const length = 1 + Math.floor(next() * 4);
    for (let i = 0; i < length; i++) {
      const r = next();
      let markdown = r < 0.6 ? definitionGroup(next) : r < 0.75 ? notADescription(next) : block(next);
      if (next() < 0.1) markdown = contain(markdown, next);
      blocks.push(markdown);
    }
    const markdown = blocks.reduce((all, markdown) => (all ? `${all}${pick(next, ['\n\n', '\n\n', '\n', '\n\n\n'])}${markdown}` : markdown), '') + (next() < 0.8 ? '\n' : next() < 0.5 ? '' : '\n\n');
    return { name: `definition lists ${seed}:${n}: ${JSON.stringify(markdown)}`, markdown };
  });
}
