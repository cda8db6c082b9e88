// Resolve the configuration: defaults < runbook-site.yaml < command-line flags.
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Document, LineCounter, Node } from 'yaml';
import { configSchema, type Config, type ConfigInput } from './schema.js';
import { RunbookSiteError } from '../errors.js';
import { readHugoConfig } from './hugo.js';

export const CONFIG_FILE_NAMES = ['runbook-site.yaml', 'runbook-site.yml'];

export interface ResolvedConfig extends Config {
  /** Folder the relative paths are resolved against (the config file's folder, else cwd). */
  root: string;
  /** Absolute paths. */
  rulesDir: string;
  runbooksDir: string;
  outDir: string;
  templatesDir?: string;
  introFile?: string;
  cacheDirAbs: string;
  /** Path part of baseURL, with leading and trailing slash. */
  basePath: string;
  /** The config file read, if any. */
  configFile?: string;
  /** Working directory of the command: paths in messages are shown relative to it. */
  cwd: string;
  /** True when `runbookAnnotation` was set (config or flag); else the legacy `runbook` annotation is read too. */
  runbookAnnotationSet: boolean;
  /** The Hugo configuration file read (hugo.toml…), if any; runbook-site.yaml and flags win over it. */
  hugoConfigFile?: string;
  /**
   * Set when a Hugo content folder is built (`content`, or detected): then `runbooksDir` is that
   * folder and its pages get Hugo's URLs from the site root; else pages of `runbooksDir` live
   * under `runbooks/`.
   */
  contentDir?: string;
  /** Site path of the folder pages are loaded from: `runbooks/`, or '' for a content folder. */
  urlPrefix: string;
  /** Hugo's static folder, when it exists: copied to the site root. */
  staticDir?: string;
  /** True when no rules folder was named and none was found: the site is built without rules. */
  rulesMissing: boolean;
}

/** Where rule files live in repositories that keep them beside their docs, tried in order when `rules` is not set. */
export const COMMON_RULES_FOLDERS = ['rules', 'prometheus/rules', 'prometheus-rules', 'alerts/rules', 'deploy/prometheus/rules', 'monitoring/rules'];

/** The error for a command that needs rule files when none were found in the common places. */
export function rulesNotFound(command: string): RunbookSiteError {
  return new RunbookSiteError('RulesNotFound', { command, looked: COMMON_RULES_FOLDERS.map((folder) => `\`${folder}/\``).join(', ') });
}

/**
 * Where repositories rendered by GitHub keep their runbooks, when there is no `runbooks/` folder
 * (OpenShift's `alerts/<operator>/<Alert>.md`, for one). A folder counts only if it holds markdown.
 */
export const COMMON_RUNBOOK_FOLDERS = ['alerts', 'docs/runbooks', 'docs/alerts', 'runbook', 'playbooks'];

/** Whether `dir` holds a markdown file, looking at most `budget` entries deep (a big tree is not walked whole). */
function holdsMarkdown(dir: string, budget = { entries: 2000 }): boolean {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries) {
    if (--budget.entries < 0) return false;
    if (entry.isFile() && entry.name.toLowerCase().endsWith('.md') && entry.name.toLowerCase() !== 'readme.md') return true;
  }
  return entries.some((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules' && holdsMarkdown(path.join(dir, entry.name), budget));
}

function folderExists(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RunbookSiteError('ConfigInvalid', { file, reason: (error as Error).message });
  }
}

function linePrefix(yaml: typeof import('yaml'), doc: Document, counter: LineCounter, keyPath: (string | number)[]): string {
  const { isMap, isNode } = yaml;
  let node: unknown = doc.contents;
  for (const key of keyPath) {
    if (!isMap(node)) break;
    const pair = node.items.find((item) => isNode(item.key) && (item.key as { value?: unknown }).value === key);
    if (!pair) break;
    node = pair.key;
    if (key !== keyPath[keyPath.length - 1]) node = pair.value;
  }
  if (isNode(node) && (node as Node).range) {
    const { line, col } = counter.linePos((node as Node).range![0]);
    return `${line}:${col}: `;
  }
  return '';
}

