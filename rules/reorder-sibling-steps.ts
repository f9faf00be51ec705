// Sibling images share a layer only while every step below it is the same, in the same order. Siblings
// that run the same steps in another order share nothing past the first difference: each layer is built,
// pushed, stored and pulled once per image. One canonical order makes them one shared chain.
import { createFamilyRule } from '../src/rule/create-rule.js';
import { nameList, ownStartKey, ownSteps, siblingGroups } from '../src/graph/sibling-groups.js';
import { proposeOrder, type ProposedOrder } from '../src/graph/sibling-order.js';
import { canRunBefore } from '../src/graph/step-dependencies.js';
import type { ImageNode, LayerStep } from '../src/graph/types.js';

export default createFamilyRule({
  id: 'reorder-sibling-steps',
  scope: 'family',
  meta: {
    type: 'layers',
    docs: {
      description: 'Sibling images should run the steps they have in common in one order, so the layers are shared',
    },
    messages: {
      reorder:
        '{{count}} layers here are the same steps as in {{siblings}}, in another order, so each image stores its own copy: {{order}} to share them',
    },
    defaultSeverity: 'info',
    schema: {
      type: 'object',
      properties: {
        minSharedSteps: {
          type: 'integer',
          minimum: 1,
          description: 'Report an image only when the canonical order would share at least this many more of its layers',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { minSharedSteps: 2 },
  },
  create(context) {
    const canMove = (image: ImageNode, step: LayerStep, over: readonly LayerStep[]): boolean => canRunBefore(image, step, over, { installs: true });
    return {
      Family(graph) {
        for (const group of siblingGroups(graph)) {
          // Siblings whose parent's ONBUILD triggers built differently cannot share their own steps.
          const byStart = new Map<string, ImageNode[]>();
          for (const img of group.members) byStart.set(ownStartKey(img), [...(byStart.get(ownStartKey(img)) ?? []), img]);
          for (const members of byStart.values()) {
            if (members.length < 2) continue;
            for (const order of proposeOrder(members.map((image) => ({ image, steps: ownSteps(image) })), canMove)) {
              const gained = order.sharedAfter - order.sharedNow;
              const at = firstMoved(order);
              if (gained < context.options.minSharedSteps || at < 0) continue;
              const moved = order.proposed[at] as LayerStep;
              context.report({
                file: order.image.file,
                range: (order.current[at] as LayerStep).instruction.keywordRange,
                messageId: 'reorder',
                data: { count: gained, siblings: nameList(order.partners.map((p) => p.name)), order: describe(order, at) },
                related: order.partners.slice(0, 10).flatMap((p) => {
                  const same = ownSteps(p).find((s) => s.key === moved.key);
                  return same ? [context.locate(p.file, same.instruction.keywordRange, `the same step as line ${line(order.image, moved)}, in ${p.name}`)] : [];
                }),
              });
            }
          }
        }
      },
    };
  },
});

/** The first position, within what would be shared, where the proposed order differs from today's. */
function firstMoved(order: ProposedOrder): number {
  for (let i = 0; i < order.sharedAfter; i++) if (order.proposed[i] !== order.current[i]) return i;
  return -1;
}

function line(img: ImageNode, step: LayerStep): number {
  return img.model.source.positionAt(step.instruction.range.start).line;
}

/** "move line 8 before line 5", or "put lines 9, 6, 7 first" when more than one step moves. */
function describe(order: ProposedOrder, at: number): string {
  const { image, current, proposed } = order;
  const moved = proposed[at] as LayerStep;
  const oneMove = [...current.slice(0, at), moved, ...current.slice(at).filter((s) => s !== moved)];
  if (proposed.slice(0, order.sharedAfter).every((s, i) => oneMove[i] === s)) {
    return `move line ${line(image, moved)} before line ${line(image, current[at] as LayerStep)}`;
  }
  const lines = proposed.slice(at, order.sharedAfter).map((s) => line(image, s)).join(', ');
  return at === 0 ? `put lines ${lines} first` : `put lines ${lines} right after line ${line(image, current[at - 1] as LayerStep)}`;
}
