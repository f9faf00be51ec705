// Turns the paths a user gives into the Dockerfiles to lint. Directories are walked with the repository's
// ignore files applied as git applies them; symlinks are followed only inside the path given, and each
// real directory is entered once, so links can neither escape the tree nor loop. Problems are returned,
// never thrown: one unreadable directory does not hide the rest of the tree.
// The file system is read synchronously: a walk makes one small call per directory and per Dockerfile,
// and the promise around each call costs more than the call itself.
import type { Dirent } from 'node:fs';
import { accessSync, constants, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fsErrorMessage } from './fs-errors.js';
import { IgnoreFiles, isIgnored, isInside, matcherFor, type Chain, type IgnoreSource, type Matcher } from './ignore-rules.js';
import type { DirectoryListings } from './listings.js';
import { isDockerfileName } from './names.js';

export { isDockerfileName } from './names.js';
export { IGNORE_FILE_NAMES, type IgnoreSource } from './ignore-rules.js';
export { DirectoryListings } from './listings.js';

/** A path that could not be linted. `message` does not repeat the path. */
export interface DiscoveryProblem {
  /** As the user gave it, or for a path found in a walk, that path joined with the part below it. */
  path: string;
  message: string;
  /** Set when an ignore pattern excluded a path given explicitly: a notice rather than a failure. */
  ignored?: true;
}

export interface Discovery {
  /** Absolute, sorted, each file once even when reached through several paths. */
  files: string[];
  problems: DiscoveryProblem[];
}

export interface DiscoverOptions {
  cwd: string;
  /** Also find Jinja templates (`Dockerfile.j2`, `*.Dockerfile.j2`). Default false. */
  includeTemplates?: boolean;
  /** More gitignore-style patterns, e.g. a config file's `ignorePatterns` (see `configIgnoreSource`). */
  ignore?: readonly IgnoreSource[];
  /** Read `.gitignore` and `.layerlintignore` files. Default true. */
  useIgnoreFiles?: boolean;
  /** Keeps the listing of each directory walked, for later steps of the same run to ask. */
  listings?: DirectoryListings;
}

/** Never entered in a walk, whatever the ignore files say. */
const SKIPPED_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules']);

/** The system's realpath(3), one call, where Node's own `realpathSync` resolves each link in JavaScript. */
const realpath = realpathSync.native;

export const IGNORED_FILE_MESSAGE = 'file ignored because of a matching ignore pattern';
export const IGNORED_DIRECTORY_MESSAGE = 'directory ignored because of a matching ignore pattern';

export async function discover(paths: readonly string[], options: DiscoverOptions): Promise<Discovery> {
  const run = new DiscoveryRun(options);
  const seen = new Set<string>();
  for (const given of paths) {
    const abs = resolve(options.cwd, given);
    if (seen.has(abs)) continue;
    seen.add(abs);
    run.add(given, abs);
  }
  return run.result();
}

interface Root {
  given: string;
  abs: string;
  real: string;
  /** Symlinks met in the walk, followed once every real directory has been seen. */
  deferred: { abs: string; chain: Chain }[];
  problems: DiscoveryProblem[];
}

class DiscoveryRun {
  private readonly files = new Map<string, string>();
  private readonly visited = new Set<string>();
  private readonly problems: DiscoveryProblem[] = [];
  private readonly ignoreFiles: IgnoreFiles;
  private readonly extra: Matcher[];
  private readonly includeTemplates: boolean;

  constructor(private readonly options: DiscoverOptions) {
    this.ignoreFiles = new IgnoreFiles(options.useIgnoreFiles ?? true);
    this.extra = (options.ignore ?? []).map((source) => matcherFor({ ...source, baseDir: resolve(options.cwd, source.baseDir) }));
    this.includeTemplates = options.includeTemplates ?? false;
  }

  result(): Discovery {
    const files = [...new Set(this.files.values())].sort();
    return { files, problems: this.problems };
  }

  add(given: string, abs: string): void {
    let stats;
    try {
      stats = lstatSync(abs);
      if (stats.isSymbolicLink()) {
        try {
          stats = statSync(abs);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          const message = code === 'ENOENT' || code === 'ENOTDIR' ? 'broken symbolic link: its target does not exist' : fsErrorMessage(error);
          this.problems.push({ path: given, message });
          return;
        }
      }
    } catch (error) {
      this.problems.push({ path: given, message: fsErrorMessage(error) });
      return;
    }
    if (stats.isDirectory()) this.addDirectory(given, abs);
    else if (stats.isFile()) this.addFile(given, abs);
    else this.problems.push({ path: given, message: 'not a regular file or directory' });
    this.takeIgnoreFileProblems();
  }

