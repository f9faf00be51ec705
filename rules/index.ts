// The built-in rules, one line each; test/rules-registry.test.ts checks this list against the folder and the docs.
import type { AnyRule } from '../src/rule/types.js';
import mergeConsecutiveRuns from './merge-consecutive-runs.js';

export const builtinRules: readonly AnyRule[] = [
  mergeConsecutiveRuns,
];
