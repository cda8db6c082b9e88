// Load stage: every runbook markdown file becomes a Runbook with its VFile, front matter and shortcodes.
import { readTextFile } from './text.js';
import path from 'node:path';
import { VFile } from 'vfile';
import { readFrontMatter } from './front-matter.js';
import { frontMatterSchema, type FrontMatter } from '../config/schema.js';
import { pointAt, reportError, reportWarning } from '../diagnostics.js';
import type { Point, Runbook } from '../model.js';
import { tokenizeShortcodes } from '../shortcodes/tokenize.js';
import { pageRoles, pageUrl, type PageRole } from '../link/page-urls.js';
import { RUNBOOKS_URL_PREFIX } from '../link/urls.js';
import { listKnownFiles, type Listings } from './files.js';
import type { LoadCache } from '../cache/load-cache.js';
import { openingHeading } from './opening-heading.js';

/**
 * Largest runbook rendered; real ones are a few kilobytes (srerun's largest is 9 KB). The markdown
 * libraries are superlinear on some inputs (mdast-util-to-hast checks the whole list for every
 * item: a 1 MB list took 25 s and 1.9 GB), so the cap keeps the worst case to a few seconds.
 */
export const MAX_RUNBOOK_BYTES = 262_144;

/**
 * Where a front-matter key is written in a runbook (1:1 when it is not found), for messages about
 * its value. Reads the front matter again: only asked on the error path.
 */
export function frontMatterKeyPlace(runbook: Runbook, key: string, item?: number): Point {
  return readFrontMatter(String(runbook.vfile.value)).keyPlace(key, item) ?? { line: 1, column: 1 };
}

/** A runbook as kept in the load cache: without its vfile, and its body as an offset into the text. */
type CachedRunbook = Omit<Runbook, 'vfile' | 'body'> & { bodyOffset: number; bodyLength: number };

/** Where a runbook's page goes: the site path of the folder loaded, the file's role, Hugo's uglyURLs. */
export interface RunbookPlacement {
  /** `runbooks/` (default) or '' for a Hugo content folder. */
  prefix?: string;
  role?: PageRole;
  uglyURLs?: boolean;
}

export async function loadRunbook(runbooksDir: string, relativeFile: string, cache?: LoadCache, placement: RunbookPlacement = {}): Promise<Runbook> {
  const absolute = path.join(runbooksDir, relativeFile);
  // Synchronous: a thousand small reads through the thread pool cost ~6x more here (measured).
  const { text, problem } = readTextFile(absolute);
  const vfile = new VFile({ path: absolute, value: text });
  const role = placement.role ?? (/^_index\.md$/i.test(path.posix.basename(relativeFile)) ? 'section' : 'page');
  // The role changes what is reported (an empty section page is fine), so it is part of the key.
  const cacheName = role === 'page' ? relativeFile : `${relativeFile}\0${role}`;
  const cached = cache?.reuse<CachedRunbook>('runbook', cacheName, text, vfile);
  let runbook: Runbook;
  if (problem) {
    // Not UTF-8 text: reported at the first bad byte, and an empty page rather than one of U+FFFD.
    reportError(vfile, problem.message, problem.place, problem.ruleId);
    runbook = parseRunbook('', vfile, relativeFile, role);
  } else if (cached) {
    const { bodyOffset, bodyLength, ...rest } = cached;
    runbook = { ...rest, vfile, body: text.slice(bodyOffset, bodyOffset + bodyLength) };
  } else {
    runbook = parseRunbook(text, vfile, relativeFile, role);
    // From the text alone, so kept with the rest: a warm build neither parses it nor loads the parser.
    const { title } = runbook.frontMatter;
    if (typeof title !== 'string' || !title.trim()) runbook.heading = await openingHeading(runbook.body);
    if (cache) {
      const { vfile: _vfile, body, ...rest } = runbook;
      // The body is a tail of the text (or empty for a refused file): keep where it is, not a copy.
      const bodyOffset = body.length === 0 ? 0 : text.length - body.length;
      if (text.slice(bodyOffset, bodyOffset + body.length) === body) cache.keep('runbook', cacheName, text, vfile, { ...rest, bodyOffset, bodyLength: body.length } satisfies CachedRunbook);
    }
  }
  // The URL depends on settings, not only on the text: never taken from the cache.
  const { frontMatter } = runbook;
  runbook.url = pageUrl({
    prefix: placement.prefix ?? RUNBOOKS_URL_PREFIX,
    folder: runbook.folder ?? runbook.sectionPath,
    role,
    stem: runbook.stem,
    slug: typeof frontMatter.slug === 'string' ? frontMatter.slug : undefined,
    url: typeof frontMatter.url === 'string' ? frontMatter.url : undefined,
    uglyURLs: placement.uglyURLs ?? false,
  });
  return runbook;
}

