import type { Range, SourceText } from '../source/source-text.js';
import type { DockerfileModel, Instruction, InstructionMap, Stage } from '../model/types.js';
import type { ImageGraph } from '../graph/types.js';

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

/** One text replacement on string offsets of the linted text. */
export interface Edit {
  range: Range;
  text: string;
}

export interface Fix {
  edits: Edit[];
}

export interface Fixer {
  replace(range: Range, text: string): Edit;
  insertBefore(offset: number, text: string): Edit;
  insertAfter(offset: number, text: string): Edit;
  remove(range: Range): Edit;
}

export type FixFunction = (fixer: Fixer) => Edit | Edit[] | null;

export interface RelatedLocation {
  message: string;
  /** Another file, relative to the current directory; the same file when absent. */
  filePath?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface ReportDescriptor<M extends string> {
  range: Range;
  messageId: M;
  data?: Record<string, string | number>;
  /** A safe fix: it does not change what the build produces or caches. */
  fix?: FixFunction;
  /** Fixes that can change what a build does; applied only when asked. */
  suggest?: { messageId: M; data?: Record<string, string | number>; fix: FixFunction }[];
  related?: RelatedLocation[];
}

export interface RuleContext<M extends string, O> {
  readonly ruleId: string;
  readonly options: O;
  readonly model: DockerfileModel;
  readonly source: SourceText;
  report(descriptor: ReportDescriptor<M>): void;
}

export type Visitors = {
  [K in keyof InstructionMap]?: (node: InstructionMap[K]) => void;
} & {
  /** Every instruction, before its keyword visitor. */
  Instruction?: (node: Instruction) => void;
  Stage?: (stage: Stage) => void;
  'Stage:exit'?: (stage: Stage) => void;
  'File:exit'?: (model: DockerfileModel) => void;
};

/** The cost a rule guards: image bytes, build-cache reuse, layer count, or repeatable builds. */
export type RuleCost = 'bytes' | 'cache' | 'layers' | 'reproducibility';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  additionalProperties?: boolean | JsonSchema;
  minimum?: number;
  maximum?: number;
  description?: string;
  default?: unknown;
  [key: string]: unknown;
}

export interface RuleMeta<M extends string, O> {
  type: RuleCost;
  docs: {
    description: string;
    /** Rules of other linters this one mirrors, e.g. `hadolint:DL3059`. */
    sources?: string[];
  };
  messages: Record<M, string>;
  fixable?: 'code';
  hasSuggestions?: boolean;
  defaultSeverity: Severity;
  /** JSON Schema of the options object. */
  schema: JsonSchema;
  defaultOptions: O;
}

export interface RuleModule<M extends string = string, O = Record<string, unknown>> {
  /** kebab-case, equal to the rule's file name. */
  id: string;
  /** A file rule sees one Dockerfile at a time (the default). */
  scope?: 'file';
  meta: RuleMeta<M, O>;
  create(context: RuleContext<M, O>): Visitors;
}

export interface FamilyReportDescriptor<M extends string> {
  /** Absolute path of the Dockerfile the finding is reported in. */
  file: string;
  range: Range;
  messageId: M;
  data?: Record<string, string | number>;
  related?: RelatedLocation[];
}

export interface FamilyRuleContext<M extends string, O> {
  readonly ruleId: string;
  readonly options: O;
  readonly graph: ImageGraph;
  report(descriptor: FamilyReportDescriptor<M>): void;
  /** A related location for a range in another (or the same) Dockerfile of the family. */
  locate(file: string, range: Range, message: string): RelatedLocation;
}

export interface FamilyVisitors {
  /** Called once with the whole family graph. */
  Family?: (graph: ImageGraph) => void;
}

/** A rule over the whole family of images: it sees the graph, and reports in any of its files. */
export interface FamilyRuleModule<M extends string = string, O = Record<string, unknown>> {
  id: string;
  scope: 'family';
  meta: RuleMeta<M, O>;
  create(context: FamilyRuleContext<M, O>): FamilyVisitors;
}

/** Any file rule, whatever its messages and options. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFileRule = RuleModule<string, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFamilyRule = FamilyRuleModule<string, any>;
/** Any rule, file or family. */
export type AnyRule = AnyFileRule | AnyFamilyRule;

export function isFamilyRule(rule: AnyRule): rule is AnyFamilyRule {
  return rule.scope === 'family';
}
