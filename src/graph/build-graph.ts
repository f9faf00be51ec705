import { sha256Hex } from './sha256.js';
import { compareText } from '../linter/diagnostic.js';
import { basename, dirname, resolve } from 'node:path';
import type { CopyInstruction, DockerfileModel, Instruction, RunInstruction, Stage } from '../model/types.js';
import { parseImageRef } from '../model/image-ref.js';
import type { ExternalBase, ImageGraph, ImageNode, LayerStep, NamingOptions } from './types.js';
import type { ContextDigest } from './context-hash.js';

export interface GraphInput {
  file: string;
  model: DockerfileModel;
}

export interface GraphOptions {
  naming?: NamingOptions;
  /** Hash of a COPY/ADD step's local source bytes; null when it has none (stage, URL, heredoc). */
  contextHash?: (file: string, step: CopyInstruction) => ContextDigest | null;
}

/** Builds the family graph: which image builds on which, and every image's layer steps with chain keys. */
export function buildGraph(inputs: readonly GraphInput[], options: GraphOptions = {}): ImageGraph {
  const naming = options.naming ?? {};
  const images: ImageNode[] = [];
  for (const { file, model } of inputs) {
    const stage = model.stages[model.stages.length - 1];
    if (!stage) continue;
    const chain = stageChain(stage);
    const root = chain[0] as Stage;
    images.push({
      name: imageName(file, naming),
      file,
      model,
      stage,
      from: root.from,
      parentRef: root.from.resolvedImage,
      parent: null,
      children: [],
      depth: 0,
      steps: [],
      baseChainKey: '',
    });
  }
  images.sort((a, b) => compareText(a.name, b.name) || compareText(a.file, b.file));
  const byName = new Map<string, ImageNode>();
  for (const img of images) if (!byName.has(img.name)) byName.set(img.name, img);

  const basesByRef = new Map<string, ExternalBase>();
  for (const img of images) {
    const parent = resolveParent(img.parentRef, naming, byName, img.file);
    if (parent && parent !== img && !createsCycle(img, parent)) {
      img.parent = parent;
      parent.children.push(img);
    } else {
      const base = basesByRef.get(img.parentRef) ?? { ref: img.parentRef, images: [] };
      base.images.push(img);
      basesByRef.set(img.parentRef, base);
    }
  }
  const roots = images.filter((i) => i.parent === null);
  // Parents before children, so chain keys build on finished parents.
  const queue = [...roots];
  for (let i = 0; i < queue.length; i++) {
    const img = queue[i] as ImageNode;
    img.depth = img.parent ? img.parent.depth + 1 : 0;
    computeSteps(img, options);
    queue.push(...img.children);
  }
  return { images, byName, roots, bases: [...basesByRef.values()].sort((a, b) => compareText(a.ref, b.ref)) };
}

/** The stages an image is built through: the root stage first, the final stage last. */
export function stageChain(stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | null = stage; s && !chain.includes(s); s = s.parent) chain.unshift(s);
  return chain;
}

function imageName(file: string, naming: NamingOptions): string {
  const abs = resolve(file);
  for (const [ref, path] of Object.entries(naming.images ?? {})) if (resolve(path) === abs) return refKey(ref, naming.prefixes ?? []);
  return basename(dirname(file));
}

/** The repository-image name a FROM reference means: last path component, no tag, no configured prefix. */
export function refKey(ref: string, prefixes: readonly string[]): string {
  const parsed = parseImageRef(ref);
  let name = parsed.name.slice(parsed.name.lastIndexOf('/') + 1);
  for (const p of prefixes) {
    if (p && name.startsWith(p) && name.length > p.length) {
      name = name.slice(p.length);
      break;
    }
  }
  return name;
}

function resolveParent(ref: string, naming: NamingOptions, byName: ReadonlyMap<string, ImageNode>, file: string): ImageNode | null {
  if (!ref || parseImageRef(ref).scratch) return null;
  const explicit = naming.images?.[ref] ?? naming.images?.[ref.replace(/:[^:/]*$/, '')];
  if (explicit) {
    const abs = resolve(explicit);
    for (const img of byName.values()) if (resolve(img.file) === abs && img.file !== file) return img;
    return null;
  }
  return byName.get(refKey(ref, naming.prefixes ?? [])) ?? null;
}

function createsCycle(img: ImageNode, parent: ImageNode): boolean {
  for (let p: ImageNode | null = parent; p; p = p.parent) if (p === img) return true;
  return false;
}

function computeSteps(img: ImageNode, options: GraphOptions): void {
  const parentSteps = img.parent?.steps ?? [];
  const base = new BaseKey(img, parentSteps[parentSteps.length - 1] ?? null);
  Object.defineProperty(img, 'baseChainKey', { get: () => base.chainKey, enumerable: true, configurable: true });
  let previous: { readonly chainKey: string } = base;
  const steps: LayerStep[] = [];
  const add = (ins: Instruction, stage: Stage, inherited: boolean): void => {
    if (ins.keyword !== 'RUN' && ins.keyword !== 'COPY' && ins.keyword !== 'ADD') return;
    const step = new Step(steps.length, ins, stage, inherited, img, previous, options);
    previous = step;
    steps.push(step);
  };
  // A parent's ONBUILD triggers run first in the child's build.
  if (img.parent) {
    for (const ins of img.parent.stage.instructions) {
      if (ins.keyword === 'ONBUILD' && ins.trigger) add(ins.trigger, img.stage, true);
    }
  }
  for (const stage of stageChain(img.stage)) {
    for (const ins of stage.instructions) add(ins, stage, false);
  }
  img.steps = steps;
}

