// The files and packages an image's lower layers hold, step by step, so that a later RUN can be asked
// which earlier layer created what it deletes or changes. Bytes in a lower layer stay in the image
// whatever a later layer does to them: a delete adds a whiteout, a change a second whole copy.
import { stageChain } from './stage-chain.js';
import { isLayerInstruction, walkContexts, type LayerContext, type LayerInstruction } from './layer-context.js';
import { apart, copyWrites, netWrites, pathHead, removes, runEffects, type CommandEffect, type EffectOptions, type LayerWrite } from './layer-writes.js';
import type { PackageChange } from './package-changes.js';
import type { PathChange } from './command-writes.js';
import { pathRelation } from './path-match.js';
import type { DockerfileModel, ShellWord } from './types.js';

type WrittenEntry = Pick<LayerWrite, 'path' | 'kind' | 'empty'>;

/** A layer step as the history records it: where it is, and what it ran with. */
export interface HistoryStep {
  instruction: LayerInstruction;
  ctx: LayerContext;
  /** The Dockerfile that holds it, for steps of a family's other images. */
  file: string;
}

export interface Creation {
  write: LayerWrite;
  step: HistoryStep;
}

export interface Installation {
  change: PackageChange;
  word: ShellWord;
  step: HistoryStep;
  /** npm installs into the working directory. */
  cwd: string | null;
}

/** A change a RUN makes to what an earlier layer created. */
export interface LaterChange {
  effect: CommandEffect;
  change: PathChange;
  /** The earlier writes it reaches, the latest first. */
  creators: Creation[];
}

export interface LaterRemoval {
  effect: CommandEffect;
  change: PackageChange;
  /** The package word; null for `npm prune`, which names none. */
  word: ShellWord | null;
  name: string;
  installed: Installation;
}

/** A write the history holds, with its path's head to rule most comparisons out at once. */
interface Held {
  creation: Creation;
  head: string | null;
}

export class LayerHistory {
  private writes: Held[] = [];
  private installs = new Map<string, Installation>();
  private projects: Installation[] = [];

  clone(): LayerHistory {
    const copy = new LayerHistory();
    copy.writes = [...this.writes];
    copy.installs = new Map(this.installs);
    copy.projects = [...this.projects];
    return copy;
  }

  /**
   * The effects of a step's commands (RUN), computed once for both the questions and `push`. Without
   * packages, the history knows no installs: laterRemovals then finds nothing.
   */
  static effects(step: HistoryStep, options?: EffectOptions): CommandEffect[] {
    return step.instruction.keyword === 'RUN' ? runEffects(step.instruction, step.ctx, options) : [];
  }

  /**
   * The earlier writes a change to `change.path` reaches. A delete reaches what is at or under the
   * path, and a path inside a directory whose whole content one step created. A change in place
   * rewrites files: the path when it is a file, everything under it when recursive, and a file inside
   * a directory one step created. Empty entries and links hold no bytes to copy. Writes that the same
   * RUN already replaced before the change do not count.
   */
  creatorsOf(change: PathChange, mode: 'delete' | 'modify', sameRun: readonly WrittenEntry[]): Creation[] {
    const out: Creation[] = [];
    const head = pathHead(change.path);
    for (let i = this.writes.length - 1; i >= 0; i--) {
      const held = this.writes[i] as Held;
      const c = held.creation;
      const w = c.write;
      if (apart(head, held.head)) continue;
      const r = pathRelation(change.path, w.path);
      const hit =
        r === 'same' ? mode === 'delete' || change.recursive || w.kind === 'file'
        : r === 'above' ? mode === 'delete' || change.recursive
        : r === 'below' ? w.kind === 'tree'
        : false;
      if (hit && !replaced(w, sameRun)) out.push(c);
    }
    return out;
  }

  /** The earlier install of a package, if it is still installed. */
  installOf(change: PackageChange, cwd: string | null, name: string): Installation | undefined {
    return this.installs.get(packageKey(change, cwd, name));
  }

  /** Path changes of one kind in a RUN that reach earlier layers, in command order. */
  laterChanges(effects: readonly CommandEffect[], kind: 'deletes' | 'modifies'): LaterChange[] {
    const out: LaterChange[] = [];
    const sameRun: WrittenEntry[] = [];
    for (const effect of effects) {
      for (const change of effect[kind]) {
        const creators = this.creatorsOf(change, kind === 'deletes' ? 'delete' : 'modify', sameRun);
        if (creators.length > 0) out.push({ effect, change, creators });
      }
      sameRun.push(...effect.writes);
    }
    return out;
  }

