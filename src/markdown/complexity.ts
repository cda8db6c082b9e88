// A linear pre-scan that bounds how much work the markdown parser can be made to do, run before
// it. micromark and the mdast/hast utilities are superlinear on a few shapes no runbook has:
// containers nested thousands deep (`- - - - …`, `>>>>…`), long emphasis delimiter runs, and many
// brackets or delimiters in one paragraph (label and attention resolution look back over the
// paragraph: 10,000 `a]` took 12 s). The size cap bounds none of these, so they are measured here.
//
// Inline content never spans a blank line, so the per-paragraph costs are counted per block of
// non-blank lines, and their squares summed: that is the work the quadratic paths do, whatever
// the number of blocks. Fenced code opened at the start of a line is skipped (its text is never
// parsed as markdown), unless the file has an HTML block that a fence line could belong to.

export interface MarkdownLimits {
  /** Lists and block quotes nested in one another (indentation counts a level per two columns). */
  nesting: number;
  /** Longest run of emphasis delimiters (`*`, `_`, `~`), e.g. `******`. */
  delimiterRun: number;
  /** Σ over blocks of (brackets in the block)². */
  bracketWork: number;
  /** Σ over blocks of (emphasis delimiters in the block)². */
  delimiterWork: number;
}

/** Ten times or more what the srerun corpus (1,004 runbooks) needs; at each limit the parser takes well under a second. */
export const MARKDOWN_LIMITS: MarkdownLimits = {
  nesting: 64,
  delimiterRun: 64,
  bracketWork: 1_000_000,
  delimiterWork: 1_000_000,
};

export interface ComplexityProblem {
  /** Offset in the scanned text where the limit was crossed. */
  offset: number;
  message: string;
  ruleId: 'markdown-too-deep' | 'markdown-too-complex';
}

export interface MarkdownComplexity {
  nesting: number;
  delimiterRun: number;
  bracketWork: number;
  delimiterWork: number;
}

const SPACE = 32;
const TAB = 9;
const CARRIAGE_RETURN = 13;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isBlankOrEnd(text: string, index: number, end: number): boolean {
  if (index >= end) return true;
  const code = text.charCodeAt(index);
  return code === SPACE || code === TAB || code === CARRIAGE_RETURN;
}

