import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const projectRoot = path.resolve(import.meta.dirname, '../../..');

/** A copy of the sample site (rules, runbooks, config) in a fresh temporary folder. */
export async function sampleProject(prefix = 'runbook-site-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  await cp(path.join(projectRoot, 'rules'), path.join(dir, 'rules'), { recursive: true });
  await cp(path.join(projectRoot, 'runbooks'), path.join(dir, 'runbooks'), { recursive: true });
  await cp(path.join(projectRoot, 'runbook-site.yaml'), path.join(dir, 'runbook-site.yaml'));
  return dir;
}

/** A project in a fresh temporary folder made of `files` (path relative to it → text), folders created as needed. */
export async function projectOf(files: Record<string, string>, prefix = 'runbook-site-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return dir;
}
