// Writes small image sources for the measure tests: tar layers, OCI layouts and docker-archives,
// built byte by byte here so that every field the reader checks is known.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface TarInput {
  path: string;
  data?: string | Buffer;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink';
  /** Write the path in a pax header (as for paths over 100 bytes). */
  pax?: boolean;
}

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function tar(entries: TarInput[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const data = e.data === undefined ? Buffer.alloc(0) : Buffer.from(e.data);
    const flag = { file: '0', dir: '5', symlink: '2', hardlink: '1' }[e.type ?? 'file'];
    if (e.pax || Buffer.byteLength(e.path) > 100) {
      const record = paxRecord('path', e.path);
      blocks.push(header('PaxHeader', record.length, 'x'), pad(record));
    }
    blocks.push(header(e.path.slice(0, 100), flag === '0' ? data.length : 0, flag));
    if (flag === '0') blocks.push(pad(data));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  const bodyLen = Buffer.byteLength(body);
  let len = bodyLen + String(bodyLen).length;
  while (String(len).length + bodyLen !== len) len = String(len).length + bodyLen;
  return Buffer.from(`${len}${body}`);
}

function header(name: string, size: number, flag: string): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write(flag, 156);
  h.write('ustar\u000000', 257, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

function pad(data: Buffer): Buffer {
  const rest = data.length % 512;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(512 - rest)]);
}

export function bytes(n: number, fill = 'x'): string {
  return fill.repeat(n);
}

export interface HistoryInput {
  created_by: string;
  empty_layer?: boolean;
}

export interface LayerBlob {
  tar: Buffer;
  blob: Buffer;
  digest: string;
  diffId: string;
  mediaType: string;
}

export function layer(entries: TarInput[], compression: 'gzip' | 'none' = 'gzip'): LayerBlob {
  const t = tar(entries);
  const blob = compression === 'gzip' ? gzipSync(t) : t;
  return {
    tar: t,
    blob,
    digest: sha256(blob),
    diffId: sha256(t),
    mediaType: compression === 'gzip' ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar',
  };
}

export function configJson(layers: LayerBlob[], history?: HistoryInput[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      ...(history ? { history } : {}),
    }),
  );
}

export interface ImageInput {
  ref: string;
  layers: LayerBlob[];
  history?: HistoryInput[];
}

/** An OCI layout in `dir` with one manifest per image; returns the paths written, by role. */
export function writeOciLayout(dir: string, images: ImageInput[]): { manifests: string[]; configs: string[] } {
  mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = (data: Buffer): { digest: string; size: number } => {
    const digest = sha256(data);
    writeFileSync(path.join(dir, 'blobs', 'sha256', digest.slice(7)), data);
    return { digest, size: data.length };
  };
  const manifests: string[] = [];
  const configs: string[] = [];
  const index = images.map((img) => {
    const config = put(configJson(img.layers, img.history));
    configs.push(path.join(dir, 'blobs', 'sha256', config.digest.slice(7)));
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: img.layers.map((l) => ({ mediaType: l.mediaType, ...put(l.blob) })),
      }),
    );
    const m = put(manifest);
    manifests.push(path.join(dir, 'blobs', 'sha256', m.digest.slice(7)));
    return { mediaType: 'application/vnd.oci.image.manifest.v1+json', ...m, annotations: { 'org.opencontainers.image.ref.name': img.ref } };
  });
  writeFileSync(path.join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: index }));
  return { manifests, configs };
}

/** A `docker save` archive (the classic layout: `<id>/layer.tar`, `<config-hex>.json`, manifest.json). */
export function dockerArchive(images: ImageInput[], options: { manifest?: string | Buffer } = {}): Buffer {
  const members: TarInput[] = [];
  const seen = new Set<string>();
  const manifest = images.map((img) => {
    const config = configJson(img.layers, img.history);
    const configName = `${sha256(config).slice(7)}.json`;
    if (!seen.has(configName)) members.push({ path: configName, data: config });
    seen.add(configName);
    const layers = img.layers.map((l) => {
      const name = `${l.diffId.slice(7, 19)}/layer.tar`;
      if (!seen.has(name)) members.push({ path: name.split('/')[0] as string, type: 'dir' }, { path: name, data: l.blob });
      seen.add(name);
      return name;
    });
    return { Config: configName, RepoTags: [img.ref], Layers: layers };
  });
  members.push({ path: 'manifest.json', data: options.manifest ?? JSON.stringify(manifest) });
  return tar(members);
}
