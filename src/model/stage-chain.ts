// A stage starts from the filesystem its `FROM <stage>` parent ended with, so layer questions (what an
// earlier COPY put there, what a later RUN removes) follow that chain, not the file's stage boundaries.
import type { DockerfileModel, Instruction, Stage } from './types.js';

/** The stage and the stages it is built on, the root first. */
export function stageChain(stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | null = stage; s && !chain.includes(s); s = s.parent) chain.unshift(s);
  return chain;
}

/** The instructions a stage's image is built from, in build order: its ancestors' and its own (ONBUILD triggers not expanded). */
export function chainInstructions(stage: Stage): Instruction[] {
  return stageChain(stage).flatMap((s) => s.instructions);
}

/** True when `stage` is `ancestor` or is built on it through `FROM <stage>`. */
export function buildsOn(stage: Stage, ancestor: Stage): boolean {
  return stageChain(stage).includes(ancestor);
}

/**
 * What runs after `at` on top of its filesystem: the rest of its stage, then every stage built on that
 * stage (in file order). An ONBUILD trigger is followed by the triggers after it.
 */
export function instructionsAfter(model: DockerfileModel, at: Instruction): Instruction[] {
  const stage = at.stage;
  if (!stage) return [];
  if (at.onbuild) {
    const i = stage.instructions.indexOf(at.onbuild);
    return stage.instructions.slice(i + 1).flatMap((ins) => (ins.keyword === 'ONBUILD' && ins.trigger ? [ins.trigger] : []));
  }
  const i = stage.instructions.indexOf(at);
  const out = stage.instructions.slice(i + 1);
  for (const s of model.stages) {
    if (s !== stage && buildsOn(s, stage)) out.push(...s.instructions);
  }
  return out;
}

/** The stages whose image is the final one, or a base of it: the final stage and what it is built on through `FROM`. */
export function finalChain(model: DockerfileModel): Stage[] {
  const last = model.stages[model.stages.length - 1];
  return last ? stageChain(last) : [];
}
