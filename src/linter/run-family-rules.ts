import { relative, sep } from 'node:path';
import type { ImageGraph } from '../graph/types.js';
import type { AnyFamilyRule, FamilyReportDescriptor, RelatedLocation } from '../rule/types.js';
import type { SourceText } from '../source/source-text.js';
import type { Diagnostic } from './diagnostic.js';
import { ShellParserNotReady } from '../model/shell-parser.js';
import { formatMessage, type EnabledRule } from './run-rules.js';

/** Runs the family rules over the graph; findings come back per file (absolute path). */
export function runFamilyRules(graph: ImageGraph, rules: EnabledRule<AnyFamilyRule>[], cwd: string): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  const sources = new Map<string, SourceText>();
  for (const img of graph.images) sources.set(img.file, img.model.source);
  const push = (file: string, d: Diagnostic): void => {
    const list = out.get(file) ?? [];
    list.push(d);
    out.set(file, list);
  };
  const locate = (file: string, range: { start: number; end: number }, message: string): RelatedLocation => {
    const source = sources.get(file);
    const loc = source ? source.location(range) : { line: 1, column: 1, endLine: 1, endColumn: 1 };
    return { message, filePath: relative(cwd, file).split(sep).join('/'), ...loc };
  };
  for (const { rule, severity, options } of rules) {
    const report = (d: FamilyReportDescriptor<string>): void => {
      const source = sources.get(d.file);
      const template = rule.meta.messages[d.messageId];
      if (!source || template === undefined) return;
      const diag: Diagnostic = { ruleId: rule.id, messageId: d.messageId, severity, message: formatMessage(template, d.data), range: d.range, ...source.location(d.range) };
      if (d.related && d.related.length > 0) diag.related = d.related;
      push(d.file, diag);
    };
    try {
      const visitors = rule.create({ ruleId: rule.id, options, graph, report, locate });
      visitors.Family?.(graph);
    } catch (error) {
      if (error instanceof ShellParserNotReady) throw error;
      const first = graph.images[0];
      if (!first) continue;
      const message = error instanceof Error ? error.message : String(error);
      push(first.file, { ruleId: rule.id, severity: 'error', message: `internal error in rule ${rule.id}: ${message}`, range: { start: 0, end: 0 }, line: 1, column: 1, endLine: 1, endColumn: 1, fatal: true });
    }
  }
  return out;
}
