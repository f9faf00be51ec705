import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, test } from 'vitest';
import { analyzeFiles } from '../src/load/lint-files.js';
import { ImageReadError, chainIdsOf, imageName, matchMeasured, readImageSets, readImages } from '../src/measure/index.js';
import { bytes, layer, sha256, writeOciLayout, type LayerBlob } from './measure-helpers.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'layerlint-oci-'));
  dirs.push(dir);
  return dir;
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

const base = layer([{ path: 'etc/', type: 'dir' }, { path: 'etc/os-release', data: 'ID=debian\n' }, { path: 'bin/sh', data: bytes(4000) }]);
const pkgs = layer([{ path: 'usr/bin/python3', data: bytes(9000, 'p') }]);
const appA = layer([{ path: 'app/a.py', data: 'print(1)\n' }]);
const appB = layer([{ path: 'app/b.py', data: 'print(2)\n' }]);

describe('chainIDs and shared layers', () => {
  test('chainID(n) = sha256(chainID(n-1) + " " + diffID(n)), the first is the diffID', () => {
    const ids = chainIdsOf([base.diffId, pkgs.diffId]);
    expect(ids[0]).toBe(base.diffId);
    expect(ids[1]).toBe(`sha256:${createHash('sha256').update(`${base.diffId} ${pkgs.diffId}`).digest('hex')}`);
  });

  test('two images on one parent share its layers; their own layers are theirs', async () => {
    const dir = tempDir();
    writeOciLayout(dir, [
      { ref: 'registry.example/team/svc-a:1.0', layers: [base, pkgs, appA] },
      { ref: 'svc-b', layers: [base, pkgs, appB] },
    ]);
    const set = await readImages(`oci:${dir}`);
    expect(set.source).toBe(`oci:${dir}`);
    expect(set.images.map((i) => [i.ref, i.name])).toEqual([
      ['registry.example/team/svc-a:1.0', 'svc-a'],
      ['svc-b', 'svc-b'],
    ]);
    const [a, b] = set.images;
    expect(a?.layers.map((l) => l.diffId)).toEqual([base.diffId, pkgs.diffId, appA.diffId]);
    expect(a?.layers.map((l) => l.digest)).toEqual([base.digest, pkgs.digest, appA.digest]);
    expect(a?.layers.map((l) => l.chainId)).toEqual(chainIdsOf([base.diffId, pkgs.diffId, appA.diffId]));
    expect(a?.layers[0]?.compressedSize).toBe(base.blob.length);
    expect(a?.layers[0]?.uncompressedSize).toBe(base.tar.length);
    expect(a?.compressedSize).toBe(base.blob.length + pkgs.blob.length + appA.blob.length);
    expect(a?.uncompressedSize).toBe(base.tar.length + pkgs.tar.length + appA.tar.length);
    expect([...set.sharedLayers]).toEqual([
      [a?.layers[0]?.chainId, ['registry.example/team/svc-a:1.0', 'svc-b']],
      [a?.layers[1]?.chainId, ['registry.example/team/svc-a:1.0', 'svc-b']],
    ]);
    expect(set.totalCompressedBytes).toBe((a?.compressedSize ?? 0) + (b?.compressedSize ?? 0));
    expect(set.uniqueCompressedBytes).toBe(base.blob.length + pkgs.blob.length + appA.blob.length + appB.blob.length);
  });

  test('the same layer on different parents is the same blob but not the same chain', async () => {
    const dir = tempDir();
    writeOciLayout(dir, [
      { ref: 'one', layers: [base, appA] },
      { ref: 'two', layers: [pkgs, appA] },
    ]);
    const set = await readImages(`oci:${dir}`);
    expect(set.sharedLayers.size).toBe(0);
    expect(set.uniqueCompressedBytes).toBe(base.blob.length + pkgs.blob.length + appA.blob.length);
  });

  test('several sources read as one set share layers across them', async () => {
    const one = tempDir();
    const two = tempDir();
    writeOciLayout(one, [{ ref: 'svc-a', layers: [base, appA] }]);
    writeOciLayout(two, [{ ref: 'svc-b', layers: [base, appB] }]);
    const set = await readImageSets([`oci:${one}`, `oci:${two}`]);
    expect(set.images.map((i) => i.name)).toEqual(['svc-a', 'svc-b']);
    expect([...set.sharedLayers.values()]).toEqual([['svc-a', 'svc-b']]);
    expect(set.uniqueCompressedBytes).toBe(base.blob.length + appA.blob.length + appB.blob.length);
  });

  test('oci:DIR:REF reads only the image of that name', async () => {
    const dir = tempDir();
    writeOciLayout(dir, [
      { ref: 'svc-a', layers: [base, appA] },
      { ref: 'svc-b', layers: [base, appB] },
    ]);
    const set = await readImages(`oci:${dir}:svc-b`);
    expect(set.images.map((i) => i.ref)).toEqual(['svc-b']);
    expect((await readError(`oci:${dir}:svc-z`)).file).toBe(path.join(dir, 'index.json'));
  });

  test('image names: last path component, without tag or digest', () => {
    expect(imageName('quay.io/org/kolla/nova-api:2024.1')).toBe('nova-api');
    expect(imageName('localhost:5000/svc-a')).toBe('svc-a');
    expect(imageName(`svc-a@${base.digest}`)).toBe('svc-a');
    expect(imageName('svc-a:latest')).toBe('svc-a');
  });
});

