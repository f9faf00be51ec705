// Each RUN is a layer: its own tar blob, history entry and cache key. Short consecutive RUNs with the
// same flags cost layers and pull round-trips for nothing; merged, they are one layer. Long chains
// are left alone (as hadolint does): splitting them is usually a deliberate cache boundary.
import { createRule } from '../src/rule/create-rule.js';
import type { RunInstruction } from '../src/model/types.js';

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
        });
      },
    };
  },
});

function flagKey(run: RunInstruction): string {
  return run.flags.map((f) => `${f.name}=${f.value ?? ''}`).sort().join(' ');
}

function mergeable(a: RunInstruction, b: RunInstruction): boolean {
  if (a.form !== 'shell' || b.form !== 'shell') return false;
  if (!a.script.analyzable || !b.script.analyzable) return false;
  return flagKey(a) === flagKey(b);
}
