// GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` per finding, which GitHub
// turns into annotations on the pull request's changed lines. The log view shows only the message
// of a command, not its properties, so the message repeats the location and the rule.
import path from 'node:path';
import type { Diagnostic } from '../linter/diagnostic.js';
import type { Severity } from '../rule/types.js';
import { reportingRuleId } from './sarif.js';
import type { Formatter } from './types.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

export const github: Formatter = (results, context) => {
  const out: string[] = [];
  for (const result of results) {
    const file = displayPath(result.filePath, context.cwd);
    let lines: string[] | undefined;
    const lineText = (line: number): string | undefined => (lines ??= result.source?.split('\n'))?.[line - 1];
    for (const m of result.messages) out.push(command(file, m, lineText));
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
};

function command(file: string, m: Diagnostic, lineText: (line: number) => string | undefined): string {
  const ruleId = reportingRuleId(m);
  let endLine = m.endLine;
  let endColumn: number | undefined = m.endColumn;
  // A range that ends just after a line break ends on the line before it.
  if (endLine > m.line && endColumn === 1) {
    endLine--;
    const text = lineText(endLine);
    endColumn = text === undefined ? undefined : text.replace(/\r$/, '').length + 1;
  }
  const props: [string, string | number][] = [
    ['file', file],
    ['line', m.line],
    ['endLine', endLine],
  ];
  // Annotations take columns only on one line; an empty range marks a column, not a span.
  if (endLine === m.line) {
    props.push(['col', m.column]);
    if (endColumn !== undefined && endColumn > m.column) props.push(['endColumn', endColumn]);
  }
  props.push(['title', ruleId]);
  const related = (m.related ?? []).map((r) => `\n  ${r.filePath === undefined ? file : r.filePath}:${r.line}:${r.column}: ${r.message}`);
  const message = `${file}:${m.line}:${m.column}: ${m.message} (${ruleId})${related.join('')}`;
  return `::${COMMAND[m.severity]} ${props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeData(message)}`;
}

/** As @actions/core escapes a command's message. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** As @actions/core escapes a command's property values, where `:` and `,` are separators. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function displayPath(filePath: string, cwd: string): string {
  return path.isAbsolute(filePath) ? path.relative(cwd, filePath).split(path.sep).join('/') || '.' : filePath;
}
