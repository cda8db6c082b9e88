// A code host's view of a file in a repository, as rule annotations often name a runbook before
// there is a site: `https://github.com/org/runbooks/blob/main/alerts/db/PostgresDown.md#steps`.
// Read here so that such a link counts as the rule naming its runbook, and is not mistaken for a
// page of this site.

/** A repository file URL taken apart: the path after the view keyword, and the fragment. */
export interface RepositoryFileUrl {
  /** Every way to read the path: the ref may hold slashes, so each split after the view keyword is one, shortest ref first. */
  paths: string[];
  /** The decoded fragment, '' when there is none. */
  fragment: string;
}

/** Path segments that introduce a file of the repository: GitHub's and GitLab's (after `-/`), Gitea's `src`. */
const VIEWS = new Set(['blob', 'tree', 'raw', 'edit', 'src']);

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * The repository paths a URL can name when it is a code host's file view:
 * `/<owner>/<repo>/(blob|tree|raw|edit)/<ref>/<path>` (GitHub, Gitea), `/<group…>/<repo>/-/blob/<ref>/<path>`
 * (GitLab), `/<owner>/<repo>/src/<ref>/<path>` (Bitbucket, Gitea's `src/branch/<ref>`). With
 * `repository` (the configured repository's web URL) the URL must be under it; otherwise any host
 * is read, and the caller decides by whether a path names one of its files. Undefined for any
 * other URL.
 */
export function repositoryFileUrl(value: string, repository?: string): RepositoryFileUrl | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  let segments = url.pathname.split('/').slice(1);
  let start = 2;
  if (repository !== undefined) {
    let home: URL;
    try {
      home = new URL(repository);
    } catch {
      return undefined;
    }
    const homeSegments = home.pathname.split('/').filter(Boolean);
    // Code hosts read owner and repository names without regard to case.
    const same = url.host.toLowerCase() === home.host.toLowerCase() && homeSegments.every((segment, i) => segments[i]?.toLowerCase() === segment.toLowerCase());
    if (!same) return undefined;
    start = homeSegments.length;
  }
  segments = segments.slice(start);
  if (segments[0] === '-') segments = segments.slice(1);
  const at = repository !== undefined ? (VIEWS.has(segments[0]) ? 0 : -1) : segments.findIndex((segment) => VIEWS.has(segment));
  if (at === -1) return undefined;
  let rest = segments.slice(at + 1);
  // Gitea writes `src/branch/<ref>`, `src/tag/<ref>` and `src/commit/<sha>`.
  if (segments[at] === 'src' && ['branch', 'tag', 'commit'].includes(rest[0])) rest = rest.slice(1);
  const decoded = rest.map(decode);
  if (decoded.some((segment) => segment === undefined)) return undefined;
  const paths: string[] = [];
  for (let split = 1; split < decoded.length; split++) {
    // A folder's view may end in `/`.
    const path = decoded.slice(split).join('/').replace(/\/+$/, '');
    if (path) paths.push(path);
  }
  if (paths.length === 0) return undefined;
  return { paths, fragment: decode(url.hash.slice(1)) ?? url.hash.slice(1) };
}
