// The family's bytes: every layer step sized from its best source, the waste that rule findings name
// inside those layers, and the totals a family owner asks for: every image pulled on its own, and
// each distinct layer once (layers are shared exactly when their chain keys are equal).
import { statSync } from 'node:fs';
import path from 'node:path';
import type { LintResult } from '../linter/diagnostic.js';
import type { ImageGraph, ImageNode, LayerStep } from '../graph/types.js';
import type { MeasuredSet } from '../measure/types.js';
import { parseImageRef } from '../model/image-ref.js';
import { atOrUnder, resolvePath } from '../model/path-match.js';
import { BASE_IMAGE_SIZES, BASE_UNPACK_FACTOR, baseSizeKey } from './base-images.js';
import { ContextSizer } from './context-size.js';
import { placeFindings, type PlacedFinding } from './findings.js';
import * as H from './heuristics.js';
import { measuredSizes, rootOf, stepChain } from './measured.js';
import { APT_LISTS_DIR, PackageIndex } from './packages.js';
import { capBytes, defaultConfidence, emptyByProvenance, MB, part, sumParts } from './size.js';
import { cloneChainState, emptyChainState, human, StepSizer, type ChainState, type StepFacts } from './step-size.js';
import type { BaseEstimate, FamilyEstimate, ImageEstimate, Provenance, SizeEstimate, StepEstimate, WasteItem } from './types.js';

export interface EstimateOptions {
  /** Where findings' paths are relative to; default `process.cwd()`. */
  cwd?: string;
  /** Lint results of the same run: their findings name the waste in layers. */
  findings?: readonly LintResult[];
  /** Real images: their layer sizes replace the estimates of the steps they map to. */
  measured?: MeasuredSet | null;
  /** `Packages` index files to read (config `estimate.packages`); default: the apt lists directory. */
  packageIndexFiles?: readonly string[];
  /** The apt lists directory to read when no files are given; null reads none. */
  aptListsDir?: string | null;
  /** Compressed base-image sizes by table key (`python:slim`), over the built-in table. */
  baseSizes?: Readonly<Record<string, number>>;
  /** Called as images are sized, for a progress display. */
  onProgress?: (done: number, total: number) => void;
}

/** A base image that no table knows: a distribution base with a runtime on it. */
const UNKNOWN_BASE = { bytes: 80 * MB, uncompressedBytes: 210 * MB };

