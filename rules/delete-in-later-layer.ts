// Deleting in a later layer what an earlier layer created (files, caches, installed packages) only
// adds a whiteout: the bytes stay in the lower layer and every pull still fetches and stores them.
// Ancestor images of the same repository are earlier layers too, so this rule reads the family.
import { createFamilyRule } from '../src/rule/create-rule.js';
import { EXTERNAL_BASE, isLayerInstruction, walkContexts, type LayerContext } from '../src/model/layer-context.js';
import { stageChain } from '../src/model/stage-chain.js';
import { LayerHistory, type HistoryStep } from '../src/model/layer-history.js';
import type { ImageNode } from '../src/graph/types.js';
import type { Range } from '../src/source/source-text.js';

export default createFamilyRule({
  id: 'delete-in-later-layer',
  scope: 'family',
  meta: {
    type: 'bytes',
    docs: { description: 'Files and packages should be deleted in the layer that created them, not in a later one' },
    messages: {
      deletesPath:
        '`{{command}}` deletes {{path}}, which the {{keyword}} at {{creator}} created: the whiteout hides it but its bytes are still pulled and stored; delete it in the layer that created it, or use a multi-stage build',
      removesPackage:
        '`{{command}}` removes {{package}}, which the {{keyword}} at {{creator}} installed: its files stay in that layer and are still pulled and stored; delete it in the layer that created it, or use a multi-stage build',
    },
    defaultSeverity: 'warning',
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  create(context) {
    return {
      Family(graph) {
        const reported = new Set<string>();
        const ends = new Map<ImageNode, { history: LayerHistory; ctx: LayerContext }>();
        const report = (step: HistoryStep, range: Range, messageId: 'deletesPath' | 'removesPackage', creator: HistoryStep, creatorRange: Range, data: Record<string, string>): void => {
          const key = `${step.file}\0${range.start}\0${range.end}`;
          if (reported.has(key)) return;
          reported.add(key);
          const at = context.locate(creator.file, creator.instruction.range, '');
          const related = [context.locate(creator.file, creatorRange, `created by this ${creator.instruction.keyword}`)];
          context.report({ file: step.file, range, messageId, data: { ...data, keyword: creator.instruction.keyword, creator: `${at.filePath}:${at.line}` }, related });
        };
        // Parents first, so each image starts from its parent's finished history.
        const queue = [...graph.roots];
        for (let i = 0; i < queue.length; i++) {
          const img = queue[i] as ImageNode;
          queue.push(...img.children);
          const parent = img.parent ? ends.get(img.parent) : undefined;
          const history = parent ? parent.history.clone() : new LayerHistory();
          const start = parent?.ctx ?? EXTERNAL_BASE;
          const walk = walkContexts(img.model, stageChain(img.stage), start);
          const check = (step: HistoryStep, into: LayerHistory): void => {
            const effects = LayerHistory.effects(step);
            for (const { change, creators } of into.laterChanges(effects, 'deletes')) {
              const creator = creators[0];
              if (creator) report(step, change.word.range, 'deletesPath', creator.step, creator.write.range, { command: change.label, path: change.path });
            }
            for (const removal of into.laterRemovals(effects)) {
              const what = removal.word ? `the package ${removal.name}` : `packages from ${removal.installed.cwd ?? '.'}/node_modules`;
              report(step, removal.word?.range ?? removal.change.range, 'removesPackage', removal.installed.step, removal.installed.word.range, { command: removal.change.label, package: what });
            }
            into.push(step, effects);
          };
          for (const layer of img.steps) {
            const file = layer.inherited && img.parent ? img.parent.file : img.file;
            check({ instruction: layer.instruction, ctx: layer.inherited ? start : (walk.at.get(layer.instruction) ?? walk.end), file }, history);
          }
          // The image's own ONBUILD triggers run first in any image built on it, in the family or not.
          let triggered: LayerHistory | null = null;
          for (const ins of img.stage.instructions) {
            if (ins.keyword === 'ONBUILD' && ins.trigger && isLayerInstruction(ins.trigger)) check({ instruction: ins.trigger, ctx: walk.end, file: img.file }, (triggered ??= history.clone()));
          }
          ends.set(img, { history, ctx: walk.end });
        }
      },
    };
  },
});
