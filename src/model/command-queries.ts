import { memoOf, programOf } from './command-memo.js';
import type { ShellCommand, ShellWord } from './types.js';

/** Programs that run another command after their own options, and the options of theirs that take a value. */
const WRAPPERS: Record<string, { valueOptions: string[]; positionals: number }> = {
  sudo: { valueOptions: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '--user', '--group'], positionals: 0 },
  env: { valueOptions: ['-u', '-C', '-S', '--unset', '--chdir', '--split-string'], positionals: 0 },
  nice: { valueOptions: ['-n', '--adjustment'], positionals: 0 },
  nohup: { valueOptions: [], positionals: 0 },
  time: { valueOptions: ['-f', '-o', '--format', '--output'], positionals: 0 },
  stdbuf: { valueOptions: ['-i', '-o', '-e'], positionals: 0 },
  ionice: { valueOptions: ['-c', '-n', '-p'], positionals: 0 },
  timeout: { valueOptions: ['-k', '-s', '--kill-after', '--signal'], positionals: 1 },
  chroot: { valueOptions: ['--userspec', '--groups'], positionals: 1 },
  eatmydata: { valueOptions: [], positionals: 0 },
  gosu: { valueOptions: [], positionals: 1 },
  'su-exec': { valueOptions: [], positionals: 1 },
};

export interface EffectiveCommand {
  program: string;
  name: string;
  args: ShellWord[];
  command: ShellCommand;
}

/** The command a wrapper runs, or the command itself: `sudo -u app -E apt-get install x` -> apt-get. */
export function effective(cmd: ShellCommand): EffectiveCommand {
  // Every rule asks this of every command: answered once per command.
  const memo = memoOf(cmd);
  return (memo.effective ??= computeEffective(cmd));
}

function computeEffective(cmd: ShellCommand): EffectiveCommand {
  let program = cmd.program;
  let name = cmd.name;
  let args = cmd.args;
  // Wrappers nest (`sudo env X=1 pip ...`); a few levels are plenty.
  for (let depth = 0; depth < 4; depth++) {
    const wrapper = WRAPPERS[program];
    if (!wrapper) break;
    let i = 0;
    let positionals = wrapper.positionals;
    while (i < args.length) {
      const v = (args[i] as ShellWord).value;
      if (v === '--') {
        i++;
        break;
      }
      if (v.startsWith('-') && v.length > 1) {
        i += wrapper.valueOptions.includes(v) ? 2 : 1;
        continue;
      }
      if (program === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(v)) {
        i++;
        continue;
      }
      if (positionals > 0) {
        positionals--;
        i++;
        continue;
      }
      break;
    }
    const inner = args[i];
    if (!inner) break;
    name = inner.value;
    program = programOf(name);
    args = args.slice(i + 1);
  }
  return { program, name, args, command: cmd };
}

/** True when the word list has one of the options: `-y`, `--yes`, and short flags bundled as `-qy`. */
export function hasOption(args: readonly ShellWord[], ...names: string[]): boolean {
  for (const a of args) {
    const v = a.value;
    if (v === '--') return false;
    // A word that is no option (a package name, a path) can only be one of the names as it stands.
    if (v.charCodeAt(0) !== 45) {
      if (names.includes(v)) return true;
      continue;
    }
    const bundle = !v.startsWith('--') && /^-[A-Za-z0-9]+$/.test(v);
    for (const n of names) {
      if (v === n || (n.startsWith('--') && v.startsWith(n) && v.charCodeAt(n.length) === 61)) return true;
      if (bundle && n.length === 2 && n.startsWith('-') && v.includes(n[1] as string)) return true;
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
