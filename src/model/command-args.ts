// A small getopt over shell words, enough to tell a command's operands from its options when some
// options take a value (`curl -fsSLo /tmp/x url`, `tar -xzf a.tgz -C /opt`, `cp -t dir a b`).
import type { ShellWord } from './types.js';

export interface OptionSpec {
  /** Short options that take a value: `'oC'` for `-o FILE`, `-C DIR`. */
  short?: string;
  /** Long options (without `--`) that take a value as the next word when not given as `--name=value`. */
  long?: readonly string[];
}

export interface ParsedOption {
  /** `-o` or `--output`. */
  name: string;
  value: ShellWord | null;
}

export interface ParsedArgs {
  options: ParsedOption[];
  operands: ShellWord[];
}

export function parseArgs(args: readonly ShellWord[], spec: OptionSpec = {}): ParsedArgs {
  const shortValues = spec.short ?? '';
  // A handful of names at most: searched in place rather than copied into a set at every call.
  const longValues = spec.long ?? [];
  const options: ParsedOption[] = [];
  const operands: ShellWord[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i] as ShellWord;
    const v = word.value;
    if (v === '--') {
      for (let j = i + 1; j < args.length; j++) operands.push(args[j] as ShellWord);
      break;
    }
    if (v.startsWith('--')) {
      const eq = v.indexOf('=');
      if (eq > 0) options.push({ name: v.slice(0, eq), value: part(word, v.slice(eq + 1)) });
      else if (longValues.includes(v.slice(2))) options.push({ name: v, value: args[++i] ?? null });
      else options.push({ name: v, value: null });
      continue;
    }
    if (v.startsWith('-') && v.length > 1) {
      for (let j = 1; j < v.length; j++) {
        const c = v[j] as string;
        if (!shortValues.includes(c)) {
          options.push({ name: `-${c}`, value: null });
          continue;
        }
        const rest = v.slice(j + 1);
        options.push({ name: `-${c}`, value: rest !== '' ? part(word, rest) : (args[++i] ?? null) });
        break;
      }
      continue;
    }
    operands.push(word);
  }
  return { options, operands };
}

export function hasOpt(parsed: ParsedArgs, ...names: string[]): boolean {
  return parsed.options.some((o) => names.includes(o.name));
}

/** The value of the last of the named options. */
export function optValue(parsed: ParsedArgs, ...names: string[]): ShellWord | null {
  let found: ShellWord | null = null;
  for (const o of parsed.options) if (names.includes(o.name) && o.value) found = o.value;
  return found;
}

export function optValues(parsed: ParsedArgs, ...names: string[]): ShellWord[] {
  return parsed.options.filter((o) => names.includes(o.name) && o.value).map((o) => o.value as ShellWord);
}

/**
 * The word with another value (`--file=a.tgz` read as `a.tgz`), written out rather than spread: a word
 * made by `{ ...word, value }` gets a hidden class of its own in V8, which slows every reader of words.
 */
export function withValue(word: ShellWord, value: string): ShellWord {
  return { value, raw: word.raw, range: word.range, dynamic: word.dynamic };
}

/** A value glued to its option (`-o/tmp/x`, `--output=/tmp/x`): it spans the whole word. */
function part(word: ShellWord, value: string): ShellWord {
  return { value, raw: value, range: word.range, dynamic: word.dynamic };
}
