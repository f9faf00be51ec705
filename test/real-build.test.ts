// Builds a real family of images (scripts/build-test-family.sh: debootstrap base, buildah, no
// container engine) as written and as layerlint's restructuring proposes, measures both with
// readImages, and holds the measurements against what layerlint predicts from the Dockerfiles.
// Skipped only where apt cannot reach its package source (or the machine cannot build at all).
import { spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { estimateFamily, proposeSavings, type FamilyEstimate, type SavingsReport } from '../src/estimate/index.js';
import { analyzeFiles } from '../src/load/lint-files.js';
import { matchMeasured, readImages, type MeasuredImage, type MeasuredSet } from '../src/measure/index.js';

const repo = path.resolve(import.meta.dirname, '..');
const script = path.join(repo, 'scripts', 'build-test-family.sh');
// Outside the repository: layerlint honours .gitignore, and the build contexts must be linted as they are.
const out = process.env.LAYERLINT_REAL_BUILD_DIR ?? path.join(tmpdir(), 'layerlint-real-build');
const IMAGES = ['base', 'svc-base', 'svc-a', 'svc-b', 'svc-c'];
const MB = 1_000_000;

/** Why the family cannot be built here, or null when it can. */
function cannotBuild(): string | null {
  const have = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
  if (have('buildah') && have('debootstrap') && process.getuid?.() === 0) return null;
  // Tools missing: CI installs them (.ci/run) unless apt cannot reach its package source.
  const update = spawnSync('apt-get', ['update', '-qq'], { timeout: 90_000, encoding: 'utf8' });
  if (update.error !== undefined || update.status !== 0) {
    return `apt cannot reach its package source (apt-get update: ${(update.stderr || String(update.error ?? 'failed')).trim().split('\n').at(-1)})`;
  }
  if (process.getuid?.() !== 0) return 'building images needs root (debootstrap, buildah --isolation chroot)';
  throw new Error('buildah and debootstrap are missing although apt works: apt-get install buildah debootstrap (.ci/run does)');
}

interface Built {
  written: MeasuredSet;
  restructured: MeasuredSet;
}

let built: Built | { skip: string } | null = null;

async function build(): Promise<Built | { skip: string }> {
  if (built !== null) return built;
  const why = cannotBuild();
  if (why !== null) return (built = { skip: why });
  const run = spawnSync('bash', [script, out], { encoding: 'utf8', timeout: 25 * 60_000, maxBuffer: 64 * MB });
  if (run.status === 4) return (built = { skip: `apt cannot reach its package source: ${run.stderr.trim().split('\n').at(-1)}` });
  if (run.status !== 0) throw new Error(`build-test-family.sh failed (${run.status ?? run.signal}):\n${run.stderr}`);
  built = {
    written: await readImages(`oci:${path.join(out, 'oci', 'written')}`),
    restructured: await readImages(`oci:${path.join(out, 'oci', 'restructured')}`),
  };
  return built;
}

function image(set: MeasuredSet, name: string): MeasuredImage {
  const found = set.images.find((i) => i.name === name);
  if (!found) throw new Error(`no image ${name} in ${set.source}`);
  return found;
}

/** The topmost layer of an image whose history matches `KEYWORD text`. */
function layerOf(img: MeasuredImage, pattern: RegExp): MeasuredImage['layers'][number] {
  const found = [...img.layers].reverse().find((l) => l.instruction !== null && pattern.test(`${l.instruction.keyword} ${l.instruction.text}`));
  if (!found) throw new Error(`no layer of ${img.name} matches ${pattern}`);
  return found;
}

const TIMEOUT = 30 * 60_000;

describe('a real family, built as written and as restructured', () => {
  test('measured: layers, sharing, history and the waste layerlint reports', { timeout: TIMEOUT }, async (ctx) => {
    const b = await build();
    if ('skip' in b) return ctx.skip(b.skip);
    const { written, restructured } = b;
    expect(written.images.map((i) => i.name).sort()).toEqual([...IMAGES].sort());
    expect(restructured.images.map((i) => i.name).sort()).toEqual([...IMAGES].sort());

    // Every layer lines up with the Dockerfile step that made it, and the history confirms it.
    for (const [variant, set] of [
      ['written', written],
      ['restructured', restructured],
    ] as const) {
      const { graph } = await analyzeFiles(['.'], { cwd: path.join(out, 'src', variant) });
      const matches = matchMeasured(graph, set);
      expect(matches.unmatched).toEqual([]);
      for (const m of matches.images) {
        expect(m.aligned, `${variant}/${m.image.name}`).toBe(true);
        expect(m.layers.map((l) => l.match)).toEqual(m.layers.map(() => 'text'));
      }
    }

    // Sharing: the parent's layers are shared by every child; the same install in each child is not.
    const wBase = image(written, 'svc-base');
    for (const layer of wBase.layers) expect(written.sharedLayers.get(layer.chainId)?.sort()).toEqual(expect.arrayContaining(['svc-a', 'svc-b', 'svc-base', 'svc-c']));
    const curl = /^RUN .*install .*curl/;
    const wCurl = ['svc-a', 'svc-b', 'svc-c'].map((n) => layerOf(image(written, n), curl));
    expect(new Set(wCurl.map((l) => l.chainId)).size).toBe(3);
    for (const l of wCurl) expect(written.sharedLayers.has(l.chainId)).toBe(false);
    const rCurl = layerOf(image(restructured, 'svc-base'), curl);
    expect(restructured.sharedLayers.get(rCurl.chainId)?.sort()).toEqual(['svc-a', 'svc-b', 'svc-base', 'svc-c']);

    // Waste, as layers hold it: package lists deleted a layer late, a chmod's copy-up, a deleted COPY.
    const python = layerOf(wBase, /^RUN .*python3-minimal/);
    const rm = layerOf(wBase, /^RUN rm -rf \/var\/lib\/apt\/lists/);
    expect(python.shadowedBytes).toBeGreaterThan(5 * MB);
    expect(rm.whiteouts).toBeGreaterThan(0);
    expect(rm.hiddenBytes).toBe(python.shadowedBytes);
    const data = statSync(path.join(out, 'src', 'written', 'svc-a', 'app', 'data.txt')).size;
    expect(layerOf(image(written, 'svc-a'), /^COPY /).shadowedBytes).toBeGreaterThanOrEqual(data);
    const vendor = statSync(path.join(out, 'src', 'written', 'svc-b', 'vendor.tar.gz')).size;
    expect(layerOf(image(written, 'svc-b'), /^COPY .* \/tmp\/$/).shadowedBytes).toBe(vendor);
    const wJq = layerOf(image(written, 'svc-c'), /^RUN .*install .*jq/);
    const rJq = layerOf(image(restructured, 'svc-c'), /^RUN .*install .*jq/);
    expect(wJq.uncompressedSize - rJq.uncompressedSize).toBeGreaterThan(5 * MB);
    // Restructured, nothing deletes what a lower layer wrote.
    for (const img of restructured.images) for (const l of img.layers) expect(l.hiddenBytes).toBe(0);

    // The same image read from a docker-archive has the same layers.
    const archived = await readImages(`docker-archive:${path.join(out, 'svc-b.docker.tar')}`);
    expect(archived.images.map((i) => i.name)).toEqual(['svc-b']);
    expect(archived.images[0]?.layers.map((l) => l.chainId)).toEqual(image(written, 'svc-b').layers.map((l) => l.chainId));
    expect(archived.images[0]?.layers.map((l) => l.shadowedBytes)).toEqual(image(written, 'svc-b').layers.map((l) => l.shadowedBytes));

    expect(written.uniqueCompressedBytes - restructured.uniqueCompressedBytes).toBeGreaterThan(10 * MB);
  });

  test('predicted: sizes and savings within 25% of the measured ones', { timeout: TIMEOUT }, async (ctx) => {
    const b = await build();
    if ('skip' in b) return ctx.skip(b.skip);
    const { written, restructured } = b;
    // Predictions come from the Dockerfiles, the build context and the package index alone.
    const predict = async (variant: string): Promise<{ estimate: FamilyEstimate; savings: SavingsReport }> => {
      const cwd = path.join(out, 'src', variant);
      const { graph, results } = await analyzeFiles(['.'], { cwd });
      const estimate = estimateFamily(graph, { cwd, findings: results });
      return { estimate, savings: proposeSavings(graph, results, estimate, { cwd }) };
    };
    const before = await predict('written');
    const after = await predict('restructured');

    const measuredSaving = written.uniqueCompressedBytes - restructured.uniqueCompressedBytes;
    const figures = {
      measured: {
        writtenUnique: written.uniqueCompressedBytes,
        restructuredUnique: restructured.uniqueCompressedBytes,
        saving: measuredSaving,
        standaloneSaving: written.totalCompressedBytes - restructured.totalCompressedBytes,
        byChange: measuredByChange(written, restructured),
      },
      predicted: {
        writtenUnique: before.estimate.totals.uniqueBytes,
        restructuredUnique: after.estimate.totals.uniqueBytes,
        /** What layerlint reports the proposed changes together would save. */
        saving: before.savings.combined.bytesSaved,
        standaloneSaving: before.savings.combined.standaloneBytesSaved,
        /** The same saving as the difference of the two families' estimated sizes. */
        sizeDifference: before.estimate.totals.uniqueBytes - after.estimate.totals.uniqueBytes,
        byChange: before.savings.savings.map((s) => ({ rule: s.rule, images: s.images.join(' '), bytesSaved: s.bytesSaved })),
      },
      images: IMAGES.map((name) => ({
        name,
        measuredWritten: image(written, name).compressedSize,
        predictedWritten: before.estimate.images.find((i) => i.name === name)?.totalBytes ?? 0,
        measuredRestructured: image(restructured, name).compressedSize,
        predictedRestructured: after.estimate.images.find((i) => i.name === name)?.totalBytes ?? 0,
      })),
    };
    writeFileSync(path.join(out, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
    ctx.annotate(`measured saving ${mb(measuredSaving)}, predicted ${mb(figures.predicted.saving)} (sizes: ${mb(figures.predicted.sizeDifference)}); figures in ${path.join(out, 'figures.json')}`);

    for (const i of figures.images) {
      expect(within(i.predictedWritten, i.measuredWritten), `${i.name} as written`).toBe(true);
      expect(within(i.predictedRestructured, i.measuredRestructured), `${i.name} restructured`).toBe(true);
    }
    expect(within(figures.predicted.sizeDifference, measuredSaving), 'difference of the predicted family sizes').toBe(true);
    expect(within(figures.predicted.saving, measuredSaving), `predicted saving ${mb(figures.predicted.saving)} vs measured ${mb(measuredSaving)}`).toBe(true);
  });
});

function within(predicted: number, measured: number, tolerance = 0.25): boolean {
  return Math.abs(predicted - measured) <= tolerance * measured;
}

function mb(n: number): string {
  return `${(n / MB).toFixed(2)} MB`;
}

/** What each change saved, read off the layers it changed (compressed bytes, as pulled). */
function measuredByChange(written: MeasuredSet, restructured: MeasuredSet): Record<string, number> {
  const w = (name: string, pattern: RegExp): number => layerOf(image(written, name), pattern).compressedSize;
  const r = (name: string, pattern: RegExp): number => layerOf(image(restructured, name), pattern).compressedSize;
  const curl = /^RUN .*install .*curl/;
  return {
    'svc-base: apt lists deleted in the installing RUN': w('svc-base', /python3-minimal/) + w('svc-base', /^RUN rm -rf/) - r('svc-base', /python3-minimal/),
    'svc-c: apt lists deleted in the installing RUN': w('svc-c', /install .*jq/) - r('svc-c', /install .*jq/),
    'curl install hoisted into svc-base': w('svc-a', curl) + w('svc-b', curl) + w('svc-c', curl) - r('svc-base', curl),
    'svc-b: archive added, not copied and deleted': w('svc-b', /^COPY .* \/tmp\/$/) + w('svc-b', /^RUN mkdir/) + w('svc-b', /^RUN rm -f/) - r('svc-b', /^ADD /),
    'svc-a: COPY --chmod instead of chmod': w('svc-a', /^COPY /) + w('svc-a', /^RUN chmod/) - r('svc-a', /^COPY /),
  };
}
