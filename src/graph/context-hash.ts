// COPY/ADD layers are keyed by the bytes they copy: two images share such a layer only when the
// sources in their build contexts are identical. This hashes those bytes the way the builder sees
// them: files under the context, minus what .dockerignore excludes.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, lstatSync, existsSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import dockerignore from '@balena/dockerignore';
import picomatch from 'picomatch';
import type { CopyInstruction } from '../model/types.js';

export interface ContextDigest {
  hash: string;
  complete: boolean;
}

interface Context {
  /** Relative paths (with `/`) of the files in the context, sorted. */
  files: string[];
  fileHashes: Map<string, string>;
}

const MAX_FILES = 20_000;

export class ContextHasher {
  private readonly contexts = new Map<string, Context>();
  private readonly contextOf: (dockerfile: string) => string;

  constructor(contextOf: (dockerfile: string) => string = dirname) {
    this.contextOf = contextOf;
  }

  /**
   * The hash of a COPY/ADD step's local sources, or null when it copies from a stage, a URL or a
   * heredoc. `complete` is false when a source matched no file in the context.
   */
  hash(dockerfile: string, step: CopyInstruction): ContextDigest | null {
    if (step.from || step.heredocs.length > 0) return null;
    const sources = step.sources.filter((s) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(s) && !s.startsWith('git@'));
    if (sources.length === 0) return null;
    const ctx = this.context(this.contextOf(dockerfile));
    const root = this.contextOf(dockerfile);
    const h = createHash('sha256');
    let complete = true;
    for (const src of sources) {
      const pattern = posix.normalize(src.replace(/^\/+/, '').replace(/\/+$/, '')) || '.';
      const matched = matchFiles(ctx.files, pattern);
      if (matched.length === 0) complete = false;
      h.update(`src\0${pattern}\0${matched.length}\0`);
      for (const f of matched) h.update(`${f}\0${this.fileHash(ctx, root, f)}\0`);
    }
    return { hash: h.digest('hex').slice(0, 32), complete };
  }

  private fileHash(ctx: Context, root: string, rel: string): string {
    let v = ctx.fileHashes.get(rel);
    if (v === undefined) {
      try {
        v = createHash('sha256').update(readFileSync(join(root, rel))).digest('hex');
      } catch {
        v = 'unreadable';
      }
      ctx.fileHashes.set(rel, v);
    }
    return v;
  }

  private context(root: string): Context {
    let ctx = this.contexts.get(root);
    if (ctx) return ctx;
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
        if (name === '.git' || ig.ignores(r)) continue;
        let st;
        try {
          st = lstatSync(join(dir, name));
        } catch {
          continue;
        }
        if (st.isDirectory()) walk(join(dir, name), r);
        else if (st.isFile() || st.isSymbolicLink()) files.push(r);
      }
    };
    walk(root, '');
    ctx = { files, fileHashes: new Map() };
    this.contexts.set(root, ctx);
    return ctx;
  }
}

function matchFiles(files: readonly string[], pattern: string): string[] {
  if (pattern === '.') return [...files];
  const glob = /[*?[]/.test(pattern) ? picomatch(pattern, { dot: true }) : null;
  return files.filter((f) => {
    if (f === pattern || f.startsWith(`${pattern}/`)) return true;
    if (!glob) return false;
    // A glob may name a directory: everything under a matching directory is copied too.
    const parts = f.split('/');
    for (let i = 1; i <= parts.length; i++) if (glob(parts.slice(0, i).join('/'))) return true;
    return false;
  });
}
