// A small run whose scripts the simple reader handles never loads the shell grammar (a third of a
// one-file run's time); a script that needs it loads it, and the run is redone with it.
import { describe, expect, it } from 'vitest';
import { lintFiles } from '../src/load/lint-files.js';
import { isShellParserReady } from '../src/model/shell-parser.js';
import { tempTrees } from './temp-tree.js';

const tree = tempTrees('layerlint-lazy-');

describe('the shell grammar loads when a script needs it', () => {
  it('not for simple scripts, then for an if, with the same findings as an eager run', async () => {
    const simple = await tree({ Dockerfile: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN echo a\n' });
    const first = await lintFiles(['.'], { cwd: simple });
    expect(isShellParserReady()).toBe(false);
    expect(first[0]?.messages.map((m) => m.ruleId).sort()).toEqual(['apt-no-install-recommends', 'clean-apt-cache', 'merge-consecutive-runs', 'prefer-minimal-base']);

    const complex = await tree({ Dockerfile: 'FROM debian:12\nRUN if true; then apt-get update && apt-get install -y curl; fi\n' });
    const second = await lintFiles(['.'], { cwd: complex, fix: true });
    expect(isShellParserReady()).toBe(true);
    // The cleanup fix, which reads where the script's last statement ends, was applied.
    expect(second[0]?.output).toContain('fi && rm -rf /var/lib/apt/lists/*');
    expect(second[0]?.messages.map((m) => m.ruleId).sort()).toEqual(['apt-no-install-recommends', 'prefer-minimal-base']);
    // The same files again, the grammar loaded from the start: the same findings.
    expect((await lintFiles(['.'], { cwd: simple }))[0]?.messages).toEqual(first[0]?.messages);
  });
});
