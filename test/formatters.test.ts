// The formatters are plain functions of results: these tests build results by hand (no rule runs)
// and show exactly what a reader sees.
import { describe, expect, it } from 'vitest';
import { summarize, type Diagnostic, type LintResult } from '../src/linter/diagnostic.js';
import { formatters, type FormatterContext } from '../src/report/index.js';
import { json } from '../src/report/json.js';
import { stylish } from '../src/report/stylish.js';
import { SourceText } from '../src/source/source-text.js';

const context: FormatterContext = { cwd: '/repo', color: false, rulesMeta: {} };
const ESC = '\u001b[';

function diag(source: SourceText, start: number, end: number, extra: Partial<Diagnostic> & Pick<Diagnostic, 'severity' | 'message'>): Diagnostic {
  return { ruleId: 'some-rule', range: { start, end }, ...source.location({ start, end }), ...extra };
}

function resultFor(filePath: string, text: string, make: (s: SourceText) => Diagnostic[]): LintResult {
  const source = new SourceText(filePath, text);
  return summarize(filePath, make(source), source.text);
}

const TEXT = 'FROM alpine:3.20\nRUN apk add curl\nRUN rm -rf /var/cache/apk/*\nCMD ["sh"]\n';
const RUN2 = TEXT.indexOf('RUN rm');

describe('formatters record', () => {
  it('has every format by name', () => {
    expect(Object.keys(formatters).sort()).toEqual(['github', 'json', 'markdown', 'sarif', 'stylish']);
    expect(formatters.stylish).toBe(stylish);
    expect(formatters.json).toBe(json);
  });
});

