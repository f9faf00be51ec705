// An image that runs a step its parent (or a grandparent) already ran writes the same files into a new
// layer: every byte is stored and pulled twice, once under the ancestor's layer and again above it. A
// step whose inputs changed in between (a file copied over, a variable set) is a new step, not a repeat.
import { createFamilyRule } from '../src/rule/create-rule.js';
import { effective, positionals, subcommand } from '../src/model/command-queries.js';
import { ownSteps, stepFile } from '../src/graph/sibling-groups.js';
import { commandIdentity } from '../src/graph/step-identity.js';
import { dependsOn, placedIndex, placedInstructions, type Placed } from '../src/graph/step-dependencies.js';
import type { ImageNode, LayerStep } from '../src/graph/types.js';

export default createFamilyRule({
  id: 'repeated-ancestor-step',
  scope: 'family',
  meta: {
    type: 'bytes',
    docs: {
      description: 'An image should not run again a step that one of its ancestor images already ran',
    },
    messages: {
      repeated: 'Line {{line}} of {{ancestor}} already runs this step: the same files are written again and stored twice',
    },
    defaultSeverity: 'warning',
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  create(context) {
    const keys = new Map<ImageNode, Map<string, LayerStep>>();
    const stepsByKey = (img: ImageNode): Map<string, LayerStep> => {
      let map = keys.get(img);
      if (!map) {
        map = new Map();
        for (const s of img.steps) if (!map.has(commandIdentity(img, s))) map.set(commandIdentity(img, s), s);
        keys.set(img, map);
      }
      return map;
    };
    return {
      Family(graph) {
        for (const img of graph.images) {
          // Without an ancestor in the family there is nothing to repeat (and no key to work out).
          if (!img.parent) continue;
          for (const step of ownSteps(img)) {
            if (refreshesOnly(step)) continue;
            const id = commandIdentity(img, step);
            let a: ImageNode | null = img.parent;
            while (a && !stepsByKey(a).has(id)) a = a.parent;
            const match = a ? stepsByKey(a).get(id) : undefined;
            if (!a || !match || !sameInputs(img, step, a, match)) continue;
            // An ONBUILD trigger runs in the ancestor but is written in the ancestor's parent.
            const owner = stepFile(a, match) === a.file ? a : (a.parent as ImageNode);
            const line = owner.model.source.positionAt(match.instruction.range.start).line;
            context.report({
              file: img.file,
              range: step.instruction.keywordRange,
              messageId: 'repeated',
              data: { line, ancestor: owner.name },
              related: [context.locate(owner.file, match.instruction.keywordRange, `the same step in ${owner.name}`)],
            });
          }
        }
      },
    };
  },
});

/**
 * Whether the step sees what the ancestor's did: nothing built in between (in the ancestor after it, in the
 * images between, in this image before it) touches what it reads, and it runs as the same user in the same
 * directory. USER and WORKDIR in between are fine when they come back to the same.
 */
function sameInputs(img: ImageNode, step: LayerStep, ancestor: ImageNode, match: LayerStep): boolean {
  const at = placedIndex(img, step.instruction);
  const self = placedInstructions(img)[at];
  if (!self) return false;
  const between: Placed[] = placedInstructions(img).slice(0, at);
  for (let p = img.parent; p && p !== ancestor; p = p.parent) between.push(...placedInstructions(p));
  const from = placedIndex(ancestor, match.instruction);
  between.push(...placedInstructions(ancestor).slice(from + 1));
  const settings = (p: Placed): boolean => p.ins.keyword === 'USER' || p.ins.keyword === 'WORKDIR';
  if (between.some((p) => !settings(p) && dependsOn(self, p, { installs: false }))) return false;
  const before = placedInstructions(ancestor)[from];
  if (!before) return true;
  const run = step.instruction.keyword === 'RUN';
  if (run && before.user !== self.user) return false;
  return before.workdir === self.workdir || !between.some((p) => p.ins.keyword === 'WORKDIR' && dependsOn(self, p, { installs: false }));
}

const REFRESH: Record<string, ReadonlySet<string>> = {
  'apt-get': new Set(['update', 'clean', 'autoclean']),
  apt: new Set(['update', 'clean', 'autoclean']),
  aptitude: new Set(['update', 'clean', 'autoclean']),
  apk: new Set(['update', 'cache']),
  yum: new Set(['makecache', 'clean', 'check-update']),
  dnf: new Set(['makecache', 'clean', 'check-update']),
  microdnf: new Set(['makecache', 'clean']),
  tdnf: new Set(['makecache', 'clean']),
  zypper: new Set(['refresh', 'ref', 'clean', 'cc']),
};
// Programs that rebuild an index from whatever is installed: after a child's own installs, they must run again.
const REGENERATE = new Set(['ldconfig', 'update-ca-certificates', 'update-ca-trust', 'fc-cache', 'depmod', 'glib-compile-schemas', 'update-mime-database', 'update-desktop-database', 'gtk-update-icon-cache']);
const NEUTRAL = new Set(['set', 'true', ':', 'exit']);
const CACHE_DIRS = ['/var/lib/apt/lists', '/var/cache/', '/tmp/', '/var/tmp/', '/root/.cache'];

/** A RUN that only refreshes package indexes, cleans caches or rebuilds an index: repeating it is legitimate. */
function refreshesOnly(step: LayerStep): boolean {
  const ins = step.instruction;
  if (ins.keyword !== 'RUN' || ins.form !== 'shell' || !ins.script.analyzable) return false;
  const commands = ins.script.commands.filter((c) => !c.inSubstitution);
  return commands.length > 0 && commands.every((c) => {
    const { program, args } = effective(c);
    if (NEUTRAL.has(program) || REGENERATE.has(program)) return true;
    if (program === 'rm') return positionals(args).every((a) => CACHE_DIRS.some((d) => a.value.startsWith(d) || `${a.value}/` === d));
    const sub = subcommand(args);
    return sub !== null && (REFRESH[program]?.has(sub) ?? false);
  });
}
