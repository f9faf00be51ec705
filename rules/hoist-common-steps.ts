// The same step in every child of a parent is one layer per child unless the chains below it match:
// each copy is built, pushed, stored and pulled on its own. Run once in the parent (or in a new base
// for the children that have it), it is one layer that all of them share.
import { createFamilyRule } from '../src/rule/create-rule.js';
import { nameList, ownSteps, siblingGroups, type SiblingGroup } from '../src/graph/sibling-groups.js';
import { earlierDependency } from '../src/graph/step-dependencies.js';
import { commandIdentity, layerChain } from '../src/graph/step-identity.js';
import type { ImageNode, LayerStep } from '../src/graph/types.js';

interface Copy {
  image: ImageNode;
  step: LayerStep;
}

export default createFamilyRule({
  id: 'hoist-common-steps',
  scope: 'family',
  meta: {
    type: 'bytes',
    docs: {
      description: 'A step that the children of one parent all run should be built once, in the parent',
    },
    messages: {
      hoist: 'The same step is also in {{others}}, each copy its own layer: built once in {{target}}, it is one layer instead of {{total}} ({{copies}} fewer)',
    },
    defaultSeverity: 'info',
    schema: {
      type: 'object',
      properties: {
        minShare: {
          type: 'number',
          minimum: 0,
          maximum: 1,
          description: 'Share of the siblings that must have the step (1 = all of them)',
        },
        minChildren: {
          type: 'integer',
          minimum: 2,
          description: 'Only parents with at least this many children are considered',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { minShare: 1, minChildren: 2 },
  },
  create(context) {
    const { minShare, minChildren } = context.options;
    return {
      Family(graph) {
        for (const group of siblingGroups(graph)) {
          const n = group.members.length;
          // Images on one external base have no parent to take the step; near-duplicate-images covers them.
          if (!group.parent || n < minChildren) continue;
          const needed = Math.max(2, Math.ceil(minShare * n - 1e-9));
          for (const copies of commonSteps(group.members).values()) {
            // A copy that depends on what its image did before it cannot move into a base.
            const movable = copies.filter((c) => earlierDependency(c.image, c.step, { installs: true }) === null);
            if (movable.length < needed) continue;
            const layers = new Set(movable.map((c) => layerChain(c.image)[c.step.index])).size;
            if (layers < 2) continue;
            for (const c of movable) {
              const others = movable.filter((o) => o !== c);
              context.report({
                file: c.image.file,
                range: c.step.instruction.keywordRange,
                messageId: 'hoist',
                data: { others: nameList(others.map((o) => o.image.name)), target: target(group, movable.length), copies: layers === 2 ? '1 copy' : `${layers - 1} copies`, total: layers },
                related: others.slice(0, 10).map((o) => context.locate(o.image.file, o.step.instruction.keywordRange, `the same step in ${o.image.name}`)),
              });
            }
          }
        }
      },
    };
  },
});

/** Each step key with its first own occurrence in every sibling that has it. */
function commonSteps(members: readonly ImageNode[]): Map<string, Copy[]> {
  const byKey = new Map<string, Copy[]>();
  for (const image of members) {
    const seen = new Set<string>();
    for (const step of ownSteps(image)) {
      const key = commandIdentity(image, step);
      if (seen.has(key)) continue;
      seen.add(key);
      const copies = byKey.get(key);
      if (copies) copies.push({ image, step });
      else byKey.set(key, [{ image, step }]);
    }
  }
  for (const [key, copies] of byKey) if (copies.length < 2) byKey.delete(key);
  return byKey;
}

function target(group: SiblingGroup, holders: number): string {
  return holders === group.members.length ? group.parentName : `a new base image on ${group.parentName}`;
}
