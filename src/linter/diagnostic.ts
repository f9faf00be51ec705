import type { Fix, RelatedLocation, Severity } from '../rule/types.js';
import type { Range } from '../source/source-text.js';

export interface Diagnostic {
  /** null for problems reading or parsing the file. */
  ruleId: string | null;
  messageId?: string;
  severity: Severity;
  message: string;
  range: Range;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fix?: Fix;
  suggestions?: { messageId?: string; message: string; fix: Fix }[];
  related?: RelatedLocation[];
  /** The file could not be read or parsed here. */
  fatal?: boolean;
}

export interface LintResult {
  /** Relative to the current directory, with `/` separators. */
  filePath: string;
  messages: Diagnostic[];
  errorCount: number;
  warningCount: number;
  infoCount: number;
  fixableCount: number;
  /** The linted text, for code frames. */
  source?: string;
  /** The fixed text, when fixing was asked for and changed something. */
  output?: string;
  /** The text before fixing, when `output` is set (`source` is then the fixed text). */
  input?: string;
}

export function summarize(filePath: string, messages: Diagnostic[], source?: string): LintResult {
  messages.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end || compareText(a.ruleId ?? '', b.ruleId ?? ''));
  const result: LintResult = {
    filePath,
    messages,
    errorCount: messages.filter((m) => m.severity === 'error').length,
    warningCount: messages.filter((m) => m.severity === 'warning').length,
    infoCount: messages.filter((m) => m.severity === 'info').length,
    fixableCount: messages.filter((m) => m.fix).length,
  };
  if (source !== undefined) result.source = source;
  return result;
}

/**
 * Orders strings by code unit: deterministic everywhere, and free, where the first localeCompare()
 * of a process loads the collation data (some 15 ms of a one-file run).
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
