// The files of a build context as the builder sends them: every file under the context root minus
// what .dockerignore excludes, walked once per root; and which of them a COPY/ADD source pattern names.
import type { Dirent } from 'node:fs';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import dockerignore from '@balena/dockerignore';
import picomatch from 'picomatch';
import { mayList, type DirectoryListings } from '../discover/listings.js';

export interface ContextListing {
  /** Relative paths (with `/`) of the files in the context, sorted. */
  files: string[];
  /** Size in bytes of each file (0 for a symbolic link). */
  sizes: Map<string, number>;
  /** Modification time of each file, so a cache can tell a changed context from an unchanged one. */
  mtimes: Map<string, number>;
  /** The text of the .dockerignore that applied ('' without one): it may exclude itself from `files`. */
  dockerignore: string;
}

const MAX_FILES = 20_000;

export class BuildContexts {
  private readonly listings = new Map<string, ContextListing>();

  /** `directories`: the run's listings, so that directories its walk listed are not read again. */
  constructor(private readonly directories?: DirectoryListings) {}

  list(root: string): ContextListing {
    let listing = this.listings.get(root);
    if (!listing) {
      listing = walkContext(root, this.directories);
      this.listings.set(root, listing);
    }
    return listing;
  }
}

function walkContext(root: string, directories?: DirectoryListings): ContextListing {
  const files: string[] = [];
  const sizes = new Map<string, number>();
  const mtimes = new Map<string, number>();
  // The entry types of a listing tell directories apart, so only files and links need a stat (for their size and time).
  const entriesOf = (dir: string): readonly Dirent[] | null => {
    try {
      return directories?.entriesOf(dir) ?? readdirSync(dir, { withFileTypes: true });
    } catch {
      return null;
    }
  };
  const top = entriesOf(root);
  if (top === null) return { files, sizes, mtimes, dockerignore: '' };
  const dockerignoreText = dockerignoreOf(root, top);
  const ignores = dockerignoreText === '' ? () => false : ignoreMatcher(dockerignoreText);
  const walk = (dir: string, rel: string, entries: readonly Dirent[]): void => {
    for (const entry of [...entries].sort(byName)) {
      if (files.length >= MAX_FILES) return;
      const name = entry.name;
      const r = rel ? `${rel}/${name}` : name;
      // layerlint's own cache (`--cache`) would otherwise change the context it fingerprints at every run.
      if (name === '.git' || name.startsWith('.layerlintcache') || ignores(r)) continue;
      const abs = join(dir, name);
      if (entry.isDirectory()) {
        const below = entriesOf(abs);
        if (below !== null) walk(abs, r, below);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        let st;
        try {
          st = directories?.lstat(abs) ?? lstatSync(abs);
        } catch {
          continue;
        }
        files.push(r);
        sizes.set(r, st.isFile() ? st.size : 0);
        mtimes.set(r, st.mtimeMs);
      }
    }
  };
  walk(root, '', top);
  return { files, sizes, mtimes, dockerignore: dockerignoreText };
}

/**
 * The text of the context's .dockerignore: '' without the file (absent from the root's listing, or
 * unreadable), which excludes nothing, and then no matcher is made: it would clean every path it is
 * asked about only to answer no.
 */
function dockerignoreOf(root: string, entries: readonly Dirent[]): string {
  if (!mayList(entries, '.dockerignore')) return '';
  try {
    return readFileSync(join(root, '.dockerignore'), 'utf8');
  } catch {
    return ''; // an unreadable .dockerignore excludes nothing, as an absent one
  }
}

/** Whether a .dockerignore of this text excludes a path. */
function ignoreMatcher(text: string): (rel: string) => boolean {
  // A CommonJS module whose typings declare a default export: `.default` is the factory either way.
  const ig = dockerignore.default().add(text);
  return (rel) => ig.ignores(rel);
}

/** Code-unit order of names, as `Array.prototype.sort` orders strings. */
function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Files a source pattern copies (`conf/`, `*.sh`, `.`), each with the matched path it hangs from:
 * itself, or a matched directory whose whole content is copied.
 */
export function matchSources(files: readonly string[], pattern: string): { file: string; base: string }[] {
  if (pattern === '.') return files.map((file) => ({ file, base: '' }));
  const glob = /[*?[]/.test(pattern) ? picomatch(pattern, { dot: true }) : null;
  const out: { file: string; base: string }[] = [];
  for (const f of files) {
    if (f === pattern) out.push({ file: f, base: f });
    else if (f.startsWith(`${pattern}/`)) out.push({ file: f, base: pattern });
    else if (glob) {
      const parts = f.split('/');
      for (let i = 1; i <= parts.length; i++) {
        const prefix = parts.slice(0, i).join('/');
        if (glob(prefix)) {
          out.push({ file: f, base: i === parts.length ? f : prefix });
          break;
        }
      }
    }
  }
  return out;
}
