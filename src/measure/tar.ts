// A tar reader for image archives and layers: headers only, with bodies skipped or read on demand.
// Layers are streamed (they can be gigabytes and are usually compressed); an uncompressed archive
// on disk is indexed by seeking from header to header, so its members can be read by offset.
import type { FileHandle } from 'node:fs/promises';
import { ImageReadError } from './types.js';

export type TarEntryType = 'file' | 'hardlink' | 'symlink' | 'dir' | 'other';

export interface TarEntry {
  /** Member path without a leading `./` or `/` and without a trailing `/`. */
  path: string;
  type: TarEntryType;
  size: number;
  /** Offset of the member's data in the archive. */
  dataOffset: number;
}

const BLOCK = 512;

/** Metadata headers (pax, GNU long names) that apply to the next entry. */
class PendingNames {
  path: string | null = null;
  size: number | null = null;

  apply(raw: RawHeader): void {
    if (this.path !== null) raw.path = this.path;
    if (this.size !== null) raw.size = this.size;
    this.path = null;
    this.size = null;
  }
}

interface RawHeader {
  path: string;
  typeflag: string;
  size: number;
}

/** Parses one 512-byte header block; null for an all-zero block (end of archive). */
function parseHeader(block: Buffer, offset: number, file: string): RawHeader | null {
  if (block.every((b) => b === 0)) return null;
  const stored = parseOctal(block.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] as number);
  if (stored === null || stored !== sum) {
    throw new ImageReadError(file, offset === 0 ? 'not a tar archive (bad header checksum)' : `corrupt tar header at offset ${offset}`);
  }
  const size = parseNumber(block.subarray(124, 136));
  if (size === null) throw new ImageReadError(file, `corrupt tar header at offset ${offset} (bad size field)`);
  const name = cString(block.subarray(0, 100));
  // Only POSIX ustar has a path prefix; GNU tar keeps other fields there.
  const ustar = block.subarray(257, 263).toString('latin1') === 'ustar\0';
  const prefix = ustar ? cString(block.subarray(345, 500)) : '';
  return { path: prefix === '' ? name : `${prefix}/${name}`, typeflag: String.fromCharCode(block[156] as number), size };
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end < 0 ? bytes.length : end).toString('utf8');
}

function parseOctal(bytes: Buffer): number | null {
  const text = bytes.toString('latin1').replace(/\0.*$/s, '').trim();
  if (!/^[0-7]*$/.test(text)) return null;
  return text === '' ? 0 : parseInt(text, 8);
}

/** Octal, or GNU base-256 (high bit set) for sizes of 8 GiB and more. */
function parseNumber(bytes: Buffer): number | null {
  const first = bytes[0] as number;
  if ((first & 0x80) === 0) return parseOctal(bytes);
  let value = first & 0x7f;
  for (let i = 1; i < bytes.length; i++) value = value * 256 + (bytes[i] as number);
  return value;
}

/** `LEN key=value\n` records of a pax extended header. */
function applyPax(body: Buffer, pending: PendingNames, file: string, offset: number): void {
  let pos = 0;
  while (pos < body.length) {
    const space = body.indexOf(0x20, pos);
    const len = space < 0 ? NaN : Number(body.subarray(pos, space).toString('latin1'));
    if (!Number.isInteger(len) || len <= 0 || pos + len > body.length) {
      throw new ImageReadError(file, `corrupt pax header at offset ${offset}`);
    }
    const record = body.subarray(space + 1, pos + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === 'path') pending.path = value;
    else if (key === 'size') {
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new ImageReadError(file, `corrupt pax header at offset ${offset} (size ${JSON.stringify(value)})`);
      pending.size = Number(value);
    }
    pos += len;
  }
}

function entryType(typeflag: string): TarEntryType {
  switch (typeflag) {
    case '0':
    case '\0':
    case '7':
      return 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '5':
      return 'dir';
    default:
      return 'other';
  }
}

export function normalizePath(p: string): string {
  let out = p;
  while (out.startsWith('./')) out = out.slice(2);
  out = out.replace(/^\/+/, '').replace(/\/+$/, '');
  return out === '.' ? '' : out;
}

function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

