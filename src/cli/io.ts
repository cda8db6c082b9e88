// What a command reads and writes besides files: streams, working directory, environment.
import { readFileSync } from 'node:fs';

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborted when the process is asked to stop (Ctrl-C); long-running commands such as `serve` end on it. */
  signal?: AbortSignal;
}

export type OutputFormat = 'human' | 'github' | 'json';

export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
