// A large run analyses the family in a worker thread while the main thread checks each file: the
// results must be exactly those of one thread. Workers run built code, so this test uses dist/ (the
// test script builds it first) and is skipped with a message when it is missing.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LintFilesOptions } from '../src/load/lint-files.js';
import type { LintResult } from '../src/linter/diagnostic.js';
import { corpusDir, hasCorpus } from './shared-data.js';
import { tempTrees } from './temp-tree.js';

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'dist', 'src', 'load', 'lint-files.js');
const hasBuild = existsSync(built) && existsSync(path.join(root, 'dist', 'src', 'load', 'family-worker.js'));
const tree = tempTrees('layerlint-parallel-');

type LintFiles = (paths: string[], options?: LintFilesOptions) => Promise<LintResult[]>;
const load = async (): Promise<{ lintFiles: LintFiles; familyWorkerScript: () => URL | null }> => ({
  ...((await import(built)) as { lintFiles: LintFiles }),
  ...((await import(path.join(root, 'dist', 'src', 'load', 'parallel-family.js'))) as { familyWorkerScript: () => URL | null }),
});

const strip = (results: LintResult[]) => results.map(({ source: _s, ...r }) => r);

describe.skipIf(!hasBuild)('family analysis in a worker thread', () => {
  it('finds the worker script of the build', async () => {
    const { familyWorkerScript } = await load();
    expect(familyWorkerScript()?.pathname).toMatch(/family-worker\.m?js$/);
  });

  it('runs the family rules in the worker and hands back their findings', async () => {
    const { familyInWorker } = (await import(path.join(root, 'dist', 'src', 'load', 'parallel-family.js'))) as typeof import('../src/load/parallel-family.js');
    const { SourceText } = (await import(path.join(root, 'dist', 'src', 'source', 'source-text.js'))) as typeof import('../src/source/source-text.js');
    const dir = await tree({ 'base/Dockerfile': 'FROM debian:12\nRUN echo one\n', 'child/Dockerfile': 'FROM acme/base:1\nRUN echo one\n' });
    const files = ['base', 'child'].map((name) => {
      const file = path.join(dir, name, 'Dockerfile');
      const text = name === 'base' ? 'FROM debian:12\nRUN echo one\n' : 'FROM acme/base:1\nRUN echo one\n';
      return { file, filePath: `${name}/Dockerfile`, source: new SourceText(`${name}/Dockerfile`, text), settings: { rules: {}, reportUnusedDirectives: 'off' as const } };
    });
    const family = await familyInWorker(files, { cwd: dir, familySettings: { rules: {}, reportUnusedDirectives: 'off' }, sections: {} }, true);
    const child = family.findings.get(path.join(dir, 'child', 'Dockerfile')) ?? [];
    expect(child.map((d) => d.ruleId)).toEqual(['repeated-ancestor-step']);
    expect(child[0]?.related?.[0]?.filePath).toBe('base/Dockerfile');
  });

  it('reports exactly what one thread reports on the fixture family', async () => {
    const { lintFiles } = await load();
    const cwd = path.join(root, 'fixtures');
    const one = await lintFiles(['family'], { cwd, parallel: false });
    const two = await lintFiles(['family'], { cwd, parallel: true });
    expect(one.flatMap((r) => r.messages).some((m) => m.ruleId === 'reorder-sibling-steps')).toBe(true);
    expect(strip(two)).toEqual(strip(one));
  });

  it('keeps the cache working: the second parallel run reuses the first', async () => {
    const { lintFiles } = await load();
    const dir = await tree({ 'base/Dockerfile': 'FROM debian:12\nCOPY a /a\n', 'base/a': 'x', 'child/Dockerfile': 'FROM acme/base:1\nCOPY a /a\n', 'child/a': 'x' });
    const first = await lintFiles(['.'], { cwd: dir, parallel: true, cache: true });
    expect(first.flatMap((r) => r.messages.map((m) => m.ruleId))).toContain('repeated-ancestor-step');
    const second = await lintFiles(['.'], { cwd: dir, parallel: true, cache: true });
    expect(strip(second)).toEqual(strip(first));
  });

  it.skipIf(!hasCorpus)('reports exactly what one thread reports on the shared corpus', async () => {
    const { lintFiles } = await load();
    const one = await lintFiles(['.'], { cwd: corpusDir, parallel: false });
    const two = await lintFiles(['.'], { cwd: corpusDir, parallel: true });
    expect(strip(two)).toEqual(strip(one));
  }, 120_000);
});

describe.skipIf(hasBuild)('family analysis in a worker thread (no build)', () => {
  it('is skipped', () => {
    console.log('skipped: dist/ is not built (npm test builds it before running the tests)');
    expect(hasBuild).toBe(false);
  });
});
