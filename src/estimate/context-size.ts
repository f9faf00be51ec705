// COPY and ADD layers hold the build context's own bytes, so their size need not be guessed: the files
// a step's sources match (after .dockerignore, as the builder sends them) are summed, and a sample of
// their content is gzipped to learn how well the layer compresses. A local tar archive that ADD unpacks
// counts by its contents.
import { closeSync, openSync, readSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BuildContexts, matchSources, type ContextListing } from '../graph/build-context.js';
import type { CopyInstruction } from '../model/types.js';
import { joinPath, normalizePath } from '../model/path-match.js';

export interface ContextFile {
  /** Path relative to the context root, with `/`. */
  rel: string;
  abs: string;
  bytes: number;
  /** Where the step puts it in the image; null when the destination is relative to an unknown WORKDIR. */
  dest: string | null;
}

export interface CopySources {
  files: ContextFile[];
  /** Sources that matched no file in the context. */
  missing: string[];
  root: string;
}

/** Bytes a tar archive adds per file: a 512-byte header, and content padded to 512. */
export const TAR_HEADER = 512;
const SAMPLE_CHUNK = 64 * 1024;
const SAMPLES_PER_FILE = 24;
const SAMPLE_BUDGET = 4 * 1024 * 1024;

type Context = ContextListing;

export class ContextSizer {
  private readonly ratios = new Map<string, number>();

  constructor(
    private readonly contextOf: (dockerfile: string) => string = dirname,
    private readonly listings: BuildContexts = new BuildContexts(),
  ) {}

