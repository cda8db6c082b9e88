// Runs the real CLI core in-process and captures what it prints.
import { Writable } from 'node:stream';
import { run } from '../../src/cli/run.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

export async function runCli(argv: string[], cwd: string = process.cwd(), env: NodeJS.ProcessEnv = { ...process.env, CI: 'true' }): Promise<CliResult> {
  const out = sink();
  const err = sink();
  const code = await run(argv, { stdout: out.stream, stderr: err.stream, cwd, env });
  return { code, stdout: out.text(), stderr: err.text() };
}
