// serve's fast render (src/serve/fast-render.ts) against the full build that follows it: every page
// it writes must be the page the full build renders, byte for byte, or it must not write at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/load.js';
import { SiteSession } from '../src/serve/session.js';
import { sampleProject } from './helpers/project.js';
import { SRERUN, srerunAvailable } from './helpers/corpus.js';

async function openSession(dir: string, overrides: Record<string, string> = {}): Promise<SiteSession> {
  const config = await loadConfig({ cwd: dir, overrides });
  return new SiteSession({ config, version: 'test', diskCache: false, outDir: path.join(dir, 'served') });
}

const served = (dir: string, file: string) => readFile(path.join(dir, 'served', file), 'utf8');

/** Edits of a body that fast render must render as the full build does. */
const EDITS: { name: string; edit: (body: string, other: string) => string }[] = [
  { name: 'a paragraph with a link to another runbook', edit: (body, other) => `${body}\n\nSee **also** [the other runbook](${other}) and \`code\`.\n` },
  { name: 'a heading first', edit: (body) => `\n## Added first\n\n${body}` },
  { name: 'a table and a code block with shortcode-like text', edit: (body) => `${body}\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n\`\`\`\n{{% rule "x.yml" "Nope" %}}\n\`\`\`\n` },
  { name: 'a nested list and a footnote', edit: (body) => `${body}\n\n- one\n  - two[^n]\n\n[^n]: A footnote.\n` },
  { name: 'raw HTML details', edit: (body) => `${body}\n\n<details><summary>More</summary>\n\nHidden *text*.\n\n</details>\n` },
];

/** Front matter and body of a runbook's text. */
function split(text: string): { head: string; body: string } {
  const match = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(text);
  return match ? { head: match[0], body: text.slice(match[0].length) } : { head: '', body: text };
}

/**
 * Writes each edit to `files`, fast-renders them, then runs the full build: the pages fast render
 * wrote must be in the served folder unchanged by the full build.
 */
async function assertFastEqualsFull(dir: string, session: SiteSession, runbooksDir: string, files: string[]): Promise<number> {
  let checked = 0;
  for (const [round, { name, edit }] of EDITS.entries()) {
    const batch = files.filter((_, i) => i % EDITS.length === round).slice(0, 8);
    for (const [i, file] of batch.entries()) {
      const absolute = path.join(runbooksDir, file);
      const { head, body } = split(await readFile(absolute, 'utf8'));
      // A link to another runbook, written relative to this one as GitHub reads it.
      const other = path.posix.relative(path.posix.dirname(file), batch[(i + 1) % batch.length]);
      await writeFile(absolute, head + edit(body, other));
    }
    const fast = await session.fastRender(batch.map((file) => path.join(runbooksDir, file)));
    assert.equal(fast.declined, undefined, `${name}: fast render declined`);
    assert.equal(fast.files.length, batch.length, `${name}: one page per file`);
    const written = new Map(await Promise.all(fast.files.map(async (file) => [file, await served(dir, file)] as const)));
    const build = await session.build();
    assert.equal(build.errors, 0, `${name}: ${JSON.stringify(build.diagnostics.filter((d) => d.severity === 'error'))}`);
    for (const [file, html] of written) {
      assert.ok(!build.changed.includes(file), `${name}: the full build rewrote ${file}`);
      assert.equal(await served(dir, file), html, `${name}: ${file}`);
      checked++;
    }
  }
  return checked;
}

