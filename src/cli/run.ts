// CLI core: parse argv, run a command, return the exit status. `bin/` only sets process.exitCode.
// Exit 0 clean, 1 content errors, 2 usage/config/internal errors.
// Heavy modules are imported lazily so that `--version` and `--help` start fast.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { RunbookSiteError, isRunbookSiteError } from '../errors.js';

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export type OutputFormat = 'human' | 'github' | 'json';

export interface CommandOptions {
  command: 'build' | 'check';
  config?: string;
  rules?: string;
  runbooks?: string;
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

export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const HELP = `runbook-site — static site for Prometheus alert runbooks

Usage:
  runbook-site build [options]   check, then write the site
  runbook-site check [options]   validate rules and runbooks, report coverage; writes nothing

Options:
  --rules DIR        rule files folder (default: rules)
  --runbooks DIR     runbooks folder (default: runbooks)
  --out DIR          output folder (build; default: dist)
  --templates DIR    templates overriding the default theme by file name
  --intro FILE       markdown shown on the home page (default: the runbooks' _index.md)
  --base-url URL     site URL, e.g. https://org.github.io/repo/ (its path prefixes every link)
  --title TEXT       site title
  --config FILE      config file (default: runbook-site.yaml if present)
  --format FORMAT    diagnostics as human (default), github or json
  --strict           warnings fail too (exit 1)
  --no-check         build even when there are content errors
  --cache-dir DIR    render cache (default: .cache/runbook-site)
  --no-cache         neither read nor write the render cache
  --quiet            print errors only
  --verbose          print notes too (orphan runbooks…)
  -h, --help         this help
  -v, --version      print the version

Exit status: 0 no errors, 1 content errors (or warnings with --strict), 2 usage, config or internal error.
`;

const OPTIONS = {
  config: { type: 'string' },
  rules: { type: 'string' },
  runbooks: { type: 'string' },
  out: { type: 'string' },
  templates: { type: 'string' },
  intro: { type: 'string' },
  'base-url': { type: 'string' },
  title: { type: 'string' },
  format: { type: 'string' },
  strict: { type: 'boolean' },
  'no-check': { type: 'boolean' },
  'cache-dir': { type: 'string' },
  'no-cache': { type: 'boolean' },
  quiet: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

function parse(argv: string[]): CommandOptions | 'help' | 'version' {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = (error as Error).message;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = /'([^']+)'/.exec(message)?.[1] ?? message;
      throw new RunbookSiteError('UnknownFlag', { flag, command: argv.find((a) => !a.startsWith('-')) ?? '' });
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const flag = /'(--?[^' ]+)/.exec(message)?.[1] ?? 'option';
      throw new RunbookSiteError('InvalidFlag', { flag, reason: 'it needs a value' });
    }
    throw new RunbookSiteError('InvalidFlag', { flag: 'arguments', reason: message });
  }
  const { values, positionals } = parsed;
  if (values.version) return 'version';
  if (values.help || positionals.length === 0) return 'help';
  const [command, ...rest] = positionals;
  if (command !== 'build' && command !== 'check') throw new RunbookSiteError('UnknownCommand', { command });
  if (rest.length > 0) throw new RunbookSiteError('UnexpectedArgument', { argument: rest[0] });
  const format = values.format ?? 'human';
  if (format !== 'human' && format !== 'github' && format !== 'json') {
    throw new RunbookSiteError('InvalidFlag', { flag: '--format', reason: `\`${format}\` is not a format`, hint: 'Use `human`, `github` or `json`.' });
  }
  if (command === 'check' && (values.out !== undefined || values['no-check'])) {
    throw new RunbookSiteError('InvalidFlag', { flag: values.out !== undefined ? '--out' : '--no-check', reason: '`check` writes nothing', hint: 'Use it with `build`.' });
  }
  return {
    command,
    config: values.config,
    rules: values.rules,
    runbooks: values.runbooks,
    out: values.out,
    templates: values.templates,
    intro: values.intro,
    baseURL: values['base-url'],
    title: values.title,
    cacheDir: values['cache-dir'],
    cache: !values['no-cache'],
    check: !values['no-check'],
    strict: Boolean(values.strict),
    format,
    quiet: Boolean(values.quiet),
    verbose: Boolean(values.verbose),
  };
}

function printError(io: CliIO, error: RunbookSiteError): void {
  io.stderr.write(`runbook-site: ${error.message}\n  hint: ${error.hint}\n`);
}

export async function run(argv: string[], io: Partial<CliIO> = {}): Promise<number> {
  const fullIO: CliIO = {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    cwd: io.cwd ?? process.cwd(),
    env: io.env ?? process.env,
  };
  try {
    const options = parse(argv);
    if (options === 'version') {
      fullIO.stdout.write(`${toolVersion()}\n`);
      return 0;
    }
    if (options === 'help') {
      fullIO.stdout.write(HELP);
      return 0;
    }
    const { runCommand } = await import('./command.js');
    return await runCommand(options, fullIO);
  } catch (error) {
    if (isRunbookSiteError(error)) {
      printError(fullIO, error);
      return error.exitCode;
    }
    const internal = new RunbookSiteError('Internal', { reason: (error as Error)?.message ?? String(error) });
    printError(fullIO, internal);
    if (fullIO.env.RUNBOOK_SITE_DEBUG) fullIO.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    return 2;
  }
}
