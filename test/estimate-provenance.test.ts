// Every size says where it comes from. One family on disk exercises each source: the build context
// (COPY, a tar that ADD unpacks, a tar a later RUN unpacks), a Packages index, the base-image table,
// rules of thumb, and measured layers that replace the estimates of the steps they line up with.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { estimateFamily, type FamilyEstimate, type StepEstimate } from '../src/estimate/index.js';
import * as H from '../src/estimate/heuristics.js';
import { baseSizeKey } from '../src/estimate/base-images.js';
import { analyzeFiles } from '../src/load/lint-files.js';
import { parseImageRef } from '../src/model/image-ref.js';
import type { MeasuredLayer, MeasuredSet } from '../src/measure/types.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'layerlint-estimate-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const PACKAGES = `Package: libc6
Installed-Size: 12000
Priority: required
Size: 2800000

Package: tool
Installed-Size: 100
Depends: libtool1, libc6
Size: 40000

Package: libtool1
Installed-Size: 200
Size: 70000
`;

/** A tar archive of one file: a 512-byte header, the content padded to 512, two zero blocks. */
function tarOf(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  const padded = Buffer.alloc(Math.ceil(content.length / 512) * 512);
  content.copy(padded);
  return Buffer.concat([header, padded, Buffer.alloc(1024)]);
}

const text = (n: number, seed: string): string => Array.from({ length: Math.ceil(n / seed.length) }, (_, i) => `${seed}${i}`).join('').slice(0, n);

async function estimate(dir: string, measured?: MeasuredSet): Promise<FamilyEstimate> {
  const { results, graph } = await analyzeFiles(['.'], { cwd: dir });
  return estimateFamily(graph, { cwd: dir, findings: results, packageIndexFiles: [path.join(dir, 'Packages')], ...(measured ? { measured } : {}) });
}

function stepAt(est: FamilyEstimate, image: string, line: number): StepEstimate {
  const found = est.images.find((i) => i.name === image)?.steps.find((s) => s.line === line);
  if (!found) throw new Error(`no step on line ${line} of ${image}`);
  return found;
}

const vendor = tarOf('lib.so', Buffer.from(text(20_000, 'vendor')));
const files = {
  Packages: PACKAGES,
  'app/Dockerfile': [
    'FROM debian:12-slim',
    'COPY conf/ /etc/app/',
    'ADD rootfs.tar /opt/root/',
    'RUN apt-get update && apt-get install -y --no-install-recommends tool && rm -rf /var/lib/apt/lists/*',
    'RUN dnf install -y foo bar && dnf clean all',
    'COPY missing.txt /etc/missing.txt',
    'COPY vendor.tar.gz /tmp/vendor.tar.gz',
    'RUN tar -xzf /tmp/vendor.tar.gz -C /opt && rm -f /tmp/vendor.tar.gz',
    '',
  ].join('\n'),
  'app/conf/a.conf': text(1000, 'alpha='),
  'app/conf/b.conf': text(3000, 'beta='),
  'app/rootfs.tar': tarOf('etc/hostname', Buffer.from(text(9000, 'host'))),
  'app/vendor.tar.gz': gzipSync(vendor),
};

