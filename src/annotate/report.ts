// What `annotate` prints, and its exit status.
import type { CliIO } from '../cli/io.js';
import type { AnnotationFinding } from './edit.js';
import type { FileOutcome } from './annotate.js';
import { plural } from '../report/format.js';

export interface ReportOptions {
  io: CliIO;
  annotation: string;
  check: boolean;
  force: boolean;
  format: 'human' | 'github';
  quiet: boolean;
  /** One line per alert changed, not only per file. */
  verbose: boolean;
}


function describe(finding: AnnotationFinding, annotation: string, check: boolean): string {
  const name = `\`${finding.alert}\``;
  switch (finding.status) {
    case 'missing':
      return check ? `Alert ${name} has no \`${annotation}\`, expected \`${finding.expected}\`` : `Alert ${name}: set \`${annotation}\` to \`${finding.expected}\``;
    case 'wrong':
      return check
        ? `Alert ${name} has \`${annotation}\` \`${finding.current}\`, expected \`${finding.expected}\``
        : `Alert ${name}: changed \`${annotation}\` from \`${finding.current}\` to \`${finding.expected}\``;
    case 'template':
      return `Alert ${name} has \`${annotation}\` \`${finding.current}\` (a Go template): left as written; pass --force to replace it with \`${finding.expected}\``;
    case 'unsupported':
      return `Alert ${name}: \`${annotation}\` cannot be set here: ${finding.reason}; expected \`${finding.expected}\``;
    default:
      return `Alert ${name} has the expected \`${annotation}\``;
  }
}

function githubEscape(text: string, property = false): string {
  const escaped = text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return property ? escaped.replace(/:/g, '%3A').replace(/,/g, '%2C') : escaped;
}

/** Prints the outcome; returns the exit status (1 when something is, or stays, wrong). */
export function printAnnotateReport(outcomes: FileOutcome[], options: ReportOptions): number {
  const { io, annotation, check } = options;
  const lines: string[] = [];
  const line = (file: string, at: { line: number; column: number }, severity: 'error' | 'warning' | 'note', message: string, ruleId: string) => {
    if (options.format === 'github') {
      const command = severity === 'note' ? 'notice' : severity;
      lines.push(`::${command} file=${githubEscape(file, true)},line=${at.line},col=${at.column},title=${githubEscape(ruleId, true)}::${githubEscape(message)}`);
    } else lines.push(`${file}:${at.line}:${at.column}  ${severity}  ${message}  [${ruleId}]`);
  };
  let failed = false;
  let fixed = 0;
  let fixedFiles = 0;
  let right = 0;
  let templates = 0;
  let alerts = 0;
  for (const outcome of outcomes) {
    for (const problem of outcome.syntaxErrors) {
      failed = true;
      const what = problem.ruleId ? problem.message : `YAML syntax error: ${problem.message}`;
      line(outcome.file, problem, 'error', `Could not read the rule file (${what}); left it untouched`, problem.ruleId ?? 'yaml-syntax');
    }
    if (outcome.problem) {
      failed = true;
      line(outcome.file, { line: 1, column: 1 }, 'error', `The rule file ${outcome.problem}`, 'annotate-failed');
    }
    let fixedHere = 0;
    for (const finding of outcome.findings) {
      alerts++;
      if (finding.status === 'ok') {
        right++;
        continue;
      }
      if (finding.status === 'template') {
        templates++;
        line(outcome.file, finding, 'warning', describe(finding, annotation, check), 'runbook-annotation-template');
        continue;
      }
      if (finding.status === 'unsupported') {
        failed = true;
        line(outcome.file, finding, 'error', describe(finding, annotation, check), 'runbook-annotation');
        continue;
      }
      if (check) {
        failed = true;
        line(outcome.file, finding, 'error', describe(finding, annotation, check), 'runbook-annotation');
      } else if (outcome.changed) {
        fixedHere++;
        if (options.verbose && !options.quiet) line(outcome.file, finding, 'note', describe(finding, annotation, check), 'runbook-annotation');
      }
    }
    if (fixedHere > 0) {
      fixed += fixedHere;
      fixedFiles++;
      if (!options.verbose && !options.quiet && options.format === 'human') lines.push(`${outcome.file}: set \`${annotation}\` on ${plural(fixedHere, 'alert')}`);
    }
  }
  if (lines.length > 0) io.stdout.write(lines.join('\n') + '\n');
  const toFix = outcomes.reduce((n, o) => n + (o.changed ? o.findings.filter((f) => f.status === 'missing' || f.status === 'wrong').length : 0), 0);
  const skipped = templates > 0 ? `; ${plural(templates, 'alert')} with a Go template left as written (--force replaces them)` : '';
  if (options.format === 'human' && (!options.quiet || failed)) {
    if (check) {
      const files = outcomes.filter((o) => o.changed).length;
      io.stderr.write(
        toFix > 0
          ? `${plural(toFix, 'alert')} in ${plural(files, 'file')} need${toFix === 1 ? 's' : ''} \`${annotation}\` set or fixed${skipped}. Run \`runbook-site annotate\` to fix them.\n`
          : `All ${plural(alerts, 'alert')} have the expected \`${annotation}\`${skipped}.\n`,
      );
    } else {
      io.stderr.write(
        fixed > 0
          ? `Set \`${annotation}\` on ${plural(fixed, 'alert')} in ${plural(fixedFiles, 'file')}; ${right} already had it${skipped}.\n`
          : `Nothing to change: all ${plural(right, 'alert')} already have the expected \`${annotation}\`${skipped}.\n`,
      );
    }
  }
  return failed ? 1 : 0;
}
