// COPY/ADD layers are keyed by the bytes they copy: two images share such a layer only when the
// sources in their build contexts are identical. This hashes those bytes the way the builder sees
// them: files under the context, minus what .dockerignore excludes.
import { sha256 } from './sha256.js';
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { BuildContexts, matchSources } from './build-context.js';
import type { CopyInstruction } from '../model/types.js';

export interface ContextDigest {
  hash: string;
  complete: boolean;
}

interface Context {
  files: string[];
  fileHashes: Map<string, string>;
  /** By the sources' list: a Dockerfile often copies the same sources more than once (`COPY . .`). */
  digests: Map<string, ContextDigest>;
}

export class ContextHasher {
  private readonly contexts = new Map<string, Context>();
  private readonly contextOf: (dockerfile: string) => string;
  private readonly listings: BuildContexts;

  constructor(contextOf: (dockerfile: string) => string = dirname, listings: BuildContexts = new BuildContexts()) {
    this.contextOf = contextOf;
    this.listings = listings;
  }

  /**
   * The hash of a COPY/ADD step's local sources, or null when it copies from a stage, a URL or a
   * heredoc. `complete` is false when a source matched no file in the context.
   */
  hash(dockerfile: string, step: CopyInstruction): ContextDigest | null {
    if (step.from || step.heredocs.length > 0) return null;
    const sources = step.sources.filter((s) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(s) && !s.startsWith('git@'));
    if (sources.length === 0) return null;
    const root = this.contextOf(dockerfile);
    const ctx = this.context(root);
    const key = sources.join('\0');
    let digest = ctx.digests.get(key);
    if (!digest) {
      digest = this.digest(ctx, root, sources);
      ctx.digests.set(key, digest);
    }
    return digest;
  }

  private digest(ctx: Context, root: string, sources: readonly string[]): ContextDigest {
    const h = sha256();
    let complete = true;
    for (const src of sources) {
      const pattern = posix.normalize(src.replace(/^\/+/, '').replace(/\/+$/, '')) || '.';
      const matched = matchSources(ctx.files, pattern).map((m) => m.file);
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
        v = sha256().update(readFileSync(join(root, rel))).digest('hex');
      } catch {
        v = 'unreadable';
      }
      ctx.fileHashes.set(rel, v);
    }
    return v;
  }

  /** The build context roots read so far: what the hashes depend on besides the Dockerfiles. */
  roots(): string[] {
    return [...this.contexts.keys()];
  }

  /** The listing of a root, as hashed. */
  listing(root: string) {
    return this.listings.list(root);
  }

  private context(root: string): Context {
    let ctx = this.contexts.get(root);
    if (!ctx) {
      ctx = { files: this.listings.list(root).files, fileHashes: new Map(), digests: new Map() };
      this.contexts.set(root, ctx);
    }
    return ctx;
  }
}

