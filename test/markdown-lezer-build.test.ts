// No output byte may change with the lezer parser: srerun is built by the real CLI with it and
// with remark-parse alone (RUNBOOK_SITE_MARKDOWN_PARSER=remark), and every file is compared.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { listFiles } from '../src/load/files.js';
import { SRERUN, SRERUN_BASE_URL, srerunAvailable } from './helpers/corpus.js';
import { projectRoot } from './helpers/project.js';

const run = promisify(execFile);

test('srerun built with the lezer parser is byte for byte the site remark-parse builds', async (t) => {
  if (!srerunAvailable()) return t.skip('srerun corpus not found (../shared/corpora/srerun): the two parsers’ sites not compared');
  const work = await mkdtemp(path.join(tmpdir(), 'runbook-site-parsers-'));
  try {
    const build = async (parser: string) => {
      const out = path.join(work, parser);
      const args = ['bin/runbook-site.js', 'build', '--rules', path.join(SRERUN, 'rules'), '--runbooks', path.join(SRERUN, 'content/runbooks'), '--intro', path.join(SRERUN, 'content/_index.md'), '--base-url', SRERUN_BASE_URL, '--no-cache', '--out', out];
      await run(process.execPath, args, { cwd: projectRoot, env: { ...process.env, CI: 'true', RUNBOOK_SITE_MARKDOWN_PARSER: parser }, maxBuffer: 64 << 20 });
      return out;
    };
    // The switch must really turn lezer off, or the comparison below would compare a site with itself.
    const enabled = async (parser: string) => {
      const probe = `import('./lib/src/markdown/remark-parse-gated.js').then((m) => console.log(m.LEZER_ENABLED))`;
      const { stdout } = await run(process.execPath, ['-e', probe], { cwd: projectRoot, env: { ...process.env, RUNBOOK_SITE_MARKDOWN_PARSER: parser } });
      return stdout.trim();
    };
    assert.equal(await enabled('auto'), 'true');
    assert.equal(await enabled('remark'), 'false');
    const withLezer = await build('auto');
    const withRemark = await build('remark');
    const files = await listFiles(withRemark, () => true);
    assert.ok(files.length > 1500, `${files.length} files`);
    assert.deepEqual(await listFiles(withLezer, () => true), files);
    const differing: string[] = [];
    for (const file of files) {
      const [a, b] = await Promise.all([readFile(path.join(withLezer, file)), readFile(path.join(withRemark, file))]);
      if (!a.equals(b)) differing.push(file);
    }
    assert.deepEqual(differing, []);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});
