// `node lib/bench/markdown-floor.js`: the lower bound that the markdown parser puts on a cold build.
// Parses every srerun runbook body with remark-parse (+ GFM and definition lists, as the build
// does) on one thread, nothing else: no shortcodes, no HTML, no layout. Prints the median of five
// rounds after a warm-up, the same divided by the cores (perfectly parallel, no overhead), and,
// when `hugo` is on PATH, Hugo's whole build of the same content for comparison.
import { execFileSync, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import matter from 'gray-matter';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkDefinitionList from 'remark-definition-list';
import { listFiles } from '../src/load/files.js';
import { LEZER_ENABLED, parseMarkdown } from '../src/markdown/remark-parse-gated.js';
import { parseWithLezer } from '../src/markdown/lezer-mdast.js';
import { hugoSite } from './hugo-site.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const SRERUN = path.resolve(process.env.SRERUN ?? path.join(projectRoot, '../shared/corpora/srerun'));
const ROUNDS = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

const runbooksDir = path.join(SRERUN, 'content/runbooks');
const bodies = (await listFiles(runbooksDir, (name) => name.endsWith('.md'))).map((file) => matter(readFileSync(path.join(runbooksDir, file), 'utf8')).content);
const bytes = bodies.reduce((sum, body) => sum + Buffer.byteLength(body), 0);
const processor = unified().use(remarkParse).use(remarkGfm).use(remarkDefinitionList).freeze();

const timed = (parseOne: (body: string) => unknown) => () => {
  const started = performance.now();
  for (const body of bodies) parseOne(body);
  return performance.now() - started;
};
const parseAll = timed((body) => processor.parse(body));
// What the build runs: lezer where it vouches for remark's tree, else remark with each extension
// only on the documents where it can fire (same trees either way).
const parseGated = timed(parseMarkdown);
// How many of them lezer takes (none when RUNBOOK_SITE_MARKDOWN_PARSER=remark turns it off).
const accepted = LEZER_ENABLED ? bodies.filter((body) => parseWithLezer(body) !== undefined).length : 0;
parseAll();
parseGated();
// Alternating rounds, so that load from elsewhere on the machine hits both alike.
const rounds = Array.from({ length: ROUNDS }, () => [parseAll(), parseGated()]);
const parse = median(rounds.map((round) => round[0])) / 1000;
const gated = median(rounds.map((round) => round[1])) / 1000;
const cores = availableParallelism();
console.log(`${bodies.length} runbook bodies, ${(bytes / 1e6).toFixed(2)} MB of markdown`);
console.log(`remark-parse + GFM + definition lists, one thread: ${parse.toFixed(2)} s (median of ${ROUNDS})`);
console.log(`the same spread perfectly over ${cores} cores:        ${(parse / cores).toFixed(2)} s`);
console.log(`the build's parser (lezer for ${accepted} of ${bodies.length} bodies, else remark with only the extensions that can fire), one thread: ${gated.toFixed(2)} s (${(100 * (1 - gated / parse)).toFixed(0)} % less)`);

const hasHugo = spawnSync('sh', ['-c', 'command -v hugo'], { stdio: 'ignore' }).status === 0;
if (hasHugo) {
  const tmp = await mkdtemp(path.join(tmpdir(), 'runbook-site-floor-'));
  try {
    const site = path.join(tmp, 'site');
    await hugoSite(site, SRERUN);
    const hugoRun = () => {
      const started = performance.now();
      execFileSync('hugo', ['--quiet', '--source', site, '--destination', path.join(tmp, 'out')], { stdio: 'ignore' });
      return performance.now() - started;
    };
    hugoRun();
    const hugo = median(Array.from({ length: ROUNDS }, hugoRun)) / 1000;
    console.log(`Hugo, whole build of the same content (bare layouts): ${hugo.toFixed(2)} s`);
    console.log(`parsing alone, perfectly parallel, is ${(parse / cores / hugo).toFixed(1)}× Hugo's whole build (cold target: 1.5×)`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
