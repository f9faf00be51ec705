// Differential test of the single-pass reader (src/parse) against the dockerfile-ast based reader it
// replaced (test/reference): the same RawDockerfile (instructions, keywords, ranges, arguments,
// flags, heredocs, comments, directives, problems) on every real Dockerfile at hand, on generated
// ones, and on mutations of them. Real files must match exactly; a mutated one may differ only
// where a named defect of the reference explains it (test/reference/allowed-differences.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../src/parse/dockerfile-adapter.js';
import type { RawDockerfile } from '../src/parse/raw.js';
import { SourceText } from '../src/source/source-text.js';
import { type AllowedDifference, explainDifference } from './reference/allowed-differences.js';
import { parseDockerfile as parseReference } from './reference/dockerfile-ast-adapter.js';
import { corpusFiles, hasCorpus, sharedDir, skipMessage } from './shared-data.js';

const kollaDir = join(sharedDir, 'data', 'kolla', 'rendered', 'rocky-x86_64');
const hasKolla = existsSync(kollaDir);
const fixturesDir = resolve(import.meta.dirname, '..', 'fixtures');
// Mutations per run; LAYERLINT_DIFF_RUNS and LAYERLINT_DIFF_SEED explore further.
const RUNS = Number(process.env.LAYERLINT_DIFF_RUNS ?? 2000);
const SEED = Number(process.env.LAYERLINT_DIFF_SEED ?? 20_240_611);

interface Generator {
  rng(seed: number): () => number;
  dockerfile(rand: () => number, index: number, scale?: number): string;
}

function both(text: string): { source: SourceText; ours: RawDockerfile; reference: RawDockerfile } {
  const source = new SourceText('Dockerfile', text);
  return { source, ours: parseDockerfile(source), reference: parseReference(source) };
}

/** Names of the texts whose two readings differ. */
function mismatches(texts: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [name, text] of texts) {
    const { ours, reference } = both(text);
    if (!isDeepStrictEqual(ours, reference)) out.push(name);
  }
  return out;
}

function readAll(files: string[]): Map<string, string> {
  return new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
}

function dockerfilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...dockerfilesUnder(path));
    else if (/^(Dockerfile|Containerfile)(\..+)?$|\.Dockerfile$/.test(entry.name)) out.push(path);
  }
  return out;
}

async function generated(count: number): Promise<Map<string, string>> {
  const gen = (await import(new URL('../bench/gen-corpus.mjs', import.meta.url).href)) as Generator;
  const rand = gen.rng(4242);
  const texts = new Map<string, string>();
  for (let i = 0; i < count; i++) texts.set(`generated #${i}`, gen.dockerfile(rand, i, 1 + (i % 4)));
  return texts;
}

