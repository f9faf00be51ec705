// Which paths a layer step writes: COPY/ADD destinations, and what the commands of a RUN create
// (mkdir, cp/mv/install/ln, curl/wget downloads, tar/unzip extraction, git clone, useradd -m, package
// manager caches). It is conservative: a path is listed only when the instruction's words say so, and
// a RUN lists what its layer keeps (what a later command of the same RUN deleted is not in it).
import type { Range } from '../source/source-text.js';
import { runCommands } from './cache-cleanup.js';
import { commandFacts, contentsKind, MODIFYING_PROGRAMS, type CommandFacts, type WriteKind } from './command-writes.js';
import { effective } from './command-queries.js';
import type { LayerContext, LayerInstruction } from './layer-context.js';
import { packageChange, type PackageChange } from './package-changes.js';
import { baseName, joinPath, pathRelation, resolvePath, type PathScope } from './path-match.js';
import type { CopyInstruction, RunInstruction, ShellCommand } from './types.js';

export type { WriteKind } from './command-writes.js';

export interface LayerWrite {
  /** Absolute and normalized; a COPY of `*.sh` into a directory gives a glob (`/app/*.sh`). */
  path: string;
  kind: WriteKind;
  /** Nothing but the entry itself (`mkdir`, `touch`): a copy of it costs no file bytes. */
  empty: boolean;
  /** The word that names the path in a RUN; the whole instruction for COPY/ADD. */
  range: Range;
  instruction: LayerInstruction;
  /** The RUN command that wrote it; null for COPY/ADD. */
  command: ShellCommand | null;
  /** What wrote it: `COPY`, `curl -o`, `apt-get update`. */
  label: string;
}

/** One command of a RUN with what it does to files and packages. */
export interface CommandEffect extends CommandFacts {
  command: ShellCommand;
  /** Null too when the effects were asked for without packages (see EffectOptions). */
  packages: PackageChange | null;
  /** The working directory the command runs in, when known. */
  cwd: string | null;
}

