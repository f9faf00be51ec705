import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { main } from '../src/cli/main.js';
import { analyzeFiles } from '../src/load/lint-files.js';
import { ImageReadError, chainIdsOf, readImages } from '../src/measure/index.js';
import { bytes, configJson, dockerArchive, layer, sha256, tar, writeOciLayout, type TarInput } from './measure-helpers.js';

const dirs: string[] = [];
function tempFile(name: string, data: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'layerlint-archive-'));
  dirs.push(dir);
  const file = path.join(dir, name);
  writeFileSync(file, data);
  return file;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function readError(spec: string): Promise<ImageReadError> {
  const error = await readImages(spec).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImageReadError);
  return error as ImageReadError;
}

// `docker save` stores layers as plain tar.
const base = layer([{ path: 'etc/os-release', data: 'ID=debian\n' }, { path: 'usr/lib/libc.so', data: bytes(6000, 'c') }], 'none');
const lists = layer([{ path: 'var/lib/apt/lists/deb_Packages', data: bytes(8000, 'l') }], 'none');
const clean = layer([{ path: 'var/lib/apt/lists/.wh.deb_Packages' }], 'none');
const appA = layer([{ path: 'app/a.py', data: 'print(1)\n' }], 'none');
const appB = layer([{ path: 'app/b.py', data: 'print(2)\n' }], 'none');

