import type { RuleModule } from './types.js';

/** Declares a rule with its messages and options typed from `meta`. */
export function createRule<M extends string, O extends object = Record<string, never>>(rule: RuleModule<M, O>): RuleModule<M, O> {
  return rule;
}
