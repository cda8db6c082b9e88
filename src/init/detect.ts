// What `init` finds in a repository: its rule and runbook folders, a Hugo project, the git remote.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { RULE_FILE_NAME } from '../rules/file-names.js';

export interface Detected {
  /** Folders relative to the repository root, posix separators; undefined when none was found. */
  rules?: string;
  runbooks?: string;
  /** A Hugo project's content folder, when the repository is one. */
  hugoContent?: string;
  /** From the git remote: `https://github.com/org/repo` and `https://org.github.io/repo/`. */
  repositoryURL?: string;
  baseURL?: string;
  branch: string;
  /** How the workflow installs the tool: `npm ci` (lockfile), `npm install`, or none (npx a version). */
  install: 'ci' | 'install' | 'none';
}

const RULE_FOLDERS = ['rules', 'alerts', 'prometheus/rules', 'prometheus/alerts', 'prometheus', 'alerting', 'monitoring/rules', 'monitoring', 'deploy/prometheus', 'config/prometheus'];
const RUNBOOK_FOLDERS = ['runbooks', 'docs/runbooks', 'content/runbooks', 'doc/runbooks', 'documentation/runbooks', 'runbook', 'playbooks', 'docs/playbooks'];
const HUGO_CONFIGS = ['hugo.toml', 'hugo.yaml', 'hugo.yml', 'hugo.json', 'config.toml', 'config.yaml', 'config.yml', 'config.json'];
const SKIP = new Set(['node_modules', 'dist', 'public', 'vendor', 'target', 'build']);
/** Bounds on the search for rule files beyond the usual folders. */
const MAX_DEPTH = 4;
const MAX_FILES = 5_000;

function isDir(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** A YAML file that reads as a Prometheus rule file or a PrometheusRule object (a quick look at its text). */
function looksLikeRules(file: string): boolean {
  try {
    const head = readFileSync(file, 'utf8').slice(0, 64_000);
    return /^kind:\s*["']?PrometheusRule\b/m.test(head) || (/^\s*groups:\s*$/m.test(head) && /^\s*-?\s*(alert|record):/m.test(head));
  } catch {
    return false;
  }
}

/** Files under `dir` (bounded in depth and number) whose name passes `accept`, relative to `root`. */
function walk(root: string, dir: string, accept: (name: string) => boolean, depth: number, out: string[]): void {
  if (depth > MAX_DEPTH || out.length >= MAX_FILES) return;
  let entries;
  try {
    entries = readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || SKIP.has(entry.name)) continue;
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) walk(root, rel, accept, depth + 1, out);
    else if (entry.isFile() && accept(entry.name)) out.push(rel);
    if (out.length >= MAX_FILES) return;
  }
}

function hasFiles(root: string, folder: string, accept: (file: string) => boolean): boolean {
  const found: string[] = [];
  walk(root, folder, () => true, 0, found);
  return found.some((rel) => accept(path.join(root, rel)));
}

function detectRules(root: string): string | undefined {
  const yaml = (file: string) => RULE_FILE_NAME.test(file) && looksLikeRules(file);
  const known = RULE_FOLDERS.find((folder) => isDir(path.join(root, folder)) && hasFiles(root, folder, yaml));
  if (known) return known;
  // Elsewhere: the top folder holding the most rule files.
  const files: string[] = [];
  walk(root, '', (name) => RULE_FILE_NAME.test(name), 0, files);
  const counts = new Map<string, number>();
  for (const rel of files) {
    if (!rel.includes('/') || rel.startsWith('.github/') || !looksLikeRules(path.join(root, rel))) continue;
    const top = rel.split('/')[0];
    counts.set(top, (counts.get(top) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

function detectRunbooks(root: string, hugoContent: string | undefined): string | undefined {
  const markdown = (file: string) => /\.md$/i.test(file);
  const known = RUNBOOK_FOLDERS.find((folder) => isDir(path.join(root, folder)) && hasFiles(root, folder, markdown));
  if (known) return known;
  return hugoContent;
}

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The GitHub repository a remote URL names, and its Pages URL:
 * `git@github.com:Org/repo.git` → https://github.com/Org/repo, https://org.github.io/repo/
 * (a repository named `org.github.io` is the organisation's own site, at its root).
 */
export function githubPages(remote: string): { repositoryURL: string; baseURL: string } | undefined {
  const match = /^(?:git@github\.com:|ssh:\/\/git@github\.com\/|https?:\/\/(?:[^@/]+@)?github\.com\/|git:\/\/github\.com\/)([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/i.exec(remote.trim());
  if (!match) return undefined;
  const [, owner, repo] = match;
  const host = `${owner.toLowerCase()}.github.io`;
  const baseURL = repo.toLowerCase() === host ? `https://${host}/` : `https://${host}/${repo}/`;
  return { repositoryURL: `https://github.com/${owner}/${repo}`, baseURL };
}

export function detectRepository(root: string): Detected {
  const hugo = HUGO_CONFIGS.some((name) => existsSync(path.join(root, name))) && isDir(path.join(root, 'content')) ? 'content' : undefined;
  const detected: Detected = {
    rules: detectRules(root),
    runbooks: detectRunbooks(root, hugo),
    hugoContent: hugo,
    branch: 'main',
    install: existsSync(path.join(root, 'package-lock.json')) ? 'ci' : existsSync(path.join(root, 'package.json')) ? 'install' : 'none',
  };
  const remotes = git(root, ['remote'])?.split('\n') ?? [];
  const remote = remotes.includes('origin') ? 'origin' : remotes[0];
  const url = remote ? git(root, ['remote', 'get-url', remote]) : undefined;
  const pages = url ? githubPages(url) : undefined;
  if (pages) Object.assign(detected, pages);
  const head = remote ? git(root, ['symbolic-ref', '--short', `refs/remotes/${remote}/HEAD`]) : undefined;
  const branch = head?.split('/').slice(1).join('/') || git(root, ['symbolic-ref', '--short', 'HEAD']);
  if (branch) detected.branch = branch;
  return detected;
}
