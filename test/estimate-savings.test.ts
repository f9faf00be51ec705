// Savings arithmetic on hand-made families whose layer sizes are known exactly (given as measured
// layers), so that every figure below can be worked out by hand from the sizes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { estimateFamily, proposeSavings, type Saving, type SavingsReport } from '../src/estimate/index.js';
import * as H from '../src/estimate/heuristics.js';
import { FamilyModel } from '../src/estimate/layer-model.js';
import { analyzeFiles } from '../src/load/lint-files.js';
import type { MeasuredLayer, MeasuredSet } from '../src/measure/types.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'layerlint-savings-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

let n = 0;
function layer(bytes: number): MeasuredLayer {
  n++;
  return { diffId: `sha256:d${n}`, digest: `sha256:b${n}`, chainId: `sha256:c${n}`, compressedSize: bytes, uncompressedSize: bytes * 2, createdBy: null, instruction: null, shadowedBytes: 0, whiteouts: 0, hiddenBytes: 0 };
}

/** Measured images by name, each its layers' compressed sizes from the bottom (base layers first). */
function measured(images: Record<string, number[]>): MeasuredSet {
  return {
    source: 'test',
    images: Object.entries(images).map(([name, sizes]) => {
      const layers = sizes.map(layer);
      return { ref: `localhost/${name}:latest`, name, configDigest: `sha256:${name}`, layers, compressedSize: sizes.reduce((s, v) => s + v, 0), uncompressedSize: 0 };
    }),
    sharedLayers: new Map(),
    uniqueCompressedBytes: 0,
    totalCompressedBytes: 0,
  };
}

async function savingsOf(files: Record<string, string>, images: Record<string, number[]>): Promise<{ report: SavingsReport; unique: number; standalone: number }> {
  const dir = tree(files);
  const { results, graph } = await analyzeFiles(['.'], { cwd: dir });
  const est = estimateFamily(graph, { cwd: dir, findings: results, measured: measured(images), aptListsDir: null });
  const report = proposeSavings(graph, results, est, { cwd: dir });
  // The model the savings are measured on agrees with the estimate's own totals.
  const today = FamilyModel.fromEstimate(graph, est).measure();
  expect(today.uniqueBytes).toBe(est.totals.uniqueBytes);
  expect(today.standaloneBytes).toBe(est.totals.standaloneBytes);
  return { report, unique: est.totals.uniqueBytes, standalone: est.totals.standaloneBytes };
}

function only(report: SavingsReport, kind: Saving['kind']): Saving[] {
  return report.savings.filter((s) => s.kind === kind);
}

const MB = 1_000_000;
const APT = 'RUN apt-get update && apt-get install -y --no-install-recommends curl';

