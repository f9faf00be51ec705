// The markdown format: the job summary of the GitHub Action (and `--format markdown`), shown
// whole for a small case, then its caps and its escaping.
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index.js';
import { summarize, type Diagnostic, type LintResult } from '../src/linter/diagnostic.js';
import { formatters, type FormatterContext } from '../src/report/index.js';
import { markdown, MAX_MARKDOWN_ROWS } from '../src/report/markdown.js';
import { SourceText } from '../src/source/source-text.js';

const context: FormatterContext = { cwd: '/repo', color: false, rulesMeta: Object.fromEntries(builtinRules.map((r) => [r.id, r.meta])) };
const TEXT = 'FROM alpine:latest\nRUN apk add curl\nRUN rm -rf /var/cache/apk/*\n';

function resultFor(filePath: string, make: (s: SourceText) => Diagnostic[]): LintResult {
  const source = new SourceText(filePath, TEXT);
  return summarize(filePath, make(source), source.text);
}

function diag(source: SourceText, start: number, end: number, extra: Partial<Diagnostic> & Pick<Diagnostic, 'severity' | 'message'>): Diagnostic {
  return { ruleId: 'no-latest-tag', range: { start, end }, ...source.location({ start, end }), ...extra };
}

describe('markdown', () => {
  it('is registered as the markdown format', () => {
    expect(formatters.markdown).toBe(markdown);
  });

  it('says so when there is nothing to report', () => {
    expect(markdown([summarize('a/Dockerfile', [], TEXT), summarize('b/Dockerfile', [], TEXT)], context)).toBe('## layerlint\n\nNo problems found in 2 files.\n');
  });

  it('totals, then findings per rule (most severe first), per file, and each finding in a collapsed list', () => {
    const a = resultFor('images/a/Dockerfile', (s) => [
      diag(s, 12, 18, { severity: 'warning', message: '`alpine:latest` uses the moving `latest` tag' }),
      diag(s, 23, 30, { ruleId: 'apk-no-cache', severity: 'info', message: 'use `apk add --no-cache`', fix: { edits: [{ range: { start: 30, end: 30 }, text: ' --no-cache' }] } }),
    ]);
    const b = resultFor('images/b/Dockerfile', (s) => [
      diag(s, 12, 18, { severity: 'warning', message: '`alpine:latest` uses the moving `latest` tag' }),
      { ruleId: null, fatal: true, severity: 'error', message: 'cannot parse', range: { start: 0, end: 0 }, line: 1, column: 1, endLine: 1, endColumn: 1 } as Diagnostic,
    ]);
    const clean = summarize('images/c/Dockerfile', [], TEXT);
    expect(markdown([a, b, clean], context)).toBe(
      [
        '## layerlint',
        '',
        '**4 problems** (1 error, 2 warnings, 1 info) in 2 of 3 files. 1 fixable with `layerlint --fix`.',
        '',
        '| rule | severity | findings | files | fixable |',
        '| --- | --- | ---: | ---: | ---: |',
        '| `layerlint/parse-error` | error | 1 | 1 | 0 |',
        '| [no-latest-tag](https://github.com/layerlint/layerlint/blob/main/rules/no-latest-tag.md) | warning | 2 | 2 | 0 |',
        '| [apk-no-cache](https://github.com/layerlint/layerlint/blob/main/rules/apk-no-cache.md) | info | 1 | 1 | 1 |',
        '',
        '| file | errors | warnings | infos |',
        '| --- | ---: | ---: | ---: |',
        '| `images/a/Dockerfile` | 0 | 1 | 1 |',
        '| `images/b/Dockerfile` | 1 | 1 | 0 |',
        '',
        '<details><summary>Findings</summary>',
        '',
        '| location | severity | rule | message |',
        '| --- | --- | --- | --- |',
        '| `images/a/Dockerfile:1:13` | warning | no-latest-tag | `alpine:latest` uses the moving `latest` tag |',
        '| `images/a/Dockerfile:2:5` | info | apk-no-cache | use `apk add --no-cache` |',
        '| `images/b/Dockerfile:1:1` | error | layerlint/parse-error | cannot parse |',
        '| `images/b/Dockerfile:1:13` | warning | no-latest-tag | `alpine:latest` uses the moving `latest` tag |',
        '',
        '</details>',
        '',
      ].join('\n'),
    );
  });

  it('keeps table cells to one line with no HTML and no column breaks', () => {
    const r = resultFor('images/a|b/Dockerfile', (s) => [diag(s, 0, 4, { severity: 'warning', message: 'RUN <<EOF a | b\nnext & more' })]);
    const out = markdown([r], context);
    expect(out).toContain('| `images/a\\|b/Dockerfile:1:1` | warning | no-latest-tag | RUN &lt;&lt;EOF a \\| b next &amp; more |');
    expect(out).toContain('| `images/a\\|b/Dockerfile` | 0 | 1 | 0 |');
  });

  it(`lists at most ${MAX_MARKDOWN_ROWS} files and findings, and says how many more there are`, () => {
    const results = Array.from({ length: MAX_MARKDOWN_ROWS + 5 }, (_, i) => resultFor(`images/${String(i).padStart(3, '0')}/Dockerfile`, (s) => [diag(s, 12, 18, { severity: 'warning', message: 'latest' })]));
    const out = markdown(results, context);
    expect(out).toContain('| [no-latest-tag](https://github.com/layerlint/layerlint/blob/main/rules/no-latest-tag.md) | warning | 105 | 105 | 0 |');
    expect(out.split('\n').filter((l) => l.startsWith('| `images/'))).toHaveLength(2 * MAX_MARKDOWN_ROWS);
    expect(out).toContain('… and 5 more files.');
    expect(out).toContain('… and 5 more findings.');
  });
});
