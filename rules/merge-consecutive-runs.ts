// Each RUN is a layer: its own tar blob, history entry and cache key. Short consecutive RUNs with the
// same flags cost layers and pull round-trips for nothing; merged, they are one layer. Long chains
// are left alone (as hadolint does): splitting them is usually a deliberate cache boundary.
import { createRule } from '../src/rule/create-rule.js';
import type { RunInstruction } from '../src/model/types.js';
import type { SourceText } from '../src/source/source-text.js';

export default createRule({
  id: 'merge-consecutive-runs',
  meta: {
    type: 'layers',
    docs: {
      description: 'Consecutive RUN instructions with the same flags should be one layer',
      sources: ['hadolint:DL3059'],
    },
    messages: {
      consecutive: 'RUN follows another RUN on line {{line}} with the same flags: merge them into one layer',
    },
    fixable: 'code',
    defaultSeverity: 'info',
    schema: {
      type: 'object',
      properties: {
        maxCommands: {
          type: 'integer',
          minimum: 1,
          description: 'Only RUNs with at most this many commands count; longer ones are deliberate layers',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { maxCommands: 2 },
  },
  create(context) {
    let previous: RunInstruction | null = null;
    const small = (run: RunInstruction): boolean => run.script.commands.filter((c) => !c.inSubstitution && c.program !== 'set').length <= context.options.maxCommands;
    return {
      Stage() {
        previous = null;
      },
      Instruction(node) {
        if (node.onbuild) return;
        if (node.keyword !== 'RUN') {
          if (node.keyword !== 'ONBUILD') previous = null;
          return;
        }
        const prev = previous;
        previous = node;
        if (!prev || !mergeable(prev, node) || !small(prev) || !small(node)) return;
        context.report({
          range: node.keywordRange,
          messageId: 'consecutive',
          data: { line: context.source.positionAt(prev.range.start).line },
          fix: joinable(prev, node) ? (fixer) => fixer.replace({ start: prev.argsRange!.end, end: node.argsRange!.start }, joiner(context.source, context.model.escapeChar, prev, node)) : undefined,
        });
      },
    };
  },
});

/** Joined with `&&`, unless a heredoc or a shell comment would swallow what follows. */
function joinable(a: RunInstruction, b: RunInstruction): boolean {
  if (!a.argsRange || !b.argsRange) return false;
  if (a.heredocs.length > 0 || b.heredocs.length > 0) return false;
  // After the continuation is joined, `# ...` in the first RUN would comment out the second.
  return !/(^|\s)#/.test(a.argsText) && !/[;&|]\s*$/.test(a.argsText.trim());
}

/** ` \` + the comment lines between the two RUNs + `<indent>&& `, in the file's own escape character and line ending. */
function joiner(source: SourceText, esc: string, a: RunInstruction, b: RunInstruction): string {
  const between = source.text.slice(a.argsRange!.end, b.keywordRange.start);
  const comments = between.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.startsWith('#'));
  const indent = continuationIndent(source, a) ?? '    ';
  return ` ${esc}${source.eol}${comments.map((c) => `${indent}${c}${source.eol}`).join('')}${indent}&& `;
}

/** The indentation of the first RUN's continuation lines, if it has any. */
function continuationIndent(source: SourceText, run: RunInstruction): string | null {
  const first = source.lineIndexOf(run.range.start);
  const last = source.lineIndexOf(run.range.end);
  for (let line = first + 1; line <= last; line++) {
    const m = /^([ \t]+)\S/.exec(source.lineText(line));
    if (m && !source.lineText(line).trimStart().startsWith('#')) return (m[1] as string).replace(/&&\s*$/, '');
  }
  return null;
}

function flagKey(run: RunInstruction): string {
  return run.flags.map((f) => `${f.name}=${f.value ?? ''}`).sort().join(' ');
}

function mergeable(a: RunInstruction, b: RunInstruction): boolean {
  if (a.form !== 'shell' || b.form !== 'shell') return false;
  if (!a.script.analyzable || !b.script.analyzable) return false;
  // Most RUNs have no flags at all: nothing to compare.
  if (a.flags.length === 0 && b.flags.length === 0) return true;
  return flagKey(a) === flagKey(b);
}
