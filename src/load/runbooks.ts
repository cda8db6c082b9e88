// Load stage: every runbook markdown file becomes a Runbook with its VFile, front matter and shortcodes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { VFile } from 'vfile';
import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq } from 'yaml';
import { frontMatterSchema, type FrontMatter } from '../config/schema.js';
import { pointAt, reportError, reportWarning } from '../diagnostics.js';
import type { Point, Runbook } from '../model.js';
import { tokenizeShortcodes } from '../shortcodes/tokenize.js';
import { pageRoles, pageUrl, type PageRole } from '../link/page-urls.js';
import { RUNBOOKS_URL_PREFIX } from '../link/urls.js';
import { listFiles } from './files.js';
import type { LoadCache } from '../cache/load-cache.js';

/**
 * Largest runbook rendered; real ones are a few kilobytes (srerun's largest is 9 KB). The markdown
 * libraries are superlinear on some inputs (mdast-util-to-hast checks the whole list for every
 * item: a 1 MB list took 25 s and 1.9 GB), so the cap keeps the worst case to a few seconds.
 */
export const MAX_RUNBOOK_BYTES = 262_144;

const FRONT_MATTER_OPEN = /^---[ \t]*\r?\n/;

/** Dates become ISO strings so front matter is plain, hashable data. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = plain(inner);
    return out;
  }
  return value;
}

/**
 * Where a front-matter key is written in a runbook (1:1 when it is not found), for messages about
 * its value. Parses the front matter again: only asked on the error path.
 */
export function frontMatterKeyPlace(runbook: Runbook, key: string, item?: number): Point {
  return keyPosition(String(runbook.vfile.value), runbook.bodyStart, key, item) ?? { line: 1, column: 1 };
}

/** Where a front-matter key is written in `text` (whose body starts at `bodyStart`); with `item`, that item of its list value. */
function keyPosition(text: string, bodyStart: Point, key: string | number | undefined, item?: number): Point | undefined {
  if (key === undefined) return undefined;
  const frontMatterText = text.slice(0, bodyStart.offset ?? 0).replace(FRONT_MATTER_OPEN, '').replace(/\n---[\s\S]*$/, '\n');
  const counter = new LineCounter();
  const doc = parseDocument(frontMatterText, { lineCounter: counter });
  if (!isMap(doc.contents)) return undefined;
  for (const pair of doc.contents.items) {
    if (isScalar(pair.key) && pair.key.value === key && pair.key.range) {
      const value = item !== undefined && isSeq(pair.value) ? pair.value.items[item] : undefined;
      const range = (isNode(value) && value.range) || pair.key.range;
      const { line, col } = counter.linePos(range[0]);
      return { line: line + 1, column: col }; // +1: the opening `---` line
    }
  }
  return undefined;
}

/**
 * gray-matter's parser reports where it gave up (often the end of the block); the yaml package,
 * which keeps source ranges, points at the construct that is wrong. Only asked on the error path.
 */
function frontMatterErrorPlace(text: string): Point | undefined {
  const open = FRONT_MATTER_OPEN.exec(text);
  if (!open) return undefined;
  const close = text.indexOf('\n---', open[0].length - 1);
  const block = text.slice(open[0].length, close === -1 ? text.length : close + 1);
  const counter = new LineCounter();
  const doc = parseDocument(block, { lineCounter: counter });
  const first = doc.errors[0];
  if (!first) return undefined;
  const { line, col } = counter.linePos(first.pos[0]);
  return { line: line + 1, column: col };
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
  const text = readFileSync(absolute, 'utf8');
  const vfile = new VFile({ path: absolute, value: text });
  const role = placement.role ?? (/^_index\.md$/i.test(path.posix.basename(relativeFile)) ? 'section' : 'page');
  // The role changes what is reported (an empty section page is fine), so it is part of the key.
  const cacheName = role === 'page' ? relativeFile : `${relativeFile}\0${role}`;
  const cached = cache?.reuse<CachedRunbook>('runbook', cacheName, text, vfile);
  let runbook: Runbook;
  if (cached) {
    const { bodyOffset, bodyLength, ...rest } = cached;
    runbook = { ...rest, vfile, body: text.slice(bodyOffset, bodyOffset + bodyLength) };
  } else {
    runbook = parseRunbook(text, vfile, relativeFile, role);
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

  let body = text;
  let data: Record<string, unknown> = {};
  let bodyStart: Point = { line: 1, column: 1, offset: 0 };
  if (FRONT_MATTER_OPEN.test(text)) {
    try {
      // Passing options keeps gray-matter from caching every file's text for the process lifetime.
      const parsed = matter(text, { language: 'yaml' });
      data = (parsed.data ?? {}) as Record<string, unknown>;
      body = parsed.content;
      const offset = text.length - body.length;
      bodyStart = pointAt(text, offset);
    } catch (error) {
      const mark = (error as { mark?: { line: number; column: number } }).mark;
      const reason = ((error as { reason?: string }).reason ?? (error as Error).message).split('\n')[0];
      reportError(
        vfile,
        `Invalid YAML in front matter: ${reason}. Fix the front matter between the \`---\` lines`,
        frontMatterErrorPlace(text) ?? (mark ? { line: mark.line + 2, column: mark.column + 1 } : { line: 1, column: 1 }),
        'front-matter-yaml',
      );
      // Keep going with the text after the closing fence so the page still exists.
      const close = text.indexOf('\n---', 3);
      const after = close === -1 ? text.length : text.indexOf('\n', close + 4);
      body = after === -1 ? '' : text.slice(after + 1);
      bodyStart = pointAt(text, text.length - body.length);
    }
  }

  let frontMatter: FrontMatter = plain(data) as FrontMatter;
  const checked = frontMatterSchema.safeParse(frontMatter);
  if (checked.success) {
    frontMatter = checked.data;
  } else {
    for (const issue of checked.error.issues) {
      const key = issue.path[0] as string | number | undefined;
      reportError(
        vfile,
        `Unexpected value for front matter \`${issue.path.join('.')}\`: ${issue.message}`,
        keyPosition(text, bodyStart, key) ?? { line: 1, column: 1 },
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
export async function loadRunbooks(runbooksDir: string, cache?: LoadCache, placement: Omit<RunbookPlacement, 'role'> = {}): Promise<Runbook[]> {
  const files = await listFiles(runbooksDir, (name) => name.toLowerCase().endsWith('.md'));
  const roles = pageRoles(files);
  return Promise.all(files.map((file) => loadRunbook(runbooksDir, file, cache, { ...placement, role: roles.get(file) })));
}
