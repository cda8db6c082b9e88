// Hugo's `ref` and `relref`: the URL of another page, given by its content file. As in Hugo, the
// target is looked up relative to the page's folder, then from the content root (`/…`), then by
// its unique file name; a folder means its section page; `#anchor` is kept; `ref "#x"` is this
// page. `ref` gives the absolute permalink (baseURL), `relref` the site-relative one (with the base
// path). A target that is no page is an error (Hugo's REF_NOT_FOUND) with the closest page.
import path from 'node:path';
import type { Runbook } from '../../model.js';
import { encodeUrlPath } from '../../link/urls.js';
import { argument, type ResolveCall, type ResolveScope, type Shortcode } from '../registry.js';
import { suggestion } from '../suggest.js';

/** Candidate file keys (relative to the runbooks folder) for a target written in `fromFile`. */
function candidates(target: string, fromFile: string, scope: ResolveScope): string[] {
  const forms = (file: string) => {
    const clean = path.posix.normalize(file).replace(/^\.\/|\/$/g, '');
    if (/\.md$/i.test(clean)) return [clean];
    return [`${clean}.md`, `${clean}/_index.md`, `${clean}/index.md`, clean === '.' ? '_index.md' : ''].filter(Boolean);
  };
  const out: string[] = [];
  if (target.startsWith('/')) {
    const fromRoot = target.replace(/^\/+/, '');
    out.push(...forms(fromRoot));
    // The content root is the runbooks folder's parent on a Hugo site (content/runbooks/…).
    const folder = path.basename(scope.config.runbooksDir) + '/';
    if (fromRoot.startsWith(folder)) out.push(...forms(fromRoot.slice(folder.length)));
    if (fromRoot === folder.slice(0, -1)) out.push('_index.md');
  } else {
    out.push(...forms(path.posix.join(path.posix.dirname(fromFile), target)));
    out.push(...forms(target));
  }
  return out;
}

function findPage(target: string, runbook: Runbook, scope: ResolveScope): Runbook | undefined {
  for (const file of candidates(target, runbook.file, scope)) {
    const page = scope.pageByFile.get(file);
    if (page) return page;
  }
  if (!target.includes('/')) {
    // Hugo also finds a page by its file name alone when only one page has it.
    const name = /\.md$/i.test(target) ? target : `${target}.md`;
    const matches = [...scope.pageByFile.values()].filter((page) => path.posix.basename(page.file).toLowerCase() === name.toLowerCase());
    if (matches.length === 1) return matches[0];
  }
  return undefined;
}

function resolveRef(kind: 'ref' | 'relref') {
  return (call: ResolveCall, scope: ResolveScope) => {
    const written = argument(call, 'path', 0);
    if (written === undefined || written.trim() === '' || call.token.args.length > 1) {
      call.error(`Unexpected arguments to \`${kind}\`, expected one page: \`{{< ${kind} "other.md" >}}\` or \`{{< ${kind} "/section/page.md#anchor" >}}\``, 'shortcode-arguments');
      return undefined;
    }
    const hashAt = written.indexOf('#');
    const target = hashAt === -1 ? written : written.slice(0, hashAt);
    const anchor = hashAt === -1 ? '' : written.slice(hashAt);
    const page = target === '' ? call.runbook : findPage(target, call.runbook, scope);
    if (!page) {
      const files = [...scope.pageByFile.keys()];
      const relative = files.map((file) => path.posix.relative(path.posix.dirname(call.runbook.file), file));
      const near = suggestion(target.replace(/^\/+/, ''), target.startsWith('/') ? files : relative);
      call.error(
        `Unexpected \`${kind}\` target \`${target}\`: no page has that file (Hugo's REF_NOT_FOUND)${near ? `; did you mean \`${target.startsWith('/') ? '/' : ''}${near}\`?` : ''}. Give the page's file relative to this one, or from the content root with a leading \`/\``,
        'ref-not-found',
      );
      return undefined;
    }
    // A bare `#anchor` is this page: Hugo writes the fragment alone.
    if (target === '') return { text: anchor };
    const url = encodeUrlPath(page.url) + anchor;
    const text = kind === 'ref' ? scope.config.baseURL + url : scope.config.basePath + url;
    return { text };
  };
}

export const ref: Shortcode = {
  name: 'ref',
  inner: 'none',
  usage: '[text]({{< ref "other.md#anchor" >}})',
  origin: 'hugo',
  resolve: resolveRef('ref'),
};

export const relref: Shortcode = {
  name: 'relref',
  inner: 'none',
  usage: '[text]({{< relref "/section/page.md" >}})',
  origin: 'hugo',
  resolve: resolveRef('relref'),
};
