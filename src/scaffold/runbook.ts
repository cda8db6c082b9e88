// The runbook scaffold: a new runbook for an alert, filled with what its rule already says.
// The template is a plain markdown file with `{name}` placeholders, filled in one pass: values
// are inserted as text and never scanned again, so rule text (Go templates included) is only data.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { LoadedRule } from '../model.js';
import { hugoSlug } from '../link/urls.js';

/** Where a site's templates folder can replace the default scaffold. */
export const SCAFFOLD_TEMPLATE = 'scaffold/runbook.md';

/** The scaffold template: `<templates>/scaffold/runbook.md` of the site when it has one, else the default theme's. */
export async function loadScaffoldTemplate(defaultTemplatesDir: string, siteTemplatesDir: string | undefined): Promise<string> {
  if (siteTemplatesDir) {
    try {
      return await readFile(path.join(siteTemplatesDir, SCAFFOLD_TEMPLATE), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
    }
  }
  return readFile(path.join(defaultTemplatesDir, SCAFFOLD_TEMPLATE), 'utf8');
}

/** A fenced code block that no backtick run inside `code` can close early. */
function fenced(code: string, language: string): string {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${code.replace(/\n+$/, '')}\n${fence}`;
}

/** A shortcode argument in double quotes (Hugo's interpreted string: `\"` and `\\` escaped). */
function quoted(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function isZeroDuration(value: string | undefined): boolean {
  return !value || /^0+[a-z]*$/i.test(value.trim());
}

/** The placeholder values for an alert's definitions (the first one speaks for the text; each rule file gets its `rule` shortcode). */
export function scaffoldValues(definitions: LoadedRule[]): Record<string, string> {
  if (definitions.length === 0) throw new Error('scaffoldValues needs at least one definition');
  const first = definitions[0];
  const summary = (first.annotations.summary ?? '').trim();
  const description = (first.annotations.description ?? first.annotations.message ?? '').trim();
  const frontMatter: Record<string, string> = { title: first.name, alert: first.name };
  if (summary) frontMatter.description = summary;
  const files = [...new Set(definitions.map((rule) => rule.file))];
  return {
    front_matter: `---\n${stringify(frontMatter, { lineWidth: 0 })}---`,
    alert: first.name,
    slug: hugoSlug(first.name),
    rule: files.map((file) => `{{% rule ${quoted(file)} ${quoted(first.name)} %}}`).join('\n'),
    summary,
    description: description === summary ? '' : description,
    meaning: summary || `The alert \`${first.name}\` is firing.`,
    severity: first.labels.severity || 'none',
    for: first.for ?? '0s',
    firing: isZeroDuration(first.for) ? 'as soon as this expression returns a result' : `when this expression has returned results for ${first.for}`,
    expr: first.expr,
    expr_block: fenced(first.expr, 'promql'),
    file: first.file,
    group: first.group,
  };
}

/**
 * Fills `{name}` placeholders of the template; unknown names stay as written. A line that is only
 * a placeholder whose value is empty is dropped, with the blank line after it.
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  const lines = template.replace(/\r\n/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const only = /^\s*\{([a-z_]+)\}\s*$/.exec(lines[i]);
    if (only && Object.hasOwn(values, only[1]) && values[only[1]] === '') {
      if (lines[i + 1]?.trim() === '') i++;
      continue;
    }
    kept.push(lines[i].replace(/\{([a-z_]+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? values[name] : whole)));
  }
  return kept.join('\n').replace(/\n*$/, '\n');
}

/** The new runbook's text for an alert. */
export function scaffoldRunbook(template: string, definitions: LoadedRule[]): string {
  return fillTemplate(template, scaffoldValues(definitions));
}
