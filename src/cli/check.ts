// `runbook-site check`: validate rules and runbooks and report coverage; writes nothing.
import type { Command } from './commands.js';
import { SITE_OPTIONS, SITE_OPTIONS_HELP, siteCommandOptions } from './site-options.js';

const check: Command = {
  help: `Usage: runbook-site check [options]

Validates rules and runbooks and reports coverage. Writes nothing (use it on pull requests).

Options:
${SITE_OPTIONS_HELP}
`,
  options: SITE_OPTIONS,
  async run(args, io) {
    const { runSiteCommand } = await import('./site-command.js');
    return runSiteCommand(siteCommandOptions('check', args), io);
  },
};

export default check;
