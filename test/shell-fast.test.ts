// The direct reader of simple scripts against tree-sitter: every script it accepts, from real and
// generated Dockerfiles and from random scripts near the edge of its subset, must read exactly as
// tree-sitter reads it. The share it accepts is printed, and held above a floor on generated files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildModel } from '../src/model/build.js';
import { scanSimpleScript } from '../src/model/shell-fast.js';
import { extractCommandsTreeSitter, type OffsetMap } from '../src/model/shell-commands.js';
import { initShellParser } from '../src/model/shell-parser.js';
import { SourceText } from '../src/source/source-text.js';
import { corpusFiles, hasCorpus, sharedDir, skipMessage } from './shared-data.js';

interface Script {
  text: string;
  map: OffsetMap;
  startIndex: number;
}

// Every script the model hands to the shell reader, as it hands it over.
const seen = vi.hoisted(() => ({ scripts: [] as Script[] }));
vi.mock('../src/model/shell-commands.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/model/shell-commands.js')>();
  return {
    ...actual,
    extractCommands: (text: string, map: OffsetMap, startIndex = 0) => {
      seen.scripts.push({ text, map, startIndex });
      return actual.extractCommands(text, map, startIndex);
    },
  };
});

const RUNS = Number(process.env.LAYERLINT_FUZZ_RUNS ?? 1000);
const kollaDir = join(sharedDir, 'data', 'kolla', 'rendered', 'rocky-x86_64');
const identity: OffsetMap = (start, end) => ({ start, end });

// Acceptance per data set, printed once.
const rates: string[] = [];

beforeAll(async () => {
  await initShellParser();
});

afterAll(() => {
  if (rates.length > 0) console.log(`shell fast path accepts: ${rates.join(', ')}`);
});

function scriptsOf(texts: Iterable<[string, string]>): Script[] {
  seen.scripts = [];
  for (const [path, text] of texts) buildModel(new SourceText(path, text));
  return seen.scripts;
}

/** How many scripts the direct reader accepts; each accepted one must equal tree-sitter's reading. */
function compare(scripts: Script[]): { accepted: number; total: number } {
  let accepted = 0;
  for (const s of scripts) {
    const fast = scanSimpleScript(s.text, s.map, s.startIndex);
    if (!fast) continue;
    accepted++;
    const reference = extractCommandsTreeSitter(s.text, s.map, s.startIndex);
    if (!isDeepStrictEqual(fast, reference)) expect({ script: s.text, ...fast }).toStrictEqual({ script: s.text, ...reference });
  }
  return { accepted, total: scripts.length };
}

const rate = (name: string, { accepted, total }: { accepted: number; total: number }): string =>
  `${name} ${accepted}/${total} (${total === 0 ? 0 : ((100 * accepted) / total).toFixed(1)}%)`;

function* dockerfilesUnder(dir: string): Generator<[string, string]> {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name === 'Dockerfile') {
      const path = join(entry.parentPath, entry.name);
      yield [path, readFileSync(path, 'utf8')];
    }
  }
}

describe('scripts of Dockerfiles', () => {
  it('generated benchmark files: accepted scripts equal tree-sitter, and most are accepted', async () => {
    const gen = (await import(new URL('../bench/gen-corpus.mjs', import.meta.url).href)) as {
      rng: (seed: number) => () => number;
      dockerfile: (rand: () => number, index: number, scale: number) => string;
    };
    const rand = gen.rng(1337);
    const files: [string, string][] = [];
    for (let i = 0; i < 300; i++) files.push([`gen/${i}/Dockerfile`, gen.dockerfile(rand, i, 6)]);
    const result = compare(scriptsOf(files));
    rates.push(rate('generated', result));
    expect(result.total).toBeGreaterThan(1000);
    expect(result.accepted / result.total).toBeGreaterThan(0.9);
  });

  it('fixtures', () => {
    const result = compare(scriptsOf(dockerfilesUnder(resolve(import.meta.dirname, '..', 'fixtures'))));
    rates.push(rate('fixtures', result));
    expect(result.total).toBeGreaterThan(0);
  });

  it.skipIf(!hasCorpus)('real corpus', () => {
    const result = compare(scriptsOf(corpusFiles().map((f): [string, string] => [f, readFileSync(f, 'utf8')])));
    rates.push(rate('corpus', result));
    expect(result.total).toBeGreaterThan(1000);
  });
  if (!hasCorpus) it.skip(skipMessage('data/corpus'), () => {});

  it.skipIf(!existsSync(kollaDir))('rendered Kolla images', () => {
    const result = compare(scriptsOf(dockerfilesUnder(kollaDir)));
    rates.push(rate('Kolla', result));
    expect(result.total).toBeGreaterThan(100);
  });
  if (!existsSync(kollaDir)) it.skip(skipMessage('data/kolla/rendered/rocky-x86_64'), () => {});
});