describe('savings arithmetic', () => {
  // base: one 1 MB COPY. a: the apt step (30 MB), then 0.1 MB. b: 0.2 MB, then the same apt step (30 MB).
  const family = {
    'base/Dockerfile': 'FROM scratch\nCOPY f /f\n',
    'base/f': 'x',
    'a/Dockerfile': `FROM base\n${APT}\nRUN echo a > /a\n`,
    'b/Dockerfile': `FROM base\nRUN echo b > /b\n${APT}\n`,
  };
  const sizes = { base: [1 * MB], a: [1 * MB, 30 * MB, 0.1 * MB], b: [1 * MB, 0.2 * MB, 30 * MB] };

  it('today: every image alone, and each distinct layer once', async () => {
    const { unique, standalone } = await savingsOf(family, sizes);
    expect(unique).toBe(1 * MB + 30 * MB + 0.1 * MB + 0.2 * MB + 30 * MB);
    expect(standalone).toBe(1 * MB + 31.1 * MB + 31.2 * MB);
  });

  it('hoisting the step both children run saves one copy, and costs the parent the layer', async () => {
    const { report } = await savingsOf(family, sizes);
    const [hoist] = only(report, 'hoist');
    expect(hoist).toMatchObject({ rule: 'hoist-common-steps', images: ['a', 'b'], bytesSaved: 30 * MB, standaloneBytesSaved: -30 * MB, provenance: expect.objectContaining({ measured: 1 }) });
    expect(hoist?.title).toBe('Hoist the step a and b each run into base');
    expect(hoist?.steps.map((s) => `${s.image}:${s.line}`)).toEqual(['a:2', 'b:3']);
  });

  it('deleting the apt lists in the same RUN saves the lists once per distinct layer', async () => {
    const { report } = await savingsOf(family, sizes);
    const cleanups = only(report, 'cleanup').filter((s) => s.rule === 'clean-apt-cache');
    const lists = (H.CACHE['clean-apt-cache'] as H.Figure).bytes;
    expect(cleanups.map((c) => c.bytesSaved)).toEqual([lists, lists]);
    expect(cleanups.map((c) => c.standaloneBytesSaved)).toEqual([lists, lists]);
    // The figure is a rule of thumb even where the layer it comes out of was measured.
    expect(cleanups[0]?.provenance).toMatchObject({ heuristic: 1, measured: 0 });
    expect(cleanups[0]?.confidence).toBe('low');
  });

  it('all changes together: measured on the changed model, not summed', async () => {
    const { report, unique } = await savingsOf(family, sizes);
    const lists = (H.CACHE['clean-apt-cache'] as H.Figure).bytes;
    // The hoisted step, without its lists, is one layer in base: 1 + (30 - lists) + 0.1 + 0.2 MB.
    expect(report.combined.uniqueBytesAfter).toBe(1 * MB + (30 * MB - lists) + 0.1 * MB + 0.2 * MB);
    expect(report.combined.bytesSaved).toBe(unique - report.combined.uniqueBytesAfter);
    const summed = report.savings.reduce((s, c) => s + c.bytesSaved, 0);
    expect(report.combined.bytesSaved).toBeLessThan(summed);
  });

  it('one canonical order for siblings that run the same steps in another order', async () => {
    const { report, unique } = await savingsOf(
      {
        'base/Dockerfile': 'FROM scratch\nCOPY f /f\n',
        'base/f': 'x',
        'worker/Dockerfile': 'FROM base\nRUN echo one > /one\nRUN echo two > /two\nCOPY w /w\n',
        'worker/w': 'w',
        'scheduler/Dockerfile': 'FROM base\nRUN echo two > /two\nRUN echo one > /one\nCOPY s /s\n',
        'scheduler/s': 's',
      },
      { base: [1 * MB], worker: [1 * MB, 7 * MB, 3 * MB, 100], scheduler: [1 * MB, 3 * MB, 7 * MB, 200] },
    );
    expect(unique).toBe(1 * MB + 2 * (7 * MB + 3 * MB) + 300);
    const [reorder] = only(report, 'reorder');
    // In one order, the two RUNs are one chain: the second copy of each (10 MB) goes.
    expect(reorder).toMatchObject({ bytesSaved: 10 * MB, standaloneBytesSaved: 0, images: ['scheduler', 'worker'] });
  });

  it('a smaller variant of the base saves the difference of the table figures, once per base', async () => {
    const dir = tree({ 'report/Dockerfile': 'FROM python:3.12-bookworm\nCOPY r /r\n', 'report/r': 'r', 'other/Dockerfile': 'FROM python:3.12-bookworm\nCOPY o /o\n', 'other/o': 'o' });
    const { results, graph } = await analyzeFiles(['.'], { cwd: dir });
    const est = estimateFamily(graph, { cwd: dir, findings: results, aptListsDir: null });
    const report = proposeSavings(graph, results, est, { cwd: dir });
    const [smaller] = only(report, 'smaller-base');
    expect(smaller).toMatchObject({ images: ['other', 'report'], bytesSaved: 345 * MB, standaloneBytesSaved: 2 * 345 * MB, provenance: expect.objectContaining({ table: 1 }) });
    expect(smaller?.title).toBe('Build other and report on python:3.12-slim-bookworm instead of python:3.12-bookworm');
    // A configured figure replaces the table's.
    const configured = proposeSavings(graph, results, estimateFamily(graph, { cwd: dir, findings: results, aptListsDir: null, baseSizes: { 'python:full': 500 * MB } }), { cwd: dir, baseSizes: { 'python:slim': 50 * MB } });
    expect(only(configured, 'smaller-base')[0]?.bytesSaved).toBe(450 * MB);
  });

  it('a step repeated from an ancestor saves its layer; a later deletion of a cache counts once', async () => {
    const { report } = await savingsOf(
      {
        'base/Dockerfile': 'FROM scratch\nCOPY f /f\nRUN make install\n',
        'base/f': 'x',
        'child/Dockerfile': 'FROM base\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN rm -rf /var/lib/apt/lists/*\nRUN make install\n',
      },
      { base: [1 * MB, 5 * MB], child: [1 * MB, 5 * MB, 40 * MB, 100, 5 * MB] },
    );
    expect(only(report, 'drop-repeat')[0]).toMatchObject({ images: ['child'], bytesSaved: 5 * MB });
    // clean-apt-cache and delete-in-later-layer both name the lists of line 2: one saving.
    const lists = report.savings.filter((s) => s.steps.some((st) => st.image === 'child' && st.line === 2) && s.kind === 'cleanup');
    expect(lists).toHaveLength(1);
  });
});
