// Pairs measured images with the family's images (by name) and their layers with the steps that
// built them. An image's layers are its external base's, then each ancestor's steps, then its own,
// so they line up with the family's steps from the top; the history's created_by confirms each pair.
import type { ImageGraph, ImageNode, LayerStep } from '../graph/types.js';
import { collapse } from './history.js';
import type { MeasuredImage, MeasuredLayer, MeasuredSet } from './types.js';

export interface LayerMatch {
  layer: MeasuredLayer;
  /** The family step that built the layer; null for the external base's layers. */
  step: LayerStep | null;
  /** The image whose Dockerfile holds the step. */
  image: ImageNode | null;
  /**
   * `text`: the history names the step's command (RUN) or destination (COPY/ADD); `keyword`: only
   * the instruction agrees; `position`: the history says nothing; `mismatch`: it names another instruction.
   */
  match: 'text' | 'keyword' | 'position' | 'mismatch' | 'base';
}

export interface ImageMatch {
  image: ImageNode;
  measured: MeasuredImage;
  layers: LayerMatch[];
  /** Whether there are at least as many layers as steps and no pair contradicts its history. */
  aligned: boolean;
}

export interface MeasuredMatches {
  images: ImageMatch[];
  /** Measured images no family image is named like. */
  unmatched: MeasuredImage[];
}

export function matchMeasured(graph: ImageGraph, set: MeasuredSet): MeasuredMatches {
  const images: ImageMatch[] = [];
  const unmatched: MeasuredImage[] = [];
  for (const measured of set.images) {
    const image = graph.byName.get(measured.name);
    if (image === undefined) unmatched.push(measured);
    else images.push(matchImage(image, measured));
  }
  return { images, unmatched };
}

export function matchImage(image: ImageNode, measured: MeasuredImage): ImageMatch {
  const chain: { step: LayerStep; image: ImageNode }[] = [];
  for (let img: ImageNode | null = image; img !== null; img = img.parent) {
    chain.unshift(...img.steps.map((step) => ({ step, image: img as ImageNode })));
  }
  const offset = measured.layers.length - chain.length;
  const layers = measured.layers.map((layer, i): LayerMatch => {
    const owner = chain[i - offset];
    if (owner === undefined) return { layer, step: null, image: null, match: 'base' };
    return { layer, step: owner.step, image: owner.image, match: compare(layer, owner.step) };
  });
  return { image, measured, layers, aligned: offset >= 0 && layers.every((l) => l.match !== 'mismatch') };
}

function compare(layer: MeasuredLayer, step: LayerStep): LayerMatch['match'] {
  const made = layer.instruction;
  if (made === null) return 'position';
  const keyword = step.instruction.keyword;
  const copies = (k: string): boolean => k === 'COPY' || k === 'ADD';
  // Some builders record a COPY as ADD or the other way round: the same kind of layer.
  if (made.keyword !== keyword && !(copies(made.keyword) && copies(keyword))) return 'mismatch';
  // argsText holds no flags; BuildKit's history keeps them (`COPY --chown=1000 src dst`, `RUN --mount=... cmd`).
  const args = collapse(step.instruction.argsText);
  const recorded = stripFlags(made.text);
  if (keyword === 'RUN') return recorded === args ? 'text' : 'keyword';
  // The classic builder and buildah write `file:<hash> in <dest>` for COPY and ADD.
  const dest = / in (\S+)$/.exec(made.text)?.[1];
  return recorded === args || (dest !== undefined && dest === args.split(' ').at(-1)) ? 'text' : 'keyword';
}

function stripFlags(args: string): string {
  return args.replace(/^(?:--\S+\s+)+/, '');
}
