import type { FamilyRuleModule, RuleModule } from './types.js';

/** Declares a rule with its messages and options typed from `meta`. */
export function createRule<M extends string, O extends object = Record<string, never>>(rule: RuleModule<M, O>): RuleModule<M, O> {
  return rule;
}

/** Declares a family rule: it sees the whole image graph and reports in any file of it. */
export function createFamilyRule<M extends string, O extends object = Record<string, never>>(rule: FamilyRuleModule<M, O>): FamilyRuleModule<M, O> {
  return rule;
}
