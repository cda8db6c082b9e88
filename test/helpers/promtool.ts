// promtool, Prometheus' own rule checker, when it is installed: the peer our verdicts are compared with.
import { execFileSync } from 'node:child_process';

/** promtool's version (e.g. `2.42.0`), or undefined when it is not on PATH. */
export function promtoolVersion(): string | undefined {
  try {
    const out = execFileSync('promtool', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return /version (\d+\.\d+\.\d+)/.exec(out)?.[1];
  } catch {
    return undefined;
  }
}
