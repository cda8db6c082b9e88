// The theme: Handlebars layouts and partials plus static assets, loaded once per build.
//
// A Theme is built from plain data (`ThemeData`: template sources and asset bytes), so a worker
// thread can receive `themeData(theme)` by structured clone and call `themeFromData()` to get
// its own compiled copy without touching the disk. Templates are compiled lazily by Handlebars
// on first use and then reused for every page.
//
// Escaping stays on. Runbook and rule text only ever reaches templates as data; rendered markdown
// and highlighted PromQL (HTML we produced) are wrapped in SafeString by the page renderer.
import { createHash } from 'node:crypto';
import { encodeUrlPath } from '../link/urls.js';
import { readFile } from 'node:fs/promises';
import { listFiles } from '../load/files.js';
import { createRequire } from 'node:module';
import path from 'node:path';
import Handlebars from 'handlebars';
import { RunbookSiteError } from '../errors.js';
import { ON_DEMAND_ASSETS } from './page-data.js';
import { escapeText } from '../html.js';
import { coveragePercent } from '../report/percent.js';

/**
 * Escaped text with `<wbr>` where an identifier may wrap: at camel-case boundaries and after
 * `_`, `-`, `.`, `:` and `/` (`HaproxyHighHttp4xxErrorRate` → `Haproxy<wbr>High<wbr>Http4xx<wbr>Error<wbr>Rate`),
 * so a narrow column breaks names between their words, never inside one.
 */
export function breakableName(text: string): string {
  return escapeText(text)
    .replace(/([a-z0-9])(?=[A-Z])/g, '$1\u0000')
    .replace(/([A-Z])(?=[A-Z][a-z])/g, '$1\u0000')
    .replace(/([_\-.:/])(?=[^\s_\-.:/])/g, '$1\u0000')
    .replace(/\u0000/g, '<wbr>');
}

/** `shortcode`: a site's own shortcode, `shortcodes/NAME.hbs` in the templates folder. */
export type TemplateKind = 'layout' | 'partial' | 'shortcode';

/** Everything a theme is made of, as plain structured-clone-safe data. */
export interface ThemeData {
  basePath: string;
  /** Template name (file name without `.hbs`) → source and kind. */
  templates: Record<string, { kind: TemplateKind; source: string; origin: string }>;
  /** Asset file name (e.g. `style.css`) → bytes. */
  assets: Record<string, Uint8Array>;
}

export interface Theme {
  readonly data: ThemeData;
  /** Asset file name → fingerprinted output path, e.g. `style.css` → `assets/style.1a2b3c4d.css`. */
  readonly assetPaths: Record<string, string>;
  readonly fingerprint: string;
  readonly hbs: typeof Handlebars;
  /** Compiled layout by page kind / layout name. */
  layout(name: string): Handlebars.TemplateDelegate;
  /** Compiled partial by name, for rendering fragments (rule embeds) outside a layout. */
  partial(name: string): Handlebars.TemplateDelegate;
  /** Compiled `shortcodes/NAME.hbs`, or undefined when the site defines no such shortcode. */
  shortcode(name: string): Handlebars.TemplateDelegate | undefined;
}

export interface LoadThemeOptions {
  /** The default theme folder (the package's `templates/`). */
  defaultDir: string;
  /** A user's folder: any `.hbs` or asset with the same file name replaces the default one. */
  overrideDir?: string;
  /** Path part of the site URL, with leading and trailing slash. */
  basePath: string;
}

/** Files shipped as assets that are not in templates/assets: copied from node_modules at build time. */
const VENDOR_ASSETS: Record<string, { packageName: string; file: string }> = {
  'minisearch.js': { packageName: 'minisearch', file: 'dist/umd/index.js' },
  // Loaded only by pages with a `mermaid` shortcode (src/shortcodes/builtin/mermaid.ts).
  'mermaid.min.js': { packageName: 'mermaid', file: 'dist/mermaid.min.js' },
};

/** A file inside an installed package, found next to the package's resolvable entry point. */
function packageFile(require: NodeRequire, packageName: string, file: string): string {
  const entry = require.resolve(packageName);
  const marker = `${path.sep}node_modules${path.sep}${packageName}${path.sep}`;
  const at = entry.lastIndexOf(marker);
  if (at === -1) throw new Error(`Cannot locate the ${packageName} package folder from ${entry}`);
  return path.join(entry.slice(0, at + marker.length), file);
}

