// System package installs and removals across apt, apk, dnf/yum/microdnf and zypper, read past wrappers
// and options: which packages a RUN adds and whether a later command of the same RUN takes them away
// again (by name, by apk's --virtual group, or by apt-mark auto + autoremove).
import { aptCommand } from './apt-commands.js';
import { toolCall, type ToolCall } from './cache-cleanup.js';
import { memoOf } from './command-memo.js';
import { expandKnown } from './working-directory.js';
import type { ShellCommand, ShellWord } from './types.js';

export interface InstalledPackage {
  /** The package name, version and architecture suffixes dropped: `gcc` for `gcc=4:12.2.0-3`. */
  name: string;
  word: ShellWord;
}

export interface PackageInstall {
  tool: string;
  /** `apt-get install`, `apk add`, `dnf install`. */
  label: string;
  /** Known package names; words that are variables with no known value are left out (see `unknown`). */
  packages: InstalledPackage[];
  /** Words whose value is not known (`$buildDeps`), as written. */
  unknown: string[];
  /** apk's `--virtual` / `-t` group name. */
  virtual: string | null;
  /** From the tool's name to its subcommand. */
  last: ShellWord;
  call: ToolCall;
}

export interface PackageRemoval {
  /** Package (or apk virtual group) names removed, and words as written. */
  names: Set<string>;
  raws: Set<string>;
  /** Removes everything installed since `apt-mark auto` (apt-get autoremove / purge --auto-remove), or `dnf history undo`. */
  everythingMarked: boolean;
  command: ShellCommand;
}

const APT_VALUE = new Set(['-o', '-c', '-t', '-a', '--option', '--config-file', '--target-release', '--default-release', '--host-architecture']);
const APK_VALUE = new Set(['-X', '--repository', '-p', '--root', '--arch', '--cache-dir', '--keys-dir', '--repositories-file', '--progress-fd', '--wait', '--timeout', '--cache-max-age', '-t', '--virtual']);
const DNF_VALUE = new Set(['-x', '--exclude', '--releasever', '--installroot', '-c', '--config', '--repo', '--repoid', '--enablerepo', '--disablerepo', '--setopt', '-d', '--debuglevel', '-e', '--errorlevel', '--forcearch']);
const ZYPPER_VALUE = new Set(['-r', '--repo', '-t', '--type', '--from', '-R', '--root']);
const RPM_TOOLS = new Set(['dnf', 'dnf5', 'yum', 'microdnf', 'tdnf']);

/** The packages a command installs, if it is a package install. */
export function packageInstall(cmd: ShellCommand, env: ReadonlyMap<string, string>): PackageInstall | null {
  const call = toolCall(cmd);
  const p = call.program;
  if (p === 'apt-get' || p === 'apt' || p === 'aptitude') {
    const apt = aptCommand(cmd);
    if (!apt || apt.subcommand !== 'install') return null;
    const words = afterVerb(call.args, 'install', APT_VALUE);
    return words.verb ? build(call, `${p} install`, words.verb, words.rest, env, null, true) : null;
  }
  if (p === 'apk') {
    const words = afterVerb(call.args, 'add', APK_VALUE);
    if (!words.verb) return null;
    const virtual = optionWord(call.args, '-t', '--virtual');
    return build(call, 'apk add', words.verb, words.rest, env, virtual, false);
  }
  if (RPM_TOOLS.has(p) || p === 'zypper') {
    const values = p === 'zypper' ? ZYPPER_VALUE : DNF_VALUE;
    for (const verb of ['install', 'in', 'groupinstall', 'localinstall']) {
      const words = afterVerb(call.args, verb, values);
      if (words.verb) return build(call, `${p} ${verb}`, words.verb, words.rest, env, null, false);
    }
    const group = afterVerb(call.args, 'group', values);
    if (group.verb && group.rest[0]?.value === 'install') return build(call, `${p} group install`, group.rest[0], group.rest.slice(1), env, null, false);
  }
  return null;
}

/** What a command removes, if it is a package removal. */
export function packageRemoval(cmd: ShellCommand, markedAuto: boolean): PackageRemoval | null {
  if (markedAuto) return readPackageRemoval(cmd, true);
  // A rule looks for removals in every later RUN, for each install it checks: answered once per command.
  const memo = memoOf(cmd);
  if (memo.removal === undefined) memo.removal = readPackageRemoval(cmd, false);
  return memo.removal;
}

function readPackageRemoval(cmd: ShellCommand, markedAuto: boolean): PackageRemoval | null {
  const call = toolCall(cmd);
  const p = call.program;
  const out = (words: readonly ShellWord[], everythingMarked: boolean): PackageRemoval => ({
    names: new Set(words.filter((w) => !w.value.startsWith('-')).map((w) => packageName(w.value))),
    raws: new Set(words.map((w) => w.raw)),
    everythingMarked,
    command: cmd,
  });
  if (p === 'apt-get' || p === 'apt' || p === 'aptitude') {
    const apt = aptCommand(cmd);
    const sub = apt?.subcommand;
    if (sub !== 'remove' && sub !== 'purge' && sub !== 'autoremove') return null;
    const auto = sub === 'autoremove' || call.args.some((a) => a.value === '--auto-remove' || a.value === '--autoremove');
    return out(afterVerb(call.args, sub, APT_VALUE).rest, auto && markedAuto);
  }
  if (p === 'apk') {
    const words = afterVerb(call.args, 'del', APK_VALUE);
    return words.verb ? out(words.rest, false) : null;
  }
  if (RPM_TOOLS.has(p) || p === 'zypper') {
    for (const verb of ['remove', 'erase', 'rm', 'autoremove']) {
      const words = afterVerb(call.args, verb, DNF_VALUE);
      if (words.verb) return out(words.rest, false);
    }
    const history = afterVerb(call.args, 'history', DNF_VALUE);
    if (history.verb && history.rest[0]?.value === 'undo') return out([], true);
  }
  return null;
}

