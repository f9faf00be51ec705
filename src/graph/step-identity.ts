// A step's key says what the builder sees in the instruction and the build context. Two more things decide
// whether two images' steps give the same layer: a step that reads another stage of its Dockerfile
// (`COPY --from=build`, `RUN --mount=from=build`) depends on what that stage produced, which differs from
// one Dockerfile to the next; and a RUN is cached with its environment, working directory and user.
import { createHash } from 'node:crypto';
import type { DockerfileModel } from '../model/types.js';
import { stepFile } from './sibling-groups.js';
import { placedIndex, placedInstructions } from './step-dependencies.js';
import type { ImageNode, LayerStep } from './types.js';

/** The same command on the same inputs: what moving or removing a step is judged by. */
export function commandIdentity(img: ImageNode, step: LayerStep): string {
  const ins = step.instruction;
  const froms = ins.keyword === 'RUN' ? ins.mounts.map((m) => m.from) : [ins.from];
  const model = step.inherited && img.parent ? img.parent.model : img.model;
  if (!froms.some((f) => f !== null && isStage(model, f))) return step.key;
  return `${step.key}\0${stepFile(img, step)}`;
}

/**
 * The same layer, as the builder caches it: for siblings (which start from the same parent), equal
 * identities at equal positions are a shared layer.
 */
export function layerIdentity(img: ImageNode, step: LayerStep): string {
  const base = commandIdentity(img, step);
  const ins = step.instruction;
  const placed = placedInstructions(img)[placedIndex(img, ins)];
  if (!placed) return base;
  if (ins.keyword === 'RUN') {
    const env = [...ins.env].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`);
    return [base, placed.workdir ?? '', placed.user ?? '', ...env].join('\0');
  }
  const relative = !(ins.destination ?? '').startsWith('/');
  return relative ? `${base}\0${placed.workdir ?? ''}` : base;
}

const chains = new WeakMap<ImageNode, string[]>();

/**
 * Per step of the image, a hash of the layer identities up to it (from where the image starts): between
 * siblings, equal exactly when the layer is shared. The graph's chain keys leave the RUN settings out.
 */
export function layerChain(img: ImageNode): string[] {
  let chain = chains.get(img);
  if (!chain) {
    let key = img.baseChainKey;
    chain = img.steps.map((step) => (key = createHash('sha256').update(`${key}\0${layerIdentity(img, step)}`).digest('hex').slice(0, 32)));
    chains.set(img, chain);
  }
  return chain;
}

function isStage(model: DockerfileModel, ref: string): boolean {
  if (/^\d+$/.test(ref)) return true;
  const name = ref.toLowerCase();
  return model.stages.some((s) => s.name?.toLowerCase() === name);
}
