// A docker-archive, as `docker save`, `podman save` and `buildah push docker-archive:` write it: a tar
// whose manifest.json lists, per image, its config file, its tags and its layer files in order. The
// layer files are named by id (`<id>/layer.tar`, `<hex>.tar`) or, from Docker 25, stored as an OCI
// layout inside the same archive (`blobs/sha256/<hex>`); the manifest.json is read either way.
import { createHash } from 'node:crypto';
import { checkDigest, isObject, parseConfig, readJson, type BlobStore, type ImageEntry } from './blob-store.js';
import { ImageReadError } from './types.js';

export async function readDockerArchive(store: BlobStore): Promise<ImageEntry[]> {
  if (!(await store.has('manifest.json'))) {
    const hint = (await store.has('index.json')) ? ' (it has an index.json: read it as oci-archive:)' : '';
    throw new ImageReadError(store.describe('manifest.json'), `missing: not a docker-archive${hint}`);
  }
  const file = store.describe('manifest.json');
  const { value } = await readJson(store, 'manifest.json');
  if (!Array.isArray(value)) throw new ImageReadError(file, 'expected a list of images');
  const entries: ImageEntry[] = [];
  for (const [i, item] of value.entries()) {
    if (!isObject(item) || typeof item.Config !== 'string' || !Array.isArray(item.Layers) || !item.Layers.every((l) => typeof l === 'string')) {
      throw new ImageReadError(file, `[${i}]: expected Config and Layers`);
    }
    const layers = (item.Layers as string[]).map((rel) => ({ rel, digest: digestInPath(rel, file, i), size: null }));
    const config = await readJson(store, item.Config);
    const configFile = store.describe(item.Config);
    const configDigest = `sha256:${createHash('sha256').update(config.bytes).digest('hex')}`;
    const named = digestInPath(item.Config, file, i);
    if (named !== null && named !== configDigest) {
      throw new ImageReadError(configFile, `digest mismatch: expected ${named}, content hashes to ${configDigest}`);
    }
    const tags = Array.isArray(item.RepoTags) ? item.RepoTags.filter((t): t is string => typeof t === 'string') : [];
    entries.push({ ref: tags[0] ?? configDigest, configDigest, configFile, ...parseConfig(config.value, configFile, layers.length), layers });
  }
  return entries;
}

/** Layers kept as OCI blobs are named by digest, which is then checked; older layouts name them by id. */
function digestInPath(rel: string, file: string, i: number): string | null {
  const m = /^blobs\/([^/]+)\/([^/]+)$/.exec(rel);
  return m ? checkDigest(`${m[1]}:${m[2]}`, file, `[${i}] ${rel}`) : null;
}
