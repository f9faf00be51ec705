// Which packages a command installs or removes, by name, for the package managers whose removals
// are worth comparing across layers: apt, apk, dnf/yum, pip and npm. Names are normalized the way
// each manager compares them, so `pip install PyYAML==6` and `pip uninstall pyyaml` meet.
import type { Range } from '../source/source-text.js';
import { parseArgs, hasOpt, optValues, type OptionSpec } from './command-args.js';
import { aptCommand } from './apt-commands.js';
import { effective } from './command-queries.js';
import type { ShellCommand, ShellWord } from './types.js';

export type PackageManager = 'apt' | 'apk' | 'dnf' | 'pip' | 'npm';

export interface PackageName {
  /** As the manager compares it. */
  name: string;
  word: ShellWord;
}

export interface PackageChange {
  manager: PackageManager;
  /** `prune`: npm removes what package.json no longer lists, without naming it. */
  action: 'install' | 'remove' | 'prune';
  packages: PackageName[];
  /** npm without -g acts on the working directory's node_modules. */
  local: boolean;
  /** The command as written, e.g. `apt-get purge`, for messages. */
  label: string;
  /** From the tool's name to its subcommand. */
  range: Range;
  command: ShellCommand;
}

export const APT_SPEC: OptionSpec = { short: 'octaPFwS', long: ['option', 'config-file', 'target-release', 'default-release', 'host-architecture', 'build-profiles'] };
export const APK_SPEC: OptionSpec = { short: 'tXp', long: ['virtual', 'repository', 'root', 'arch', 'cache-dir', 'keys-dir', 'repositories-file', 'cache-max-age'] };
export const DNF_SPEC: OptionSpec = { short: 'cxdeR', long: ['setopt', 'enablerepo', 'disablerepo', 'installroot', 'releasever', 'config', 'exclude', 'repo', 'repoid', 'repofrompath', 'forcearch', 'downloaddir', 'destdir', 'comment', 'color', 'rpmverbosity', 'debuglevel', 'errorlevel'] };
const PIP_SPEC: OptionSpec = {
  short: 'rcetiCfb',
  long: [
    'requirement', 'constraint', 'editable', 'target', 'index-url', 'extra-index-url', 'find-links', 'prefix', 'root', 'src', 'upgrade-strategy',
    'python-version', 'platform', 'implementation', 'abi', 'trusted-host', 'cache-dir', 'progress-bar', 'log', 'proxy', 'retries', 'timeout',
    'exists-action', 'cert', 'client-cert', 'global-option', 'config-settings', 'no-binary', 'only-binary', 'report', 'python',
  ],
};
export const NPM_SPEC: OptionSpec = { short: 'w', long: ['registry', 'prefix', 'cache', 'workspace', 'tag', 'userconfig', 'loglevel', 'omit', 'include', 'install-strategy'] };

const APT_INSTALL = new Set(['install', 'reinstall']);
const APT_REMOVE = new Set(['remove', 'purge', 'autoremove', 'autopurge']);
const DNF_INSTALL = new Set(['install', 'reinstall', 'in']);
const DNF_REMOVE = new Set(['remove', 'erase', 'rm', 'autoremove']);
const NPM_INSTALL = new Set(['install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add', 'ci', 'clean-install', 'install-clean']);
const NPM_REMOVE = new Set(['uninstall', 'un', 'unlink', 'remove', 'rm', 'r']);

