import { beforeAll, describe, expect, it } from 'vitest';
import { initShellParser } from '../src/model/shell-parser.js';
import { lintSourceSync, type LintSettings } from '../src/linter/lint-source.js';
import { SourceText } from '../src/source/source-text.js';
import mergeRuns from '../rules/merge-consecutive-runs.js';

beforeAll(async () => {
  await initShellParser();
});

const settings = (reportUnusedDirectives: LintSettings['reportUnusedDirectives'] = 'off'): LintSettings => ({ rules: {}, reportUnusedDirectives });
const lint = (code: string, s = settings()): string[] =>
  lintSourceSync(new SourceText('Dockerfile', code), [mergeRuns], s).diagnostics.map((d) => `${d.line} ${d.ruleId ?? '-'} ${d.message}`);

const three = 'RUN echo a\nRUN echo b\nRUN echo c\n';

describe('inline directives', () => {
  it('without directives, both findings', () => {
    expect(lint(`FROM a:1\n${three}`).map((l) => l.slice(0, 2))).toEqual(['3 ', '4 ']);
  });

  it('disable-next-line covers the whole next instruction, with a reason', () => {
    const code = 'FROM a:1\nRUN echo a\n# layerlint-disable-next-line merge-consecutive-runs -- kept apart for the cache\nRUN echo b \\\n  && echo c\nRUN echo d\n';
    expect(lint(code).map((l) => l.slice(0, 2))).toEqual(['6 ']);
  });

  it('disable-next-line with no ids covers every rule', () => {
    expect(lint(`FROM a:1\nRUN echo a\n# layerlint-disable-next-line\nRUN echo b\n`)).toEqual([]);
  });

  it('disable / enable blocks', () => {
    const code = 'FROM a:1\nRUN echo a\n# layerlint-disable merge-consecutive-runs\nRUN echo b\nRUN echo c\n# layerlint-enable merge-consecutive-runs\nRUN echo d\n';
    expect(lint(code).map((l) => l.split(' ')[0])).toEqual(['7']);
  });

  it('disable-file', () => {
    expect(lint(`# layerlint-disable-file merge-consecutive-runs\nFROM a:1\n${three}`)).toEqual([]);
  });

  it("hadolint's ignore pragma works for the code a rule mirrors", () => {
    expect(lint(`FROM a:1\nRUN echo a\n# hadolint ignore=DL3059,SC2086\nRUN echo b\n`)).toEqual([]);
    expect(lint(`# hadolint global ignore=DL3059\nFROM a:1\n${three}`)).toEqual([]);
    expect(lint(`FROM a:1\nRUN echo a\n# hadolint ignore=DL3008\nRUN echo b\n`).length).toBe(1);
  });

  it('an unknown rule in a directive is reported', () => {
    expect(lint('FROM a:1\n# layerlint-disable-next-line no-such-rule\nRUN echo a\n')).toEqual([
      '2 - unknown rule "no-such-rule" in layerlint-disable-next-line directive',
    ]);
  });

  it('unused directives are reported when asked', () => {
    const code = 'FROM a:1\n# layerlint-disable-next-line merge-consecutive-runs\nRUN echo a\n# hadolint ignore=DL3059\nWORKDIR /x\n';
    expect(lint(code)).toEqual([]);
    expect(lint(code, settings('warning'))).toEqual([
      '2 - unused layerlint-disable-next-line directive: nothing was reported here for merge-consecutive-runs',
      '4 - unused hadolint ignore directive: nothing was reported here for merge-consecutive-runs',
    ]);
  });
});
