// apt keeps its package lists LZ4-compressed when `Acquire::GzipIndexes` is on (as in the official
// Debian images and many hosts), and Node has no LZ4. This decodes the LZ4 frame format (one or more
// concatenated frames, linked or independent blocks); it checks structure, not checksums.

const FRAME_MAGIC = 0x184d2204;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

export class Lz4Error extends Error {
  override readonly name = 'Lz4Error';
}

export function isLz4Frame(data: Uint8Array): boolean {
  return data.length >= 4 && readU32(data, 0) === FRAME_MAGIC;
}

/** The decompressed bytes of an LZ4 frame stream. */
export function decodeLz4Frames(input: Uint8Array): Buffer {
  const out = new Output(Math.max(1024, input.length * 3));
  let pos = 0;
  while (pos < input.length) {
    if (input.length - pos < 4) throw new Lz4Error('truncated frame header');
    const magic = readU32(input, pos);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      pos += 8 + readU32(input, pos + 4);
      continue;
    }
    if (magic !== FRAME_MAGIC) throw new Lz4Error(`not an LZ4 frame at byte ${pos}`);
    pos += 4;
    const flags = byteAt(input, pos);
    if (flags >> 6 !== 1) throw new Lz4Error('unsupported LZ4 frame version');
    const blockChecksum = (flags & 0x10) !== 0;
    const contentSize = (flags & 0x08) !== 0;
    const contentChecksum = (flags & 0x04) !== 0;
    const dictId = (flags & 0x01) !== 0;
    // FLG, BD, optional content size (8) and dictionary id (4), header checksum (1).
    pos += 2 + (contentSize ? 8 : 0) + (dictId ? 4 : 0) + 1;
    // Matches may reach into earlier blocks of the frame (linked blocks), never into an earlier frame.
    const frameStart = out.length;
    for (;;) {
      if (input.length - pos < 4) throw new Lz4Error('truncated block');
      const word = readU32(input, pos);
      pos += 4;
      if (word === 0) break;
      const size = word & 0x7fffffff;
      if (pos + size > input.length) throw new Lz4Error('truncated block');
      if (word & 0x80000000) out.append(input, pos, size);
      else decodeBlock(input, pos, pos + size, out, frameStart);
      pos += size + (blockChecksum ? 4 : 0);
    }
    if (contentChecksum) pos += 4;
  }
  return out.result();
}

function decodeBlock(src: Uint8Array, start: number, end: number, out: Output, floor: number): void {
  let p = start;
  while (p < end) {
    const token = byteAt(src, p++);
    let literals = token >> 4;
    if (literals === 15) {
      let b: number;
      do {
        b = byteAt(src, p++);
        literals += b;
      } while (b === 255);
    }
    if (p + literals > end) throw new Lz4Error('literal run past the end of a block');
    out.append(src, p, literals);
    p += literals;
    // The last sequence of a block has literals only.
    if (p >= end) break;
    const offset = byteAt(src, p) | (byteAt(src, p + 1) << 8);
    p += 2;
    if (offset === 0 || offset > out.length - floor) throw new Lz4Error('match offset out of range');
    let length = (token & 0x0f) + 4;
    if ((token & 0x0f) === 15) {
      let b: number;
      do {
        b = byteAt(src, p++);
        length += b;
      } while (b === 255);
    }
    out.copyMatch(offset, length);
  }
}

class Output {
  private buf: Buffer;
  length = 0;

  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  append(src: Uint8Array, from: number, n: number): void {
    this.reserve(n);
    const b = this.buf;
    if (n > 32) b.set(src.subarray(from, from + n), this.length);
    else for (let i = 0, to = this.length; i < n; i++) b[to + i] = src[from + i] as number;
    this.length += n;
  }

  copyMatch(offset: number, n: number): void {
    this.reserve(n);
    const b = this.buf;
    let from = this.length - offset;
    if (offset >= n && n > 32) {
      b.copy(b, this.length, from, from + n);
      this.length += n;
      return;
    }
    // Short matches, and overlapping ones (which repeat the last `offset` bytes), byte by byte.
    let to = this.length;
    for (let i = 0; i < n; i++) b[to++] = b[from++] as number;
    this.length = to;
  }

  result(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

function byteAt(data: Uint8Array, at: number): number {
  const b = data[at];
  if (b === undefined) throw new Lz4Error('unexpected end of data');
  return b;
}

function readU32(data: Uint8Array, at: number): number {
  return (byteAt(data, at) | (byteAt(data, at + 1) << 8) | (byteAt(data, at + 2) << 16) | (byteAt(data, at + 3) << 24)) >>> 0;
}
