// Generators and a batched runner for fuzzing the real pipeline: many generated runbooks and rule
// files go into one project, built once through the CLI, inside a sentinel folder that nothing
// may write to.
import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../helpers/project.js';

const hostile = fc.constantFrom('..', '.', '/', '\\', '%2e%2e', '\uE000', '\uE0000\uE001', '\uFEFF', '\u0000', '<script>', 'javascript:', '{{%', '%}}', '{{<', '>}}', '*/', '/*', '&a', '*a', '<<', '---', '+++', '[', ']', '*', '_', '>', '- ', '\n', '\r\n', '"', "'", '`', '```', '#', ':', '{', '}', 'é', '🙂');
const chunk = fc.oneof(fc.string({ maxLength: 8 }), hostile);
const text = fc.array(chunk, { maxLength: 12 }).map((parts) => parts.join(''));
const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,10}$/);

const shortcode = fc
  .tuple(fc.constantFrom('{{%', '{{<', '<<%', '{{%/*', '{{<'), fc.constantFrom('rule', 'comment', '/comment', 'unknown', 'details', ''), fc.array(fc.oneof(text.map((t) => JSON.stringify(t)), word), { maxLength: 3 }), fc.constantFrom('%}}', '>}}', '%>>', '*/%}}', ''))
  .map(([open, name, args, close]) => `${open} ${name} ${args.join(' ')} ${close}`);

const yamlValue = fc.oneof(text.map((t) => JSON.stringify(t)), word, fc.constantFrom('[..]', '["/../../victim.html"]', '[".", ".."]', '&x [a]', '*x', '2024-13-45', 'not-a-date', '2024-05-31', '{', '['));
const frontMatterKey = fc.constantFrom('title', 'tags', 'aliases', 'alert', 'date', 'lastmod', 'weight', 'draft', 'description', 'slug', 'url', 'other');

const frontMatter = fc.oneof(
  fc.array(fc.tuple(frontMatterKey, yamlValue), { maxLength: 6 }).map((pairs) => `---\n${pairs.map(([k, v]) => `${k}: ${v}`).join('\n')}\n---\n`),
  fc.array(fc.tuple(frontMatterKey, text), { maxLength: 4 }).map((pairs) => `+++\n${pairs.map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join('\n')}\n+++\n`),
  fc.dictionary(frontMatterKey, fc.oneof(text, fc.array(text, { maxLength: 3 }))).map((data) => `${JSON.stringify(data, null, 1)}\n`),
  fc.constant(''),
);

export const runbookArbitrary = fc.record({
  name: fc.oneof(word, text.filter((t) => t.length > 0 && t.length < 40)),
  content: fc.tuple(fc.constantFrom('', '\uFEFF'), frontMatter, fc.array(fc.oneof(text, shortcode, fc.constantFrom('{{% rule "app.yml" "FuzzAlert" %}}', '`\uE0000\uE001`', '[x](../y.md#z)', '# Heading', '- a\n  - b')), { maxLength: 8 })).map(([bom, fm, body]) => `${bom}${fm}${body.join('\n')}\n`),
});

export const ruleFileArbitrary = fc.oneof(
  fc.constant('groups:\n- name: fuzz\n  rules:\n  - alert: FuzzAlert\n    expr: up == 0\n'),
  fc.array(fc.tuple(word, yamlValue), { maxLength: 5 }).map((pairs) => `groups:\n- name: g\n  rules:\n  - alert: ${pairs[0]?.[0] ?? 'A'}\n    expr: up\n    labels:\n${pairs.map(([k, v]) => `      ${k}: ${v}`).join('\n')}\n`),
  text,
);

export interface BatchResult {
  /** The CLI's exit code; null when it was killed for running past the time limit. */
  code: number | null;
  internal: boolean;
  /** Killed after `timeoutSeconds`. */
  hung: boolean;
  escaped: string[];
  seconds: number;
  output: string;
}

/**
 * Build every runbook and rule file in one project under a sentinel folder, with the real CLI in
 * its own process (so a crash, an out-of-memory abort or an endless loop is seen, not shared);
 * report what went wrong.
 */
export async function buildBatch(runbooks: { name: string; content: string }[], ruleFiles: string[], timeoutSeconds = 120): Promise<BatchResult> {
  const sentinel = await mkdtemp(path.join(tmpdir(), 'runbook-site-fuzz-'));
  const project = path.join(sentinel, 'a', 'b', 'project');
  await mkdir(path.join(project, 'runbooks'), { recursive: true });
  await mkdir(path.join(project, 'rules'), { recursive: true });
  await writeFile(path.join(project, 'rules', 'app.yml'), 'groups:\n- name: app\n  rules:\n  - alert: FuzzAlert\n    expr: up == 0\n');
  for (const [index, content] of ruleFiles.entries()) await writeFile(path.join(project, 'rules', `fuzz-${index}.yml`), content);
  for (const [index, runbook] of runbooks.entries()) {
    // The file name is fuzzed too, kept to one path segment inside its own folder.
    const safe = runbook.name.replace(/[/\\\0]/g, '_').slice(0, 60) || 'x';
    const folder = path.join(project, 'runbooks', `r${index}`);
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, `${safe}.md`), runbook.content);
  }
  const before = await listAll(sentinel);
  const started = performance.now();
  const result = await runBuild(project, timeoutSeconds);
  const seconds = (performance.now() - started) / 1000;
  const after = await listAll(sentinel);
  const escaped = [...after].filter((file) => !before.has(file) && !file.startsWith(path.join('a', 'b', 'project') + path.sep) );
  const output = result.stdout + result.stderr;
  await rm(sentinel, { recursive: true, force: true });
  // The project's config is fixed, so exit 2 (usage, config or internal) can only be ours.
  const internal = !result.hung && (result.code !== 0 && result.code !== 1 || /Internal error/.test(output));
  return { code: result.code, internal, hung: result.hung, escaped, seconds, output };
}

const CLI = path.join(projectRoot, 'bin', 'runbook-site.js');

function runBuild(cwd: string, timeoutSeconds: number): Promise<{ code: number | null; hung: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'build', '--no-cache', '--format', 'json'], { cwd, env: { ...process.env, CI: 'true' } });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, hung, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

async function listAll(root: string): Promise<Set<string>> {
  const out = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      out.add(path.relative(root, full));
      if (entry.isDirectory()) await walk(full);
    }
  };
  await walk(root);
  return out;
}
