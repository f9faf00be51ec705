// Measures built images: per layer its stored and uncompressed size, diff_id, chainID, the
// instruction that made it, and the bytes a later layer turns into dead weight; across images, which
// layers they share. Every blob is checked against its digest; anything unreadable is an
// ImageReadError naming the file, never a partial answer.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { DirStore, TarStore, type BlobStore, type ImageEntry } from './blob-store.js';
import { readDockerArchive } from './docker-archive.js';
import { layerHistory, parseCreatedBy } from './history.js';
import { layerWaste, scanLayer, type LayerContent } from './layer-scan.js';
import { readOciLayout } from './oci-layout.js';
import { IMAGE_SOURCE_KINDS, ImageReadError, type MeasuredImage, type MeasuredLayer, type MeasuredSet } from './types.js';

export { IMAGE_SOURCE_KINDS } from './types.js';

/** Layers read at once: decompression and hashing run on the thread pool. */
const PARALLEL = 4;

/**
 * Reads `oci:DIR[:REF]` (an OCI image layout), `oci-archive:FILE[:REF]` (the same in a tar) or
 * `docker-archive:FILE` (`docker save`). With REF, only the image of that name or tag is read.
 */
export async function readImages(spec: string): Promise<MeasuredSet> {
  const colon = spec.indexOf(':');
  const kind = spec.slice(0, colon);
  const target = spec.slice(colon + 1);
  if (colon < 0 || !(IMAGE_SOURCE_KINDS as readonly string[]).includes(kind) || target === '') {
    throw new ImageReadError(spec, 'unknown image source: expected oci:DIR, oci-archive:FILE or docker-archive:FILE');
  }
  const { file, ref } = kind === 'docker-archive' ? { file: target, ref: null } : await splitRef(target);
  let store: BlobStore;
  if (kind === 'oci') {
    if (!(await isDirectory(file))) throw new ImageReadError(file, 'not a directory (an OCI image layout is a directory)');
    store = new DirStore(file);
  } else store = await TarStore.open(file);
  try {
    const entries = kind === 'docker-archive' ? await readDockerArchive(store) : await readOciLayout(store, ref);
    return await measure(spec, store, entries);
  } finally {
    await store.close();
  }
}

/** The spec with its path resolved against `cwd`; a spec of an unknown kind is left for readImages to refuse. */
export function resolveImageSpec(spec: string, cwd: string): string {
  const colon = spec.indexOf(':');
  const kind = spec.slice(0, colon);
  if (colon < 0 || !(IMAGE_SOURCE_KINDS as readonly string[]).includes(kind) || spec.length === colon + 1) return spec;
  return `${kind}:${path.resolve(cwd, spec.slice(colon + 1))}`;
}

/** `PATH:REF` when PATH exists and the whole string does not: paths may contain colons too. */
async function splitRef(target: string): Promise<{ file: string; ref: string | null }> {
  const at = target.lastIndexOf(':');
  if (at <= 0 || (await exists(target)) || !(await exists(target.slice(0, at)))) return { file: target, ref: null };
  return { file: target.slice(0, at), ref: target.slice(at + 1) };
}

async function measure(source: string, store: BlobStore, entries: ImageEntry[]): Promise<MeasuredSet> {
  // Each blob once, however many images list it.
  const pending = [...new Map(entries.flatMap((e) => e.layers).map((l) => [l.rel, l])).values()];
  const contents = new Map<string, LayerContent>();
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    // After one bad blob the others are not worth reading: the error is the answer.
    while (next < pending.length && !failed) {
      const layer = pending[next++] as (typeof pending)[number];
      try {
        contents.set(layer.rel, await scanLayer(await store.blob(layer.rel), layer.digest, layer.size));
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(PARALLEL, pending.length) }, worker));
  const rejected = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;

  const images: MeasuredImage[] = [];
  for (const entry of entries) {
    const scanned = entry.layers.map((l) => contents.get(l.rel) as LayerContent);
    scanned.forEach((c, i) => {
      const expected = entry.diffIds[i] as string;
      if (c.diffId !== expected) {
        throw new ImageReadError(store.describe((entry.layers[i] as { rel: string }).rel), `diff_id mismatch: the config (${entry.configFile}) lists ${expected}, the uncompressed layer hashes to ${c.diffId}`);
      }
    });
    const waste = layerWaste(scanned);
    const history = layerHistory(entry.history, scanned.length);
    const chainIds = chainIdsOf(scanned.map((c) => c.diffId));
    const layers: MeasuredLayer[] = scanned.map((c, i) => ({
      diffId: c.diffId,
      digest: c.digest,
      chainId: chainIds[i] as string,
      compressedSize: c.compressedSize,
      uncompressedSize: c.uncompressedSize,
      createdBy: history[i] ?? null,
      instruction: parseCreatedBy(history[i] ?? null),
      ...(waste[i] as { shadowedBytes: number; whiteouts: number; hiddenBytes: number }),
    }));
    images.push({
      ref: entry.ref,
      name: imageName(entry.ref),
      configDigest: entry.configDigest,
      layers,
      compressedSize: sum(layers.map((l) => l.compressedSize)),
      uncompressedSize: sum(layers.map((l) => l.uncompressedSize)),
    });
  }
  return summarize(source, images);
}

/** chainID(1) = diffID(1); chainID(n) = sha256(chainID(n-1) + " " + diffID(n)). */
export function chainIdsOf(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const diffId of diffIds) {
    const prev = out[out.length - 1];
    out.push(prev === undefined ? diffId : `sha256:${createHash('sha256').update(`${prev} ${diffId}`).digest('hex')}`);
  }
  return out;
}

/** The last path component of a reference, without tag or digest: `registry/ns/svc-a:1.0` -> `svc-a`. */
export function imageName(ref: string): string {
  if (/^sha256:[a-f0-9]+$/.test(ref)) return ref;
  const noDigest = ref.replace(/@.*$/, '');
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  return last.replace(/:[^:]*$/, '');
}

/** Shared layers and family totals; images of several sources together when given several. */
export function summarize(source: string, images: MeasuredImage[]): MeasuredSet {
  const sharedLayers = new Map<string, string[]>();
  const blobs = new Map<string, number>();
  for (const image of images) {
    for (const layer of image.layers) {
      const holders = sharedLayers.get(layer.chainId) ?? [];
      if (!holders.includes(image.ref)) holders.push(image.ref);
      sharedLayers.set(layer.chainId, holders);
      blobs.set(layer.digest, layer.compressedSize);
    }
  }
  for (const [chainId, holders] of sharedLayers) if (holders.length < 2) sharedLayers.delete(chainId);
  return {
    source,
    images,
    sharedLayers,
    uniqueCompressedBytes: sum([...blobs.values()]),
    totalCompressedBytes: sum(images.map((i) => i.compressedSize)),
  };
}

/** Several `--images` sources as one set: a layer stored in two of them is still paid once. */
export async function readImageSets(specs: readonly string[]): Promise<MeasuredSet> {
  const sets: MeasuredSet[] = [];
  for (const spec of specs) sets.push(await readImages(spec));
  if (sets.length === 1) return sets[0] as MeasuredSet;
  return summarize(sets.map((s) => s.source).join(' '), sets.flatMap((s) => s.images));
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

async function isDirectory(p: string): Promise<boolean> {
  return stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
