// `runbook-site annotate`: sets or repairs the runbook annotation on every alerting rule, in place.
import type { Command } from './commands.js';
import { RunbookSiteError } from '../errors.js';

const DEFAULT_BASE_URL = 'http://localhost/';

const annotate: Command = {
  help: `Usage: runbook-site annotate [options]

Sets the runbook annotation (runbook_url) of every alerting rule in the rules folder to the URL
of its page on this site, editing the files in place: comments, key order, quoting, anchors and
merge keys, flow style, line endings and other documents are kept as written. Recording rules
are left alone. Running it again changes nothing.

Options:
  --check            change nothing; list every alert whose annotation is missing or wrong and
                     exit 1 if there is one (for CI)
  --annotation NAME  the annotation to set (default: runbookAnnotation, else runbook_url)
  --url TARGET       what it points at (default: runbookURL, else alert-page):
                       alert-page  the alert's own page, <base-url>alerts/<slug>/ (always built)
                       runbook     the linked runbook's page, else the alert page
                       PATTERN     a URL with {alert} (the name) or {slug} (lower-cased, URL-safe),
                                   e.g. https://wiki.example.com/runbooks/{alert}
  --force            also replace values that contain a Go template ({{ … }})
  --rules DIR        rule files folder (default: rules)
  --runbooks DIR     runbooks folder, for --url runbook (default: runbooks)
  --base-url URL     the published site URL, e.g. https://org.github.io/repo/
  --config FILE      config file (default: runbook-site.yaml if present)
  --format FORMAT    with --check: human (default) or github (annotations on the pull request)
  --quiet            print problems only
  --verbose          print every alert changed, not only every file

Exit status: 0 all right (or fixed), 1 an annotation is wrong (--check) or a file could not be
read or fixed, 2 usage or config error.
`,
  options: {
    check: { type: 'boolean' },
    annotation: { type: 'string' },
    url: { type: 'string' },
    force: { type: 'boolean' },
    rules: { type: 'string' },
    runbooks: { type: 'string' },
    'base-url': { type: 'string' },
    config: { type: 'string' },
    format: { type: 'string' },
    quiet: { type: 'boolean' },
    verbose: { type: 'boolean' },
  },
  async run({ values }, io) {
    const text = (key: string) => values[key] as string | undefined;
    const format = text('format') ?? 'human';
    if (format !== 'human' && format !== 'github') {
      throw new RunbookSiteError('InvalidFlag', { flag: '--format', reason: `\`${format}\` is not a format of annotate`, hint: 'Use `human` or `github`.' });
    }
    for (const flag of ['annotation', 'url']) {
      if (text(flag) === '') throw new RunbookSiteError('InvalidFlag', { flag: `--${flag}`, reason: 'it is empty', hint: 'Run `runbook-site annotate --help` for usage.' });
    }
    const [{ loadConfig }, { annotateRules }, { targetMode, needsBaseURL }, { printAnnotateReport }] = await Promise.all([
      import('../config/load.js'),
      import('../annotate/annotate.js'),
      import('../annotate/targets.js'),
      import('../annotate/report.js'),
    ]);
    const config = await loadConfig({
      cwd: io.cwd,
      configPath: text('config'),
      overrides: { rules: text('rules'), runbooks: text('runbooks'), baseURL: text('base-url'), runbookAnnotation: text('annotation'), runbookURL: text('url') },
    });
    const mode = targetMode(config.runbookURL, text('url') !== undefined ? { flag: '--url' } : { configFile: config.configFile });
    if (needsBaseURL(mode) && config.baseURL === DEFAULT_BASE_URL) throw new RunbookSiteError('AnnotateNeedsBaseURL', {});
    const outcomes = await annotateRules({ config, annotation: config.runbookAnnotation, mode, check: Boolean(values.check), force: Boolean(values.force) });
    return printAnnotateReport(outcomes, { io, annotation: config.runbookAnnotation, check: Boolean(values.check), force: Boolean(values.force), format, quiet: Boolean(values.quiet), verbose: Boolean(values.verbose) });
  },
};

export default annotate;
