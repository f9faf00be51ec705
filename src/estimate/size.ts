import type { Confidence, Provenance, SizeEstimate, SizePart } from './types.js';

export const KB = 1_000;
export const MB = 1_000_000;

const CONFIDENCE_ORDER: readonly Confidence[] = ['low', 'medium', 'high'];

export function part(provenance: Provenance, bytes: number, uncompressedBytes: number, detail: string, confidence?: Confidence): SizePart {
  return {
    bytes: Math.max(0, Math.round(bytes)),
    uncompressedBytes: Math.max(0, Math.round(uncompressedBytes)),
    provenance,
    confidence: confidence ?? defaultConfidence(provenance),
    detail,
  };
}

export function defaultConfidence(provenance: Provenance): Confidence {
  if (provenance === 'measured' || provenance === 'context') return 'high';
  if (provenance === 'heuristic') return 'low';
  return 'medium';
}

/** The estimate made of `parts`; an empty list is an empty layer. */
export function sumParts(parts: SizePart[], detail?: string): SizeEstimate {
  let bytes = 0;
  let uncompressedBytes = 0;
  let largest: SizePart | undefined;
  for (const p of parts) {
    bytes += p.bytes;
    uncompressedBytes += p.uncompressedBytes;
    if (!largest || p.bytes > largest.bytes) largest = p;
  }
  let confidence: Confidence = largest?.confidence ?? 'high';
  for (const p of parts) {
    if (p.bytes * 10 >= bytes && CONFIDENCE_ORDER.indexOf(p.confidence) < CONFIDENCE_ORDER.indexOf(confidence)) confidence = p.confidence;
  }
  return {
    bytes,
    uncompressedBytes,
    provenance: largest?.provenance ?? 'heuristic',
    confidence,
    detail: detail ?? (parts.map((p) => p.detail).join('; ') || 'writes no files layerlint knows of'),
    parts,
  };
}

/** `parts` scaled so that their compressed bytes sum to at most `limit` (a waste cannot exceed its layer). */
export function capBytes(bytes: number, uncompressedBytes: number, limit: { bytes: number; uncompressedBytes: number }): { bytes: number; uncompressedBytes: number } {
  return { bytes: Math.min(bytes, limit.bytes), uncompressedBytes: Math.min(uncompressedBytes, limit.uncompressedBytes) };
}

/** Compressed bytes by provenance, for shares. */
export function bytesByProvenance(parts: readonly SizePart[]): Record<Provenance, number> {
  const out = emptyByProvenance();
  for (const p of parts) out[p.provenance] += p.bytes;
  return out;
}

export function emptyByProvenance(): Record<Provenance, number> {
  return { measured: 0, context: 0, metadata: 0, table: 0, heuristic: 0 };
}
