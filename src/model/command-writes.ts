// What one shell command does to the filesystem, as far as its words tell: the paths it creates or
// overwrites, deletes, or changes in place (mode, owner, times, contents). Only what is known is
// listed: a command whose target depends on run-time values, or a tool not listed here, adds nothing.
import { aptCommand } from './apt-commands.js';
import { effective } from './command-queries.js';
import { APK_SPEC, DNF_SPEC, NPM_SPEC } from './package-changes.js';
import { hasOpt, optValue, optValues, parseArgs, type OptionSpec, type ParsedArgs } from './command-args.js';
import { baseName, joinPath, resolvePath, wordPath, type PathScope } from './path-match.js';
import type { ShellCommand, ShellWord } from './types.js';

/**
 * `file`: a file (or what COPY copied under one name); `dir`: an empty directory; `tree`: a directory
 * whose whole content came from the step; `contents`: files added to a directory that held others
 * before (`tar -C /usr/local`), so what lies under it is not known to be the step's; `link`: a symlink.
 */
export type WriteKind = 'file' | 'dir' | 'tree' | 'contents' | 'link';

export interface CommandWrite {
  path: string;
  kind: WriteKind;
  /** Nothing but the entry itself: `mkdir`, `touch`, `install -d`, a new home from /etc/skel. */
  empty: boolean;
  word: ShellWord;
  /** What wrote it, for messages: `curl -o`, `apt-get update`. */
  label: string;
}

export interface PathChange {
  path: string;
  word: ShellWord;
  /** Reaches everything under the path: `chown -R`, `rm -r`, `mv`. */
  recursive: boolean;
  /** The command as written, for messages: `chown -R`, `rm -rf`, `sed -i`. */
  label: string;
}

export interface CommandFacts {
  writes: CommandWrite[];
  deletes: PathChange[];
  /** Changed in place: the file is rewritten whole in this layer. */
  modifies: PathChange[];
  /** Moved away (`mv` sources): gone from where they were. */
  moved: PathChange[];
}

/** The mode, owner or group change of a `chmod`/`chown`/`chgrp`. */
export interface OwnershipCommand {
  tool: 'chmod' | 'chown' | 'chgrp';
  /** The mode or `user:group`; null with `--reference`. */
  spec: ShellWord | null;
  recursive: boolean;
  /** Options other than recursion and verbosity, which a COPY flag cannot express. */
  otherOptions: string[];
  targets: ShellWord[];
  toolWord: ShellWord;
}

const CURL: OptionSpec = {
  short: 'oCdHuXAeTwxbcKmrFEYyzDQUtP',
  long: [
    'output', 'output-dir', 'header', 'data', 'data-binary', 'data-raw', 'data-urlencode', 'user', 'request', 'retry', 'retry-delay', 'retry-max-time',
    'connect-timeout', 'max-time', 'proxy', 'cacert', 'capath', 'cert', 'key', 'user-agent', 'referer', 'upload-file', 'write-out', 'cookie', 'cookie-jar',
    'config', 'range', 'form', 'speed-limit', 'speed-time', 'limit-rate', 'max-filesize', 'resolve', 'interface', 'dns-servers', 'proto', 'proto-redir',
    'ciphers', 'netrc-file', 'stderr', 'trace', 'trace-ascii', 'continue-at', 'dump-header', 'time-cond', 'url', 'oauth2-bearer', 'max-redirs', 'tls-max',
  ],
};
const WGET: OptionSpec = {
  short: 'OoaPteiwTUQlARDIXB',
  long: [
    'output-document', 'output-file', 'append-output', 'directory-prefix', 'tries', 'execute', 'input-file', 'wait', 'timeout', 'user-agent', 'quota',
    'level', 'accept', 'reject', 'domains', 'include-directories', 'exclude-directories', 'base', 'header', 'user', 'password', 'http-user', 'http-password',
    'post-data', 'post-file', 'referer', 'ca-certificate', 'certificate', 'private-key', 'load-cookies', 'save-cookies', 'bind-address', 'limit-rate', 'max-redirect',
  ],
};
const TAR: OptionSpec = {
  short: 'fCTXbHKLMNgVI',
  long: ['file', 'directory', 'files-from', 'exclude-from', 'exclude', 'strip-components', 'owner', 'group', 'mode', 'transform', 'format', 'use-compress-program', 'blocking-factor', 'newer', 'label', 'listed-incremental', 'warning'],
};
const COPY_LIKE: OptionSpec = { short: 'tS', long: ['target-directory', 'suffix'] };
const INSTALL: OptionSpec = { short: 'mogtS', long: ['mode', 'owner', 'group', 'target-directory', 'suffix'] };
const GIT_GLOBAL: OptionSpec = { short: 'Cc', long: ['git-dir', 'work-tree', 'namespace', 'exec-path', 'config-env'] };
const GIT_CLONE: OptionSpec = {
  short: 'bocju',
  long: ['branch', 'depth', 'origin', 'config', 'reference', 'reference-if-able', 'separate-git-dir', 'jobs', 'upload-pack', 'template', 'shallow-since', 'shallow-exclude', 'filter', 'server-option', 'bundle-uri'],
};
const USERADD: OptionSpec = {
  short: 'bcdefgGkKpsuRPZ',
  long: ['base-dir', 'comment', 'home-dir', 'expiredate', 'inactive', 'gid', 'groups', 'skel', 'key', 'password', 'shell', 'uid', 'root', 'prefix', 'selinux-user'],
};
const PIP: OptionSpec = { short: 'rcetiCfb', long: ['requirement', 'constraint', 'editable', 'target', 'index-url', 'extra-index-url', 'find-links', 'prefix', 'root', 'src', 'cache-dir', 'trusted-host', 'progress-bar', 'log', 'proxy', 'retries', 'timeout', 'python'] };

