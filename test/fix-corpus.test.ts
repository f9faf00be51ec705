// The fix guarantees on real files: every fixed file parses, runs the same commands in the same
// order per stage apart from the intended edits, and a second fix changes nothing.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index.js';
import { initShellParser } from '../src/model/shell-parser.js';
import { lintSourceSync } from '../src/linter/lint-source.js';
import { SourceText } from '../src/source/source-text.js';
import { fixText, type FixType } from '../src/fix/fix-loop.js';
import { commandsPreserved } from '../src/fix/verify.js';
import { buildModel } from '../src/model/build.js';
import { corpusFiles, hasCorpus, sharedDir, skipMessage } from './shared-data.js';

const settings = { rules: {}, reportUnusedDirectives: 'off' as const };
const lint = (text: string) => lintSourceSync(new SourceText('Dockerfile', text), builtinRules, settings);

function check(files: string[], types: FixType[]): { changed: number; problems: string[] } {
  let changed = 0;
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const first = fixText(text, lint, types);
    if (!first.fixed) continue;
    changed++;
    if (first.diagnostics.some((d) => d.fatal)) problems.push(`${file}: fixed text does not parse`);
    if (!commandsPreserved(buildModel(new SourceText(file, text)), buildModel(new SourceText(file, first.output)))) problems.push(`${file}: commands changed`);
    const second = fixText(first.output, lint, types);
    if (second.fixed) problems.push(`${file}: a second fix changed it again`);
  }
  return { changed, problems };
}

const kolla = join(sharedDir, 'data', 'kolla', 'rendered', 'rocky-x86_64');

describe('fix guarantees on real Dockerfiles', () => {
  beforeAll(async () => {
    await initShellParser();
  });

  it.skipIf(!hasCorpus)('corpus: safe fixes', () => {
    const { changed, problems } = check(corpusFiles(), ['safe']);
    expect(problems).toEqual([]);
    expect(changed).toBeGreaterThan(0);
  });

  it.skipIf(!hasCorpus)('corpus: safe fixes and suggestions', () => {
    expect(check(corpusFiles(), ['safe', 'suggestion']).problems).toEqual([]);
  });

  it.skipIf(!existsSync(kolla))('Kolla render: safe fixes', () => {
    const files = readdirSync(kolla).map((d) => join(kolla, d, 'Dockerfile'));
    expect(check(files, ['safe']).problems).toEqual([]);
  });
});

if (!hasCorpus) it.skip(skipMessage('data/corpus'), () => {});
