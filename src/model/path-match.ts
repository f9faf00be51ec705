// Paths as layer steps name them: resolved against the working directory and home, variables filled
// in from ENV/ARG, and compared segment by segment so that a shell glob (`rm -rf /tmp/*`) matches
// what it would expand to. A path that cannot be resolved is null: rules then know nothing about it.
import picomatch from 'picomatch';
import type { ShellWord } from './types.js';

/** Where a step runs: what relative paths, `~` and variables mean in it. */
export interface PathScope {
  /** Absolute working directory; null when the base image sets one we cannot see. */
  cwd: string | null;
  /** Home directory of the user the step runs as; null when unknown. */
  home: string | null;
  env: ReadonlyMap<string, string>;
}

/** How path `p` stands to path `q`: the same entry, an ancestor of it, or inside it. */
export type PathRelation = 'same' | 'above' | 'below';

const GLOB = /[*?[{]/;

/** A path as written (shell-unquoted), resolved to an absolute normal form; null when it depends on something unknown. */
export function resolvePath(text: string, scope: PathScope): string | null {
  if (text === '' || text.includes('$(') || text.includes('`')) return null;
  let unknown = false;
  let t = !text.includes('$') ? text : text.replace(/\$\{(\w+)(?::?[-=]([^}]*))?\}|\$(\w+)/g, (_whole, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string;
    const value = scope.env.get(name) ?? (name === 'HOME' ? scope.home : null) ?? (name === 'PWD' ? scope.cwd : null) ?? fallback;
    if (value === undefined || value === null) unknown = true;
    return value ?? '';
  });
  if (unknown || t.includes('$')) return null;
  if (t === '~' || t.startsWith('~/')) {
    if (!scope.home) return null;
    t = scope.home + t.slice(1);
  } else if (!t.startsWith('/')) {
    if (!scope.cwd) return null;
    t = `${scope.cwd}/${t}`;
  }
  return normalizePath(t);
}

/** The path a shell word names, or null when it is computed at run time or its glob is quoted. */
export function wordPath(word: ShellWord, scope: PathScope): string | null {
  if (/\$\(|`/.test(word.raw)) return null;
  // A quoted `*` reaches the command as a literal name, which no step creates.
  if (isGlob(word.value) && !liveGlob(word.raw)) return null;
  return resolvePath(word.value, scope);
}

/** `/a//b/./c/../d/` -> `/a/b/d`; the root stays `/`. */
export function normalizePath(path: string): string {
  // Most paths are in normal form already.
  if (isNormalPath(path)) return path;
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

/** Absolute, and no segment is empty, `.` or `..`: what normalizePath would give back unchanged. */
export function isNormalPath(path: string): boolean {
  if (path.charCodeAt(0) !== 47) return false;
  if (path.length === 1) return true;
  let start = 1;
  for (let i = 1; i <= path.length; i++) {
    if (i < path.length && path.charCodeAt(i) !== 47) continue;
    const length = i - start;
    if (length === 0) return false;
    if (path.charCodeAt(start) === 46 && (length === 1 || (length === 2 && path.charCodeAt(start + 1) === 46))) return false;
    start = i + 1;
  }
  return true;
}

export function joinPath(dir: string, name: string): string {
  return normalizePath(`${dir}/${name}`);
}

export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

export function isGlob(path: string): boolean {
  return GLOB.test(withoutVariables(path));
}

function withoutVariables(text: string): string {
  if (!text.includes('${')) return text;
  return text.replace(/\$\{[^}]*\}/g, '');
}

/**
 * How `p` stands to `q`, either of which may hold shell globs (`/tmp/*`, `/usr/local/bin/*.sh`):
 * `same` when they name the same entry, `above` when `p` is an ancestor of `q`, `below` when `p` is
 * inside `q`; null when they are unrelated, or both are globs (their overlap is not known).
 */
export function pathRelation(p: string, q: string): PathRelation | null {
  // Without globs, two paths in normal form compare as strings: most calls end here.
  if (isPlainNormal(p) && isPlainNormal(q)) {
    if (p === q) return 'same';
    if (p === '/' || (q.startsWith(p) && q.charCodeAt(p.length) === 47)) return 'above';
    if (q === '/' || (p.startsWith(q) && p.charCodeAt(q.length) === 47)) return 'below';
    return null;
  }
  const ps = segments(p);
  const qs = segments(q);
  const n = Math.min(ps.length, qs.length);
  for (let i = 0; i < n; i++) {
    if (!segmentMatches(ps[i] as string, qs[i] as string)) return null;
  }
  if (ps.length === qs.length) return 'same';
  return ps.length < qs.length ? 'above' : 'below';
}

/** True when `p` is `q` or inside it. */
export function atOrUnder(p: string, q: string): boolean {
  const r = pathRelation(p, q);
  return r === 'same' || r === 'below';
}

/** Absolute, no empty segment, no trailing slash, no glob or brace character. */
function isPlainNormal(path: string): boolean {
  if (path.charCodeAt(0) !== 47) return false;
  if (path.length > 1 && path.charCodeAt(path.length - 1) === 47) return false;
  for (let i = 1; i < path.length; i++) {
    const c = path.charCodeAt(i);
    // '*' '?' '[' '{' make a glob; '//' an empty segment.
    if (c === 42 || c === 63 || c === 91 || c === 123) return false;
    if (c === 47 && path.charCodeAt(i - 1) === 47) return false;
  }
  return true;
}

// A layer history compares each delete with every earlier write: the same few glob paths are split
// and their patterns compiled again and again, so both are remembered (within bounds).
const MEMO_LIMIT = 50_000;
const segmentMemo = new Map<string, string[]>();
const globMemo = new Map<string, boolean>();
const matcherMemo = new Map<string, (name: string) => boolean>();

function remember<V>(memo: Map<string, V>, key: string, value: V): V {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

function segments(path: string): string[] {
  return segmentMemo.get(path) ?? remember(segmentMemo, path, path.split('/').filter((s) => s !== ''));
}

function globSegment(segment: string): boolean {
  if (!/[*?[{]/.test(segment)) return false;
  return globMemo.get(segment) ?? remember(globMemo, segment, isGlob(segment));
}

function segmentMatches(a: string, b: string): boolean {
  if (a === b) return true;
  const ga = globSegment(a);
  const gb = globSegment(b);
  if (ga === gb) return false;
  // Shell globs do not match a leading dot, and neither does picomatch by default.
  const [name, pattern] = ga ? [b, a] : [a, b];
  const match = matcherMemo.get(pattern) ?? remember(matcherMemo, pattern, picomatch(pattern));
  return match(name);
}

/** False when every glob character of the word is quoted, so the shell passes it on literally. */
function liveGlob(raw: string): boolean {
  return GLOB.test(withoutVariables(raw).replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, ''));
}
