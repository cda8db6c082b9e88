// The data that flows between pipeline stages: load → link → render → write.
// Everything here is plain data (structured-clone safe) except the VFiles,
// which stay on the main thread and collect diagnostics.
import type { VFile } from 'vfile';

/** 1-based line and column, as vfile uses. `offset` is 0-based into the file. */
export interface Point {
  line: number;
  column: number;
  offset?: number;
}

export type RuleKind = 'alert' | 'record';

/** One alerting or recording rule as written in a rule file. */
export interface LoadedRule {
  kind: RuleKind;
  /** Value of `alert:` or `record:`. */
  name: string;
  expr: string;
  for?: string;
  keepFiringFor?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Name of the group the rule is in. */
  group: string;
  /** Rule file path relative to the rules folder, posix separators. */
  file: string;
  /** Where the rule's mapping starts in the file. */
  position: Point;
  /** Where the `expr` value starts (for mapping PromQL errors), if known. */
  exprPosition?: Point;
  /** The rule's own fields serialised as YAML, in source order, exactly as written (no extra keys). */
  yaml: string;
}

export interface LoadedRuleGroup {
  name: string;
  interval?: string;
  rules: LoadedRule[];
  position: Point;
}

export interface RuleFile {
  /** Path relative to the rules folder, posix separators (the key used by `rule` shortcodes). */
  path: string;
  /** Holds the source text and every diagnostic about this file. */
  vfile: VFile;
  groups: LoadedRuleGroup[];
}

/** A shortcode occurrence found by the tokenizer. Offsets index the runbook body. */
export interface ShortcodeToken {
  /** `rule`, `comment`, or whatever unknown name was written. */
  name: string;
  /** Positional arguments, unquoted. */
  args: string[];
  /** Named arguments (`key="value"`), unquoted; absent when there are none. */
  named?: Record<string, string>;
  /** True for the self-closing form `{{< x />}}` (no inner content follows). */
  selfClosing?: boolean;
  /** `open` for `{{% x %}}`, `close` for `{{% /x %}}`, `escaped` for Hugo's escaped form (comment markers just inside the delimiters). */
  type: 'open' | 'close' | 'escaped';
  /** Which delimiters were used: `{{%`, `{{<` or `<<%`. */
  delimiter: '{{%' | '{{<' | '<<%';
  start: number;
  end: number;
  /** The exact source text of the shortcode. */
  source: string;
}

/** Runbook front matter as validated by the schema; unknown keys are kept. */
import type { FrontMatter } from './config/schema.js';
export type { FrontMatter };

export interface Runbook {
  /** Path relative to the runbooks folder, posix separators, e.g. `haproxy/HaproxyDown.md`. */
  file: string;
  vfile: VFile;
  frontMatter: FrontMatter;
  /** The markdown after the front matter. */
  body: string;
  /** Position of the body's first character in the file (to map body offsets to file positions). */
  bodyStart: Point;
  /** True for a section's own page: `_index.md`, else the folder's `README.md` or `index.md`. */
  isSectionIndex: boolean;
  /** `section` (as isSectionIndex), `bundle` (a Hugo leaf bundle's `index.md`: the folder is the page), or `page`. */
  role?: 'section' | 'page' | 'bundle';
  /** Folder segments of the file itself from the runbooks root (a bundle's own folder included). */
  folder?: string[];
  /** Folder segments from the runbooks root, e.g. ['haproxy-exporter-v1']. */
  sectionPath: string[];
  /** File name without `.md` (any case): the title when there is no other, and the alert name it is the runbook of. */
  stem: string;
  /** Without a front-matter title: the text of the `# heading` the body opens with (load/opening-heading.ts). */
  heading?: string;
  /** Site-relative URL of the page, no leading slash, trailing slash: `runbooks/haproxy/haproxydown/`. */
  url: string;
  /** True when the body has no content (only whitespace). */
  empty: boolean;
  /** Shortcodes in the body outside code, in order. */
  shortcodes: ShortcodeToken[];
}
