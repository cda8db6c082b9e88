// `runbook-site serve`: build, serve over HTTP with live reload, rebuild on every change.
import type { Command } from './commands.js';
import { RunbookSiteError } from '../errors.js';
import { SITE_OPTIONS, SITE_OPTIONS_HELP, siteCommandOptions } from './site-options.js';

function portOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) > 65535) {
    throw new RunbookSiteError('InvalidFlag', { flag: '--port', reason: `\`${text}\` is not a port number`, hint: 'Use a number from 1 to 65535 (0: any free port).' });
  }
  return Number(text);
}

const serve: Command = {
  longRunning: true,
  help: `Usage: runbook-site serve [options]

Builds the site into a folder of its own (the published output is never touched), serves it at
http://127.0.0.1:1313/ under the site's base path, and rebuilds when a rule file, runbook,
template or the config changes. Open pages reload by themselves; build errors are shown over the
page while the last good site keeps being served. Ctrl-C stops it.

Options:
  --port N           port to listen on (default: 1313; the next free one if it is taken; 0: any)
  --host H           address to listen on (default: 127.0.0.1; anything else is reachable from other machines)
  --open             open the site in the default browser
  --no-fast-render   rebuild the whole site before any page reloads (by default, when only the
                     text of runbooks changed, their pages are shown first and the rest follows)
${SITE_OPTIONS_HELP}
`,
  options: { ...SITE_OPTIONS, port: { type: 'string' }, host: { type: 'string' }, open: { type: 'boolean' }, 'no-fast-render': { type: 'boolean' } },
  async run(args, io) {
    const site = siteCommandOptions('build', args);
    const port = portOf(args.values.port);
    const host = (args.values.host as string | undefined) ?? '127.0.0.1';
    if (host === '') throw new RunbookSiteError('InvalidFlag', { flag: '--host', reason: 'it needs a value' });
    const { serveSite, DEFAULT_PORT } = await import('../serve/serve.js');
    return serveSite(
      {
        configPath: site.config,
        overrides: { rules: site.rules, runbooks: site.runbooks, content: site.content, templates: site.templates, intro: site.intro, baseURL: site.baseURL, title: site.title, cacheDir: site.cacheDir },
        cache: site.cache,
        port: port ?? DEFAULT_PORT,
        host,
        open: Boolean(args.values.open),
        fastRender: !args.values['no-fast-render'],
        quiet: site.quiet,
        verbose: site.verbose,
      },
      io,
    );
  },
};

export default serve;
