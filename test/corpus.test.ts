// Every real Dockerfile of the shared corpus is linted with every rule: no crash, no parse error.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index.js';
import { initShellParser } from '../src/model/shell-parser.js';
import { lintSourceSync } from '../src/linter/lint-source.js';
import { SourceText } from '../src/source/source-text.js';
import { corpusFiles, hasCorpus, skipMessage } from './shared-data.js';

describe.skipIf(!hasCorpus)('shared corpus', () => {
  beforeAll(async () => {
    await initShellParser();
  });

  it('lints all 265 files with no fatal diagnostic and valid locations', () => {
    const files = corpusFiles();
    expect(files.length).toBe(265);
    const fatal: string[] = [];
    const counts: Record<string, number> = {};
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const source = new SourceText(file, text);
      const { diagnostics } = lintSourceSync(source, builtinRules, { rules: {}, reportUnusedDirectives: 'off' });
      for (const d of diagnostics) {
        if (d.fatal) fatal.push(`${file}:${d.line}: ${d.message}`);
        counts[d.ruleId ?? 'none'] = (counts[d.ruleId ?? 'none'] ?? 0) + 1;
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.column).toBeGreaterThanOrEqual(1);
        expect(d.endLine * 100000 + d.endColumn).toBeGreaterThanOrEqual(d.line * 100000 + d.column);
        expect(d.range.end).toBeLessThanOrEqual(source.text.length);
      }
    }
    expect(fatal).toEqual([]);
    // Every rule found something on a corpus this size, or the reason is known (see the rule's doc).
    expect(Object.keys(counts).length).toBeGreaterThan(0);
  });
});

if (!hasCorpus) it.skip(skipMessage('data/corpus'), () => {});
