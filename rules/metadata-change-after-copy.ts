// Changing the mode, owner, times or text of a file that a lower layer holds makes the overlay
// filesystem copy the whole file up into the new layer: the image stores its bytes twice. COPY can
// set owner and mode as it copies (`--chown`, `--chmod`); other changes belong in the creating RUN.
import { createRule } from '../src/rule/create-rule.js';
import { contentsKind, ownershipCommand } from '../src/model/command-writes.js';
import { fileImageSteps, LayerHistory, type HistoryStep, type LaterChange } from '../src/model/layer-history.js';
import { mayModifyFiles } from '../src/model/layer-writes.js';
import { resolvePath } from '../src/model/path-match.js';
import { runCommands } from '../src/model/cache-cleanup.js';
import { effective } from '../src/model/command-queries.js';
import { commandRemovalRange } from '../src/model/run-edits.js';
import type { Range } from '../src/source/source-text.js';
import type { CopyInstruction, DockerfileModel, RunInstruction } from '../src/model/types.js';

export default createRule({
  id: 'metadata-change-after-copy',
  meta: {
    type: 'bytes',
    docs: { description: 'Files an earlier layer created should not get a new mode, owner, time or text in a later layer' },
    messages: {
      useCopyFlag:
        '`{{command}}` changes {{path}}, which the {{keyword}} on line {{line}} created: each file it changes is copied whole into this layer and stored twice; set it with `{{keyword}} --{{flag}}` instead',
      changeInCreator:
        '`{{command}}` changes {{path}}, which the {{keyword}} on line {{line}} created: each file it changes is copied whole into this layer and stored twice; do it in the layer that created it',
    },
    hasSuggestions: true,
    defaultSeverity: 'warning',
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  create(context) {
    return {
      'File:exit'(model) {
        const steps = fileImageSteps(model);
        const history = new LayerHistory();
        // Past the last step that can change a file in place there is nothing to find: the layers
        // after it are not read at all.
        const end = lastIndex(steps, (s) => mayModifyFiles(s.instruction)) + 1;
        for (let index = 0; index < end; index++) {
          const step = steps[index] as HistoryStep;
          // Only files are asked about: which packages the steps install is not read.
          const effects = LayerHistory.effects(step, { packages: false });
          for (const change of history.laterChanges(effects, 'modifies')) {
            const creator = change.creators[0];
            if (!creator) continue;
            const keyword = creator.step.instruction.keyword;
            const data = { command: change.change.label, path: change.change.path, keyword, line: context.source.positionAt(creator.step.instruction.range.start).line };
            const flag = copyFlag(model, change, steps, index);
            const related = [{ message: `created by this ${keyword}`, ...context.source.location(creator.write.range) }];
            if (!flag) {
              context.report({ range: change.change.word.range, messageId: 'changeInCreator', data, related });
              continue;
            }
            context.report({
              range: change.change.word.range,
              messageId: 'useCopyFlag',
              data: { ...data, flag: flag.name },
              related,
              suggest: [{
                messageId: 'useCopyFlag',
                data: { ...data, flag: `${flag.name}=${flag.value}` },
                fix: (fixer) => [fixer.insertAfter(flag.copy.keywordRange.end, ` --${flag.name}=${flag.value}`), fixer.remove(flag.cut)],
              }],
            });
          }
          history.push(step, effects);
        }
      },
    };
  },
});

function lastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i] as T)) return i;
  return -1;
}

const ACCOUNT_TOOLS = new Set(['useradd', 'adduser', 'groupadd', 'addgroup']);

interface CopyFlag {
  name: 'chown' | 'chmod';
  value: string;
  copy: CopyInstruction;
  cut: Range;
}

/**
 * `COPY --chown`/`--chmod` says the same as the RUN's command only when that command is one plain
 * chown/chmod of exactly what the COPY wrote, and nothing else was written there in between.
 */
function copyFlag(model: DockerfileModel, change: LaterChange, steps: readonly HistoryStep[], index: number): CopyFlag | null {
  const own = ownershipCommand(change.effect.command);
  const creator = change.creators[0];
  const run = (steps[index] as HistoryStep).instruction as RunInstruction;
  if (!own || own.tool === 'chgrp' || !own.spec || own.spec.dynamic || own.otherOptions.length > 0 || own.targets.length !== 1 || !creator) return null;
  const copy = creator.step.instruction;
  if (copy.keyword === 'RUN' || change.creators.some((c) => c.step !== creator.step) || Boolean(copy.onbuild) !== Boolean(run.onbuild)) return null;
  const name = own.tool;
  const value = own.spec.value;
  if (copy.flags.some((f) => f.name === name)) return null;
  if (name === 'chmod' ? !/^[0-7]{3,4}$/.test(value) : !/^[\w.-]+(:[\w.-]+)?$/.test(value)) return null;
  const dest = copy.destination === null ? null : resolvePath(copy.destination, creator.step.ctx);
  const single = copy.sources.length === 1 && creator.write.path === change.change.path;
  if (dest !== change.change.path && !single) return null;
  const between = steps.slice(steps.indexOf(creator.step) + 1, index);
  // Files that a RUN in between wrote under the destination would keep their old owner or mode.
  if (own.recursive && (creator.write.kind === 'contents' || between.some((s) => s.instruction.keyword === 'RUN'))) return null;
  if (own.recursive && creator.write.kind !== 'file' && contentsKind(change.change.path) !== 'tree') return null;
  // COPY looks a user name up when it runs: one created after it would not be found.
  const before = runCommands(run).filter((c) => c.index < change.effect.command.index);
  const ranBetween = [...between.flatMap((s) => (s.instruction.keyword === 'RUN' ? runCommands(s.instruction) : [])), ...before];
  if (name === 'chown' && !/^\d+(:\d+)?$/.test(value) && ranBetween.some((c) => ACCOUNT_TOOLS.has(effective(c).program))) return null;
  const cut = commandRemovalRange(run, change.effect.command, model.source, model.escapeChar);
  return cut ? { name, value, copy, cut } : null;
}
