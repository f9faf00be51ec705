// Reads a layer blob once: checks its digest, measures it stored and uncompressed, hashes the
// uncompressed tar (its diff_id), and lists its files and whiteouts. Then, over an image's layers in
// order, finds the bytes a later layer makes dead weight: a file overwritten (a copy-up by chmod, a
// rewrite) or deleted (a whiteout) is still stored and pulled in the layer that first wrote it.
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { Readable, pipeline, type Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { streamTarEntries } from './tar.js';
import { ImageReadError } from './types.js';

export type Compression = 'gzip' | 'zstd' | 'none';

/** Where a blob's bytes are: a whole file, or a member of an archive. */
export interface BlobRef {
  /** What errors name: the blob file, or `ARCHIVE.tar:member`. */
  file: string;
  path: string;
  start: number;
  length: number;
}

export interface LayerFile {
  path: string;
  /** Regular files only; links, directories and devices hold no bytes of their own. */
  size: number;
  isDir: boolean;
}

export interface Whiteout {
  /** Directory the whiteout sits in ('' for the root). */
  dir: string;
  /** The name it deletes, or null for an opaque directory (everything below `dir`). */
  name: string | null;
}

export interface LayerContent {
  digest: string;
  diffId: string;
  storedSize: number;
  compression: Compression;
  /**
   * Stored size when the blob is compressed. A layer stored as plain tar (docker-archive, or an OCI
   * layout written without compression) is gzipped at the default level while it is read, which is
   * what a push would send and a registry store.
   */
  compressedSize: number;
  uncompressedSize: number;
  files: LayerFile[];
  whiteouts: Whiteout[];
}

interface Meter {
  hash: Hash;
  bytes: number;
}

type ZstdFactory = () => Transform;
/** Node has zstd from 22.15 and 23.8; on older runtimes such layers are refused. */
const createZstdDecompress = (zlib as unknown as { createZstdDecompress?: ZstdFactory }).createZstdDecompress;

/** Reads and checks one layer blob. `expectDigest`/`expectSize` come from the manifest when it has them. */
export async function scanLayer(blob: BlobRef, expectDigest: string | null, expectSize: number | null): Promise<LayerContent> {
  if (expectSize !== null && blob.length !== expectSize) {
    const what = blob.length < expectSize ? 'truncated' : 'size mismatch';
    throw new ImageReadError(blob.file, `${what}: the manifest says ${expectSize} bytes, the blob has ${blob.length}`);
  }
  const stored: Meter = { hash: createHash('sha256'), bytes: 0 };
  const plain: Meter = { hash: createHash('sha256'), bytes: 0 };
  const files: LayerFile[] = [];
  const whiteouts: Whiteout[] = [];
  let compression: Compression = 'none';
  let estimator: GzipSize | null = null;
  const raw = blob.length === 0 ? Readable.from([]) : createReadStream(blob.path, { start: blob.start, end: blob.start + blob.length - 1 });
  try {
    const it = metered(raw, stored)[Symbol.asyncIterator]();
    const first = await it.next();
    const head: Buffer | null = first.done ? null : first.value;
    compression = head === null ? 'none' : sniff(head);
    const storedChunks = prepend(head, it);
    const tarChunks = compression === 'none' ? storedChunks : decompress(storedChunks, compression, blob.file);
    estimator = compression === 'none' ? new GzipSize() : null;
    for await (const entry of streamTarEntries(metered(tarChunks, plain, estimator), blob.file)) {
      const slash = entry.path.lastIndexOf('/');
      const dir = slash < 0 ? '' : entry.path.slice(0, slash);
      const base = entry.path.slice(slash + 1);
      if (base === '.wh..wh..opq') whiteouts.push({ dir, name: null });
      else if (base.startsWith('.wh..wh.')) continue; // aufs bookkeeping (hard-link dirs), not a deletion
      else if (base.startsWith('.wh.')) whiteouts.push({ dir, name: base.slice(4) });
      else if (entry.path !== '') files.push({ path: entry.path, size: entry.type === 'file' ? entry.size : 0, isDir: entry.type === 'dir' });
    }
    if (estimator) await estimator.finish();
  } catch (error) {
    raw.destroy();
    // A damaged blob is better named by its digest than by the corrupt data it causes.
    const actual = expectDigest === null ? null : await hashBlob(blob).catch(() => null);
    if (actual !== null && actual !== expectDigest) {
      throw new ImageReadError(blob.file, `digest mismatch: expected ${expectDigest}, content hashes to ${actual}`);
    }
    throw asReadError(error, blob.file, compression);
  }
  const digest = `sha256:${stored.hash.digest('hex')}`;
  if (expectDigest !== null && expectDigest !== digest) {
    throw new ImageReadError(blob.file, `digest mismatch: expected ${expectDigest}, content hashes to ${digest}`);
  }
  return {
    digest,
    diffId: `sha256:${plain.hash.digest('hex')}`,
    storedSize: stored.bytes,
    compression,
    compressedSize: estimator === null ? stored.bytes : estimator.bytes,
    uncompressedSize: plain.bytes,
    files,
    whiteouts,
  };
}

async function hashBlob(blob: BlobRef): Promise<string> {
  const hash = createHash('sha256');
  if (blob.length > 0) {
    for await (const chunk of createReadStream(blob.path, { start: blob.start, end: blob.start + blob.length - 1 })) hash.update(chunk as Buffer);
  }
  return `sha256:${hash.digest('hex')}`;
}

function sniff(head: Buffer): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

async function* metered(chunks: AsyncIterable<Buffer>, meter: Meter, gzip: GzipSize | null = null): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    meter.hash.update(chunk);
    meter.bytes += chunk.length;
    if (gzip) await gzip.write(chunk);
    yield chunk;
  }
}

