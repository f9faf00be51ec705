// Inline directives, applied after linting as a filter (as ESLint does):
//   # layerlint-disable-next-line <ids> -- reason   the next whole instruction
//   # layerlint-disable <ids> / # layerlint-enable <ids>
//   # layerlint-disable-file <ids>
//   # hadolint ignore=DL3059,DL3009                  the next instruction, for rules that mirror those codes
//   # hadolint global ignore=DL3059                  the whole file
import type { DockerfileModel } from '../model/types.js';
import type { Range } from '../source/source-text.js';
import type { Severity } from '../rule/types.js';
import type { Diagnostic } from './diagnostic.js';

type Kind = 'next-line' | 'disable' | 'enable' | 'file';

interface Directive {
  kind: Kind;
  /** null: every rule. */
  ruleIds: string[] | null;
  range: Range;
  /** The part of the file it covers (next-line and file kinds). */
  scope: Range | null;
  label: string;
  used: Set<string>;
}

export interface DirectiveOptions {
  knownRuleIds: ReadonlySet<string>;
  /** hadolint code -> rule ids that mirror it. */
  hadolintCodes: ReadonlyMap<string, string[]>;
  /** Report directives that suppressed nothing, at this severity. */
  reportUnused: Severity | 'off';
}

const LAYERLINT = /^layerlint-(disable-next-line|disable-file|disable|enable)\b(.*)$/;
const HADOLINT = /^hadolint\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_,\s-]+)$/;

export function applyDirectives(model: DockerfileModel, diagnostics: Diagnostic[], options: DirectiveOptions): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const directives = collect(model, options, problems);
  if (directives.length === 0) return [...diagnostics, ...problems];

  const kept: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (d.ruleId === null || d.fatal) {
      kept.push(d);
      continue;
    }
    const by = suppressor(directives, d);
    if (by) by.used.add(d.ruleId);
    else kept.push(d);
  }

  if (options.reportUnused !== 'off') {
    for (const dir of directives) {
      if (dir.kind === 'enable') continue;
      const unused = dir.ruleIds === null ? (dir.used.size === 0 ? ['(all rules)'] : []) : dir.ruleIds.filter((id) => !dir.used.has(id));
      if (unused.length === 0) continue;
      const what = dir.ruleIds === null ? '' : ` for ${unused.join(', ')}`;
      problems.push(at(model, dir.range, options.reportUnused, `unused ${dir.label} directive: nothing was reported here${what}`, 'unused-directive'));
    }
  }
  return [...kept, ...problems];
}

function suppressor(directives: Directive[], d: Diagnostic): Directive | null {
  const id = d.ruleId as string;
  const applies = (dir: Directive): boolean => dir.ruleIds === null || dir.ruleIds.includes(id);
  for (const dir of directives) {
    if ((dir.kind === 'next-line' || dir.kind === 'file') && dir.scope && applies(dir) && d.range.start >= dir.scope.start && d.range.start <= dir.scope.end) return dir;
  }
  let active: Directive | null = null;
  for (const dir of directives) {
    if (dir.range.start > d.range.start) break;
    if (!applies(dir)) continue;
    if (dir.kind === 'disable') active = dir;
    else if (dir.kind === 'enable') active = null;
  }
  return active;
}

function collect(model: DockerfileModel, options: DirectiveOptions, problems: Diagnostic[]): Directive[] {
  const out: Directive[] = [];
  const whole: Range = { start: 0, end: model.source.text.length };
  for (const c of model.comments) {
    const lm = LAYERLINT.exec(c.text);
    if (lm) {
      const kinds: Record<string, Kind> = { 'disable-next-line': 'next-line', 'disable-file': 'file', disable: 'disable', enable: 'enable' };
      const kind = kinds[lm[1] as string] as Kind;
      const list = (lm[2] ?? '').split(/\s--\s|^--\s|\s--$/)[0]?.trim() ?? '';
      const ids = list === '' ? null : list.split(/[\s,]+/).filter(Boolean);
      const known = ids?.filter((id) => {
        if (options.knownRuleIds.has(id)) return true;
        problems.push(at(model, c.range, 'warning', `unknown rule "${id}" in layerlint-${lm[1]} directive`, 'unknown-rule'));
        return false;
      });
      if (ids && known && known.length === 0) continue;
      const scope = kind === 'next-line' ? nextInstruction(model, c.range.end) : kind === 'file' ? whole : null;
      if (kind === 'next-line' && !scope) continue;
      out.push({ kind, ruleIds: known ?? null, range: c.range, scope, label: `layerlint-${lm[1]}`, used: new Set() });
      continue;
    }
    const hm = HADOLINT.exec(c.text);
    if (hm) {
      const codes = (hm[2] ?? '').split(/[\s,]+/).filter(Boolean).map((s) => s.toUpperCase());
      // Codes layerlint does not mirror (e.g. ShellCheck's) belong to hadolint alone: not an error here.
      const ids = [...new Set(codes.flatMap((code) => options.hadolintCodes.get(code) ?? []))];
      if (ids.length === 0) continue;
      const global = hm[1] !== undefined;
      const scope = global ? whole : nextInstruction(model, c.range.end);
      if (!scope) continue;
      out.push({ kind: global ? 'file' : 'next-line', ruleIds: ids, range: c.range, scope, label: global ? 'hadolint global ignore' : 'hadolint ignore', used: new Set() });
    }
  }
  return out;
}

function nextInstruction(model: DockerfileModel, after: number): Range | null {
  for (const ins of model.instructions) {
    if (ins.range.start >= after) return ins.range;
  }
  return null;
}

function at(model: DockerfileModel, range: Range, severity: Severity, message: string, messageId: string): Diagnostic {
  return { ruleId: null, messageId, severity, message, range, ...model.source.location(range) };
}