/** What an image builds on: its parent's last layer, or the external base. */
class BaseKey {
  private key: string | undefined;
  constructor(
    private readonly img: ImageNode,
    private readonly parentLast: LayerStep | null,
  ) {}

  get chainKey(): string {
    if (this.key === undefined) {
      const parent = this.img.parent;
      this.key = parent ? (this.parentLast?.chainKey ?? parent.baseChainKey) : hash(`base\0${this.img.parentRef}`);
    }
    return this.key;
  }
}

/**
 * A layer step whose keys are worked out when first read: a run whose family rules never compare
 * layers (one image on an external base) neither hashes nor reads its build context.
 */
class Step implements LayerStep {
  readonly text: string;
  readonly configKey: string;
  private identity: { key: string; contextHashed: boolean | null } | undefined;
  private chain: string | undefined;

  constructor(
    readonly index: number,
    readonly instruction: RunInstruction | CopyInstruction,
    readonly stage: Stage,
    readonly inherited: boolean,
    private readonly image: ImageNode,
    private readonly previous: { readonly chainKey: string },
    private readonly options: GraphOptions,
  ) {
    this.text = stepText(instruction);
    this.configKey = instruction.keyword === 'RUN' ? runConfig(instruction) : instruction.destination?.startsWith('/') ? '' : `workdir=${instruction.workdir ?? ''}`;
  }

  get key(): string {
    return this.ident().key;
  }

  get contextHashed(): boolean | null {
    return this.ident().contextHashed;
  }

  get chainKey(): string {
    this.chain ??= hash(`${this.previous.chainKey}\0${this.key}\0${this.configKey}`);
    return this.chain;
  }

  private ident(): { key: string; contextHashed: boolean | null } {
    this.identity ??= stepIdentity(this.image, this.instruction, this.text, this.options);
    return this.identity;
  }
}

/** What a step does, wherever it runs: its text, the stages it reads from, the context bytes it copies. */
function stepIdentity(img: ImageNode, ins: RunInstruction | CopyInstruction, text: string, options: GraphOptions): { key: string; contextHashed: boolean | null } {
  let keySource = text;
  let contextHashed: boolean | null = null;
  const fromStages = ins.keyword === 'RUN' ? ins.mounts.map((m) => m.from) : [ins.from];
  for (const ref of fromStages) {
    const source = ref === null ? null : stageNamed(img.model, ref);
    // What a stage produced depends on its own build context, which its text does not show: such a
    // step is taken to be unique to its Dockerfile.
    if (source) keySource += `\0stage:${img.file}:${stageDigest(source)}`;
  }
  if (ins.keyword !== 'RUN' && !ins.from) {
    const ctx = options.contextHash?.(img.file, ins) ?? null;
    if (ctx) {
      contextHashed = ctx.complete;
      keySource += ctx.complete ? `\0${ctx.hash}` : `\0unhashed:${img.file}`;
    }
  }
  return { key: hash(keySource), contextHashed };
}

function runConfig(run: RunInstruction): string {
  const place = `workdir=${run.workdir ?? ''}\0user=${run.user ?? ''}`;
  let byPlace = runConfigs.get(run.env);
  if (!byPlace) runConfigs.set(run.env, (byPlace = new Map()));
  let config = byPlace.get(place);
  if (config === undefined) {
    const env = [...run.env].sort(([a], [b]) => compareText(a, b)).map(([k, v]) => `${k}=${v}`);
    config = [place, ...env].join('\0');
    byPlace.set(place, config);
  }
  return config;
}

// The RUNs between two ENV/ARG changes share one variables map, and most of them their WORKDIR and
// USER too: they share one config string, sorted and joined once.
const runConfigs = new WeakMap<ReadonlyMap<string, string>, Map<string, string>>();

function stageNamed(model: DockerfileModel, ref: string): Stage | null {
  const name = ref.toLowerCase();
  return model.stages.find((s) => s.name === name || String(s.index) === name) ?? null;
}

const stageDigests = new WeakMap<Stage, string>();

/** A stage's identity: its base and every step up its chain. */
function stageDigest(stage: Stage): string {
  let d = stageDigests.get(stage);
  if (d === undefined) {
    const chain = stageChain(stage);
    const parts = [`base\0${(chain[0] as Stage).from.resolvedImage}`];
    for (const s of chain) for (const ins of s.instructions) if (ins.keyword === 'RUN' || ins.keyword === 'COPY' || ins.keyword === 'ADD') parts.push(stepText(ins));
    d = hash(parts.join('\0'));
    stageDigests.set(stage, d);
  }
  return d;
}

/** The step as the build cache keys it, independent of formatting. */
export function stepText(ins: RunInstruction | CopyInstruction): string {
  const flags = ins.flags.map((f) => `--${f.name}${f.value === null ? '' : `=${f.value}`}`).sort();
  const heredocs = ins.heredocs.map((h) => `\n${h.content}`).join('');
  return [ins.keyword, ...flags, ins.argsText.replace(/\s+/g, ' ').trim()].join(' ') + heredocs;
}

function hash(text: string): string {
  return sha256Hex(text).slice(0, 32);
}