describe('history', () => {
  test('entries with empty_layer are skipped; the rest map to the layers in order', async () => {
    const dir = tempDir();
    writeOciLayout(dir, [
      {
        ref: 'svc-a',
        layers: [base, pkgs, appA],
        history: [
          { created_by: '/bin/sh -c #(nop) ADD file:5e1b0c in / ' },
          { created_by: '/bin/sh -c #(nop)  CMD ["bash"]', empty_layer: true },
          { created_by: 'ENV LANG=C.UTF-8', empty_layer: true },
          { created_by: 'RUN |1 PY=3 /bin/sh -c apt-get update &&     apt-get install -y python3 # buildkit' },
          { created_by: 'WORKDIR /app', empty_layer: true },
          { created_by: 'COPY app/ /app/ # buildkit' },
          { created_by: 'CMD ["python3"]', empty_layer: true },
        ],
      },
    ]);
    const [img] = (await readImages(`oci:${dir}`)).images;
    expect(img?.layers.map((l) => l.createdBy)).toEqual([
      '/bin/sh -c #(nop) ADD file:5e1b0c in / ',
      'RUN |1 PY=3 /bin/sh -c apt-get update &&     apt-get install -y python3 # buildkit',
      'COPY app/ /app/ # buildkit',
    ]);
    expect(img?.layers.map((l) => l.instruction)).toEqual([
      { keyword: 'ADD', text: 'file:5e1b0c in /' },
      { keyword: 'RUN', text: 'apt-get update && apt-get install -y python3' },
      { keyword: 'COPY', text: 'app/ /app/' },
    ]);
  });

  test('classic builder and buildah RUN entries have no keyword: the shell command is the RUN', async () => {
    const dir = tempDir();
    writeOciLayout(dir, [
      {
        ref: 'x',
        layers: [base, pkgs],
        history: [{ created_by: '/bin/sh -c #(nop) COPY dir:abc in /srv ' }, { created_by: '/bin/bash -o pipefail -c curl -fsSL https://example.com/x | sh' }],
      },
    ]);
    const [img] = (await readImages(`oci:${dir}`)).images;
    expect(img?.layers.map((l) => l.instruction)).toEqual([
      { keyword: 'COPY', text: 'dir:abc in /srv' },
      { keyword: 'RUN', text: 'curl -fsSL https://example.com/x | sh' },
    ]);
  });

  test('a history that does not list one entry per layer maps nothing', async () => {
    const dir = tempDir();
    writeOciLayout(dir, [{ ref: 'x', layers: [base, pkgs], history: [{ created_by: 'RUN true # buildkit' }] }]);
    const [img] = (await readImages(`oci:${dir}`)).images;
    expect(img?.layers.map((l) => [l.createdBy, l.instruction])).toEqual([
      [null, null],
      [null, null],
    ]);
  });
});

