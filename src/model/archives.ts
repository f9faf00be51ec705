// Archives a RUN downloads (curl, wget) and the commands that unpack or install them (tar, unzip, dpkg,
// rpm, package managers and pip given a local file), with the paths they name, and whether a command
// removes a path: what it takes to tell an archive left in a layer from one cleaned up in time.
import { withValue } from './command-args.js';
import { toolCall } from './cache-cleanup.js';
import { expandKnown, resolvePath } from './working-directory.js';
import type { ShellCommand, ShellWord } from './types.js';

/** File names of archives and packages. */
export const ARCHIVE_NAME = /\.(tar|tar\.gz|tgz|tar\.xz|txz|tar\.bz2|tbz2?|tar\.zst|tzst|tar\.lz4?|zip|deb|rpm|whl|apk|7z|jar\.zip)$/i;
/** Tars that ADD extracts by itself when they come from the build context. */
export const LOCAL_TAR_NAME = /\.(tar|tar\.gz|tgz|tar\.xz|txz|tar\.bz2|tbz2?)$/i;

export interface Download {
  /** Where the file lands, resolved against the command's directory. */
  path: string;
  /** The file as the command names it: `go.tgz`, or the URL's last segment for `curl -O`. */
  name: string;
  /** The word that names the file (or the URL it is named after). */
  word: ShellWord;
  command: ShellCommand;
}

export interface ArchiveUse {
  /** Resolved path of the archive. */
  path: string;
  verb: 'extracted' | 'installed';
  command: ShellCommand;
}

const CURL_VALUE = new Set([
  '-H', '--header', '-u', '--user', '-d', '--data', '--data-binary', '--data-raw', '--data-urlencode', '-A', '--user-agent', '-e', '--referer',
  '-x', '--proxy', '-m', '--max-time', '--connect-timeout', '--retry', '--retry-delay', '--retry-max-time', '-w', '--write-out', '-C',
  '--continue-at', '-T', '--upload-file', '-b', '--cookie', '-c', '--cookie-jar', '-E', '--cert', '--key', '-K', '--config', '-r', '--range',
  '-X', '--request', '-y', '--speed-time', '-Y', '--speed-limit', '-z', '--time-cond', '--cacert', '--capath', '--proto', '--proto-redir',
  '--resolve', '--connect-to', '--limit-rate', '--max-filesize', '--max-redirs', '--interface', '--dns-servers', '-F', '--form', '--output-dir', '--url',
]);
const WGET_VALUE = new Set(['-O', '--output-document', '-P', '--directory-prefix', '-o', '--output-file', '-a', '--append-output', '-t', '--tries', '-T', '--timeout', '-U', '--user-agent', '--header', '--user', '--password', '-e', '--execute', '--progress', '-i', '--input-file', '-w', '--wait', '--limit-rate', '-Q', '--quota', '--ca-certificate', '--post-data', '--post-file', '--method', '--body-data']);

