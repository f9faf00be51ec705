// The working directory, home and variables each instruction of an image runs with, followed through
// WORKDIR, USER, ENV and ARG along the stages the image is built through. Layer steps need them to
// resolve `COPY . .`, `curl -O`, `~/.cache` into the absolute paths they write.
import { resolvePath, type PathScope } from './path-match.js';
import type { CopyInstruction, DockerfileModel, Instruction, RunInstruction, Stage } from './types.js';

export type LayerContext = PathScope;

/** An image from outside: its WORKDIR is not known; most images build as root. */
export const EXTERNAL_BASE: LayerContext = { cwd: null, home: '/root', env: new Map() };

const SCRATCH: LayerContext = { cwd: '/', home: '/root', env: new Map() };

export interface ContextWalk {
  /** The context each instruction of the chain runs in. */
  at: Map<Instruction, LayerContext>;
  /** The context at the end: what an image built on this one starts from, and when ONBUILD triggers run. */
  end: LayerContext;
}

/** Follows WORKDIR, USER, ENV and ARG through a chain of stages, starting from what the base image gives. */
export function walkContexts(model: DockerfileModel, chain: readonly Stage[], start: LayerContext = EXTERNAL_BASE): ContextWalk {
  const globals = new Map<string, string>();
  for (const arg of model.globalArgs) for (const a of arg.args) if (a.value !== null) globals.set(a.name, a.value);
  const at = new Map<Instruction, LayerContext>();
  let inherited: LayerContext = start;
  for (const [i, stage] of chain.entries()) {
    const base = i === 0 && stage.from.ref.scratch && !stage.from.ref.unresolved ? SCRATCH : inherited;
    let cwd = base.cwd;
    let home = base.home;
    const env = new Map(base.env);
    const args = new Map<string, string>();
    // One context object is shared by the instructions between two changes (nobody mutates one).
    let current: LayerContext | null = null;
    const scope = (): LayerContext => (current ??= { cwd, home: env.get('HOME') ?? home, env: withArgs(env, args) });
    for (const ins of stage.instructions) {
      at.set(ins, scope());
      if (ins.keyword === 'ENV') for (const v of ins.vars) env.set(v.name, v.value);
      else if (ins.keyword === 'ARG') {
        for (const a of ins.args) {
          const value = a.value ?? globals.get(a.name);
          if (value !== undefined) args.set(a.name, value);
        }
      } else if (ins.keyword === 'WORKDIR') cwd = resolvePath(ins.argsText.trim(), scope());
      else if (ins.keyword === 'USER') {
        const user = ins.argsText.trim().split(':')[0] ?? '';
        home = user === 'root' || user === '0' ? '/root' : null;
      }
      if (ins.keyword === 'ENV' || ins.keyword === 'ARG' || ins.keyword === 'WORKDIR' || ins.keyword === 'USER') current = null;
    }
    inherited = { cwd, home: env.get('HOME') ?? home, env };
  }
  return { at, end: inherited };
}

/** ENV values with the stage's ARG values over them. */
function withArgs(env: ReadonlyMap<string, string>, args: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map(env);
  for (const [name, value] of args) out.set(name, value);
  return out;
}

/** A RUN's own view of its variables (the model's, with `export`s left out) over what the walk found. */
export function runScope(run: RunInstruction, ctx: LayerContext): LayerContext {
  return { ...ctx, env: new Map([...ctx.env, ...run.env]) };
}

export type LayerInstruction = RunInstruction | CopyInstruction;

export function isLayerInstruction(ins: Instruction): ins is LayerInstruction {
  return ins.keyword === 'RUN' || ins.keyword === 'COPY' || ins.keyword === 'ADD';
}
