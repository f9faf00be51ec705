// The default, human-readable report, shaped like ESLint's stylish: a header per file, one line per
// finding, and the code it points at, so a reader need not open the file to see what is meant.
import path from 'node:path';
import { codeFrameColumns } from '@babel/code-frame';
import { Chalk, type ChalkInstance } from 'chalk';
import type { Diagnostic, LintResult } from '../linter/diagnostic.js';
import type { Severity } from '../rule/types.js';
import type { Formatter } from './types.js';

/** Findings spanning more lines than this show only their first line: the frame is for orientation. */
const MAX_FRAME_SPAN = 4;

export const stylish: Formatter = (results, context) => {
  const c = new Chalk({ level: context.color ? 1 : 0 });
  const out: string[] = [];
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let fixable = 0;

  for (const result of results) {
    if (result.messages.length === 0) continue;
    errors += result.errorCount;
    warnings += result.warningCount;
    infos += result.infoCount;
    fixable += result.fixableCount;

    out.push(c.underline(displayPath(result.filePath, context.cwd)));
    const lines = result.source === undefined ? null : splitLines(result.source);
    const posWidth = Math.max(...result.messages.map((m) => `${m.line}:${m.column}`.length));
    const sevWidth = Math.max(...result.messages.map((m) => m.severity.length));
    for (const m of result.messages) {
      const pos = `${m.line}:${m.column}`.padEnd(posWidth);
      const sev = paint(c, m.severity, m.severity.padEnd(sevWidth));
      const rule = m.ruleId === null ? '' : `  ${c.dim(m.ruleId)}`;
      out.push(`  ${c.dim(pos)}  ${sev}  ${m.message}${rule}`);
      for (const r of m.related ?? []) {
        const where = `${r.filePath === undefined ? '' : `${r.filePath}:`}${r.line}:${r.column}`;
        out.push(`      ${c.dim('related')} ${where}  ${r.message}`);
      }
      for (const s of m.suggestions ?? []) out.push(`      ${c.dim('suggestion')} ${s.message}`);
      const frame = lines === null ? null : codeFrame(lines, m);
      if (frame !== null) {
        out.push('');
        for (const line of frame.split('\n')) out.push(`    ${line}`.trimEnd());
        out.push('');
      }
    }
    if (out[out.length - 1] !== '') out.push('');
  }

  const total = errors + warnings + infos;
  if (total === 0) return '';
  const summaryColor = errors > 0 ? c.red.bold : warnings > 0 ? c.yellow.bold : c.blue.bold;
  out.push(
    summaryColor(
      `✖ ${total} ${plural('problem', total)} (${errors} ${plural('error', errors)}, ${warnings} ${plural('warning', warnings)}, ${infos} ${plural('info', infos)})`,
    ),
  );
  if (fixable > 0) out.push(summaryColor(`  ${fixable} fixable with the --fix option`));
  return out.join('\n') + '\n';
};

function paint(c: ChalkInstance, severity: Severity, text: string): string {
  if (severity === 'error') return c.red(text);
  if (severity === 'warning') return c.yellow(text);
  return c.blue(text);
}

function plural(word: string, n: number): string {
  return n === 1 ? word : `${word}s`;
}

function displayPath(filePath: string, cwd: string): string {
  return path.isAbsolute(filePath) ? path.relative(cwd, filePath).split(path.sep).join('/') || '.' : filePath;
}

/**
 * Lines as SourceText counts them (only `\n` ends a line). Lone `\r`, U+2028 and U+2029 would end
 * lines for @babel/code-frame and shift its numbering, so they become spaces: same width, same columns.
 */
function splitLines(source: string): string[] {
  return source.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l).replace(/[\r\u2028\u2029]/g, ' '));
}

function codeFrame(lines: string[], m: Diagnostic): string | null {
  if (m.line < 1 || m.line > lines.length) return null;
  let endLine = m.endLine;
  let endColumn = m.endColumn;
  // A range that ends just after a line break marks nothing on the next line.
  if (endLine > m.line && endColumn === 1) {
    endLine--;
    endColumn = (lines[endLine - 1]?.length ?? 0) + 1;
  }
  if (endLine - m.line >= MAX_FRAME_SPAN || endLine > lines.length) {
    endLine = m.line;
    endColumn = (lines[m.line - 1]?.length ?? 0) + 1;
  }
  if (endLine === m.line && endColumn <= m.column && (lines[m.line - 1] ?? '') === '') return null;
  const first = Math.max(1, m.line - 1);
  // The empty "line" after a final line break is context for nothing.
  const lastLine = lines.length > 1 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  const last = Math.max(endLine, Math.min(lastLine, endLine + 1));
  const text = lines.slice(first - 1, last).join('\n');
  return codeFrameColumns(
    text,
    { start: { line: m.line, column: m.column }, end: { line: endLine, column: endColumn } },
    { highlightCode: false, linesAbove: 1, linesBelow: 1, startLine: first },
  );
}