/** `apt-mark auto '.*'` (or `apt-mark showmanual | xargs apt-mark auto`): apt's autoremove then takes away everything installed since. */
export function marksAllAuto(cmd: ShellCommand): boolean {
  const call = toolCall(cmd);
  if (call.program === 'apt-mark') return call.args[0]?.value === 'auto';
  if (call.program !== 'xargs') return false;
  const at = call.args.findIndex((a) => a.value === 'apt-mark' || a.value.endsWith('/apt-mark'));
  return at >= 0 && call.args[at + 1]?.value === 'auto';
}

/** `gcc=4:12.2.0-3` -> `gcc`, `libc6-dev:amd64` -> `libc6-dev`, `gcc>=13` -> `gcc`. */
export function packageName(word: string): string {
  // Most names carry no version or architecture: nothing to take off.
  if (!/[<>=~:]/.test(word)) return word;
  return word.replace(/[<>=~].*$/, '').replace(/:[a-z0-9]+$/, '');
}

function build(call: ToolCall, label: string, verb: ShellWord, rest: readonly ShellWord[], env: ReadonlyMap<string, string>, virtual: string | null, apt: boolean): PackageInstall {
  const packages: InstalledPackage[] = [];
  const unknown: string[] = [];
  for (const w of rest) {
    if (w.value.startsWith('-')) continue;
    const value = w.dynamic ? expandKnown(w.value, env) : w.value;
    if (value.includes('$')) {
      unknown.push(w.raw);
      continue;
    }
    // An unquoted variable splits into words; a local .deb/.rpm path is a file, not a repository package.
    for (const part of w.dynamic ? value.split(/\s+/) : [value]) {
      if (part === '' || part.startsWith('-') || part.includes('/')) continue;
      if (apt && part.endsWith('.deb')) continue;
      packages.push({ name: packageName(part), word: w });
    }
  }
  return { tool: call.program, label, packages, unknown, virtual, last: verb, call };
}

/** The verb (first positional) if it is `verb`, and the words after it; options' values skipped. */
function afterVerb(args: readonly ShellWord[], verb: string, values: ReadonlySet<string>): { verb: ShellWord | null; rest: ShellWord[] } {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as ShellWord;
    if (values.has(a.value)) {
      i++;
      continue;
    }
    if (a.value.startsWith('-')) continue;
    if (a.value !== verb) return { verb: null, rest: [] };
    const rest: ShellWord[] = [];
    for (let j = i + 1; j < args.length; j++) {
      const b = args[j] as ShellWord;
      if (values.has(b.value)) {
        j++;
        continue;
      }
      rest.push(b);
    }
    return { verb: a, rest };
  }
  return { verb: null, rest: [] };
}

function optionWord(args: readonly ShellWord[], short: string, long: string): string | null {
  for (let i = 0; i < args.length; i++) {
    const v = (args[i] as ShellWord).value;
    if (v === short || v === long) return args[i + 1]?.value ?? null;
    if (v.startsWith(`${long}=`)) return v.slice(long.length + 1);
  }
  return null;
}

/** Compilers, build systems and headers: what a build needs and a running program does not. */
const TOOLCHAIN = new Set([
  'gcc', 'g++', 'gcc-c++', 'cpp', 'c++', 'clang', 'llvm', 'lld', 'make', 'cmake', 'ninja', 'ninja-build', 'meson', 'scons', 'bazel',
  'build-essential', 'build-base', 'alpine-sdk', 'autoconf', 'automake', 'libtool', 'pkg-config', 'pkgconf', 'pkgconfig', 'dpkg-dev',
  'bison', 'flex', 'gfortran', 'gcc-gfortran', 'nasm', 'yasm', 'swig', 'musl-dev', 'linux-headers', 'kernel-headers', 'kernel-devel',
  'rustc', 'cargo', 'rust', 'golang', 'golang-go', 'go', 'maven', 'gradle', 'ant', 'openjdk-jdk', 'default-jdk', 'default-jdk-headless',
  '@development-tools', 'development tools',
]);

/** True for a compiler, a build tool, a JDK or a `-dev` / `-devel` headers package. */
export function isToolchainPackage(name: string): boolean {
  const n = name.toLowerCase();
  if (TOOLCHAIN.has(n)) return true;
  // Every pattern below but one needs a `-`; most package names are told apart here.
  if (!n.includes('-')) return /^openjdk\d+$/.test(n);
  if (/-(dev|devel)$/.test(n)) return true;
  if (/^(gcc|g\+\+|clang|llvm|cpp|gfortran|lld)-\d+(\.\d+)?$/.test(n)) return true;
  if (/^openjdk-\d+-jdk(-headless)?$/.test(n) || /^java-[\d.]+-openjdk-devel$/.test(n) || /^openjdk\d+(-jdk)?$/.test(n)) return true;
  if (/^golang-[\d.]+(-go)?$/.test(n)) return true;
  return /^linux-headers-/.test(n);
}