/** The files a curl or wget command writes: `-o file`, `-O` (named after the URL), `wget URL`. Output to stdout is none. */
export function downloads(cmd: ShellCommand, cwd: string, env: ReadonlyMap<string, string>): Download[] {
  const call = toolCall(cmd);
  const args = call.args;
  const out: Download[] = [];
  const add = (word: ShellWord, name: string, dir = cwd): void => {
    if (name === '' || name === '-' || name === '/dev/null' || name === '/dev/stdout') return;
    out.push({ path: resolvePath(dir, expand(name, env)), name, word, command: cmd });
  };
  if (call.program === 'curl') {
    const urls: ShellWord[] = [];
    let remoteName = false;
    let outputDir = cwd;
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as ShellWord;
      const v = a.value;
      const next = args[i + 1];
      if (v === '-o' || v === '--output') {
        if (next) add(next, next.value);
        i++;
      } else if (v.startsWith('--output=')) add(a, v.slice('--output='.length));
      else if (v === '-O' || v === '--remote-name' || v === '--remote-name-all') remoteName = true;
      else if (v === '--output-dir') {
        if (next) outputDir = resolvePath(cwd, expand(next.value, env));
        i++;
      } else if (/^-[A-Za-z]+$/.test(v)) {
        // Bundled short options: `-fsSLo file`, `-fsSLO`; only the last letter can take a value.
        if (v.includes('O')) remoteName = true;
        const last = v[v.length - 1] as string;
        if (last === 'o') {
          if (next) add(next, next.value);
          i++;
        } else if (CURL_VALUE.has(`-${last}`)) i++;
      } else if (CURL_VALUE.has(v)) {
        if (v === '--url' && next) urls.push(next);
        i++;
      } else if (!v.startsWith('-')) urls.push(a);
    }
    if (remoteName) for (const u of urls) add(u, urlFileName(u.value), outputDir);
    return out;
  }
  if (call.program === 'wget') {
    let document: ShellWord | null = null;
    let documentName = '';
    let dir = cwd;
    const urls: ShellWord[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as ShellWord;
      const v = a.value;
      const next = args[i + 1];
      if (v === '-O' || v === '--output-document') {
        if (next) [document, documentName] = [next, next.value];
        i++;
      } else if (v.startsWith('--output-document=')) [document, documentName] = [a, v.slice('--output-document='.length)];
      else if (/^-[a-zA-Z]*O.+$/.test(v) && !v.startsWith('--')) [document, documentName] = [a, v.slice(v.indexOf('O') + 1)];
      else if (/^-[a-zA-Z]*O$/.test(v)) {
        if (next) [document, documentName] = [next, next.value];
        i++;
      } else if (v === '-P' || v === '--directory-prefix') {
        if (next) dir = resolvePath(cwd, expand(next.value, env));
        i++;
      } else if (v.startsWith('--directory-prefix=')) dir = resolvePath(cwd, expand(v.slice('--directory-prefix='.length), env));
      else if (WGET_VALUE.has(v)) i++;
      else if (!v.startsWith('-')) urls.push(a);
    }
    if (document) add(document, documentName);
    else for (const u of urls) add(u, urlFileName(u.value), dir);
  }
  return out;
}