describe('docker-archive', () => {
  test('images, shared layers, chainIDs, history and hidden bytes', async () => {
    const file = tempFile(
      'family.tar',
      dockerArchive([
        {
          ref: 'localhost/svc-a:latest',
          layers: [base, lists, clean, appA],
          history: [
            { created_by: '/bin/sh -c #(nop) ADD file:abc in / ' },
            { created_by: '/bin/sh -c #(nop)  CMD ["bash"]', empty_layer: true },
            { created_by: '/bin/sh -c apt-get update' },
            { created_by: '/bin/sh -c rm -rf /var/lib/apt/lists/*' },
            { created_by: '/bin/sh -c #(nop) COPY dir:123 in /app ' },
          ],
        },
        { ref: 'localhost/svc-b:latest', layers: [base, lists, clean, appB] },
      ]),
    );
    const set = await readImages(`docker-archive:${file}`);
    expect(set.source).toBe(`docker-archive:${file}`);
    expect(set.images.map((i) => [i.ref, i.name])).toEqual([
      ['localhost/svc-a:latest', 'svc-a'],
      ['localhost/svc-b:latest', 'svc-b'],
    ]);
    const [a] = set.images;
    expect(a?.configDigest).toBe(sha256(configJson([base, lists, clean, appA], [
      { created_by: '/bin/sh -c #(nop) ADD file:abc in / ' },
      { created_by: '/bin/sh -c #(nop)  CMD ["bash"]', empty_layer: true },
      { created_by: '/bin/sh -c apt-get update' },
      { created_by: '/bin/sh -c rm -rf /var/lib/apt/lists/*' },
      { created_by: '/bin/sh -c #(nop) COPY dir:123 in /app ' },
    ])));
    expect(a?.layers.map((l) => l.chainId)).toEqual(chainIdsOf([base.diffId, lists.diffId, clean.diffId, appA.diffId]));
    // Stored as plain tar: the digest is the diff_id, and the compressed size is gzip's.
    expect(a?.layers.map((l) => l.digest)).toEqual([base.diffId, lists.diffId, clean.diffId, appA.diffId]);
    expect(a?.layers[1]?.uncompressedSize).toBe(lists.tar.length);
    expect(a?.layers[1]?.compressedSize).toBe(gzipSync(lists.tar).length);
    expect(a?.layers.map((l) => l.instruction?.keyword ?? null)).toEqual(['ADD', 'RUN', 'RUN', 'COPY']);
    expect(a?.layers.map((l) => [l.shadowedBytes, l.whiteouts, l.hiddenBytes])).toEqual([
      [0, 0, 0],
      [8000, 0, 0],
      [0, 1, 8000],
      [0, 0, 0],
    ]);
    expect(set.sharedLayers.size).toBe(3);
    expect(set.uniqueCompressedBytes).toBe(
      [base, lists, clean, appA, appB].map((l) => gzipSync(l.tar).length).reduce((x, y) => x + y, 0),
    );
  });

  test('gzip layers in the archive are read as gzip; an untagged image is named by its config', async () => {
    const zipped = layer([{ path: 'srv/x', data: bytes(3000) }]);
    const file = tempFile('one.tar', dockerArchive([{ ref: 'unused', layers: [zipped] }], {}));
    const manifest = [{ Config: `${sha256(configJson([zipped])).slice(7)}.json`, RepoTags: null, Layers: [`${zipped.diffId.slice(7, 19)}/layer.tar`] }];
    const untagged = tempFile('untagged.tar', rewriteManifest(readFileSync(file), JSON.stringify(manifest)));
    const [img] = (await readImages(`docker-archive:${untagged}`)).images;
    expect(img?.ref).toBe(sha256(configJson([zipped])));
    expect(img?.layers[0]?.digest).toBe(zipped.digest);
    expect(img?.layers[0]?.compressedSize).toBe(zipped.blob.length);
    expect(img?.layers[0]?.diffId).toBe(zipped.diffId);
  });

  test('the Docker 25 layout: blobs named by digest inside the archive', async () => {
    const config = configJson([base, appA]);
    const members: TarInput[] = [
      { path: `blobs/sha256/${sha256(config).slice(7)}`, data: config },
      { path: `blobs/sha256/${base.digest.slice(7)}`, data: base.blob },
      { path: `blobs/sha256/${appA.digest.slice(7)}`, data: appA.blob },
      { path: 'manifest.json', data: JSON.stringify([{ Config: `blobs/sha256/${sha256(config).slice(7)}`, RepoTags: ['svc-a:1'], Layers: [`blobs/sha256/${base.digest.slice(7)}`, `blobs/sha256/${appA.digest.slice(7)}`] }]) },
    ];
    const file = tempFile('d25.tar', tar(members));
    const [img] = (await readImages(`docker-archive:${file}`)).images;
    expect(img?.name).toBe('svc-a');
    expect(img?.layers.map((l) => l.diffId)).toEqual([base.diffId, appA.diffId]);

    members[2] = { path: `blobs/sha256/${appA.digest.slice(7)}`, data: appB.blob };
    const bad = tempFile('d25-bad.tar', tar(members));
    const error = await readError(`docker-archive:${bad}`);
    expect(error.file).toBe(`${bad}:blobs/sha256/${appA.digest.slice(7)}`);
    expect(error.message).toContain('digest mismatch');
  });

  test('an OCI layout in a tar reads as oci-archive', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'layerlint-ocitar-'));
    dirs.push(dir);
    writeOciLayout(dir, [{ ref: 'svc-a', layers: [layer([{ path: 'a', data: 'a' }])] }]);
    const members: TarInput[] = [];
    const add = (rel: string): void => {
      members.push({ path: rel, data: readFileSync(path.join(dir, rel)) });
    };
    add('oci-layout');
    add('index.json');
    for (const name of readdirSync(path.join(dir, 'blobs/sha256'))) add(`blobs/sha256/${name}`);
    const file = tempFile('oci.tar', tar(members));
    const set = await readImages(`oci-archive:${file}`);
    expect(set.images.map((i) => i.name)).toEqual(['svc-a']);
    const error = await readError(`docker-archive:${file}`);
    expect(error.file).toBe(`${file}:manifest.json`);
    expect(error.message).toContain('read it as oci-archive:');
  });
});

