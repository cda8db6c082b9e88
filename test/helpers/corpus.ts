import { existsSync } from 'node:fs';
import path from 'node:path';

/** The srerun corpus, read-only, next to the project (as CI lays it out). */
export const SRERUN = path.resolve(import.meta.dirname, '../../../../shared/corpora/srerun');
export const SRERUN_BASE_URL = 'https://srerun.github.io/prometheus-alerts/';

export function srerunAvailable(): boolean {
  const found = existsSync(path.join(SRERUN, 'rules')) && existsSync(path.join(SRERUN, 'content/runbooks'));
  if (!found) console.log(`SKIPPED: the srerun corpus was not found at ${SRERUN}`);
  return found;
}
