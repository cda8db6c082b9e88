// Generates the 10× corpus from the srerun one: every rule file copied `copies` times into
// `rules/c<i>/…` with each alert renamed `<Name>C<i>` (and its `runbook:` annotation pointed at
// the copy's page), and every runbook copied into `runbooks/c<i>/…` with its file renamed the
// same way (so alerts still find their runbook by file name) and its `rule` shortcodes pointed
// at the renamed copies. 1,004 srerun runbooks × 10 = 10,040 runbooks.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name)))
    .sort();
}

const renamed = (name: string, copy: number) => `${name}C${copy}`;

export interface GeneratedCorpus {
  rules: string;
  runbooks: string;
  runbookCount: number;
  ruleFileCount: number;
}

/** A name Prometheus accepts for an alert: a runbook named so is that alert's page. */
const ALERT_NAME = /^[A-Za-z_:][A-Za-z0-9_:]*$/;

export async function generateCorpus(srerun: string, into: string, copies: number, baseURL: string): Promise<GeneratedCorpus> {
  const rulesIn = path.join(srerun, 'rules');
  const runbooksIn = path.join(srerun, 'content/runbooks');
  const rulesOut = path.join(into, 'rules');
  const runbooksOut = path.join(into, 'runbooks');
  const basePath = new URL(baseURL).pathname.replace(/\/?$/, '/');
  const ruleFiles = await filesUnder(rulesIn);
  const runbookFiles = (await filesUnder(runbooksIn)).filter((file) => file.endsWith('.md'));
  const ruleTexts = await Promise.all(ruleFiles.map((file) => readFile(path.join(rulesIn, file), 'utf8')));
  const runbookTexts = await Promise.all(runbookFiles.map((file) => readFile(path.join(runbooksIn, file), 'utf8')));
  const escapedBase = basePath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const pageUrl = new RegExp(`(${escapedBase}runbooks/)([^\\s"'()/]+)/([^/\\s"'()]+)/(?=[\\s)>"'\\]]|$)`, 'gm');
  let runbookCount = 0;
  for (let copy = 0; copy < copies; copy++) {
    const writes: Promise<void>[] = [];
    ruleFiles.forEach((file, i) => {
      const text = ruleTexts[i]
        .replace(/^(\s*(?:-\s+)?alert:\s*)(["']?)([A-Za-z_:][A-Za-z0-9_:]*)\2\s*$/gm, (_m, lead: string, quote: string, name: string) => `${lead}${quote}${renamed(name, copy)}${quote}`)
        // runbook: https://host/base/runbooks/<section>/<slug>/ → the copy's page
        .replace(pageUrl, (_m, prefix: string, section: string, slug: string) => `${prefix}c${copy}/${section}/${slug}c${copy}/`);
      const target = path.join(rulesOut, `c${copy}`, file);
      writes.push(mkdir(path.dirname(target), { recursive: true }).then(() => writeFile(target, text)));
    });
    runbookFiles.forEach((file, i) => {
      const base = path.basename(file, '.md');
      const isIndex = base === '_index';
      if (!isIndex) runbookCount++;
      const text = runbookTexts[i]
        .replace(/(\{\{[%<]\s*rule\s+)"([^"]+)"\s+"([^"]+)"/g, (_m, open: string, ruleFile: string, alert: string) => `${open}"c${copy}/${ruleFile}" "${renamed(alert, copy)}"`)
        // Links to other runbooks' pages (absolute, as srerun writes them) go to the same copy's
        // page, or the copy's build fails on broken links (and the bench would time no write).
        .replace(pageUrl, (_m, prefix: string, section: string, slug: string) => `${prefix}c${copy}/${section}/${slug}c${copy}/`);
      // An alert's runbook is named after the renamed alert; another file keeps its name, prefixed,
      // so that a name ending in `%` (srerun has one) does not become a malformed `%C0` escape.
      const fileBase = isIndex ? '_index' : ALERT_NAME.test(base) ? renamed(base, copy) : `C${copy}-${base}`;
      const target = path.join(runbooksOut, `c${copy}`, path.dirname(file), `${fileBase}.md`);
      writes.push(mkdir(path.dirname(target), { recursive: true }).then(() => writeFile(target, text)));
    });
    await Promise.all(writes);
  }
  return { rules: rulesOut, runbooks: runbooksOut, runbookCount, ruleFileCount: ruleFiles.length * copies };
}
