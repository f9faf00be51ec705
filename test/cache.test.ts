// `--cache`: a cached run reports exactly what an uncached run reports, whatever changed in between:
// a Dockerfile, a config, a file a COPY copies. A broken or unwritable cache never fails a run.
import { existsSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { lintFiles } from '../src/load/lint-files.js';
import { LintCache } from '../src/load/lint-cache.js';
import { FileReads, type FileStamp } from '../src/load/file-reads.js';
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
    const dir = await tree({ 'base/Dockerfile': BASE, 'base/app.conf': 'x=1\n', '.layerlintcache': '{"format":2,"code":\n\u0000garbage' });
    const first = await both(dir);
    expect(first).toContain('base/Dockerfile:3:23 clean-apt-cache info');
    const cacheFile = path.join(dir, '.layerlintcache');
    expect(readFileSync(cacheFile, 'utf8').startsWith('{"format":2')).toBe(true);
    // A sound header over sections that are not what it says they are: the stored run is no answer.
    const header = readFileSync(cacheFile, 'utf8').split('\n')[0];
    writeFileSync(cacheFile, `${header}\n${'x'.repeat(40)}`);
    expect(await both(dir)).toEqual(first);
    // ... and the run linted after all is kept in its place: the next run reuses it.
    const stores = vi.spyOn(LintCache.prototype, 'storeRun');
    try {
      expect(findings(await lintFiles(['.'], { cwd: dir, cache: true }))).toEqual(first);
      expect(stores).not.toHaveBeenCalled();
    } finally {
      stores.mockRestore();
    }
    writeFileSync(cacheFile, `${header}\n`);
    expect(await both(dir)).toEqual(first);
  });

  it('tells an edit that keeps the size and the modification time', async () => {
    const dir = await tree({ 'base/Dockerfile': BASE, 'base/app.conf': 'x=1\n' });
    const file = path.join(dir, 'base/Dockerfile');
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    // As if this run started long after the file's last change, so that its stamp is trusted.
    const later = Date.now() + 60_000;
    const clock = vi.spyOn(Date, 'now').mockReturnValue(later);
    try {
      expect(await both(dir)).toContain('base/Dockerfile:3:23 clean-apt-cache info');
    } finally {
      clock.mockRestore();
    }
    // Same length, same mtime: only the change time (and the bytes) tell.
    const install = 'apt-get update && apt-get install -y curl';
    writeFileSync(file, BASE.replace(install, 'echo hello'.padEnd(install.length, '!')));
    utimesSync(file, old, old);
    const after = await lintFiles(['.'], { cwd: dir, cache: true });
    expect(findings(after)).not.toContain('base/Dockerfile:3:23 clean-apt-cache info');
    expect(findings(after)).toEqual(findings(await lintFiles(['.'], { cwd: dir })));
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

describe('file stamps', () => {
  it('keeps the hash of a file whose stamp is trusted and unchanged, unread', async () => {
    const dir = await tree({ Dockerfile: BASE });
    const file = path.join(dir, 'Dockerfile');
    const first = new FileReads({}, Date.now() + 60_000);
    const hash = first.identity(file);
    const stamp = first.stamps[file];
    expect(stamp?.[5]).toBe(1);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    // The recorded hash comes back as recorded: the file was not read again.
    const trusted = new FileReads({ [file]: [...(stamp as FileStamp).slice(0, 4), 'recorded', 1] as FileStamp });
    expect(trusted.identity(file)).toBe('recorded');
    expect(trusted.load(file, 'Dockerfile')).toMatchObject({ ok: true, source: { text: BASE } });
    // An untrusted (racy) stamp is read and hashed again.
    const racy = new FileReads({ [file]: [...(stamp as FileStamp).slice(0, 4), 'recorded', 0] as FileStamp });
    expect(racy.identity(file)).toBe(hash);
  });

  it('rewrites a hit for stamps that became trusted only when their files are a fair part of the cache', async () => {
    const stampOf = (dir: string): FileStamp | undefined => {
      const header = JSON.parse(readFileSync(path.join(dir, '.layerlintcache'), 'utf8').split('\n')[0] ?? '') as { stamps: Record<string, FileStamp> };
      return header.stamps[path.join(dir, 'Dockerfile')];
    };
    const later = async (dir: string): Promise<void> => {
      const clock = vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 60_000);
      try {
        await lintFiles(['.'], { cwd: dir, cache: true });
      } finally {
        clock.mockRestore();
      }
    };
    // A small file: reading it again at each run costs less than rewriting the cache.
    const small = await tree({ Dockerfile: BASE });
    await lintFiles(['.'], { cwd: small, cache: true });
    expect(stampOf(small)?.[5]).toBe(0);
    const stored = readFileSync(path.join(small, '.layerlintcache'), 'utf8');
    await later(small);
    expect(readFileSync(path.join(small, '.layerlintcache'), 'utf8')).toBe(stored);
    // A large one (long comments, few findings): its stamp is now kept as trusted.
    const large = await tree({ Dockerfile: `${'# notes\n'.repeat(20_000)}${BASE}` });
    await lintFiles(['.'], { cwd: large, cache: true });
    expect(stampOf(large)?.[5]).toBe(0);
    await later(large);
    expect(stampOf(large)?.[5]).toBe(1);
    expect(findings(await lintFiles(['.'], { cwd: large, cache: true }))).toEqual(findings(await lintFiles(['.'], { cwd: large })));
  });

  it('stamps a Dockerfile reached through a symbolic link by the file it names', async () => {
    const dir = await tree({ 'real.Dockerfile': BASE });
    const link = path.join(dir, 'Dockerfile');
    symlinkSync(path.join(dir, 'real.Dockerfile'), link);
    const first = new FileReads({}, Date.now() + 60_000);
    first.identity(link);
    const stamp = first.stamps[link] as FileStamp;
    expect(stamp[0]).toBe(BASE.length);
    const trusted = new FileReads({ [link]: [...stamp.slice(0, 4), 'recorded', 1] as FileStamp });
    expect(trusted.identity(link)).toBe('recorded');
  });

  it('does not trust a file changed shortly before the run that read it', async () => {
    const dir = await tree({ Dockerfile: BASE });
    const reads = new FileReads({});
    reads.identity(path.join(dir, 'Dockerfile'));
    expect(reads.stamps[path.join(dir, 'Dockerfile')]?.[5]).toBe(0);
  });

  it('names the reason a file cannot be read in its identity', async () => {
    const dir = await tree({ Dockerfile: BASE });
    const reads = new FileReads({});
    expect(reads.identity(path.join(dir, 'missing'))).toBe('\0cannot read file: no such file or directory');
    expect(reads.load(path.join(dir, 'missing'), 'missing')).toEqual({ ok: false, problem: { message: 'cannot read file: no such file or directory' } });
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

  it('writes the report it kept for an unchanged run, and reads the results back for another', async () => {
    const dir = await tree({ 'base/Dockerfile': BASE, 'base/app.conf': 'x=1\n' });
    const reads: string[] = [];
    const runFor = LintCache.prototype.runFor;
    const spy = vi.spyOn(LintCache.prototype, 'runFor').mockImplementation(function (this: LintCache, ...args: Parameters<LintCache['runFor']>) {
      const stored = runFor.apply(this, args);
      if (stored === null) return null;
      return { ...stored, results: () => (reads.push('results'), stored.results()) };
    });
    try {
      for (const args of [['--format', 'json'], [], ['--quiet'], ['--rule', 'clean-apt-cache:error']]) {
        const uncached = await run(dir, [...args, '.']);
        const first = await run(dir, ['--cache', ...args, '.']);
        reads.length = 0;
        const again = await run(dir, ['--cache', ...args, '.']);
        expect(reads).toEqual([]);
        for (const r of [first, again]) expect(r).toEqual(uncached);
      }
      // The same inputs in a format not yet kept: the results are read back, the report kept.
      await run(dir, ['--cache', '.']);
      reads.length = 0;
      const sarif = await run(dir, ['--cache', '--format', 'sarif', '.']);
      expect(reads).toEqual(['results']);
      expect(sarif).toEqual(await run(dir, ['--format', 'sarif', '.']));
      reads.length = 0;
      expect(await run(dir, ['--cache', '--format', 'sarif', '.'])).toEqual(sarif);
      expect(reads).toEqual([]);
    } finally {
      spy.mockRestore();
    }
    expect((await run(dir, ['--rule', 'clean-apt-cache:error', '.'])).code).toBe(1);
  });

  it('rejects an empty --cache-location', async () => {
    const dir = await tree({ 'base/Dockerfile': BASE });
    const r = await run(dir, ['--cache-location=', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--cache-location needs a file name');
  });
});
