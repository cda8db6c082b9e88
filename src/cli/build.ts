// `runbook-site build`: check, then write the site.
import type { Command } from './commands.js';
import { SITE_OPTIONS, SITE_OPTIONS_HELP, siteCommandOptions } from './site-options.js';

const build: Command = {
  help: `Usage: runbook-site build [options]

Checks rules and runbooks, then writes the site. A failed build, or one stopped
by --strict, leaves the previous output as it was.

Options:
  --out DIR          output folder (default: dist)
  --no-check         write the site even when there are content errors (still exit 1)
${SITE_OPTIONS_HELP}
`,
  options: { ...SITE_OPTIONS, out: { type: 'string' }, 'no-check': { type: 'boolean' } },
  async run(args, io) {
    const { runSiteCommand } = await import('./site-command.js');
    return runSiteCommand(siteCommandOptions('build', args), io);
  },
};

export default build;
