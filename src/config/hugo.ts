// A Hugo project's own configuration (hugo.toml|yaml|json, or config.toml|yaml|json beside a
// content folder), read for the keys runbook-site shares with Hugo: the site's URL and title, its
// content and static folders, uglyURLs, languageCode, timeout, and the params themes keep the
// repository in.
// Everything else in it (menus, outputs, theme settings) is Hugo's business and is ignored.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { RunbookSiteError, isRunbookSiteError } from '../errors.js';
import { parseDuration } from './duration.js';

/** In Hugo's own order of precedence: `hugo.*` first (Hugo ≥ 0.110), then the older `config.*`. */
export const HUGO_CONFIG_FILE_NAMES = ['hugo.toml', 'hugo.yaml', 'hugo.yml', 'hugo.json', 'config.toml', 'config.yaml', 'config.yml', 'config.json'];

export interface HugoConfig {
  /** Absolute path of the file read. */
  file: string;
  /** The keys that map onto runbook-site's configuration (relative paths as written). */
  settings: Record<string, unknown>;
  /** The site's `params`, as written (keys keep their case). */
  params: Record<string, unknown>;
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Hugo reads its keys case-insensitively (`baseurl`, `BaseURL`…): look a key up that way. */
function pick(data: Record<string, unknown>, key: string): unknown {
  const lower = key.toLowerCase();
  for (const [name, value] of Object.entries(data)) if (name.toLowerCase() === lower) return value;
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Repository settings from the params of the common docs themes: hugo-book (`BookRepo`,
 * `BookEditPath` such as `edit/main/exampleSite`), geekdoc (`geekdocRepo`, `geekdocEditPath`),
 * docsy (`github_repo`, `github_branch`, `github_subdir`).
 */
export function repositoryFromParams(params: Record<string, unknown>): { url: string; branch?: string; path?: string } | undefined {
  const docsy = text(pick(params, 'github_repo'));
  if (docsy) {
    return { url: docsy.replace(/\/$/, ''), branch: text(pick(params, 'github_branch')), path: text(pick(params, 'github_subdir'))?.replace(/^\/|\/$/g, '') };
  }
  for (const [repoKey, editKey] of [['BookRepo', 'BookEditPath'], ['geekdocRepo', 'geekdocEditPath']]) {
    const url = text(pick(params, repoKey));
    if (!url) continue;
    // `edit/<branch>/<path in the repository>`, as both themes join it onto the repository URL.
    const edit = /^\/?(?:edit|blob|tree)\/([^/]+)\/?(.*?)\/?$/.exec(text(pick(params, editKey)) ?? '');
    return { url: url.replace(/\/$/, ''), branch: edit?.[1], path: edit?.[2] || undefined };
  }
  return undefined;
}

/**
 * Finds and reads the Hugo configuration in `root`. `config.*` counts only when a `content/`
 * folder (or the `contentDir` it names) is beside it: elsewhere that name is too common.
 */
/** A TOML, YAML or JSON file as data (by its extension). */
async function parseConfigFile(file: string, display: (file: string) => string): Promise<unknown> {
  let source: string;
  try {
    source = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    throw new RunbookSiteError('ConfigInvalid', { file: display(file), reason: (error as Error).message });
  }
  if (file.endsWith('.toml')) return (await import('smol-toml')).parse(source);
  if (file.endsWith('.json')) return JSON.parse(source);
  // The one YAML policy (alias expansion, depth, size), as for rule files and front matter.
  const { parseYamlDocument, yamlValue } = await import('../yaml-policy.js');
  const { doc, refusal } = parseYamlDocument(source, {});
  if (refusal) throw new RunbookSiteError('ConfigInvalid', { file: `${display(file)}:${refusal.line}:${refusal.column}`, reason: refusal.reason });
  if (doc!.errors.length > 0) throw doc!.errors[0];
  return yamlValue(doc!);
}

/** Hugo's configuration folder: `config/_default/hugo.toml`, with the site params in their own `params.toml`. */
const CONFIG_DEFAULT_DIR = path.join('config', '_default');
const PARAMS_FILE_NAMES = ['params.toml', 'params.yaml', 'params.yml', 'params.json'];

export async function readHugoConfig(root: string, display: (file: string) => string): Promise<HugoConfig | undefined> {
  const candidates = [...HUGO_CONFIG_FILE_NAMES.map((name) => ({ dir: root, name })), ...HUGO_CONFIG_FILE_NAMES.map((name) => ({ dir: path.join(root, CONFIG_DEFAULT_DIR), name }))];
  for (const { dir, name } of candidates) {
    const file = path.join(dir, name);
    if (!existsSync(file)) continue;
    let data: unknown;
    try {
      data = await parseConfigFile(file, display);
    } catch (error) {
      if (isRunbookSiteError(error)) throw error;
      if (name.startsWith('config.') && !isFolder(path.join(root, 'content'))) continue;
      const reason = (error as Error).message.split('\n')[0];
      throw new RunbookSiteError('ConfigInvalid', { file: display(file), reason: `not valid ${name.split('.').pop()!.toUpperCase()}: ${reason}` });
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) {
      if (name.startsWith('config.')) continue;
      throw new RunbookSiteError('ConfigInvalid', { file: display(file), reason: 'expected a mapping of keys to values at the top level' });
    }
    const values = data as Record<string, unknown>;
    const contentDir = text(pick(values, 'contentDir')) ?? 'content';
    if (name.startsWith('config.') && !isFolder(path.join(root, contentDir))) continue;

    const rawParams = pick(values, 'params');
    const params = rawParams && typeof rawParams === 'object' && !Array.isArray(rawParams) ? { ...(rawParams as Record<string, unknown>) } : {};
    if (dir !== root) {
      // In the configuration folder the params have a file of their own; its keys are the params.
      const paramsFile = PARAMS_FILE_NAMES.map((other) => path.join(dir, other)).find((other) => existsSync(other));
      const fromFile = paramsFile ? await parseConfigFile(paramsFile, display).catch((error: unknown) => {
        if (isRunbookSiteError(error)) throw error;
        throw new RunbookSiteError('ConfigInvalid', { file: display(paramsFile), reason: `not valid ${paramsFile.split('.').pop()!.toUpperCase()}: ${(error as Error).message.split('\n')[0]}` });
      }) : undefined;
      if (fromFile && typeof fromFile === 'object' && !Array.isArray(fromFile)) Object.assign(params, fromFile);
    }
    const settings: Record<string, unknown> = { content: contentDir };
    const baseURL = text(pick(values, 'baseURL'));
    // Hugo accepts `/` or a bare path; only an absolute URL says where the site is published.
    if (baseURL && /^https?:\/\//i.test(baseURL)) settings.baseURL = baseURL;
    const title = text(pick(values, 'title'));
    if (title) settings.title = title;
    const staticDir = pick(values, 'staticDir');
    const firstStatic = Array.isArray(staticDir) ? text(staticDir[0]) : text(staticDir);
    settings.static = firstStatic ?? 'static';
    const ugly = pick(values, 'uglyURLs');
    if (typeof ugly === 'boolean') settings.uglyURLs = ugly;
    // Hugo renders `:warning:` only with enableEmoji; GitHub always does (our default).
    settings.emoji = pick(values, 'enableEmoji') === true;
    // Only a value Hugo itself accepts: anything else is Hugo's error to report, against its own file.
    const timeout = pick(values, 'timeout');
    if ((typeof timeout === 'string' || typeof timeout === 'number') && (parseDuration(timeout) ?? 0) > 0) settings.timeout = timeout;
    const languageCode = text(pick(values, 'languageCode'));
    if (languageCode) settings.languageCode = languageCode;
    const repository = repositoryFromParams(params);
    if (repository && /^https?:\/\//i.test(repository.url)) {
      settings.repository = Object.fromEntries(Object.entries(repository).filter(([, value]) => value !== undefined));
    }
    return { file, settings, params };
  }
  return undefined;
}
