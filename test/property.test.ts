// Property-based robustness: any text, and real Dockerfiles mutated in the ways that break parsers,
// lint without throwing, with every diagnostic at a valid location; fixing is idempotent and the
// fixed text parses. CI runs a short pass; `npm run fuzz` runs 100,000 cases.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index.js';
import { initShellParser } from '../src/model/shell-parser.js';
import { lintSourceSync } from '../src/linter/lint-source.js';
import { SourceText } from '../src/source/source-text.js';
import { fixText } from '../src/fix/fix-loop.js';
import { corpusFiles, hasCorpus } from './shared-data.js';

const RUNS = Number(process.env.LAYERLINT_FUZZ_RUNS ?? 150);
const settings = { rules: {}, reportUnusedDirectives: 'warning' as const };
const lint = (text: string) => lintSourceSync(new SourceText('Dockerfile', text), builtinRules, settings);

function assertValid(text: string): void {
  const source = new SourceText('Dockerfile', text);
  const { diagnostics } = lintSourceSync(source, builtinRules, settings);
  for (const d of diagnostics) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(source.lineCount);
    expect(d.endLine).toBeLessThanOrEqual(source.lineCount);
    expect(d.endLine > d.line || (d.endLine === d.line && d.endColumn >= d.column)).toBe(true);
    expect(d.range.start).toBeGreaterThanOrEqual(0);
    expect(d.range.end).toBeLessThanOrEqual(source.text.length);
    expect(typeof d.message).toBe('string');
  }
}

function assertFixStable(text: string): void {
  const first = fixText(text, lint, ['safe', 'suggestion']);
  if (!first.fixed) return;
  expect(first.diagnostics.filter((d) => d.fatal)).toEqual([]);
  const second = fixText(first.output, lint, ['safe', 'suggestion']);
  // A second run may only find what the pass limit left; it never undoes the first.
  if (first.stopped === null) expect(second.fixed).toBe(false);
}

const SNIPPETS = [
  'FROM debian:12\n', 'FROM python:3.12 AS build\n', 'RUN apt-get update && apt-get install -y curl\n', 'RUN <<EOF\necho hi\nEOF\n',
  'RUN << \'EOF\'\nset -e\nEOF\n', 'RUN \\\n# c\n  echo a\n', '# escape=`\n', '# escape=\\\n', 'COPY --from=build /a /b\n', 'ONBUILD RUN pip install x\n',
  'ARG V=1\n', 'ENV A=1 B="x y"\n', 'SHELL ["powershell", "-Command"]\n', 'RUN ["sh", "-c", "apk add x"]\n', 'ADD https://example.com/x.tar.gz /tmp/\n',
  'WORKDIR app\n', 'USER nobody\n', 'RUN --mount=type=cache,target=/root/.cache pip install x\n', 'COPY . .\n', 'RUN npm ci\n', '\\\n', '<<EOF\n', '`\n', '\r\n', '\t',
];

const mutations = (text: string) =>
  fc.oneof(
    fc.nat({ max: Math.max(0, text.length) }).map((n) => text.slice(0, n)),
    fc.tuple(fc.nat({ max: Math.max(0, text.length - 1) }), fc.integer({ min: 0, max: 255 })).map(([i, b]) => text.slice(0, i) + String.fromCharCode(b) + text.slice(i + 1)),
    fc.tuple(fc.nat({ max: text.length }), fc.constantFrom(...SNIPPETS)).map(([i, s]) => text.slice(0, i) + s + text.slice(i)),
    fc.tuple(fc.nat({ max: text.length }), fc.constantFrom(' \\\n', '`\n', '\n<<EOF\n', '\nEOF\n', '# escape=`\n', '\u0000', '\ufeff')).map(([i, s]) => text.slice(0, i) + s + text.slice(i)),
    fc.tuple(fc.nat({ max: text.length }), fc.integer({ min: 1000, max: 20000 })).map(([i, n]) => text.slice(0, i) + 'RUN ' + 'x'.repeat(n) + '\n' + text.slice(i)),
  );

describe('robustness', () => {
  beforeAll(async () => {
    await initShellParser();
  });

  it('lints arbitrary text without throwing, at valid locations', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), assertValid), { numRuns: RUNS });
  });

  it('lints Dockerfile-shaped text assembled from tricky pieces; fixing it is stable', () => {
    const doc = fc.array(fc.constantFrom(...SNIPPETS), { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(doc, (text) => {
        assertValid(text);
        assertFixStable(text);
      }),
      { numRuns: RUNS },
    );
  });

  it.skipIf(!hasCorpus)('lints mutated real Dockerfiles; fixing them is stable', () => {
    const texts = corpusFiles().slice(0, 60).map((f) => readFileSync(f, 'utf8'));
    const mutated = fc.constantFrom(...texts).chain((t) => mutations(t));
    fc.assert(
      fc.property(mutated, (text) => {
        assertValid(text);
        assertFixStable(text);
      }),
      { numRuns: Math.max(20, Math.floor(RUNS / 3)) },
    );
  });
});
