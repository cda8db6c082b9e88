// The render stage's public surface: theme loading, page rendering and the search index.
export { loadTheme, themeFromData, themeData, themeFingerprint, themeAssets, encodeUrlPath } from './theme.js';
export type { Theme, ThemeData, LoadThemeOptions } from './theme.js';
export { renderPage, severityClass, ruleSlugId, tableOfContents } from './page.js';
export type { RenderPageOptions, RuleView, TemplateContext, TocEntry } from './page.js';
export { buildSearchIndex, splitIdentifier, SEARCH_INDEX_PATH, SEARCH_OPTIONS } from './search-index.js';
export type { SearchDoc } from './search-index.js';
export type { PageData, RenderedPage } from './page-data.js';
