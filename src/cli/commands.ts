// The command registry: one module per command, loaded only when that command runs.
// Each module exports a `Command`: its options (node:util parseArgs form), its help and its run().
import type { ParseArgsConfig } from 'node:util';
import type { CliIO } from './io.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export interface Command {
  /** `runbook-site <command> --help`. */
  help: string;
  options: OptionSpec;
  /** Whether the command takes positional arguments (e.g. `new AlertName…`). */
  positionals?: boolean;
  /** Runs until stopped (`serve`): run() gives it a signal that Ctrl-C and SIGTERM abort. */
  longRunning?: boolean;
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}

export const COMMANDS: Record<string, () => Promise<Command>> = {
  build: async () => (await import('./build.js')).default,
  check: async () => (await import('./check.js')).default,
  serve: async () => (await import('./serve.js')).default,
  new: async () => (await import('./new.js')).default,
  annotate: async () => (await import('./annotate.js')).default,
  init: async () => (await import('./init.js')).default,
};

/** Summaries for the top-level help, without loading every command module. */
export const COMMAND_SUMMARIES: Record<string, string> = {
  build: 'check, then write the site',
  check: 'validate rules and runbooks, report coverage; writes nothing',
  serve: 'preview the site: build, serve, rebuild and reload on every save',
  new: 'write a runbook for each named alert (or every alert without one) from what its rule says',
  annotate: 'set or repair the runbook_url annotation of every alerting rule',
  init: 'set up a repository: runbook-site.yaml, a GitHub Pages workflow, .gitignore',
};
