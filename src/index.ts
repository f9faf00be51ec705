// layerlint's library API. It never prints and never exits: results and errors are values, and the
// CLI (src/cli/main.ts) is one consumer of them.
import { builtinRules } from '../rules/index.js';
import { loadConfigFile, type LoadedConfig } from './config/load-config.js';
import type { AnyRule } from './rule/types.js';

export { lintFiles, lintText, type LintFilesOptions, type LintTextOptions } from './load/lint-files.js';
export { formatters, type Formatter, type FormatterContext, type JsonMessage, type JsonResult } from './report/index.js';
export { createRule, createFamilyRule } from './rule/create-rule.js';
export { analyzeFiles, type Analysis } from './load/lint-files.js';
export { configJsonSchema } from './config/load-config.js';
export { readImages } from './measure/read-images.js';
export { ImageReadError, type MeasuredImage, type MeasuredLayer, type MeasuredSet } from './measure/types.js';
export { estimateFamily, proposeSavings } from './estimate/index.js';
export { formatGraph, graphToJson } from './graph/format-graph.js';
export type { ImageGraph, ImageNode, LayerStep } from './graph/types.js';
export { builtinRules };
export { ConfigError, findConfigFile, type LoadedConfig } from './config/load-config.js';

/** Reads and validates one config file against the built-in rules (or the rules given). */
export function loadConfig(file: string, registry: readonly AnyRule[] = builtinRules): Promise<LoadedConfig> {
  return loadConfigFile(file, registry);
}

export type { Diagnostic, LintResult } from './linter/diagnostic.js';
export type { LintSettings, RuleSetting } from './linter/lint-source.js';
export type {
  AnyRule,
  Edit,
  Fix,
  Fixer,
  FixFunction,
  JsonSchema,
  RelatedLocation,
  ReportDescriptor,
  RuleContext,
  RuleCost,
  RuleMeta,
  RuleModule,
  Severity,
  SeveritySetting,
  Visitors,
} from './rule/types.js';
export type { Location, Position, Range } from './source/source-text.js';
export type * from './model/types.js';