  private addFile(given: string, abs: string): void {
    if (this.ignoredPath(abs, false)) {
      this.problems.push({ path: given, message: IGNORED_FILE_MESSAGE, ignored: true });
      return;
    }
    try {
      accessSync(abs, constants.R_OK);
      this.found(realpath(abs), abs);
    } catch (error) {
      this.problems.push({ path: given, message: fsErrorMessage(error) });
    }
  }

  private addDirectory(given: string, abs: string): void {
    if (this.ignoredPath(abs, true)) {
      this.problems.push({ path: given, message: IGNORED_DIRECTORY_MESSAGE, ignored: true });
      return;
    }
    let real: string;
    try {
      real = realpath(abs);
    } catch (error) {
      this.problems.push({ path: given, message: fsErrorMessage(error) });
      return;
    }
    const top = this.topFor(abs);
    const inherited = abs === top ? null : this.ignoreFiles.chainFor(dirname(abs), top);
    const root: Root = { given, abs, real, deferred: [], problems: [] };
    this.walk(root, abs, real, inherited);
    while (root.deferred.length > 0) {
      const batch = root.deferred.sort((a, b) => (a.abs < b.abs ? -1 : a.abs > b.abs ? 1 : 0));
      root.deferred = [];
      for (const link of batch) this.followLink(root, link.abs, link.chain);
    }
    root.problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    this.problems.push(...root.problems);
  }

  /** Where the ignore files that apply to `abs` start: its repository's root, else the current directory. */
  private topFor(abs: string): string {
    const gitRoot = this.ignoreFiles.gitRoot(abs);
    if (gitRoot !== null) return gitRoot;
    const cwd = resolve(this.options.cwd);
    if (isInside(cwd, abs)) return cwd;
    return abs;
  }

  /** An explicit path is ignored when it, or a directory between it and the top, is. */
  private ignoredPath(abs: string, isDir: boolean): boolean {
    const top = this.topFor(isDir ? abs : dirname(abs));
    const chain: Chain = abs === top ? { top, ig: null } : this.ignoreFiles.chainFor(dirname(abs), top);
    return isIgnored(abs, isDir, chain, this.extra);
  }

  private walk(root: Root, dir: string, realDir: string, inherited: Chain | null): void {
    if (this.visited.has(realDir)) return;
    this.visited.add(realDir);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') root.problems.push({ path: this.display(root, dir), message: fsErrorMessage(error) });
      return;
    }
    this.options.listings?.remember(dir, entries);
    const names = new Set(entries.map((e) => e.name));
    // A nested repository is governed by its own ignore files only.
    const chain = this.ignoreFiles.chainAt(dir, names.has('.git') ? null : inherited, names);
    const extra = this.extra;
    for (const entry of entries) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(entry.name) || isIgnored(abs, true, chain, extra)) continue;
        this.walk(root, abs, join(realDir, entry.name), chain);
      } else if (entry.isFile()) {
        if (!isDockerfileName(entry.name, this.includeTemplates) || isIgnored(abs, false, chain, extra)) continue;
        this.foundInWalk(root, join(realDir, entry.name), abs);
      } else if (entry.isSymbolicLink() && !SKIPPED_DIRS.has(entry.name)) {
        root.deferred.push({ abs, chain });
      }
    }
  }

  private followLink(root: Root, abs: string, chain: Chain): void {
    let real: string;
    let stats;
    try {
      real = realpath(abs);
      stats = statSync(abs);
    } catch {
      return; // broken or looping: nothing to lint behind it
    }
    if (!isInside(root.real, real)) return;
    if (stats.isDirectory()) {
      if (!isIgnored(abs, true, chain, this.extra)) this.walk(root, abs, real, chain);
    } else if (stats.isFile()) {
      if (isDockerfileName(basename(abs), this.includeTemplates) && !isIgnored(abs, false, chain, this.extra)) this.foundInWalk(root, real, abs);
    }
  }

  private foundInWalk(root: Root, real: string, abs: string): void {
    try {
      accessSync(abs, constants.R_OK);
      this.found(real, abs);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') root.problems.push({ path: this.display(root, abs), message: fsErrorMessage(error) });
    }
  }

  private found(real: string, abs: string): void {
    if (!this.files.has(real)) this.files.set(real, abs);
  }

  private display(root: Root, abs: string): string {
    return join(root.given, relative(root.abs, abs));
  }

  private takeIgnoreFileProblems(): void {
    for (const p of this.ignoreFiles.problems.splice(0)) {
      this.problems.push({ path: relative(resolve(this.options.cwd), p.file) || p.file, message: p.message });
    }
  }
}