test('fast render: the pages it writes are those the full build renders (sample site)', async () => {
  const dir = await sampleProject('runbook-site-fast-');
  const session = await openSession(dir);
  try {
    assert.equal((await session.build()).errors, 0);
    const files = ['haproxy/HaproxyDown.md', 'haproxy/HaproxyHighHttp4xxErrorRateBackend.md', 'blackbox/BlackboxProbeFailed.md', 'writing-runbooks.md', 'node-exporter/HostOutOfMemory.md'];
    const checked = await assertFastEqualsFull(dir, session, path.join(dir, 'runbooks'), files);
    assert.equal(checked, files.length);
  } finally {
    session.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('fast render: declines what only the full build can tell, and a build with errors puts its page back', async () => {
  const dir = await sampleProject('runbook-site-fast-');
  const session = await openSession(dir);
  const file = path.join(dir, 'runbooks/haproxy/HaproxyDown.md');
  const page = 'runbooks/haproxy/haproxydown/index.html';
  const original = await readFile(file, 'utf8');
  try {
    assert.equal((await session.build()).errors, 0);
    const good = await served(dir, page);
    const declined = async (text: string, reason: RegExp) => {
      await writeFile(file, text);
      const fast = await session.fastRender([file]);
      assert.match(fast.declined ?? '', reason);
      assert.deepEqual(fast.files, []);
      assert.equal(await served(dir, page), good, 'nothing written');
      await writeFile(file, original);
    };
    await declined(original.replace('title: HaproxyDown', 'title: HAProxy is down'), /front matter changed/);
    await declined(`${original}\n{{% comment %}} never closed\n`, /problems to report/);
    await declined(`${original}\n{{% rule "haproxy/haproxy.yml" %}}\n`, /has errors/);
    await declined(`${original}\n{{% rule "haproxy/haproxy.yml" "HaproxyDown" %}}\n`, /embeds other rules/);
    await declined(`${original}\n{{% rule "haproxy/haproxy.yml" "HaproxyHighHttp4xxErrorRateBackend" %}}\n`, /embeds other rules/);
    assert.match((await session.fastRender([path.join(dir, 'rules/haproxy/haproxy.yml')])).declined ?? '', /not a page/);
    assert.match((await session.fastRender([path.join(dir, 'runbooks/haproxy/_index.md')])).declined ?? '', /not a runbook page|not a page/);

    // A link to no page: the page is written at once, then the full build finds the error and puts the last good page back.
    await writeFile(file, `${original}\nSee [nothing](Missing.md).\n`);
    const fast = await session.fastRender([file]);
    assert.deepEqual(fast.files, [page]);
    assert.match(await served(dir, page), /nothing/);
    const failed = await session.build();
    assert.equal(failed.errors, 1);
    assert.equal(failed.diagnostics.find((d) => d.severity === 'error')?.ruleId, 'broken-link');
    assert.deepEqual(failed.restored, [page]);
    assert.equal(await served(dir, page), good, 'the last good page is served again');

    // After a failed build there is no good site to render from: the next save waits for the full build.
    await writeFile(file, `${original}\nFixed.\n`);
    assert.match((await session.fastRender([file])).declined ?? '', /no good build/);
    assert.equal((await session.build()).errors, 0);
    assert.match(await served(dir, page), /Fixed\./);
  } finally {
    session.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('fast render: 40 srerun runbooks, five kinds of edit, each page as the full build renders it', async (t) => {
  if (!srerunAvailable()) {
    if (process.env.CI) assert.fail(`the srerun corpus is required in CI: not found at ${SRERUN}`);
    t.skip('srerun corpus missing');
    return;
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-fast-srerun-'));
  await cp(path.join(SRERUN, 'rules'), path.join(dir, 'rules'), { recursive: true });
  await cp(path.join(SRERUN, 'content/runbooks'), path.join(dir, 'runbooks'), { recursive: true });
  const session = await openSession(dir, { rules: 'rules', runbooks: 'runbooks', baseURL: 'https://example.org/srerun/' });
  try {
    assert.equal((await session.build()).errors, 0);
    const all = (await readdir(path.join(dir, 'runbooks'), { recursive: true }))
      .map((file) => String(file).split(path.sep).join('/'))
      .filter((file) => file.endsWith('.md') && !/(^|\/)(_index|index|README)\.md$/i.test(file))
      .sort();
    // Spread over the corpus, with and without rule embeds.
    const step = Math.floor(all.length / 40);
    const files = all.filter((_, i) => i % step === 0).slice(0, 40);
    const checked = await assertFastEqualsFull(dir, session, path.join(dir, 'runbooks'), files);
    assert.equal(checked, 40);
  } finally {
    session.close();
    await rm(dir, { recursive: true, force: true });
  }
});