const CHMOD_FLAGS = /^-[cfvR]+$/;
const CHOWN_FLAGS = /^-[cfvRhHLP]+$/;
const LONG_QUIET = new Set(['--recursive', '--changes', '--silent', '--quiet', '--verbose', '--preserve-root', '--no-preserve-root']);

/** The programs whose commands change files in place (`modifies`): no other command's facts list any. */
export const MODIFYING_PROGRAMS: ReadonlySet<string> = new Set(['touch', 'mv', 'chmod', 'chown', 'chgrp', 'sed']);

/** What `cmd` writes, deletes and changes, with relative paths, `~` and variables read through `scope`. */
export function commandFacts(cmd: ShellCommand, scope: PathScope): CommandFacts {
  const facts: CommandFacts = { writes: [], deletes: [], modifies: [], moved: [] };
  const eff = effective(cmd);
  const args = eff.args;
  const path = (w: ShellWord): string | null => wordPath(w, scope);
  const write = (w: ShellWord, p: string | null, kind: WriteKind, label: string, empty = false): void => {
    if (p) facts.writes.push({ path: p, kind, empty, word: w, label });
  };
  switch (eff.program) {
    case 'mkdir':
      for (const w of parseArgs(args, { short: 'm', long: ['mode', 'context'] }).operands) write(w, path(w), 'dir', 'mkdir', true);
      break;
    case 'touch':
      for (const w of parseArgs(args, { short: 'dtr', long: ['date', 'reference', 'time'] }).operands) {
        const p = path(w);
        write(w, p, 'file', 'touch', true);
        if (p) facts.modifies.push({ path: p, word: w, recursive: false, label: 'touch' });
      }
      break;
    case 'cp':
    case 'mv':
    case 'install': {
      const parsed = parseArgs(args, eff.program === 'install' ? INSTALL : COPY_LIKE);
      if (eff.program === 'install' && hasOpt(parsed, '-d', '--directory')) {
        for (const w of parsed.operands) write(w, path(w), 'dir', 'install -d', true);
        break;
      }
      const recursive = eff.program === 'mv' || hasOpt(parsed, '-r', '-R', '-a', '--recursive', '--archive');
      copyLike(parsed, eff.program, recursive, scope, facts);
      break;
    }
    case 'ln': {
      const parsed = parseArgs(args, COPY_LIKE);
      const target = optValue(parsed, '-t', '--target-directory');
      const ops = parsed.operands;
      const link = target ?? (ops.length >= 2 ? ops[ops.length - 1] : null);
      const dirLink = target !== null || ops.length > 2 || (link?.value.endsWith('/') ?? false);
      const linkPath = link ? path(link) : scope.cwd;
      const sources = link && !target ? ops.slice(0, -1) : ops;
      for (const s of sources) write(s, linkPath && (dirLink || !link) ? joinPath(linkPath, baseName(s.value)) : linkPath, 'link', 'ln');
      break;
    }
    case 'curl':
      curlWrites(parseArgs(args, CURL), scope, facts);
      break;
    case 'wget':
      wgetWrites(parseArgs(args, WGET), scope, facts);
      break;
    case 'tar': {
      // `tar xzf a.tgz`: the first word is a bundle of letters without the dash.
      const first = args[0];
      const norm = first && /^[A-Za-z]+$/.test(first.value) ? [{ ...first, value: `-${first.value}` }, ...args.slice(1)] : args;
      const parsed = parseArgs(norm, TAR);
      const dirWord = optValue(parsed, '-C', '--directory');
      if (hasOpt(parsed, '-x', '--extract', '--get')) {
        const dir = dirWord ? path(dirWord) : scope.cwd;
        write(dirWord ?? eff.command.nameWord, dir, dir ? contentsKind(dir) : 'contents', 'tar -x');
      } else if (hasOpt(parsed, '-c', '--create')) {
        const file = optValue(parsed, '-f', '--file');
        if (file && file.value !== '-') write(file, dirWord && !file.value.startsWith('/') ? null : path(file), 'file', 'tar -c');
      }
      break;
    }
    case 'unzip': {
      const parsed = parseArgs(args, { short: 'dP' });
      const dirWord = optValue(parsed, '-d');
      const dir = dirWord ? path(dirWord) : scope.cwd;
      if (parsed.operands.length > 0 && dir) write(dirWord ?? (parsed.operands[0] as ShellWord), dir, contentsKind(dir), 'unzip');
      break;
    }
    case 'git':
      gitClone(args, scope, facts);
      break;
    case 'useradd': {
      const parsed = parseArgs(args, USERADD);
      const login = parsed.operands[parsed.operands.length - 1];
      if (!login || !hasOpt(parsed, '-m', '--create-home')) break;
      const dir = optValue(parsed, '-d', '--home-dir');
      const base = optValue(parsed, '-b', '--base-dir');
      const home = dir ? path(dir) : resolvePath(`${base?.value ?? '/home'}/${login.value}`, scope);
      write(dir ?? login, home, 'tree', 'useradd -m', true);
      break;
    }
    case 'chmod':
    case 'chown':
    case 'chgrp': {
      const own = ownershipCommand(cmd);
      if (!own) break;
      const label = own.recursive ? `${own.tool} -R` : own.tool;
      for (const w of own.targets) {
        const p = path(w);
        if (p) facts.modifies.push({ path: p, word: w, recursive: own.recursive, label });
      }
      break;
    }
    case 'sed':
      for (const w of sedInPlaceFiles(args)) {
        const p = path(w);
        if (p) facts.modifies.push({ path: p, word: w, recursive: false, label: 'sed -i' });
      }
      break;
    case 'rm':
    case 'unlink': {
      const parsed = parseArgs(args);
      const recursive = hasOpt(parsed, '-r', '-R', '--recursive');
      const flags = args.filter((a) => a.value.startsWith('-') && a.value !== '--').map((a) => a.value);
      const label = [eff.program, ...flags].join(' ');
      for (const w of parsed.operands) {
        const p = path(w);
        if (p) facts.deletes.push({ path: p, word: w, recursive, label });
      }
      break;
    }
    default:
      packageManagerFiles(eff.program, args, cmd, scope, facts);
  }
  return facts;
}