describe('bad archives: a clear error naming the file', () => {
  const good = (): Buffer => dockerArchive([{ ref: 'svc-a:1', layers: [base, appA] }]);

  test('missing file', async () => {
    const missing = path.join(tmpdir(), 'layerlint-no-such-archive.tar');
    const error = await readError(`docker-archive:${missing}`);
    expect(error.file).toBe(missing);
    expect(error.message).toContain('no such file');
  });

  test('missing manifest.json', async () => {
    const file = tempFile('x.tar', tar([{ path: 'hello.txt', data: 'hi' }]));
    const error = await readError(`docker-archive:${file}`);
    expect(error.file).toBe(`${file}:manifest.json`);
    expect(error.message).toContain('not a docker-archive');
  });

  test('bad JSON in manifest.json, and a manifest.json of the wrong shape', async () => {
    const file = tempFile('x.tar', dockerArchive([{ ref: 'a', layers: [base] }], { manifest: '[{"Config": ' }));
    const error = await readError(`docker-archive:${file}`);
    expect(error.file).toBe(`${file}:manifest.json`);
    expect(error.message).toContain('invalid JSON');
    const shape = tempFile('y.tar', dockerArchive([{ ref: 'a', layers: [base] }], { manifest: '{"Config": "x"}' }));
    expect((await readError(`docker-archive:${shape}`)).message).toContain('expected a list of images');
  });

  test('a truncated archive', async () => {
    const data = good();
    const file = tempFile('cut.tar', data.subarray(0, Math.floor(data.length / 2)));
    const error = await readError(`docker-archive:${file}`);
    expect(error.file).toBe(file);
    expect(error.message).toMatch(/truncated tar: .* runs past the end of the data/);
  });

  test('a layer whose tar or gzip data ends early, in a consistent archive', async () => {
    const big = layer([{ path: 'srv/a', data: bytes(5000) }, { path: 'srv/b', data: bytes(5000) }], 'none');
    const cut: typeof big = { ...big, blob: big.blob.subarray(0, 4000) };
    const file = tempFile('x.tar', dockerArchive([{ ref: 'a', layers: [cut] }]));
    const error = await readError(`docker-archive:${file}`);
    expect(error.file).toBe(`${file}:${big.diffId.slice(7, 19)}/layer.tar`);
    expect(error.message).toBe(`${error.file}: truncated tar: "srv/a" at offset 0 runs past the end of the data`);

    const zipped = layer([{ path: 'srv/a', data: bytes(5000) }]);
    const file2 = tempFile('y.tar', dockerArchive([{ ref: 'a', layers: [{ ...zipped, blob: zipped.blob.subarray(0, zipped.blob.length - 10) }] }]));
    const error2 = await readError(`docker-archive:${file2}`);
    expect(error2.file).toBe(`${file2}:${zipped.diffId.slice(7, 19)}/layer.tar`);
    expect(error2.message).toMatch(/corrupt gzip data \(unexpected end of file\)/);
  });

  test('not a tar at all, and a compressed archive', async () => {
    const junk = tempFile('junk.tar', Buffer.from('this is not an archive '.repeat(50)));
    const error = await readError(`docker-archive:${junk}`);
    expect(error.file).toBe(junk);
    expect(error.message).toContain('not a tar archive');
    const gz = tempFile('saved.tar.gz', gzipSync(good()));
    const error2 = await readError(`docker-archive:${gz}`);
    expect(error2.file).toBe(gz);
    expect(error2.message).toContain('gzip-compressed; decompress it first');
  });

  test('a layer file the manifest names but the archive lacks', async () => {
    const manifest = JSON.stringify([{ Config: `${sha256(configJson([base, appA])).slice(7)}.json`, RepoTags: ['a'], Layers: ['nope/layer.tar', `${appA.diffId.slice(7, 19)}/layer.tar`] }]);
    const file = tempFile('x.tar', dockerArchive([{ ref: 'a', layers: [base, appA] }], { manifest }));
    const error = await readError(`docker-archive:${file}`);
    expect(error.file).toBe(`${file}:nope/layer.tar`);
    expect(error.message).toContain('missing from the archive');
  });

  test('a layer that does not hash to the diff_id the config lists', async () => {
    const file = tempFile('x.tar', dockerArchive([{ ref: 'a', layers: [base, { ...appA, diffId: appB.diffId }] }]));
    const error = await readError(`docker-archive:${file}`);
    expect(error.file).toMatch(new RegExp(`^${escape(file)}:[0-9a-f]{12}/layer.tar$`));
    expect(error.message).toContain('diff_id mismatch');
  });

  test('a config with no rootfs, or the wrong number of diff_ids', async () => {
    const data = good();
    const configName = `${sha256(configJson([base, appA])).slice(7)}.json`;
    const noRootfs = tempFile('x.tar', replaceMember(data, configName, Buffer.from('{"architecture":"amd64"}')));
    const error = await readError(`docker-archive:${noRootfs}`);
    expect(error.file).toBe(`${noRootfs}:${configName}`);
    expect(error.message).toContain('no rootfs.diff_ids');
    const short = tempFile('y.tar', replaceMember(data, configName, configJson([base])));
    expect((await readError(`docker-archive:${short}`)).message).toContain('lists 1 diff_ids for 2 layers');
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The archive with manifest.json's text replaced. */
function rewriteManifest(archive: Buffer, manifest: string): Buffer {
  return replaceMember(archive, 'manifest.json', Buffer.from(manifest));
}

/** Rebuilds an archive of regular files and directories with one member's data replaced. */
function replaceMember(archive: Buffer, name: string, data: Buffer): Buffer {
  const members: TarInput[] = [];
  let at = 0;
  while (at + 512 <= archive.length) {
    const h = archive.subarray(at, at + 512);
    if (h.every((b) => b === 0)) break;
    const memberName = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(h.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(h[156] as number);
    const body = archive.subarray(at + 512, at + 512 + size);
    members.push(type === '5' ? { path: memberName, type: 'dir' } : { path: memberName, data: memberName === name ? data : Buffer.from(body) });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return tar(members);
}

describe('--images on the command line', () => {
  async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, {
      stdout: { write: (c: string) => (stdout += c) },
      stderr: { write: (c: string) => (stderr += c) },
      cwd,
      env: {},
      isTTY: false,
    });
    return { code, stdout, stderr };
  }

  test('a readable source is measured and kept with the analysis; paths are relative to the working directory', async () => {
    const file = tempFile('family.tar', dockerArchive([{ ref: 'svc-a:1', layers: [base, appA] }]));
    const cwd = path.dirname(file);
    writeFileSync(path.join(cwd, 'Dockerfile'), 'FROM debian:12-slim\nCOPY a.py /app/\n');
    const analysis = await analyzeFiles(['Dockerfile'], { cwd, images: ['docker-archive:family.tar'] });
    expect(analysis.measured?.images.map((i) => i.name)).toEqual(['svc-a']);
    expect(analysis.measured?.source).toBe(`docker-archive:${file}`);
    const run = await cli(['--images', 'docker-archive:family.tar', '--format', 'json', 'Dockerfile'], cwd);
    expect(run.stderr).toBe('');
  });

  test('an unreadable source: exit 2 and one line naming the file', async () => {
    const file = tempFile('cut.tar', dockerArchive([{ ref: 'svc-a:1', layers: [base, appA] }]).subarray(0, 1500));
    const cwd = path.dirname(file);
    writeFileSync(path.join(cwd, 'Dockerfile'), 'FROM debian:12-slim\n');
    const run = await cli(['--images', 'docker-archive:cut.tar', 'Dockerfile'], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^layerlint: ${escape(file)}: truncated tar: .*\\n$`));
  });

  test('a spec of an unknown kind is a usage error', async () => {
    const run = await cli(['--images', 'registry:example.com/x', '.'], tmpdir());
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('layerlint: --images registry:example.com/x: expected oci:DIR, oci-archive:FILE or docker-archive:FILE\n');
  });
});

describe('damaged archives never crash the reader', () => {
  const archive = dockerArchive([
    { ref: 'svc-a:1', layers: [base, lists, clean, appA], history: [{ created_by: 'ADD x /' }, { created_by: 'RUN a' }, { created_by: 'RUN b' }, { created_by: 'COPY y /' }] },
    { ref: 'svc-b:1', layers: [base, layer([{ path: 'z', data: bytes(900) }])] },
  ]);

  test('any cut, or any bytes overwritten: images, or an ImageReadError', async () => {
    const file = tempFile('mutated.tar', archive);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ cut: fc.integer({ min: 0, max: archive.length - 1 }) }),
          fc.record({ at: fc.integer({ min: 0, max: archive.length - 1 }), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
        ),
        async (m) => {
          const data = Buffer.from(archive);
          if ('cut' in m) writeFileSync(file, data.subarray(0, m.cut));
          else {
            data.set(m.bytes.subarray(0, data.length - m.at), m.at);
            writeFileSync(file, data);
          }
          const outcome = await readImages(`docker-archive:${file}`).then(
            () => null,
            (e: unknown) => e,
          );
          if (outcome !== null) {
            expect(outcome).toBeInstanceOf(ImageReadError);
            expect((outcome as ImageReadError).file.startsWith(file)).toBe(true);
          }
        },
      ),
      { numRuns: 300, seed: 20240611 },
    );
  });
});
