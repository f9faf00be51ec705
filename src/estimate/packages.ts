// What `apt-get install` adds to a layer, from the same index apt reads: a Debian/Ubuntu `Packages`
// file gives each package's installed size and dependencies, so the closure of what a RUN names,
// minus what the image already has, is the set of packages that land in the layer.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeLz4Frames, isLz4Frame } from './lz4.js';

export interface DebPackage {
  name: string;
  version: string;
  /** `Installed-Size`, converted from KiB to bytes. */
  installedBytes: number;
  /** Size of the .deb file. */
  debBytes: number;
  /** Depends and Pre-Depends: each entry lists alternatives, the first one preferred. */
  depends: string[][];
  recommends: string[][];
  provides: string[];
  /** `Essential: yes` or `Priority: required`: every Debian-based image has it. */
  required: boolean;
  /** The index file it was read from. */
  source: string;
}

/** A stanza as read: relations are parsed only for the packages a closure reaches. */
interface RawPackage {
  name: string;
  version: string;
  installedBytes: number;
  debBytes: number;
  depends: string;
  preDepends: string;
  recommends: string;
  provides: string[];
  required: boolean;
  source: string;
  parsed?: DebPackage;
}

export interface Closure {
  /** Packages the install adds, in the order they were reached. */
  added: DebPackage[];
  /** Names that no package is and none provides. */
  unknown: string[];
}

export interface ClosureOptions {
  /** Also follow Recommends (apt does unless `--no-install-recommends`). */
  recommends: boolean;
  /** Names already installed: neither added nor followed. */
  have?: ReadonlySet<string>;
  /** Of alternatives, take the smallest rather than the first (as a minimal bootstrap does). */
  smallest?: boolean;
}

/** A package index file that cannot be read: names the file. */
export class PackageIndexError extends Error {
  override readonly name = 'PackageIndexError';
}

/** Where apt keeps the index files on Debian and Ubuntu. */
export const APT_LISTS_DIR = '/var/lib/apt/lists';

export class PackageIndex {
  private readonly packages = new Map<string, RawPackage>();
  private readonly providers = new Map<string, string[]>();
  private readonly ranks = new Map<string, number>();
  private baseSet: Set<string> | null = null;
  readonly sources: string[] = [];