/** `chmod 755 a b`, `chown -R app:app /app`: the change, the targets, and whether a COPY flag could say the same. */
export function ownershipCommand(cmd: ShellCommand): OwnershipCommand | null {
  const eff = effective(cmd);
  if (eff.program !== 'chmod' && eff.program !== 'chown' && eff.program !== 'chgrp') return null;
  const toolWord = eff.command === cmd && eff.args === cmd.args ? cmd.nameWord : (cmd.args[cmd.args.length - eff.args.length - 1] ?? cmd.nameWord);
  const flagPattern = eff.program === 'chmod' ? CHMOD_FLAGS : CHOWN_FLAGS;
  let spec: ShellWord | null = null;
  let recursive = false;
  let reference = false;
  const otherOptions: string[] = [];
  const targets: ShellWord[] = [];
  let options = true;
  for (const a of eff.args) {
    const v = a.value;
    if (options && v === '--') {
      options = false;
      continue;
    }
    // `chmod -x file`: a mode may start with a dash, so only known flags are options.
    if (options && (flagPattern.test(v) || LONG_QUIET.has(v) || v.startsWith('--from=') || v.startsWith('--reference=') || v === '--dereference' || v === '--no-dereference')) {
      if ((v.includes('R') && !v.startsWith('--')) || v === '--recursive') recursive = true;
      if (v.startsWith('--reference=')) reference = true;
      if (!/^-[Rvcf]+$/.test(v) && !LONG_QUIET.has(v)) otherOptions.push(v);
      continue;
    }
    if (!spec && !reference) spec = a;
    else targets.push(a);
  }
  return { tool: eff.program, spec, recursive, otherOptions, targets, toolWord };
}

