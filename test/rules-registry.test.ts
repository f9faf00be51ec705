// The rules folder, rules/index.ts and the docs must agree, and each doc's examples must be true.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index.js';
import { initShellParser } from '../src/model/shell-parser.js';
import { lintSourceSync } from '../src/linter/lint-source.js';
import { SourceText } from '../src/source/source-text.js';
import { isFamilyRule } from '../src/rule/types.js';
import { lintFamily, type Family } from '../src/testing/family-tester.js';

const rulesDir = join(import.meta.dirname, '..', 'rules');
const files = readdirSync(rulesDir);
const idsOnDisk = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts').map((f) => f.slice(0, -3)).sort();

beforeAll(async () => {
  await initShellParser();
});

describe('rules registry', () => {
  it('rules/index.ts lists exactly the rule files, sorted, each once', () => {
    const ids = builtinRules.map((r) => r.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(idsOnDisk);
  });

  for (const id of idsOnDisk) {
    describe(id, () => {
      const rule = builtinRules.find((r) => r.id === id);
      const doc = files.includes(`${id}.md`) ? readFileSync(join(rulesDir, `${id}.md`), 'utf8') : '';

      it('has a kebab-case id, a test file and a doc', () => {
        expect(id).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
        expect(files).toContain(`${id}.test.ts`);
        expect(files).toContain(`${id}.md`);
        expect(rule?.meta.docs.description.length).toBeGreaterThan(10);
      });

      it('has a doc that opens with its id and names its sources', () => {
        expect(doc.split('\n')[0]).toBe(`# ${id}`);
        expect(doc).toMatch(/^## Why$/m);
        for (const src of rule?.meta.docs.sources ?? []) {
          expect(doc).toContain(src.replace(/^hadolint:/, ''));
        }
      });

      it('reports its ❌ example and not its ✅ example', () => {
        if (rule && isFamilyRule(rule)) {
          // A family rule's examples are several blocks, each opening with `# image: <name>`.
          const bad = familyExample(doc, '❌');
          const good = familyExample(doc, '✅');
          expect(Object.keys(bad).length, 'two or more ❌ images').toBeGreaterThan(1);
          expect(Object.keys(good).length, 'two or more ✅ images').toBeGreaterThan(1);
          expect(lintFamily(rule, bad).length).toBeGreaterThan(0);
          expect(lintFamily(rule, good).map(({ image, d }) => `${image}:${d.line} ${d.message}`)).toEqual([]);
          return;
        }
        const bad = example(doc, '❌');
        const good = example(doc, '✅');
        expect(bad, 'a ❌ dockerfile block').not.toBeNull();
        expect(good, 'a ✅ dockerfile block').not.toBeNull();
        const settings = { rules: {}, reportUnusedDirectives: 'off' as const };
        const lint = (code: string): string[] =>
          lintSourceSync(new SourceText(`${id}.md`, code), builtinRules, settings).diagnostics.filter((d) => d.ruleId === id || d.fatal).map((d) => `${d.line}: ${d.message}`);
        expect(lint(bad ?? '').length).toBeGreaterThan(0);
        expect(lint(good ?? '')).toEqual([]);
      });
    });
  }
});

function section(doc: string, mark: string): string {
  const at = doc.indexOf(`## ${mark}`);
  if (at < 0) return '';
  const next = doc.indexOf('\n## ', at + 3);
  return doc.slice(at, next < 0 ? undefined : next);
}

function familyExample(doc: string, mark: string): Family {
  const family: Family = {};
  for (const m of section(doc, mark).matchAll(/```dockerfile\n# image: ([\w.-]+)\n([\s\S]*?)```/g)) family[m[1] as string] = m[2] as string;
  return family;
}

function example(doc: string, mark: string): string | null {
  const at = doc.indexOf(`## ${mark}`);
  if (at < 0) return null;
  const m = /```dockerfile\n([\s\S]*?)```/.exec(doc.slice(at));
  return m ? (m[1] as string) : null;
}
