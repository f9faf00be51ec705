import type { DockerfileModel, Instruction } from '../model/types.js';
import type { Range } from '../source/source-text.js';
import type { AnyFileRule, AnyRule, Edit, Fix, FixFunction, Fixer, ReportDescriptor, Severity, Visitors } from '../rule/types.js';
import type { Diagnostic } from './diagnostic.js';
import { ShellParserNotReady } from '../model/shell-parser.js';

export interface EnabledRule<R extends AnyRule = AnyRule> {
  rule: R;
  severity: Severity;
  options: Record<string, unknown>;
}

const fixer: Fixer = {
  replace: (range, text) => ({ range, text }),
  insertBefore: (offset, text) => ({ range: { start: offset, end: offset }, text }),
  insertAfter: (offset, text) => ({ range: { start: offset, end: offset }, text }),
  remove: (range) => ({ range, text: '' }),
};

/**
 * Fills `{{ key }}` placeholders from `data`; an unknown key stays as written. Every finding's message
 * goes through here, so the template is read by hand rather than by a regular expression and a callback.
 */
export function formatMessage(template: string, data: Record<string, string | number> | undefined): string {
  let open = template.indexOf('{{');
  if (open < 0) return template;
  let out = '';
  let done = 0;
  while (open >= 0) {
    const p = placeholderAt(template, open);
    if (p && data && p.key in data) {
      out += template.slice(done, open) + String(data[p.key]);
      done = p.end;
    }
    open = template.indexOf('{{', p ? p.end : open + 1);
  }
  return out + template.slice(done);
}

/** The `{{ key }}` starting at `open`, as `/\{\{\s*(\w+)\s*\}\}/` would match it there. */
function placeholderAt(template: string, open: number): { key: string; end: number } | null {
  let i = skipSpace(template, open + 2);
  const keyStart = i;
  while (i < template.length && isWordChar(template.charCodeAt(i))) i++;
  if (i === keyStart) return null;
  const key = template.slice(keyStart, i);
  i = skipSpace(template, i);
  return template.startsWith('}}', i) ? { key, end: i + 2 } : null;
}

/** Past the white space at `i`, as `\s*` reads it. */
function skipSpace(text: string, i: number): number {
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) continue;
    if (c < 128 || !/\s/.test(text[i] as string)) break;
  }
  return i;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function toFix(fn: FixFunction | undefined): Fix | undefined {
  if (!fn) return undefined;
  const out = fn(fixer);
  if (!out) return undefined;
  const edits = (Array.isArray(out) ? out : [out]).filter((e): e is Edit => e !== null);
  if (edits.length === 0) return undefined;
  edits.sort((a, b) => a.range.start - b.range.start);
  return { edits };
}

/** Runs every enabled rule over one model; a rule that throws becomes a diagnostic, not a crash. */
export function runRules(model: DockerfileModel, rules: EnabledRule<AnyFileRule>[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const source = model.source;
  const listeners: { ruleId: string; visitors: Visitors }[] = [];

  for (const { rule, severity, options } of rules) {
    const report = (d: ReportDescriptor<string>): void => {
      const template = rule.meta.messages[d.messageId];
      if (template === undefined) throw new Error(`rule ${rule.id} reported unknown messageId "${d.messageId}"`);
      const loc = source.location(d.range);
      const message = formatMessage(template, d.data);
      const diag: Diagnostic = { ruleId: rule.id, messageId: d.messageId, severity, message, range: d.range, line: loc.line, column: loc.column, endLine: loc.endLine, endColumn: loc.endColumn };
      const fix = toFix(d.fix);
      if (fix) diag.fix = fix;
      if (d.suggest) {
        const suggestions = d.suggest.flatMap((s) => {
          const sf = toFix(s.fix);
          return sf ? [{ messageId: s.messageId, message: formatMessage(rule.meta.messages[s.messageId] ?? s.messageId, s.data), fix: sf }] : [];
        });
        if (suggestions.length > 0) diag.suggestions = suggestions;
      }
      if (d.related && d.related.length > 0) diag.related = d.related;
      diagnostics.push(diag);
    };
    try {
      const visitors = rule.create({ ruleId: rule.id, options, model, source, report });
      listeners.push({ ruleId: rule.id, visitors });
    } catch (error) {
      if (error instanceof ShellParserNotReady) throw error;
      diagnostics.push(ruleCrash(rule.id, error, model, { start: 0, end: 0 }));
    }
  }

  // Handlers by event, each list in rule order: an instruction meets only the rules that listen to
  // its keyword, with no closure made per instruction.
  type Handler = { ruleId: string; fn: (node: never) => void };
  const byEvent = new Map<string, Handler[]>();
  for (const { ruleId, visitors } of listeners) {
    for (const [event, fn] of Object.entries(visitors)) {
      if (typeof fn !== 'function') continue;
      let list = byEvent.get(event);
      if (!list) byEvent.set(event, (list = []));
      list.push({ ruleId, fn: fn as (node: never) => void });
    }
  }
  const generic = byEvent.get('Instruction') ?? [];
  const emit = (handlers: readonly Handler[] | undefined, node: unknown, at: Range): void => {
    if (!handlers) return;
    for (const { ruleId, fn } of handlers) {
      try {
        (fn as (node: unknown) => void)(node);
      } catch (error) {
        if (error instanceof ShellParserNotReady) throw error;
        diagnostics.push(ruleCrash(ruleId, error, model, at));
      }
    }
  };

  const visit = (ins: Instruction): void => {
    // A rule's generic visitor runs before its keyword's own (results are sorted by position later).
    emit(generic, ins, ins.range);
    emit(byEvent.get(ins.keyword), ins, ins.range);
    // An ONBUILD trigger is checked as the instruction it will become.
    if (ins.keyword === 'ONBUILD' && ins.trigger) visit(ins.trigger);
  };

  const stageEnter = byEvent.get('Stage');
  const stageExit = byEvent.get('Stage:exit');
  for (const arg of model.globalArgs) visit(arg);
  for (const stage of model.stages) {
    emit(stageEnter, stage, stage.from.range);
    visit(stage.from);
    for (const ins of stage.instructions) visit(ins);
    emit(stageExit, stage, stage.from.range);
  }
  emit(byEvent.get('File:exit'), model, { start: 0, end: 0 });
  return diagnostics;
}

export function ruleCrash(ruleId: string, error: unknown, model: DockerfileModel, at: Range): Diagnostic {
  const message = error instanceof Error ? error.message : String(error);
  return {
    ruleId,
    severity: 'error',
    message: `internal error in rule ${ruleId}: ${message}`,
    range: at,
    ...model.source.location(at),
    fatal: true,
  };
}