/** HTML block starts (CommonMark kinds 1–5) that a blank line does not end. */
const LONG_HTML_BLOCK = /^ {0,3}<(?:!--|\?|![A-Za-z]|!\[CDATA\[|(?:script|pre|style|textarea)(?:[\s>]|$))/im;

/**
 * Measure `text` against `limits`; stops at the first limit crossed and returns where, or
 * undefined when the text is within every limit. One pass, constant work per character.
 */
export function checkMarkdownComplexity(text: string, limits: MarkdownLimits = MARKDOWN_LIMITS): ComplexityProblem | undefined {
  let problem: ComplexityProblem | undefined;
  scan(text, limits, (found) => {
    problem = found;
  });
  return problem;
}

function scan(text: string, limits: MarkdownLimits, report: (problem: ComplexityProblem) => void): MarkdownComplexity {
  const measured: MarkdownComplexity = { nesting: 0, delimiterRun: 0, bracketWork: 0, delimiterWork: 0 };
  const skipFences = !LONG_HTML_BLOCK.test(text);
  let fence: { char: number; length: number } | undefined;
  let blockBrackets = 0;
  let blockDelimiters = 0;
  let bracketWork = 0;
  let delimiterWork = 0;
  const over = (offset: number, message: string, ruleId: ComplexityProblem['ruleId']): boolean => {
    report({ offset, message, ruleId });
    return true;
  };
  const endBlock = (): void => {
    bracketWork += blockBrackets * blockBrackets;
    delimiterWork += blockDelimiters * blockDelimiters;
    blockBrackets = 0;
    blockDelimiters = 0;
  };

  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;

    // Leading indentation and container markers.
    let index = lineStart;
    let indent = -1;
    let markers = 0;
    for (;;) {
      let columns = 0;
      while (index < lineEnd) {
        const code = text.charCodeAt(index);
        if (code === SPACE) columns += 1;
        else if (code === TAB) columns += 4;
        else if (code !== CARRIAGE_RETURN) break;
        index++;
      }
      if (indent === -1) indent = columns;
      if (index >= lineEnd) break;
      const code = text.charCodeAt(index);
      if (code === 62 /* > */) {
        index++;
      } else if ((code === 45 /* - */ || code === 43 /* + */ || code === 42 /* * */) && isBlankOrEnd(text, index + 1, lineEnd)) {
        index++;
      } else if (isDigit(code)) {
        let digitsEnd = index;
        while (digitsEnd < lineEnd && digitsEnd - index < 9 && isDigit(text.charCodeAt(digitsEnd))) digitsEnd++;
        const after = text.charCodeAt(digitsEnd);
        if (!((after === 46 /* . */ || after === 41 /* ) */) && isBlankOrEnd(text, digitsEnd + 1, lineEnd))) break;
        index = digitsEnd + 1;
      } else {
        break;
      }
      markers++;
      // Stop early: `>` repeated 100,000 times is refused at the limit, not after reading it all.
      if (markers + Math.floor(indent / 2) > limits.nesting) break;
    }
    const blank = markers === 0 && index >= lineEnd;

    // Fenced code opened at the start of a line, with no container: only a closing fence ends it.
    if (skipFences) {
      const first = text.charCodeAt(index);
      if (fence) {
        if (markers === 0 && indent <= 3 && first === fence.char) {
          let run = 0;
          while (text.charCodeAt(index + run) === fence.char) run++;
          if (run >= fence.length) fence = undefined;
        }
        lineStart = lineEnd + 1;
        continue;
      }
      if (markers === 0 && indent === 0 && (first === 96 /* ` */ || first === 126 /* ~ */)) {
        let run = 0;
        while (text.charCodeAt(index + run) === first) run++;
        if (run >= 3 && !(first === 96 && text.slice(index + run, lineEnd).includes('`'))) {
          endBlock();
          fence = { char: first, length: run };
          lineStart = lineEnd + 1;
          continue;
        }
      }
    }

    const nesting = markers + Math.floor(indent / 2);
    if (nesting > measured.nesting) measured.nesting = nesting;
    if (nesting > limits.nesting) {
      over(
        index,
        `Unexpected lists or quotes nested ${nesting} or more levels deep, expected at most ${limits.nesting}: flatten the nesting, or put the text in a code block`,
        'markdown-too-deep',
      );
      return measured;
    }

    if (blank) {
      endBlock();
    } else {
      // Brackets and emphasis delimiters in the rest of the line.
      let run = 0;
      for (let at = index; at < lineEnd; at++) {
        const code = text.charCodeAt(at);
        if (code === 42 /* * */ || code === 95 /* _ */ || code === 126 /* ~ */) {
          run++;
          blockDelimiters++;
          if (run > measured.delimiterRun) measured.delimiterRun = run;
          if (run > limits.delimiterRun) {
            over(
              at,
              `Unexpected run of more than ${limits.delimiterRun} emphasis characters (\`*\`, \`_\`, \`~\`), expected a few: escape them with \`\\\`, or put the text in a code span`,
              'markdown-too-complex',
            );
            return measured;
          }
          continue;
        }
        run = 0;
        if (code === 91 /* [ */ || code === 93 /* ] */) {
          blockBrackets++;
          if (bracketWork + blockBrackets * blockBrackets > limits.bracketWork) {
            over(
              at,
              `Unexpected paragraph with ${blockBrackets} brackets, expected far fewer (they make the markdown parser slow): separate the paragraphs with blank lines, escape the brackets with \`\\\`, or put the text in a code block`,
              'markdown-too-complex',
            );
            return measured;
          }
        } else if (code === 92 /* \ */) {
          at++; // an escaped character is text
        }
      }
      if (delimiterWork + blockDelimiters * blockDelimiters > limits.delimiterWork) {
        over(
          lineStart,
          `Unexpected paragraph with ${blockDelimiters} emphasis characters (\`*\`, \`_\`, \`~\`), expected far fewer (they make the markdown parser slow): separate the paragraphs with blank lines, escape them with \`\\\`, or put the text in a code block`,
          'markdown-too-complex',
        );
        return measured;
      }
    }
    lineStart = lineEnd + 1;
  }
  endBlock();
  measured.bracketWork = bracketWork;
  measured.delimiterWork = delimiterWork;
  return measured;
}