export function estimateFamily(graph: ImageGraph, options: EstimateOptions = {}): FamilyEstimate {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const notes: string[] = [];
  const indexFiles = options.packageIndexFiles ?? (options.aptListsDir === null ? [] : PackageIndex.listFiles(options.aptListsDir ?? APT_LISTS_DIR));
  let index: PackageIndex | null | undefined;
  // Files named on purpose are read at once, so that a wrong path is an error even where no step uses apt.
  if (options.packageIndexFiles) index = indexFiles.length > 0 ? PackageIndex.fromFiles(indexFiles) : null;
  const packageIndex = (): PackageIndex | null => {
    if (index === undefined) {
      index = indexFiles.length > 0 ? PackageIndex.fromFiles(indexFiles) : null;
      if (!index) notes.push('No Debian/Ubuntu package index was found: apt installs are sized with typical figures.');
    }
    return index;
  };
  const listsDir = options.packageIndexFiles ? null : options.aptListsDir === null ? null : (options.aptListsDir ?? APT_LISTS_DIR);
  const sizer = new ContextSizer();
  const stepSizer = new StepSizer({ sizer, packageIndex });

  // Parents before children: a child's installs start from what its ancestors installed.
  const facts = new Map<LayerStep, StepFacts>();
  const owners = new Map<LayerStep, ImageNode>();
  const states = new Map<ImageNode, ChainState>();
  const order = parentsFirst(graph);
  order.forEach((img, i) => {
    const state = img.parent ? cloneChainState(states.get(img.parent) ?? emptyChainState()) : emptyChainState();
    for (const step of img.steps) {
      facts.set(step, stepSizer.estimate(img, step, state));
      owners.set(step, img);
    }
    states.set(img, state);
    options.onProgress?.(i + 1, order.length);
  });

  const measured = options.measured ? measuredSizes(graph, options.measured) : null;
  const sizes = new Map<LayerStep, SizeEstimate>();
  for (const [step, f] of facts) {
    const m = measured?.steps.get(step);
    sizes.set(step, m ? sumParts([part('measured', m.layer.compressedSize, m.layer.uncompressedSize, `layer ${m.layer.digest.replace(/^sha256:/, '').slice(0, 12)} of ${m.image.ref}`)]) : f.size);
  }

  // Waste that findings name, added to (or marked inside) the steps' sizes.
  const waste = new Map<LayerStep, WasteItem[]>();
  const findings = options.findings ? placeFindings(graph, options.findings, cwd) : [];
  const lists = listsDir ? aptListsSize(listsDir) : null;
  const wasteCtx: WasteContext = { facts, sizes, measured: new Set(measured?.steps.keys() ?? []), lists, packageIndex };
  const seen = new Set<string>();
  for (const f of findings) {
    if (!f.step) continue;
    // A finding that two images share (an ancestor's step) weighs once.
    const key = `${f.ruleId}\0${f.diagnostic.range.start}\0${f.step.chainKey}`;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const { step, item, adds } of wasteOf(f, wasteCtx)) {
      const list = waste.get(step) ?? [];
      // Two findings naming the same bytes (the lists `clean-apt-cache` and `delete-in-later-layer` both see) count once.
      if (list.some((w) => w.key === item.key)) continue;
      list.push(item);
      waste.set(step, list);
      if (adds && !wasteCtx.measured.has(step)) {
        const size = sizes.get(step) as SizeEstimate;
        sizes.set(step, sumParts([...size.parts, part(item.provenance, item.bytes, item.uncompressedBytes, item.detail, item.confidence)]));
      }
    }
  }
  // Measured layers tell what later layers of the same image hide or overwrite.
  if (measured) {
    for (const [step, { layer }] of measured.steps) {
      if (layer.shadowedBytes <= 0) continue;
      const ratio = layer.uncompressedSize > 0 ? layer.compressedSize / layer.uncompressedSize : 0.4;
      const list = waste.get(step) ?? [];
      list.push({ bytes: Math.round(layer.shadowedBytes * ratio), uncompressedBytes: layer.shadowedBytes, rule: 'measured', key: 'measured', provenance: 'measured', confidence: 'high', detail: 'bytes of this layer that a later layer deletes or overwrites' });
      waste.set(step, list);
    }
  }

  const steps = new Map<LayerStep, StepEstimate>();
  for (const [step, size] of sizes) {
    const owner = owners.get(step) as ImageNode;
    const file = step.inherited && owner.parent ? owner.parent : owner;
    const items = (waste.get(step) ?? []).map((w) => ({ ...w, ...capBytes(w.bytes, w.uncompressedBytes, size) }));
    // What a measured layer shows deleted later and what findings name overlap: the larger stands for both.
    const named = items.filter((w) => w.rule !== 'measured').reduce((s, w) => s + w.bytes, 0);
    const shown = items.filter((w) => w.rule === 'measured').reduce((s, w) => s + w.bytes, 0);
    const wastedBytes = Math.min(size.bytes, Math.max(named, shown));
    steps.set(step, { step, image: owner, line: file.model.source.positionAt(step.instruction.range.start).line, size, waste: items, wastedBytes });
  }

  const bases = graph.bases.map((b): BaseEstimate => ({ ref: b.ref, size: baseSize(b.ref, measured?.bases.get(b.ref) ?? null, options.baseSizes), images: b.images.map((i) => i.name) }));
  const baseByRef = new Map(bases.map((b) => [b.ref, b]));
  return summarize(graph, steps, baseByRef, {
    packageIndexes: index ? index.sources : [],
    measured: options.measured?.source ?? null,
    notes,
  });
}

