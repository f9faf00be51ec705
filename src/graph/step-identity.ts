// How family rules compare steps across images. The graph's keys carry what the builder sees: a step's
// `key` (the command, its copied bytes, the stages it reads), its `configKey` (the ENV/ARG, WORKDIR
// and USER a RUN is cached with) and its `chainKey` (everything below it).
import type { ImageNode, LayerStep } from './types.js';

/** The same command on the same inputs: what moving or removing a step is judged by. */
export function commandIdentity(_img: ImageNode, step: LayerStep): string {
  return step.key;
}

/**
 * The same layer, as the builder caches it: for siblings (which start from the same parent), equal
 * identities at equal positions are a shared layer.
 */
export function layerIdentity(_img: ImageNode, step: LayerStep): string {
  return `${step.key}\0${step.configKey}`;
}

/** Per step of the image, its chain key: between images, equal exactly when the layer is shared. */
export function layerChain(img: ImageNode): string[] {
  return img.steps.map((s) => s.chainKey);
}
