// What the package-cache rules share: finding a package manager's invocations in a RUN, and telling
// whether its download cache stays in the layer: removed by a later command of the same RUN, or kept
// out of the layer by a BuildKit mount on the cache directory.
import type { Range, SourceText } from '../source/source-text.js';
import { Command, memoOf, programOf } from './command-memo.js';
import { withValue } from './command-args.js';
import { effective } from './command-queries.js';
import type { RunInstruction, ShellCommand, ShellWord } from './types.js';

/** One invocation of a tool, read past wrappers (`sudo`, `env X=1`). */
export interface ToolCall {
  /** Basename of the tool, lower-cased: `pip3`, `apk`. */
  program: string;
  /** The word that names the tool (`pip3` in `sudo pip3 install x`). */
  toolWord: ShellWord;
  /** The tool's own arguments. */
  args: ShellWord[];
  command: ShellCommand;
}

/** Mounts whose files never reach the layer. */
const WAIVING_MOUNTS = new Set(['cache', 'tmpfs', 'bind']);

const execCommands = new WeakMap<RunInstruction, readonly ShellCommand[]>();

/**
 * The commands of a RUN. An exec-form RUN that the model lists no command for is read as the one
 * command it runs, its words all spanning the JSON array.
 */
export function runCommands(run: RunInstruction): readonly ShellCommand[] {
  if (run.form !== 'exec' || run.script.commands.length > 0 || !run.execArgs || !run.argsRange) return run.script.commands;
  const cached = execCommands.get(run);
  if (cached) return cached;
  const range = run.argsRange;
  const word = (value: string): ShellWord => ({ value, raw: JSON.stringify(value), range, dynamic: false });
  const [name, ...rest] = run.execArgs;
  const out: ShellCommand[] = [];
  if (name !== undefined) {
    out.push(new Command(name, programOf(name), word(name), rest.map(word), range, false, 0));
  }
  execCommands.set(run, out);
  return out;
}

/** The tool a command runs, past wrappers, with the word that names it. */
export function toolCall(cmd: ShellCommand): ToolCall {
  // Most rules ask it of every command, to look for their own tool: answered once per command.
  const memo = memoOf(cmd);
  return (memo.toolCall ??= readToolCall(cmd));
}

function readToolCall(cmd: ShellCommand): ToolCall {
  const eff = effective(cmd);
  const toolWord = eff.command === cmd && eff.args === cmd.args ? cmd.nameWord : (cmd.args[cmd.args.length - eff.args.length - 1] ?? cmd.nameWord);
  return { program: eff.program, toolWord, args: eff.args, command: cmd };
}

/** The first word from `from` that is neither an option nor the value of one of `valueOptions`; its index too. */
export function firstPositional(args: readonly ShellWord[], valueOptions: ReadonlySet<string>, from = 0): { word: ShellWord; at: number } | null {
  for (let i = from; i < args.length; i++) {
    const a = args[i] as ShellWord;
    if (valueOptions.has(a.value)) {
      i++;
      continue;
    }
    if (a.value.startsWith('-')) continue;
    return { word: a, at: i };
  }
  return null;
}

/** The value of `--name value` or `--name=value`, last one wins. */
export function optionValue(args: readonly ShellWord[], ...names: string[]): ShellWord | null {
  let found: ShellWord | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as ShellWord;
    if (a.value === '--') break;
    for (const n of names) {
      if (a.value === n && args[i + 1]) found = args[i + 1] as ShellWord;
      else if (n.startsWith('--') && a.value.startsWith(`${n}=`)) found = withValue(a, a.value.slice(n.length + 1));
    }
  }
  return found;
}

/** From the tool's name to `last` (its subcommand, usually): the part of a long command a finding points at. */
export function callRange(call: ToolCall, last: ShellWord | null): Range {
  const start = call.toolWord.range.start;
  return { start, end: Math.max(call.toolWord.range.end, last && last.range.start >= start ? last.range.end : 0) };
}

/** What empties a cache: removing one of its directories, or a tool's own clean command. */
export interface CacheCleanup {
  /** Cache directories: absolute, `~/...` for the home directory, `$VAR/...`; a `*` segment is any one name. */
  dirs: readonly string[];
  /** A command that empties the cache by itself (`yum clean all`). */
  cleans?: (call: ToolCall) => boolean;
}

/** True when the cache `call` fills stays in the layer: no mount covers it and no later command of the RUN empties it. */
export function cacheLeft(run: RunInstruction, call: ToolCall, cleanup: CacheCleanup): boolean {
  return !cacheOnMount(run, cleanup.dirs) && !cleanedLater(run, call.command, cleanup);
}

/** True when a command after `after` in the same RUN removes one of the directories or runs the clean command. */
export function cleanedLater(run: RunInstruction, after: ShellCommand, cleanup: CacheCleanup): boolean {
  const dirs = cleanup.dirs.map((d) => normalizePath(d, run.env, false));
  for (const cmd of runCommands(run)) {
    if (cmd.index <= after.index) continue;
    const call = toolCall(cmd);
    if (cleanup.cleans?.(call)) return true;
    for (const w of removedWords(call)) {
      const removed = normalizePath(w.value, run.env, liveGlob(w.raw));
      if (dirs.some((d) => covers(removed, d))) return true;
    }
  }
  return false;
}

