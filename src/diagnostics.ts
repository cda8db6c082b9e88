// Content problems are vfile messages with a place, a ruleId and a plain sentence.
// Severity follows vfile: fatal true = error, false = warning, undefined = note.
import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import type { Point } from './model.js';

export type Severity = 'error' | 'warning' | 'note';

export interface Place {
  start: Point;
  end?: Point;
}

function add(file: VFile, reason: string, place: Point | Place | undefined, ruleId: string): VFileMessage {
  const message = file.message(reason, { place: place as never, ruleId, source: 'runbook-site' });
  return message;
}

export function reportError(file: VFile, reason: string, place: Point | Place | undefined, ruleId: string): VFileMessage {
  const message = add(file, reason, place, ruleId);
  message.fatal = true;
  return message;
}

export function reportWarning(file: VFile, reason: string, place: Point | Place | undefined, ruleId: string): VFileMessage {
  const message = add(file, reason, place, ruleId);
  message.fatal = false;
  return message;
}

export function reportNote(file: VFile, reason: string, place: Point | Place | undefined, ruleId: string): VFileMessage {
  const message = add(file, reason, place, ruleId);
  message.fatal = undefined;
  return message;
}

export function severityOf(message: VFileMessage): Severity {
  if (message.fatal === true) return 'error';
  if (message.fatal === false) return 'warning';
  return 'note';
}

/** Turn a 0-based offset in `text` into a 1-based line/column point. */
export function pointAt(text: string, offset: number, base: Point = { line: 1, column: 1, offset: 0 }): Point {
  let line = base.line;
  let column = base.column;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  return { line, column, offset: (base.offset ?? 0) + end };
}