/** Per image and family totals, from the step and base sizes. */
function summarize(graph: ImageGraph, steps: Map<LayerStep, StepEstimate>, bases: Map<string, BaseEstimate>, sources: FamilyEstimate['sources']): FamilyEstimate {
  // How many images hold each layer (by chain key) and each base.
  const holders = new Map<string, number>();
  const chains = new Map<ImageNode, { base: BaseEstimate; steps: StepEstimate[] }>();
  for (const img of graph.images) {
    const chain = stepChain(img).map((s) => steps.get(s) as StepEstimate);
    const base = bases.get(rootOf(img).parentRef) as BaseEstimate;
    chains.set(img, { base, steps: chain });
    holders.set(baseKey(base), (holders.get(baseKey(base)) ?? 0) + 1);
    for (const s of chain) holders.set(s.step.chainKey, (holders.get(s.step.chainKey) ?? 0) + 1);
  }
  const images: ImageEstimate[] = graph.images.map((img) => {
    const { base, steps: chain } = chains.get(img) as { base: BaseEstimate; steps: StepEstimate[] };
    let total = base.size.bytes;
    let totalUnc = base.size.uncompressedBytes;
    let shared = (holders.get(baseKey(base)) ?? 0) > 1 ? base.size.bytes : 0;
    let wasted = 0;
    for (const s of chain) {
      total += s.size.bytes;
      totalUnc += s.size.uncompressedBytes;
      wasted += s.wastedBytes;
      if ((holders.get(s.step.chainKey) ?? 0) > 1) shared += s.size.bytes;
    }
    return {
      name: img.name,
      file: img.file,
      parent: img.parent?.name ?? null,
      base: base.ref,
      depth: img.depth,
      steps: img.steps.map((s) => steps.get(s) as StepEstimate),
      layers: chain.length + 1,
      totalBytes: total,
      totalUncompressedBytes: totalUnc,
      sharedBytes: shared,
      uniqueBytes: total - shared,
      wastedBytes: wasted,
    };
  });
  const byProvenance = emptyByProvenance();
  let unique = 0;
  let uniqueUnc = 0;
  let wasted = 0;
  const counted = new Set<string>();
  const count = (key: string, size: SizeEstimate, waste: number): void => {
    if (counted.has(key)) return;
    counted.add(key);
    unique += size.bytes;
    uniqueUnc += size.uncompressedBytes;
    wasted += waste;
    for (const p of size.parts) byProvenance[p.provenance] += p.bytes;
  };
  for (const { base, steps: chain } of chains.values()) {
    count(baseKey(base), base.size, 0);
    for (const s of chain) count(s.step.chainKey, s.size, s.wastedBytes);
  }
  return {
    images,
    bases: [...bases.values()],
    totals: {
      images: images.length,
      standaloneBytes: images.reduce((s, i) => s + i.totalBytes, 0),
      standaloneUncompressedBytes: images.reduce((s, i) => s + i.totalUncompressedBytes, 0),
      uniqueBytes: unique,
      uniqueUncompressedBytes: uniqueUnc,
      wastedBytes: wasted,
      byProvenance,
    },
    steps,
    sources,
  };
}

function baseKey(base: BaseEstimate): string {
  return `base\0${base.ref}`;
}

function parentsFirst(graph: ImageGraph): ImageNode[] {
  const order = [...graph.roots];
  for (let i = 0; i < order.length; i++) order.push(...(order[i] as ImageNode).children);
  return order;
}

/** A base image's size: measured where an image holds it, else the table, else a typical figure. */
export function baseSize(ref: string, measured: { bytes: number; uncompressedBytes: number; from: string } | null, overrides?: Readonly<Record<string, number>>): SizeEstimate {
  if (measured) return sumParts([part('measured', measured.bytes, measured.uncompressedBytes, `the base layers of ${measured.from}`)]);
  const parsed = parseImageRef(ref);
  if (parsed.scratch) return sumParts([part('table', 0, 0, 'scratch: no layers', 'high')]);
  const key = baseSizeKey(parsed);
  const override = key ? overrides?.[key] : undefined;
  if (key && override !== undefined) return sumParts([part('table', override, override * BASE_UNPACK_FACTOR, `${key}: the configured size`)]);
  const figure = key ? BASE_IMAGE_SIZES[key] : undefined;
  if (key && figure) return sumParts([part('table', figure.bytes, figure.bytes * BASE_UNPACK_FACTOR, `${key}, as of ${figure.asOf}: ${figure.source}`)]);
  return sumParts([part('heuristic', UNKNOWN_BASE.bytes, UNKNOWN_BASE.uncompressedBytes, `${ref} is not in the base-image table: sized as a typical distribution base with a runtime`)]);
}

/** What the apt lists in a directory weigh: what `apt-get update` leaves when a RUN does not delete it. */
function aptListsSize(dir: string): { bytes: number; uncompressedBytes: number; detail: string } | null {
  const files = PackageIndex.listFiles(dir);
  if (files.length === 0) return null;
  let bytes = 0;
  let unc = 0;
  for (const f of files) {
    let size = 0;
    try {
      size = statSync(f).size;
    } catch {
      continue;
    }
    unc += size;
    // Compressed lists barely shrink again; text lists pack about four to one.
    bytes += /\.(lz4|gz|xz)$/.test(f) ? size * 0.9 : size * 0.25;
  }
  return { bytes, uncompressedBytes: unc, detail: `the apt lists, as large as those in ${dir} (${human(unc)})` };
}

