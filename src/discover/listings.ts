// What one run has learned of the directories it listed. A walk lists every directory it enters;
// later steps of the same run ask which of a few names a directory holds (config files, compose
// files, `.dockerignore`) or list a build context again, and the walk's listing answers them
// where each would otherwise probe for every name. Made for one run and dropped with it: a
// listing is never carried into a later run, where the tree may have changed.
import { lstatSync, type Dirent, type Stats } from 'node:fs';

/**
 * Names compare case-insensitively, whatever the file system: a listed name that differs only in case
 * may still be the file asked for, and the caller's own check of each candidate settles it.
 */
function fold(name: string): string {
  return name.toLowerCase();
}

export class DirectoryListings {
  private readonly entries = new Map<string, readonly Dirent[]>();
  private readonly names = new Map<string, ReadonlySet<string>>();
  private readonly stats = new Map<string, Stats | undefined>();

  /**
   * lstat of `file`, once per run: a Dockerfile's stamp (see src/load/file-reads.ts) and the listing
   * of the build context it lies in both need it. Undefined when it does not exist; other errors throw.
   */
  lstat(file: string): Stats | undefined {
    if (this.stats.has(file)) return this.stats.get(file);
    const st = lstatSync(file, { throwIfNoEntry: false });
    this.stats.set(file, st);
    return st;
  }

  /** Keeps what a walk read of `dir` (as the path it walked, not resolved). */
  remember(dir: string, entries: readonly Dirent[]): void {
    this.entries.set(dir, entries);
  }

  /** The entries of `dir` as a walk listed them in this run; undefined when it did not. */
  entriesOf(dir: string): readonly Dirent[] | undefined {
    return this.entries.get(dir);
  }

  /**
   * Which of `candidates` may exist in `dir`: those its listing shows, or every candidate when `dir`
   * was not listed. The caller still checks each one (a listed name can be a broken link or of the
   * wrong type), so the answer is the same as probing every candidate, with fewer probes.
   */
  candidatesIn(dir: string, candidates: readonly string[]): readonly string[] {
    const names = this.namesOf(dir);
    if (names === undefined) return candidates;
    return candidates.filter((name) => names.has(fold(name)));
  }

  private namesOf(dir: string): ReadonlySet<string> | undefined {
    let names = this.names.get(dir);
    if (names === undefined) {
      const entries = this.entries.get(dir);
      if (entries === undefined) return undefined;
      names = new Set(entries.map((e) => fold(e.name)));
      this.names.set(dir, names);
    }
    return names;
  }
}

/** Whether `name` may exist beside `entries`, compared as `candidatesIn` compares; the caller checks it. */
export function mayList(entries: readonly Dirent[], name: string): boolean {
  const wanted = fold(name);
  return entries.some((e) => fold(e.name) === wanted);
}
