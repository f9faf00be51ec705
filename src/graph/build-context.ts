// The files of a build context as the builder sends them: every file under the context root minus
// what .dockerignore excludes, walked once per root; and which of them a COPY/ADD source pattern names.
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import dockerignore from '@balena/dockerignore';
import picomatch from 'picomatch';

export interface ContextListing {
  /** Relative paths (with `/`) of the files in the context, sorted. */
  files: string[];
  /** Size in bytes of each file (0 for a symbolic link). */
  sizes: Map<string, number>;
  /** Modification time of each file, so a cache can tell a changed context from an unchanged one. */
  mtimes: Map<string, number>;
}

const MAX_FILES = 20_000;

export class BuildContexts {
  private readonly listings = new Map<string, ContextListing>();

  list(root: string): ContextListing {
    let listing = this.listings.get(root);
    if (!listing) {
      listing = walkContext(root);
      this.listings.set(root, listing);
    }
    return listing;
  }
}

function walkContext(root: string): ContextListing {
  // A CommonJS module whose typings declare a default export: `.default` is the factory either way.
  const ig = dockerignore.default();
  const ignoreFile = join(root, '.dockerignore');
  if (existsSync(ignoreFile)) {
    try {
      ig.add(readFileSync(ignoreFile, 'utf8'));
    } catch {
      // An unreadable .dockerignore excludes nothing, as an absent one.
    }
  }
  const files: string[] = [];
  const sizes = new Map<string, number>();
  const mtimes = new Map<string, number>();
  const walk = (dir: string, rel: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries.sort()) {
      if (files.length >= MAX_FILES) return;
      const r = rel ? `${rel}/${name}` : name;
      // layerlint's own cache (`--cache`) would otherwise change the context it fingerprints at every run.
      if (name === '.git' || name.startsWith('.layerlintcache') || ig.ignores(r)) continue;
      let st;
      try {
        st = lstatSync(join(dir, name));
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(join(dir, name), r);
      else if (st.isFile() || st.isSymbolicLink()) {
        files.push(r);
        sizes.set(r, st.isFile() ? st.size : 0);
        mtimes.set(r, st.mtimeMs);
      }
    }
  };
  walk(root, '');
  return { files, sizes, mtimes };
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
