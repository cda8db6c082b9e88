// Entry of `build` and `check`: checks the folders, replays the last result when nothing changed
// (see cache/build-record.ts), else runs the pipeline (pipeline/full-build.ts), loaded only then.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResolvedConfig } from './config/load.js';
import { RunbookSiteError } from './errors.js';
import { assertSafeOutput, cleanStaleOutputs } from './write/output.js';
import { buildInputsKey, readBuildRecord } from './cache/build-record.js';
import { countBySeverity, type Diagnostic } from './report/format.js';
import type { Coverage } from './link/alerts.js';
import type { Listings } from './load/files.js';

export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export interface BuildOptions {
  config: ResolvedConfig;
  version: string;
  /** Write the site (build) or only check (check). */
  write: boolean;
  /** Fail on content errors before writing (build without --no-check). */
  failOnErrors: boolean;
  /** Warnings fail too (--strict): with failOnErrors, a warning also keeps the output as it was. */
  strict?: boolean;
  cache: boolean;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface BuildResult {
  /** Every problem found, sorted, with paths relative to the command's working directory. */
  diagnostics: Diagnostic[];
  /** Source text of the input files (for code frames), by the same relative path; may be partial. */
  sources: Map<string, string>;
  coverage: Coverage;
  runbookCount: number;
  pageCount: number;
  errors: number;
  warnings: number;
  pagesWritten: number;
  pagesUnchanged: number;
  cacheHits: number;
  rendered: number;
  wrote: boolean;
  /** True when nothing changed since the last run and its result was replayed. */
  replayed: boolean;
  /** The previous output, retired by the swap, when it could not be removed. */
  leftover?: string;
}

async function assertFolder(dir: string, what: string, cwd: string): Promise<void> {
  let isFile = false;
  try {
    const info = await stat(dir);
    if (info.isDirectory()) return;
    isFile = true;
  } catch {
    // reported below
  }
  const shown = path.relative(cwd, dir) || dir;
  if (isFile) throw new RunbookSiteError('InvalidFlag', { flag: `--${what}`, reason: `\`${shown}\` is a file, expected a folder`, hint: `Point \`--${what}\` at the folder that holds the ${what}.` });
  throw new RunbookSiteError('FolderNotFound', { what, path: shown });
}

/** The input folders exist (a content folder without rules is a site without rules). Shared with `serve`. */
export async function assertInputFolders(config: ResolvedConfig): Promise<void> {
  if (!config.rulesMissing) await assertFolder(config.rulesDir, 'rules', config.cwd);
  await assertFolder(config.runbooksDir, config.contentDir ? 'content' : 'runbooks', config.cwd);
  if (config.templatesDir) await assertFolder(config.templatesDir, 'templates', config.cwd);
}

export async function buildSite(options: BuildOptions): Promise<BuildResult> {
  const { config } = options;
  await assertInputFolders(config);
  if (options.write) {
    await assertSafeOutput(config.outDir, {
      root: config.root,
      cwd: config.cwd,
      inputs: [config.rulesDir, config.runbooksDir, ...(config.templatesDir ? [config.templatesDir] : []), ...(config.staticDir ? [config.staticDir] : [])],
      inputFiles: [config.introFile, config.configFile].filter((file): file is string => file !== undefined),
      cacheDir: options.cache ? config.cacheDirAbs : undefined,
    });
    // Whatever a killed build left next to the output goes now, even if this run is replayed.
    cleanStaleOutputs(config.outDir);
  }

  // Nothing changed since the last run and the output is as it left it: replay its result.
  const mode = options.write ? 'build' : 'check';
  const listings: Listings = new Map();
  const recordKey = options.cache
    ? await buildInputsKey({ config, mode, failOnErrors: options.failOnErrors, strict: Boolean(options.strict), version: options.version, templatesDir: DEFAULT_TEMPLATES_DIR, listings })
    : undefined;
  const record = recordKey ? await readBuildRecord(config, mode, recordKey) : undefined;
  if (record) {
    // Counts come from the replayed diagnostics themselves, so the exit status always matches what is printed.
    const { error: errors, warning: warnings } = countBySeverity(record.diagnostics);
    return {
      ...record,
      errors,
      warnings,
      sources: new Map(),
      pagesWritten: 0,
      pagesUnchanged: record.output?.length ?? 0,
      cacheHits: record.pageCount,
      rendered: 0,
      wrote: options.write,
      replayed: true,
    };
  }
  const { runPipeline } = await import('./pipeline/full-build.js');
  return runPipeline(options, recordKey, listings);
}
