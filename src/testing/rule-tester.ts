// A vitest-backed tester for one rule, in the manner of ESLint's and typescript-eslint's RuleTester:
// literal valid/invalid cases, errors by messageId with 1-based positions, fix output or explicitly
// none, duplicate cases and unexercised messageIds rejected, every fixed output re-parsed.
import { beforeAll, describe, expect, it } from 'vitest';
import { SourceText } from '../source/source-text.js';
import { initShellParser } from '../model/shell-parser.js';
import { lintSourceSync, type LintSettings } from '../linter/lint-source.js';
import { applyFixes } from '../fix/apply-fixes.js';
import type { AnyRule } from '../rule/types.js';
import type { Diagnostic } from '../linter/diagnostic.js';

export interface ValidCase {
  name?: string;
  code: string;
  options?: Record<string, unknown>;
}

export interface ExpectedError {
  messageId: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  data?: Record<string, string | number>;
  /** Expected suggestions, in order, when the rule suggests: the text after applying each (and its messageId). */
  suggestions?: (string | { messageId: string; output: string })[];
}

export interface InvalidCase {
  name?: string;
  code: string;
  options?: Record<string, unknown>;
  errors: ExpectedError[];
  /** Text after applying the safe fixes; null when the rule must not fix this case. */
  output: string | null;
}

export interface RuleTests {
  valid: (string | ValidCase)[];
  invalid: InvalidCase[];
}

function settingsFor(rule: AnyRule, options: Record<string, unknown> | undefined): LintSettings {
  return { rules: { [rule.id]: { severity: 'error', ...(options ? { options } : {}) } }, reportUnusedDirectives: 'off' };
}

function lint(rule: AnyRule, code: string, options?: Record<string, unknown>): Diagnostic[] {
  const { diagnostics } = lintSourceSync(new SourceText('Dockerfile', code), [rule], settingsFor(rule, options));
  const fatal = diagnostics.filter((d) => d.fatal);
  if (fatal.length > 0) throw new Error(`test case does not parse: ${fatal.map((d) => `${d.line}:${d.column} ${d.message}`).join('; ')}\n${code}`);
  return diagnostics.filter((d) => d.ruleId === rule.id);
}

/** Checks made before any case runs: duplicates, messageIds no case expects, cases missing `output`. */
export function checkRuleTests(rule: AnyRule, tests: RuleTests): void {
  const seen = new Set<string>();
  const key = (c: string | ValidCase | InvalidCase): string => JSON.stringify(typeof c === 'string' ? { code: c, options: null } : { code: c.code, options: c.options ?? null });
  for (const c of [...tests.valid, ...tests.invalid]) {
    const k = key(c);
    if (seen.has(k)) throw new Error(`duplicate test case for ${rule.id}: ${k}`);
    seen.add(k);
  }
  const exercised = new Set(
    tests.invalid.flatMap((c) => c.errors.flatMap((e) => [e.messageId, ...(e.suggestions ?? []).flatMap((s) => (typeof s === 'string' ? [] : [s.messageId]))])),
  );
  const missing = Object.keys(rule.meta.messages).filter((m) => !exercised.has(m));
  if (missing.length > 0) throw new Error(`${rule.id}: messageIds never exercised by an invalid case: ${missing.join(', ')}`);
  const unknown = [...exercised].filter((m) => !(m in rule.meta.messages));
  if (unknown.length > 0) throw new Error(`${rule.id}: test cases expect unknown messageIds: ${unknown.join(', ')}`);
  for (const c of tests.invalid as Partial<InvalidCase>[]) {
    if (c.output === undefined) throw new Error(`${rule.id}: invalid case "${c.name ?? c.code}" must give output (null for no fix)`);
  }
}

export function runRuleTests(rule: AnyRule, tests: RuleTests): void {
  checkRuleTests(rule, tests);

  describe(rule.id, () => {
    beforeAll(async () => {
      await initShellParser();
    });

    describe('valid', () => {
      for (const c of tests.valid) {
        const vc = typeof c === 'string' ? { code: c } : c;
        it(vc.name ?? vc.code, () => {
          const found = lint(rule, vc.code, vc.options);
          expect(found.map((d) => `${d.line}:${d.column} ${d.messageId}: ${d.message}`)).toEqual([]);
        });
      }
    });

    describe('invalid', () => {
      for (const c of tests.invalid) {
        it(c.name ?? c.code, () => {
          expect(c.errors.length, 'an invalid case must expect at least one error').toBeGreaterThan(0);
          const found = lint(rule, c.code, c.options);
          const actual = found.map((d) => {
            const e: ExpectedError = { messageId: d.messageId ?? '', line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn };
            return e;
          });
          const expected = c.errors.map(({ data: _d, suggestions: _s, ...rest }) => rest);
          expect(actual).toEqual(expected);
          c.errors.forEach((e, i) => {
            const d = found[i] as Diagnostic;
            if (e.data) {
              const template = rule.meta.messages[e.messageId] ?? '';
              let msg = template;
              for (const [k, v] of Object.entries(e.data)) msg = msg.replaceAll(`{{${k}}}`, String(v)).replaceAll(`{{ ${k} }}`, String(v));
              expect(d.message).toBe(msg);
            }
            if (e.suggestions) {
              const outs = (d.suggestions ?? []).map((s) => applyFixes(c.code, [s.fix]).text);
              expect(outs).toEqual(e.suggestions.map((s) => (typeof s === 'string' ? s : s.output)));
              e.suggestions.forEach((s, k) => {
                if (typeof s !== 'string') expect(d.suggestions?.[k]?.messageId).toBe(s.messageId);
              });
              for (const out of outs) assertParses(out);
            }
          });
          const fixes = found.flatMap((d) => (d.fix ? [d.fix] : []));
          if (c.output === null) {
            expect(fixes, 'expected no fix').toEqual([]);
          } else {
            if (!rule.meta.fixable) throw new Error(`${rule.id} is not fixable but a case expects output`);
            const out = applyFixes(c.code, fixes).text;
            expect(out).toBe(c.output);
            assertParses(out);
          }
        });
      }
    });
  });
}

function assertParses(text: string): void {
  const { diagnostics } = lintSourceSync(new SourceText('Dockerfile', text), [], { rules: {}, reportUnusedDirectives: 'off' });
  const fatal = diagnostics.filter((d) => d.fatal);
  expect(fatal.map((d) => d.message), 'fixed output must parse').toEqual([]);
}