describe('measured images matched with the family', () => {
  test('by name, and each layer with its step: the external base below, the history confirming each pair', async () => {
    const repo = tempDir();
    mkdirSync(path.join(repo, 'base'));
    mkdirSync(path.join(repo, 'app'));
    const install = 'apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*';
    writeFileSync(path.join(repo, 'base', 'Dockerfile'), `FROM debian:12-slim\nRUN ${install.replace(' && apt-get', ' \\\n    && apt-get')}\n`);
    writeFileSync(path.join(repo, 'app', 'Dockerfile'), 'FROM base\nCOPY --chown=1000 app.py /app/\nRUN python3 -m compileall /app\n');
    writeFileSync(path.join(repo, 'app', 'app.py'), 'print(1)\n');
    const { graph } = await analyzeFiles(['.'], { cwd: repo });

    const run = layer([{ path: 'usr/bin/curl', data: bytes(500) }]);
    const copy = layer([{ path: 'app/app.py', data: 'print(1)\n' }]);
    const pyc = layer([{ path: 'app/__pycache__/app.pyc', data: bytes(90) }]);
    const images = tempDir();
    writeOciLayout(images, [
      { ref: 'registry.example/base:1', layers: [base, run], history: [{ created_by: '/bin/sh -c #(nop) ADD file:1 in / ' }, { created_by: `/bin/sh -c ${install}` }] },
      {
        ref: 'app:2',
        layers: [base, run, copy, pyc],
        history: [{ created_by: 'ADD file:1 in /' }, { created_by: `RUN /bin/sh -c ${install} # buildkit` }, { created_by: 'COPY --chown=1000 app.py /app/ # buildkit' }, { created_by: 'RUN /bin/sh -c python3 -m compileall /app # buildkit' }],
      },
      { ref: 'other', layers: [base] },
    ]);
    const set = await readImages(`oci:${images}`);
    const matches = matchMeasured(graph, set);
    expect(matches.unmatched.map((m) => m.name)).toEqual(['other']);
    const app = matches.images.find((m) => m.image.name === 'app');
    expect(app?.aligned).toBe(true);
    expect(app?.layers.map((l) => [l.image?.name ?? null, l.step?.instruction.keyword ?? null, l.match])).toEqual([
      [null, null, 'base'],
      ['base', 'RUN', 'text'],
      ['app', 'COPY', 'text'],
      ['app', 'RUN', 'text'],
    ]);
    expect(matches.images.find((m) => m.image.name === 'base')?.layers.map((l) => l.match)).toEqual(['base', 'text']);
  });

  test('a history that names another instruction than the step it lines up with is not aligned', async () => {
    const repo = tempDir();
    writeFileSync(path.join(repo, 'Dockerfile'), 'FROM debian:12-slim\nRUN true\n');
    const { graph } = await analyzeFiles(['Dockerfile'], { cwd: repo });
    const name = graph.images[0]?.name ?? '';
    const images = tempDir();
    writeOciLayout(images, [{ ref: name, layers: [base, appA], history: [{ created_by: 'ADD a /' }, { created_by: 'COPY app /app # buildkit' }] }]);
    const [match] = matchMeasured(graph, await readImages(`oci:${images}`)).images;
    expect(match?.aligned).toBe(false);
    expect(match?.layers.map((l) => l.match)).toEqual(['base', 'mismatch']);
  });
});

