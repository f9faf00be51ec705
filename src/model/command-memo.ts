// Rules ask the same questions of every command of every RUN: which program it runs past wrappers, which
// apt subcommand, which tool. The answers are kept with the command, in a private field of the class the
// model's readers make commands with: a field read costs far less than a WeakMap lookup (and a WeakMap
// holding every command slows each garbage collection), and a private field is invisible to the
// command's JSON, to its enumeration and to deep comparisons, so a command reads as the plain record
// `ShellCommand` describes.
import type { Range } from '../source/source-text.js';
import type { AptCommand } from './apt-commands.js';
import type { ToolCall } from './cache-cleanup.js';
import type { EffectiveCommand } from './command-queries.js';
import type { PackageRemoval } from './package-installs.js';
import type { ShellCommand, ShellWord } from './types.js';

/** Each answer, once asked; `undefined` until then. */
export interface CommandMemo {
  effective: EffectiveCommand | undefined;
  toolCall: ToolCall | undefined;
  apt: AptCommand | null | undefined;
  /** `packageRemoval(cmd, false)`. */
  removal: PackageRemoval | null | undefined;
}

/** The program a command name runs: its last path segment, in lower case (`/usr/bin/APT-GET` runs apt-get). */
export function programOf(name: string): string {
  const slash = name.lastIndexOf('/');
  return (slash >= 0 ? name.slice(slash + 1) : name).toLowerCase();
}

/** A shell command as the model's readers make it: the fields of `ShellCommand`, and room for answers. */
export class Command implements ShellCommand {
  name: string;
  program: string;
  nameWord: ShellWord;
  args: ShellWord[];
  range: Range;
  inSubstitution: boolean;
  index: number;
  #memo: CommandMemo | undefined = undefined;

  constructor(name: string, program: string, nameWord: ShellWord, args: ShellWord[], range: Range, inSubstitution: boolean, index: number) {
    this.name = name;
    this.program = program;
    this.nameWord = nameWord;
    this.args = args;
    this.range = range;
    this.inSubstitution = inSubstitution;
    this.index = index;
  }

  /** The record of answers for `cmd`, made on first use. */
  static memoOf(cmd: ShellCommand): CommandMemo {
    if (#memo in cmd) return (cmd.#memo ??= newMemo());
    // A command made elsewhere (a plain object) keeps its answers beside it.
    let memo = otherMemos.get(cmd);
    if (!memo) otherMemos.set(cmd, (memo = newMemo()));
    return memo;
  }
}

const otherMemos = new WeakMap<ShellCommand, CommandMemo>();

function newMemo(): CommandMemo {
  return { effective: undefined, toolCall: undefined, apt: undefined, removal: undefined };
}

/** The record of answers kept for `cmd`, made on first use. */
export function memoOf(cmd: ShellCommand): CommandMemo {
  return Command.memoOf(cmd);
}