describe('stylish', () => {
  it('prints nothing when there are no problems', () => {
    expect(stylish([summarize('Dockerfile', [], TEXT)], context)).toBe('');
    expect(stylish([], context)).toBe('');
  });

  it('prints a header, aligned findings with code frames, and a summary', () => {
    const result = resultFor('images/base/Dockerfile', TEXT, (s) => [
      diag(s, RUN2, RUN2 + 3, { ruleId: 'merge-consecutive-runs', severity: 'info', message: 'RUN follows another RUN on line 2' }),
      diag(s, 5, 16, { ruleId: 'pin-base-image-tag', severity: 'warning', message: 'pin the base image by digest', fix: { edits: [{ range: { start: 16, end: 16 }, text: '@sha256:0' }] } }),
    ]);
    expect(stylish([result], context)).toBe(
      [
        'images/base/Dockerfile',
        '  1:6  warning  pin the base image by digest  pin-base-image-tag',
        '',
        '    > 1 | FROM alpine:3.20',
        '        |      ^^^^^^^^^^^',
        '      2 | RUN apk add curl',
        '',
        '  3:1  info     RUN follows another RUN on line 2  merge-consecutive-runs',
        '',
        '      2 | RUN apk add curl',
        '    > 3 | RUN rm -rf /var/cache/apk/*',
        '        | ^^^',
        '      4 | CMD ["sh"]',
        '',
        '✖ 2 problems (0 errors, 1 warning, 1 info)',
        '  1 fixable with the --fix option',
        '',
      ].join('\n'),
    );
  });

  it('skips files without problems and counts every file in the summary', () => {
    const a = resultFor('a/Dockerfile', TEXT, (s) => [diag(s, 0, 4, { severity: 'error', message: 'one' })]);
    const clean = summarize('b/Dockerfile', [], TEXT);
    const c = resultFor('c/Dockerfile', TEXT, (s) => [diag(s, 0, 4, { severity: 'error', message: 'two' }), diag(s, RUN2, RUN2 + 3, { severity: 'error', message: 'three' })]);
    const out = stylish([a, clean, c], context);
    expect(out).not.toContain('b/Dockerfile');
    expect(out).toContain('a/Dockerfile\n');
    expect(out).toContain('c/Dockerfile\n');
    expect(out).toContain('✖ 3 problems (3 errors, 0 warnings, 0 infos)');
    expect(out).not.toContain('fixable');
  });

  it('shows a fatal problem without a rule id and without a frame when there is no text', () => {
    const result = summarize('bin/Dockerfile', [
      { ruleId: null, severity: 'error', message: 'binary file: it holds NUL bytes, so it is not a Dockerfile', range: { start: 0, end: 0 }, line: 1, column: 1, endLine: 1, endColumn: 1, fatal: true },
    ]);
    expect(stylish([result], context)).toBe(
      ['bin/Dockerfile', '  1:1  error  binary file: it holds NUL bytes, so it is not a Dockerfile', '', '✖ 1 problem (1 error, 0 warnings, 0 infos)', ''].join('\n'),
    );
  });

  it('shows no frame for an empty file', () => {
    const result = resultFor('Dockerfile', '', (s) => [diag(s, 0, 0, { ruleId: null, severity: 'error', message: 'empty file: no instructions', fatal: true })]);
    expect(stylish([result], context)).toBe(['Dockerfile', '  1:1  error  empty file: no instructions', '', '✖ 1 problem (1 error, 0 warnings, 0 infos)', ''].join('\n'));
  });

  it('frames CRLF text by the same lines as LF text', () => {
    const crlf = TEXT.replace(/\n/g, '\r\n');
    const at = crlf.indexOf('RUN rm');
    const result = resultFor('Dockerfile', crlf, (s) => [diag(s, at, at + 3, { severity: 'warning', message: 'here' })]);
    const out = stylish([result], context);
    expect(out).not.toContain('\r');
    expect(out).toContain('    > 3 | RUN rm -rf /var/cache/apk/*\n        | ^^^\n');
  });

  it('keeps line numbers when a line holds a lone CR or U+2028', () => {
    const text = 'FROM a\nLABEL x="a\u2028b\rc"\nRUN b\n';
    const at = text.indexOf('RUN');
    const result = resultFor('Dockerfile', text, (s) => [diag(s, at, at + 3, { severity: 'warning', message: 'here' })]);
    expect(stylish([result], context)).toContain('    > 3 | RUN b\n');
  });

  it('frames only the first line of a long multi-line finding', () => {
    const text = 'FROM a\nRUN set -e; \\\n  a; \\\n  b; \\\n  c; \\\n  d; \\\n  e\nCMD x\n';
    const start = text.indexOf('RUN');
    const end = text.indexOf('\nCMD');
    const result = resultFor('Dockerfile', text, (s) => [diag(s, start, end, { severity: 'warning', message: 'long' })]);
    expect(stylish([result], context)).toContain(['      1 | FROM a', '    > 2 | RUN set -e; \\', '        | ^^^^^^^^^^^^^', '      3 |   a; \\', ''].join('\n'));
  });

  it('frames every line of a short multi-line finding', () => {
    const text = 'FROM a\nRUN a && \\\n    b\nCMD x\n';
    const start = text.indexOf('RUN');
    const end = text.indexOf('\nCMD');
    const result = resultFor('Dockerfile', text, (s) => [diag(s, start, end, { severity: 'warning', message: 'two lines' })]);
    const out = stylish([result], context);
    expect(out).toContain('    > 2 | RUN a && \\\n');
    expect(out).toContain('    > 3 |     b\n');
  });

  it('lists related locations and suggestions under their finding', () => {
    const result = resultFor('a/Dockerfile', TEXT, (s) => [
      diag(s, RUN2, RUN2 + 3, {
        severity: 'warning',
        message: 'cleanup in a later layer',
        related: [{ message: 'files created here', line: 2, column: 1, endLine: 2, endColumn: 4 }, { message: 'and here', filePath: 'b/Dockerfile', line: 5, column: 1, endLine: 5, endColumn: 4 }],
        suggestions: [{ message: 'merge into the RUN on line 2', fix: { edits: [] } }],
      }),
    ]);
    const out = stylish([result], context);
    expect(out).toContain('  3:1  warning  cleanup in a later layer  some-rule\n      related 2:1  files created here\n      related b/Dockerfile:5:1  and here\n      suggestion merge into the RUN on line 2\n');
  });

  it('shows an absolute file path relative to the cwd', () => {
    const result = summarize('/repo/images/x/Dockerfile', [
      { ruleId: null, severity: 'error', message: 'bad', range: { start: 0, end: 0 }, line: 1, column: 1, endLine: 1, endColumn: 1, fatal: true },
    ]);
    expect(stylish([result], context).split('\n')[0]).toBe('images/x/Dockerfile');
  });

  it('colors only when asked', () => {
    const result = resultFor('Dockerfile', TEXT, (s) => [diag(s, 0, 4, { severity: 'error', message: 'bad' })]);
    expect(stylish([result], context)).not.toContain(ESC);
    const colored = stylish([result], { ...context, color: true });
    expect(colored).toContain(`${ESC}31merror`);
    expect(colored).toContain(`${ESC}4mDockerfile`);
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(stylish([result], context));
  });
});

