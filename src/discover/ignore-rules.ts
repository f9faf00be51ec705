// Ignore files are evaluated the way git does: patterns are relative to the directory of the file that
// holds them, deeper files override shallower ones, the last matching line wins, and nothing under an
// excluded directory can be re-included. To get all of that from one matcher, each file's patterns are
// rebased onto the top directory and appended, shallow to deep, to the rules of the directory above.
// Each directory's files are read once per run and each directory's matcher is built once.
import { lstatSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { fsErrorMessage } from './fs-errors.js';

export const IGNORE_FILE_NAMES: readonly string[] = ['.gitignore', '.layerlintignore'];

/** Gitignore-style patterns relative to `baseDir`, e.g. a config file's `ignorePatterns`. */
export interface IgnoreSource {
  baseDir: string;
  patterns: readonly string[];
}

/** The rules in force for the entries of one directory, as paths relative to `top`. */
export interface Chain {
  top: string;
  ig: Ignore | null;
}

export interface Matcher {
  base: string;
  ig: Ignore;
}

const ignoreCase = process.platform === 'darwin' || process.platform === 'win32';

export function matcherFor(source: IgnoreSource): Matcher {
  return { base: source.baseDir, ig: ignore({ ignoreCase }).add([...source.patterns]) };
}

/**
 * Whether `abs` is ignored: by the chain's rules, then by each extra matcher in turn (a later one can
 * re-include what an earlier one or the chain excluded).
 */
export function isIgnored(abs: string, isDir: boolean, chain: Chain, extra: readonly Matcher[]): boolean {
  let ignored = false;
  if (chain.ig) {
    const rel = relativeInside(chain.top, abs);
    if (rel !== null) ignored = chain.ig.test(isDir ? `${rel}/` : rel).ignored;
  }
  for (const m of extra) {
    const rel = relativeInside(m.base, abs);
    if (rel === null) continue;
    const result = m.ig.test(isDir ? `${rel}/` : rel);
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}

/** `abs` relative to `base` with `/` separators, or null when it is not strictly inside `base`. */
function relativeInside(base: string, abs: string): string | null {
  const prefix = base.endsWith(sep) ? base : base + sep;
  if (!abs.startsWith(prefix) || abs.length === prefix.length) return null;
  const rel = abs.slice(prefix.length);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

export function isInside(base: string, abs: string): boolean {
  return abs === base || relativeInside(base, abs) !== null;
}

/** `top`, then each directory below it down to `dir`; nothing when `dir` is not under `top`. */
export function ancestorsFrom(top: string, dir: string): string[] {
  if (!isInside(top, dir)) return [];
  const dirs: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    dirs.push(d);
    if (d === top || dirname(d) === d) break;
  }
  return dirs.reverse();
}

/**
 * One gitignore line from the file in `dir` (`rel` from the top, with a trailing `/`, or '') rewritten
 * to mean the same relative to the top; null for blank lines and comments.
 */
export function rebasePattern(line: string, rel: string): string | null {
  let end = line.length;
  while (end > 0 && line[end - 1] === ' ' && line[end - 2] !== '\\') end--;
  let body = line.slice(0, end);
  if (body === '' || body.startsWith('#')) return null;
  if (rel === '') return body;
  let negation = '';
  if (body.startsWith('!')) {
    negation = '!';
    body = body.slice(1);
  }
  const core = body.endsWith('/') ? body.slice(0, -1) : body;
  if (core === '') return null;
  // A pattern with a slash before its end is anchored to its file's directory; one without matches at any depth below it.
  const anchored = core.includes('/');
  return negation + escapeLiteral(rel) + (anchored ? body.replace(/^\/+/, '') : `**/${body}`);
}

/** Directory names are literal; `?` cannot be escaped for the matcher and is left to match itself or any one character. */
function escapeLiteral(rel: string): string {
  return rel.replace(/[\\*[]/g, '\\$&').replace(/^[!#]/, '\\$&');
}

export interface IgnoreFileProblem {
  file: string;
  message: string;
}

/** Reads and caches the ignore files of each directory; also finds where a repository's rules start. */
export class IgnoreFiles {
  private readonly lines = new Map<string, string[]>();
  private readonly chains = new Map<string, Chain>();
  private readonly gitRoots = new Map<string, string | null>();
  readonly problems: IgnoreFileProblem[] = [];

  constructor(private readonly enabled: boolean) {}

  /**
   * The chain for the entries of `dir`, given the chain of its parent (null when `dir` is the top).
   * `present` lists the names a directory listing showed, so a walk never probes for absent files.
   */
  chainAt(dir: string, parent: Chain | null, present?: ReadonlySet<string>): Chain {
    const key = `${parent?.top ?? dir}\0${dir}`;
    let cached = this.chains.get(key);
    if (!cached) {
      cached = this.buildChain(dir, parent, present);
      this.chains.set(key, cached);
    }
    return cached;
  }

  private buildChain(dir: string, parent: Chain | null, present?: ReadonlySet<string>): Chain {
    const start = parent ?? { top: dir, ig: null };
    const own = this.ownLines(dir, present);
    if (own.length === 0) return start;
    const rel = relativeInside(start.top, dir);
    const prefix = rel === null ? '' : `${rel}/`;
    const patterns = own.map((line) => rebasePattern(line, prefix)).filter((p): p is string => p !== null);
    const ig = ignore({ ignoreCase });
    if (start.ig) ig.add(start.ig);
    return { top: start.top, ig: ig.add(patterns) };
  }

  /** The chain for the entries of `dir`, reading the ignore files of every directory from `top` down. */
  chainFor(dir: string, top: string): Chain {
    let chain: Chain | null = null;
    for (const d of ancestorsFrom(top, dir)) chain = this.chainAt(d, chain);
    return chain ?? { top, ig: null };
  }

  private ownLines(dir: string, present?: ReadonlySet<string>): string[] {
    let cached = this.lines.get(dir);
    if (!cached) {
      cached = this.enabled ? this.read(dir, present) : [];
      this.lines.set(dir, cached);
    }
    return cached;
  }

  private read(dir: string, present?: ReadonlySet<string>): string[] {
    const out: string[] = [];
    for (const name of IGNORE_FILE_NAMES) {
      if (present && !present.has(name)) continue;
      const file = join(dir, name);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EISDIR') {
          this.problems.push({ file, message: `cannot read ignore file: ${fsErrorMessage(error)}` });
        }
        continue;
      }
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      out.push(...text.split(/\r?\n/));
    }
    return out;
  }

  /** The nearest ancestor-or-self of `dir` holding `.git`, or null outside any repository. */
  gitRoot(dir: string): string | null {
    let cached = this.gitRoots.get(dir);
    if (cached === undefined) {
      cached = this.findGitRoot(dir);
      this.gitRoots.set(dir, cached);
    }
    return cached;
  }

  private findGitRoot(dir: string): string | null {
    if (exists(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    return parent === dir ? null : this.gitRoot(parent);
  }
}

function exists(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}