/** The archives a command unpacks or installs from a local file. */
export function archiveUses(cmd: ShellCommand, cwd: string, env: ReadonlyMap<string, string>): ArchiveUse[] {
  const call = toolCall(cmd);
  const p = call.program;
  const args = call.args;
  const use = (words: readonly (ShellWord | undefined)[], verb: ArchiveUse['verb'], dir = cwd): ArchiveUse[] =>
    words.flatMap((w) => (w && w.value !== '-' ? [{ path: resolvePath(dir, expand(w.value, env)), verb, command: cmd }] : []));
  if (p === 'tar' || p === 'bsdtar' || p === 'gtar') return use(tarExtractFiles(args), 'extracted');
  if (p === 'unzip' || p === '7z' || p === '7za') {
    // unzip's `-d dir` and `-P password` take the next word.
    const files = args.filter((a, i) => !a.value.startsWith('-') && !(p === 'unzip' && (args[i - 1]?.value === '-d' || args[i - 1]?.value === '-P')));
    // 7z's first positional is its command (`x`); unzip's first is the archive.
    const archive = p === 'unzip' ? files[0] : files[0]?.value === 'x' || files[0]?.value === 'e' ? files[1] : undefined;
    return use([archive], 'extracted');
  }
  if (p === 'dpkg') return args.some((a) => a.value === '-i' || a.value === '--install' || /^-[a-zA-Z]*i[a-zA-Z]*$/.test(a.value)) ? use(args.filter((a) => !a.value.startsWith('-')), 'installed') : [];
  if (p === 'alien') return args.some((a) => a.value === '-i' || a.value === '--install') ? use(args.filter((a) => !a.value.startsWith('-')), 'installed') : [];
  if (p === 'rpm') return args.some((a) => /^-[a-zA-Z]*[iUF][a-zA-Z]*$/.test(a.value) || a.value === '--install' || a.value === '--upgrade') ? use(args.filter((a) => !a.value.startsWith('-') && /\.rpm$/i.test(a.value)), 'installed') : [];
  if (['apt-get', 'apt', 'dnf', 'yum', 'microdnf', 'zypper', 'apk'].includes(p)) {
    const local = args.filter((a) => /\.(deb|rpm|apk)$/i.test(a.value) && !/^[a-z]+:\/\//i.test(a.value));
    return args.some((a) => ['install', 'localinstall', 'in', 'add', 'reinstall'].includes(a.value)) ? use(local, 'installed') : [];
  }
  if (/^pip\d?(\.\d+)?$/.test(p) || ((p.startsWith('python') || p === 'uv') && args.some((a) => a.value === 'pip'))) {
    if (!args.some((a) => a.value === 'install')) return [];
    return use(args.filter((a) => /\.(whl|tar\.gz|zip)$/i.test(a.value) && !/^[a-z+]+:\/\//i.test(a.value)), 'installed');
  }
  return [];
}

/** The archives of `tar -x -f file`, `tar xzf file`, `tar --extract --file=file`; none when tar is not extracting. */
function tarExtractFiles(args: readonly ShellWord[]): ShellWord[] {
  let extract = false;
  const files: ShellWord[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as ShellWord;
    const v = a.value;
    if (v === '--extract' || v === '--get') extract = true;
    else if (v === '-f' || v === '--file') {
      const next = args[i + 1];
      if (next) files.push(next);
      i++;
    } else if (v.startsWith('--file=')) files.push(withValue(a, v.slice('--file='.length)));
    else if ((i === 0 && /^[a-zA-Z]+$/.test(v)) || /^-[a-zA-Z]+$/.test(v)) {
      // `tar xzf file` (old style, first word) or `-xzf file`: `f` takes the next word.
      if (v.includes('x')) extract = true;
      if (v.includes('f')) {
        const next = args[i + 1];
        if (next) files.push(next);
        i++;
      }
    } else if (/^-[a-zA-Z]*f.+$/.test(v) && !v.startsWith('--')) files.push(withValue(a, v.slice(v.indexOf('f') + 1)));
  }
  return extract ? files : [];
}

/** True when `cmd` deletes `path`: `rm` of it, of a directory above it, or of a glob that matches it; `find <dir> -delete`. */
export function removesPath(cmd: ShellCommand, path: string, cwd: string, env: ReadonlyMap<string, string>): boolean {
  const call = toolCall(cmd);
  let targets: ShellWord[] = [];
  if (call.program === 'rm' || call.program === 'unlink') targets = call.args.filter((a) => !a.value.startsWith('-') || a.value === '-');
  else if (call.program === 'find' && call.args.some((a) => a.value === '-delete' || a.value === 'rm')) {
    for (const a of call.args) {
      if (/^[-(!]/.test(a.value)) break;
      targets.push(a);
    }
  }
  return targets.some((t) => {
    const removed = resolvePath(cwd, expand(t.value, env));
    return covers(removed, path);
  });
}

/** True when removing `removed` takes `path` with it: the same path, a directory above it, or a glob matching it or a directory above it. */
export function covers(removed: string, path: string): boolean {
  if (removed === path || path.startsWith(`${removed === '/' ? '' : removed}/`)) return true;
  if (!/[*?[]/.test(removed)) return false;
  const re = new RegExp(`^${removed.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}(/.*)?$`);
  return re.test(path);
}

/** True when two paths name the same file, either one possibly a glob (`/tmp/*.deb`). */
export function samePath(a: string, b: string): boolean {
  if (a === b) return true;
  const glob = (pattern: string, p: string): boolean =>
    /[*?[]/.test(pattern) && new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`).test(p);
  return glob(a, b) || glob(b, a);
}

/** The file name a URL downloads to: its last path segment, query and fragment dropped. */
export function urlFileName(url: string): string {
  const noQuery = url.replace(/[?#].*$/, '');
  const path = noQuery.replace(/^[a-z+]+:\/\/[^/]*/i, '');
  return path.slice(path.lastIndexOf('/') + 1);
}

const expand = expandKnown;
