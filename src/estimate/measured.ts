// Where images were built, their layers are the truth. The measured images are paired with the
// family's (src/measure), and each layer that lines up with a step, in an image whose layers agree
// with their history, gives that step its size; the layers below an image's whole chain are its base.
import { parseImageRef } from '../model/image-ref.js';
import { matchMeasured } from '../measure/match-graph.js';
import type { ImageGraph, ImageNode, LayerStep } from '../graph/types.js';
import type { MeasuredImage, MeasuredLayer, MeasuredSet } from '../measure/types.js';

export interface MeasuredBase {
  bytes: number;
  uncompressedBytes: number;
  /** The measured image the figure was read from. */
  from: string;
}

export interface MeasuredSizes {
  steps: Map<LayerStep, { layer: MeasuredLayer; image: MeasuredImage }>;
  /** By external base reference. */
  bases: Map<string, MeasuredBase>;
}

export function measuredSizes(graph: ImageGraph, set: MeasuredSet): MeasuredSizes {
  const out: MeasuredSizes = { steps: new Map(), bases: new Map() };
  for (const m of matchMeasured(graph, set).images) {
    if (!m.aligned) continue;
    for (const l of m.layers) if (l.step && !out.steps.has(l.step)) out.steps.set(l.step, { layer: l.layer, image: m.measured });
    const base = m.layers.filter((l) => l.match === 'base').map((l) => l.layer);
    const ref = rootOf(m.image).parentRef;
    if (!out.bases.has(ref)) {
      out.bases.set(ref, { bytes: base.reduce((s, l) => s + l.compressedSize, 0), uncompressedBytes: base.reduce((s, l) => s + l.uncompressedSize, 0), from: m.measured.ref });
    }
  }
  // A measured image that is the external base itself (`debian:bookworm-slim` pulled alongside).
  for (const base of graph.bases) {
    if (out.bases.has(base.ref)) continue;
    const m = set.images.find((i) => sameRef(i.ref, base.ref));
    if (m) out.bases.set(base.ref, { bytes: m.compressedSize, uncompressedBytes: m.uncompressedSize, from: m.ref });
  }
  return out;
}

/** The image's steps from the bottom of its family chain: ancestors' first. */
export function stepChain(img: ImageNode): LayerStep[] {
  const chain: ImageNode[] = [];
  for (let i: ImageNode | null = img; i; i = i.parent) chain.unshift(i);
  return chain.flatMap((i) => i.steps);
}

export function rootOf(img: ImageNode): ImageNode {
  let r = img;
  while (r.parent) r = r.parent;
  return r;
}

function sameRef(a: string, b: string): boolean {
  const x = parseImageRef(a);
  const y = parseImageRef(b);
  return x.registry === y.registry && x.name === y.name && (x.tag ?? 'latest') === (y.tag ?? 'latest');
}