describe('shadowed and hidden bytes', () => {
  test('an overwrite (copy-up), a whiteout and an opaque directory; only superseded copies count', async () => {
    const l1 = layer([
      { path: './a.bin', data: bytes(100) },
      { path: './b.bin', data: bytes(20) },
      { path: './d/', type: 'dir' },
      { path: './d/x', data: bytes(50) },
      { path: './d/y', data: bytes(30) },
      { path: './keep', data: bytes(7) },
    ]);
    const l2 = layer([
      { path: 'a.bin', data: bytes(100, 'y') },
      { path: '.wh.b.bin' },
      { path: 'd/', type: 'dir' },
      { path: 'd/.wh..wh..opq' },
      { path: 'd/z', data: bytes(5) },
      { path: '.wh.nothing-there' },
    ]);
    const l3 = layer([{ path: '.wh.a.bin' }]);
    const dir = tempDir();
    writeOciLayout(dir, [{ ref: 'x', layers: [l1, l2, l3] }]);
    const [img] = (await readImages(`oci:${dir}`)).images;
    expect(img?.layers.map((l) => [l.shadowedBytes, l.whiteouts, l.hiddenBytes])).toEqual([
      [100 + 20 + 80, 0, 0],
      [100, 3, 20 + 80],
      [0, 1, 100],
    ]);
  });

  test('a directory deleted with everything below it; a file replaced by a directory', async () => {
    const l1 = layer([
      { path: 'opt/tool/bin/run', data: bytes(40) },
      { path: 'opt/tool/lib/x.so', data: bytes(60) },
      { path: 'etc/conf', data: bytes(9) },
    ]);
    const l2 = layer([{ path: 'opt/.wh.tool' }, { path: 'etc/conf', type: 'dir' }, { path: 'etc/conf/main', data: bytes(3) }]);
    const dir = tempDir();
    writeOciLayout(dir, [{ ref: 'x', layers: [l1, l2] }]);
    const [img] = (await readImages(`oci:${dir}`)).images;
    expect(img?.layers.map((l) => [l.shadowedBytes, l.whiteouts, l.hiddenBytes])).toEqual([
      [109, 0, 0],
      [0, 1, 100],
    ]);
  });

  test('a shared layer is counted per image: only the image that overwrites its file pays', async () => {
    const l1 = layer([{ path: 'app/data', data: bytes(300) }]);
    const chmod = layer([{ path: 'app/data', data: bytes(300) }]);
    const dir = tempDir();
    writeOciLayout(dir, [
      { ref: 'plain', layers: [l1, appA] },
      { ref: 'chmod', layers: [l1, chmod] },
    ]);
    const [plain, changed] = (await readImages(`oci:${dir}`)).images;
    expect(plain?.layers.map((l) => l.shadowedBytes)).toEqual([0, 0]);
    expect(changed?.layers.map((l) => l.shadowedBytes)).toEqual([300, 0]);
  });

  test('long paths in pax headers and hard links', async () => {
    const long = `usr/share/${'deep/'.repeat(30)}file.txt`;
    const l1 = layer([{ path: long, data: bytes(70) }]);
    const l2 = layer([{ path: long, data: bytes(71) }, { path: 'usr/link', type: 'hardlink' }]);
    const dir = tempDir();
    writeOciLayout(dir, [{ ref: 'x', layers: [l1, l2] }]);
    const [img] = (await readImages(`oci:${dir}`)).images;
    expect(img?.layers.map((l) => l.shadowedBytes)).toEqual([70, 0]);
  });
});

describe('compression', () => {
  test('an uncompressed layer is measured as a push would gzip it', async () => {
    const text = Array.from({ length: 2000 }, (_, i) => `line ${i} of a text file\n`).join('');
    const plain = layer([{ path: 'srv/data.txt', data: text }], 'none');
    const dir = tempDir();
    writeOciLayout(dir, [{ ref: 'x', layers: [plain] }]);
    const [img] = (await readImages(`oci:${dir}`)).images;
    const l = img?.layers[0];
    expect(l?.digest).toBe(plain.diffId);
    expect(l?.uncompressedSize).toBe(plain.tar.length);
    expect(l?.compressedSize).toBe(gzipSync(plain.tar).length);
  });

  test('a layer labelled as plain tar that is gzip is read as gzip', async () => {
    const mislabelled: LayerBlob = { ...appA, mediaType: 'application/vnd.oci.image.layer.v1.tar' };
    const dir = tempDir();
    writeOciLayout(dir, [{ ref: 'x', layers: [mislabelled] }]);
    const [img] = (await readImages(`oci:${dir}`)).images;
    expect(img?.layers[0]?.diffId).toBe(appA.diffId);
  });
});

describe('multi-platform indexes', () => {
  test("the manifest for this machine's platform is read; attestations are not images", async () => {
    const dir = tempDir();
    const { manifests } = writeOciLayout(dir, [
      { ref: 'amd', layers: [base, appA] },
      { ref: 'arm', layers: [base, appB] },
    ]);
    const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
    const desc = (file: string, platform: object): object => {
      const data = readFileSync(file);
      return { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(data), size: data.length, platform };
    };
    const nested = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          desc(manifests[0] as string, { os: 'unknown', architecture: 'unknown' }),
          desc(manifests[1] as string, { os: 'linux', architecture: arch === 'amd64' ? 'riscv64' : 'amd64' }),
          desc(manifests[0] as string, { os: 'linux', architecture: arch }),
        ],
      }),
    );
    writeFileSync(path.join(dir, 'blobs', 'sha256', sha256(nested).slice(7)), nested);
    writeFileSync(
      path.join(dir, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: sha256(nested), size: nested.length, annotations: { 'io.containerd.image.name': 'docker.io/library/svc:1' } }],
      }),
    );
    const set = await readImages(`oci:${dir}`);
    expect(set.images.map((i) => [i.ref, i.name, i.layers.at(-1)?.diffId])).toEqual([['docker.io/library/svc:1', 'svc', appA.diffId]]);
  });
});

