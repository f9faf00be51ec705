// A compact Markdown report, written for a GitHub job summary or a pull-request comment: totals,
// findings per rule and per file, and the first findings in a collapsed list. Tables are capped so
// the summary stays readable (and far under GitHub's 1 MiB per step) for thousands of files.
import path from 'node:path';
import { compareText, type Diagnostic, type LintResult } from '../linter/diagnostic.js';
import type { Severity } from '../rule/types.js';
import { REPOSITORY_URL, reportingRuleId } from './sarif.js';
import type { Formatter } from './types.js';

/** Rows of the per-file table and of the findings list. */
export const MAX_MARKDOWN_ROWS = 100;

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

interface RuleRow {
  id: string;
  severity: Severity;
  count: number;
  files: Set<string>;
  fixable: number;
}

export const markdown: Formatter = (results, context) => {
  const files = results.map((r) => ({ result: r, path: displayPath(r.filePath, context.cwd) }));
  const errors = sum(results, (r) => r.errorCount);
  const warnings = sum(results, (r) => r.warningCount);
  const infos = sum(results, (r) => r.infoCount);
  const fixable = sum(results, (r) => r.fixableCount);
  const total = errors + warnings + infos;
  const withFindings = files.filter((f) => f.result.messages.length > 0);

  const out: string[] = ['## layerlint', ''];
  if (total === 0) {
    out.push(`No problems found in ${count(results.length, 'file')}.`);
    return `${out.join('\n')}\n`;
  }
  const fixNote = fixable > 0 ? ` ${fixable} fixable with \`layerlint --fix\`.` : '';
  out.push(
    `**${count(total, 'problem')}** (${count(errors, 'error')}, ${count(warnings, 'warning')}, ${count(infos, 'info')}) in ${withFindings.length} of ${count(results.length, 'file')}.${fixNote}`,
    '',
  );

  const rules = new Map<string, RuleRow>();
  for (const { result, path: file } of withFindings) {
    for (const m of result.messages) {
      const id = reportingRuleId(m);
      const row = rules.get(id) ?? { id, severity: m.severity, count: 0, files: new Set<string>(), fixable: 0 };
      row.count++;
      row.files.add(file);
      if (m.fix) row.fixable++;
      if (RANK[m.severity] < RANK[row.severity]) row.severity = m.severity;
      rules.set(id, row);
    }
  }
  const ruleRows = [...rules.values()].sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.count - a.count || compareText(a.id, b.id));
  out.push('| rule | severity | findings | files | fixable |', '| --- | --- | ---: | ---: | ---: |');
  for (const r of ruleRows) {
    const name = Object.hasOwn(context.rulesMeta, r.id) ? `[${r.id}](${REPOSITORY_URL}/blob/main/rules/${r.id}.md)` : `\`${r.id}\``;
    out.push(`| ${name} | ${r.severity} | ${r.count} | ${r.files.size} | ${r.fixable} |`);
  }
  out.push('');

  out.push('| file | errors | warnings | infos |', '| --- | ---: | ---: | ---: |');
  for (const { result, path: file } of withFindings.slice(0, MAX_MARKDOWN_ROWS)) {
    out.push(`| ${code(file)} | ${result.errorCount} | ${result.warningCount} | ${result.infoCount} |`);
  }
  if (withFindings.length > MAX_MARKDOWN_ROWS) out.push('', `… and ${count(withFindings.length - MAX_MARKDOWN_ROWS, 'more file')}.`);
  out.push('');

  const findings: { file: string; m: Diagnostic }[] = withFindings.flatMap(({ result, path: file }) => result.messages.map((m) => ({ file, m })));
  out.push('<details><summary>Findings</summary>', '', '| location | severity | rule | message |', '| --- | --- | --- | --- |');
  for (const { file, m } of findings.slice(0, MAX_MARKDOWN_ROWS)) {
    out.push(`| ${code(`${file}:${m.line}:${m.column}`)} | ${m.severity} | ${reportingRuleId(m)} | ${cell(m.message)} |`);
  }
  if (findings.length > MAX_MARKDOWN_ROWS) out.push('', `… and ${count(findings.length - MAX_MARKDOWN_ROWS, 'more finding')}.`);
  out.push('', '</details>');
  return `${out.join('\n')}\n`;
};

/** Text for a table cell: one line, no HTML, no column breaks. */
function cell(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|');
}

/** A code span that survives any backticks in the text. */
function code(text: string): string {
  const body = cell(text).replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((s) => s.length));
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

function sum(results: LintResult[], f: (r: LintResult) => number): number {
  return results.reduce((n, r) => n + f(r), 0);
}

function count(n: number, word: string): string {
  return `${n} ${n === 1 ? word : `${word}s`}`;
}

function displayPath(filePath: string, cwd: string): string {
  return path.isAbsolute(filePath) ? path.relative(cwd, filePath).split(path.sep).join('/') || '.' : filePath;
}