describe('literal cases', () => {
  const read = (text: string) => scanSimpleScript(text, identity, 0);
  const same = (text: string) => {
    const fast = read(text);
    expect(fast).not.toBeNull();
    expect(fast).toStrictEqual(extractCommandsTreeSitter(text, identity, 0));
  };

  it('accepts plain lists, quotes, expansions and comments', () => {
    same('set -eux; apt-get update && apt-get install -y --no-install-recommends curl \\\n  ca-certificates; rm -rf /var/lib/apt/lists/*');
    same('echo "a b" \'c d\' e\\ f $HOME/bin ${VERSION}-x a"b"\'c\' "$A ${B}"');
    same('make build VERSION=${VERSION} && strip /src/out/app # done\n\n');
    same('a | b || c\n# comment\nd;');
    same('');
    same('  # only a comment');
  });

  it('reads redirections as tree-sitter does: every word after one is a destination, not an argument', () => {
    same('echo a >> /etc/x && b 2>/dev/null || c >/dev/null 2>&1');
    same('echo a > f b');
    same('echo a2>f 2> f &> g');
    same('pip install /src/app[extra,test] && find . -exec rm {} +');
  });

  it('declines what only tree-sitter reads right', () => {
    for (const text of [
      'echo $(date)', 'echo `date`', 'x=1 make', 'x=1', 'export A=1', 'if true; then :; fi', 'cat <<EOF\nx\nEOF',
      'cat <<< x', 'diff <(a) b', '< f cat', 'a &', 'a;;', '{ a; }', '(a)', '[ -f x ]', 'echo "$@"', "echo 'a",
      'echo a \\', 'echo a \\\n', 'echo a && ', '; a', 'a\n;', '! a', 'echo \\ a', "echo 'a'\\c", 'a |& b',
      'echo a\u00a0b', 'echo \r', 'echo == x', 'echo $?', 'echo ${A:-b}', 'echo foo\\\nbar', 'echo >', 'echo > # x',
    ]) {
      expect(read(text), JSON.stringify(text)).toBeNull();
    }
  });

  it('declines where tree-sitter reads a simple script in a way of its own', () => {
    for (const text of [
      'x | y | z\na > f', // a newline after a pipeline of three is read as a blank
      'a\n\\\nb', // a continuation at the start of a line joins it to the command before
      'echo https://x/$V/tool-$A.tar.gz', // `$A` as the fourth part of a word, with more after it
      'echo x"y"$1', // `$1` as the third part
      'a - 2>f', // the lone `-` is dropped
      'a - {1..3}',
      'a _2>f', // `2` is taken for a descriptor
      'a 0>f', // `0` is not
      'a { {', // words of brackets only are joined across blanks
      'a }_$a+', // an expansion in a word with a bracket
      'a 0#', // a number with an empty base
      'a >&-',
      'export"A=1"', // a reserved word joined to a string
    ]) {
      expect(read(text), JSON.stringify(text)).toBeNull();
    }
  });

  it('counts command indexes from the start index it is given', () => {
    expect(scanSimpleScript('a; b', identity, 3)?.commands.map((c) => c.index)).toEqual([3, 4]);
  });
});

