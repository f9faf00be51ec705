// `--cache`: what a run learned, kept for the next one in one file (`.layerlintcache` by default).
// Two levels, because family findings depend on every file of the family:
// - per file, the findings of the file's own rules, keyed by its text, its settings and the rule set;
// - for the whole run, the final results, keyed by every Dockerfile and config text read, the
//   options, and a fingerprint (names, sizes, times) of each build context the COPY keys hashed.
// A run whose inputs all match returns the stored results without parsing anything; a run where some
// file changed still skips the file rules of the others. Both keys hold the code's own identity, so a
// new version or build of layerlint starts afresh. A cache that cannot be read is ignored, one that
// cannot be written is skipped: the cache never changes what a run reports.
import { sha256 } from '../graph/sha256.js';
import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic, LintResult } from '../linter/diagnostic.js';
import type { ContextListing } from '../graph/build-context.js';
import type { ContextHasher } from '../graph/context-hash.js';

/** Bumped whenever what the file holds changes shape. */
const FORMAT = 1;

export interface CachedCheck {
  problems: Diagnostic[];
  findings: Diagnostic[];
}

interface RunEntry {
  key: string;
  /** Build context root -> fingerprint at the time of the run. */
  contexts: Record<string, string>;
  results: LintResult[];
}

/**
 * The file is three lines of JSON: a header (format, code, the run's key and contexts), the run's
 * results, and the per-file checks. A run that hits reads the first two; a miss the first and third.
 */
interface Header {
  format: number;
  code: string;
  run: { key: string; contexts: Record<string, string> } | null;
}

export class LintCache {
  private readonly used = new Map<string, CachedCheck>();
  private run: RunEntry | null = null;
  private storedFiles: Record<string, CachedCheck> | null = null;

  private constructor(
    readonly location: string,
    private readonly header: Header | null,
    private readonly lines: readonly string[],
  ) {}

  /** Opens the cache file; a missing, unreadable, corrupt or foreign one counts as empty. */
  static open(location: string): LintCache {
    try {
      const lines = readFileSync(location, 'utf8').split('\n');
      const header = JSON.parse(lines[0] ?? '') as Partial<Header>;
      if (header.format === FORMAT && header.code === CODE_IDENTITY && lines.length >= 3) {
        return new LintCache(location, { format: FORMAT, code: CODE_IDENTITY, run: header.run ?? null }, lines);
      }
    } catch {
      // No usable cache: start afresh.
    }
    return new LintCache(location, null, []);
  }

  /** The stored results of a run with the same key, if every build context it read is unchanged. */
  runResults(key: string, fingerprint: (root: string) => string): LintResult[] | null {
    const run = this.header?.run;
    if (!run || run.key !== key) return null;
    for (const [root, print] of Object.entries(run.contexts)) if (fingerprint(root) !== print) return null;
    try {
      return JSON.parse(this.lines[1] ?? '') as LintResult[];
    } catch {
      return null;
    }
  }

  storeRun(key: string, contexts: Record<string, string>, results: readonly LintResult[]): void {
    this.run = { key, contexts, results: results.map(withoutSource) };
  }

  fileCheck(key: string): CachedCheck | undefined {
    let hit = this.used.get(key);
    if (!hit) {
      this.storedFiles ??= this.parseFiles();
      hit = this.storedFiles[key];
    }
    if (hit) this.used.set(key, hit);
    return hit;
  }

  storeFileCheck(key: string, check: CachedCheck): void {
    this.used.set(key, { problems: check.problems, findings: check.findings });
  }

  /**
   * Writes what this run used (entries of files no longer linted are dropped), through a temporary
   * file renamed over the old one. Returns the reason when it could not.
   */
  save(): string | null {
    const run = this.run;
    const header: Header = { format: FORMAT, code: CODE_IDENTITY, run: run ? { key: run.key, contexts: run.contexts } : null };
    const text = `${JSON.stringify(header)}\n${JSON.stringify(run ? run.results : null)}\n${JSON.stringify(Object.fromEntries(this.used))}\n`;
    const tmp = join(dirname(this.location), `.${basename(this.location)}.${process.pid}.tmp`);
    try {
      const fd = openSync(tmp, 'w');
      try {
        writeSync(fd, text);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.location);
      return null;
    } catch (error) {
      try {
        unlinkSync(tmp);
      } catch {
        // Never created.
      }
      return error instanceof Error ? error.message : String(error);
    }
  }

  private parseFiles(): Record<string, CachedCheck> {
    try {
      const files = JSON.parse(this.lines[2] ?? '') as unknown;
      return files !== null && typeof files === 'object' ? (files as Record<string, CachedCheck>) : {};
    } catch {
      return {};
    }
  }
}

/** The results as stored: a run that reuses them puts back the texts it has just read. */
function withoutSource(result: LintResult): LintResult {
  const { source: _source, ...rest } = result;
  return rest;
}

export function hashText(...parts: readonly string[]): string {
  const h = sha256();
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

/** The fingerprint of every build context a family analysis hashed, by root. */
export function contextFingerprints(hasher: ContextHasher): Record<string, string> {
  return Object.fromEntries(hasher.roots().map((root) => [root, contextFingerprint(root, hasher.listing(root))]));
}

/** A build context as the builder would send it, by name, size and modification time of each file. */
export function contextFingerprint(root: string, listing: ContextListing): string {
  const h = sha256();
  for (const file of listing.files) h.update(`${file}\0${listing.sizes.get(file) ?? -1}\0${listing.mtimes.get(file) ?? -1}\0`);
  let ignore = '';
  try {
    ignore = readFileSync(join(root, '.dockerignore'), 'utf8');
  } catch {
    // No .dockerignore.
  }
  return h.update(ignore).digest('hex');
}

/**
 * The running code: the module's file by size and time (a bundle or the compiled module), so that
 * an upgrade or a rebuild never reuses what older code found.
 */
const CODE_IDENTITY = (() => {
  try {
    const file = fileURLToPath(import.meta.url);
    const st = statSync(file);
    return `${file}:${st.size}:${st.mtimeMs}`;
  } catch {
    return 'unknown';
  }
})();
