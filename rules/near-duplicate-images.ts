// Two sibling images that repeat each other's steps share those layers only while both Dockerfiles stay
// identical and are built on one cache: edit one step in one file and every layer above it is stored
// twice; build them in separate jobs and the steps run, push and store twice. A base image holding the
// common steps makes them one set of layers by construction.
import { createFamilyRule } from '../src/rule/create-rule.js';
import { nameList, siblingGroups, type SiblingGroup } from '../src/graph/sibling-groups.js';
import { sharedPrefixes } from '../src/graph/sibling-order.js';
import { layerIdentity } from '../src/graph/step-identity.js';
import type { ImageNode } from '../src/graph/types.js';

// Past this many candidates per image, the rest of a huge sibling group is not compared.
const MAX_CANDIDATES = 64;

export default createFamilyRule({
  id: 'near-duplicate-images',
  scope: 'family',
  meta: {
    type: 'cache',
    docs: {
      description: 'Sibling images whose layer steps are the same but for a short tail should build on one base image',
    },
    messages: {
      duplicate: 'Its first {{shared}} are the same in {{others}} and it has no other step: build them once in {{target}} and keep only the settings here',
      nearDuplicate: 'Its first {{shared}} are the same in {{others}} and it adds only {{different}}: build them once in {{target}} and keep only the rest here',
    },
    defaultSeverity: 'info',
    schema: {
      type: 'object',
      properties: {
        maxDifferentSteps: {
          type: 'integer',
          minimum: 0,
          description: 'At most this many steps of each image may follow the steps they have in common',
        },
        minSharedSteps: {
          type: 'integer',
          minimum: 1,
          description: 'The images must have at least this many leading steps in common',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { maxDifferentSteps: 2, minSharedSteps: 3 },
  },
  create(context) {
    const { maxDifferentSteps, minSharedSteps } = context.options;
    return {
      Family(graph) {
        for (const group of siblingGroups(graph)) {
          const seqs = group.members.map((m) => m.steps.map((s) => layerIdentity(m, s)));
          const { paths } = sharedPrefixes(seqs);
          group.members.forEach((img, i) => {
            const mine = seqs[i] as string[];
            const from = Math.max(minSharedSteps, mine.length - maxDifferentSteps);
            if (mine.length < from) return;
            const candidates = (paths[i]?.[from - 1]?.members ?? []).filter((j) => j !== i).slice(0, MAX_CANDIDATES);
            let shared = mine.length;
            const partners: ImageNode[] = [];
            for (const j of candidates) {
              const theirs = seqs[j] as string[];
              let p = from;
              while (p < mine.length && p < theirs.length && mine[p] === theirs[p]) p++;
              if (theirs.length - p > maxDifferentSteps) continue;
              partners.push(group.members[j] as ImageNode);
              shared = Math.min(shared, p);
            }
            if (partners.length === 0) return;
            const different = mine.length - shared;
            context.report({
              file: img.file,
              range: img.from.keywordRange,
              messageId: different === 0 ? 'duplicate' : 'nearDuplicate',
              data: { shared: plural(shared, 'layer step'), different: plural(different, 'step'), others: nameList(partners.map((p) => p.name)), target: target(group, partners.length + 1) },
              related: partners.slice(0, 10).map((p) => context.locate(p.file, p.from.keywordRange, `${p.name} starts with the same steps`)),
            });
          });
        }
      },
    };
  },
});

function target(group: SiblingGroup, images: number): string {
  if (group.parent && images === group.members.length) return group.parent.name;
  return `a new base image on ${group.parentName}`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
