// The Hugo site the benchmarks time: the srerun content (symlinked) with bare layouts that render
// each page's content and nothing else, a `rule` shortcode printing its arguments and a `comment`
// shortcode printing nothing, and raw HTML kept (`unsafe`), so Hugo does the markdown work we do.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const BASE_URL = 'https://srerun.github.io/prometheus-alerts/';

export async function hugoSite(dir: string, srerun: string): Promise<void> {
  await mkdir(path.join(dir, 'layouts/_default'), { recursive: true });
  await mkdir(path.join(dir, 'layouts/shortcodes'), { recursive: true });
  await writeFile(path.join(dir, 'hugo.toml'), `baseURL = "${BASE_URL}"\ntitle = "bench"\n[markup.goldmark.renderer]\nunsafe = true\n`);
  for (const layout of ['_default/single.html', '_default/list.html', 'index.html']) await writeFile(path.join(dir, 'layouts', layout), '{{ .Content }}\n');
  await writeFile(path.join(dir, 'layouts/shortcodes/rule.html'), '<pre>{{ .Get 0 }} {{ .Get 1 }}</pre>\n');
  await writeFile(path.join(dir, 'layouts/shortcodes/comment.html'), '{{ if false }}{{ .Inner }}{{ end }}\n');
  await symlink(path.join(srerun, 'content'), path.join(dir, 'content'));
}
