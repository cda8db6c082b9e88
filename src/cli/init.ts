// `runbook-site init`: sets a repository up for runbook-site: config, CI workflow, .gitignore.
import type { Command } from './commands.js';

const init: Command = {
  help: `Usage: runbook-site init [options]

Sets up the repository in the current folder (empty or not):
  runbook-site.yaml                 with the rule and runbook folders it found, and the site URL
                                    guessed from the git remote (github.com/org/repo →
                                    https://org.github.io/repo/)
  .github/workflows/runbooks.yml    checks pull requests (check --format github); builds on the
                                    main branch and deploys to GitHub Pages, with the render cache
  .gitignore                        dist/ and .cache/ appended when missing
Existing files are left alone (and named) unless --force.

Options:
  --force            overwrite runbook-site.yaml and the workflow when they exist
  --rules DIR        rule files folder (default: the one found, else rules)
  --runbooks DIR     runbooks folder (default: the one found, else runbooks)
  --base-url URL     the published site URL (default: from the git remote)
`,
  options: {
    force: { type: 'boolean' },
    rules: { type: 'string' },
    runbooks: { type: 'string' },
    'base-url': { type: 'string' },
  },
  async run({ values }, io) {
    const [{ initRepository }] = await Promise.all([import('../init/init.js')]);
    return initRepository(
      {
        force: Boolean(values.force),
        rules: values.rules as string | undefined,
        runbooks: values.runbooks as string | undefined,
        baseURL: values['base-url'] as string | undefined,
      },
      io,
    );
  },
};

export default init;
