// Machine-readable results in ESLint's shape: an array of {filePath, messages}, positions 1-based
// with UTF-16 columns. Offsets (`range`) and the linted text stay out: they are internal.
import path from 'node:path';
import type { Diagnostic, LintResult } from '../linter/diagnostic.js';
import type { Formatter } from './types.js';

export interface JsonMessage {
  ruleId: string | null;
  severity: Diagnostic['severity'];
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  messageId?: string;
  fatal?: boolean;
  fix?: Diagnostic['fix'];
  suggestions?: Diagnostic['suggestions'];
  related?: Diagnostic['related'];
}

export interface JsonResult {
  filePath: string;
  messages: JsonMessage[];
  errorCount: number;
  warningCount: number;
  infoCount: number;
  fixableCount: number;
  output?: string;
}

export const json: Formatter = (results, context) => JSON.stringify(results.map((r) => toJson(r, context.cwd)));

function toJson(result: LintResult, cwd: string): JsonResult {
  const filePath = path.isAbsolute(result.filePath) ? path.relative(cwd, result.filePath).split(path.sep).join('/') : result.filePath;
  const out: JsonResult = {
    filePath,
    messages: result.messages.map(toJsonMessage),
    errorCount: result.errorCount,
    warningCount: result.warningCount,
    infoCount: result.infoCount,
    fixableCount: result.fixableCount,
  };
  if (result.output !== undefined) out.output = result.output;
  return out;
}

function toJsonMessage(m: Diagnostic): JsonMessage {
  const out: JsonMessage = {
    ruleId: m.ruleId,
    severity: m.severity,
    message: m.message,
    line: m.line,
    column: m.column,
    endLine: m.endLine,
    endColumn: m.endColumn,
  };
  if (m.messageId !== undefined) out.messageId = m.messageId;
  if (m.fatal) out.fatal = true;
  if (m.fix) out.fix = m.fix;
  if (m.suggestions) out.suggestions = m.suggestions;
  if (m.related) out.related = m.related;
  return out;
}
