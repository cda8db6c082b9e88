// The fixture repositories of test/fixtures/ built as a user would: copied to a temporary folder,
// then `runbook-site build` run in it. Shared by the end-to-end tests and the browser crawl.
import { cp, mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, type CliResult } from './cli.js';
import { projectRoot } from './project.js';
import { listFiles } from '../../src/load/files.js';

export const HUGO_FIXTURE = path.join(projectRoot, 'test/fixtures/hugo-site');
export const GITHUB_FIXTURE = path.join(projectRoot, 'test/fixtures/github-alerts');
/** How the GitHub-style fixture is built: its runbooks folder named, everything else found. */
export const GITHUB_FIXTURE_ARGS = ['--runbooks', 'alerts', '--base-url', 'https://example.github.io/runbooks/'];

export interface BuiltFixture {
  project: string;
  out: string;
  result: CliResult;
}

export async function buildFixture(fixture: string, args: string[] = []): Promise<BuiltFixture> {
  const project = await mkdtemp(path.join(tmpdir(), `runbook-site-${path.basename(fixture)}-`));
  await cp(fixture, project, { recursive: true });
  const result = await runCli(['build', '--no-cache', ...args], project);
  return { project, out: path.join(project, 'dist'), result };
}

export function hugoAvailable(): boolean {
  try {
    execFileSync('hugo', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Hugo's own build of a Hugo project (its content, config and static folder, with minimal layouts
 * so that every page is written): the files it publishes, relative to its output folder.
 */
export async function hugoOutputFiles(project: string, extraConfig = ''): Promise<string[]> {
  const site = await mkdtemp(path.join(tmpdir(), 'hugo-build-'));
  await cp(project, site, { recursive: true, dereference: true });
  for (const name of ['hugo.toml', 'config.toml']) {
    const file = path.join(site, name);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    // No theme is installed here: the layouts below print every page.
    await writeFile(file, `disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n${extraConfig}${text.replace(/^theme\s*=.*$/m, '')}`);
  }
  await mkdir(path.join(site, 'layouts/_default'), { recursive: true });
  await mkdir(path.join(site, 'layouts/shortcodes'), { recursive: true });
  // Hugo writes no file for a page that renders empty, so every layout prints the title too.
  const layout = '<title>{{ .Title }}</title>{{ .Content }}{{ range .Resources }}{{ .RelPermalink }}{{ end }}';
  for (const name of ['_default/single', '_default/list', 'index']) await writeFile(path.join(site, `layouts/${name}.html`), layout);
  await writeFile(path.join(site, 'layouts/shortcodes/rule.html'), '<pre>{{ .Get 0 }}</pre>');
  await writeFile(path.join(site, 'layouts/shortcodes/comment.html'), '{{ if false }}{{ .Inner }}{{ end }}');
  const out = path.join(site, 'public');
  execFileSync('hugo', ['--quiet', '-s', site, '-d', out]);
  return listFiles(out, () => true);
}

/** Every `src` and `href` in a built page that stays on the site, resolved to a file of `out`. */
export function localReferences(html: string, pageFile: string, basePath: string): { attribute: string; value: string; file: string }[] {
  const found: { attribute: string; value: string; file: string }[] = [];
  for (const match of html.matchAll(/\s(src|href)="([^"]*)"/g)) {
    const value = match[2].replace(/&amp;/g, '&');
    if (!value || value.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith('//')) continue;
    const pageUrl = new URL('https://site.invalid' + basePath + pageFile.replace(/index\.html$/, ''));
    const target = new URL(value, pageUrl);
    let sitePath = decodeURIComponent(target.pathname);
    if (!sitePath.startsWith(basePath)) {
      found.push({ attribute: match[1], value, file: '(outside the base path)' });
      continue;
    }
    sitePath = sitePath.slice(basePath.length);
    found.push({ attribute: match[1], value, file: sitePath === '' || sitePath.endsWith('/') ? sitePath + 'index.html' : sitePath });
  }
  return found;
}