describe('bad inputs: a clear error naming the file', () => {
  test('not an image source', async () => {
    expect((await readError('tarball:/tmp/x')).message).toMatch(/expected oci:DIR, oci-archive:FILE or docker-archive:FILE/);
    const missing = path.join(tempDir(), 'nope');
    expect((await readError(`oci:${missing}`)).file).toBe(missing);
  });

  test('missing index.json', async () => {
    const dir = tempDir();
    const error = await readError(`oci:${dir}`);
    expect(error.file).toBe(path.join(dir, 'index.json'));
    expect(error.message).toContain('not an OCI image layout');
  });

  test('index.json that is not JSON, or not an index', async () => {
    const dir = tempDir();
    writeOciLayout(dir, [{ ref: 'x', layers: [base] }]);
    writeFileSync(path.join(dir, 'index.json'), '{"schemaVersion": 2, "manifests": [');
    const bad = await readError(`oci:${dir}`);
    expect(bad.file).toBe(path.join(dir, 'index.json'));
    expect(bad.message).toContain('invalid JSON');
    writeFileSync(path.join(dir, 'index.json'), '{"schemaVersion": 2}');
    expect((await readError(`oci:${dir}`)).message).toContain('no "manifests" list');
  });

  test('a config that is not JSON, with a matching digest', async () => {
    const dir = tempDir();
    const { manifests, configs } = writeOciLayout(dir, [{ ref: 'x', layers: [base] }]);
    const junk = Buffer.from('{"rootfs": ');
    const junkFile = path.join(dir, 'blobs', 'sha256', sha256(junk).slice(7));
    writeFileSync(junkFile, junk);
    const manifest = JSON.parse(readFileSync(manifests[0] as string, 'utf8')) as { config: { digest: string; size: number } };
    manifest.config = { ...manifest.config, digest: sha256(junk), size: junk.length };
    rewriteManifest(dir, manifest);
    unlinkSync(configs[0] as string);
    const error = await readError(`oci:${dir}`);
    expect(error.file).toBe(junkFile);
    expect(error.message).toContain('invalid JSON');
  });

  test('a blob whose content does not match its digest', async () => {
    const dir = tempDir();
    writeOciLayout(dir, [{ ref: 'x', layers: [base, appA] }]);
    const blob = path.join(dir, 'blobs', 'sha256', appA.digest.slice(7));
    writeFileSync(blob, appB.blob);
    const error = await readError(`oci:${dir}`);
    expect(error.file).toBe(blob);
    expect(error.message).toContain(`digest mismatch: expected ${appA.digest}`);
  });

  test('a missing layer blob', async () => {
    const dir = tempDir();
    writeOciLayout(dir, [{ ref: 'x', layers: [base, appA] }]);
    const blob = path.join(dir, 'blobs', 'sha256', appA.digest.slice(7));
    unlinkSync(blob);
    const error = await readError(`oci:${dir}`);
    expect(error.file).toBe(blob);
    expect(error.message).toContain('no such file');
  });

  test('a truncated layer blob, plain tar or gzip', async () => {
    const big = layer([{ path: 'a', data: bytes(5000) }, { path: 'b', data: bytes(5000) }], 'none');
    const dir = tempDir();
    writeOciLayout(dir, [{ ref: 'x', layers: [big] }]);
    const blob = path.join(dir, 'blobs', 'sha256', big.digest.slice(7));
    writeFileSync(blob, big.blob.subarray(0, 3000));
    const error = await readError(`oci:${dir}`);
    expect(error.file).toBe(blob);
    expect(error.message).toContain(`truncated: the manifest says ${big.blob.length} bytes, the blob has 3000`);

    const zipped = layer([{ path: 'a', data: bytes(5000) }]);
    const dir2 = tempDir();
    writeOciLayout(dir2, [{ ref: 'x', layers: [zipped] }]);
    const blob2 = path.join(dir2, 'blobs', 'sha256', zipped.digest.slice(7));
    writeFileSync(blob2, zipped.blob.subarray(0, zipped.blob.length - 12));
    const error2 = await readError(`oci:${dir2}`);
    expect(error2.file).toBe(blob2);
    expect(error2.message).toContain('truncated: the manifest says');
  });

  test('a damaged layer of the right size: named by its digest, not by the corrupt data', async () => {
    const dir = tempDir();
    writeOciLayout(dir, [{ ref: 'x', layers: [appA] }]);
    const blob = path.join(dir, 'blobs', 'sha256', appA.digest.slice(7));
    const damaged = Buffer.from(appA.blob);
    damaged.fill(0x55, 12, 40);
    writeFileSync(blob, damaged);
    const error = await readError(`oci:${dir}`);
    expect(error.file).toBe(blob);
    expect(error.message).toContain(`digest mismatch: expected ${appA.digest}`);
  });

  test('a layer that is not a tar', async () => {
    const junk: LayerBlob = { tar: Buffer.alloc(0), blob: gzipSync('hello, not a tar '.repeat(40)), digest: '', diffId: '', mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' };
    junk.digest = sha256(junk.blob);
    junk.diffId = sha256(junk.tar);
    const dir = tempDir();
    writeOciLayout(dir, [{ ref: 'x', layers: [junk] }]);
    const error = await readError(`oci:${dir}`);
    expect(error.file).toBe(path.join(dir, 'blobs', 'sha256', junk.digest.slice(7)));
    expect(error.message).toContain('not a tar archive');
  });

  test('unsupported media types: an encrypted layer, an artifact config, an unknown manifest', async () => {
    const dir = tempDir();
    const { manifests } = writeOciLayout(dir, [{ ref: 'x', layers: [{ ...base, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip+encrypted' }] }]);
    const error = await readError(`oci:${dir}`);
    expect(error.file).toBe(manifests[0]);
    expect(error.message).toContain('layers[0]: unsupported media type application/vnd.oci.image.layer.v1.tar+gzip+encrypted');

    const manifest = JSON.parse(readFileSync(manifests[0] as string, 'utf8')) as { config: { mediaType: string }; layers: { mediaType: string }[] };
    manifest.layers = manifest.layers.map((l) => ({ ...l, mediaType: base.mediaType }));
    manifest.config.mediaType = 'application/vnd.cncf.helm.config.v1+json';
    const rewritten = rewriteManifest(dir, manifest);
    const error2 = await readError(`oci:${dir}`);
    expect(error2.file).toBe(rewritten);
    expect(error2.message).toContain('not a container image');

    writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.example.thing', digest: base.digest, size: 1 }] }));
    const error3 = await readError(`oci:${dir}`);
    expect(error3.file).toBe(path.join(dir, 'index.json'));
    expect(error3.message).toContain('manifests[0]: unsupported media type application/vnd.example.thing');
  });

  test('a zstd layer is read where Node can decompress it, refused with a reason otherwise', async () => {
    const zstd = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]);
    const z: LayerBlob = { tar: Buffer.alloc(0), blob: zstd, digest: sha256(zstd), diffId: sha256(''), mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' };
    const dir = tempDir();
    writeOciLayout(dir, [{ ref: 'x', layers: [z] }]);
    const error = await readError(`oci:${dir}`);
    expect(error.file).toBe(path.join(dir, 'blobs', 'sha256', z.digest.slice(7)));
    expect(error.message).toMatch(/zstd/);
  });

  test('a diff_id in the config that the layer does not hash to', async () => {
    const dir = tempDir();
    writeOciLayout(dir, [{ ref: 'x', layers: [{ ...appA, diffId: appB.diffId }] }]);
    const error = await readError(`oci:${dir}`);
    expect(error.file).toBe(path.join(dir, 'blobs', 'sha256', appA.digest.slice(7)));
    expect(error.message).toContain(`diff_id mismatch: the config`);
  });

  test('a malformed digest never becomes a path', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:../../etc/passwd', size: 1 }] }));
    const error = await readError(`oci:${dir}`);
    expect(error.file).toBe(path.join(dir, 'index.json'));
    expect(error.message).toContain('malformed digest');
  });
});

/** Writes a changed manifest as a new blob and points index.json at it; returns its path. */
function rewriteManifest(dir: string, manifest: object): string {
  const data = Buffer.from(JSON.stringify(manifest));
  const file = path.join(dir, 'blobs', 'sha256', sha256(data).slice(7));
  writeFileSync(file, data);
  writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(data), size: data.length }] }),
  );
  return file;
}
