// Front matter as Hugo reads it: YAML between `---` lines, TOML between `+++` lines, or a JSON
// object at the start of the file. Each format with a real parser (YAML under the one YAML
// policy), every problem with its place in the file, and the date keys checked as dates.
import { LineCounter, isMap, isScalar, isSeq, type Document } from 'yaml';
import { parse as parseToml, TomlError } from 'smol-toml';
import { pointAt } from '../diagnostics.js';
import type { Point } from '../model.js';
import { parseYamlDocument, yamlValue } from '../yaml-policy.js';

export type FrontMatterFormat = 'yaml' | 'toml' | 'json';

export interface FrontMatterProblem {
  message: string;
  place: Point;
  ruleId: string;
}

export interface ReadFrontMatter {
  format?: FrontMatterFormat;
  /** Plain data (dates as ISO strings); `{}` when there is none or it could not be read. */
  data: Record<string, unknown>;
  /** Offset in the text where the body starts. */
  bodyOffset: number;
  problems: FrontMatterProblem[];
  /** Where a top-level key is written, if it is; with `item`, that item of its list value (YAML). */
  keyPlace: (key: string, item?: number) => Point | undefined;
}

/** Hugo's date keys: a value that is not a date is an error rather than a wrong date on the page. */
export const DATE_KEYS = ['date', 'lastmod', 'publishDate', 'expiryDate'];

const YAML_FENCE = /^---[ \t]*$/;
const TOML_FENCE = /^\+\+\+[ \t]*$/;

interface Block {
  format: FrontMatterFormat;
  /** [start, end) of the front matter's own text (fences excluded for YAML and TOML). */
  start: number;
  end: number;
  bodyOffset: number;
  /** False when the closing fence or brace is missing. */
  closed: boolean;
}

/** Offset of the start of the line after the one holding `offset` (or the text's end). */
function nextLine(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

function lineAt(text: string, start: number): string {
  const newline = text.indexOf('\n', start);
  return text.slice(start, newline === -1 ? text.length : newline).replace(/\r$/, '');
}

/** The end of the JSON object starting at `start` (after its `}`), braces in strings skipped. */
function jsonObjectEnd(text: string, start: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 92 /* \ */) index++;
      else if (code === 34 /* " */) inString = false;
    } else if (code === 34) {
      inString = true;
    } else if (code === 123 /* { */) {
      depth++;
    } else if (code === 125 /* } */) {
      depth--;
      if (depth === 0) return index + 1;
    }
  }
  return undefined;
}

function findBlock(text: string): Block | undefined {
  const first = lineAt(text, 0);
  for (const [format, fence] of [['yaml', YAML_FENCE], ['toml', TOML_FENCE]] as const) {
    if (!fence.test(first)) continue;
    const start = nextLine(text, 0);
    for (let line = start; line < text.length; line = nextLine(text, line)) {
      if (fence.test(lineAt(text, line))) return { format, start, end: line, bodyOffset: nextLine(text, line), closed: true };
    }
    return { format, start, end: text.length, bodyOffset: text.length, closed: false };
  }
  if (text.startsWith('{')) {
    const end = jsonObjectEnd(text, 0);
    if (end === undefined) return { format: 'json', start: 0, end: text.length, bodyOffset: text.length, closed: false };
    // The rest of the closing brace's line belongs to the front matter, as in Hugo.
    const rest = lineAt(text, end);
    return { format: 'json', start: 0, end, bodyOffset: rest.trim() === '' ? nextLine(text, end) : end, closed: true };
  }
  return undefined;
}

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

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?[ \t]*(?:[Zz]|[+-](\d{2}):?(\d{2}))?)?$/;

/**
 * Whether `text` is a date Hugo would read: ISO 8601 forms are checked field by field (no 13th
 * month, no 45th day); other forms (RFC 1123 and the like) must at least parse.
 */
export function isValidDate(text: string): boolean {
  const value = text.trim();
  const iso = ISO_DATE.exec(value);
  if (!iso) return /^\d{4}-\d/.test(value) ? false : /[A-Za-z]{3}/.test(value) && !Number.isNaN(Date.parse(value));
  const [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return false;
  if (iso[4] !== undefined && (Number(iso[4]) > 23 || Number(iso[5]) > 59 || Number(iso[6] ?? 0) > 60)) return false;
  if (iso[7] !== undefined && (Number(iso[7]) > 23 || Number(iso[8]) > 59)) return false;
  return true;
}

function yamlKeyPlaces(doc: Document, counter: LineCounter, base: Point): Map<string, { key: Point; value?: Point; source?: string; items?: Point[] }> {
  const places = new Map<string, { key: Point; value?: Point; source?: string; items?: Point[] }>();
  if (!isMap(doc.contents)) return places;
  const at = (offset: number): Point => {
    const { line, col } = counter.linePos(offset);
    return { line: base.line + line - 1, column: line === 1 ? base.column + col - 1 : col };
  };
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key) || !pair.key.range) continue;
    const name = String(pair.key.value);
    if (places.has(name)) continue;
    const value = pair.value as { range?: [number, number, number]; source?: unknown } | null;
    const keyPoint = at(pair.key.range[0]);
    places.set(name, {
      key: keyPoint,
      value: value?.range ? at(value.range[0]) : undefined,
      source: isScalar(value) && typeof value.source === 'string' ? value.source : undefined,
      items: isSeq(value) ? value.items.map((entry) => ((entry as { range?: [number, number, number] }).range ? at((entry as { range: [number, number, number] }).range[0]) : keyPoint)) : undefined,
    });
  }
  return places;
}