  /** Package removals in a RUN of packages an earlier layer installed (and the same RUN did not). */
  laterRemovals(effects: readonly CommandEffect[]): LaterRemoval[] {
    const out: LaterRemoval[] = [];
    if (!effects.some((e) => e.packages)) return out;
    const sameRun = new Set<string>();
    const sameRunProjects = new Set<string | null>();
    for (const effect of effects) {
      const change = effect.packages;
      if (!change) continue;
      if (change.action === 'install') {
        for (const p of change.packages) sameRun.add(packageKey(change, effect.cwd, p.name));
        if (change.manager === 'npm' && change.local) sameRunProjects.add(effect.cwd);
      } else if (change.action === 'remove') {
        for (const p of change.packages) {
          const installed = this.installOf(change, effect.cwd, p.name);
          if (installed && !sameRun.has(packageKey(change, effect.cwd, p.name))) out.push({ effect, change, word: p.word, name: p.name, installed });
        }
      } else if (change.local && effect.cwd && !sameRunProjects.has(effect.cwd)) {
        const installed = [...this.projects].reverse().find((p) => p.cwd === effect.cwd);
        if (installed) out.push({ effect, change, word: null, name: 'node_modules', installed });
      }
    }
    return out;
  }

  /** Records a step: what it deleted or moved leaves the history, then what it wrote and installed joins it. */
  push(step: HistoryStep, effects: readonly CommandEffect[]): void {
    const ins = step.instruction;
    for (const e of effects) {
      if (e.deletes.length > 0 || e.moved.length > 0) this.forget([...e.deletes, ...e.moved]);
      const change = e.packages;
      if (!change) continue;
      for (const p of change.packages) {
        const key = packageKey(change, e.cwd, p.name);
        if (change.action === 'install') this.installs.set(key, { change, word: p.word, step, cwd: e.cwd });
        else this.installs.delete(key);
      }
      if (change.manager === 'npm' && change.local && change.action === 'install' && change.packages.length === 0) {
        this.projects.push({ change, word: change.command.nameWord, step, cwd: e.cwd });
      }
    }
    const written = ins.keyword === 'RUN' ? netWrites(ins, effects) : copyWrites(ins, step.ctx);
    for (const write of written) {
      // What holds no bytes (an empty entry, a link, a directory) is never a creator: it is not kept.
      if (!holdsBytes(write)) continue;
      this.writes.push({ creation: { write, step }, head: pathHead(write.path) });
    }
  }

  /** Drops the writes that deleting or moving away `gone` takes with it. */
  private forget(gone: readonly PathChange[]): void {
    const heads = gone.map((g) => pathHead(g.path));
    const taken = (held: Held): boolean => gone.some((g, i) => !apart(heads[i] as string | null, held.head) && removes(g.path, held.creation.write.path));
    // Most deletes reach nothing the history still holds: the list is copied only when one does.
    if (this.writes.some(taken)) this.writes = this.writes.filter((held) => !taken(held));
  }
}

function holdsBytes(w: LayerWrite): boolean {
  return !w.empty && w.kind !== 'link' && w.kind !== 'dir';
}

/** npm keeps a project's packages in its directory, and global ones apart. */
function packageKey(change: PackageChange, cwd: string | null, name: string): string {
  const where = change.manager !== 'npm' ? '' : change.local ? `${cwd ?? '?'}` : 'global';
  return `${change.manager}\0${where}\0${name}`;
}

/** True when the same RUN, before the change, wrote the entry anew: the earlier copy is not what it changes. */
function replaced(earlier: LayerWrite, sameRun: readonly WrittenEntry[]): boolean {
  return sameRun.some((w) => {
    if (w.kind === 'link' || w.empty) return false;
    const r = pathRelation(earlier.path, w.path);
    return r === 'same' || (r === 'below' && w.kind === 'tree');
  });
}

/**
 * The layer steps of a file's image in build order: the stages the last one is built on, then the
 * last stage's ONBUILD triggers, which run first in a child image (after everything here). Stages
 * that are only copied from are not in it: their layers never reach the image, only copied files do.
 */
export function fileImageSteps(model: DockerfileModel): HistoryStep[] {
  const final = model.stages[model.stages.length - 1];
  if (!final) return [];
  const chain = stageChain(final);
  const walk = walkContexts(model, chain);
  const file = model.source.path;
  const steps: HistoryStep[] = [];
  for (const stage of chain) {
    for (const ins of stage.instructions) if (isLayerInstruction(ins)) steps.push({ instruction: ins, ctx: walk.at.get(ins) ?? walk.end, file });
  }
  for (const ins of final.instructions) {
    if (ins.keyword === 'ONBUILD' && ins.trigger && isLayerInstruction(ins.trigger)) steps.push({ instruction: ins.trigger, ctx: walk.end, file });
  }
  return steps;
}
