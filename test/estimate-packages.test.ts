// The Packages index: control-format parsing, the dependency closure apt would install, what a
// Debian base already has, and reading the index files apt keeps (plain, gzip, LZ4).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeLz4Frames, Lz4Error } from '../src/estimate/lz4.js';
import { PackageIndex, PackageIndexError, relations } from '../src/estimate/packages.js';

const PACKAGES = `Package: libc6
Version: 2.36-9
Installed-Size: 12000
Priority: required
Size: 2800000
Description: GNU C Library
 continuation line that mentions Package: nothing

Package: dpkg
Version: 1.21
Essential: yes
Installed-Size: 6000
Pre-Depends: libc6 (>= 2.34)
Size: 1500000

Package: tool
Version: 1.0
Installed-Size: 100
Depends: libtool1 (>= 1.0), libssl3 | libssl1.1, mail-transport-agent, libc6:any
Recommends: tool-doc
Size: 40000

Package: libtool1
Version: 1.0
Installed-Size: 200
Depends: libc6
Size: 70000

Package: libssl3
Version: 3.0
Installed-Size: 6000
Size: 2000000

Package: libssl1.1
Version: 1.1
Installed-Size: 4000
Size: 1500000

Package: postfix
Version: 3.7
Installed-Size: 4000
Provides: mail-transport-agent
Size: 1500000

Package: exim4
Version: 4.96
Installed-Size: 3000
Provides: mail-transport-agent
Size: 1000000

Package: tool-doc
Version: 1.0
Installed-Size: 1000
Size: 300000
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function indexOf(text = PACKAGES): PackageIndex {
  const index = new PackageIndex();
  index.add(text, 'test_Packages');
  return index;
}

describe('Packages parsing', () => {
  it('reads sizes in KiB, relations with versions and architectures dropped, and the required flag', () => {
    const index = indexOf();
    expect(index.size).toBe(9);
    const tool = index.get('tool');
    expect(tool?.installedBytes).toBe(100 * 1024);
    expect(tool?.debBytes).toBe(40000);
    expect(tool?.depends).toEqual([['libtool1'], ['libssl3', 'libssl1.1'], ['mail-transport-agent'], ['libc6']]);
    expect(tool?.recommends).toEqual([['tool-doc']]);
    expect(index.get('dpkg')?.depends).toEqual([['libc6']]);
    expect(index.get('libc6')?.required).toBe(true);
    expect(index.get('dpkg')?.required).toBe(true);
    expect(index.get('tool')?.required).toBe(false);
  });

  it('splits relation fields', () => {
    expect(relations('a (>= 1), b | c:any (<< 2), d [amd64]')).toEqual([['a'], ['b', 'c'], ['d']]);
    expect(relations('')).toEqual([]);
  });

  it('lets an update suite supersede the release, but not backports', () => {
    const index = new PackageIndex();
    index.add('Package: x\nVersion: 1\nInstalled-Size: 10\n', 'deb_dists_bookworm_main_Packages');
    index.add('Package: x\nVersion: 2\nInstalled-Size: 20\n', 'deb_dists_bookworm-security_main_Packages');
    index.add('Package: x\nVersion: 3\nInstalled-Size: 30\n', 'deb_dists_bookworm-backports_main_Packages');
    expect(index.get('x')?.version).toBe('2');
  });
});

describe('closure', () => {
  it('follows Depends and Pre-Depends, takes the first alternative and a provider for a virtual package', () => {
    const c = indexOf().closure(['tool'], { recommends: false });
    expect(c.added.map((p) => p.name)).toEqual(['tool', 'libtool1', 'libssl3', 'postfix', 'libc6']);
    expect(c.unknown).toEqual([]);
  });

  it('adds nothing that is installed, and an installed alternative or provider satisfies a dependency', () => {
    const c = indexOf().closure(['tool'], { recommends: false, have: new Set(['libc6', 'libssl1.1', 'exim4', 'mail-transport-agent']) });
    expect(c.added.map((p) => p.name)).toEqual(['tool', 'libtool1']);
  });

  it('follows Recommends when asked, as apt does without --no-install-recommends', () => {
    const c = indexOf().closure(['tool'], { recommends: true, have: new Set(['libc6']) });
    expect(c.added.map((p) => p.name)).toContain('tool-doc');
  });

  it('names what no package is or provides', () => {
    const c = indexOf().closure(['tool', 'no-such-package'], { recommends: false, have: new Set(['libc6']) });
    expect(c.unknown).toEqual(['no-such-package']);
  });

  it('counts the required and essential packages with their dependencies as the base', () => {
    expect([...indexOf().basePackages()].sort()).toEqual(['dpkg', 'libc6']);
  });
});

describe('index files', () => {
  it('reads plain, gzip and LZ4 files from an apt lists directory', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'layerlint-lists-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'a_dists_x_main_binary-amd64_Packages'), 'Package: plain\nInstalled-Size: 1\n');
    writeFileSync(path.join(dir, 'b_dists_x_main_binary-amd64_Packages.gz'), gzipSync('Package: zipped\nInstalled-Size: 2\n'));
    writeFileSync(path.join(dir, 'c_dists_x_main_binary-amd64_Packages.lz4'), lz4Frame(Buffer.from('Package: lz\nInstalled-Size: 3\n')));
    writeFileSync(path.join(dir, 'c_dists_x_InRelease'), 'not an index');
    const files = PackageIndex.listFiles(dir);
    expect(files.map((f) => path.basename(f))).toEqual(['a_dists_x_main_binary-amd64_Packages', 'b_dists_x_main_binary-amd64_Packages.gz', 'c_dists_x_main_binary-amd64_Packages.lz4']);
    const index = PackageIndex.fromFiles(files);
    expect(['plain', 'zipped', 'lz'].map((n) => index.get(n)?.installedBytes)).toEqual([1024, 2048, 3072]);
  });

  it('is empty for a directory that does not exist, and names a file it cannot read', () => {
    expect(PackageIndex.listFiles('/nonexistent/lists')).toEqual([]);
    expect(() => PackageIndex.fromFiles(['/nonexistent/Packages'])).toThrow(PackageIndexError);
    expect(() => PackageIndex.fromFiles(['/nonexistent/Packages'])).toThrow('/nonexistent/Packages');
  });
});

describe('LZ4 frames', () => {
  it('decodes literals, matches, overlapping matches and uncompressed blocks', () => {
    // "abc", then a match 3 back of 6 bytes, then the literal-only last sequence "d".
    const block = Buffer.from([0x32, 0x61, 0x62, 0x63, 0x03, 0x00, 0x10, 0x64]);
    expect(decodeLz4Frames(frame([block])).toString()).toBe('abcabcabcd');
    // One "x", then a match 1 back of 12 bytes (an overlapping copy), then "y".
    const run = Buffer.from([0x18, 0x78, 0x01, 0x00, 0x10, 0x79]);
    expect(decodeLz4Frames(frame([run])).toString()).toBe(`${'x'.repeat(13)}y`);
    expect(decodeLz4Frames(lz4Frame(Buffer.from('stored as is'))).toString()).toBe('stored as is');
    // Two frames back to back, as `cat a.lz4 b.lz4` makes.
    expect(decodeLz4Frames(Buffer.concat([frame([block]), lz4Frame(Buffer.from('!'))])).toString()).toBe('abcabcabcd!');
  });

  it('rejects what is not an LZ4 frame and a match that reaches before the data', () => {
    expect(() => decodeLz4Frames(Buffer.from('plain text'))).toThrow(Lz4Error);
    expect(() => decodeLz4Frames(frame([Buffer.from([0x10, 0x61, 0x05, 0x00, 0x10, 0x62])]))).toThrow('match offset out of range');
  });
});

/** An LZ4 frame of compressed blocks (linked, no checksums). */
function frame(blocks: Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x40, 0x40, 0x00])];
  for (const b of blocks) {
    const size = Buffer.alloc(4);
    size.writeUInt32LE(b.length);
    parts.push(size, b);
  }
  parts.push(Buffer.alloc(4));
  return Buffer.concat(parts);
}

/** An LZ4 frame holding `data` in one uncompressed block. */
function lz4Frame(data: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeUInt32LE((data.length | 0x80000000) >>> 0);
  return Buffer.concat([Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x00]), size, data, Buffer.alloc(4)]);
}
