// Sibling images share a layer only while every step below it is the same, in the same order. Siblings
// that run the same steps in another order share nothing past the first difference: each layer is built,
// pushed, stored and pulled once per image. One canonical order makes them one shared chain.
import { createFamilyRule } from '../src/rule/create-rule.js';
import { nameList, ownStartKey, ownSteps, siblingGroups } from '../src/graph/sibling-groups.js';
import { proposeOrder, type ProposedOrder } from '../src/graph/sibling-order.js';
import { canRunBefore } from '../src/graph/step-dependencies.js';
import { layerIdentity } from '../src/graph/step-identity.js';
import type { ImageNode, LayerStep } from '../src/graph/types.js';

export default createFamilyRule({
  id: 'reorder-sibling-steps',
  scope: 'family',
  meta: {
    type: 'bytes',
    docs: {
      description: 'Sibling images should run the steps they have in common in one order, so the layers are shared',
    },
    messages: {
      reorder:
        '{{layers}} here are the same steps as in {{siblings}}, in another order, so each image stores its own copy: {{order}} to share them',
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
    // A COPY of build-context files changes more often than the RUNs before it: moving it ahead of them
    // would make every edit of those files rebuild the RUNs.
    const canMove = (image: ImageNode, step: LayerStep, over: readonly LayerStep[]): boolean =>
      (step.instruction.keyword === 'RUN' || over.every((o) => o.instruction.keyword !== 'RUN')) && canRunBefore(image, step, over, { installs: true, settings: true });
    return {
      Family(graph) {
        for (const group of siblingGroups(graph)) {
          // Siblings whose parent's ONBUILD triggers built differently cannot share their own steps.
          const byStart = new Map<string, ImageNode[]>();
          for (const img of group.members) {
            const same = byStart.get(ownStartKey(img));
            if (same) same.push(img);
            else byStart.set(ownStartKey(img), [img]);
          }
          for (const members of byStart.values()) {
            if (members.length < 2) continue;
            for (const order of proposeOrder(members.map((image) => ({ image, steps: ownSteps(image) })), layerIdentity, canMove)) {
              const gained = order.sharedAfter - order.sharedNow;
              const at = firstMoved(order);
              if (gained < context.options.minSharedSteps || at < 0) continue;
              const moved = order.proposed[at] as LayerStep;
              context.report({
                file: order.image.file,
                range: (order.current[at] as LayerStep).instruction.keywordRange,
                messageId: 'reorder',
                data: { layers: gained === 1 ? '1 layer' : `${gained} layers`, siblings: nameList(order.partners.map((p) => p.name)), order: describe(order, at) },
                related: order.partners.slice(0, 10).flatMap((p) => {
                  const same = ownSteps(p).find((s) => layerIdentity(p, s) === layerIdentity(order.image, moved));
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

/** "move line 8 before line 5", "move line 5 after line 8", or "put lines 9, 6, 7 first" when more steps move. */
function describe(order: ProposedOrder, at: number): string {
  const { image, current, proposed } = order;
  const shared = proposed.slice(0, order.sharedAfter);
  const moved = proposed[at] as LayerStep;
  const early = [...current.slice(0, at), moved, ...current.slice(at).filter((s) => s !== moved)];
  if (shared.every((s, i) => early[i] === s)) return `move line ${line(image, moved)} before line ${line(image, current[at] as LayerStep)}`;
  const late = current[at] as LayerStep;
  const to = proposed.indexOf(late);
  const rest = current.filter((s) => s !== late);
  const after = [...rest.slice(0, to), late, ...rest.slice(to)];
  if (to > at && shared.every((s, i) => after[i] === s)) return `move line ${line(image, late)} after line ${line(image, proposed[to - 1] as LayerStep)}`;
  const lines = proposed.slice(at, order.sharedAfter).map((s) => line(image, s)).join(', ');
  return at === 0 ? `put lines ${lines} first` : `put lines ${lines} right after line ${line(image, current[at - 1] as LayerStep)}`;
}
