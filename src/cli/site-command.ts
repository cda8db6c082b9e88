// Runs `build` or `check` once the arguments are parsed; prints diagnostics and the summary.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type ResolvedConfig } from '../config/load.js';
import { buildSite } from '../build.js';
import { formatGithub, formatHuman, formatJson, plural, type Report } from '../report/format.js';
import { toolVersion, type CliIO } from './io.js';
import type { SiteCommandOptions } from './site-options.js';

function progressReporter(io: CliIO, enabled: boolean) {
  if (!enabled) return { update: () => undefined, clear: () => undefined };
  let last = 0;
  let shown = false;
  return {
    update(phase: string, done: number, total: number) {
      const now = Date.now();
      if (now - last < 100 && done !== total) return;
      last = now;
      shown = true;
      const figures = total > 0 ? ` ${done}/${total}` : '';
      io.stderr.write(`\r\u001b[2K${phase}${figures}`);
    },
    clear() {
      if (shown) io.stderr.write('\r\u001b[2K');
    },
  };
}

/** "1 error", "2 warnings", "1 error and 2 warnings": what fails the run. */
function problemCount(result: { errors: number; warnings: number }, strict: boolean): string {
  const parts: string[] = [];
  if (result.errors > 0) parts.push(`${result.errors} error${result.errors === 1 ? '' : 's'}`);
  if (strict && result.warnings > 0) parts.push(`${result.warnings} warning${result.warnings === 1 ? '' : 's'}`);
  return parts.join(' and ');
}

/** Which folders and configuration files a build used, for its summary line: nothing is picked up silently. */
export function sourcesPhrase(config: ResolvedConfig): string {
  const shown = (file: string) => path.relative(config.cwd, file) || '.';
  const folders = [shown(config.runbooksDir) + '/', config.rulesMissing ? 'no rules' : shown(config.rulesDir) + '/', ...(config.staticDir ? [shown(config.staticDir) + '/'] : [])];
  const files = [config.hugoConfigFile, config.configFile].filter((file): file is string => file !== undefined).map(shown);
  const list = folders.length > 1 ? `${folders.slice(0, -1).join(', ')} and ${folders.at(-1)}` : folders[0];
  return `from ${list} (${files.length > 0 ? `config: ${files.join(', ')}` : 'no config file'})`;
}

export async function runSiteCommand(options: SiteCommandOptions, io: CliIO): Promise<number> {
  const started = performance.now();
  const config = await loadConfig({
    cwd: io.cwd,
    configPath: options.config,
    overrides: {
      rules: options.rules,
      runbooks: options.runbooks,
      content: options.content,
      out: options.out,
      templates: options.templates,
      intro: options.intro,
      baseURL: options.baseURL,
      title: options.title,
      cacheDir: options.cacheDir,
    },
  });
  const interactive = Boolean(io.stderr.isTTY) && io.env.CI !== 'true' && options.format === 'human' && !options.quiet;
  const progress = progressReporter(io, interactive);
  // Where the time went, by phase (printed with --verbose): the start of each phase as first reported.
  const phaseStarts: [string, number][] = [];
  const onProgress = (phase: string, done: number, total: number) => {
    if (phaseStarts.at(-1)?.[0] !== phase) phaseStarts.push([phase, performance.now()]);
    progress.update(phase, done, total);
  };
  const result = await buildSite({
    config,
    version: toolVersion(),
    write: options.command === 'build',
    failOnErrors: options.check,
    strict: options.strict,
    cache: options.cache,
    onProgress,
  });
  progress.clear();

  const report: Report = { diagnostics: result.diagnostics, coverage: result.coverage, runbooks: result.runbookCount };
  if (options.format === 'json') {
    io.stdout.write(formatJson(report));
  } else if (options.format === 'github') {
    io.stdout.write(formatGithub(report, { verbose: options.verbose }));
  } else {
    const sources = result.sources;
    // A replayed result has no sources in memory: read the few files that need a code frame.
    for (const d of result.diagnostics) {
      if (d.severity !== 'error' || sources.has(d.file)) continue;
      try {
        sources.set(d.file, readFileSync(path.resolve(io.cwd, d.file), 'utf8'));
      } catch {
        // Gone since: no frame.
      }
    }
    const colour = Boolean(io.stdout.isTTY) && !io.env.NO_COLOR;
    io.stdout.write(formatHuman(report, { colour, quiet: options.quiet, verbose: options.verbose, sources }));
  }

  if (options.verbose && phaseStarts.length > 0) {
    const ended = performance.now();
    const spans = phaseStarts.map(([phase, at], i) => `${phase} ${(((phaseStarts[i + 1]?.[1] ?? ended) - at) / 1000).toFixed(2)}s`);
    io.stderr.write(`Phases: start ${((phaseStarts[0][1] - started) / 1000).toFixed(2)}s · ${spans.join(' · ')}\n`);
  }
  const failed = result.errors > 0 || (options.strict && result.warnings > 0);
  if (options.command === 'build' && options.format !== 'json') {
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const out = path.relative(io.cwd, config.outDir) || config.outDir;
    if (result.wrote) {
      io.stderr.write(
        result.replayed
          ? `Nothing changed: ${out} is up to date with its ${result.pageCount} pages ${sourcesPhrase(config)} (checked in ${seconds}s)\n`
          : `Built ${result.pageCount} pages ${sourcesPhrase(config)} into ${out} in ${seconds}s (${result.rendered - result.cacheHits} rendered, ${result.cacheHits} from cache; ${plural(result.pagesWritten, 'file')} written, ${result.pagesUnchanged} unchanged)\n`,
      );
      if (result.leftover) io.stderr.write(`Could not remove the previous output, moved to ${result.leftover}: the next build removes it.\n`);
      if (failed) io.stderr.write(`Built despite ${problemCount(result, options.strict)} (--no-check): the exit status is 1.\n`);
    } else if (result.errors === 0) {
      io.stderr.write(`Build stopped by --strict: ${problemCount(result, true)}; ${out} was left as it was. Fix them, or build without --strict.\n`);
    } else {
      io.stderr.write(`Build failed: ${result.errors} error${result.errors === 1 ? '' : 's'}; ${out} was left as it was. Fix them, or pass --no-check to build anyway.\n`);
    }
  }
  // With --no-check the site is written, yet errors (or warnings with --strict) still fail the run.
  return failed ? 1 : 0;
}
