// One schema for configuration and front matter; the TypeScript types are inferred from it.
// zod's v3 API, from the same package: it loads in ~11 ms against ~45 ms for v4, which matters
// to a run that only replays its last result.
import { z } from 'zod/v3';
import { parseDuration } from './duration.js';

const dateLike = z.union([z.string(), z.date()]);
/** A URL put in links: only http(s), so a config value can never be a `javascript:` link. */
const httpUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//i.test(value), 'expected an http:// or https:// URL');
/** A path: empty would resolve to the project folder itself. */
const folder = z.string().min(1, 'expected a path, got an empty string');

/** Runbook front matter. Keys from other tools (Hugo, wiki.js…) pass through untouched. */
export const frontMatterSchema = z
  .object({
    title: z.string().optional(),
    description: z.string().optional(),
    tags: z.union([z.array(z.union([z.string(), z.number()]).transform(String)), z.string().transform((s) => [s])]).nullish(),
    date: dateLike.optional(),
    lastmod: dateLike.optional(),
    weight: z.number().optional(),
    draft: z.boolean().optional(),
    aliases: z.array(z.string()).optional(),
    /** Explicit link to one or more alert names. */
    alert: z.union([z.string(), z.array(z.string())]).optional(),
    /** Hugo: the last URL segment instead of the file name. */
    slug: z.string().optional(),
    /** Hugo: the page's whole site path, e.g. `/about/`. */
    url: z.string().optional(),
    /** Hugo: the shorter title used in navigation. */
    linkTitle: z.string().optional(),
    /** Hugo: the page's summary, shown in listings. */
    summary: z.string().optional(),
    /** Hugo: not built before this date, nor after `expiryDate`. */
    publishDate: dateLike.optional(),
    expiryDate: dateLike.optional(),
  })
  .passthrough();

export type FrontMatter = z.infer<typeof frontMatterSchema>;

/** `runbook-site.yaml`. Every path is relative to the folder holding the config file. */
export const configSchema = z
  .object({
    title: z.string().default('Runbooks'),
    /** Absolute site URL, e.g. https://org.github.io/repo/. Its path becomes the prefix of every link. */
    baseURL: httpUrl.default('http://localhost/'),
    rules: folder.default('rules'),
    runbooks: folder.default('runbooks'),
    out: folder.default('dist'),
    templates: folder.optional(),
    /** Markdown file shown on the home page. */
    intro: folder.optional(),
    /** Repository web URL for "edit this page" and rule source links, e.g. https://github.com/org/repo */
    repository: z
      .object({
        url: httpUrl,
        branch: z.string().default('main'),
        /** Path of the project root inside the repository, if not the top. */
        path: z.string().default(''),
      })
      .optional(),
    editLinks: z.boolean().default(true),
    prometheusURL: httpUrl.optional(),
    grafanaURL: httpUrl.optional(),
    cacheDir: folder.default('.cache/runbook-site'),
    /** Clean runbook HTML (raw HTML, scripts, javascript: links) for sites publishing others' runbooks. */
    sanitize: z.boolean().default(false),
    /**
     * Hugo's typographer: curly quotes, en/em dashes, ellipses and angle quotes in text, never in
     * code. Off by default: a runbook's text is often copied into a terminal or a query, where a
     * curly quote breaks it.
     */
    typographer: z.boolean().default(false),
    /**
     * GitHub's emoji shortcodes (`:warning:` → ⚠️) in text, never in code: on by default, as GitHub
     * renders them; a Hugo site follows its `enableEmoji` (off unless set, as in Hugo).
     */
    emoji: z.boolean().default(true),
    /** The annotation linking an alert to its runbook: read by `check`, set by `annotate`. */
    runbookAnnotation: z.string().min(1).default('runbook_url'),
    /**
     * What `annotate` sets that annotation to: `alert-page` (the alert's own page, which always
     * exists), `runbook` (the runbook's page when the alert has one, else its alert page), or a URL
     * pattern with `{alert}` (the name) and `{slug}` (lower-cased, URL-safe) placeholders.
     */
    runbookURL: z.string().min(1).default('alert-page'),
    /** A Hugo content folder: every section of it is built, at Hugo's URLs (instead of `runbooks`). */
    content: folder.optional(),
    /** Copied as it is to the site root (Hugo's `static/`). */
    static: folder.optional(),
    /** Hugo's uglyURLs: pages at `section/page.html` instead of `section/page/`. */
    uglyURLs: z.boolean().default(false),
    /** The `lang` of every page. */
    languageCode: z.string().min(1).default('en'),
    /**
     * Hugo's `timeout`: how long one page may take to render ("30s", "2m", or milliseconds) before
     * the build stops and names it, instead of hanging on input that makes a parser loop.
     */
    timeout: z
      .union([z.number(), z.string()])
      .default('30s')
      .transform((value, ctx) => {
        const ms = parseDuration(value);
        if (ms === undefined || ms <= 0) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected a duration such as "30s" or "2m", or a number of milliseconds' });
          return z.NEVER;
        }
        return ms;
      }),
    /** Site parameters (Hugo's `params`), for templates and the `param` shortcode. */
    params: z.record(z.unknown()).default({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
