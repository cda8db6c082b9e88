// `node lib/bench/highlight.js`: what server-side highlighting of runbook code blocks costs with
// each candidate library, on every fenced code block of the srerun corpus (and the same blocks
// ten times over, the size of the 10× corpus). Each library is loaded in a fresh child process
// so its import and set-up time is measured as a render worker pays it.
//
// lowlight is a dependency; the others are looked up in HL_BENCH_MODULES (a node_modules folder,
// e.g. after `npm install --prefix /tmp/hl shiki @wooorm/starry-night`) and skipped when absent.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const SRERUN = path.resolve(process.env.SRERUN ?? path.join(projectRoot, '../shared/corpora/srerun'));
const EXTRA = process.env.HL_BENCH_MODULES;

/** The languages runbooks use, by the names the libraries know them. */
export const BENCH_LANGUAGES = ['bash', 'shell', 'yaml', 'json', 'sql', 'go', 'python', 'hcl', 'dockerfile', 'ini', 'toml', 'diff'];

function codeBlocks(): { lang: string; code: string }[] {
  const blocks: { lang: string; code: string }[] = [];
  const dir = path.join(SRERUN, 'content');
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
    const text = readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
    for (const match of text.matchAll(/^ {0,3}```[ \t]*([\w+-]*)[^\n]*\n([\s\S]*?)^ {0,3}```[ \t]*$/gm)) {
      blocks.push({ lang: (match[1] || 'text').toLowerCase(), code: match[2] });
    }
  }
  return blocks;
}

const CHILD = String.raw`
const [which, extra, langsJson] = process.argv.slice(1);
const langs = JSON.parse(langsJson);
const blocks = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const { createRequire } = require('node:module');
const t0 = performance.now();
(async () => {
  const from = (name) => import(createRequire(extra + '/').resolve(name));
  let highlight;
  if (which === 'lowlight') {
    // What the build ships: src/markdown/highlight-code.ts (lowlight's core and the chosen grammars only).
    const { highlightCode } = await import(require('node:path').join(extra, '..', 'lib/src/markdown/highlight-code.js'));
    highlight = (lang, code) => highlightCode(lang, code);
  } else if (which === 'lowlight-all') {
    // lowlight's package entry, which imports all of its grammars.
    const { createLowlight, common } = await from('lowlight');
    const { toHtml } = await from('hast-util-to-html');
    const low = createLowlight(common);
    highlight = (lang, code) => low.registered(lang) ? toHtml(low.highlight(lang, code)) : code;
  } else if (which === 'starry-night') {
    const sn = await from('@wooorm/starry-night');
    const { toHtml } = await from('hast-util-to-html');
    const scopes = { bash: 'source.shell', shell: 'source.shell', yaml: 'source.yaml', json: 'source.json', sql: 'source.sql', go: 'source.go', python: 'source.python', hcl: 'source.hcl', dockerfile: 'source.dockerfile', ini: 'source.ini', toml: 'source.toml', diff: 'source.diff' };
    const grammars = [];
    for (const scope of Object.values(scopes)) grammars.push((await from('@wooorm/starry-night/' + scope)).default);
    const night = await sn.createStarryNight(grammars);
    highlight = (lang, code) => { const scope = night.flagToScope(lang); return scope ? toHtml(night.highlight(code, scope)) : code; };
  } else if (which === 'shiki') {
    const { createHighlighterCore } = await from('shiki/core');
    const { createJavaScriptRegexEngine } = await from('shiki/engine/javascript');
    const names = { bash: 'shellscript', shell: 'shellsession', yaml: 'yaml', json: 'json', sql: 'sql', go: 'go', python: 'python', hcl: 'hcl', dockerfile: 'docker', ini: 'ini', toml: 'toml', diff: 'diff' };
    const langMods = await Promise.all(Object.values(names).map((n) => from('shiki/langs/' + n + '.mjs').then((m) => m.default)));
    const shiki = await createHighlighterCore({ themes: [(await from('shiki/themes/github-light.mjs')).default, (await from('shiki/themes/github-dark.mjs')).default], langs: langMods, engine: createJavaScriptRegexEngine() });
    const loaded = new Set(shiki.getLoadedLanguages());
    highlight = (lang, code) => { const l = names[lang] ?? lang; return loaded.has(l) ? shiki.codeToHtml(code, { lang: l, themes: { light: 'github-light', dark: 'github-dark' }, defaultColor: false }) : code; };
  }
  const ready = performance.now();
  let bytes = 0; let inBytes = 0;
  for (const b of blocks) { const out = highlight(b.lang, b.code); bytes += out.length; inBytes += b.code.length; }
  const once = performance.now();
  for (let i = 0; i < 9; i++) for (const b of blocks) highlight(b.lang, b.code);
  const ten = performance.now();
  process.stdout.write(JSON.stringify({ setupMs: ready - t0, firstPassMs: once - ready, tenPassesMs: ten - ready, inBytes, outBytes: bytes, rssMB: process.memoryUsage().rss / 1048576 }));
})().catch((e) => { process.stdout.write(JSON.stringify({ error: String(e && e.message || e) })); });
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const blocks = codeBlocks();
const byLang = new Map<string, number>();
for (const block of blocks) byLang.set(block.lang, (byLang.get(block.lang) ?? 0) + 1);
console.log(`${blocks.length} fenced code blocks in srerun (${[...byLang].map(([l, n]) => `${l} ${n}`).join(', ')}), ${(blocks.reduce((n, b) => n + b.code.length, 0) / 1024).toFixed(0)} KB`);
console.log('| library | set-up ms | srerun blocks ms | 10× blocks ms | output ÷ input bytes | RSS MB |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const which of ['lowlight', 'lowlight-all', 'starry-night', 'shiki']) {
  const dir = which.startsWith('lowlight') ? path.join(projectRoot, 'node_modules') : EXTRA;
  if (!dir) {
    console.log(`| ${which} | skipped: set HL_BENCH_MODULES to a node_modules folder holding it | | | | |`);
    continue;
  }
  const runs: Record<string, number>[] = [];
  for (let i = 0; i < 3; i++) {
    const child = spawnSync(process.execPath, ['-e', CHILD, which, path.dirname(dir) + '/node_modules', JSON.stringify(BENCH_LANGUAGES)], { input: JSON.stringify(blocks), encoding: 'utf8', maxBuffer: 64 << 20 });
    const result = JSON.parse(child.stdout || '{"error":"no output"}');
    if (result.error) {
      runs.length = 0;
      console.log(`| ${which} | failed: ${result.error} | | | | |`);
      break;
    }
    runs.push(result);
  }
  if (!runs.length) continue;
  const pick = (key: string) => median(runs.map((r) => r[key]));
  console.log(`| ${which} | ${pick('setupMs').toFixed(0)} | ${pick('firstPassMs').toFixed(0)} | ${pick('tenPassesMs').toFixed(0)} | ${(runs[0].outBytes / runs[0].inBytes).toFixed(2)} | ${pick('rssMB').toFixed(0)} |`);
}