  /** Reads index files (plain, `.gz` or `.lz4`); names the file in the error when one cannot be read. */
  static fromFiles(files: readonly string[]): PackageIndex {
    const index = new PackageIndex();
    for (const file of files) {
      let data: Buffer;
      try {
        data = readFileSync(file);
      } catch (error) {
        throw new PackageIndexError(`cannot read package index ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
      index.add(decompress(data, file), file);
    }
    return index;
  }

  /** The index files in an apt lists directory (`*_Packages`, compressed or not); empty when there are none. */
  static listFiles(dir: string = APT_LISTS_DIR): string[] {
    try {
      return readdirSync(dir)
        .filter((f) => /_Packages(\.(gz|lz4))?$/.test(f))
        .sort()
        .map((f) => join(dir, f));
    } catch {
      return [];
    }
  }

  get size(): number {
    return this.packages.size;
  }

  /** Adds the stanzas of one `Packages` text. */
  add(text: string, source: string): void {
    this.sources.push(source);
    this.baseSet = null;
    const rank = sourceRank(source);
    let start = 0;
    while (start < text.length) {
      const { pkg, next } = parseStanza(text, start, source);
      start = next;
      if (!pkg) continue;
      const known = this.packages.get(pkg.name);
      // An update or security suite supersedes the release; backports are never installed by default.
      if (known && (this.ranks.get(pkg.name) ?? 0) >= rank) continue;
      if (!known) {
        for (const p of pkg.provides) {
          const list = this.providers.get(p);
          if (list) list.push(pkg.name);
          else this.providers.set(p, [pkg.name]);
        }
      }
      this.packages.set(pkg.name, pkg);
      this.ranks.set(pkg.name, rank);
    }
  }

  get(name: string): DebPackage | undefined {
    const raw = this.packages.get(name);
    if (!raw) return undefined;
    raw.parsed ??= {
      name: raw.name,
      version: raw.version,
      installedBytes: raw.installedBytes,
      debBytes: raw.debBytes,
      depends: [...relations(raw.preDepends), ...relations(raw.depends)],
      recommends: relations(raw.recommends),
      provides: raw.provides,
      required: raw.required,
      source: raw.source,
    };
    return raw.parsed;
  }

  /** The package a dependency on `name` installs: the real package, else a provider (one already installed first). */
  resolve(name: string, installed?: ReadonlySet<string>): DebPackage | undefined {
    if (this.packages.has(name)) return this.get(name);
    const providers = this.providers.get(name) ?? [];
    const chosen = providers.find((p) => installed?.has(p)) ?? providers[0];
    return chosen === undefined ? undefined : this.get(chosen);
  }

  /** Everything installing `names` adds: Depends and Pre-Depends (and Recommends when asked), first alternatives. */
  closure(names: readonly string[], options: ClosureOptions): Closure {
    // Names that need nothing more: installed packages and what they provide.
    const satisfied = new Set<string>(options.have ?? []);
    const added: DebPackage[] = [];
    const unknown: string[] = [];
    const visit = (name: string, top: boolean): void => {
      if (satisfied.has(name)) return;
      const pkg = this.resolve(name, satisfied);
      if (!pkg) {
        if (top) unknown.push(name);
        return;
      }
      if (satisfied.has(pkg.name)) return;
      satisfied.add(pkg.name);
      for (const v of pkg.provides) satisfied.add(v);
      added.push(pkg);
    };
    for (const n of names) visit(n, true);
    for (let i = 0; i < added.length; i++) {
      const pkg = added[i] as DebPackage;
      const groups = options.recommends ? [...pkg.depends, ...pkg.recommends] : pkg.depends;
      for (const alternatives of groups) {
        // A dependency that an installed alternative already satisfies adds nothing.
        if (alternatives.some((a) => satisfied.has(a))) continue;
        const candidates = alternatives.filter((a) => this.resolve(a, satisfied));
        const chosen = options.smallest ? minBy(candidates, (a) => this.resolve(a, satisfied)?.installedBytes ?? 0) : candidates[0];
        const name = chosen ?? alternatives[0];
        if (name !== undefined) visit(name, false);
      }
    }
    return { added, unknown };
  }

  /**
   * What a Debian or Ubuntu base image already holds: the required and essential packages with their
   * dependencies, and apt (a minbase bootstrap, as the official images are).
   */
  basePackages(): Set<string> {
    if (this.baseSet) return this.baseSet;
    const roots = [...this.packages.values()].filter((p) => p.required).map((p) => p.name);
    if (this.packages.has('apt')) roots.push('apt');
    const base = new Set<string>();
    for (const p of this.closure(roots, { recommends: false, smallest: true }).added) {
      base.add(p.name);
      for (const v of p.provides) base.add(v);
    }
    this.baseSet = base;
    return base;
  }
}

function decompress(data: Buffer, file: string): string {
  try {
    if (isLz4Frame(data)) return decodeLz4Frames(data).toString('latin1');
    if (data[0] === 0x1f && data[1] === 0x8b) return gunzipSync(data).toString('latin1');
  } catch (error) {
    throw new PackageIndexError(`cannot decompress package index ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (/\.(xz|bz2|zst)$/.test(file)) throw new PackageIndexError(`cannot read package index ${file}: only plain, .gz and .lz4 files are read`);
  return data.toString('latin1');
}

function sourceRank(source: string): number {
  const name = basename(source);
  if (/backports/.test(name)) return 0;
  if (/security|updates/.test(name)) return 2;
  return 1;
}

/** The stanza that starts at `start`, and where the next one starts. */
function parseStanza(text: string, start: number, source: string): { pkg: RawPackage | null; next: number } {
  const pkg: RawPackage = { name: '', version: '', installedBytes: 0, debBytes: 0, depends: '', preDepends: '', recommends: '', provides: [], required: false, source };
  let pos = start;
  while (pos < text.length) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    if (eol === pos) return { pkg: pkg.name ? pkg : null, next: pos + 1 };
    // Only a few fields are read: the first letter rules out most lines (and continuation lines).
    switch (text.charCodeAt(pos)) {
      case 80: // P
        if (text.startsWith('Package:', pos)) pkg.name = field(text, pos + 8, eol);
        else if (text.startsWith('Pre-Depends:', pos)) pkg.preDepends = field(text, pos + 12, eol);
        else if (text.startsWith('Provides:', pos)) pkg.provides = field(text, pos + 9, eol).split(',').map(bareName).filter((n) => n !== '');
        else if (text.startsWith('Priority: required', pos)) pkg.required = true;
        break;
      case 86: // V
        if (text.startsWith('Version:', pos)) pkg.version = field(text, pos + 8, eol);
        break;
      case 73: // I
        if (text.startsWith('Installed-Size:', pos)) pkg.installedBytes = Number(field(text, pos + 15, eol)) * 1024 || 0;
        break;
      case 83: // S
        if (text.startsWith('Size:', pos)) pkg.debBytes = Number(field(text, pos + 5, eol)) || 0;
        break;
      case 68: // D
        if (text.startsWith('Depends:', pos)) pkg.depends = field(text, pos + 8, eol);
        break;
      case 82: // R
        if (text.startsWith('Recommends:', pos)) pkg.recommends = field(text, pos + 11, eol);
        break;
      case 69: // E
        if (text.startsWith('Essential: yes', pos)) pkg.required = true;
        break;
    }
    pos = eol + 1;
  }
  return { pkg: pkg.name ? pkg : null, next: pos };
}

/** `libc6 (>= 2.34), libssl3 | libssl1.1, foo:any` -> [['libc6'], ['libssl3', 'libssl1.1'], ['foo']]. */
export function relations(value: string): string[][] {
  if (!value) return [];
  return value.split(',').map((group) => group.split('|').map(bareName).filter((n) => n !== '')).filter((g) => g.length > 0);
}

function minBy<T>(items: readonly T[], key: (item: T) => number): T | undefined {
  let best: T | undefined;
  let bestKey = Infinity;
  for (const item of items) {
    const k = key(item);
    if (k < bestKey) {
      best = item;
      bestKey = k;
    }
  }
  return best;
}

function field(text: string, from: number, to: number): string {
  return text.slice(from, to).trim();
}

function bareName(relation: string): string {
  return relation.replace(/\(.*?\)|\[.*?\]|<.*?>/g, '').trim().replace(/:[a-z0-9-]+$/, '');
}