describe('the single-pass reader gives the reference RawDockerfile', () => {
  it.skipIf(!hasCorpus)('on every file of the shared corpus', () => {
    const files = corpusFiles();
    expect(files.length).toBeGreaterThan(200);
    expect(mismatches(readAll(files))).toEqual([]);
  });

  it.skipIf(!hasKolla)('on every rendered Kolla Dockerfile', () => {
    const files = readdirSync(kollaDir)
      .map((image) => join(kollaDir, image, 'Dockerfile'))
      .filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(150);
    expect(mismatches(readAll(files))).toEqual([]);
  });

  it('on 300 generated Dockerfiles', async () => {
    expect(mismatches(await generated(300))).toEqual([]);
  });

  it('on every Dockerfile under fixtures/', () => {
    const files = dockerfilesUnder(fixturesDir);
    expect(files.length).toBeGreaterThan(10);
    expect(mismatches(readAll(files))).toEqual([]);
  });

  it('on mutated Dockerfiles, except where a named defect of the reference explains the difference', async () => {
    const pool = [...(await generated(40)).values(), ...readAll(dockerfilesUnder(fixturesDir)).values()];
    if (hasCorpus) pool.push(...readAll(corpusFiles().slice(0, 120)).values());
    if (hasKolla) pool.push(...readAll(readdirSync(kollaDir).slice(0, 40).map((image) => join(kollaDir, image, 'Dockerfile'))).values());
    const mutated = fc.constantFrom(...pool).chain((text) => fc.integer({ min: 1, max: 3 }).chain((n) => mutateTimes(text, n)));
    const allowed: Partial<Record<AllowedDifference, number>> = {};
    let runs = 0;
    fc.assert(
      fc.property(mutated, (text) => {
        runs++;
        const { source, ours, reference } = both(text);
        if (isDeepStrictEqual(ours, reference)) return true;
        const why = explainDifference(source, ours, reference);
        if (why === null) return false;
        allowed[why] = (allowed[why] ?? 0) + 1;
        return true;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The allowances explain rare corners, never a broad class of input.
    const total = Object.values(allowed).reduce((a, b) => a + b, 0);
    expect(total).toBeLessThan(runs / 10);
  });
});

const INSERTS = ['\\\n', ' \\\n', '`\n', '<<EOF', '\n<<EOF\n', '\nEOF\n', 'RUN <<EOF\necho hi\nEOF\n', "RUN << 'EOF'\nx\nEOF\n", '<<-EOF\n', '\tEOF\n', '# escape=`\n', '# escape=\\\n', '\r\n', '\ufeff', '\u0000', 'ONBUILD RUN <<EOF\nx\nEOF\n', 'RUN \\\n# c\n  echo a\n', 'RUN --mount=type=cache,target=/x \\\n  echo\n', 'COPY --from=build /a /b\n'];

function mutation(text: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.nat({ max: text.length }).map((n) => text.slice(0, n)),
    fc.tuple(fc.nat({ max: Math.max(0, text.length - 1) }), fc.integer({ min: 0, max: 255 })).map(([i, b]) => text.slice(0, i) + String.fromCharCode(b) + text.slice(i + 1)),
    fc.tuple(fc.nat({ max: text.length }), fc.constantFrom(...INSERTS)).map(([i, s]) => text.slice(0, i) + s + text.slice(i)),
    fc.constantFrom('# escape=`\n', '# escape=\\\n', '#escape = x\n', '  # escape=`\n', '# syntax=docker/dockerfile:1\n# escape=`\n').map((d) => d + text),
    fc.constant(text.replace(/\r?\n/g, '\r\n')),
    fc.constant('\ufeff' + text),
  );
}

function mutateTimes(text: string, times: number): fc.Arbitrary<string> {
  let arb = fc.constant(text);
  for (let i = 0; i < times; i++) arb = arb.chain(mutation);
  return arb;
}

describe('defects of the reference the comparison allows', () => {
  it('lone-carriage-return: dockerfile-ast ends lines at a lone \\r, so the reference offsets are shifted', () => {
    const { source, ours, reference } = both('FROM a\rRUN b\nUSER c\n');
    expect(ours.instructions.map((i) => [i.keyword, source.slice(i.range)])).toEqual([
      ['FROM', 'FROM a\rRUN b'],
      ['USER', 'USER c'],
    ]);
    expect(reference.instructions.map((i) => [i.keyword, source.slice(i.range)])).toEqual([
      ['FROM', 'FROM a\rRUN b'],
      ['RUN', 'USER c'],
      ['USER', ''],
    ]);
    expect(explainDifference(source, ours, reference)).toBe('lone-carriage-return');
  });

  it('escape-directive-ignored: dockerfile-ast applies an indented escape directive the reference reports as absent', () => {
    const { source, ours, reference } = both('  # escape=`\nFROM a\nRUN a `\n  b\n');
    expect(reference.escapeChar).toBe('\\');
    expect(reference.instructions.map((i) => source.slice(i.range))).toEqual(['FROM a', 'RUN a `\n  b']);
    expect(ours.instructions.map((i) => source.slice(i.range))).toEqual(['FROM a', 'RUN a `', 'b']);
    expect(explainDifference(source, ours, reference)).toBe('escape-directive-ignored');
  });

  it('instruction-overrun: a quoted `<<EOF` makes dockerfile-ast swallow the rest of the file into one RUN', () => {
    const { source, ours, reference } = both('FROM a\nRUN echo "a <<EOF"\nRUN b\n');
    expect(reference.instructions.map((i) => source.slice(i.range))).toEqual(['FROM a', 'RUN echo "a <<EOF"\nRUN b\n']);
    expect(reference.instructions[1]?.heredocs).toEqual([]);
    expect(ours.instructions.map((i) => source.slice(i.range))).toEqual(['FROM a', 'RUN echo "a <<EOF"', 'RUN b']);
    expect(explainDifference(source, ours, reference)).toBe('instruction-overrun');
  });

  it('instruction-overrun: so does an escaped `\\<<EOF`', () => {
    const { source, ours, reference } = both('FROM a\nRUN echo \\<<EOF\nRUN b\nEOF\nRUN c\n');
    expect(reference.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN', 'RUN']);
    expect(ours.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN', 'RUN', 'EOF', 'RUN']);
    expect(explainDifference(source, ours, reference)).toBe('instruction-overrun');
  });

  it('instruction-overrun: an escaped blank first on a continued line keeps dockerfile-ast going', () => {
    const { source, ours, reference } = both('FROM a\nRUN a \\\n\\ x\nRUN b\n');
    expect(reference.instructions.map((i) => source.slice(i.range))).toEqual(['FROM a', 'RUN a \\\n\\ x\nRUN b']);
    expect(ours.instructions.map((i) => source.slice(i.range))).toEqual(['FROM a', 'RUN a \\\n\\ x', 'RUN b']);
    expect(explainDifference(source, ours, reference)).toBe('instruction-overrun');
  });

  it('escape-after-escaped-blank: dockerfile-ast does not continue a line ending in `\\ \\`', () => {
    const { source, ours, reference } = both('FROM a\nRUN a \\ \\\n  b  \n');
    expect(reference.instructions.map((i) => source.slice(i.range))).toEqual(['FROM a', 'RUN a \\ \\\n  b']);
    expect(ours.instructions.map((i) => source.slice(i.range))).toEqual(['FROM a', 'RUN a \\ \\\n  b  ']);
    expect(explainDifference(source, ours, reference)).toBe('escape-after-escaped-blank');
  });

  it('onbuild-shorter-than-trigger: dockerfile-ast misses a glued trigger heredoc, the reference reads its body twice', () => {
    const { source, ours, reference } = both('FROM a\nONBUILD RUN x<<EOF\nbody\nEOF\n');
    const onbuild = reference.instructions[1];
    expect(source.slice(onbuild!.range)).toBe('ONBUILD RUN x<<EOF');
    expect(source.slice(onbuild!.trigger!.range)).toBe('RUN x<<EOF\nbody\nEOF');
    expect(reference.instructions.map((i) => i.keyword)).toEqual(['FROM', 'ONBUILD', 'BODY', 'EOF']);
    expect(ours.instructions.map((i) => source.slice(i.range))).toEqual(['FROM a', 'ONBUILD RUN x<<EOF\nbody\nEOF']);
    expect(explainDifference(source, ours, reference)).toBe('onbuild-shorter-than-trigger');
  });

  it('lines-dropped: a delimiter with a trailing blank closes the heredoc for the scan but not for dockerfile-ast', () => {
    const { source, ours, reference } = both('FROM a\nRUN <<EOF\nx\nEOF \nRUN b\nEOF\nRUN c\n');
    expect(reference.instructions.map((i) => source.slice(i.range))).toEqual(['FROM a', 'RUN <<EOF\nx\nEOF ', 'RUN c']);
    expect(ours.instructions.map((i) => source.slice(i.range))).toEqual(['FROM a', 'RUN <<EOF\nx\nEOF ', 'RUN b', 'EOF', 'RUN c']);
    expect(explainDifference(source, ours, reference)).toBe('lines-dropped');
  });

  it('lines-dropped: two directives on one line make dockerfile-ast skip the next line', () => {
    const { source, ours, reference } = both('# a=b #c=d\nFROM x\nRUN y\n');
    expect(reference.instructions.map((i) => i.keyword)).toEqual(['RUN']);
    expect(ours.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN']);
    expect(explainDifference(source, ours, reference)).toBe('lines-dropped');
  });

  it('explains nothing else', () => {
    const { source, ours, reference } = both('FROM a\nRUN b\n');
    expect(explainDifference(source, { ...ours, instructions: ours.instructions.slice(1) }, reference)).toBeNull();
  });
});

describe('the reader stays linear', () => {
  it('reads a 10,000-line RUN at once', () => {
    const text = 'FROM a\nRUN set -e; \\\n' + '  echo "x <<y" --flag \\\n'.repeat(10_000) + '  true\n';
    const { keywords, ms } = timed(text);
    expect(keywords).toEqual(['FROM', 'RUN']);
    expect(ms).toBeLessThan(1_000);
  });

  // Eight times the text may take eight times as long, with room for noise; a quadratic scan takes 64 times.
  it.each([
    ['an ordinary Dockerfile', (n: number) => 'FROM a AS b\nRUN apt-get update \\\n    && rm -rf /var/lib/apt/lists/*\n# note\nCOPY --from=b --chmod=644 /a /b\nRUN <<EOF\necho hi\nEOF\n'.repeat(n / 100)],
    ['one line of `<<`', (n: number) => 'FROM a\nRUN cat ' + '1<<2 '.repeat(n / 5) + '\n'],
    ['one line of flags', (n: number) => 'FROM a\nRUN ' + '--a=b,c=d '.repeat(n / 10) + 'x\n'],
    ['escaped blanks', (n: number) => 'FROM a\nRUN ' + '\\ '.repeat(n / 2) + '\n'],
    ['comment lines in a continuation', (n: number) => 'FROM a\nRUN \\\n' + '  # c \\\n'.repeat(n / 8) + ' x\n'],
    ['lines of escape characters', (n: number) => '\\\n x \\\n'.repeat(n / 6) + 'RUN x\n'],
    ['parser directives', (n: number) => '# a=b\n'.repeat(n / 6) + 'FROM a\n'],
  ])('reads %s in linear time', (_name, make) => {
    const small = timed(make(200_000)).ms;
    const large = timed(make(1_600_000)).ms;
    expect(large).toBeLessThan(30 * small + 100);
  });
});

function timed(text: string): { keywords: string[]; ms: number } {
  const source = new SourceText('Dockerfile', text);
  let ms = Number.POSITIVE_INFINITY;
  let keywords: string[] = [];
  for (let run = 0; run < 2; run++) {
    const started = performance.now();
    keywords = parseDockerfile(source).instructions.map((i) => i.keyword);
    ms = Math.min(ms, performance.now() - started);
  }
  return { keywords, ms };
}

if (!hasCorpus) it.skip(skipMessage('data/corpus'), () => {});
if (!hasKolla) it.skip(skipMessage('data/kolla'), () => {});
