import { readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/** The marker runbook-site writes into every site it builds (link/site-paths.ts OUTPUT_MARKER is this one). */
export const SITE_MARKER = '.runbook-site';

function inside(root: string, target: string): boolean {
  return target === root || target.startsWith(root + path.sep);
}

/**
 * Files under `root` whose name passes `accept`, as posix paths relative to `root`, sorted so that
 * every build sees the same order. Hidden entries and node_modules are skipped, and so is a folder
 * holding the marker a built site has (`.runbook-site`): output is never read back as input, even
 * when it sits inside an input folder (`runbooks: .` with `dist/` beside the runbooks). Symbolic links are
 * followed only while they stay inside `root` (a link out is never read), and each real folder is
 * walked once, so link cycles cannot hang the walk. Only an unreadable `root` throws.
 * Synchronous on purpose: one readdir per folder is far cheaper than thread-pool round trips.
 */
export async function listFiles(root: string, accept: (name: string) => boolean): Promise<string[]> {
  return listFilesSync(root, accept);
}

/**
 * The files the build record key's walk found under an input folder (by its resolved path), with
 * the test it listed them with, so that the load stage does not walk the same folders again.
 */
export type Listings = Map<string, { files: string[]; accept: (name: string) => boolean }>;

/** The test that takes every file (one function: listings are told apart by their test). */
export const everyFile = (): boolean => true;

/**
 * listFiles, from the listing the build record's key made of the same folder when there is one
 * (`known`): the same walk, so the same files in the same order, filtered by `accept`. Only a
 * listing made with the same test, or with `everyFile`, holds every file `accept` takes (the key
 * lists runbook folders whole, and rule folders with the rule-file test).
 */
export async function listKnownFiles(root: string, accept: (name: string) => boolean, known?: Listings): Promise<string[]> {
  const listing = known?.get(path.resolve(root));
  if (listing && (listing.accept === accept || listing.accept === everyFile)) return listing.files.filter((file) => accept(path.posix.basename(file)));
  return listFiles(root, accept);
}

/** listFiles, for callers that must not yield to the event loop (starting render workers at once). */
export function listFilesSync(root: string, accept: (name: string) => boolean): string[] {
  const realRoot = realpathSync(root);
  const visited = new Set<string>([realRoot]);
  const files: string[] = [];
  const walk = (dir: string, relative: string, isRoot: boolean): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if (isRoot) throw error;
      return;
    }
    if (!isRoot && entries.some((entry) => entry.name === SITE_MARKER && entry.isFile())) return;
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      const childRelative = relative ? `${relative}/${entry.name}` : entry.name;
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      let real: string | undefined;
      if (entry.isSymbolicLink()) {
        try {
          real = realpathSync(full);
          if (!inside(realRoot, real)) continue;
          const info = statSync(real);
          isDirectory = info.isDirectory();
          isFile = info.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDirectory) {
        // Only a link can lead back to a folder already walked; plain folders need no realpath.
        const key = real ?? path.join(dir === root ? realRoot : dir, entry.name);
        if (visited.has(key)) continue;
        visited.add(key);
        walk(full, childRelative, false);
      } else if (isFile && accept(entry.name)) {
        files.push(childRelative);
      }
    }
  };
  walk(root, '', true);
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