describe('json', () => {
  it('is an array of files with their messages, without offsets or text', () => {
    const result = resultFor('images/base/Dockerfile', TEXT, (s) => [
      diag(s, RUN2, RUN2 + 3, { ruleId: 'merge-consecutive-runs', messageId: 'consecutive', severity: 'info', message: 'merge' }),
    ]);
    expect(JSON.parse(json([result, summarize('other/Dockerfile', [], 'FROM a\n')], context))).toEqual([
      {
        filePath: 'images/base/Dockerfile',
        messages: [{ ruleId: 'merge-consecutive-runs', messageId: 'consecutive', severity: 'info', message: 'merge', line: 3, column: 1, endLine: 3, endColumn: 4 }],
        errorCount: 0,
        warningCount: 0,
        infoCount: 1,
        fixableCount: 0,
      },
      { filePath: 'other/Dockerfile', messages: [], errorCount: 0, warningCount: 0, infoCount: 0, fixableCount: 0 },
    ]);
  });

  it('keeps fixes, suggestions, related locations, the fatal flag and the fixed output', () => {
    const fix = { edits: [{ range: { start: 0, end: 4 }, text: 'from' }] };
    const related = [{ message: 'there', line: 2, column: 1, endLine: 2, endColumn: 4 }];
    const result: LintResult = {
      ...resultFor('Dockerfile', TEXT, (s) => [
        diag(s, 0, 4, { severity: 'warning', message: 'm', fix, suggestions: [{ message: 's', fix }], related }),
        diag(s, 0, 0, { ruleId: null, severity: 'error', message: 'broken', fatal: true }),
      ]),
      output: 'fixed\n',
    };
    const [file] = JSON.parse(json([result], context)) as [{ messages: Record<string, unknown>[]; output: string; fixableCount: number }];
    expect(file.output).toBe('fixed\n');
    expect(file.fixableCount).toBe(1);
    expect(file.messages[0]).toEqual({ ruleId: null, severity: 'error', message: 'broken', line: 1, column: 1, endLine: 1, endColumn: 1, fatal: true });
    expect(file.messages[1]).toEqual({ ruleId: 'some-rule', severity: 'warning', message: 'm', line: 1, column: 1, endLine: 1, endColumn: 5, fix, suggestions: [{ message: 's', fix }], related });
  });

  it('makes an absolute file path relative to the cwd, with forward slashes', () => {
    const out = JSON.parse(json([summarize('/repo/a/b/Dockerfile', [])], context)) as { filePath: string }[];
    expect(out[0]?.filePath).toBe('a/b/Dockerfile');
  });

  it('is valid JSON for no results', () => {
    expect(json([], context)).toBe('[]');
  });
});

describe('the command line format names', () => {
  it('are the names of the library formatters, in the same order', async () => {
    const { FORMAT_NAMES } = await import('../src/cli/formats.js');
    const { formatters } = await import('../src/report/index.js');
    expect([...FORMAT_NAMES]).toEqual(Object.keys(formatters));
  });
});