describe('random scripts', () => {
  const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,4}$/);
  const expansion = fc.oneof(name.map((n) => `$${n}`), name.map((n) => `\${${n}}`));
  const plain = fc.oneof(
    { weight: 9, arbitrary: fc.stringMatching(/^[-a-zA-Z0-9_./:=,+@%^~*?!é][-a-zA-Z0-9_./:=,+@%^~*?!#é]{0,5}$/) },
    fc.constantFrom('😀', 'ü-😀'),
  );
  const part = fc.oneof(
    { weight: 8, arbitrary: plain },
    fc.stringMatching(/^[-a-z0-9 .\\"'$#;&|<>(){}[\]]$/).map((c) => `x\\${c}`),
    fc.stringMatching(/^[-a-z0-9 .\\"#$\n;&|<>(){}[\]]{0,5}$/).map((s) => `'${s}'`),
    fc.array(fc.oneof(fc.stringMatching(/^[-a-z0-9 .'#\n;&|<>(){}[\]]{1,4}$/), expansion, fc.constantFrom('\\"', '\\\\', '\\$', '\\x', '\\\n')), { maxLength: 3 })
      .map((ps) => `"${ps.join('')}"`),
    { weight: 2, arbitrary: expansion },
  );
  const word = fc.oneof(
    { weight: 6, arbitrary: fc.array(part, { minLength: 1, maxLength: 3 }).map((ps) => ps.join('')) },
    fc.constantFrom('{}', '/src/app[extra,test]', 'file{a,b}', '[0-9]*', '{1..3}', ']', '\\;', '\\"', '-1', '2'),
  );
  const commandName = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('apt-get', 'set', 'rm', '/usr/bin/pip3', './configure', 'echo', '$CC', '"$X"', 'time', 'exportx') },
    { weight: 4, arbitrary: fc.stringMatching(/^[a-z_./][-a-z0-9_./]{0,6}$/) },
    fc.constantFrom('if', 'export', 'a=b', '[', '{', '!', '\\cp', '-x'),
    word,
  );
  const blank = fc.constantFrom(' ', ' ', ' ', '  ', '\t', ' \\\n  ', ' \\\n');
  const redirect = fc.constantFrom(' > f', ' >> /var/log/x', ' 2>&1', ' >/dev/null', ' 2> err', ' &> out', ' &>> out', ' < in', ' > f g', '>f', ' 1>&2');
  const command = fc.tuple(commandName, fc.array(fc.tuple(blank, word), { maxLength: 4 }), fc.array(redirect, { maxLength: 2 }))
    .map(([n, args, redirects]) => n + args.map(([b, w]) => b + w).join('') + redirects.join(''));
  const separator = fc.constantFrom(' && ', ' || ', ' | ', '; ', '\n', ' ;\n', ' &&\n  ', ' \\\n  && ', ' # note\n', '\n\n', '|');
  const script = fc.tuple(command, fc.array(fc.tuple(separator, command), { maxLength: 4 }), fc.constantFrom('', '\n', ';', ' # end'))
    .map(([first, rest, end]) => first + rest.map(([s, c]) => s + c).join('') + end);

  const check = (text: string): boolean => {
    const fast = scanSimpleScript(text, identity, 0);
    if (!fast) return false;
    expect(fast, JSON.stringify(text)).toStrictEqual(extractCommandsTreeSitter(text, identity, 0));
    return true;
  };

  it('scripts of the subset read as tree-sitter reads them', () => {
    let accepted = 0;
    fc.assert(fc.property(script, (text) => { if (check(text)) accepted++; }), { numRuns: RUNS });
    // The grammar draws reserved words, assignments and characters the reader declines now and then.
    expect(accepted).toBeGreaterThan(RUNS / 10);
  });

  const nearMiss = fc.oneof(
    { weight: 4, arbitrary: plain },
    fc.constantFrom(
      ' ', ' ', '\t', '\n', '\\\n', '\\', "'", '"', '$', '${', '}', '{', '(', ')', '[', ']', '[[', '<', '>', '>>', '<<',
      '&', '&&', '|', '||', ';', ';;', '#', '=', '==', '=~', '+=', '!', '`', '$(', '$((', '*', '?', '~', 'if', 'then',
      'fi', 'for', 'in', 'do', 'done', 'case', 'esac', 'while', 'function', 'export', 'local', 'unset', 'time',
      '2', '0', '_', '-', '-e', '\r', '\u00a0', 'é', '😀', 'echo', 'a=b', '$A', '${A}', '$1', '$_', '$_0', '$?', "'x'",
      '"x"', '\\ ', '>&', '2>', '&>', '<&', '>|', '<>', '{1..3}', 'a[1]', '"$a"', '"${a}"', '"$"', '"\\$a"',
      '>/dev/null', '2>&1', ' | ', '\n\\', '\n\n',
    ),
  );

  it('near misses: whenever the reader accepts, it agrees with tree-sitter', () => {
    fc.assert(fc.property(fc.array(nearMiss, { maxLength: 14 }), (tokens) => { check(tokens.join('')); }), { numRuns: RUNS * 3 });
  });

  it('real-looking scripts with pieces inserted or cut out: whenever the reader accepts, it agrees', () => {
    const seeds = [
      'set -eux; apt-get update; apt-get install -y --no-install-recommends curl ca-certificates; rm -rf /var/lib/apt/lists/*',
      'pip install --no-cache-dir "requests==2.32.3" /src/app[extra] && echo done > /tmp/x 2>&1',
      'curl -fsSLo /tmp/tool.tar.gz https://example.com/${VERSION}/tool-$ARCH.tar.gz \\\n    && tar -xzf /tmp/tool.tar.gz -C /usr/local/bin \\\n    && rm /tmp/tool.tar.gz',
      'mkdir -p /var/lib/app /var/log/app\nchown -R app /var/lib/app\nfind . -name "*.pyc" -exec rm {} +\n',
      'ls -la | grep x | sort\necho "$HOME/x" \'y\' a\\ b # c\n  cat f >> /etc/g',
    ];
    const edit = fc.tuple(fc.nat(), fc.oneof(nearMiss, fc.nat({ max: 6 })));
    const mutated = fc.tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([seed, edits]) => {
      let text = seed;
      for (const [at, e] of edits) {
        const i = at % (text.length + 1);
        text = typeof e === 'string' ? text.slice(0, i) + e + text.slice(i) : text.slice(0, i) + text.slice(i + e);
      }
      return text;
    });
    let accepted = 0;
    fc.assert(fc.property(mutated, (text) => { if (check(text)) accepted++; }), { numRuns: RUNS * 3 });
    expect(accepted).toBeGreaterThan(RUNS / 2);
  });
});