  /** The files a COPY/ADD copies from the build context; null for stage, image, URL and heredoc sources. */
  sources(dockerfile: string, step: CopyInstruction): CopySources | null {
    if (step.from || step.heredocs.length > 0) return null;
    const sources = step.sources.filter((s) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(s) && !s.startsWith('git@'));
    if (sources.length === 0) return null;
    const root = this.contextOf(dockerfile);
    const ctx = this.context(root);
    const dest = destination(step);
    const destIsDir = dest !== null && (step.destination?.endsWith('/') === true || sources.length > 1 || /[*?[]/.test(sources[0] ?? ''));
    const files: ContextFile[] = [];
    const missing: string[] = [];
    const seen = new Set<string>();
    for (const src of sources) {
      const pattern = posix.normalize(src.replace(/^\/+/, '').replace(/\/+$/, '')) || '.';
      const matched = matchSources(ctx.files, pattern);
      if (matched.length === 0) missing.push(src);
      for (const { file, base } of matched) {
        if (seen.has(file)) continue;
        seen.add(file);
        // A directory source copies its contents; a file source lands at the destination itself.
        let to: string | null = null;
        if (dest !== null) to = file === base ? (destIsDir ? joinPath(dest, posix.basename(file)) : dest) : joinPath(dest, posix.relative(base, file));
        files.push({ rel: file, abs: join(root, file), bytes: ctx.sizes.get(file) ?? 0, dest: to });
      }
    }
    return { files, missing, root };
  }

  /** A file of the build context by base name, the one nearest the root; null when there is none. */
  find(dockerfile: string, name: string): ContextFile | null {
    const root = this.contextOf(dockerfile);
    const ctx = this.context(root);
    let best: string | null = null;
    for (const f of ctx.files) {
      if (f !== name && !f.endsWith(`/${name}`)) continue;
      if (best === null || f.split('/').length < best.split('/').length) best = f;
    }
    return best === null ? null : { rel: best, abs: join(root, best), bytes: ctx.sizes.get(best) ?? 0, dest: null };
  }

  /** Compressed size of the files as one gzip stream: content sampled, not read whole. */
  compressedBytes(files: readonly ContextFile[]): number {
    let raw = 0;
    let sampledRaw = 0;
    let sampledPacked = 0;
    const small: Buffer[] = [];
    let smallBytes = 0;
    const flush = (): void => {
      if (small.length === 0) return;
      const data = Buffer.concat(small);
      sampledRaw += data.length;
      sampledPacked += gzipSync(data, { level: 6 }).length;
      small.length = 0;
      smallBytes = 0;
    };
    for (const f of files) {
      raw += f.bytes;
      if (sampledRaw + smallBytes >= SAMPLE_BUDGET) continue;
      if (f.bytes <= SAMPLE_CHUNK) {
        const data = readPart(f.abs, 0, f.bytes);
        small.push(data);
        smallBytes += data.length;
        if (smallBytes >= SAMPLE_CHUNK * 4) flush();
      } else {
        const ratio = this.fileRatio(f);
        sampledRaw += f.bytes;
        sampledPacked += f.bytes * ratio;
      }
    }
    flush();
    const ratio = sampledRaw > 0 ? sampledPacked / sampledRaw : 0.5;
    // Tar headers compress to almost nothing; a few dozen bytes per file remain.
    return Math.round(raw * ratio + files.length * 40);
  }

  /** Bytes a layer holds for the files, once unpacked (file content plus tar headers and padding). */
  static tarBytes(files: readonly ContextFile[]): number {
    let n = 0;
    for (const f of files) n += TAR_HEADER + Math.ceil(f.bytes / 512) * 512;
    return n;
  }

  /** What ADD unpacks from a local archive: uncompressed bytes when the format says, and the compressed layer. */
  archive(file: ContextFile): { uncompressedBytes: number; bytes: number; exact: boolean } {
    const name = file.rel.toLowerCase();
    if (/\.tar$/.test(name)) return { uncompressedBytes: file.bytes, bytes: Math.round(file.bytes * this.fileRatio(file)), exact: true };
    if (/\.(tgz|tar\.gz)$/.test(name) && file.bytes >= 18) {
      // gzip's trailer holds the uncompressed size modulo 2^32.
      const tail = readPart(file.abs, file.bytes - 4, 4);
      let size = tail.length === 4 ? tail.readUInt32LE(0) : 0;
      while (size < file.bytes) size += 2 ** 32;
      return { uncompressedBytes: size, bytes: file.bytes, exact: true };
    }
    // xz, bzip2 and zstd pack tighter than the builder's gzip, and their size is not in the file.
    return { uncompressedBytes: file.bytes * 3, bytes: Math.round(file.bytes * 1.15), exact: false };
  }

  /** gzip ratio of one file, from evenly spaced samples. */
  private fileRatio(f: ContextFile): number {
    let r = this.ratios.get(f.abs);
    if (r !== undefined) return r;
    const n = Math.min(SAMPLES_PER_FILE, Math.max(1, Math.floor(f.bytes / SAMPLE_CHUNK)));
    const step = n > 1 ? (f.bytes - SAMPLE_CHUNK) / (n - 1) : 0;
    let raw = 0;
    let packed = 0;
    for (let i = 0; i < n; i++) {
      const data = readPart(f.abs, Math.floor(i * step), SAMPLE_CHUNK);
      raw += data.length;
      packed += gzipSync(data, { level: 6 }).length;
    }
    r = raw > 0 ? packed / raw : 1;
    this.ratios.set(f.abs, r);
    return r;
  }

  private context(root: string): Context {
    return this.listings.list(root);
  }
}

/** The absolute destination, or null when it is relative to a WORKDIR the Dockerfile does not set. */
function destination(step: CopyInstruction): string | null {
  const d = step.destination;
  if (d === null || d.includes('$')) return null;
  if (d.startsWith('/')) return normalizePath(d);
  return step.workdir ? joinPath(step.workdir, d) : null;
}

function readPart(file: string, offset: number, length: number): Buffer {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(length);
    const n = readSync(fd, buf, 0, length, offset);
    return buf.subarray(0, n);
  } catch {
    return Buffer.alloc(0);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