/** Directories a step fills but does not own: what else is under them came from elsewhere. */
const SHARED_DIRS = new Set([
  '/', '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib32', '/lib64', '/libx32', '/media', '/mnt', '/opt', '/proc', '/root', '/run', '/sbin', '/srv',
  '/sys', '/tmp', '/usr', '/var', '/usr/local', '/usr/local/bin', '/usr/local/sbin', '/usr/local/lib', '/usr/local/share', '/usr/local/include',
  '/usr/local/etc', '/usr/local/src', '/usr/local/libexec', '/usr/local/man', '/var/www',
]);
const SHARED_TREES = ['/etc/', '/usr/bin/', '/usr/sbin/', '/usr/lib/', '/usr/lib64/', '/usr/libexec/', '/usr/share/', '/usr/include/', '/usr/src', '/usr/local/lib/', '/usr/local/share/', '/var/lib/', '/var/cache/', '/var/log/', '/var/spool/', '/lib/', '/lib64/', '/proc/', '/sys/', '/dev/', '/run/', '/boot/'];

/** `tree` when what is under `dir` can only have come from the step that fills it, else `contents`. */
export function contentsKind(dir: string): WriteKind {
  if (SHARED_DIRS.has(dir) || SHARED_TREES.some((t) => dir.startsWith(t) || `${dir}/` === t)) return 'contents';
  return 'tree';
}

function copyLike(parsed: ParsedArgs, program: string, recursive: boolean, scope: PathScope, facts: CommandFacts): void {
  const target = optValue(parsed, '-t', '--target-directory');
  const ops = parsed.operands;
  const dest = target ?? ops[ops.length - 1];
  const sources = target ? ops : ops.slice(0, -1);
  if (!dest || sources.length === 0) return;
  const destPath = wordPath(dest, scope);
  if (!destPath) return;
  const dirDest = target !== null || dest.value.endsWith('/') || sources.length > 1;
  const label = program === 'install' ? 'install' : program;
  for (const src of sources) {
    const name = resolvePath(src.value, scope);
    if (program === 'mv') {
      if (name) facts.moved.push({ path: name, word: src, recursive: true, label: 'mv' });
      if (name) facts.modifies.push({ path: name, word: src, recursive: true, label: 'mv' });
    }
    if (src.value.endsWith('/.')) {
      facts.writes.push({ path: destPath, kind: contentsKind(destPath), empty: false, word: dest, label });
      continue;
    }
    if (!name) continue;
    const at = dirDest ? joinPath(destPath, baseName(name)) : destPath;
    // A moved or plainly copied entry is most often a file; only `cp -r` says it is a directory.
    const kind: WriteKind = program !== 'cp' || !recursive || /\.\w{1,5}$/.test(baseName(name)) ? 'file' : contentsKind(at);
    facts.writes.push({ path: at, kind, empty: false, word: dest, label });
  }
}