/** Reads and validates the config file and applies `overrides` (from flags) on top. */
export async function loadConfig(options: { cwd: string; configPath?: string; overrides: ConfigInput }): Promise<ResolvedConfig> {
  let configFile: string | undefined;
  let text: string | undefined;
  if (options.configPath) {
    configFile = path.resolve(options.cwd, options.configPath);
    text = await readIfExists(configFile);
    if (text === undefined) throw new RunbookSiteError('ConfigNotFound', { file: options.configPath });
  } else {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(options.cwd, name);
      text = await readIfExists(candidate);
      if (text !== undefined) {
        configFile = candidate;
        break;
      }
    }
  }

  let fromFile: Record<string, unknown> = {};
  let located: (keyPath: (string | number)[]) => string = () => '';
  if (text !== undefined && configFile) {
    // Imported only when there is a config file: a replayed run without one never pays for it.
    const yaml = await import('yaml');
    const counter = new yaml.LineCounter();
    const { parseYamlDocument, yamlValue } = await import('../yaml-policy.js');
    const parsed = parseYamlDocument(text, { lineCounter: counter, prettyErrors: false });
    const display = path.relative(options.cwd, configFile) || configFile;
    if (parsed.refusal) {
      const { line, column, reason } = parsed.refusal;
      throw new RunbookSiteError('ConfigInvalid', { file: display, reason: `${line}:${column}: ${reason}` });
    }
    const doc = parsed.doc!;
    if (doc.errors.length > 0) {
      const first = doc.errors[0];
      const { line, col } = counter.linePos(first.pos[0]);
      throw new RunbookSiteError('ConfigSyntax', { file: display, line: String(line), column: String(col), reason: first.message.split('\n')[0] });
    }
    let value: unknown;
    try {
      value = yamlValue(doc);
    } catch (error) {
      throw new RunbookSiteError('ConfigInvalid', { file: display, reason: (error as Error).message });
    }
    if (value !== null && value !== undefined) {
      if (typeof value !== 'object' || Array.isArray(value)) {
        throw new RunbookSiteError('ConfigInvalid', { file: display, reason: 'expected a mapping of keys to values at the top level' });
      }
      fromFile = value as Record<string, unknown>;
    }
    located = (keyPath) => linePrefix(yaml, doc, counter, keyPath);
  }

  // A Hugo project's own config is the bottom layer: runbook-site.yaml, then flags, win over it.
  const projectRoot = configFile ? path.dirname(configFile) : options.cwd;
  const hugo = await readHugoConfig(projectRoot, (file) => path.relative(options.cwd, file) || file);
  const fromHugo: Record<string, unknown> = { ...(hugo?.settings ?? {}) };
  if (hugo && Object.keys(hugo.params).length > 0) fromHugo.params = hugo.params;
  const explicitlySet = (key: string) => fromFile[key] !== undefined || (options.overrides as Record<string, unknown>)[key] !== undefined;
  if (!hugo && !explicitlySet('runbooks') && !explicitlySet('content') && !folderExists(path.join(projectRoot, 'runbooks')) && folderExists(path.join(projectRoot, 'content'))) {
    // No config at all, but the shape of a Hugo site: build its content folder.
    fromHugo.content = 'content';
    if (folderExists(path.join(projectRoot, 'static'))) fromHugo.static = 'static';
  }
  if (!hugo && !fromHugo.content && !explicitlySet('runbooks') && !explicitlySet('content') && !folderExists(path.join(projectRoot, 'runbooks'))) {
    // No runbooks/ folder: a GitHub-rendered repository keeps them under another common name.
    const found = COMMON_RUNBOOK_FOLDERS.find((folder) => holdsMarkdown(path.join(projectRoot, folder)));
    if (found) fromHugo.runbooks = found;
  }
  // A runbooks folder named in runbook-site.yaml or by a flag wins over a content folder found in Hugo's config.
  if (explicitlySet('runbooks') && !explicitlySet('content')) delete fromHugo.content;

  const merged: Record<string, unknown> = { ...fromHugo, ...fromFile };
  for (const [key, value] of Object.entries(options.overrides)) {
    if (value !== undefined) merged[key] = value;
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.join('.');
    const fromFlag = issue.path.length > 0 && (options.overrides as Record<string, unknown>)[String(issue.path[0])] !== undefined;
    const reason =
      issue.code === 'unrecognized_keys'
        ? `${located([issue.keys[0]])}Unexpected key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `\`${k}\``).join(', ')}, expected one of ${Object.keys(configSchema.shape).map((k) => `\`${k}\``).join(', ')}`
        : `${located(issue.path as (string | number)[])}\`${where}\`: ${issue.message}`;
    if (fromFlag) {
      const key = String(issue.path[0]);
      const flag = `--${key.replace(/URL$/, '-url').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      throw new RunbookSiteError('InvalidFlag', { flag, reason: issue.message, hint: 'Run `runbook-site --help` for usage.' });
    }
    const file = configFile ? path.relative(options.cwd, configFile) || configFile : 'runbook-site.yaml';
    throw new RunbookSiteError('ConfigInvalid', { file, reason });
  }
  const config = parsed.data;
  const root = projectRoot;
  // Flags are relative to the working directory; config-file paths to the config file.
  const resolvePath = (key: keyof ConfigInput, value: string) =>
    (options.overrides as Record<string, unknown>)[key] !== undefined ? path.resolve(options.cwd, value) : path.resolve(root, value);

  let basePath = new URL(config.baseURL).pathname;
  if (!basePath.endsWith('/')) basePath += '/';
  const baseURL = new URL(basePath, config.baseURL).href;

  const contentDir = config.content ? resolvePath('content', config.content) : undefined;
  const staticCandidate = config.static ? resolvePath('static', config.static) : undefined;
  let rulesDir = resolvePath('rules', config.rules);
  let rulesMissing = false;
  if (!explicitlySet('rules') && !folderExists(rulesDir)) {
    const found = COMMON_RULES_FOLDERS.map((folder) => path.resolve(root, folder)).find(folderExists);
    if (found) rulesDir = found;
    // A repository of runbooks without the rule files (they live with the services, as for
    // OpenShift's or kube-prometheus's runbooks) still builds: its pages are the runbooks, and the
    // summary says no rules were found. A rules folder named by a flag or the config must exist.
    else rulesMissing = true;
  }

  return {
    ...config,
    baseURL,
    hugoConfigFile: hugo?.file,
    contentDir,
    urlPrefix: contentDir ? '' : 'runbooks/',
    staticDir: staticCandidate && folderExists(staticCandidate) ? staticCandidate : undefined,
    rulesMissing,
    root,
    cwd: options.cwd,
    configFile,
    rulesDir,
    runbooksDir: contentDir ?? resolvePath('runbooks', config.runbooks),
    outDir: resolvePath('out', config.out),
    templatesDir: config.templates ? resolvePath('templates', config.templates) : undefined,
    introFile: config.intro ? resolvePath('intro', config.intro) : undefined,
    cacheDirAbs: resolvePath('cacheDir', config.cacheDir),
    basePath,
    runbookAnnotationSet: merged.runbookAnnotation !== undefined,
  };
}
