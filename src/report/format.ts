// Diagnostics reporters: human (ESLint-like, code frames, colour on a TTY), GitHub Actions
// workflow commands, and a stable JSON object.
import { coveragePercent } from './percent.js';
import path from 'node:path';
import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import { severityOf, type Severity } from '../diagnostics.js';
import type { Coverage } from '../link/site.js';

export interface Diagnostic {
  /** Path relative to the working directory, posix separators. */
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity: Severity;
  ruleId: string;
  message: string;
}

export interface Report {
  diagnostics: Diagnostic[];
  coverage: Coverage;
  runbooks: number;
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, note: 2 };

/** How a file is named in diagnostics: relative to the working directory, posix separators. */
export function displayPath(file: VFile, cwd: string): string {
  return path.relative(cwd, file.path).split(path.sep).join('/') || file.path;
}

/** Flatten VFile messages into sorted, plain diagnostics. */
export function collectDiagnostics(files: VFile[], cwd: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const file of files) {
    const display = displayPath(file, cwd);
    for (const message of file.messages as VFileMessage[]) {
      out.push({
        file: display,
        line: message.line ?? 1,
        column: message.column ?? 1,
        endLine: message.place && 'end' in message.place ? message.place.end.line : undefined,
        endColumn: message.place && 'end' in message.place ? message.place.end.column : undefined,
        severity: severityOf(message),
        ruleId: message.ruleId ?? 'runbook-site',
        message: message.reason,
      });
    }
  }
  return out.sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || ORDER[a.severity] - ORDER[b.severity] || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

export function countBySeverity(diagnostics: Diagnostic[]): Record<Severity, number> {
  const counts = { error: 0, warning: 0, note: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}

/** `1 file`, `2 files`: a count with its noun. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function codeFrame(lines: string[], line: number, column: number, colour: (code: string, text: string) => string): string {
  const first = Math.max(1, line - 1);
  const last = Math.min(lines.length, line + 1);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const marker = n === line ? colour('31', '>') : ' ';
    const text = (lines[n - 1] ?? '').replace(/\t/g, '  ');
    out.push(`  ${marker} ${String(n).padStart(width)} | ${text.length > 160 ? text.slice(0, 157) + '...' : text}`);
    if (n === line) out.push(`    ${' '.repeat(width)} | ${' '.repeat(Math.max(0, column - 1))}${colour('31', '^')}`);
  }
  return out.join('\n');
}

export function formatHuman(report: Report, options: { colour: boolean; quiet: boolean; verbose: boolean; sources: Map<string, string> }): string {
  const colour = (code: string, text: string) => (options.colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const label: Record<Severity, string> = { error: colour('31', 'error'), warning: colour('33', 'warning'), note: colour('36', 'note') };
  const lines: string[] = [];
  const counts = countBySeverity(report.diagnostics);
  // Split each source once: a file with thousands of errors must not be split thousands of times.
  const split = new Map<string, string[] | undefined>();
  const linesOf = (file: string): string[] | undefined => {
    if (!split.has(file)) split.set(file, options.sources.get(file)?.split(/\r?\n/));
    return split.get(file);
  };
  for (const d of report.diagnostics) {
    if (options.quiet && d.severity !== 'error') continue;
    if (d.severity === 'note' && !options.verbose) continue;
    lines.push(`${colour('4', `${d.file}:${d.line}:${d.column}`)}  ${label[d.severity]}  ${d.message}  ${colour('2', `[${d.ruleId}]`)}`);
    if (d.severity === 'error') {
      const fileLines = linesOf(d.file);
      if (fileLines) lines.push(codeFrame(fileLines, d.line, d.column, colour));
    }
  }
  const { coverage } = report;
  const percent = coveragePercent(coverage.withRunbook, coverage.alerts);
  if (counts.note > 0 && !options.verbose && !options.quiet) lines.push(`(${plural(counts.note, 'note')} not shown: run with --verbose to list them)`);
  if (lines.length > 0) lines.push('');
  lines.push(
    `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.note, 'note')} · ` +
      `${plural(coverage.alerts, 'alert')}, ${plural(report.runbooks, 'runbook')}, ` +
      (coverage.alerts === 0
        ? 'no alert rules to check them against'
        : `coverage ${percent}% (${coverage.withRunbook}/${coverage.alerts} alerts have a runbook, ${plural(coverage.orphanRunbooks.length, 'orphan runbook')})`),
  );
  return lines.join('\n') + '\n';
}

/** GitHub Actions workflow-command escaping (data and property values differ). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(report: Report, options: { verbose: boolean }): string {
  const command: Record<Severity, string> = { error: 'error', warning: 'warning', note: 'notice' };
  const shown = options.verbose ? report.diagnostics : report.diagnostics.filter((d) => d.severity !== 'note');
  const lines = shown.map((d) => {
    const props = [`file=${escapeProperty(d.file)}`, `line=${d.line}`, `col=${d.column}`];
    if (d.endLine !== undefined) props.push(`endLine=${d.endLine}`);
    if (d.endColumn !== undefined && d.endLine === d.line) props.push(`endColumn=${d.endColumn}`);
    props.push(`title=${escapeProperty(`runbook-site ${d.ruleId}`)}`);
    return `::${command[d.severity]} ${props.join(',')}::${escapeData(d.message)}`;
  });
  const counts = countBySeverity(report.diagnostics);
  lines.push(`runbook-site: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.note, 'note')}; ${report.coverage.withRunbook}/${report.coverage.alerts} alerts have a runbook`);
  return lines.join('\n') + '\n';
}

/** The documented JSON shape: { diagnostics: [...], coverage: {...} }. */
export function formatJson(report: Report): string {
  return (
    JSON.stringify(
      {
        diagnostics: report.diagnostics.map(({ file, line, column, severity, ruleId, message }) => ({ file, line, column, severity, ruleId, message })),
        coverage: report.coverage,
      },
      null,
      2,
    ) + '\n'
  );
}