/** What `cmd` does to installed packages, or null when it installs and removes nothing we can name. */
export function packageChange(cmd: ShellCommand): PackageChange | null {
  const apt = aptCommand(cmd);
  if (apt) {
    const sub = apt.subcommand;
    if (!sub || (!APT_INSTALL.has(sub) && !APT_REMOVE.has(sub))) return null;
    const operands = parseArgs(apt.args, APT_SPEC).operands.slice(1);
    const packages = names(operands, aptName);
    return { manager: 'apt', action: APT_INSTALL.has(sub) ? 'install' : 'remove', packages, local: false, label: `${apt.tool} ${sub}`, range: apt.range, command: cmd };
  }
  const eff = effective(cmd);
  const toolWord = eff.command === cmd && eff.args === cmd.args ? cmd.nameWord : (cmd.args[cmd.args.length - eff.args.length - 1] ?? cmd.nameWord);
  const at = (sub: ShellWord | undefined): Range => ({ start: toolWord.range.start, end: Math.max(toolWord.range.end, sub?.range.end ?? 0) });
  if (eff.program === 'apk') {
    const parsed = parseArgs(eff.args, APK_SPEC);
    const [sub, ...rest] = parsed.operands;
    if (sub?.value !== 'add' && sub?.value !== 'del') return null;
    const packages = names(rest, apkName);
    for (const v of optValues(parsed, '-t', '--virtual')) packages.push({ name: v.value, word: v });
    return { manager: 'apk', action: sub.value === 'add' ? 'install' : 'remove', packages, local: false, label: `apk ${sub.value}`, range: at(sub), command: cmd };
  }
  if (eff.program === 'dnf' || eff.program === 'yum' || eff.program === 'microdnf' || eff.program === 'dnf5') {
    const [sub, ...rest] = parseArgs(eff.args, DNF_SPEC).operands;
    if (!sub || (!DNF_INSTALL.has(sub.value) && !DNF_REMOVE.has(sub.value))) return null;
    const packages = names(rest, (v) => (/^[\w.+-]+$/.test(v) ? v : null));
    return { manager: 'dnf', action: DNF_INSTALL.has(sub.value) ? 'install' : 'remove', packages, local: false, label: `${eff.program} ${sub.value}`, range: at(sub), command: cmd };
  }
  const pip = pipArgs(eff.program, eff.args);
  if (pip) {
    const parsed = parseArgs(pip, PIP_SPEC);
    const [sub, ...rest] = parsed.operands;
    if (sub?.value !== 'install' && sub?.value !== 'uninstall') return null;
    // `pip install -r requirements.txt` names nothing; `-e .` is a path.
    const packages = names(rest, pipName);
    return { manager: 'pip', action: sub.value === 'install' ? 'install' : 'remove', packages, local: false, label: `${eff.program.startsWith('pip') ? eff.program : `${eff.program} -m pip`} ${sub.value}`, range: at(sub), command: cmd };
  }
  if (eff.program === 'npm') {
    const parsed = parseArgs(eff.args, NPM_SPEC);
    const [sub, ...rest] = parsed.operands;
    if (!sub) return null;
    const local = !hasOpt(parsed, '-g', '--global');
    const label = `npm ${sub.value}`;
    if (sub.value === 'prune') return { manager: 'npm', action: 'prune', packages: [], local, label, range: at(sub), command: cmd };
    if (!NPM_INSTALL.has(sub.value) && !NPM_REMOVE.has(sub.value)) return null;
    const packages = names(rest, npmName);
    return { manager: 'npm', action: NPM_INSTALL.has(sub.value) ? 'install' : 'remove', packages, local, label, range: at(sub), command: cmd };
  }
  return null;
}

/** The arguments pip sees: `pip3 install x`, `python3 -m pip install x`. */
function pipArgs(program: string, args: readonly ShellWord[]): readonly ShellWord[] | null {
  if (/^pip(\d+(\.\d+)?)?$/.test(program)) return args;
  if (/^python(\d+(\.\d+)?)?$/.test(program) && args[0]?.value === '-m' && args[1]?.value === 'pip') return args.slice(2);
  return null;
}

function names(words: readonly ShellWord[], normalize: (value: string) => string | null): PackageName[] {
  const out: PackageName[] = [];
  for (const w of words) {
    if (w.dynamic) continue;
    const name = normalize(w.value);
    if (name) out.push({ name, word: w });
  }
  return out;
}

/** `curl=7.88.1-10`, `libssl3:amd64`, `nginx/bookworm-backports` -> the package name; `./x.deb` and `x-` (a removal) are not names. */
function aptName(v: string): string | null {
  const name = v.replace(/[=/].*$/, '').replace(/:[\w-]+$/, '').toLowerCase();
  return /^[a-z0-9][a-z0-9.+-]*[a-z0-9+]$|^[a-z0-9]$/.test(name) && !name.endsWith('-') ? name : null;
}

function apkName(v: string): string | null {
  const name = v.replace(/[=<>~].*$/, '').replace(/@.*$/, '');
  return /^[\w.+-]+$/.test(name) ? name : null;
}

/** PEP 503 names: `PyYAML[extra]==6.0` -> `pyyaml`; paths, URLs and archives are not names. */
function pipName(v: string): string | null {
  if (/[/\\]|^\.|\.(whl|zip|tar\.gz|tgz)$|:\/\//.test(v)) return null;
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(v.trim());
  if (!m) return null;
  return (m[1] as string).toLowerCase().replace(/[-_.]+/g, '-');
}

/** `lodash@4`, `@scope/pkg@^1` -> the name; paths, URLs and tarballs are not names. */
function npmName(v: string): string | null {
  if (/^[./~]|:\/\/|^(file|git|github|http|https):|\.tgz$/.test(v)) return null;
  const m = /^(@[\w.-]+\/[\w.-]+|[\w.-]+)/.exec(v);
  return m ? (m[1] as string).toLowerCase() : null;
}
