// Load stage: the names of the site's own shortcodes (templates/shortcodes/NAME.hbs) and of a Hugo
// site's Go-template shortcodes (layouts/shortcodes/NAME.html, also in themes/*/), so that the
// link stage can tell "unknown" from "defined for Hugo only" without reading the disk itself.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import type { ShortcodeSources } from '../link/shortcode-references.js';

async function namesIn(dir: string, extension: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((entry) => entry.isFile() && entry.name.endsWith(extension)).map((entry) => entry.name.slice(0, -extension.length)).sort();
  } catch {
    return [];
  }
}

export async function loadShortcodeSources(config: ResolvedConfig): Promise<ShortcodeSources> {
  const display = (dir: string) => (path.relative(config.cwd, dir) || '.').split(path.sep).join('/');
  const site = config.templatesDir ? await namesIn(path.join(config.templatesDir, 'shortcodes'), '.hbs') : [];
  const hugoDirs = [path.join(config.root, 'layouts', 'shortcodes')];
  const themes = await readdir(path.join(config.root, 'themes'), { withFileTypes: true }).catch(() => []);
  for (const theme of themes) if (theme.isDirectory()) hugoDirs.push(path.join(config.root, 'themes', theme.name, 'layouts', 'shortcodes'));
  const hugo: ShortcodeSources['hugo'] = [];
  for (const dir of hugoDirs) {
    for (const name of await namesIn(dir, '.html')) if (!hugo.some((entry) => entry.name === name)) hugo.push({ name, file: `${display(dir)}/${name}.html` });
  }
  return { site, hugo, templatesFolder: config.templatesDir ? display(config.templatesDir) : undefined };
}
