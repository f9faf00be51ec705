// Reported paths: relative to the working directory with `/` separators, as path.relative gives them,
// whether or not the file lies plainly below the directory (the common case, answered by cutting).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { relativePath } from '../src/load/lint-files.js';

const slow = (cwd: string, file: string): string => path.relative(cwd, file).split(path.sep).join('/') || '.';

describe('relativePath', () => {
  it('cuts the working directory off the files below it', () => {
    expect(relativePath('/work/repo', '/work/repo/images/api/Dockerfile')).toBe('images/api/Dockerfile');
  });

  it('answers as path.relative for every other shape', () => {
    for (const [cwd, file] of [
      ['/work/repo', '/work/repo'],
      ['/work/repo', '/work/repository/Dockerfile'],
      ['/work/repo', '/work/other/Dockerfile'],
      ['/work/repo', '/work/repo/./a/Dockerfile'],
      ['/work/repo', '/work/repo/a/../b/Dockerfile'],
      ['/work/repo', '/work/repo//a/Dockerfile'],
      ['/work/repo', '/work/repo/.github/Dockerfile'],
      ['/', '/srv/Dockerfile'],
    ] as const) {
      expect(relativePath(cwd, file), `${cwd} ${file}`).toBe(slow(cwd, file));
    }
  });

  it('agrees with path.relative on arbitrary paths', () => {
    const segment = fc.constantFrom('a', 'b', '.', '..', '.hidden', '', 'Dockerfile', 'repo');
    const absolute = fc.array(segment, { maxLength: 6 }).map((parts) => `/${parts.join('/')}`);
    fc.assert(
      fc.property(absolute, absolute, (cwdRaw, file) => {
        const cwd = path.resolve(cwdRaw);
        expect(relativePath(cwd, file)).toBe(slow(cwd, file));
      }),
      { numRuns: 2000 },
    );
  });
});
