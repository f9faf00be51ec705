// `--cache`: a cached run reports exactly what an uncached run reports, whatever changed in between:
// a Dockerfile, a config, a file a COPY copies. A broken or unwritable cache never fails a run.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { lintFiles } from '../src/load/lint-files.js';
import { LintCache } from '../src/load/lint-cache.js';
import type { LintResult } from '../src/linter/diagnostic.js';
import { main } from '../src/cli/main.js';
import { tempTrees } from './temp-tree.js';

const tree = tempTrees('layerlint-cache-');

const BASE = 'FROM debian:12-slim\nCOPY app.conf /etc/app.conf\nRUN apt-get update && apt-get install -y curl\n';
const CHILD = 'FROM acme/base:1.0\nCOPY app.conf /etc/app.conf\nRUN echo child\n';

const findings = (results: readonly LintResult[]): string[] =>
  results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line}:${m.column} ${m.ruleId ?? 'fatal'} ${m.severity}`)).sort();

/** Lints with the cache, and without it, and expects the same findings; returns them. */
async function both(dir: string, paths: string[] = ['.']): Promise<string[]> {
  const cached = await lintFiles(paths, { cwd: dir, cache: true });
  const fresh = await lintFiles(paths, { cwd: dir });
  expect(findings(cached)).toEqual(findings(fresh));
  expect(cached.map((r) => r.source)).toEqual(fresh.map((r) => r.source));
  return findings(cached);
}

describe('lint cache', () => {
  it('writes .layerlintcache and reuses it for the same results', async () => {
    const dir = await tree({ 'base/Dockerfile': BASE, 'base/app.conf': 'x=1\n', 'child/Dockerfile': CHILD, 'child/app.conf': 'x=1\n' });
    const first = await both(dir);
    expect(first).toContain('child/Dockerfile:2:1 repeated-ancestor-step warning');
    expect(first).toContain('base/Dockerfile:3:23 clean-apt-cache info');
    expect(existsSync(path.join(dir, '.layerlintcache'))).toBe(true);
    const stored = readFileSync(path.join(dir, '.layerlintcache'), 'utf8');
    expect(await both(dir)).toEqual(first);
    // A run that reuses everything has nothing new to write.
    expect(readFileSync(path.join(dir, '.layerlintcache'), 'utf8')).toBe(stored);
  });

  it('sees an edited Dockerfile, and reuses the file checks of the others', async () => {
    const dir = await tree({ 'base/Dockerfile': BASE, 'base/app.conf': 'x=1\n', 'child/Dockerfile': CHILD, 'child/app.conf': 'x=1\n' });
    await both(dir);
    writeFileSync(path.join(dir, 'base/Dockerfile'), BASE.replace('curl', 'curl && rm -rf /var/lib/apt/lists/*'));
    const lookups = vi.spyOn(LintCache.prototype, 'fileCheck');
    try {
      await lintFiles(['.'], { cwd: dir, cache: true });
      // The child's own check came from the cache; the edited base was checked again.
      expect(lookups.mock.results.map((r) => r.value !== undefined)).toEqual([false, true]);
    } finally {
      lookups.mockRestore();
    }
    const after = await both(dir);
    expect(after).not.toContain('base/Dockerfile:3:23 clean-apt-cache info');
    expect(after).toContain('child/Dockerfile:2:1 repeated-ancestor-step warning');
  });

  it('sees a changed file in a build context: COPY keys hash the bytes', async () => {
    const dir = await tree({ 'base/Dockerfile': BASE, 'base/app.conf': 'x=1\n', 'child/Dockerfile': CHILD, 'child/app.conf': 'x=1\n' });
    expect(await both(dir)).toContain('child/Dockerfile:2:1 repeated-ancestor-step warning');
    writeFileSync(path.join(dir, 'child/app.conf'), 'x=22\n');
    expect(await both(dir)).not.toContain('child/Dockerfile:2:1 repeated-ancestor-step warning');
    writeFileSync(path.join(dir, 'child/app.conf'), 'x=1\n');
    expect(await both(dir)).toContain('child/Dockerfile:2:1 repeated-ancestor-step warning');
  });

  it('sees a new file in a build context', async () => {
    const copy = 'COPY conf/ /srv/conf/\n';
    const dir = await tree({ 'base/Dockerfile': `FROM debian:12-slim\n${copy}`, 'child/Dockerfile': `FROM acme/base:1.0\n${copy}`, 'base/conf/a': 'a', 'child/conf/a': 'a' });
    expect(await both(dir)).toContain('child/Dockerfile:2:1 repeated-ancestor-step warning');
    writeFileSync(path.join(dir, 'child/conf/b'), 'b');
    expect(await both(dir)).not.toContain('child/Dockerfile:2:1 repeated-ancestor-step warning');
  });

  it('does not count its own cache file as part of a build context', async () => {
    const dir = await tree({ Dockerfile: 'FROM debian:12-slim\nCOPY . /srv/\n', 'child/Dockerfile': 'FROM acme/base:1.0\nRUN echo hi\n', 'a.txt': 'a' });
    const first = await both(dir);
    const spy = vi.spyOn(LintCache.prototype, 'storeRun');
    try {
      await lintFiles(['.'], { cwd: dir, cache: true });
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    expect(await both(dir)).toEqual(first);
  });

  it('sees a changed config file', async () => {
    const dir = await tree({ 'base/Dockerfile': BASE, 'base/app.conf': 'x=1\n', 'child/Dockerfile': CHILD, 'child/app.conf': 'x=1\n' });
    expect(await both(dir)).toContain('base/Dockerfile:3:23 clean-apt-cache info');
    writeFileSync(path.join(dir, '.layerlint.yaml'), 'rules:\n  clean-apt-cache: error\n');
    expect(await both(dir)).toContain('base/Dockerfile:3:23 clean-apt-cache error');
    writeFileSync(path.join(dir, '.layerlint.yaml'), 'rules:\n  clean-apt-cache: off\n');
    expect((await both(dir)).some((f) => f.includes('clean-apt-cache'))).toBe(false);
  });

  it('keys on the options: another rule setting is another run', async () => {
    const dir = await tree({ 'base/Dockerfile': BASE, 'base/app.conf': 'x=1\n' });
    await lintFiles(['.'], { cwd: dir, cache: true });
    const off = await lintFiles(['.'], { cwd: dir, cache: true, rules: { 'clean-apt-cache': { severity: 'off' } } });
    expect(findings(off).some((f) => f.includes('clean-apt-cache'))).toBe(false);
  });

  it('ignores a corrupt cache and replaces it', async () => {
    const dir = await tree({ 'base/Dockerfile': BASE, 'base/app.conf': 'x=1\n', '.layerlintcache': '{"format":1,"code":\n\u0000garbage' });
    const first = await both(dir);
    expect(first).toContain('base/Dockerfile:3:23 clean-apt-cache info');
    expect(readFileSync(path.join(dir, '.layerlintcache'), 'utf8').startsWith('{"format":1')).toBe(true);
    writeFileSync(path.join(dir, '.layerlintcache'), `${readFileSync(path.join(dir, '.layerlintcache'), 'utf8').split('\n')[0]}\n[{"filePath":1}\n{}\n`);
    expect(await both(dir)).toEqual(first);
  });

  it('lints as usual when the cache cannot be written', async () => {
    const dir = await tree({ 'base/Dockerfile': BASE, 'base/app.conf': 'x=1\n' });
    mkdirSync(path.join(dir, 'cache-is-a-dir'));
    const results = await lintFiles(['.'], { cwd: dir, cache: true, cacheLocation: 'cache-is-a-dir' });
    expect(findings(results)).toContain('base/Dockerfile:3:23 clean-apt-cache info');
  });

  it('is not used when fixing', async () => {
    const dir = await tree({ 'base/Dockerfile': BASE, 'base/app.conf': 'x=1\n' });
    const results = await lintFiles(['.'], { cwd: dir, cache: true, fix: true });
    expect(results[0]?.output).toContain('rm -rf /var/lib/apt/lists/*');
    expect(existsSync(path.join(dir, '.layerlintcache'))).toBe(false);
  });
});

describe('layerlint --cache', () => {
  const run = async (cwd: string, args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd, env: {}, isTTY: false });
    return { code, stdout, stderr };
  };

  it('gives the same report and exit code twice, and --cache-location chooses the file', async () => {
    const dir = await tree({ 'base/Dockerfile': BASE, 'base/app.conf': 'x=1\n' });
    const first = await run(dir, ['--cache-location', 'out/lint.cache', '--format', 'json', '.']);
    expect(first.code).toBe(0);
    expect(existsSync(path.join(dir, 'out/lint.cache'))).toBe(false);
    mkdirSync(path.join(dir, 'out'));
    const second = await run(dir, ['--cache-location', 'out/lint.cache', '--format', 'json', '.']);
    const third = await run(dir, ['--cache', '--cache-location', 'out/lint.cache', '--format', 'json', '.']);
    expect(existsSync(path.join(dir, 'out/lint.cache'))).toBe(true);
    expect(second.stdout).toBe(first.stdout);
    expect(third.stdout).toBe(first.stdout);
    expect(third.code).toBe(0);
    expect(JSON.parse(third.stdout)[0].messages.map((m: { ruleId: string }) => m.ruleId)).toContain('clean-apt-cache');
    expect(existsSync(path.join(dir, '.layerlintcache'))).toBe(false);
  });

  it('rejects an empty --cache-location', async () => {
    const dir = await tree({ 'base/Dockerfile': BASE });
    const r = await run(dir, ['--cache-location=', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--cache-location needs a file name');
  });
});