/** Exactly-sized reads from a stream of chunks, tracking the offset. */
class ChunkReader {
  private readonly it: AsyncIterator<Uint8Array>;
  private buf: Buffer = Buffer.alloc(0);
  offset = 0;

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.it = chunks[Symbol.asyncIterator]();
  }

  /** `n` bytes, fewer only at the end of the stream. */
  async read(n: number): Promise<Buffer> {
    while (this.buf.length < n) {
      const next = await this.it.next();
      if (next.done) break;
      this.buf = this.buf.length === 0 ? Buffer.from(next.value) : Buffer.concat([this.buf, next.value]);
    }
    const out = this.buf.subarray(0, Math.min(n, this.buf.length));
    this.buf = this.buf.subarray(out.length);
    this.offset += out.length;
    return out;
  }

  /** Skips up to `n` bytes without keeping them; returns how many were there. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      if (this.buf.length === 0) {
        const next = await this.it.next();
        if (next.done) break;
        this.buf = Buffer.from(next.value);
      }
      const take = Math.min(left, this.buf.length);
      this.buf = this.buf.subarray(take);
      left -= take;
    }
    this.offset += n - left;
    return n - left;
  }

  /** Reads to the end, so that whatever hashes the stream sees all of it. */
  async drain(): Promise<void> {
    this.offset += this.buf.length;
    this.buf = Buffer.alloc(0);
    for (;;) {
      const next = await this.it.next();
      if (next.done) return;
      this.offset += next.value.length;
    }
  }
}

/** The entries of a tar stream, bodies skipped; the stream is read to its end. */
export async function* streamTarEntries(chunks: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<TarEntry> {
  const reader = new ChunkReader(chunks);
  const pending = new PendingNames();
  for (;;) {
    const at = reader.offset;
    const block = await reader.read(BLOCK);
    if (block.length === 0) break;
    if (block.length < BLOCK) throw truncated(file, at, 'a header');
    const raw = parseHeader(block, at, file);
    if (raw === null) break;
    const dataOffset = reader.offset;
    if (isMeta(raw.typeflag)) {
      checkMetaSize(raw, file, at);
      const body = await reader.read(padded(raw.size));
      if (body.length < padded(raw.size)) throw truncated(file, at, `"${raw.path}"`);
      readMeta(raw, body.subarray(0, raw.size), pending, file, at);
      continue;
    }
    pending.apply(raw);
    const bodySize = hasData(raw.typeflag) ? padded(raw.size) : 0;
    if ((await reader.skip(bodySize)) < bodySize) throw truncated(file, at, `"${raw.path}"`);
    yield { path: normalizePath(raw.path), type: entryType(raw.typeflag), size: hasData(raw.typeflag) ? raw.size : 0, dataOffset };
  }
  await reader.drain();
}

/** The entries of an uncompressed tar file, found by seeking from header to header. */
export async function indexTarFile(handle: FileHandle, file: string): Promise<TarEntry[]> {
  const { size: fileSize } = await handle.stat();
  const entries: TarEntry[] = [];
  const pending = new PendingNames();
  const block = Buffer.alloc(BLOCK);
  let at = 0;
  while (at < fileSize) {
    const { bytesRead } = await handle.read(block, 0, BLOCK, at);
    if (bytesRead < BLOCK) throw truncated(file, at, 'a header');
    const raw = parseHeader(block, at, file);
    if (raw === null) break;
    const dataOffset = at + BLOCK;
    const bodySize = isMeta(raw.typeflag) || hasData(raw.typeflag) ? padded(raw.size) : 0;
    if (dataOffset + raw.size > fileSize) throw truncated(file, at, `"${raw.path}"`);
    if (isMeta(raw.typeflag)) {
      checkMetaSize(raw, file, at);
      const body = Buffer.alloc(raw.size);
      await handle.read(body, 0, raw.size, dataOffset);
      readMeta(raw, body, pending, file, at);
    } else {
      pending.apply(raw);
      entries.push({ path: normalizePath(raw.path), type: entryType(raw.typeflag), size: hasData(raw.typeflag) ? raw.size : 0, dataOffset });
    }
    at = dataOffset + bodySize;
  }
  if (entries.length === 0 && fileSize > 0 && at === 0) throw new ImageReadError(file, 'not a tar archive');
  return entries;
}

/** Long names and pax records are small; a huge one is damage, and must not be buffered. */
const MAX_META = 1024 * 1024;

function checkMetaSize(raw: RawHeader, file: string, at: number): void {
  if (raw.size > MAX_META) throw new ImageReadError(file, `corrupt tar header at offset ${at} (a ${raw.size}-byte extended header)`);
}

function isMeta(typeflag: string): boolean {
  return typeflag === 'x' || typeflag === 'g' || typeflag === 'L' || typeflag === 'K';
}

/** Links, directories and devices carry no data whatever their size field says. */
function hasData(typeflag: string): boolean {
  return !['1', '2', '3', '4', '5', '6'].includes(typeflag);
}

function readMeta(raw: RawHeader, body: Buffer, pending: PendingNames, file: string, at: number): void {
  if (raw.typeflag === 'x') applyPax(body, pending, file, at);
  else if (raw.typeflag === 'L') pending.path = cString(body);
  // 'g' (global pax) and 'K' (long link name) say nothing about paths or sizes of files.
}

function truncated(file: string, at: number, what: string): ImageReadError {
  return new ImageReadError(file, `truncated tar: ${what} at offset ${at} runs past the end of the data`);
}
