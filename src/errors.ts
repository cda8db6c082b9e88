// The catalogue of usage, config and internal errors: each has a name, a message and a hint.
// Content problems (rules, runbooks) are not here: they are vfile messages with a place.

export interface ErrorEntry {
  /** Exit status: 2 for usage, config and internal errors. */
  exitCode: 2;
  message: (detail: Record<string, string>) => string;
  hint: (detail: Record<string, string>) => string;
}

const catalogue = {
  UnknownCommand: {
    message: (d) => `Unknown command \`${d.command}\`${d.suggestion ? `; did you mean \`${d.suggestion}\`?` : '.'}`,
    hint: (d) => `Commands are ${d.commands}. Run \`runbook-site --help\` for usage.`,
  },
  UnknownFlag: {
    message: (d) => `Unknown option \`${d.flag}\`${d.command ? ` for \`${d.command}\`` : ''}${d.suggestion ? `; did you mean \`${d.suggestion}\`?` : '.'}`,
    hint: (d) => `Run \`runbook-site ${d.command ? `${d.command} ` : ''}--help\` for the list of options.`,
  },
  InvalidFlag: {
    message: (d) => `Invalid value for \`${d.flag}\`: ${d.reason}`,
    hint: (d) => d.hint ?? 'Run `runbook-site --help` for usage.',
  },
  UnexpectedArgument: {
    message: (d) => `Unexpected argument \`${d.argument}\`.`,
    hint: () => 'Folders are given with `--rules DIR` and `--runbooks DIR`.',
  },
  ConfigNotFound: {
    message: (d) => `Config file \`${d.file}\` was not found.`,
    hint: () => 'Check the path given to `--config`, or remove the option to use defaults.',
  },
  ConfigSyntax: {
    message: (d) => `Config file \`${d.file}\` is not valid YAML at ${d.line}:${d.column}: ${d.reason}`,
    hint: () => 'Fix the YAML syntax at that place.',
  },
  ConfigInvalid: {
    message: (d) => `Config file \`${d.file}\`: ${d.reason}`,
    hint: () => 'See "Configuration" in the README for every key and its type.',
  },
  RulesNotFound: {
    message: (d) => `\`runbook-site ${d.command}\` needs the alerting rules, and none were found (looked in ${d.looked}).`,
    hint: () => 'Point `--rules` (or `rules:` in runbook-site.yaml) at the folder of your rule files.',
  },
  FolderNotFound: {
    message: (d) => `The ${d.what} folder \`${d.path}\` does not exist.`,
    hint: (d) => `Create it, or point \`--${d.what}\` (or \`${d.what}:\` in runbook-site.yaml) at the right folder.`,
  },
  UnsafeOutput: {
    message: (d) => `Refusing to write the site into \`${d.path}\`: ${d.reason}.`,
    hint: () => 'Choose a dedicated output folder such as `dist` with `--out DIR`.',
  },
  OutputFailed: {
    message: (d) => `Could not write the site into \`${d.path}\`: ${d.reason}`,
    hint: () => 'Check permissions and free disk space. The previous output was left as it was.',
  },
  TemplateSyntax: {
    message: (d) => `Template \`${d.file}\` is not valid Handlebars: ${d.reason}`,
    hint: () => 'Fix the template at that line; the default theme\'s file of the same name shows a working version.',
  },
  TemplateFailed: {
    message: (d) => `Template \`${d.template}\` failed while rendering \`/${d.page}\`: ${d.reason}`,
    hint: () => 'Check the partials, helpers and fields it uses against templates/README.md.',
  },
  RenderTimeout: {
    message: (d) => `Rendering \`${d.page}\` took longer than ${d.timeout}, so the build was stopped; the previous output was left as it was.`,
    hint: () =>
      'If the page is only slow (a very long table, say), raise `timeout` in runbook-site.yaml (e.g. `timeout: 2m`, as in Hugo). If it never finishes, some text in it makes a parser loop: cut the page in halves to find it, and please report it with that text.',
  },
  UnknownAlert: {
    message: (d) => `No rule file defines an alert \`${d.alert}\`${d.suggestion ? `; did you mean \`${d.suggestion}\`?` : '.'}`,
    hint: (d) => `Alert names are case-sensitive and read from the rules folder \`${d.rules}\`; \`runbook-site new --missing\` writes a runbook for every alert without one.`,
  },
  MissingArgument: {
    message: (d) => `\`${d.command}\` needs ${d.what}.`,
    hint: (d) => d.hint,
  },
  AnnotateNeedsBaseURL: {
    message: () => 'annotate needs the published site URL to build the runbook URLs, and none is set (the default is http://localhost/).',
    hint: () => 'Set `baseURL:` in runbook-site.yaml (e.g. https://org.github.io/repo/), or pass `--base-url URL`.',
  },
  Internal: {
    message: (d) => `Internal error: ${d.reason}`,
    hint: () => 'This is a bug in runbook-site. Please report it with the command you ran.',
  },
} satisfies Record<string, Omit<ErrorEntry, 'exitCode'>>;

export type ErrorName = keyof typeof catalogue;

/** An expected, named failure of usage, config or the environment. The CLI prints message + hint and exits 2. */
export class RunbookSiteError extends Error {
  readonly code: ErrorName;
  readonly hint: string;
  readonly exitCode = 2;
  /** Kept so the error can be sent from a worker thread and raised again on the main thread. */
  readonly detail: Record<string, string>;

  constructor(code: ErrorName, detail: Record<string, string> = {}) {
    const entry = catalogue[code];
    super(entry.message(detail));
    this.name = 'RunbookSiteError';
    this.code = code;
    this.detail = detail;
    this.hint = entry.hint(detail);
  }
}

export function isRunbookSiteError(error: unknown): error is RunbookSiteError {
  return error instanceof RunbookSiteError;
}
