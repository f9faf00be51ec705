// A restructuring changes which layers the images share, so its saving is measured, not summed: the
// family is modelled as each image's base and ordered layers, the change is applied to the model, and
// unique bytes are counted again. Two images share a layer exactly when their chains agree from the
// base up to it, as chain keys do; a step moved, removed or reordered changes every chain above it.
import type { ImageGraph, ImageNode, LayerStep } from '../graph/types.js';
import { layerIdentity } from '../graph/step-identity.js';
import { emptyByProvenance } from './size.js';
import type { FamilyEstimate, Provenance, SizeEstimate } from './types.js';

export interface Unit {
  /** What the builder caches the layer by (command, inputs, settings), independent of position. */
  key: string;
  step: LayerStep;
  bytes: number;
  uncompressedBytes: number;
  /** Compressed bytes by provenance; sums to `bytes`. */
  byProvenance: Record<Provenance, number>;
}

export interface ModelNode {
  name: string;
  /** Null for a base image a change introduces: its layers count, it is not an image of its own. */
  image: ImageNode | null;
  parent: ModelNode | null;
  children: ModelNode[];
  /** The external base, for nodes without a parent. */
  base: string | null;
  own: Unit[];
}

export interface ModelBase {
  bytes: number;
  uncompressedBytes: number;
  byProvenance: Record<Provenance, number>;
}

export interface Measure {
  uniqueBytes: number;
  uniqueUncompressedBytes: number;
  standaloneBytes: number;
  byProvenance: Record<Provenance, number>;
}

export class FamilyModel {
  constructor(
    readonly nodes: ModelNode[],
    readonly bases: Map<string, ModelBase>,
  ) {}

  static fromEstimate(graph: ImageGraph, estimate: FamilyEstimate): FamilyModel {
    const nodes = new Map<ImageNode, ModelNode>();
    for (const img of graph.images) {
      nodes.set(img, { name: img.name, image: img, parent: null, children: [], base: img.parent ? null : img.parentRef, own: img.steps.map((s) => unitOf(img, s, estimate.steps.get(s)?.size)) });
    }
    for (const [img, node] of nodes) {
      if (!img.parent) continue;
      const parent = nodes.get(img.parent) as ModelNode;
      node.parent = parent;
      parent.children.push(node);
    }
    const bases = new Map<string, ModelBase>();
    for (const b of estimate.bases) bases.set(b.ref, { bytes: b.size.bytes, uncompressedBytes: b.size.uncompressedBytes, byProvenance: provenanceOf(b.size) });
    return new FamilyModel([...nodes.values()], bases);
  }

  /** A deep copy: changes to it leave this model as it is. */
  clone(): FamilyModel {
    const map = new Map<ModelNode, ModelNode>();
    for (const n of this.nodes) map.set(n, { ...n, parent: null, children: [], own: n.own.map((u) => ({ ...u, byProvenance: { ...u.byProvenance } })) });
    for (const n of this.nodes) {
      const copy = map.get(n) as ModelNode;
      copy.parent = n.parent ? (map.get(n.parent) as ModelNode) : null;
      copy.children = n.children.map((c) => map.get(c) as ModelNode);
    }
    return new FamilyModel([...map.values()], new Map([...this.bases].map(([k, v]) => [k, { ...v, byProvenance: { ...v.byProvenance } }])));
  }

  node(image: ImageNode): ModelNode | undefined {
    return this.nodes.find((n) => n.image === image);
  }

  /** Moves `node` under `parent`. */
  reparent(node: ModelNode, parent: ModelNode): void {
    if (node.parent) node.parent.children = node.parent.children.filter((c) => c !== node);
    node.parent = parent;
    node.base = null;
    parent.children.push(node);
  }

  addNode(node: ModelNode): void {
    this.nodes.push(node);
    node.parent?.children.push(node);
  }

  /** The unit of `step` wherever it is in the model. */
  unit(step: LayerStep): Unit | undefined {
    for (const n of this.nodes) {
      const u = n.own.find((x) => x.step === step);
      if (u) return u;
    }
    return undefined;
  }

  /** Unique bytes (each distinct chain once) and the sum of every image on its own. */
  measure(): Measure {
    const m: Measure = { uniqueBytes: 0, uniqueUncompressedBytes: 0, standaloneBytes: 0, byProvenance: emptyByProvenance() };
    const ids = new Map<string, number>();
    const add = (sized: { bytes: number; uncompressedBytes: number; byProvenance: Record<Provenance, number> }): void => {
      m.uniqueBytes += sized.bytes;
      m.uniqueUncompressedBytes += sized.uncompressedBytes;
      for (const [p, v] of Object.entries(sized.byProvenance)) m.byProvenance[p as Provenance] += v;
    };
    // Chain id and total bytes at the end of each node, parents first.
    const ends = new Map<ModelNode, { id: number; bytes: number }>();
    const roots = this.nodes.filter((n) => !n.parent);
    const order = [...roots];
    for (let i = 0; i < order.length; i++) order.push(...(order[i] as ModelNode).children);
    for (const n of order) {
      let id: number;
      let bytes: number;
      if (n.parent) {
        const end = ends.get(n.parent) as { id: number; bytes: number };
        id = end.id;
        bytes = end.bytes;
      } else {
        const ref = n.base ?? '';
        const key = `base\0${ref}`;
        const known = ids.get(key);
        const base = this.bases.get(ref) ?? { bytes: 0, uncompressedBytes: 0, byProvenance: emptyByProvenance() };
        if (known === undefined) {
          id = ids.size;
          ids.set(key, id);
          add(base);
        } else id = known;
        bytes = base.bytes;
      }
      for (const u of n.own) {
        const key = `${id}\0${u.key}`;
        const known = ids.get(key);
        if (known === undefined) {
          id = ids.size;
          ids.set(key, id);
          add(u);
        } else id = known;
        bytes += u.bytes;
      }
      ends.set(n, { id, bytes });
      if (n.image) m.standaloneBytes += bytes;
    }
    return m;
  }
}

function unitOf(img: ImageNode, step: LayerStep, size: SizeEstimate | undefined): Unit {
  return {
    key: layerIdentity(img, step),
    step,
    bytes: size?.bytes ?? 0,
    uncompressedBytes: size?.uncompressedBytes ?? 0,
    byProvenance: size ? provenanceOf(size) : emptyByProvenance(),
  };
}

function provenanceOf(size: SizeEstimate): Record<Provenance, number> {
  const out = emptyByProvenance();
  for (const p of size.parts) out[p.provenance] += p.bytes;
  return out;
}

/** Takes `bytes` off a unit or base, from the given provenance first, then from the others in proportion. */
export function reduce(target: { bytes: number; uncompressedBytes: number; byProvenance: Record<Provenance, number> }, bytes: number, uncompressedBytes: number, provenance: Provenance): void {
  const cut = Math.min(bytes, target.bytes);
  target.bytes -= cut;
  target.uncompressedBytes = Math.max(0, target.uncompressedBytes - uncompressedBytes);
  const first = Math.min(cut, target.byProvenance[provenance]);
  target.byProvenance[provenance] -= first;
  const others = Object.values(target.byProvenance).reduce((s, v) => s + v, 0);
  if (cut > first && others > 0) {
    const ratio = Math.min(1, (cut - first) / others);
    for (const p of Object.keys(target.byProvenance) as Provenance[]) target.byProvenance[p] -= target.byProvenance[p] * ratio;
  }
}
