// The full pipeline, once build.ts has found that the last result cannot be replayed:
// load (rules, runbooks) → link (site graph, site-wide checks) → render → write.
// Data flows one way. `check` runs the same stages but renders markdown only and writes nothing.
// Imported lazily, so that a replayed run never loads the parsers.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openLoadCache } from '../cache/load-cache.js';
import { gitLastModified } from '../load/git-dates.js';
import { linkSite, type Site } from '../link/site.js';
import type { ResolvedConfig } from '../config/load.js';
import type { RenderedPage } from '../render/page-data.js';
import { prestartRenderWorkers, renderPages, assetFiles } from './render-pages.js';
import { tuneV8ForBuild } from './v8-tuning.js';
import { checkRenderedPages, loadSiteInputs } from './site-stages.js';
import { byCodePoint } from '../order.js';
import { writeSite, type OutputFile } from '../write/output.js';
import { sitemap } from '../write/sitemap.js';
import { redirectFiles } from '../write/redirects.js';
import { ALERTS_JSON_PATH, alertsJson } from '../render/alerts-json.js';
import { RECOVERY_MAP_PATH, recoveryMap } from '../render/recovery-map.js';
import { outputManifest, readRecordedOutput, writeBuildRecord, type BuildRecord, type OutputManifest } from '../cache/build-record.js';
import { collectDiagnostics, countBySeverity, displayPath } from '../report/format.js';
import { DEFAULT_TEMPLATES_DIR, type BuildOptions, type BuildResult } from '../build.js';
import type { Listings } from '../load/files.js';

/** Every file of the built site but the output marker, sorted by path (also what `serve` writes). */
export async function siteOutputFiles(site: Site, rendered: Map<string, RenderedPage>, config: ResolvedConfig, files: { publishedResources: Map<string, string>; staticFiles: string[] } = { publishedResources: new Map(), staticFiles: [] }): Promise<OutputFile[]> {
  const outputs: OutputFile[] = [];
  for (const page of rendered.values()) outputs.push({ path: page.outputPath, content: page.html });
  outputs.push(...(await assetFiles(site, rendered, { config, templatesDir: DEFAULT_TEMPLATES_DIR })));
  outputs.push(...redirectFiles(site));
  outputs.push({ path: 'sitemap.xml', content: sitemap(site) });
  outputs.push({ path: ALERTS_JSON_PATH, content: alertsJson(site.alerts.map((link) => ({ rule: link.rule, runbookUrl: link.runbook?.url, anchor: link.anchor })), site.info.baseURL) });
  outputs.push({ path: RECOVERY_MAP_PATH, content: recoveryMap(site) });
  outputs.push({ path: '.nojekyll', content: '' });
  // Files next to the runbooks that pages use, bundles' files, then static files where nothing generated is.
  const taken = new Set(outputs.map((file) => file.path));
  for (const [file, outputPath] of [...files.publishedResources].sort(([a], [b]) => byCodePoint(a, b))) {
    taken.add(outputPath);
    outputs.push({ path: outputPath, content: readFileSync(path.join(config.runbooksDir, file)) });
  }
  for (const file of files.staticFiles) {
    if (taken.has(file) || !config.staticDir) continue;
    taken.add(file);
    outputs.push({ path: file, content: readFileSync(path.join(config.staticDir, file)) });
  }
  return outputs.sort((a, b) => byCodePoint(a.path, b.path));
}

/** Runs every stage; `recordKey` (when the cache is on) files the result for replay next time. */
export async function runPipeline(options: BuildOptions, recordKey: string | undefined, listings?: Listings): Promise<BuildResult> {
  const { config } = options;
  const mode = options.write ? 'build' : 'check';
  tuneV8ForBuild();
  // Render workers load the markdown pipeline and theme while the main thread loads the site.
  prestartRenderWorkers({ config, templatesDir: DEFAULT_TEMPLATES_DIR, markdownOnly: !options.write, cache: options.cache });

  // Load
  options.onProgress?.('load', 0, 0);
  // Files whose text did not change since the last build are not parsed again (cache/load-cache.ts).
  const loadCache = options.cache ? await openLoadCache(config.cacheDirAbs, options.version) : undefined;
  const [inputs, gitDates] = await Promise.all([
    loadSiteInputs(config, { cache: loadCache, scaffold: options.write, listings }),
    options.write ? gitLastModified(config.runbooksDir) : Promise.resolve(undefined),
  ]);
  await loadCache?.save();
  const { files } = inputs;

  // Link
  options.onProgress?.('link', 0, 0);
  const site = linkSite({ config, ...inputs, version: options.version, gitDates });

  // Render (full pages for build, markdown only for check)
  const { rendered, cacheHits, renderedCount, problems } = await renderPages(site, {
    config,
    version: options.version,
    templatesDir: DEFAULT_TEMPLATES_DIR,
    markdownOnly: !options.write,
    cache: options.cache,
    onProgress: (done, total) => options.onProgress?.('render', done, total),
  });

  // Site-wide checks on rendered links
  options.onProgress?.('check links', 0, 0);
  const published = checkRenderedPages(site, inputs, rendered, problems, config);
  files.push(...published.reported);

  const diagnostics = collectDiagnostics(files, config.cwd);
  const { error: errors, warning: warnings } = countBySeverity(diagnostics);
  const sources = new Map<string, string>();
  // Keyed as the diagnostics name their files, so that code frames find their source.
  for (const file of files) sources.set(displayPath(file, config.cwd), String(file.value));
  const result: BuildResult = {
    diagnostics,
    sources,
    coverage: site.coverage,
    runbookCount: site.runbookCount,
    pageCount: site.pages.length,
    errors,
    warnings,
    pagesWritten: 0,
    pagesUnchanged: 0,
    cacheHits,
    rendered: renderedCount,
    wrote: false,
    replayed: false,
  };
  const recordOf = (output?: OutputManifest): BuildRecord => ({
    diagnostics: result.diagnostics,
    coverage: result.coverage,
    runbookCount: result.runbookCount,
    pageCount: result.pageCount,
    errors,
    warnings,
    output: output?.files,
    outputDirs: output?.dirs,
  });
  if (!options.write) {
    if (recordKey) await writeBuildRecord(config, mode, recordKey, recordOf());
    return result;
  }
  // A failed build, or one stopped by --strict, leaves the previous output exactly as it was.
  if (options.failOnErrors && (errors > 0 || (options.strict && warnings > 0))) return result;

  // Write
  options.onProgress?.('write', 0, 0);
  const [outputs, recorded] = await Promise.all([siteOutputFiles(site, rendered, config, published), recordKey ? readRecordedOutput(config) : undefined]);
  const { written, unchanged, leftover, manifest } = await writeSite(config.outDir, outputs, options.version, config.cwd, recorded);
  result.leftover = leftover;
  result.pagesWritten = written;
  result.pagesUnchanged = unchanged;
  result.wrote = true;
  if (recordKey) await writeBuildRecord(config, mode, recordKey, recordOf(manifest ?? outputManifest(config.outDir)));
  return result;
}