/** The last path segment of a URL, without query or fragment. */
function urlName(url: string, scope: PathScope): string | null {
  const resolved = resolvePath(url.replace(/^[a-z][\w+.-]*:\/\/[^/]*/i, ''), { ...scope, cwd: '/' });
  if (!resolved) return null;
  const name = baseName(resolved.replace(/[?#].*$/, ''));
  return name === '' ? null : name;
}

function curlWrites(parsed: ParsedArgs, scope: PathScope, facts: CommandFacts): void {
  const outputs = optValues(parsed, '-o', '--output').filter((w) => w.value !== '-' && w.value !== '/dev/null');
  const outDirWord = optValue(parsed, '--output-dir');
  const outDir = outDirWord ? wordPath(outDirWord, scope) : scope.cwd;
  for (const w of outputs) {
    const p = outDirWord && !w.value.startsWith('/') ? (outDir ? joinPath(outDir, w.value) : null) : wordPath(w, scope);
    if (p) facts.writes.push({ path: p, kind: 'file', empty: false, word: w, label: 'curl -o' });
  }
  const remote = hasOpt(parsed, '-O', '--remote-name', '--remote-name-all') && !hasOpt(parsed, '-J', '--remote-header-name');
  if (!remote || !outDir) return;
  const urls = [...parsed.operands, ...optValues(parsed, '--url')].slice(outputs.length);
  for (const u of urls) {
    const name = urlName(u.value, scope);
    if (name) facts.writes.push({ path: joinPath(outDir, name), kind: 'file', empty: false, word: u, label: 'curl -O' });
  }
}

function wgetWrites(parsed: ParsedArgs, scope: PathScope, facts: CommandFacts): void {
  if (hasOpt(parsed, '-r', '-m', '--recursive', '--mirror', '-i', '--input-file')) return;
  const doc = optValue(parsed, '-O', '--output-document');
  if (doc) {
    const p = doc.value === '-' || doc.value === '/dev/null' ? null : wordPath(doc, scope);
    if (p) facts.writes.push({ path: p, kind: 'file', empty: false, word: doc, label: 'wget -O' });
    return;
  }
  const prefix = optValue(parsed, '-P', '--directory-prefix');
  const dir = prefix ? wordPath(prefix, scope) : scope.cwd;
  if (!dir) return;
  for (const u of parsed.operands) {
    const name = urlName(u.value, scope);
    if (name) facts.writes.push({ path: joinPath(dir, name), kind: 'file', empty: false, word: u, label: 'wget' });
  }
}

function gitClone(args: readonly ShellWord[], scope: PathScope, facts: CommandFacts): void {
  const global = parseArgs(args, GIT_GLOBAL);
  const sub = global.operands[0];
  if (sub?.value !== 'clone') return;
  const chdir = optValue(global, '-C');
  const cwd = chdir ? wordPath(chdir, scope) : scope.cwd;
  const clone = parseArgs(args.slice(args.indexOf(sub) + 1), GIT_CLONE);
  const [url, dir] = clone.operands;
  if (!url) return;
  const inner = { ...scope, cwd };
  const name = dir ? wordPath(dir, inner) : urlName(url.value.replace(/\/+$/, '').replace(/\.git$/, ''), scope);
  const p = dir ? name : name && cwd ? joinPath(cwd, name) : null;
  if (p) facts.writes.push({ path: p, kind: 'tree', empty: false, word: dir ?? url, label: 'git clone' });
}

/** File operands of `sed -i`: everything after the script (the first operand, unless -e/-f gave it). */
function sedInPlaceFiles(args: readonly ShellWord[]): ShellWord[] {
  let inPlace = false;
  let script = false;
  const operands: ShellWord[] = [];
  for (let i = 0; i < args.length; i++) {
    const v = (args[i] as ShellWord).value;
    if (v === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (v.startsWith('--')) {
      if (v === '--in-place' || v.startsWith('--in-place=')) inPlace = true;
      else if (v.startsWith('--expression') || v.startsWith('--file')) {
        script = true;
        if (!v.includes('=')) i++;
      } else if (v === '--line-length') i++;
      continue;
    }
    if (v.startsWith('-') && v.length > 1) {
      for (let j = 1; j < v.length; j++) {
        const c = v[j];
        // `-i.bak`: the rest of the word is the backup suffix.
        if (c === 'i') {
          inPlace = true;
          break;
        }
        if (c === 'e' || c === 'f' || c === 'l') {
          if (c !== 'l') script = true;
          if (j === v.length - 1) i++;
          break;
        }
      }
      continue;
    }
    operands.push(args[i] as ShellWord);
  }
  return inPlace ? operands.slice(script ? 0 : 1) : [];
}

/** The tools below, besides pip and `python -m pip`. */
const PACKAGE_MANAGERS = new Set(['apt-get', 'apt', 'aptitude', 'apk', 'dnf', 'yum', 'npm', 'yarn']);
const DNF_CACHING = /^(install|in|reinstall|update|upgrade|up|makecache|distro-sync|downgrade|groupinstall|group|builddep|module)$/;

/** Caches and installed trees that package managers leave behind, and the commands that clean them. */
function packageManagerFiles(program: string, args: readonly ShellWord[], cmd: ShellCommand, scope: PathScope, facts: CommandFacts): void {
  // Most commands that reach here (`set`, `make`, `echo`) are no package manager at all.
  if (!PACKAGE_MANAGERS.has(program) && !program.startsWith('pip') && !program.startsWith('python')) return;
  const cache = (p: string | null, word: ShellWord, label: string): void => {
    if (p) facts.writes.push({ path: p, kind: 'tree', empty: false, word, label });
  };
  const clean = (p: string | null, word: ShellWord, label: string): void => {
    if (p) facts.deletes.push({ path: p, word, recursive: true, label });
  };
  const apt = aptCommand(cmd);
  // An apt command is none of the tools below.
  if (apt) {
    if (apt.subcommand === 'update') cache('/var/lib/apt/lists', args.find((a) => a.value === 'update') ?? cmd.nameWord, `${apt.tool} update`);
    return;
  }
  if (program === 'apk') {
    const sub = parseArgs(args, APK_SPEC).operands[0];
    if (sub && /^(add|update|upgrade)$/.test(sub.value) && !args.some((a) => a.value === '--no-cache')) cache('/var/cache/apk', sub, `apk ${sub.value}`);
    return;
  }
  if (program === 'dnf' || program === 'yum') {
    const sub = parseArgs(args, DNF_SPEC).operands[0];
    const dir = `/var/cache/${program}`;
    if (sub?.value === 'clean') clean(dir, sub, `${program} clean`);
    else if (sub && DNF_CACHING.test(sub.value) && !args.some((a) => a.value === '-C' || a.value === '--cacheonly')) cache(dir, sub, `${program} ${sub.value}`);
    return;
  }
  const pipArgs = /^pip(\d+(\.\d+)?)?$/.test(program) ? args : /^python(\d+(\.\d+)?)?$/.test(program) && args[0]?.value === '-m' && args[1]?.value === 'pip' ? args.slice(2) : null;
  if (pipArgs) {
    const parsed = parseArgs(pipArgs, PIP);
    const [sub, action] = parsed.operands;
    const dirWord = optValue(parsed, '--cache-dir');
    const xdg = scope.env.get('XDG_CACHE_HOME');
    const dir = dirWord ? wordPath(dirWord, scope) : (scope.env.get('PIP_CACHE_DIR') ?? (xdg ? `${xdg}/pip` : scope.home ? `${scope.home}/.cache/pip` : null));
    // Any value of PIP_NO_CACHE_DIR turns the cache off in current pip.
    const off = hasOpt(parsed, '--no-cache-dir', '--no-cache') || scope.env.has('PIP_NO_CACHE_DIR');
    if (sub?.value === 'install' && !off) cache(dir, sub, 'pip install');
    else if (sub?.value === 'cache' && action && /^(purge|remove)$/.test(action.value)) clean(dir, action, 'pip cache purge');
    return;
  }
  if (program === 'npm') {
    const parsed = parseArgs(args, NPM_SPEC);
    const [sub, action] = parsed.operands;
    if (!sub) return;
    const cacheWord = optValue(parsed, '--cache');
    const dir = cacheWord ? wordPath(cacheWord, scope) : (scope.env.get('npm_config_cache') ?? scope.env.get('NPM_CONFIG_CACHE') ?? (scope.home ? `${scope.home}/.npm` : null));
    if (/^(install|i|ci|clean-install|add)$/.test(sub.value)) {
      cache(dir, sub, `npm ${sub.value}`);
      if (!hasOpt(parsed, '-g', '--global') && scope.cwd) cache(joinPath(scope.cwd, 'node_modules'), sub, `npm ${sub.value}`);
    } else if (sub.value === 'cache' && action?.value === 'clean') clean(dir ? `${dir}/_cacache` : null, action, 'npm cache clean');
    return;
  }
  if (program === 'yarn' && scope.cwd) {
    const sub = parseArgs(args).operands[0];
    if (!sub || sub.value === 'install') cache(joinPath(scope.cwd, 'node_modules'), sub ?? cmd.nameWord, 'yarn install');
  }
}