/** Front matter, body and shortcodes of one runbook's text; problems go on `vfile`. */
function parseRunbook(fullText: string, vfile: VFile, relativeFile: string, role: PageRole): Runbook {
  let text = fullText;
  if (text.length > MAX_RUNBOOK_BYTES) {
    // Refuse a file no person would write as one runbook rather than hang on it (see above).
    reportError(
      vfile,
      `Unexpected runbook of ${Math.round(text.length / 1024)} KB, expected at most ${MAX_RUNBOOK_BYTES / 1024} KB: split it into several runbooks`,
      { line: 1, column: 1 },
      'runbook-too-large',
    );
    text = '';
  }
  const segments = relativeFile.split('/');
  const fileName = segments.pop()!;
  const isSectionIndex = role === 'section';

  const read = readFrontMatter(text);
  for (const problem of read.problems) reportError(vfile, problem.message, problem.place, problem.ruleId);
  const body = text.slice(read.bodyOffset);
  const bodyStart: Point = pointAt(text, read.bodyOffset);

  let frontMatter: FrontMatter = read.data as FrontMatter;
  const checked = frontMatterSchema.safeParse(frontMatter);
  if (checked.success) {
    frontMatter = checked.data;
  } else {
    for (const issue of checked.error.issues) {
      const key = issue.path[0] as string | number | undefined;
      reportError(
        vfile,
        `Unexpected value for front matter \`${issue.path.join('.')}\`: ${issue.message}`,
        (typeof key === 'string' ? read.keyPlace(key) : undefined) ?? { line: 1, column: 1 },
        'front-matter-schema',
      );
      if (typeof key === 'string') delete (frontMatter as Record<string, unknown>)[key];
    }
    // Without its bad keys, parsed again: the rest of the pipeline gets schema data (a lone tag
    // as a list, say), never the raw values. Should that still fail, no front matter at all.
    const retried = frontMatterSchema.safeParse(frontMatter);
    frontMatter = retried.success ? retried.data : ({} as FrontMatter);
  }

  const empty = body.trim().length === 0;
  if (empty && !isSectionIndex) {
    reportWarning(vfile, 'Unexpected empty runbook, expected steps for the on-call engineer', bodyStart, 'empty-runbook');
  }

  const { tokens, problems } = tokenizeShortcodes(body);
  for (const problem of problems) {
    reportError(vfile, problem.message, { start: pointAt(body, problem.start, bodyStart), end: pointAt(body, problem.end, bodyStart) }, problem.ruleId);
  }

  return {
    file: relativeFile,
    vfile,
    frontMatter,
    body,
    bodyStart,
    isSectionIndex,
    role,
    folder: segments,
    // A bundle is its folder: it sits in the folder's parent section, named after the folder.
    sectionPath: role === 'bundle' ? segments.slice(0, -1) : segments,
    stem: role === 'bundle' ? segments[segments.length - 1] : fileName.replace(/\.md$/i, ''),
    url: '',
    empty,
    shortcodes: tokens,
  };
}

/** Every `*.md` under the runbooks (or content) folder, sorted, loaded. */
export async function loadRunbooks(runbooksDir: string, cache?: LoadCache, placement: Omit<RunbookPlacement, 'role'> = {}, listings?: Listings): Promise<Runbook[]> {
  // From the build record key's listing of every file, when there is one.
  const files = await listKnownFiles(runbooksDir, (name) => name.toLowerCase().endsWith('.md'), listings);
  const roles = pageRoles(files);
  return Promise.all(files.map((file) => loadRunbook(runbooksDir, file, cache, { ...placement, role: roles.get(file) })));
}