/** Where `key = …` or `"key" = …` is written at the top of a TOML table. */
function tomlKeyPlace(text: string, block: Block, key: string): Point | undefined {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^[ \\t]*(?:${escaped}|"${escaped}"|'${escaped}')[ \\t]*=`, 'm');
  const match = pattern.exec(text.slice(block.start, block.end));
  return match ? pointAt(text, block.start + match.index + (match[0].length - match[0].trimStart().length)) : undefined;
}

function jsonKeyPlace(text: string, block: Block, key: string): Point | undefined {
  const index = text.slice(block.start, block.end).indexOf(JSON.stringify(key));
  return index === -1 ? undefined : pointAt(text, block.start + index);
}

const FENCE_NAME: Record<FrontMatterFormat, string> = { yaml: 'between the `---` lines', toml: 'between the `+++` lines', json: 'in the `{ … }` at the top' };

/** Read the front matter at the start of `text` (which has no byte order mark). Never throws. */
export function readFrontMatter(text: string): ReadFrontMatter {
  const block = findBlock(text);
  if (!block) return { data: {}, bodyOffset: 0, problems: [], keyPlace: () => undefined };
  const problems: FrontMatterProblem[] = [];
  const base = pointAt(text, block.start);
  const source = text.slice(block.start, block.end);
  const fix = `Fix the front matter ${FENCE_NAME[block.format]}`;
  let data: unknown = {};
  let keyPlace: (key: string, item?: number) => Point | undefined = () => undefined;
  let datePlace: (key: string) => Point | undefined = () => undefined;
  let dateSource: (key: string) => string | undefined = () => undefined;

  if (!block.closed) {
    const closer = block.format === 'json' ? 'a closing `}`' : `a closing \`${block.format === 'yaml' ? '---' : '+++'}\` line`;
    problems.push({ message: `Unexpected end of file in front matter, expected ${closer} after it`, place: { line: 1, column: 1 }, ruleId: `front-matter-${block.format}` });
    return { format: block.format, data: {}, bodyOffset: block.bodyOffset, problems, keyPlace };
  }

  if (block.format === 'yaml') {
    const counter = new LineCounter();
    const parsed = parseYamlDocument(source, { lineCounter: counter, prettyErrors: false, merge: true, customTags: ['timestamp'] });
    const at = (offset: number): Point => {
      const { line, col } = counter.linePos(offset);
      return { line: base.line + line - 1, column: col };
    };
    if (parsed.refusal) {
      const { line = 1, column = 1, reason, ruleId } = parsed.refusal;
      problems.push({ message: `${reason}. ${fix}`, place: { line: base.line + line - 1, column }, ruleId });
    } else if (parsed.doc && parsed.doc.errors.length > 0) {
      const first = parsed.doc.errors[0];
      const reason = first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      problems.push({ message: `Invalid YAML in front matter: ${reason}. ${fix}`, place: at(first.pos[0]), ruleId: 'front-matter-yaml' });
    } else if (parsed.doc) {
      try {
        data = yamlValue(parsed.doc) ?? {};
      } catch (error) {
        // An alias before its anchor (`*x` with no `&x` above it): yaml throws when it is read.
        problems.push({ message: `Invalid YAML in front matter: ${(error as Error).message}. ${fix}`, place: base, ruleId: 'front-matter-yaml' });
        data = {};
      }
      const places = yamlKeyPlaces(parsed.doc, counter, base);
      keyPlace = (key, item) => (item !== undefined ? places.get(key)?.items?.[item] : undefined) ?? places.get(key)?.key;
      datePlace = (key) => places.get(key)?.value ?? places.get(key)?.key;
      dateSource = (key) => places.get(key)?.source;
    }
  } else if (block.format === 'toml') {
    try {
      data = parseToml(source);
      keyPlace = (key) => tomlKeyPlace(text, block, key);
      datePlace = keyPlace;
    } catch (error) {
      const tomlError = error as TomlError;
      const reason = String(tomlError.message).split('\n')[0].replace(/^Invalid TOML document: /, '');
      const place = typeof tomlError.line === 'number' ? { line: base.line + tomlError.line - 1, column: tomlError.column } : base;
      problems.push({ message: `Invalid TOML in front matter: ${reason}. ${fix}`, place, ruleId: 'front-matter-toml' });
    }
  } else {
    try {
      data = JSON.parse(source);
      keyPlace = (key) => jsonKeyPlace(text, block, key);
      datePlace = keyPlace;
    } catch (error) {
      const message = (error as Error).message;
      const position = /at position (\d+)/.exec(message);
      const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)$/, '');
      problems.push({ message: `Invalid JSON in front matter: ${reason}. ${fix}`, place: position ? pointAt(text, block.start + Number(position[1])) : base, ruleId: 'front-matter-json' });
    }
  }

  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    if (data !== null && problems.length === 0) {
      problems.push({ message: `Unexpected front matter that is not a mapping of keys to values, expected lines such as \`title: …\`. ${fix}`, place: base, ruleId: `front-matter-${block.format}` });
    }
    data = {};
  }
  const record = plain(data) as Record<string, unknown>;
  for (const key of DATE_KEYS) {
    if (!(key in record)) continue;
    const value = record[key];
    const written = dateSource(key) ?? (typeof value === 'string' ? value : undefined);
    // A YAML or TOML date value was read as a date; check what was written, not what it became.
    const valid = (value instanceof Date || typeof value === 'string') && (written === undefined ? true : isValidDate(written));
    if (!valid) {
      problems.push({
        message: `Unexpected value for front matter \`${key}\`: \`${written ?? JSON.stringify(value)}\` is not a date, expected a date such as 2024-05-31 or 2024-05-31T14:30:00Z`,
        place: datePlace(key) ?? base,
        ruleId: 'front-matter-date',
      });
      delete record[key];
    }
  }
  return { format: block.format, data: record, bodyOffset: block.bodyOffset, problems, keyPlace };
}