/** Absolute paths of the files under `dir` (none when it does not exist), through the shared walker. */
async function filesUnder(dir: string): Promise<string[]> {
  const relative = await listFiles(dir, () => true).catch(() => [] as string[]);
  return relative.map((file) => path.join(dir, ...file.split('/')));
}

function kindOf(file: string, root: string): TemplateKind {
  const rel = path.relative(root, file).split(path.sep);
  return rel.includes('layouts') ? 'layout' : 'partial';
}

/** Template names of a site's shortcodes (`shortcodes/NAME.hbs`) in ThemeData are prefixed. */
export const SHORTCODE_PREFIX = 'shortcode:';

async function readTemplateSource(file: string): Promise<string> {
  const source = await readFile(file, 'utf8');
  try {
    // Parse now, on the main thread, so a syntax error names its file instead of failing a render.
    Handlebars.parse(source);
  } catch (error) {
    const reason = (error as Error).message.split('\n').filter((line) => !/^[-.]*\^?$/.test(line.trim())).join(' ').replace(/\s+/g, ' ');
    throw new RunbookSiteError('TemplateSyntax', { file: path.relative(process.cwd(), file) || file, reason });
  }
  return source;
}

async function readTemplates(dir: string, into: ThemeData['templates'], override: boolean): Promise<void> {
  for (const file of await filesUnder(dir)) {
    if (!file.endsWith('.hbs')) continue;
    if (path.relative(dir, file).split(path.sep)[0] === 'assets') continue;
    if (path.relative(dir, file).split(path.sep)[0] === 'shortcodes') {
      // A site's own shortcode: keyed apart from partials, so `shortcodes/hint.hbs` is not the `hint` partial.
      into[SHORTCODE_PREFIX + path.basename(file, '.hbs')] = { kind: 'shortcode', source: await readTemplateSource(file), origin: file };
      continue;
    }
    const name = path.basename(file, '.hbs');
    const existing = into[name];
    // An override replaces the default of the same name and keeps its kind, wherever it sits in the user's folder.
    const kind = override && existing ? existing.kind : kindOf(file, dir);
    into[name] = { kind, source: await readTemplateSource(file), origin: file };
  }
}

async function readAssets(dir: string, into: ThemeData['assets']): Promise<void> {
  for (const file of await filesUnder(path.join(dir, 'assets'))) {
    into[path.basename(file)] = new Uint8Array(await readFile(file));
  }
}

export async function loadTheme(options: LoadThemeOptions): Promise<Theme> {
  const data: ThemeData = { basePath: options.basePath, templates: {}, assets: {} };
  const require = createRequire(import.meta.url);
  for (const [name, spec] of Object.entries(VENDOR_ASSETS)) {
    data.assets[name] = new Uint8Array(await readFile(packageFile(require, spec.packageName, spec.file)));
  }
  await readTemplates(options.defaultDir, data.templates, false);
  await readAssets(options.defaultDir, data.assets);
  if (options.overrideDir) {
    await readTemplates(options.overrideDir, data.templates, true);
    await readAssets(options.overrideDir, data.assets);
  }
  return themeFromData(data);
}

/** The plain data a worker needs to rebuild the theme with `themeFromData`. */
export function themeData(theme: Theme): ThemeData {
  return theme.data;
}

function hash(bytes: Uint8Array | string, length = 8): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, length);
}

function fingerprintedPath(name: string, bytes: Uint8Array): string {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  return `assets/${stem}.${hash(bytes)}${ext}`;
}

/** `to` relative to the directory URL `from` (both site-relative, '' is the home page). */
export { encodeUrlPath };

export function relativeUrl(from: string, to: string): string {
  const fromParts = from.split('/').filter(Boolean);
  const hashAt = to.indexOf('#');
  const path = hashAt === -1 ? to : to.slice(0, hashAt);
  const hash = hashAt === -1 ? '' : to.slice(hashAt);
  const toParts = path.split('/');
  const last = toParts.pop() ?? '';
  let common = 0;
  while (common < fromParts.length && common < toParts.length && fromParts[common] === toParts[common]) common++;
  const rel = '../'.repeat(fromParts.length - common) + toParts.slice(common).map((p) => p + '/').join('') + last;
  return (rel || './') + hash;
}

