// `runbook-site new <AlertName>…` / `new --missing`: writes a runbook for each alert, where the
// linking rules will find it (link/placement.ts), from the scaffold (scaffold/runbook.ts). Never
// overwrites a file. Exit 0: written (or already had one); 1: a file was in the way; 2: usage.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from './commands.js';
import { RunbookSiteError } from '../errors.js';
import { closest, editDistance } from '../edit-distance.js';

const newCommand: Command = {
  help: `Usage: runbook-site new <AlertName>... [options]
       runbook-site new --missing [options]

Writes a runbook for each alert: front matter (title, alert, description), the rule, and the
sections Meaning, Impact, Diagnosis and Mitigation filled with what the rule says. It goes where
the linking rules find it: the page its runbook_url already names on this site, else beside the
runbooks of the other alerts of its group or rule file, else in the section named after the rule
file. Never overwrites a file. The template is templates/scaffold/runbook.md (your --templates
folder's scaffold/runbook.md replaces it).

Options:
  --missing          every alert that has no runbook
  --dry-run          print what would be written, write nothing
  --rules DIR        rule files folder (default: rules)
  --runbooks DIR     runbooks folder (default: runbooks)
  --templates DIR    your templates (scaffold/runbook.md replaces the default scaffold)
  --base-url URL     site URL, to read runbook_url annotations that point into this site
  --config FILE      config file (default: runbook-site.yaml if present)

Exit status: 0 written (or the alert already has a runbook), 1 a file was in the way and was
not overwritten, 2 usage or configuration error.
`,
  options: {
    missing: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    rules: { type: 'string' },
    runbooks: { type: 'string' },
    templates: { type: 'string' },
    'base-url': { type: 'string' },
    config: { type: 'string' },
  },
  positionals: true,
  async run({ values, positionals }, io) {
    const text = (key: string) => values[key] as string | undefined;
    if (positionals.length === 0 && !values.missing) {
      throw new RunbookSiteError('MissingArgument', { command: 'new', what: 'alert names or --missing', hint: 'Run `runbook-site new KubeJobFailed`, or `runbook-site new --missing` for every alert without a runbook.' });
    }
    // Loaded here, not at the top: `new --help` should not load the pipeline.
    const [{ loadConfig, rulesNotFound }, { linkSite }, { loadScaffoldTemplate, scaffoldRunbook }, { DEFAULT_TEMPLATES_DIR }, { shellWord }, { loadSiteInputs }] = await Promise.all([
      import('../config/load.js'),
      import('../link/site.js'),
      import('../scaffold/runbook.js'),
      import('../build.js'),
      import('../link/placement.js'),
      import('../pipeline/site-stages.js'),
    ]);
    const config = await loadConfig({
      cwd: io.cwd,
      configPath: text('config'),
      overrides: { rules: text('rules'), runbooks: text('runbooks'), templates: text('templates'), baseURL: text('base-url') },
    });
    const shown = (file: string) => path.relative(io.cwd, file).split(path.sep).join('/') || '.';
    const isFolder = (dir: string) => stat(dir).then((info) => info.isDirectory(), () => false);
    if (config.rulesMissing) throw rulesNotFound('new');
    if (!(await isFolder(config.rulesDir))) throw new RunbookSiteError('FolderNotFound', { what: 'rules', path: shown(config.rulesDir) });
    // The runbooks as a build reads them (a Hugo content folder's URLs, uglyURLs), so that the
    // placement follows the pages the site really has. A repository without runbooks yet has none.
    const haveRunbooks = await isFolder(config.runbooksDir);
    const [inputs, template] = await Promise.all([
      haveRunbooks ? loadSiteInputs(config, { scaffold: false }) : import('../rules/load.js').then(async ({ loadRuleFiles }) => ({ ruleFiles: await loadRuleFiles(config.rulesDir), runbooks: [] })),
      loadScaffoldTemplate(DEFAULT_TEMPLATES_DIR, config.templatesDir),
    ]);
    const site = linkSite({ config, ...inputs, version: 'new' });

    const definitions = new Map<string, typeof site.alerts>();
    for (const link of site.alerts) definitions.set(link.rule.name, [...(definitions.get(link.rule.name) ?? []), link]);
    const names: string[] = [];
    for (const name of positionals) {
      if (!definitions.has(name)) {
        // Case differences count as nothing: `hostdown` is most likely `HostDown`.
        const near = closest(name, definitions.keys(), (a, b, limit) => (a.toLowerCase() === b.toLowerCase() ? 0 : editDistance(a, b, limit)));
        throw new RunbookSiteError('UnknownAlert', { alert: name, rules: shown(config.rulesDir), ...(near && near.distance <= Math.max(3, Math.ceil(name.length / 3)) ? { suggestion: near.candidate } : {}) });
      }
      if (!names.includes(name)) names.push(name);
    }
    if (values.missing) for (const name of [...site.placements.keys()].sort()) if (!names.includes(name)) names.push(name);
    if (names.length === 0) {
      io.stdout.write('Every alert has a runbook; nothing to write.\n');
      return 0;
    }

    const dryRun = Boolean(values['dry-run']);
    let wrote = 0;
    let blocked = 0;
    for (const name of names) {
      const links = definitions.get(name)!;
      const placed = site.placements.get(name);
      if (!placed) {
        io.stdout.write(`${name} already has a runbook: ${shown(path.join(config.runbooksDir, links[0].runbook!.file))}\n`);
        continue;
      }
      const target = path.resolve(config.runbooksDir, ...placed.split('/'));
      if (path.relative(config.runbooksDir, target).startsWith('..')) throw new RunbookSiteError('Internal', { reason: `runbook path ${placed} leaves the runbooks folder` });
      const content = scaffoldRunbook(template, links.filter((link) => !link.runbook).map((link) => link.rule));
      if (dryRun) {
        io.stdout.write(`Would write ${shown(target)} (alert ${name})\n`);
        wrote++;
        continue;
      }
      try {
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, content, { flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        io.stderr.write(`${shown(target)} already exists and was not overwritten; add \`alert: ${name}\` to its front matter to make it the runbook of ${name}, or move it and run runbook-site new ${shellWord(name)} again\n`);
        blocked++;
        continue;
      }
      io.stdout.write(`Wrote ${shown(target)} (alert ${name})\n`);
      wrote++;
    }
    if (wrote > 0 && !dryRun) io.stderr.write(`Wrote ${wrote} runbook${wrote === 1 ? '' : 's'}: fill in Impact, Diagnosis and Mitigation, then run runbook-site check.\n`);
    return blocked > 0 ? 1 : 0;
  },
};

export default newCommand;
