// What each restructuring the rules propose would save: the change is applied to a model of the
// family and the unique bytes counted again, so a hoist saves exactly the copies it merges, a
// canonical order exactly the layers it lets siblings share, and a cleanup its bytes once per layer.
import path from 'node:path';
import type { LintResult } from '../linter/diagnostic.js';
import type { ImageGraph, ImageNode, LayerStep } from '../graph/types.js';
import { nameList, ownStartKey, ownSteps, siblingGroups } from '../graph/sibling-groups.js';
import { proposeOrder } from '../graph/sibling-order.js';
import { canRunBefore } from '../graph/step-dependencies.js';
import { layerIdentity } from '../graph/step-identity.js';
import { BASE_IMAGE_SIZES, BASE_UNPACK_FACTOR, smallerVariant, toolchainImage } from './base-images.js';
import { placeFindings, type PlacedFinding } from './findings.js';
import { FamilyModel, reduce, type Measure, type ModelNode } from './layer-model.js';
import { emptyByProvenance } from './size.js';
import { PROVENANCES, type Confidence, type FamilyEstimate, type Provenance, type WasteItem } from './types.js';

export type SavingKind = 'cleanup' | 'builder-stage' | 'copy-flags' | 'drop-repeat' | 'hoist' | 'reorder' | 'smaller-base' | 'common-base';

export interface SavingStep {
  image: string;
  file: string;
  line: number;
  text: string;
}

export interface Saving {
  kind: SavingKind;
  /** The rule whose findings propose it. */
  rule: string;
  title: string;
  images: string[];
  steps: SavingStep[];
  /** Unique (family) compressed bytes saved: what the registry and a node holding every image save. */
  bytesSaved: number;
  uncompressedBytesSaved: number;
  /** Bytes saved summed over images each pulled on its own. */
  standaloneBytesSaved: number;
  /** Unique bytes once this change alone is made. */
  uniqueBytesAfter: number;
  /** Share of the saved bytes by the provenance of their sizes (sums to 1 when anything is saved). */
  provenance: Record<Provenance, number>;
  confidence: Confidence;
}

export interface SavingsReport {
  before: { uniqueBytes: number; standaloneBytes: number };
  /** Largest saving first. */
  savings: Saving[];
  /** Every change made together (they can overlap, so this is not the sum). */
  combined: { uniqueBytesAfter: number; standaloneBytesAfter: number; bytesSaved: number; standaloneBytesSaved: number };
}

export interface SavingsOptions {
  /** Where the results' file paths are relative to; default `process.cwd()`. */
  cwd?: string;
  /** Compressed base-image sizes by table key, over the built-in table (as for estimateFamily). */
  baseSizes?: Readonly<Record<string, number>>;
  /** Called as changes are measured, for a progress display. */
  onProgress?: (done: number, total: number) => void;
}

type Change = (model: FamilyModel) => void;

interface Proposal {
  kind: SavingKind;
  rule: string;
  title: string;
  images: ImageNode[];
  steps: { image: ImageNode; step: LayerStep }[];
  change: Change;
  /** Where the saved bytes' figure comes from, when it is one figure (a cache's size); else read from the model. */
  provenance?: Provenance;
}

export function proposeSavings(graph: ImageGraph, findings: readonly LintResult[], sizes: FamilyEstimate, options: SavingsOptions = {}): SavingsReport {
  const placed = placeFindings(graph, findings, path.resolve(options.cwd ?? process.cwd()));
  const proposals = [
    ...wasteProposals(sizes),
    ...repeatProposals(placed),
    ...hoistProposals(placed),
    ...reorderProposals(graph, placed),
    ...baseProposals(placed, options.baseSizes),
    ...commonBaseProposals(placed),
  ];
  const model = FamilyModel.fromEstimate(graph, sizes);
  const before = model.measure();
  const savings = proposals.map((p, i): Saving => {
    const after = model.clone();
    p.change(after);
    options.onProgress?.(i + 1, proposals.length);
    return toSaving(p, before, after.measure(), sizes);
  });
  savings.sort((a, b) => b.bytesSaved - a.bytesSaved || a.title.localeCompare(b.title));
  const all = model.clone();
  for (const p of proposals) p.change(all);
  const end = all.measure();
  return {
    before: { uniqueBytes: before.uniqueBytes, standaloneBytes: before.standaloneBytes },
    savings,
    combined: { uniqueBytesAfter: end.uniqueBytes, standaloneBytesAfter: end.standaloneBytes, bytesSaved: before.uniqueBytes - end.uniqueBytes, standaloneBytesSaved: before.standaloneBytes - end.standaloneBytes },
  };
}