export function themeFromData(data: ThemeData): Theme {
  const hbs = Handlebars.create();
  const assetPaths: Record<string, string> = {};
  const whole = createHash('sha256');
  whole.update(`base:${data.basePath}\0`);
  for (const name of Object.keys(data.templates).sort()) {
    whole.update(`tpl:${name}\0${data.templates[name].kind}\0${data.templates[name].source}\0`);
  }
  for (const name of Object.keys(data.assets).sort()) {
    assetPaths[name] = fingerprintedPath(name, data.assets[name]);
    whole.update(`asset:${name}\0`).update(data.assets[name]);
  }
  const fingerprint = whole.digest('hex');
  const basePath = data.basePath;

  hbs.registerHelper('url', (url: unknown) => basePath + encodeUrlPath(typeof url === 'string' ? url : ''));
  hbs.registerHelper('asset', (name: unknown) => {
    const file = typeof name === 'string' ? assetPaths[name] : undefined;
    if (!file) throw new Error(`Unknown theme asset \`${String(name)}\`; assets: ${Object.keys(assetPaths).join(', ')}`);
    return basePath + file;
  });
  // Shorter links within the site: relative to the page being rendered (`../../x/`). The 404 page
  // is served at any address, so there (and for pages without a directory URL) links stay absolute.
  hbs.registerHelper('rel', function (this: unknown, url: unknown, options: Handlebars.HelperOptions) {
    const target = typeof url === 'string' ? url : '';
    const from = (options?.data?.root as { page?: { url?: unknown; kind?: unknown } } | undefined)?.page;
    if (!from || from.kind === '404' || typeof from.url !== 'string' || (from.url !== '' && !from.url.endsWith('/'))) {
      return basePath + encodeUrlPath(target);
    }
    return encodeUrlPath(relativeUrl(from.url, target));
  });
  hbs.registerHelper('breakable', (text: unknown) => new hbs.SafeString(breakableName(typeof text === 'string' ? text : String(text ?? ''))));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('plural', (count: unknown, one: unknown, many: unknown) => (count === 1 ? one : many));
  hbs.registerHelper('percent', (part: unknown, whole: unknown) => (typeof part === 'number' && typeof whole === 'number' ? coveragePercent(part, whole) : 0));

  const layouts = new Map<string, Handlebars.TemplateDelegate>();
  const partials = new Map<string, Handlebars.TemplateDelegate>();
  const shortcodes = new Map<string, Handlebars.TemplateDelegate>();
  const compileOptions: CompileOptions = { strict: false, preventIndent: true };
  for (const [name, template] of Object.entries(data.templates)) {
    if (template.kind === 'partial') {
      const compiled = hbs.compile(template.source, compileOptions);
      partials.set(name, compiled);
      hbs.registerPartial(name, compiled);
    }
  }
  const theme: Theme = {
    data,
    assetPaths,
    fingerprint,
    hbs,
    layout(name) {
      let compiled = layouts.get(name);
      if (!compiled) {
        const template = data.templates[name];
        if (!template || template.kind !== 'layout') throw new Error(`The theme has no layout \`${name}\` (expected layouts/${name}.hbs)`);
        compiled = hbs.compile(template.source, compileOptions);
        layouts.set(name, compiled);
      }
      return compiled;
    },
    partial(name) {
      const compiled = partials.get(name);
      if (!compiled) throw new Error(`The theme has no partial \`${name}\` (expected partials/${name}.hbs)`);
      return compiled;
    },
    shortcode(name) {
      const key = SHORTCODE_PREFIX + name;
      let compiled = shortcodes.get(key);
      if (!compiled) {
        const template = data.templates[key];
        if (!template || template.kind !== 'shortcode') return undefined;
        compiled = hbs.compile(template.source, compileOptions);
        shortcodes.set(key, compiled);
      }
      return compiled;
    },
  };
  return theme;
}

type CompileOptions = Parameters<typeof Handlebars.compile>[1];

/** Hash of every template and asset byte (and the base path): part of page cache keys. */
export function themeFingerprint(theme: Theme): string {
  return theme.fingerprint;
}

/**
 * The theme's assets at their fingerprinted paths, for the writer; with `pages`, those only some
 * pages load (ON_DEMAND_ASSETS) are left out when no page names them (found when each page was
 * rendered, and cached with it).
 */
export function themeAssets(theme: Theme, pages?: Iterable<{ assetUses: string[] }>): { path: string; content: Buffer }[] {
  const list = pages ? [...pages] : undefined;
  const used = (name: string) => !list || !ON_DEMAND_ASSETS.has(name) || list.some((page) => page.assetUses.includes(name));
  return Object.keys(theme.assetPaths)
    .filter(used)
    .sort()
    .map((name) => ({ path: theme.assetPaths[name], content: Buffer.from(theme.data.assets[name]) }));
}