describe('provenance of each size', () => {
  it('context: the bytes of the files COPY copies, as a layer holds them', async () => {
    const step = stepAt(await estimate(tree(files)), 'app', 2);
    expect(step.size.provenance).toBe('context');
    expect(step.size.confidence).toBe('high');
    // Two files: each a 512-byte tar header and its content padded to 512 bytes.
    expect(step.size.uncompressedBytes).toBe(512 + 1024 + 512 + 3072);
    expect(step.size.bytes).toBeGreaterThan(0);
    expect(step.size.bytes).toBeLessThan(4000);
    expect(step.size.detail).toBe('2 files, 4.0 kB in the build context');
  });

  it('context: a local tar that ADD unpacks counts by its contents, and so does one a RUN unpacks', async () => {
    const est = await estimate(tree(files));
    const add = stepAt(est, 'app', 3);
    expect(add.size.provenance).toBe('context');
    expect(add.size.uncompressedBytes).toBe(files['app/rootfs.tar'].length);
    const untar = stepAt(est, 'app', 8);
    expect(untar.size.parts[0]).toMatchObject({ provenance: 'context', uncompressedBytes: vendor.length, detail: 'vendor.tar.gz unpacked' });
  });

  it('metadata: an apt install is the closure of what it names, minus what a Debian base already has', async () => {
    const step = stepAt(await estimate(tree(files)), 'app', 4);
    const [packages, overhead] = step.size.parts;
    expect(packages?.provenance).toBe('metadata');
    // tool and libtool1; libc6 is in every Debian base.
    expect(packages?.uncompressedBytes).toBe(Math.round((100 + 200) * 1024 * H.DEB_PAYLOAD_FACTOR));
    expect(packages?.detail).toBe('tool and 1 dependency: 2 packages not yet installed (package index)');
    expect(overhead).toMatchObject({ provenance: 'heuristic', bytes: H.INSTALL_OVERHEAD.deb?.bytes });
    // The step's provenance is its largest part's: here the package database outweighs two small packages.
    expect(step.size.bytes).toBe((packages?.bytes ?? 0) + (overhead?.bytes ?? 0));
    expect(step.size.provenance).toBe('heuristic');
  });

  it('table: a known base image, with the date and source of its figure', async () => {
    const est = await estimate(tree(files));
    const base = est.bases.find((b) => b.ref === 'debian:12-slim');
    expect(baseSizeKey(parseImageRef('debian:12-slim'))).toBe('debian:slim');
    expect(base?.size).toMatchObject({ provenance: 'table', bytes: 30_000_000, confidence: 'medium' });
    expect(base?.size.detail).toMatch(/^debian:slim, as of \d{4}/);
  });

  it('heuristic: installs no index covers and sources the context lacks, marked low confidence', async () => {
    const est = await estimate(tree(files));
    const dnf = stepAt(est, 'app', 5);
    const rpm = H.PACKAGE.rpm as H.Figure;
    const overhead = H.INSTALL_OVERHEAD.rpm as H.Figure;
    expect(dnf.size).toMatchObject({ provenance: 'heuristic', confidence: 'low', bytes: 2 * rpm.bytes + overhead.bytes, uncompressedBytes: 2 * rpm.uncompressedBytes + overhead.uncompressedBytes });
    expect(stepAt(est, 'app', 6).size).toMatchObject({ provenance: 'heuristic', bytes: H.MISSING_SOURCE.bytes });
  });

  it('an unknown base image is a typical figure, scratch is nothing', async () => {
    const est = await estimate(tree({ Packages: PACKAGES, 'a/Dockerfile': 'FROM example.com/acme/runtime:7\nRUN true\n', 'b/Dockerfile': 'FROM scratch\nCOPY f /f\n', 'b/f': 'x' }));
    expect(est.bases.find((b) => b.ref === 'example.com/acme/runtime:7')?.size).toMatchObject({ provenance: 'heuristic', confidence: 'low' });
    expect(est.bases.find((b) => b.ref === 'scratch')?.size).toMatchObject({ provenance: 'table', bytes: 0, confidence: 'high' });
  });

  it('totals split the unique bytes by provenance', async () => {
    const est = await estimate(tree(files));
    const sum = Object.values(est.totals.byProvenance).reduce((s, v) => s + v, 0);
    expect(sum).toBe(est.totals.uniqueBytes);
    expect(est.totals.byProvenance.table).toBe(30_000_000);
    expect(est.sources.packageIndexes).toHaveLength(1);
  });
});

describe('measured sizes', () => {
  const family = {
    Packages: PACKAGES,
    'base/Dockerfile': 'FROM debian:12-slim\nCOPY f /f\nRUN apt-get update && apt-get install -y --no-install-recommends tool && rm -rf /var/lib/apt/lists/*\n',
    'base/f': 'hello',
    'svc/Dockerfile': 'FROM base\nRUN echo svc > /svc\n',
  };
  const layer = (compressedSize: number, uncompressedSize: number, shadowedBytes = 0): MeasuredLayer => ({
    diffId: `sha256:${compressedSize}`,
    digest: `sha256:${compressedSize}${uncompressedSize}`,
    chainId: `sha256:c${compressedSize}`,
    compressedSize,
    uncompressedSize,
    createdBy: null,
    instruction: null,
    shadowedBytes,
    whiteouts: 0,
    hiddenBytes: 0,
  });
  const layers = [layer(29_000_000, 75_000_000), layer(150, 2048), layer(4_000_000, 10_000_000, 500_000), layer(200, 3072)];
  const measured: MeasuredSet = {
    source: 'oci:/images',
    images: [{ ref: 'localhost/svc:latest', name: 'svc', configDigest: 'sha256:x', layers, compressedSize: 33_000_350, uncompressedSize: 85_005_120 }],
    sharedLayers: new Map(),
    uniqueCompressedBytes: 33_000_350,
    totalCompressedBytes: 33_000_350,
  };

  it('replaces the estimate of every step a layer lines up with, and sizes the base from the layers below', async () => {
    const est = await estimate(tree(family), measured);
    expect(stepAt(est, 'base', 2).size).toMatchObject({ provenance: 'measured', bytes: 150, uncompressedBytes: 2048, confidence: 'high' });
    expect(stepAt(est, 'base', 3).size).toMatchObject({ provenance: 'measured', bytes: 4_000_000 });
    expect(stepAt(est, 'svc', 2).size).toMatchObject({ provenance: 'measured', bytes: 200 });
    expect(est.bases[0]?.size).toMatchObject({ provenance: 'measured', bytes: 29_000_000, uncompressedBytes: 75_000_000 });
    expect(est.totals.byProvenance.measured).toBe(est.totals.uniqueBytes);
    expect(est.totals.uniqueBytes).toBe(33_000_350);
    expect(est.sources.measured).toBe('oci:/images');
  });

  it('counts what a later layer deletes or overwrites as waste, at the layer\'s compression ratio', async () => {
    const step = stepAt(await estimate(tree(family), measured), 'base', 3);
    expect(step.waste).toEqual([expect.objectContaining({ rule: 'measured', provenance: 'measured', uncompressedBytes: 500_000, bytes: 200_000 })]);
    expect(step.wastedBytes).toBe(200_000);
  });
});