const WASTE_KINDS: Record<string, { kind: SavingKind; verb: string }> = {
  'clean-apt-cache': { kind: 'cleanup', verb: 'Delete the apt lists in the same RUN' },
  'apk-no-cache': { kind: 'cleanup', verb: 'Use `apk add --no-cache`' },
  'clean-dnf-cache': { kind: 'cleanup', verb: 'Clean the dnf cache in the same RUN' },
  'clean-yum-cache': { kind: 'cleanup', verb: 'Clean the yum cache in the same RUN' },
  'clean-zypper-cache': { kind: 'cleanup', verb: 'Clean the zypper cache in the same RUN' },
  'pip-no-cache-dir': { kind: 'cleanup', verb: 'Install with `pip --no-cache-dir`' },
  'clean-npm-cache': { kind: 'cleanup', verb: 'Clean the npm cache in the same RUN' },
  'clean-yarn-cache': { kind: 'cleanup', verb: 'Clean the yarn cache in the same RUN' },
  'clean-gem-cache': { kind: 'cleanup', verb: 'Install gems without documentation and clean their cache' },
  'remove-downloaded-archive': { kind: 'cleanup', verb: 'Delete the downloaded archive in the same RUN' },
  'delete-in-later-layer': { kind: 'cleanup', verb: 'Delete the files in the layer that creates them' },
  'metadata-change-after-copy': { kind: 'copy-flags', verb: 'Set owner and mode as the files are copied' },
  'build-toolchain-in-final-image': { kind: 'builder-stage', verb: 'Build in a separate stage and copy only the result' },
};

/** The waste each rule names in a layer, taken out of it: one change per rule and layer. */
function wasteProposals(sizes: FamilyEstimate): Proposal[] {
  const out: Proposal[] = [];
  for (const s of sizes.steps.values()) {
    const byRule = new Map<string, WasteItem[]>();
    for (const w of s.waste) if (WASTE_KINDS[w.rule] && w.bytes > 0) byRule.set(w.rule, [...(byRule.get(w.rule) ?? []), w]);
    for (const [rule, items] of byRule) {
      const k = WASTE_KINDS[rule] as (typeof WASTE_KINDS)[string];
      const provenances = new Set(items.map((w) => w.provenance));
      out.push({
        kind: k.kind,
        rule,
        title: `${k.verb}: ${s.image.name} line ${s.line}`,
        images: [s.image],
        steps: [{ image: s.image, step: s.step }],
        change: (m) => {
          const u = m.unit(s.step);
          if (u) for (const w of items) reduce(u, w.bytes, w.uncompressedBytes, w.provenance);
        },
        ...(provenances.size === 1 ? { provenance: items[0]?.provenance } : {}),
      });
    }
  }
  return out;
}

/**
 * Dropping a repeated step, in every image of one parent that repeats it together: dropped from one
 * sibling alone, the steps after it would stop being shared with the others.
 */
function repeatProposals(placed: readonly PlacedFinding[]): Proposal[] {
  const groups = new Map<string, { image: ImageNode; step: LayerStep }[]>();
  for (const f of unique(placed.filter((x) => x.ruleId === 'repeated-ancestor-step' && x.step))) {
    const key = `${f.image.parent?.name ?? ''}\0${(f.step as LayerStep).key}`;
    groups.set(key, [...(groups.get(key) ?? []), { image: f.image, step: f.step as LayerStep }]);
  }
  return [...groups.values()].map((copies) => ({
    kind: 'drop-repeat',
    rule: 'repeated-ancestor-step',
    title: `Drop the step ${nameList(copies.map((c) => c.image.name))} ${copies.length === 1 ? 'repeats' : 'repeat'} from an ancestor`,
    images: copies.map((c) => c.image),
    steps: copies,
    change: (m) => {
      for (const c of copies) {
        const node = m.node(c.image);
        if (node) node.own = node.own.filter((u) => u.step !== c.step);
      }
    },
  }));
}