/** True when a cache, tmpfs or bind mount of the RUN is on one of the directories or above it. */
export function cacheOnMount(run: RunInstruction, dirs: readonly string[]): boolean {
  const targets = run.mounts.filter((m) => WAIVING_MOUNTS.has(m.type) && m.target).map((m) => normalizePath(m.target as string, run.env, false));
  return targets.some((t) => dirs.some((d) => covers(t, normalizePath(d, run.env, false))));
}

/**
 * The value a variable has for one command: set on the command itself (`X=1 pip ...`, `env X=1 pip ...`),
 * exported earlier in the same RUN, or in effect through ENV or ARG. Null when it is not set.
 */
export function variableFor(run: RunInstruction, call: ToolCall, name: string, source: SourceText): string | null {
  const before = call.command.args.filter((w) => w.range.end <= call.toolWord.range.start && w.value.startsWith(`${name}=`));
  const wrapped = before[before.length - 1];
  if (wrapped) return wrapped.value.slice(name.length + 1);
  // Assignments before the command name are not words of the model's command: read them from the text.
  const prefix = source.slice({ start: call.command.range.start, end: Math.max(call.command.range.start, call.command.nameWord.range.start) });
  const inline = prefix === '' ? null : new RegExp(`(?:^|\\s)${name}=(?:"([^"]*)"|'([^']*)'|(\\S*))`).exec(prefix);
  if (inline) return inline[1] ?? inline[2] ?? inline[3] ?? '';
  let exported: string | null = null;
  for (const cmd of runCommands(run)) {
    if (cmd.index >= call.command.index) break;
    if (cmd.program !== 'export') continue;
    for (const a of cmd.args) if (a.value.startsWith(`${name}=`)) exported = a.value.slice(name.length + 1);
  }
  return exported ?? run.env.get(name) ?? null;
}

/** Paths a command deletes: the operands of `rm`, the start points of `find ... -delete`. */
function removedWords(call: ToolCall): ShellWord[] {
  if (call.program === 'rm') {
    const dash = call.args.findIndex((a) => a.value === '--');
    return dash >= 0 ? call.args.slice(dash + 1) : call.args.filter((a) => !a.value.startsWith('-'));
  }
  if (call.program === 'find' && call.args.some((a) => a.value === '-delete' || a.value === 'rm')) {
    const out: ShellWord[] = [];
    for (const a of call.args) {
      if (/^[-(!]/.test(a.value)) break;
      out.push(a);
    }
    return out;
  }
  return [];
}

/** A path as segments under a base: `/` (absolute), `~` (the home directory) or `.` (relative). */
interface NormalPath {
  base: '/' | '~' | '.';
  segments: string[];
  /** Whether `*`, `?` and `[` are patterns (false when quoted or in a directory spec). */
  glob: boolean;
}

/** Variables resolved from ENV/ARG, `$HOME`, `/root` and `/home/<user>` read as `~`; unknown variables stay as `$NAME`. */
function normalizePath(text: string, env: ReadonlyMap<string, string>, glob: boolean): NormalPath {
  let t = !text.includes('$') ? text : text.replace(/\$\{(\w+)(?::?[-=]([^}]*))?\}|\$(\w+)/g, (whole, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string;
    const value = env.get(name);
    if (value !== undefined) return value;
    if (name === 'HOME') return '~';
    return fallback ?? `$${name}`;
  });
  let base: NormalPath['base'] = '.';
  if (t === '~' || t.startsWith('~/')) {
    base = '~';
    t = t.slice(1);
  } else if (t.startsWith('/')) base = '/';
  let segments = t.split('/').filter((s) => s !== '' && s !== '.');
  if (base === '/' && segments[0] === 'root') {
    base = '~';
    segments = segments.slice(1);
  } else if (base === '/' && segments[0] === 'home' && segments.length >= 2) {
    base = '~';
    segments = segments.slice(2);
  }
  return { base, segments, glob };
}

/** True when removing (or mounting over) `p` takes away `dir`: the same directory, a parent, or its contents by a glob. */
function covers(p: NormalPath, dir: NormalPath): boolean {
  if (p.base !== dir.base) return false;
  const n = Math.min(p.segments.length, dir.segments.length);
  for (let i = 0; i < n; i++) {
    if (!segmentMatches(p.segments[i] as string, dir.segments[i] as string, p.glob)) return false;
  }
  if (p.segments.length <= dir.segments.length) return true;
  return p.glob && /[*?[]/.test(p.segments[dir.segments.length] as string);
}

function segmentMatches(actual: string, spec: string, glob: boolean): boolean {
  if (spec === '*') return true;
  if (!glob || !/[*?[]/.test(actual)) return actual === spec;
  // A shell glob does not match a leading dot: `rm -rf /root/*` leaves /root/.npm.
  if (spec.startsWith('.') && !actual.startsWith('.')) return false;
  const re = actual.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  try {
    return new RegExp(`^${re}$`).test(spec);
  } catch {
    return false;
  }
}

/** False when every glob character of the word is quoted, so the shell passes it on literally. */
function liveGlob(raw: string): boolean {
  const unquoted = raw.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '');
  return /[*?[]/.test(unquoted);
}
