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

