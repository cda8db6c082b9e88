// CLI core: find the command, parse its flags, run it, return the exit status. `bin/` only sets
// process.exitCode. Exit 0 clean, 1 content errors, 2 usage/config/internal errors.
// Command modules are imported lazily so that `--version` and `--help` start fast.
import { parseArgs } from 'node:util';
import { RunbookSiteError, isRunbookSiteError } from '../errors.js';
import { closest } from '../edit-distance.js';
import { COMMANDS, COMMAND_SUMMARIES, type Command, type ParsedArgs } from './commands.js';
import { toolVersion, type CliIO } from './io.js';

export type { CliIO, OutputFormat } from './io.js';
export { toolVersion } from './io.js';

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMAND_SUMMARIES).map((name) => name.length));
  const commands = Object.entries(COMMAND_SUMMARIES)
    .map(([name, summary]) => `  runbook-site ${name.padEnd(width)} [options]   ${summary}`)
    .join('\n');
  return `runbook-site — static site for Prometheus alert runbooks

Usage:
${commands}

Run \`runbook-site <command> --help\` for a command's options.
  -h, --help         this help
  -v, --version      print the version

Exit status: 0 no errors, 1 content errors (or warnings with --strict), 2 usage, config or internal error.
`;
}

/** "did you mean" for a mistyped name: the closest candidate within a third of its length. */
function suggestion(word: string, candidates: Iterable<string>): string | undefined {
  const best = closest(word, candidates);
  return best && best.distance <= Math.max(2, Math.ceil(word.length / 3)) ? best.candidate : undefined;
}

function parseCommandArgs(name: string, command: Command, argv: string[]): ParsedArgs | 'help' {
  const options = { ...command.options, help: { type: 'boolean', short: 'h' } } as const;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = (error as Error).message;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = /'([^']+)'/.exec(message)?.[1] ?? message;
      const near = suggestion(flag.replace(/^-+/, '').split('=')[0], Object.keys(options));
      throw new RunbookSiteError('UnknownFlag', { flag, command: name, ...(near ? { suggestion: `--${near}` } : {}) });
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const flag = /'(--?[^' ]+)/.exec(message)?.[1] ?? 'option';
      throw new RunbookSiteError('InvalidFlag', { flag, reason: 'it needs a value' });
    }
    throw new RunbookSiteError('InvalidFlag', { flag: 'arguments', reason: message });
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (!command.positionals && positionals.length > 0) throw new RunbookSiteError('UnexpectedArgument', { argument: positionals[0] });
  return { values: values as ParsedArgs['values'], positionals };
}

/** Aborted by Ctrl-C or SIGTERM, for commands that run until stopped; a second Ctrl-C ends the process. */
function processStopSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
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
    signal: io.signal,
  };
  try {
    const at = argv.findIndex((arg) => !arg.startsWith('-'));
    if (at === -1) {
      if (argv.includes('--version') || argv.includes('-v')) {
        fullIO.stdout.write(`${toolVersion()}\n`);
        return 0;
      }
      const unknown = argv.find((arg) => arg !== '--help' && arg !== '-h');
      if (unknown) throw new RunbookSiteError('UnknownFlag', { flag: unknown, command: '' });
      fullIO.stdout.write(mainHelp());
      return 0;
    }
    const name = argv[at];
    const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!load) {
      const near = suggestion(name, Object.keys(COMMANDS));
      throw new RunbookSiteError('UnknownCommand', { command: name, commands: Object.keys(COMMANDS).map((c) => `\`${c}\``).join(', '), ...(near ? { suggestion: near } : {}) });
    }
    const command = await load();
    const args = parseCommandArgs(name, command, [...argv.slice(0, at), ...argv.slice(at + 1)]);
    if (args === 'help') {
      fullIO.stdout.write(command.help);
      return 0;
    }
    if (!command.longRunning || fullIO.signal) return await command.run(args, fullIO);
    const stop = processStopSignal();
    try {
      return await command.run(args, { ...fullIO, signal: stop.signal });
    } finally {
      stop.dispose();
    }
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
