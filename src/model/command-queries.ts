import type { ShellCommand, ShellWord } from './types.js';

/** Programs that run the command after their own options: `sudo apt-get ...`, `env X=1 pip ...`. */
const WRAPPERS = new Set(['sudo', 'env', 'nice', 'nohup', 'time', 'stdbuf', 'ionice', 'chroot', 'eatmydata', 'gosu', 'su-exec']);

export interface EffectiveCommand {
  program: string;
  name: string;
  args: ShellWord[];
  command: ShellCommand;
}

/** The command a wrapper runs, or the command itself: `sudo -E apt-get install x` -> apt-get. */
export function effective(cmd: ShellCommand): EffectiveCommand {
  if (!WRAPPERS.has(cmd.program)) return { program: cmd.program, name: cmd.name, args: cmd.args, command: cmd };
  let i = 0;
  while (i < cmd.args.length) {
    const v = (cmd.args[i] as ShellWord).value;
    if (v.startsWith('-') || (cmd.program === 'env' && v.includes('='))) {
      i++;
      continue;
    }
    if (cmd.program === 'chroot' && i === 0) {
      i++;
      continue;
    }
    break;
  }
  const inner = cmd.args[i];
  if (!inner) return { program: cmd.program, name: cmd.name, args: cmd.args, command: cmd };
  const name = inner.value;
  const slash = name.lastIndexOf('/');
  return { program: (slash >= 0 ? name.slice(slash + 1) : name).toLowerCase(), name, args: cmd.args.slice(i + 1), command: cmd };
}

/** True when the word list has one of the options: `-y`, `--yes`, and short flags bundled as `-qy`. */
export function hasOption(args: readonly ShellWord[], ...names: string[]): boolean {
  for (const a of args) {
    const v = a.value;
    if (v === '--') return false;
    for (const n of names) {
      if (v === n || (n.startsWith('--') && v.startsWith(`${n}=`))) return true;
      if (n.length === 2 && n.startsWith('-') && /^-[A-Za-z0-9]+$/.test(v) && !v.startsWith('--') && v.includes(n[1] as string)) return true;
    }
  }
  return false;
}

/** Arguments that are not options (`install`, package names), in order. */
export function positionals(args: readonly ShellWord[]): ShellWord[] {
  return args.filter((a) => !a.value.startsWith('-'));
}

/** The first positional argument: the subcommand of `apt-get install`, `pip install`, `npm ci`. */
export function subcommand(args: readonly ShellWord[]): string | null {
  return positionals(args)[0]?.value ?? null;
}

/** Program names as given, matched after wrappers are unwrapped: `isProgram(cmd, 'pip', 'pip3')`. */
export function isProgram(cmd: ShellCommand, ...programs: string[]): boolean {
  return programs.includes(effective(cmd).program);
}
