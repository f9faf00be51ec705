// What the family size reports share: the report's input, byte and share formatting, and the
// plain (JSON-ready) view of an estimate that every format is written from.
import path from 'node:path';
import type { FamilyEstimate, Provenance, SizeEstimate, WasteItem } from '../estimate/types.js';
import { PROVENANCES } from '../estimate/types.js';
import type { SavingsReport } from '../estimate/savings.js';

export interface FamilyReportInput {
  estimate: FamilyEstimate;
  savings: SavingsReport;
  /** File paths are shown relative to this directory. */
  cwd: string;
}

export type FamilyReportFormat = 'markdown' | 'html' | 'json';
export const FAMILY_REPORT_FORMATS: readonly FamilyReportFormat[] = ['markdown', 'html', 'json'];

export const PROVENANCE_TEXT: Record<Provenance, string> = {
  measured: 'measured in built images',
  context: 'build-context files',
  metadata: 'package index',
  table: 'base-image table',
  heuristic: 'rule of thumb (low confidence)',
};

/** `35 B`, `4.8 kB`, `81.7 MB`, `1.38 GB`: decimal units, three significant digits. */
export function formatBytes(n: number): string {
  const sign = n < 0 ? '−' : '';
  const a = Math.abs(n);
  const units: [number, string][] = [
    [1e12, 'TB'],
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'kB'],
  ];
  for (const [size, unit] of units) {
    if (a >= size * 0.9995) {
      const v = a / size;
      return `${sign}${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${unit}`;
    }
  }
  return `${sign}${Math.round(a)} B`;
}

/** `41%`, `<1%`, `0%`. */
export function formatShare(part: number, whole: number): string {
  if (whole <= 0 || part <= 0) return '0%';
  const pct = (part / whole) * 100;
  if (pct < 1) return '<1%';
  return `${Math.round(pct)}%`;
}

/** `table 46%, metadata 41%`: the non-zero provenances of a byte split, largest first. */
export function provenanceSummary(byProvenance: Record<Provenance, number>): string {
  const total = PROVENANCES.reduce((s, p) => s + byProvenance[p], 0);
  const shown = PROVENANCES.filter((p) => byProvenance[p] > 0).sort((a, b) => byProvenance[b] - byProvenance[a]);
  if (shown.length === 0) return '—';
  return shown.map((p) => `${p} ${formatShare(byProvenance[p], total)}`).join(', ');
}

export function relativeFile(cwd: string, file: string): string {
  const rel = path.relative(cwd, file).split(path.sep).join('/');
  return rel.startsWith('../') || path.isAbsolute(rel) ? file : rel;
}

