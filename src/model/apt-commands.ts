import type { Range } from '../source/source-text.js';
import { memoOf } from './command-memo.js';
import { effective, hasOption } from './command-queries.js';
import type { ShellCommand, ShellWord } from './types.js';

export type AptTool = 'apt-get' | 'apt' | 'aptitude';

/** One apt-get / apt / aptitude command, read past wrappers (`sudo`, `env`) and the tool's own options. */
export interface AptCommand {
  tool: AptTool;
  /** `install`, `update`, `clean`...; null when only options are given. */
  subcommand: string | null;
  /** The tool's arguments (options, subcommand, packages). */
  args: ShellWord[];
  /** From the tool's name to its subcommand: `apt-get install`, `apt-get -q -y install`. */
  range: Range;
  command: ShellCommand;
}

const TOOLS = new Set<string>(['apt-get', 'apt', 'aptitude']);

/** Options of apt-get, apt and aptitude that take the next word as their value. */
const VALUE_OPTIONS = new Set([
  '-o', '-c', '-t', '-a', '-P', '-F', '-w', '-S',
  '--option', '--config-file', '--target-release', '--default-release', '--host-architecture', '--build-profiles',
]);

/** Subcommands that read the package lists (and so run after `update`). */
export const APT_LIST_READERS = new Set(['install', 'reinstall', 'upgrade', 'dist-upgrade', 'full-upgrade', 'safe-upgrade', 'build-dep', 'source', 'download']);

export function aptCommand(cmd: ShellCommand): AptCommand | null {
  // Several rules read the apt commands of every RUN, and some re-read later RUNs: answered once per command.
  const memo = memoOf(cmd);
  if (memo.apt === undefined) memo.apt = readAptCommand(cmd);
  return memo.apt;
}

function readAptCommand(cmd: ShellCommand): AptCommand | null {
  const eff = effective(cmd);
  if (!TOOLS.has(eff.program)) return null;
  const toolWord = eff.command === cmd && eff.args === cmd.args ? cmd.nameWord : cmd.args[cmd.args.length - eff.args.length - 1];
  if (!toolWord) return null;
  let sub: ShellWord | null = null;
  for (let i = 0; i < eff.args.length; i++) {
    const a = eff.args[i] as ShellWord;
    if (VALUE_OPTIONS.has(a.value)) {
      i++;
      continue;
    }
    if (a.value.startsWith('-')) continue;
    sub = a;
    break;
  }
  return {
    tool: eff.program as AptTool,
    subcommand: sub ? sub.value.toLowerCase() : null,
    args: eff.args,
    range: { start: toolWord.range.start, end: Math.max(toolWord.range.end, sub?.range.end ?? toolWord.range.end) },
    command: cmd,
  };
}

/** Every apt command of a list of shell commands, in order. */
export function aptCommands(commands: readonly ShellCommand[]): AptCommand[] {
  const out: AptCommand[] = [];
  for (const c of commands) {
    const apt = aptCommand(c);
    if (apt) out.push(apt);
  }
  return out;
}

const FALSE_WORDS = '(?:0|false|no|off|without|disable)';
/** `-o APT::Install-Recommends=false`, `--option=APT::Install-Recommends=0`, `--install-recommends=no`. */
const RECOMMENDS_OPTION = new RegExp(`^(?:(?:-o|--option=)?APT::Install-Recommends|--install-recommends)=${FALSE_WORDS}$`, 'i');
/** `APT::Install-Recommends "0";` as written into an apt.conf.d file. */
const RECOMMENDS_CONFIG = new RegExp(`APT::Install-Recommends\\s+["']?${FALSE_WORDS}["']?\\s*;`, 'i');

/** `apt-get install -s` only prints what would happen. */
export function simulates(apt: AptCommand): boolean {
  return hasOption(apt.args, '-s', '--simulate', '--just-print', '--dry-run', '--recon', '--no-act');
}

/** True when the command line turns recommended packages off for this one run. */
export function disablesRecommends(apt: AptCommand): boolean {
  for (const a of apt.args) {
    const v = a.value;
    if (v === '--') return false;
    if (v === '--no-install-recommends' || v === '--without-recommends') return true;
    if (apt.tool === 'aptitude' && /^-[A-Za-z]*R[A-Za-z]*$/.test(v)) return true;
    // The option sets a value: a word without `=` (a package name) is not it.
    if (v.includes('=') && RECOMMENDS_OPTION.test(v)) return true;
  }
  return false;
}

/** True when the text sets `APT::Install-Recommends` off in apt's configuration syntax. */
export function configDisablesRecommends(text: string): boolean {
  return RECOMMENDS_CONFIG.test(text);
}
