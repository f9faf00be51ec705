import { describe, expect, it } from 'vitest';
import { checkRuleTests } from '../src/testing/rule-tester.js';
import rule from '../rules/merge-consecutive-runs.js';

const invalid = { code: 'FROM a:1\nRUN a\nRUN b\n', errors: [{ messageId: 'consecutive', line: 3, column: 1, endLine: 3, endColumn: 4 }], output: null };

describe('RuleTester checks', () => {
  it('accepts a well-formed suite', () => {
    expect(() => checkRuleTests(rule, { valid: ['FROM a:1\n'], invalid: [invalid] })).not.toThrow();
  });

  it('rejects duplicate cases', () => {
    expect(() => checkRuleTests(rule, { valid: ['FROM a:1\n', { code: 'FROM a:1\n' }], invalid: [invalid] })).toThrow(/duplicate test case/);
  });

  it('rejects a messageId that no invalid case exercises', () => {
    expect(() => checkRuleTests(rule, { valid: ['FROM a:1\n'], invalid: [] })).toThrow(/never exercised by an invalid case: consecutive/);
  });

  it('rejects an expected messageId the rule does not have', () => {
    const bad = { ...invalid, errors: [...invalid.errors, { messageId: 'nope', line: 1, column: 1, endLine: 1, endColumn: 1 }] };
    expect(() => checkRuleTests(rule, { valid: [], invalid: [bad] })).toThrow(/unknown messageIds: nope/);
  });

  it('requires every invalid case to state its fix output', () => {
    const { output: _o, ...noOutput } = invalid;
    expect(() => checkRuleTests(rule, { valid: [], invalid: [noOutput as typeof invalid] })).toThrow(/must give output/);
  });
});

describe('RuleTester suggestion messageIds', () => {
  it('counts a messageId used only by a suggestion as exercised', async () => {
    const { createRule } = await import('../src/rule/create-rule.js');
    const suggesting = createRule({
      id: 'suggesting',
      meta: { type: 'bytes', docs: { description: 'a test rule with a suggestion' }, messages: { found: 'found', useX: 'use x' }, hasSuggestions: true, defaultSeverity: 'warning', schema: {}, defaultOptions: {} },
      create: () => ({}),
    });
    const err = { messageId: 'found', line: 1, column: 1, endLine: 1, endColumn: 1 };
    expect(() => checkRuleTests(suggesting, { valid: [], invalid: [{ code: 'FROM a\n', errors: [err], output: null }] })).toThrow(/useX/);
    expect(() =>
      checkRuleTests(suggesting, { valid: [], invalid: [{ code: 'FROM a\n', errors: [{ ...err, suggestions: [{ messageId: 'useX', output: 'FROM b\n' }] }], output: null }] }),
    ).not.toThrow();
  });
});