/** The estimate and savings as plain data: what the JSON report prints and the other formats read. */
export function familyReportData(input: FamilyReportInput): FamilyReportData {
  const { estimate, savings, cwd } = input;
  const size = (s: SizeEstimate) => ({
    bytes: Math.round(s.bytes),
    uncompressedBytes: Math.round(s.uncompressedBytes),
    provenance: s.provenance,
    confidence: s.confidence,
    detail: s.detail,
    parts: s.parts.map((p) => ({ ...p, bytes: Math.round(p.bytes), uncompressedBytes: Math.round(p.uncompressedBytes) })),
  });
  const t = estimate.totals;
  return {
    version: 1,
    units: 'bytes: compressed layer bytes, as a registry stores and a node pulls them; uncompressedBytes: unpacked on disk',
    totals: {
      images: t.images,
      standaloneBytes: Math.round(t.standaloneBytes),
      standaloneUncompressedBytes: Math.round(t.standaloneUncompressedBytes),
      uniqueBytes: Math.round(t.uniqueBytes),
      uniqueUncompressedBytes: Math.round(t.uniqueUncompressedBytes),
      wastedBytes: Math.round(t.wastedBytes),
      uniqueBytesAfterChanges: Math.round(savings.combined.uniqueBytesAfter),
      saveableBytes: Math.round(savings.combined.bytesSaved),
      standaloneSaveableBytes: Math.round(savings.combined.standaloneBytesSaved),
    },
    provenance: Object.fromEntries(PROVENANCES.map((p) => [p, { bytes: Math.round(t.byProvenance[p]), share: t.uniqueBytes > 0 ? t.byProvenance[p] / t.uniqueBytes : 0 }])) as FamilyReportData['provenance'],
    sources: estimate.sources,
    bases: estimate.bases.map((b) => ({ ref: b.ref, images: b.images, ...size(b.size) })),
    images: estimate.images.map((img) => ({
      name: img.name,
      file: relativeFile(cwd, img.file),
      parent: img.parent,
      base: img.base,
      depth: img.depth,
      layers: img.layers,
      totalBytes: Math.round(img.totalBytes),
      totalUncompressedBytes: Math.round(img.totalUncompressedBytes),
      sharedBytes: Math.round(img.sharedBytes),
      uniqueBytes: Math.round(img.uniqueBytes),
      wastedBytes: Math.round(img.wastedBytes),
      steps: img.steps.map((s) => ({
        line: s.line,
        file: relativeFile(cwd, s.step.inherited && s.image.parent ? s.image.parent.file : s.image.file),
        instruction: s.step.text.split('\n')[0] as string,
        inherited: s.step.inherited,
        ...size(s.size),
        wastedBytes: Math.round(s.wastedBytes),
        waste: s.waste.map((w) => ({ ...w, bytes: Math.round(w.bytes), uncompressedBytes: Math.round(w.uncompressedBytes) })),
      })),
    })),
    savings: {
      before: { uniqueBytes: Math.round(savings.before.uniqueBytes), standaloneBytes: Math.round(savings.before.standaloneBytes) },
      combined: {
        uniqueBytesAfter: Math.round(savings.combined.uniqueBytesAfter),
        standaloneBytesAfter: Math.round(savings.combined.standaloneBytesAfter),
        bytesSaved: Math.round(savings.combined.bytesSaved),
        standaloneBytesSaved: Math.round(savings.combined.standaloneBytesSaved),
      },
      changes: savings.savings.map((s) => ({
        ...s,
        steps: s.steps.map((st) => ({ ...st, file: relativeFile(cwd, st.file) })),
        bytesSaved: Math.round(s.bytesSaved),
        uncompressedBytesSaved: Math.round(s.uncompressedBytesSaved),
        standaloneBytesSaved: Math.round(s.standaloneBytesSaved),
        uniqueBytesAfter: Math.round(s.uniqueBytesAfter),
      })),
    },
  };
}

interface SizeData {
  bytes: number;
  uncompressedBytes: number;
  provenance: Provenance;
  confidence: string;
  detail: string;
  parts: { bytes: number; uncompressedBytes: number; provenance: Provenance; confidence: string; detail: string }[];
}

export interface FamilyReportData {
  version: 1;
  units: string;
  totals: {
    images: number;
    standaloneBytes: number;
    standaloneUncompressedBytes: number;
    uniqueBytes: number;
    uniqueUncompressedBytes: number;
    wastedBytes: number;
    uniqueBytesAfterChanges: number;
    saveableBytes: number;
    standaloneSaveableBytes: number;
  };
  provenance: Record<Provenance, { bytes: number; share: number }>;
  sources: FamilyEstimate['sources'];
  bases: ({ ref: string; images: string[] } & SizeData)[];
  images: {
    name: string;
    file: string;
    parent: string | null;
    base: string;
    depth: number;
    layers: number;
    totalBytes: number;
    totalUncompressedBytes: number;
    sharedBytes: number;
    uniqueBytes: number;
    wastedBytes: number;
    steps: ({ line: number; file: string; instruction: string; inherited: boolean; wastedBytes: number; waste: WasteItem[] } & SizeData)[];
  }[];
  savings: {
    before: { uniqueBytes: number; standaloneBytes: number };
    combined: { uniqueBytesAfter: number; standaloneBytesAfter: number; bytesSaved: number; standaloneBytesSaved: number };
    changes: SavingsReport['savings'];
  };
}
