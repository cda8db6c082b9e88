// `init`'s work: detect, write what is missing (or everything with --force), say what to do next.
import { readHugoConfig } from '../config/hugo.js';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CliIO } from '../cli/io.js';
import { toolVersion } from '../cli/io.js';
import { RunbookSiteError } from '../errors.js';
import { configSchema } from '../config/schema.js';
import { CONFIG_FILE_NAMES } from '../config/load.js';
import { detectRepository } from './detect.js';
import { configFile, gitignoreWith, workflowFile, type InitChoices } from './files.js';

export interface InitOptions {
  force: boolean;
  rules?: string;
  runbooks?: string;
  baseURL?: string;
}

const WORKFLOW = '.github/workflows/runbooks.yml';

async function writeAtomically(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, { flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

function folderFlag(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const clean = value.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  if (clean === '' || clean === '.' || path.isAbsolute(value) || clean.split('/').includes('..')) {
    throw new RunbookSiteError('InvalidFlag', { flag, reason: `\`${value}\` is not a folder inside the repository`, hint: `Give a path relative to the repository root, such as \`${flag === '--rules' ? 'rules' : 'runbooks'}\`.` });
  }
  return clean;
}

function dependsOnTool(root: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    return Boolean(pkg.dependencies?.['runbook-site'] ?? pkg.devDependencies?.['runbook-site']);
  } catch {
    return false;
  }
}

export async function initRepository(options: InitOptions, io: CliIO): Promise<number> {
  const root = io.cwd;
  const rulesFlag = folderFlag(options.rules, '--rules');
  const runbooksFlag = folderFlag(options.runbooks, '--runbooks');
  if (options.baseURL !== undefined) {
    const parsed = configSchema.shape.baseURL.safeParse(options.baseURL);
    if (!parsed.success || !/^https?:/.test(options.baseURL)) throw new RunbookSiteError('InvalidFlag', { flag: '--base-url', reason: `\`${options.baseURL}\` is not an http(s) URL`, hint: 'Give the published site URL, e.g. https://org.github.io/repo/.' });
  }
  const detected = detectRepository(root);
  const defaults = configSchema.parse({});
  const choices: InitChoices = {
    ...detected,
    rules: rulesFlag ?? detected.rules ?? defaults.rules,
    runbooks: runbooksFlag ?? detected.runbooks ?? defaults.runbooks,
    out: defaults.out,
    cacheDir: defaults.cacheDir,
    version: toolVersion(),
  };
  // A Hugo project's own config already says where the site is, what it is called and its repository.
  const hugo = await readHugoConfig(root, (file) => path.relative(root, file).split(path.sep).join('/'));
  if (hugo) choices.hugoConfig = { file: path.relative(root, hugo.file).split(path.sep).join('/'), keys: new Set(Object.keys(hugo.settings)) };
  if (options.baseURL) {
    choices.baseURL = options.baseURL.endsWith('/') ? options.baseURL : `${options.baseURL}/`;
    choices.hugoConfig?.keys.delete('baseURL');
  }

  const wrote: string[] = [];
  const skipped: string[] = [];
  const existingConfig = CONFIG_FILE_NAMES.find((name) => existsSync(path.join(root, name)));
  const writeOne = async (name: string, content: string, exists: boolean) => {
    if (exists && !options.force) {
      skipped.push(name);
      return;
    }
    await writeAtomically(path.join(root, name), content);
    wrote.push(name);
  };
  try {
    // An existing runbook-site.yml counts too: two config files would be ambiguous.
    await writeOne(existingConfig && options.force ? existingConfig : 'runbook-site.yaml', configFile(choices), existingConfig !== undefined);
    await writeOne(WORKFLOW, workflowFile(choices), existsSync(path.join(root, WORKFLOW)));
    const ignoreFile = path.join(root, '.gitignore');
    const existingIgnore = existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8') : undefined;
    const cacheTop = choices.cacheDir.split('/')[0];
    const ignore = gitignoreWith(existingIgnore, [`${choices.out}/`, `${cacheTop}/`]);
    if (ignore.added.length > 0) {
      await writeAtomically(ignoreFile, ignore.text);
      wrote.push(`.gitignore (${ignore.added.join(', ')})`);
    }
  } catch (error) {
    if (error instanceof RunbookSiteError) throw error;
    throw new RunbookSiteError('OutputFailed', { path: root, reason: (error as Error).message });
  }

  const lines: string[] = [];
  for (const name of wrote) lines.push(`Wrote ${name}`);
  for (const name of skipped) lines.push(`Skipped ${name}: it exists (pass --force to overwrite it)`);
  lines.push('');
  const found = (what: string, value: string, detectedValue: string | undefined, flag: string | undefined) =>
    `${what}: ${value}/ (${flag ? 'as given' : detectedValue ? 'found' : 'none found: the default'})`;
  lines.push(found('Rules', choices.rules, detected.rules, rulesFlag), found('Runbooks', choices.runbooks, detected.runbooks, runbooksFlag));
  if (detected.hugoContent) lines.push(`Hugo project: ${detected.hugoContent}/`);
  lines.push(choices.baseURL ? `Site URL: ${choices.baseURL}${options.baseURL ? '' : ' (from the git remote)'}` : 'Site URL: not known (no GitHub remote): set `baseURL` in runbook-site.yaml');
  lines.push('', 'Next:');
  let step = 1;
  if (detected.install !== 'none' && !dependsOnTool(root)) lines.push(`  ${step++}. npm install --save-dev runbook-site   (the workflow runs the version in package.json)`);
  if (!detected.rules && !rulesFlag) lines.push(`  ${step++}. Put your Prometheus rule files in ${choices.rules}/`);
  lines.push(`  ${step++}. runbook-site annotate     point every alert's runbook_url at its page`);
  lines.push(`  ${step++}. runbook-site new --missing   write a runbook for every alert that has none`);
  lines.push(`  ${step++}. Commit, push, and set Settings → Pages → Source to "GitHub Actions" on GitHub`);
  io.stdout.write(lines.join('\n') + '\n');
  return 0;
}