/** One hoist per parent and step: every flagged copy moves into the parent, or a new base on it. */
function hoistProposals(placed: readonly PlacedFinding[]): Proposal[] {
  const groups = new Map<string, { parent: ImageNode; copies: { image: ImageNode; step: LayerStep }[] }>();
  for (const f of placed) {
    if (f.ruleId !== 'hoist-common-steps' || !f.step || !f.image.parent) continue;
    const key = `${f.image.parent.name}\0${f.step.key}`;
    const g = groups.get(key) ?? { parent: f.image.parent, copies: [] };
    if (!g.copies.some((c) => c.image === f.image)) g.copies.push({ image: f.image, step: f.step });
    groups.set(key, g);
  }
  return [...groups.values()].filter((g) => g.copies.length >= 2).map(({ parent, copies }) => {
    const all = parent.children.every((c) => copies.some((x) => x.image === c));
    const target = all ? parent.name : `a new base image on ${parent.name}`;
    return {
      kind: 'hoist',
      rule: 'hoist-common-steps',
      title: `Hoist the step ${nameList(copies.map((c) => c.image.name))} each run into ${target}`,
      images: copies.map((c) => c.image),
      steps: copies,
      change: (m) => {
        const p = m.node(parent);
        const first = copies[0];
        if (!p || !first) return;
        const unit = m.unit(first.step);
        if (!unit) return;
        const moved = { ...unit, byProvenance: { ...unit.byProvenance } };
        const holders: ModelNode[] = [];
        for (const c of copies) {
          const h = m.node(c.image);
          if (!h) continue;
          h.own = h.own.filter((u) => u.step !== c.step);
          holders.push(h);
        }
        if (all) p.own.push(moved);
        else {
          const base: ModelNode = { name: `${parent.name}+common`, image: null, parent: p, children: [], base: null, own: [moved] };
          m.addNode(base);
          for (const h of holders) m.reparent(h, base);
        }
      },
    };
  });
}

/** One canonical order per sibling group that has a reorder finding, as the rule proposes it. */
function reorderProposals(graph: ImageGraph, placed: readonly PlacedFinding[]): Proposal[] {
  const flagged = new Set(placed.filter((f) => f.ruleId === 'reorder-sibling-steps').map((f) => f.image));
  if (flagged.size === 0) return [];
  // As the rule moves steps: a COPY never ahead of a RUN, and never past what a step depends on.
  const canMove = (image: ImageNode, step: LayerStep, over: readonly LayerStep[]): boolean =>
    (step.instruction.keyword === 'RUN' || over.every((o) => o.instruction.keyword !== 'RUN')) && canRunBefore(image, step, over, { installs: true, settings: true });
  const out: Proposal[] = [];
  for (const group of siblingGroups(graph)) {
    const byStart = new Map<string, ImageNode[]>();
    for (const img of group.members) byStart.set(ownStartKey(img), [...(byStart.get(ownStartKey(img)) ?? []), img]);
    for (const members of byStart.values()) {
      if (members.length < 2 || !members.some((m) => flagged.has(m))) continue;
      const orders = proposeOrder(members.map((image) => ({ image, steps: ownSteps(image) })), layerIdentity, canMove).filter((o) => o.proposed.some((s, i) => s !== o.current[i]));
      if (orders.length === 0) continue;
      const involved = [...new Set(orders.flatMap((o) => [o.image, ...o.partners]))].sort((a, b) => a.name.localeCompare(b.name));
      out.push({
        kind: 'reorder',
        rule: 'reorder-sibling-steps',
        title: `Run the steps that ${nameList(involved.map((i) => i.name))} share in one order (on ${group.parentName})`,
        images: involved,
        steps: orders.flatMap((o) => o.proposed.filter((s, i) => s !== o.current[i]).map((step) => ({ image: o.image, step }))),
        change: (m) => {
          for (const o of orders) {
            const node = m.node(o.image);
            if (!node) continue;
            const inherited = node.own.filter((u) => u.step.inherited);
            const byStep = new Map(node.own.map((u) => [u.step, u]));
            // Steps another change removed stay removed.
            node.own = [...inherited, ...o.proposed.flatMap((s) => byStep.get(s) ?? [])];
          }
        },
      });
    }
  }
  return out;
}

