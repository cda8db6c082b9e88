// The files `init` writes: runbook-site.yaml, the GitHub Actions workflow, .gitignore entries.
import { configSchema } from '../config/schema.js';
import type { Detected } from './detect.js';

export interface InitChoices extends Detected {
  /** The Hugo configuration file that already gives keys (`hugo.toml`…), and which: runbook-site.yaml would override them. */
  hugoConfig?: { file: string; keys: Set<string> };
  rules: string;
  runbooks: string;
  out: string;
  cacheDir: string;
  version: string;
}

/** A YAML scalar that needs no quotes for the values written here (paths, URLs, branch names). */
function scalar(value: string): string {
  return /^[A-Za-z0-9_./:@-]+$/.test(value) && !/^[-:@]/.test(value) && !/: /.test(value) ? value : JSON.stringify(value);
}

export function configFile(choices: InitChoices): string {
  const lines = [
    '# runbook-site configuration, written by `runbook-site init`. Every key is optional;',
    '# command-line flags override it. See "Configuration" in runbook-site\'s README.',
  ];
  const fromHugo = (key: string) => choices.hugoConfig?.keys.has(key) ?? false;
  if (choices.hugoConfig) lines.push(`# Read from ${choices.hugoConfig.file} too; a key set here overrides it there.`);
  if (!fromHugo('title')) lines.push('title: Runbooks');
  if (fromHugo('baseURL')) lines.push(`# baseURL: from ${choices.hugoConfig!.file}`);
  else if (choices.baseURL) lines.push('# The published site: every runbook_url points under it.', `baseURL: ${scalar(choices.baseURL)}`);
  else lines.push('# The published site (every runbook_url points under it), e.g. https://org.github.io/repo/', '# baseURL: https://org.github.io/repo/');
  lines.push(`rules: ${scalar(choices.rules)}`);
  // A Hugo project's content folder comes from its config: a `runbooks:` naming it here would
  // override it (and lose Hugo's URLs). A runbooks section inside it is written as found.
  if (fromHugo('content') && choices.runbooks === choices.hugoContent) lines.push(`# runbooks: the content folder named in ${choices.hugoConfig!.file}`);
  else lines.push(`runbooks: ${scalar(choices.runbooks)}`);
  if (choices.hugoContent && !fromHugo('content')) {
    // The `content` key comes with Hugo project support; older versions refuse unknown keys.
    if ('content' in configSchema.shape) lines.push('# A Hugo project: every section of its content folder is built.', `content: ${scalar(choices.hugoContent)}`);
    else lines.push(`# A Hugo project was found; its runbooks are read from ${choices.runbooks}/.`);
  }
  if (choices.repositoryURL && !fromHugo('repository')) {
    lines.push('# "Edit this page" and rule source links.', 'repository:', `  url: ${scalar(choices.repositoryURL)}`, `  branch: ${scalar(choices.branch)}`);
  }
  return lines.join('\n') + '\n';
}

export function workflowFile(choices: InitChoices): string {
  const install =
    choices.install === 'ci'
      ? ['      - run: npm ci']
      : choices.install === 'install'
        ? ['      - run: npm install']
        : [];
  const tool = choices.install === 'none' ? `npx --yes runbook-site@${choices.version}` : 'npx runbook-site';
  const node = ['      - uses: actions/setup-node@v4', '        with:', '          node-version: 20', ...(choices.install === 'ci' ? ['          cache: npm'] : [])];
  // Without a baseURL in the config, the Pages URL of this repository.
  const baseFlag = choices.baseURL ? '' : ' --base-url "https://${{ github.repository_owner }}.github.io/${{ github.event.repository.name }}/"';
  return `# Checks runbooks and rules on pull requests (problems show on the diff); builds the site and
# publishes it to GitHub Pages from ${choices.branch}. Written by \`runbook-site init\`.
# Set Settings → Pages → Source to "GitHub Actions".
name: runbooks

on:
  pull_request:
  push:
    branches: [${scalar(choices.branch)}]
  workflow_dispatch:

permissions:
  contents: read

# One run per branch: a newer push to a pull request cancels the older check; deployments finish.
concurrency:
  group: runbooks-\${{ github.ref }}
  cancel-in-progress: \${{ github.event_name == 'pull_request' }}

jobs:
  check:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
${node.join('\n')}
${install.length ? install.join('\n') + '\n' : ''}      - run: ${tool} check --format github

  build:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # full history: last-modified dates come from git
${node.join('\n')}
${install.length ? install.join('\n') + '\n' : ''}      - uses: actions/cache@v4
        with:
          path: ${scalar(choices.cacheDir)}
          key: runbook-site-\${{ runner.os }}-\${{ github.sha }}
          restore-keys: |
            runbook-site-\${{ runner.os }}-
      - run: ${tool} build --format github${baseFlag}
      - uses: actions/upload-pages-artifact@v3
        with:
          path: ${scalar(choices.out)}

  deploy:
    needs: build
    if: github.ref == 'refs/heads/${choices.branch}'
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: \${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
`;
}

/** The text of .gitignore with the missing entries appended (none when each is already ignored). */
export function gitignoreWith(existing: string | undefined, entries: string[]): { text: string; added: string[] } {
  const text = existing ?? '';
  const present = new Set(
    text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.replace(/^\//, '').replace(/\/$/, '')),
  );
  const added = entries.filter((entry) => !present.has(entry.replace(/^\//, '').replace(/\/$/, '')));
  if (added.length === 0) return { text, added };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const separator = text === '' || text.endsWith('\n') ? '' : eol;
  return { text: text + separator + ['# runbook-site: built site and render cache', ...added].join(eol) + eol, added };
}