interface WasteContext {
  facts: ReadonlyMap<LayerStep, StepFacts>;
  sizes: ReadonlyMap<LayerStep, SizeEstimate>;
  measured: ReadonlySet<LayerStep>;
  lists: { bytes: number; uncompressedBytes: number; detail: string } | null;
  packageIndex: () => PackageIndex | null;
}

interface PlacedWaste {
  step: LayerStep;
  item: WasteItem;
  /** True when the bytes are not yet in the step's size (a cache, a copy-up) and are added to it. */
  adds: boolean;
}

const SHARE_RULES = new Set(Object.keys(H.CACHE_SHARE));

/** The waste a finding names: where its bytes are, how many, and from what source. */
function wasteOf(f: PlacedFinding, ctx: WasteContext): PlacedWaste[] {
  const step = f.step as LayerStep;
  const size = ctx.sizes.get(step) as SizeEstimate;
  const facts = ctx.facts.get(step);
  const item = (key: string, bytes: number, uncompressedBytes: number, provenance: Provenance, detail: string, confidence?: WasteItem['confidence']): WasteItem => {
    const p = part(provenance, bytes, uncompressedBytes, detail, confidence);
    return { ...p, rule: f.ruleId, key };
  };
  const cache = CACHE_PATHS[f.ruleId];
  if (cache) {
    const c = cacheFigure(f.ruleId, ctx);
    return [{ step, item: item(`path:${cache}`, c.bytes, c.uncompressedBytes, c.provenance, c.what), adds: true }];
  }
  if (SHARE_RULES.has(f.ruleId)) {
    const share = H.CACHE_SHARE[f.ruleId] as (typeof H.CACHE_SHARE)[string];
    const install = installAt(facts, f.diagnostic.range.start);
    if (!install) return [];
    return [{ step, item: item(`cache:${f.ruleId}:${install.at}`, install.bytes * share.compressedShare, install.uncompressedBytes * share.share, 'heuristic', `${share.what}, about ${Math.round(share.share * 100)}% of what the install adds`), adds: true }];
  }
  if (f.ruleId === 'build-toolchain-in-final-image') {
    const install = installAt(facts, f.diagnostic.range.start);
    const t = install?.toolchain;
    if (!install || !t) return [];
    return [{ step, item: item(`toolchain:${install.at}`, t.bytes, t.uncompressedBytes, t.provenance, 'compilers, -dev packages and what only they need'), adds: false }];
  }
  if (f.ruleId === 'remove-downloaded-archive') {
    if (step.instruction.keyword !== 'RUN') return [{ step, item: item(`step:${step.chainKey}`, size.bytes, size.uncompressedBytes, size.provenance, 'the archive this layer holds, unpacked again later'), adds: false }];
    return [{ step, item: item(`download:${f.diagnostic.range.start}`, H.DOWNLOAD.bytes, H.DOWNLOAD.uncompressedBytes, 'heuristic', `the downloaded archive: ${H.DOWNLOAD.what}`), adds: false }];
  }
  if (f.ruleId === 'repeated-ancestor-step') {
    return [{ step, item: item(`step:${step.chainKey}`, size.bytes, size.uncompressedBytes, size.provenance, 'the same files an ancestor layer already holds'), adds: false }];
  }
  if (f.ruleId === 'delete-in-later-layer' || f.ruleId === 'metadata-change-after-copy') {
    const creator = f.related[0];
    if (!creator) return [];
    const under = bytesUnder(creator.step, f, ctx);
    if (!under) return [];
    if (f.ruleId === 'delete-in-later-layer') return [{ step: creator.step, item: item(under.key, under.bytes, under.uncompressedBytes, under.provenance, `${under.what}, deleted only in a later layer`, under.confidence), adds: false }];
    return [{ step, item: item(`copy-up:${under.key}`, under.bytes, under.uncompressedBytes, under.provenance, `${under.what}, copied up whole by the change`, under.confidence), adds: true }];
  }
  if (f.ruleId === 'hoist-common-steps') {
    // Each of n copies is one layer too many in n - 1 of n images: share the waste out evenly.
    const copies = f.related.length + 1;
    const factor = (copies - 1) / copies;
    return [{ step, item: item('duplicate', size.bytes * factor, size.uncompressedBytes * factor, size.provenance, `one of ${copies} copies of the same step`), adds: false }];
  }
  return [];
}

/** Where each cache rule's cache lives: what a deletion of that path in a later layer also names. */
const CACHE_PATHS: Record<string, string> = {
  'clean-apt-cache': '/var/lib/apt/lists',
  'apk-no-cache': '/var/cache/apk',
  'clean-dnf-cache': '/var/cache/dnf',
  'clean-yum-cache': '/var/cache/yum',
  'clean-zypper-cache': '/var/cache/zypp',
};