/** A smaller variant, or a runtime base for a toolchain image, per base and suggestion. */
function baseProposals(placed: readonly PlacedFinding[], overrides?: Readonly<Record<string, number>>): Proposal[] {
  const size = (key: string): number | undefined => overrides?.[key] ?? BASE_IMAGE_SIZES[key]?.bytes;
  const groups = new Map<string, { from: string; to: string; bytes: number; images: ImageNode[] }>();
  for (const f of placed) {
    if (f.ruleId !== 'prefer-minimal-base' || f.step || f.image.parent) continue;
    const ref = f.image.from.ref;
    let to: string | null = null;
    let bytes: number | undefined;
    if (f.diagnostic.messageId === 'smallerVariant') {
      const v = smallerVariant(ref);
      if (v) {
        to = v.suggestion;
        bytes = size(`${v.image}:${v.smallerVariant}`);
      }
    } else if (f.diagnostic.messageId === 'toolchainFinal') {
      const t = toolchainImage(ref);
      if (t) {
        to = t.runtime.replace(/`/g, '');
        bytes = size(t.runtimeKey);
      }
    }
    if (to === null || bytes === undefined) continue;
    const key = `${f.image.parentRef}\0${to}`;
    const g = groups.get(key) ?? { from: f.image.parentRef, to, bytes, images: [] };
    if (!g.images.includes(f.image)) g.images.push(f.image);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({
    kind: 'smaller-base',
    rule: 'prefer-minimal-base',
    title: `Build ${nameList(g.images.map((i) => i.name))} on ${g.to} instead of ${g.from}`,
    images: g.images,
    steps: [],
    change: (m) => {
      const ref = `${g.to}\0smaller`;
      m.bases.set(ref, { bytes: g.bytes, uncompressedBytes: g.bytes * BASE_UNPACK_FACTOR, byProvenance: { ...emptyByProvenance(), table: g.bytes } });
      for (const img of g.images) {
        const node = m.node(img);
        if (node && !node.parent) node.base = ref;
      }
    },
  }));
}

/** Near-duplicates already share their layers when built on one cache: listed, with what they would keep shared. */
function commonBaseProposals(placed: readonly PlacedFinding[]): Proposal[] {
  const images = unique(placed.filter((f) => f.ruleId === 'near-duplicate-images')).map((f) => f.image);
  if (images.length < 2) return [];
  return [{ kind: 'common-base', rule: 'near-duplicate-images', title: `Build the common steps of ${nameList(images.map((i) => i.name))} once, in one base image`, images, steps: [], change: () => undefined }];
}

function toSaving(p: Proposal, before: Measure, after: Measure, sizes: FamilyEstimate): Saving {
  const saved = before.uniqueBytes - after.uniqueBytes;
  const delta = PROVENANCES.map((k) => Math.max(0, before.byProvenance[k] - after.byProvenance[k]));
  const total = delta.reduce((s, v) => s + v, 0);
  const provenance = emptyByProvenance();
  if (p.provenance) provenance[p.provenance] = saved > 0 ? 1 : 0;
  else PROVENANCES.forEach((k, i) => (provenance[k] = total > 0 ? (delta[i] as number) / total : 0));
  return {
    kind: p.kind,
    rule: p.rule,
    title: p.title,
    images: p.images.map((i) => i.name),
    steps: p.steps.map(({ image, step }) => {
      const est = sizes.steps.get(step);
      return { image: image.name, file: est ? (step.inherited && image.parent ? image.parent.file : image.file) : image.file, line: est?.line ?? 0, text: step.text.split('\n')[0] as string };
    }),
    bytesSaved: saved,
    uncompressedBytesSaved: before.uniqueUncompressedBytes - after.uniqueUncompressedBytes,
    standaloneBytesSaved: before.standaloneBytes - after.standaloneBytes,
    uniqueBytesAfter: after.uniqueBytes,
    provenance,
    confidence: confidenceOf(provenance),
  };
}

function confidenceOf(shares: Record<Provenance, number>): Confidence {
  if (shares.measured + shares.context >= 0.5) return 'high';
  if (shares.heuristic >= 0.5) return 'low';
  return 'medium';
}

/** One finding per image and step (a family finding is reported once per copy). */
function unique(findings: readonly PlacedFinding[]): PlacedFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.image.name}\0${f.step?.chainKey ?? 'from'}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
