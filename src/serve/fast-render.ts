// serve's fast render, after Hugo's server (on by default there, `--disableFastRender` to turn it
// off): when a save changed nothing but the bodies of runbooks already on the site, their pages are
// rendered first, from the last good build's site graph, and open tabs reload at once; the full
// build runs right after and has the last word (it rewrites any page it renders differently, and
// puts back the last good page when it finds errors).
//
// A page is rendered this way only when the full build could not make it differently: same file
// set (so the same URLs, sections and link targets), same front matter (title, tags, alerts, URL),
// the same rules embedded (so the alerts it documents are the same), no error in the file, and the
// page data put together by the link stage's own function. Anything else waits for the full build.
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { loadRunbook } from '../load/runbooks.js';
import { resolveShortcodes, type ShortcodeSources } from '../link/shortcode-references.js';
import { runbookMarkdown } from '../link/pages.js';
import type { Site } from '../link/site.js';
import type { PageData, RenderedPage } from '../render/page-data.js';
import type { Runbook } from '../model.js';

/** The last good build, as fast render needs it. */
export interface FastRenderBase {
  config: ResolvedConfig;
  site: Site;
  shortcodeSources: ShortcodeSources;
  /** Renders one page as the render stage does (same theme, same link map). */
  render(page: PageData): RenderedPage;
}

export type FastRender =
  | { pages: { page: PageData; rendered: RenderedPage }[] }
  /** Why the full build is needed first (for --verbose). */
  | { declined: string };

/** Fast render of more files than this is no faster than the full build. */
const MAX_FILES = 8;

const hasErrors = (runbook: Runbook) => runbook.vfile.messages.some((message) => message.fatal === true);

/** The pages of the changed files (absolute paths), or why they cannot be rendered before the full build. */
export async function fastRenderPages(base: FastRenderBase, changed: string[]): Promise<FastRender> {
  const { config, site } = base;
  if (changed.length === 0 || changed.length > MAX_FILES) return { declined: `${changed.length} files changed` };
  const byPath = new Map(site.runbooks.map((runbook) => [runbook.vfile.path, runbook]));
  const pageByUrl = new Map(site.pages.filter((page) => page.kind === 'runbook').map((page) => [page.url, page]));
  const pages: { page: PageData; rendered: RenderedPage }[] = [];
  for (const file of changed) {
    const before = byPath.get(path.resolve(file));
    if (!before) return { declined: `${path.basename(file)} is not a page of the last build` };
    const previous = pageByUrl.get(before.url);
    if (!previous?.markdown || before.isSectionIndex) return { declined: `${before.file} is not a runbook page` };
    let runbook: Runbook;
    try {
      runbook = await loadRunbook(config.runbooksDir, before.file, undefined, { prefix: config.urlPrefix, uglyURLs: config.uglyURLs, role: before.role });
    } catch {
      return { declined: `${before.file} could not be read` };
    }
    if (runbook.url !== before.url || runbook.empty || runbook.isSectionIndex) return { declined: `${before.file} changed more than its text` };
    if (JSON.stringify(runbook.frontMatter) !== JSON.stringify(before.frontMatter)) return { declined: `${before.file}: its front matter changed` };
    // Its title is in every page that lists it.
    if (runbook.heading !== before.heading) return { declined: `${before.file}: its title heading changed` };
    if (hasErrors(runbook)) return { declined: `${before.file} has errors` };
    const { embedsByRunbook, resolvedByRunbook } = resolveShortcodes([runbook], site.ruleFiles, config, base.shortcodeSources, site.runbooks);
    if (hasErrors(runbook)) return { declined: `${before.file} has errors` };
    const embeds = embedsByRunbook.get(runbook) ?? [];
    // The rules it embeds decide which alerts it is the runbook of, which other pages show.
    const rulesNow = embeds.flatMap((embed) => embed.rules);
    const rulesBefore = previous.markdown.embeds.flatMap((embed) => embed.rules);
    if (rulesNow.length !== rulesBefore.length || rulesNow.some((rule, i) => rule !== rulesBefore[i])) return { declined: `${before.file} embeds other rules` };
    const page: PageData = { ...previous, markdown: runbookMarkdown(runbook, config, embeds, resolvedByRunbook.get(runbook)) };
    const rendered = base.render(page);
    if ((rendered.problems ?? []).length > 0) return { declined: `${before.file} has problems to report` };
    pages.push({ page, rendered });
  }
  return { pages };
}