async function* prepend(head: Buffer | null, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (head !== null) yield head;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

function decompress(chunks: AsyncIterable<Buffer>, compression: 'gzip' | 'zstd', file: string): AsyncIterable<Buffer> {
  let inflate: Transform;
  if (compression === 'gzip') inflate = zlib.createGunzip();
  else if (createZstdDecompress) inflate = createZstdDecompress();
  else throw new ImageReadError(file, `zstd-compressed layer: this Node.js (${process.version}) cannot decompress zstd; use Node.js 22.15 or later, or export the images with gzip`);
  // Errors of the source reach the consumer through the last stream of the pipeline.
  return pipeline(Readable.from(chunks), inflate, () => {}) as AsyncIterable<Buffer>;
}

/** Counts what gzip makes of a stream, with backpressure so the whole layer is never buffered. */
class GzipSize {
  bytes = 0;
  private readonly gz = zlib.createGzip();
  private readonly ended: Promise<unknown>;

  constructor() {
    this.gz.on('data', (c: Buffer) => {
      this.bytes += c.length;
    });
    this.ended = once(this.gz, 'end');
  }

  async write(chunk: Buffer): Promise<void> {
    if (!this.gz.write(chunk)) await once(this.gz, 'drain');
  }

  async finish(): Promise<void> {
    this.gz.end();
    await this.ended;
  }
}

function asReadError(error: unknown, file: string, compression: Compression): ImageReadError {
  if (error instanceof ImageReadError) return error;
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return new ImageReadError(file, 'blob is missing');
  if (typeof e.code === 'string' && (e.code.startsWith('Z_') || e.code.startsWith('ERR_ZSTD') || e.code.startsWith('ERR__ZSTD'))) {
    return new ImageReadError(file, `corrupt ${compression} data (${e.message})`, { cause: error });
  }
  return new ImageReadError(file, `cannot read layer: ${e.message ?? String(error)}`, { cause: error });
}

export interface LayerWaste {
  shadowedBytes: number;
  whiteouts: number;
  hiddenBytes: number;
}

interface PathNode {
  children: Map<string, PathNode> | null;
  /** Layer that wrote the entry; -1 for a directory no layer lists (implied by a path below it). */
  layer: number;
  size: number;
  isDir: boolean;
}

/**
 * Per layer of one image (bottom first): bytes of its files that a later layer overwrites or
 * deletes, and the whiteouts it makes with the bytes they hide. Only superseded copies count: the
 * last copy of a file is what the image needs. Whiteouts apply to lower layers only, so each layer's
 * whiteouts are applied before its own files are added.
 */
export function layerWaste(layers: readonly LayerContent[]): LayerWaste[] {
  const out: LayerWaste[] = layers.map(() => ({ shadowedBytes: 0, whiteouts: 0, hiddenBytes: 0 }));
  const root: PathNode = { children: new Map(), layer: -1, size: 0, isDir: true };
  const bury = (node: PathNode, by: number): number => {
    let bytes = 0;
    const visit = (n: PathNode): void => {
      if (n.size > 0 && n.layer >= 0 && n.layer < by) {
        (out[n.layer] as LayerWaste).shadowedBytes += n.size;
        bytes += n.size;
      }
      for (const child of n.children?.values() ?? []) visit(child);
    };
    visit(node);
    return bytes;
  };
  layers.forEach((layer, i) => {
    const waste = out[i] as LayerWaste;
    for (const wh of layer.whiteouts) {
      waste.whiteouts++;
      const dir = lookup(root, wh.dir);
      if (dir?.children == null) continue;
      if (wh.name === null) {
        for (const child of dir.children.values()) waste.hiddenBytes += bury(child, i);
        dir.children.clear();
      } else {
        const target = dir.children.get(wh.name);
        if (target === undefined) continue;
        waste.hiddenBytes += bury(target, i);
        dir.children.delete(wh.name);
      }
    }
    for (const file of layer.files) {
      const parts = file.path.split('/');
      let node = root;
      for (const [k, part] of parts.entries()) {
        if (node.children === null) {
          // A lower file where this layer has a directory: the file is gone.
          if (node.layer < i) bury({ ...node, children: null }, i);
          node.children = new Map();
          node.isDir = true;
          node.size = 0;
        }
        let next = node.children.get(part);
        const last = k === parts.length - 1;
        if (next === undefined) {
          next = { children: null, layer: -1, size: 0, isDir: true };
          if (!last) next.children = new Map();
          node.children.set(part, next);
        } else if (last && (!file.isDir || !next.isDir)) {
          // Replaced: a lower file's bytes, or everything below a lower directory, are superseded.
          bury(next, i);
          next.children = null;
        }
        node = next;
      }
      node.layer = i;
      node.size = file.size;
      node.isDir = file.isDir;
      if (file.isDir && node.children === null) node.children = new Map();
    }
  });
  return out;
}

function lookup(root: PathNode, path: string): PathNode | undefined {
  if (path === '') return root;
  let node: PathNode | undefined = root;
  for (const part of path.split('/')) {
    node = node.children?.get(part);
    if (node === undefined) return undefined;
  }
  return node;
}
