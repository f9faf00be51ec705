// Where a command runs and where a path it names lands: WORKDIR through the stage chain, then `cd` inside
// the RUN. Paths are kept as normalized strings; a variable that cannot be resolved stays as `$NAME`, so
// two paths built on the same unknown directory (`cd "$dir"`, `rm -rf "$dir"`) still compare equal.
import { substituteVariables } from './image-ref.js';
import { isNormalPath } from './path-match.js';
import { stageChain } from './stage-chain.js';
import type { Instruction, ShellCommand, ShellWord, Stage } from './types.js';
import { splitWords } from './words.js';

/** `a//b/./c/../d/` -> `a/b/d`; a leading `/` is kept; `..` never climbs above the root. */
export function normalizePath(path: string): string {
  // Most paths are absolute and in normal form already.
  if (isNormalPath(path)) return path;
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push(seg);
      continue;
    }
    out.push(seg);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined === '' ? '.' : joined;
}

/** `path` as seen from `cwd`: absolute paths and `$VAR/...` paths stand alone. */
export function resolvePath(cwd: string, path: string): string {
  if (path.startsWith('/') || path.startsWith('$') || path.startsWith('~')) return normalizePath(path);
  return normalizePath(`${cwd}/${path}`);
}

/** True when `path` is `dir` or lies below it. */
export function isWithin(path: string, dir: string): boolean {
  const p = normalizePath(path);
  const d = normalizePath(dir);
  return p === d || d === '/' || p.startsWith(`${d}/`);
}

/** Expands `$VAR` / `${VAR}` that are known; unknown ones stay as written (`${X}` read as `$X`). */
export function expandKnown(text: string, env: ReadonlyMap<string, string>): string {
  return substituteVariables(text, env).replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, '$$$1');
}

/**
 * The working directory in effect before `at` (a stage instruction or an ONBUILD trigger): the last WORKDIR
 * of the stage and the stages it is built on, `/` when there is none. An ONBUILD trigger runs at the start
 * of a child build, so the whole stage's WORKDIRs and the triggers before it count.
 */
export function workdirBefore(stage: Stage, at: Instruction): string {
  let table = workdirTables.get(stage);
  if (!table) {
    table = workdirTable(stage);
    workdirTables.set(stage, table);
  }
  return table.get(at) ?? '/';
}

const workdirTables = new WeakMap<Stage, Map<Instruction, string>>();

/** Every instruction of the stage (and its ONBUILD triggers) with the working directory before it, in one pass. */
function workdirTable(stage: Stage): Map<Instruction, string> {
  const table = new Map<Instruction, string>();
  let cwd = '/';
  const apply = (ins: Instruction): void => {
    if (ins.keyword !== 'WORKDIR') return;
    const dir = splitWords(ins.argsText).join(' ');
    if (dir === '') return;
    cwd = resolvePath(cwd, expandKnown(dir, stage.env));
  };
  for (const s of stageChain(stage)) {
    for (const ins of s.instructions) {
      if (s === stage) table.set(ins, cwd);
      apply(ins);
    }
  }
  // An ONBUILD trigger runs at the start of a child build: after the whole stage and the triggers before it.
  for (const ins of stage.instructions) {
    if (ins.keyword === 'ONBUILD' && ins.trigger) {
      table.set(ins.trigger, cwd);
      apply(ins.trigger);
    }
  }
  return table;
}

/**
 * The directory each command of a RUN runs in, after the `cd`s (and `pushd`s) before it. Subshells are
 * not scoped: a `cd` inside `( ... )` is taken to last, which errs towards the later path.
 */
export function commandDirectories(commands: readonly ShellCommand[], start: string, env: ReadonlyMap<string, string>): Map<ShellCommand, string> {
  const out = new Map<ShellCommand, string>();
  let cwd = start;
  for (const cmd of commands) {
    out.set(cmd, cwd);
    if (cmd.inSubstitution || (cmd.program !== 'cd' && cmd.program !== 'pushd')) continue;
    const target = cmd.args.find((a) => !a.value.startsWith('-'));
    if (!target) continue;
    cwd = resolvePath(cwd, wordPath(target, env));
  }
  return out;
}

/** A word read as a path: known variables expanded, a leading `~` kept. */
export function wordPath(word: ShellWord, env: ReadonlyMap<string, string>): string {
  return expandKnown(word.value, env);
}