/** Mounts whose files never reach the layer. */
const UNLAYERED_MOUNTS = new Set(['cache', 'tmpfs', 'bind']);
const ARCHIVE = /\.(tar|tgz|taz|tbz|tbz2|tb2|tlz|txz|tzst|tar\.(gz|bz2|xz|lz|lzma|zst|z))$/i;
const REMOTE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** The paths `ins` leaves in its layer, in `ctx` (the step's working directory, home and variables). */
export function layerWrites(ins: LayerInstruction, ctx: LayerContext): LayerWrite[] {
  return ins.keyword === 'RUN' ? netWrites(ins, runEffects(ins, ctx)) : copyWrites(ins, ctx);
}

/**
 * COPY/ADD: the destination, or one entry per source when the destination is a directory (it ends
 * with `/` or there are several sources). A source directory (`.`, `src/`) or an archive ADD unpacks
 * puts its contents under the destination.
 */
export function copyWrites(copy: CopyInstruction, ctx: LayerContext): LayerWrite[] {
  const dest = copy.destination;
  const destPath = dest === null ? null : resolvePath(dest, ctx);
  if (dest === null || destPath === null) return [];
  const dirDest = dest.endsWith('/') || copy.sources.length > 1;
  const out: LayerWrite[] = [];
  const add = (path: string, kind: WriteKind): void => {
    out.push({ path, kind, empty: false, range: copy.range, instruction: copy, command: null, label: copy.keyword });
  };
  for (const src of copy.sources) {
    if (src.startsWith('<<')) {
      add(dirDest ? joinPath(destPath, src.replace(/^<<-?['"]?|['"]$/g, '')) : destPath, 'file');
    } else if (REMOTE.test(src)) {
      const name = baseName(src.replace(/[?#].*$/, ''));
      add(dirDest && name ? joinPath(destPath, name) : destPath, 'file');
    } else if (src === '.' || src === '..' || src.endsWith('/') || src.endsWith('/.') || (copy.keyword === 'ADD' && !copy.from && ARCHIVE.test(src))) {
      add(destPath, contentsKind(destPath));
    } else {
      const name = resolvePath(src, { ...ctx, cwd: '/' });
      if (name) add(dirDest ? joinPath(destPath, baseName(name)) : destPath, 'file');
    }
  }
  return out;
}

export interface EffectOptions {
  /** Read package installs and removals (default true); a caller that asks only about paths saves reading them. */
  packages?: boolean;
}

/** What each command of a RUN does, with `cd` followed and paths under cache/tmpfs/bind mounts left out. */
export function runEffects(run: RunInstruction, ctx: LayerContext, options: EffectOptions = {}): CommandEffect[] {
  const packages = options.packages ?? true;
  const mounts = run.mounts.length === 0 ? [] : unlayeredTargets(run, ctx);
  const layered = (p: { path: string }): boolean => !mounts.some((m) => {
    const r = pathRelation(p.path, m);
    return r === 'same' || r === 'below';
  });
  const env = runEnv(ctx.env, run.env);
  const scope: RunScope = { cwd: ctx.cwd, home: env.get('HOME') ?? ctx.home, env, ownsEnv: env !== ctx.env };
  // commandFacts makes new lists each time: without such mounts they are kept as they are.
  const unmounted = mounts.length === 0;
  const out: CommandEffect[] = [];
  for (const cmd of runCommands(run)) {
    if (cmd.inSubstitution) continue;
    const facts = commandFacts(cmd, scope);
    out.push({
      command: cmd,
      writes: unmounted ? facts.writes : facts.writes.filter(layered),
      deletes: unmounted ? facts.deletes : facts.deletes.filter(layered),
      modifies: unmounted ? facts.modifies : facts.modifies.filter(layered),
      moved: unmounted ? facts.moved : facts.moved.filter(layered),
      packages: packages ? packageChange(cmd) : null,
      cwd: scope.cwd,
    });
    followShellState(cmd, scope);
  }
  return out;
}

/** False when no command of the step can change a file in place: its effects list no `modifies`. */
export function mayModifyFiles(ins: LayerInstruction): boolean {
  if (ins.keyword !== 'RUN') return false;
  for (const cmd of runCommands(ins)) if (!cmd.inSubstitution && MODIFYING_PROGRAMS.has(effective(cmd).program)) return true;
  return false;
}

/** Where a RUN's cache, tmpfs and bind mounts are: what is written there never reaches the layer. */
function unlayeredTargets(run: RunInstruction, ctx: LayerContext): string[] {
  return run.mounts.filter((m) => UNLAYERED_MOUNTS.has(m.type) && m.target).map((m) => resolvePath(m.target as string, ctx)).filter((t): t is string => t !== null);
}

/** The working directory, home and variables as the commands of one RUN go along. */
interface RunScope extends PathScope {
  /** False while `env` is one of the maps it was made from, which `export` must not change. */
  ownsEnv: boolean;
}

/**
 * The step's variables with the RUN's own view over them. Most RUNs see exactly what the step's
 * context holds: then that map is used as it is, rather than a copy per RUN.
 */
function runEnv(base: ReadonlyMap<string, string>, own: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  let same = true;
  for (const [name, value] of own) {
    if (base.get(name) !== value) {
      same = false;
      break;
    }
  }
  if (same) return base;
  const env = new Map(base);
  for (const [name, value] of own) env.set(name, value);
  return env;
}

/** The writes a RUN's layer keeps: each command's, less what a later command deleted or moved away. */
export function netWrites(run: RunInstruction, effects: readonly CommandEffect[]): LayerWrite[] {
  let live: LayerWrite[] = [];
  for (const e of effects) {
    if (live.length > 0 && (e.deletes.length > 0 || e.moved.length > 0)) {
      const gone = [...e.deletes, ...e.moved];
      live = live.filter((w) => !gone.some((g) => removes(g.path, w.path)));
    }
    for (const w of e.writes) live.push({ path: w.path, kind: w.kind, empty: w.empty, range: w.word.range, instruction: run, command: e.command, label: w.label });
  }
  return live;
}

/** True when deleting `deleted` takes `written` with it: the same entry, an ancestor, or all its entries (`dir/*`). */
export function removes(deleted: string, written: string): boolean {
  const r = pathRelation(deleted, written);
  return r === 'same' || r === 'above' || (r === 'below' && deleted === `${written === '/' ? '' : written}/*`);
}

/**
 * The first segment of a path (`usr` for `/usr/local/bin`) when it is a plain name; null for the root
 * and when it may be a glob. Paths with different heads are unrelated: neither is at or under the
 * other, so a comparison of many paths can skip them without a closer look.
 */
export function pathHead(path: string): string | null {
  let start = 0;
  while (path.charCodeAt(start) === 47) start++;
  let end = path.indexOf('/', start);
  if (end < 0) end = path.length;
  if (end === start) return null;
  const head = path.slice(start, end);
  return /[*?[{]/.test(head) ? null : head;
}

/** True when two path heads show the paths unrelated (see pathHead). */
export function apart(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && a !== b;
}

/** `cd`, `pushd`, `export X=1` change what later commands of the same RUN resolve paths against. */
function followShellState(cmd: ShellCommand, scope: RunScope): void {
  const eff = effective(cmd);
  if (eff.program === 'cd' || eff.program === 'pushd') {
    const target = eff.args.find((a) => !a.value.startsWith('-') || a.value === '-');
    scope.cwd = !target ? scope.home : target.value === '-' || target.dynamic && /\$\(|`/.test(target.raw) ? null : resolvePath(target.value, scope);
  } else if (eff.program === 'popd') {
    scope.cwd = null;
  } else if (eff.program === 'export') {
    for (const a of eff.args) {
      const eq = a.value.indexOf('=');
      if (eq <= 0) continue;
      const env = ownEnv(scope);
      if (!a.dynamic) env.set(a.value.slice(0, eq), a.value.slice(eq + 1));
      else env.delete(a.value.slice(0, eq));
    }
  }
}

/** The RUN's variables as a map of its own, copied on the first change. */
function ownEnv(scope: RunScope): Map<string, string> {
  if (!scope.ownsEnv) {
    scope.env = new Map(scope.env);
    scope.ownsEnv = true;
  }
  return scope.env as Map<string, string>;
}

export { atOrUnder, pathRelation, type PathRelation } from './path-match.js';
