// `layerlint rules`: what each built-in rule checks, in a table for people or JSON for tools.
import { parseArgs } from 'node:util';
import { builtinRules } from '../../rules/index.js';
import type { AnyRule, RuleCost, Severity } from '../rule/types.js';
import { UsageError } from './args.js';
import type { CliIo } from './main.js';

export interface RuleInfo {
  id: string;
  description: string;
  defaultSeverity: Severity;
  fixable: boolean;
  hasSuggestions: boolean;
  sources: string[];
  type: RuleCost;
}

export const RULES_HELP = `Usage: layerlint rules [--format text|json]

Lists every built-in rule: id, default severity, fixable, cost type, mirrored rules of other linters, description.
`;

export async function listRules(argv: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { format: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    const message = error instanceof Error ? (error.message.split(/\.\s/)[0] ?? error.message) : String(error);
    throw new UsageError(`rules: ${message}`);
  }
  if (values.help) {
    io.stdout.write(RULES_HELP);
    return 0;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`rules: unknown format "${format}" (available: text, json)`);
  const infos = builtinRules.map(ruleInfo).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  io.stdout.write(format === 'json' ? `${JSON.stringify(infos, null, 2)}\n` : table(infos));
  return 0;
}

export function ruleInfo(rule: AnyRule): RuleInfo {
  return {
    id: rule.id,
    description: rule.meta.docs.description,
    defaultSeverity: rule.meta.defaultSeverity,
    fixable: rule.meta.fixable === 'code',
    hasSuggestions: rule.meta.hasSuggestions === true,
    sources: [...(rule.meta.docs.sources ?? [])],
    type: rule.meta.type,
  };
}

function table(infos: RuleInfo[]): string {
  const rows = infos.map((r) => [r.id, r.defaultSeverity, r.fixable ? 'fix' : r.hasSuggestions ? 'suggest' : '', r.type, r.sources.join(','), r.description]);
  const header = ['RULE', 'SEVERITY', 'FIX', 'COST', 'SOURCES', 'DESCRIPTION'];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n') + '\n';
}
