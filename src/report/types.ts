import type { LintResult } from '../linter/diagnostic.js';
import type { RuleMeta } from '../rule/types.js';

export interface FormatterContext {
  /** The directory file paths are shown relative to. */
  cwd: string;
  /** Emit ANSI colors. */
  color: boolean;
  /** Metadata of every known rule, by id. */
  rulesMeta: Record<string, RuleMeta<string, unknown>>;
  /** Says something the report itself cannot carry, e.g. that results were left out; the CLI prints it on stderr. */
  warn?: (message: string) => void;
}

/** Turns results into the text of one report; never prints. */
export type Formatter = (results: LintResult[], context: FormatterContext) => string;
