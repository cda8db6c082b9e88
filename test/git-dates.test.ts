// Last-modified dates from git: right with full history, absent (not wrong) where a shallow
// clone's history is cut.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gitLastModified } from '../src/load/git-dates.js';

function git(cwd: string, args: string[], date?: string): string {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org', ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}) };
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function repository(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'runbook-site-git-'));
  const repo = path.join(root, 'origin');
  await mkdir(path.join(repo, 'runbooks'), { recursive: true });
  git(repo, ['init', '-q']);
  await writeFile(path.join(repo, 'runbooks/A.md'), '# A\n');
  await writeFile(path.join(repo, 'runbooks/B.md'), '# B\n');
  git(repo, ['add', '.']);
  git(repo, ['commit', '-qm', 'one'], '2024-01-10T12:00:00Z');
  await appendFile(path.join(repo, 'runbooks/B.md'), 'More.\n');
  git(repo, ['commit', '-qam', 'two'], '2024-03-05T12:00:00Z');
  await writeFile(path.join(repo, 'runbooks/C.md'), '# C\n');
  git(repo, ['add', '.']);
  git(repo, ['commit', '-qm', 'three'], '2024-05-20T12:00:00Z');
  return repo;
}

const hasGit = (() => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const needsGit = { skip: hasGit ? false : 'git is not installed' };

const byName = (dates: Map<string, string>) => Object.fromEntries([...dates].map(([file, date]) => [path.basename(file), date]));

test('git dates: the newest commit that touched each runbook', needsGit, async () => {
  const repo = await repository();
  assert.deepEqual(byName(await gitLastModified(path.join(repo, 'runbooks'))), { 'A.md': '2024-01-10', 'B.md': '2024-03-05', 'C.md': '2024-05-20' });
});

test('git dates: a shallow clone gives no date for files whose last change is cut off, rather than a wrong one', needsGit, async () => {
  const repo = await repository();
  const root = path.dirname(repo);
  git(root, ['clone', '-q', '--depth', '2', `file://${repo}`, 'depth2']);
  // Commit "two" is the cut: seen from here it adds A and B, so neither date can be trusted.
  assert.deepEqual(byName(await gitLastModified(path.join(root, 'depth2/runbooks'))), { 'C.md': '2024-05-20' });
  git(root, ['clone', '-q', '--depth', '1', `file://${repo}`, 'depth1']);
  assert.deepEqual(byName(await gitLastModified(path.join(root, 'depth1/runbooks'))), {});
});

test('git dates: outside a repository there are none', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-site-nogit-'));
  assert.equal((await gitLastModified(dir)).size, 0);
});
