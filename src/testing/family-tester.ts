// RuleTester for family rules: each case is a small family of Dockerfiles, one per image directory.
import { beforeAll, describe, expect, it } from 'vitest';
import { SourceText } from '../source/source-text.js';
import { initShellParser } from '../model/shell-parser.js';
import { buildModel } from '../model/build.js';
import { buildGraph } from '../graph/build-graph.js';
import { runFamilyRules } from '../linter/run-family-rules.js';
import type { AnyFamilyRule } from '../rule/types.js';

/** Image name (its directory) -> Dockerfile text. */
export type Family = Record<string, string>;

export interface FamilyValidCase {
  name: string;
  family: Family;
  options?: Record<string, unknown>;
}

export interface FamilyExpectedError {
  /** The image whose Dockerfile carries the finding. */
  image: string;
  messageId: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  data?: Record<string, string | number>;
  /** Related locations as `image:line`. */
  related?: string[];
}

export interface FamilyInvalidCase extends FamilyValidCase {
  errors: FamilyExpectedError[];
}

export interface FamilyRuleTests {
  valid: FamilyValidCase[];
  invalid: FamilyInvalidCase[];
}

export const FAMILY_ROOT = '/family';

export function lintFamily(rule: AnyFamilyRule, family: Family, options?: Record<string, unknown>) {
  const inputs = Object.entries(family).map(([image, text]) => {
    const file = `${FAMILY_ROOT}/${image}/Dockerfile`;
    return { file, model: buildModel(new SourceText(file, text)) };
  });
  const graph = buildGraph(inputs);
  const found = runFamilyRules(graph, [{ rule, severity: 'warning', options: { ...rule.meta.defaultOptions, ...(options ?? {}) } }], FAMILY_ROOT);
  return [...found.entries()]
    .flatMap(([file, diags]) => diags.map((d) => ({ image: file.slice(FAMILY_ROOT.length + 1, -'/Dockerfile'.length), d })))
    .sort((a, b) => a.image.localeCompare(b.image) || a.d.range.start - b.d.range.start);
}

export function checkFamilyRuleTests(rule: AnyFamilyRule, tests: FamilyRuleTests): void {
  const names = new Set<string>();
  const bodies = new Set<string>();
  for (const c of [...tests.valid, ...tests.invalid]) {
    if (names.has(c.name)) throw new Error(`${rule.id}: duplicate case name "${c.name}"`);
    names.add(c.name);
    const body = JSON.stringify([c.family, c.options ?? null]);
    if (bodies.has(body)) throw new Error(`${rule.id}: duplicate case "${c.name}"`);
    bodies.add(body);
  }
  const exercised = new Set(tests.invalid.flatMap((c) => c.errors.map((e) => e.messageId)));
  const missing = Object.keys(rule.meta.messages).filter((m) => !exercised.has(m));
  if (missing.length > 0) throw new Error(`${rule.id}: messageIds never exercised by an invalid case: ${missing.join(', ')}`);
}

export function runFamilyRuleTests(rule: AnyFamilyRule, tests: FamilyRuleTests): void {
  checkFamilyRuleTests(rule, tests);
  describe(rule.id, () => {
    beforeAll(async () => {
      await initShellParser();
    });
    for (const c of tests.valid) {
      it(`valid: ${c.name}`, () => {
        expect(lintFamily(rule, c.family, c.options).map(({ image, d }) => `${image}:${d.line} ${d.message}`)).toEqual([]);
      });
    }
    for (const c of tests.invalid) {
      it(`invalid: ${c.name}`, () => {
        const found = lintFamily(rule, c.family, c.options);
        const actual = found.map(({ image, d }) => {
          const e: FamilyExpectedError = { image, messageId: d.messageId ?? '', line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn };
          return e;
        });
        expect(actual).toEqual(c.errors.map(({ data: _d, related: _r, ...rest }) => rest));
        c.errors.forEach((e, i) => {
          const d = found[i]?.d;
          if (e.data) {
            let msg = rule.meta.messages[e.messageId] ?? '';
            for (const [k, v] of Object.entries(e.data)) msg = msg.replaceAll(`{{${k}}}`, String(v));
            expect(d?.message).toBe(msg);
          }
          if (e.related) {
            expect((d?.related ?? []).map((r) => `${(r.filePath ?? '').replace(/\/Dockerfile$/, '')}:${r.line}`)).toEqual(e.related);
          }
        });
      });
    }
  });
}
