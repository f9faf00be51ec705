// Files of an image source, wherever they are: a directory (OCI layout) or the members of an
// uncompressed tar (docker-archive, OCI archive), read by offset without unpacking anything.
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { HistoryEntry } from './history.js';
import type { BlobRef } from './layer-scan.js';
import { indexTarFile, normalizePath, type TarEntry } from './tar.js';
import { ImageReadError } from './types.js';

export interface BlobStore {
  /** How errors name a file of the source. */
  describe(rel: string): string;
  has(rel: string): Promise<boolean>;
  read(rel: string): Promise<Buffer>;
  blob(rel: string): Promise<BlobRef>;
  close(): Promise<void>;
}

/** Small JSON files only: a manifest or config larger than this is not one. */
const MAX_JSON = 64 * 1024 * 1024;

export class DirStore implements BlobStore {
  constructor(private readonly root: string) {}

  describe(rel: string): string {
    return path.join(this.root, rel);
  }

  async has(rel: string): Promise<boolean> {
    try {
      return (await stat(this.describe(rel))).isFile();
    } catch {
      return false;
    }
  }

  async read(rel: string): Promise<Buffer> {
    const file = this.describe(rel);
    const size = await this.size(rel);
    if (size > MAX_JSON) throw new ImageReadError(file, `unexpectedly large (${size} bytes) for a JSON document`);
    try {
      return await readFile(file);
    } catch (error) {
      throw ioError(file, error);
    }
  }

  async blob(rel: string): Promise<BlobRef> {
    const file = this.describe(rel);
    return { file, path: file, start: 0, length: await this.size(rel) };
  }

  async close(): Promise<void> {}

  private async size(rel: string): Promise<number> {
    const file = this.describe(rel);
    try {
      const s = await stat(file);
      if (!s.isFile()) throw new ImageReadError(file, 'not a file');
      return s.size;
    } catch (error) {
      throw ioError(file, error);
    }
  }
}

export class TarStore implements BlobStore {
  private constructor(
    private readonly file: string,
    private readonly handle: FileHandle,
    private readonly members: Map<string, TarEntry>,
  ) {}

  static async open(file: string): Promise<TarStore> {
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      throw ioError(file, error);
    }
    try {
      const head = Buffer.alloc(4);
      await handle.read(head, 0, 4, 0);
      if (head[0] === 0x1f && head[1] === 0x8b) throw new ImageReadError(file, 'is gzip-compressed; decompress it first (gunzip)');
      if (head.readUInt32BE(0) === 0x28b52ffd) throw new ImageReadError(file, 'is zstd-compressed; decompress it first (unzstd)');
      const members = new Map<string, TarEntry>();
      for (const entry of await indexTarFile(handle, file)) {
        // A hard link to another member reads as that member.
        if (entry.type === 'file') members.set(entry.path, entry);
      }
      return new TarStore(file, handle, members);
    } catch (error) {
      await handle.close();
      throw error instanceof ImageReadError ? error : ioError(file, error);
    }
  }

  describe(rel: string): string {
    return `${this.file}:${rel}`;
  }

  async has(rel: string): Promise<boolean> {
    return this.members.has(normalizePath(rel));
  }

  async read(rel: string): Promise<Buffer> {
    const entry = this.member(rel);
    if (entry.size > MAX_JSON) throw new ImageReadError(this.describe(rel), `unexpectedly large (${entry.size} bytes) for a JSON document`);
    const buf = Buffer.alloc(entry.size);
    const { bytesRead } = await this.handle.read(buf, 0, entry.size, entry.dataOffset);
    if (bytesRead < entry.size) throw new ImageReadError(this.describe(rel), 'truncated');
    return buf;
  }

  async blob(rel: string): Promise<BlobRef> {
    const entry = this.member(rel);
    return { file: this.describe(rel), path: this.file, start: entry.dataOffset, length: entry.size };
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  private member(rel: string): TarEntry {
    const entry = this.members.get(normalizePath(rel));
    if (entry === undefined) throw new ImageReadError(this.describe(rel), 'missing from the archive');
    return entry;
  }
}

function ioError(file: string, error: unknown): ImageReadError {
  if (error instanceof ImageReadError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new ImageReadError(file, 'no such file');
  if (code === 'EISDIR') return new ImageReadError(file, 'is a directory');
  if (code === 'EACCES') return new ImageReadError(file, 'permission denied');
  return new ImageReadError(file, `cannot read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** Parses a JSON document of the source, naming the file when it is not JSON. */
export async function readJson(store: BlobStore, rel: string): Promise<{ value: unknown; bytes: Buffer }> {
  const bytes = await store.read(rel);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ImageReadError(store.describe(rel), `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { value, bytes };
}

/** What a reader finds for one image, before any layer is read. */
export interface ImageEntry {
  ref: string;
  configDigest: string;
  configFile: string;
  diffIds: string[];
  history: HistoryEntry[] | undefined;
  layers: LayerDescriptor[];
}

export interface LayerDescriptor {
  /** Path of the blob in the store. */
  rel: string;
  /** Digest and size the manifest gives, checked against the blob; null where the format has none. */
  digest: string | null;
  size: number | null;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function checkDigest(value: unknown, file: string, what: string): string {
  if (typeof value !== 'string') throw new ImageReadError(file, `${what}: missing digest`);
  if (!DIGEST.test(value)) {
    const algorithm = /^([a-z0-9+._-]+):/.exec(value)?.[1];
    throw new ImageReadError(file, algorithm && algorithm !== 'sha256' ? `${what}: unsupported digest algorithm ${algorithm} (only sha256 is read)` : `${what}: malformed digest "${value}"`);
  }
  return value;
}

/** The parts of an image config that say what its layers are. */
export function parseConfig(value: unknown, file: string, layerCount: number): { diffIds: string[]; history: HistoryEntry[] | undefined } {
  const rootfs = isObject(value) ? value.rootfs : undefined;
  const diffIds = isObject(rootfs) ? rootfs.diff_ids : undefined;
  if (!Array.isArray(diffIds)) throw new ImageReadError(file, 'not an image config (no rootfs.diff_ids)');
  const checked = diffIds.map((d, i) => checkDigest(d, file, `rootfs.diff_ids[${i}]`));
  if (checked.length !== layerCount) throw new ImageReadError(file, `lists ${checked.length} diff_ids for ${layerCount} layers in the manifest`);
  const history = isObject(value) && Array.isArray(value.history) ? value.history.filter(isObject).map((h) => h as HistoryEntry) : undefined;
  return { diffIds: checked, history };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
