// The options `build` and `check` share (and that `serve` reuses): folders, config, output format.
import { RunbookSiteError } from '../errors.js';
import type { OptionSpec, ParsedArgs } from './commands.js';
import type { OutputFormat } from './io.js';

export interface SiteCommandOptions {
  command: 'build' | 'check';
  config?: string;
  rules?: string;
  runbooks?: string;
  content?: string;
  out?: string;
  templates?: string;
  intro?: string;
  baseURL?: string;
  title?: string;
  cacheDir?: string;
  cache: boolean;
  check: boolean;
  strict: boolean;
  format: OutputFormat;
  quiet: boolean;
  verbose: boolean;
}

export const SITE_OPTIONS = {
  config: { type: 'string' },
  rules: { type: 'string' },
  runbooks: { type: 'string' },
  content: { type: 'string' },
  templates: { type: 'string' },
  intro: { type: 'string' },
  'base-url': { type: 'string' },
  title: { type: 'string' },
  format: { type: 'string' },
  strict: { type: 'boolean' },
  'cache-dir': { type: 'string' },
  'no-cache': { type: 'boolean' },
  quiet: { type: 'boolean' },
  verbose: { type: 'boolean' },
} as const satisfies OptionSpec;

export const SITE_OPTIONS_HELP = `  --rules DIR        rule files folder (default: rules)
  --runbooks DIR     runbooks folder (default: runbooks)
  --content DIR      a Hugo content folder: every section is built at Hugo's URLs
                     (default: content/ in a Hugo project)
  --templates DIR    templates overriding the default theme by file name
  --intro FILE       markdown shown on the home page (default: the runbooks' _index.md)
  --base-url URL     site URL, e.g. https://org.github.io/repo/ (its path prefixes every link)
  --title TEXT       site title
  --config FILE      config file (default: runbook-site.yaml if present)
  --format FORMAT    diagnostics as human (default), github or json
  --strict           warnings fail too (exit 1)
  --cache-dir DIR    render cache (default: .cache/runbook-site)
  --no-cache         neither read nor write the render cache
  --quiet            print errors only
  --verbose          print notes too (orphan runbooks…) and where the time went`;

function outputFormat(value: unknown): OutputFormat {
  const format = (value as string | undefined) ?? 'human';
  if (format !== 'human' && format !== 'github' && format !== 'json') {
    throw new RunbookSiteError('InvalidFlag', { flag: '--format', reason: `\`${format}\` is not a format`, hint: 'Use `human`, `github` or `json`.' });
  }
  return format;
}

/** The parsed flags of `build` or `check` as options for the site pipeline. */
export function siteCommandOptions(command: 'build' | 'check', { values }: ParsedArgs): SiteCommandOptions {
  const text = (key: string) => values[key] as string | undefined;
  return {
    command,
    config: text('config'),
    rules: text('rules'),
    runbooks: text('runbooks'),
    content: text('content'),
    out: text('out'),
    templates: text('templates'),
    intro: text('intro'),
    baseURL: text('base-url'),
    title: text('title'),
    cacheDir: text('cache-dir'),
    cache: !values['no-cache'],
    check: !values['no-check'],
    strict: Boolean(values.strict),
    format: outputFormat(values.format),
    quiet: Boolean(values.quiet),
    verbose: Boolean(values.verbose),
  };
}
