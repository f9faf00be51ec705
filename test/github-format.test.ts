// The github format: GitHub Actions workflow commands, one per finding, escaped as the runner
// expects, with the location and rule repeated in the message for the log view.
import { describe, expect, it } from 'vitest';
import { summarize, type Diagnostic, type LintResult } from '../src/linter/diagnostic.js';
import { escapeData, escapeProperty, github } from '../src/report/github.js';
import { formatters, type FormatterContext } from '../src/report/index.js';
import { SourceText } from '../src/source/source-text.js';

const context: FormatterContext = { cwd: '/repo', color: false, rulesMeta: {} };
const TEXT = 'FROM alpine:latest\nRUN apk add curl\nRUN rm -rf /var/cache/apk/*\n';

function resultFor(filePath: string, text: string, make: (s: SourceText) => Diagnostic[]): LintResult {
  const source = new SourceText(filePath, text);
  return summarize(filePath, make(source), source.text);
}

function diag(source: SourceText, start: number, end: number, extra: Partial<Diagnostic> & Pick<Diagnostic, 'severity' | 'message'>): Diagnostic {
  return { ruleId: 'some-rule', range: { start, end }, ...source.location({ start, end }), ...extra };
}

describe('github', () => {
  it('is registered as the github format', () => {
    expect(formatters.github).toBe(github);
  });

  it('prints nothing without findings', () => {
    expect(github([summarize('Dockerfile', [], TEXT)], context)).toBe('');
  });

  it('maps error, warning and info to ::error, ::warning and ::notice with the location and rule', () => {
    const result = resultFor('images/base/Dockerfile', TEXT, (s) => [
      diag(s, 12, 18, { ruleId: 'no-latest-tag', severity: 'warning', message: '`alpine:latest` uses the moving `latest` tag' }),
      diag(s, 23, 30, { ruleId: 'apk-no-cache', severity: 'info', message: 'use apk add --no-cache' }),
      diag(s, 36, 39, { ruleId: 'prefer-copy-over-add', severity: 'error', message: 'use COPY' }),
    ]);
    expect(github([result], context)).toBe(
      [
        '::warning file=images/base/Dockerfile,line=1,endLine=1,col=13,endColumn=19,title=no-latest-tag::images/base/Dockerfile:1:13: `alpine:latest` uses the moving `latest` tag (no-latest-tag)',
        '::notice file=images/base/Dockerfile,line=2,endLine=2,col=5,endColumn=12,title=apk-no-cache::images/base/Dockerfile:2:5: use apk add --no-cache (apk-no-cache)',
        '::error file=images/base/Dockerfile,line=3,endLine=3,col=1,endColumn=4,title=prefer-copy-over-add::images/base/Dockerfile:3:1: use COPY (prefer-copy-over-add)',
        '',
      ].join('\n'),
    );
  });

  it('gives columns only for a finding on one line, and ends a range that stops at a line start on the line before', () => {
    const result = resultFor('Dockerfile', TEXT, (s) => [
      diag(s, 19, 63, { severity: 'info', message: 'two RUNs' }),
      diag(s, 19, 36, { severity: 'info', message: 'one whole line' }),
      diag(s, 19, 19, { severity: 'info', message: 'a point' }),
    ]);
    expect(github([result], context).split('\n').slice(0, 3)).toEqual([
      '::notice file=Dockerfile,line=2,endLine=2,col=1,title=some-rule::Dockerfile:2:1: a point (some-rule)',
      '::notice file=Dockerfile,line=2,endLine=2,col=1,endColumn=17,title=some-rule::Dockerfile:2:1: one whole line (some-rule)',
      '::notice file=Dockerfile,line=2,endLine=3,title=some-rule::Dockerfile:2:1: two RUNs (some-rule)',
    ]);
  });

  it('escapes % and line breaks in the message, and also : and , in properties', () => {
    const result = resultFor('images/a,b:c/Dockerfile', TEXT, (s) => [diag(s, 0, 4, { ruleId: 'x', severity: 'error', message: '100% of\r\nthe bytes, twice: %0A' })]);
    expect(github([result], context)).toBe(
      '::error file=images/a%2Cb%3Ac/Dockerfile,line=1,endLine=1,col=1,endColumn=5,title=x::images/a,b:c/Dockerfile:1:1: 100%25 of%0D%0Athe bytes, twice: %250A (x)\n',
    );
    expect(escapeData('a%b\rc\nd')).toBe('a%25b%0Dc%0Ad');
    expect(escapeProperty('a%b:c,d\n')).toBe('a%25b%3Ac%2Cd%0A');
  });

  it('lists related locations on the lines after the message', () => {
    const result = resultFor('images/a/Dockerfile', TEXT, (s) => [
      diag(s, 19, 35, {
        ruleId: 'hoist-common-steps',
        severity: 'info',
        message: 'also in b',
        related: [
          { message: 'the same step in b', filePath: 'images/b/Dockerfile', line: 4, column: 1, endLine: 4, endColumn: 10 },
          { message: 'here too', line: 3, column: 1, endLine: 3, endColumn: 4 },
        ],
      }),
    ]);
    expect(github([result], context)).toBe(
      '::notice file=images/a/Dockerfile,line=2,endLine=2,col=1,endColumn=17,title=hoist-common-steps::images/a/Dockerfile:2:1: also in b (hoist-common-steps)%0A  images/b/Dockerfile:4:1: the same step in b%0A  images/a/Dockerfile:3:1: here too\n',
    );
  });

  it('files layerlint’s own problems under synthetic rule ids, with paths relative to the working directory', () => {
    const fatal = summarize('/repo/images/bad/Dockerfile', [{ ruleId: null, fatal: true, severity: 'error', message: 'cannot parse', range: { start: 0, end: 0 }, line: 1, column: 1, endLine: 1, endColumn: 1 }]);
    expect(github([fatal], context)).toBe('::error file=images/bad/Dockerfile,line=1,endLine=1,col=1,title=layerlint/parse-error::images/bad/Dockerfile:1:1: cannot parse (layerlint/parse-error)\n');
  });
});
