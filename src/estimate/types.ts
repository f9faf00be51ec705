import type { ImageNode, LayerStep } from '../graph/types.js';

/**
 * Where a size comes from, most trustworthy first: a real image, the real bytes of the build context,
 * a package index, the curated base-image table, or a rule of thumb.
 */
export type Provenance = 'measured' | 'context' | 'metadata' | 'table' | 'heuristic';

export const PROVENANCES: readonly Provenance[] = ['measured', 'context', 'metadata', 'table', 'heuristic'];

export type Confidence = 'high' | 'medium' | 'low';

/** One contribution to a layer's size, with its source. */
export interface SizePart {
  /** Compressed bytes: what a registry stores and a node pulls (gzip layers). */
  bytes: number;
  /** Bytes on disk once the layer is unpacked. */
  uncompressedBytes: number;
  provenance: Provenance;
  confidence: Confidence;
  /** What was counted, for a person: `python3-minimal and 4 dependencies (Packages index)`. */
  detail: string;
}

/** A layer's (or base image's) size: the sum of its parts. */
export interface SizeEstimate {
  bytes: number;
  uncompressedBytes: number;
  /** The provenance of the largest part. */
  provenance: Provenance;
  /** The lowest confidence among the parts that make up a tenth or more of the bytes. */
  confidence: Confidence;
  detail: string;
  parts: SizePart[];
}

/** Bytes of a layer that a better-built layer would not hold, as a rule finding names them. */
export interface WasteItem {
  bytes: number;
  uncompressedBytes: number;
  /** The rule whose finding names the waste; `measured` for bytes a later layer of a real image hides. */
  rule: string;
  /** What is wasted (`path:/var/lib/apt/lists`, `step:<chain key>`): two findings naming the same bytes count once. */
  key: string;
  provenance: Provenance;
  confidence: Confidence;
  detail: string;
}

export interface StepEstimate {
  step: LayerStep;
  /** The image whose Dockerfile builds the step first (a parent's step is listed under the parent). */
  image: ImageNode;
  /** 1-based line of the instruction in the file that holds it. */
  line: number;
  size: SizeEstimate;
  /** Waste inside this layer (its bytes are part of `size`). */
  waste: WasteItem[];
  wastedBytes: number;
}

export interface BaseEstimate {
  /** The FROM reference as resolved. */
  ref: string;
  size: SizeEstimate;
  /** Names of the family's images built directly on it. */
  images: string[];
}

export interface ImageEstimate {
  name: string;
  file: string;
  parent: string | null;
  /** The external base the image's chain starts from. */
  base: string;
  depth: number;
  /** The image's own layers (its parent's are under the parent). */
  steps: StepEstimate[];
  /** Layers in the whole chain, base layers counted as one. */
  layers: number;
  /** The whole image as pulled alone: base, ancestors' layers and its own. */
  totalBytes: number;
  totalUncompressedBytes: number;
  /** Of `totalBytes`: in layers another image of the family also has. */
  sharedBytes: number;
  /** Of `totalBytes`: in layers no other image has. */
  uniqueBytes: number;
  /** Of `totalBytes`: waste, in shared and unique layers alike. */
  wastedBytes: number;
}

export interface FamilyTotals {
  images: number;
  /** Sum over images of each image's whole size: every image pulled and stored on its own. */
  standaloneBytes: number;
  standaloneUncompressedBytes: number;
  /** Each distinct layer (by chain key) and each base once: what the family costs with today's sharing. */
  uniqueBytes: number;
  uniqueUncompressedBytes: number;
  /** Waste within the unique bytes. */
  wastedBytes: number;
  /** Unique bytes by provenance. */
  byProvenance: Record<Provenance, number>;
}

export interface FamilyEstimate {
  images: ImageEstimate[];
  bases: BaseEstimate[];
  totals: FamilyTotals;
  /** Every layer step of the family, once. */
  steps: ReadonlyMap<LayerStep, StepEstimate>;
  /** The package index files read, the measured source, and what else the figures rest on. */
  sources: EstimateSources;
}

export interface EstimateSources {
  packageIndexes: string[];
  measured: string | null;
  notes: string[];
}
