// Where a cleanup is appended to a RUN: the end of its script's last statement. For simple scripts it
// is read from the simple-script scanner's commands; it must be exactly where tree-sitter-bash puts it,
// on every script of the generated, real and Kolla Dockerfiles and on random simple scripts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { buildModel } from '../src/model/build.js';
import type { OffsetMap } from '../src/model/shell-commands.js';
import { initShellParser } from '../src/model/shell-parser.js';
import { simpleLastStatement, treeLastStatement } from '../src/fix/shell-edits.js';
import { SourceText } from '../src/source/source-text.js';
import { corpusFiles, hasCorpus, sharedDir, skipMessage } from './shared-data.js';

const seen = vi.hoisted(() => ({ scripts: [] as string[] }));
vi.mock('../src/model/shell-commands.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/model/shell-commands.js')>();
  return {
    ...actual,
    extractCommands: (text: string, map: OffsetMap, startIndex = 0) => {
      seen.scripts.push(text);
      return actual.extractCommands(text, map, startIndex);
    },
  };
});

const RUNS = Number(process.env.LAYERLINT_FUZZ_RUNS ?? 1000);
const kollaDir = join(sharedDir, 'data', 'kolla', 'rendered', 'rocky-x86_64');

beforeAll(async () => {
  await initShellParser();
});

function scriptsOf(texts: Iterable<[string, string]>): string[] {
  seen.scripts = [];
  for (const [path, text] of texts) buildModel(new SourceText(path, text));
  return seen.scripts;
}

/** How many scripts the simple reading answers; each answer must be tree-sitter's. */
function compare(scripts: readonly string[]): number {
  let answered = 0;
  for (const text of scripts) {
    const fast = simpleLastStatement(text);
    if (fast === undefined) continue;
    answered++;
    expect({ text, tail: fast }).toEqual({ text, tail: treeLastStatement(text) });
  }
  return answered;
}

function* dockerfilesUnder(dir: string): Generator<[string, string]> {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name === 'Dockerfile') {
      const path = join(entry.parentPath, entry.name);
      yield [path, readFileSync(path, 'utf8')];
    }
  }
}

describe('the last statement of a simple script', () => {
  it('generated benchmark files', async () => {
    const gen = (await import(new URL('../bench/gen-corpus.mjs', import.meta.url).href)) as {
      rng: (seed: number) => () => number;
      dockerfile: (rand: () => number, index: number, scale: number) => string;
    };
    const rand = gen.rng(4242);
    const files: [string, string][] = [];
    for (let i = 0; i < 200; i++) files.push([`gen/${i}/Dockerfile`, gen.dockerfile(rand, i, 6)]);
    const scripts = scriptsOf(files);
    expect(compare(scripts)).toBeGreaterThan(scripts.length / 2);
  });

  it('fixtures', () => {
    expect(compare(scriptsOf(dockerfilesUnder(resolve(import.meta.dirname, '..', 'fixtures'))))).toBeGreaterThan(10);
  });

  it.skipIf(!hasCorpus)('real corpus', () => {
    expect(compare(scriptsOf(corpusFiles().map((f): [string, string] => [f, readFileSync(f, 'utf8')])))).toBeGreaterThan(100);
  });
  if (!hasCorpus) it.skip(skipMessage('data/corpus'), () => {});

  it.skipIf(!existsSync(kollaDir))('rendered Kolla images', () => {
    expect(compare(scriptsOf(dockerfilesUnder(kollaDir)))).toBeGreaterThan(100);
  });
  if (!existsSync(kollaDir)) it.skip(skipMessage('data/kolla/rendered/rocky-x86_64'), () => {});

  it('literal cases', () => {
    const cases = ['a && b', 'a; b', 'a\nb', 'a &&\n  b', 'a | b\nc || d', 'a # x && y\nb', 'a && # c\n  b', 'a;', 'a \\\n && b; c \\\n | d', '# only', '', 'a;#x&&y\nb'];
    for (const text of cases) {
      expect(simpleLastStatement(text)).not.toBeUndefined();
      expect({ text, tail: simpleLastStatement(text) }).toEqual({ text, tail: treeLastStatement(text) });
    }
    // Outside the simple reading: left to tree-sitter.
    for (const text of ['a > f; b', 'if a; then b; fi', 'a & b', 'x=$(a)']) expect(simpleLastStatement(text)).toBeUndefined();
  });

  it('random simple scripts', () => {
    const word = fc.constantFrom('a', 'apt-get', 'install', '-y', '"x y"', "'q'", '$V', '${W}', 'p#q', '--x=1');
    const sep = fc.constantFrom(' && ', ' || ', ' | ', '; ', '\n', ' \\\n  && ', ';\n', ' # c && d\n', '\n\n# note\n', ' &&\n', ' |\n  ');
    const command = fc.array(word, { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' '));
    const script = fc.tuple(fc.array(fc.tuple(command, sep), { maxLength: 6 }), command, fc.constantFrom('', ';', '\n', ' # end', ' \\\n'));
    fc.assert(
      fc.property(script, ([pairs, lastCommand, end]) => {
        const text = pairs.map(([c, s]) => c + s).join('') + lastCommand + end;
        const fast = simpleLastStatement(text);
        if (fast !== undefined) expect(fast).toEqual(treeLastStatement(text));
      }),
      { numRuns: RUNS },
    );
  });
});
