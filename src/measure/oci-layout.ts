// An OCI image layout (a directory, or the same tree in a tar as `oci-archive`): index.json lists
// manifests (or nested indexes of several platforms), each manifest names a config and its layers,
// and every blob lives at blobs/<algorithm>/<hex> under its own digest, so a layer shared by several
// images is stored once.
import { createHash } from 'node:crypto';
import { checkDigest, isObject, parseConfig, readJson, type BlobStore, type ImageEntry } from './blob-store.js';
import { ImageReadError } from './types.js';

const MANIFEST = new Set(['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json']);
const INDEX = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);
const CONFIG = new Set(['application/vnd.oci.image.config.v1+json', 'application/vnd.docker.container.image.v1+json']);
/**
 * Layer media types read: plain tar, gzip, and zstd where the runtime can decompress it
 * (non-distributable variants included when their blob is present). Encrypted layers and anything
 * else are refused, since their files cannot be listed.
 */
const LAYER = new Set([
  'application/vnd.oci.image.layer.v1.tar',
  'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.oci.image.layer.v1.tar+zstd',
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  'application/vnd.docker.image.rootfs.diff.tar',
  'application/vnd.docker.image.rootfs.diff.tar.gzip',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
]);

const REF_ANNOTATIONS = ['io.containerd.image.name', 'org.opencontainers.image.ref.name'];

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations: Record<string, string>;
  platform: { os?: string; architecture?: string; variant?: string } | null;
}

/** The images an OCI layout holds; `only` keeps the one with that ref (full name or tag). */
export async function readOciLayout(store: BlobStore, only: string | null = null): Promise<ImageEntry[]> {
  if (!(await store.has('index.json'))) {
    throw new ImageReadError(store.describe('index.json'), 'missing: not an OCI image layout');
  }
  if (await store.has('oci-layout')) {
    const { value } = await readJson(store, 'oci-layout');
    const version = isObject(value) ? value.imageLayoutVersion : undefined;
    if (typeof version !== 'string' || !version.startsWith('1.')) {
      throw new ImageReadError(store.describe('oci-layout'), `unsupported imageLayoutVersion ${JSON.stringify(version)}`);
    }
  }
  const index = await readJson(store, 'index.json');
  const entries: ImageEntry[] = [];
  for (const [i, d] of manifestsOf(index.value, store.describe('index.json')).entries()) {
    const ref = REF_ANNOTATIONS.map((a) => d.annotations[a]).find((r) => r !== undefined) ?? d.digest;
    if (only !== null && ref !== only && !ref.endsWith(`:${only}`)) continue;
    const manifest = await resolveManifest(store, d, store.describe('index.json'), `manifests[${i}]`);
    if (manifest !== null) entries.push(await readManifest(store, manifest, ref));
  }
  if (only !== null && entries.length === 0) throw new ImageReadError(store.describe('index.json'), `no image named "${only}"`);
  return entries;
}

function manifestsOf(index: unknown, file: string): Descriptor[] {
  if (!isObject(index) || !Array.isArray(index.manifests)) throw new ImageReadError(file, 'not an image index (no "manifests" list)');
  return index.manifests.map((m, i) => descriptor(m, file, `manifests[${i}]`));
}

/** A manifest, or for a multi-platform index the manifest of this machine's platform (else the first). */
async function resolveManifest(store: BlobStore, d: Descriptor, file: string, where: string, depth = 0): Promise<Descriptor | null> {
  if (MANIFEST.has(d.mediaType)) return d;
  if (!INDEX.has(d.mediaType)) throw new ImageReadError(file, `${where}: unsupported media type ${d.mediaType}`);
  if (depth > 4) throw new ImageReadError(file, `${where}: indexes nested too deep`);
  const nested = await readBlobJson(store, d);
  const nestedFile = store.describe(blobPath(d.digest));
  const images = manifestsOf(nested, nestedFile).filter((m) => MANIFEST.has(m.mediaType) || INDEX.has(m.mediaType));
  // Attestations and signatures ride along as manifests of platform unknown/unknown.
  const real = images.filter((m) => m.platform?.os !== 'unknown' && m.annotations['vnd.docker.reference.type'] === undefined);
  const arch = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' }[process.arch as string];
  const pick = real.find((m) => m.platform?.os === 'linux' && m.platform.architecture === arch) ?? real[0];
  return pick === undefined ? null : resolveManifest(store, pick, nestedFile, 'manifests', depth + 1);
}

async function readManifest(store: BlobStore, d: Descriptor, ref: string): Promise<ImageEntry> {
  const manifest = await readBlobJson(store, d);
  const file = store.describe(blobPath(d.digest));
  if (!isObject(manifest) || !Array.isArray(manifest.layers)) throw new ImageReadError(file, 'not an image manifest (no "layers" list)');
  const config = descriptor(manifest.config, file, 'config');
  if (!CONFIG.has(config.mediaType)) throw new ImageReadError(file, `config: unsupported media type ${config.mediaType} (not a container image)`);
  const layers = manifest.layers.map((l, i) => {
    const layer = descriptor(l, file, `layers[${i}]`);
    if (!LAYER.has(layer.mediaType)) throw new ImageReadError(file, `layers[${i}]: unsupported media type ${layer.mediaType}`);
    return { rel: blobPath(layer.digest), digest: layer.digest, size: layer.size };
  });
  const configValue = await readBlobJson(store, config);
  const configFile = store.describe(blobPath(config.digest));
  return { ref, configDigest: config.digest, configFile, ...parseConfig(configValue, configFile, layers.length), layers };
}

/** A JSON blob, checked against its descriptor's digest and size. */
async function readBlobJson(store: BlobStore, d: Descriptor): Promise<unknown> {
  const rel = blobPath(d.digest);
  const { value, bytes } = await readJson(store, rel).catch(async (error: unknown) => {
    // Report a digest mismatch rather than the invalid JSON it causes.
    if (error instanceof ImageReadError && error.message.includes('invalid JSON')) verify(await store.read(rel), d, store.describe(rel));
    throw error;
  });
  verify(bytes, d, store.describe(rel));
  return value;
}

function verify(bytes: Buffer, d: Descriptor, file: string): void {
  const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  if (actual !== d.digest) throw new ImageReadError(file, `digest mismatch: expected ${d.digest}, content hashes to ${actual}`);
  if (bytes.length !== d.size) throw new ImageReadError(file, `size mismatch: the descriptor says ${d.size} bytes, the blob has ${bytes.length}`);
}

function descriptor(value: unknown, file: string, where: string): Descriptor {
  if (!isObject(value)) throw new ImageReadError(file, `${where}: not a descriptor`);
  const { mediaType, size, annotations, platform } = value;
  if (typeof mediaType !== 'string') throw new ImageReadError(file, `${where}: missing mediaType`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw new ImageReadError(file, `${where}: missing or bad size`);
  const strings: Record<string, string> = {};
  if (isObject(annotations)) for (const [k, v] of Object.entries(annotations)) if (typeof v === 'string') strings[k] = v;
  return {
    mediaType,
    digest: checkDigest(value.digest, file, where),
    size,
    annotations: strings,
    platform: isObject(platform) ? (platform as Descriptor['platform']) : null,
  };
}

function blobPath(digest: string): string {
  return `blobs/${digest.replace(':', '/')}`;
}