function cacheFigure(rule: string, ctx: WasteContext): { bytes: number; uncompressedBytes: number; provenance: Provenance; what: string } {
  if (rule === 'clean-apt-cache' && ctx.lists) return { ...ctx.lists, provenance: 'metadata', what: ctx.lists.detail };
  const c = H.CACHE[rule] as H.Figure;
  return { bytes: c.bytes, uncompressedBytes: c.uncompressedBytes, provenance: 'heuristic', what: c.what };
}

function installAt(facts: StepFacts | undefined, offset: number): StepFacts['installs'][number] | undefined {
  if (!facts) return undefined;
  return facts.installs.find((i) => i.at <= offset && offset <= i.end) ?? [...facts.installs].sort((a, b) => b.bytes - a.bytes)[0];
}

/** The bytes of `creator` at or under the path a finding names, and a key for what they are. */
function bytesUnder(creator: LayerStep, f: PlacedFinding, ctx: WasteContext): { key: string; bytes: number; uncompressedBytes: number; provenance: Provenance; confidence: WasteItem['confidence']; what: string } | null {
  const size = ctx.sizes.get(creator);
  if (!size) return null;
  const ins = f.step?.instruction;
  const raw = f.text.replace(/^['"]|['"]$/g, '');
  if (f.diagnostic.messageId === 'removesPackage') {
    const pkg = ctx.packageIndex()?.get(raw);
    const key = `package:${raw}`;
    if (pkg) return { key, bytes: Math.min(size.bytes, pkg.debBytes * H.DEB_GZIP_FACTOR), uncompressedBytes: Math.min(size.uncompressedBytes, pkg.installedBytes), provenance: 'metadata', confidence: 'medium', what: `the package ${raw}` };
    const fig = H.PACKAGE.deb as H.Figure;
    return { key, bytes: Math.min(size.bytes, fig.bytes), uncompressedBytes: Math.min(size.uncompressedBytes, fig.uncompressedBytes), provenance: 'heuristic', confidence: 'low', what: `the package ${raw}` };
  }
  const target = ins ? resolvePath(raw, { cwd: ins.workdir, home: null, env: ins.keyword === 'RUN' ? ins.env : new Map() }) : null;
  if (target) {
    for (const [rule, dir] of Object.entries(CACHE_PATHS)) {
      if (!atOrUnder(target, dir) && !atOrUnder(dir, target)) continue;
      const c = cacheFigure(rule, ctx);
      return { key: `path:${dir}`, bytes: Math.min(size.bytes, c.bytes), uncompressedBytes: Math.min(size.uncompressedBytes, c.uncompressedBytes), provenance: c.provenance, confidence: defaultConfidence(c.provenance), what: c.what };
    }
  }
  const files = ctx.facts.get(creator)?.files;
  if (target && files && files.length > 0 && !ctx.measured.has(creator)) {
    const all = files.reduce((s, x) => s + x.bytes, 0);
    const hit = files.filter((x) => x.dest !== null && atOrUnder(x.dest, target));
    const bytes = hit.reduce((s, x) => s + x.bytes, 0);
    if (hit.length > 0 && all > 0) {
      const share = bytes / all;
      // All of a COPY's files: the whole layer, as another finding on the same COPY may name it.
      const key = hit.length === files.length ? `step:${creator.chainKey}` : `path:${target}`;
      return { key, bytes: size.bytes * share, uncompressedBytes: size.uncompressedBytes * share, provenance: 'context', confidence: 'high', what: `${hit.length === 1 ? hit[0]?.rel : `${hit.length} files`} (${human(bytes)}) under ${target}` };
    }
  }
  if (files && files.length > 0 && ctx.measured.has(creator) && target && files.every((x) => x.dest !== null && atOrUnder(x.dest, target))) {
    return { key: `step:${creator.chainKey}`, bytes: size.bytes, uncompressedBytes: size.uncompressedBytes, provenance: size.provenance, confidence: size.confidence, what: `everything the layer copied under ${target}` };
  }
  return { key: `path:${target ?? raw}`, bytes: size.bytes * H.SHARE_OF_CREATOR, uncompressedBytes: size.uncompressedBytes * H.SHARE_OF_CREATOR, provenance: 'heuristic', confidence: 'low', what: `${target ?? raw}: taken as half of the layer that created it` };
}
