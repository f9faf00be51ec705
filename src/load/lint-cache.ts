// `--cache`: what a run learned, kept for the next one in one file (`.layerlintcache` by default).
// Two levels, because family findings depend on every file of the family:
// - per file, the findings of the file's own rules, keyed by its text, its settings and the rule set;
// - for the whole run, the final results, keyed by every Dockerfile and config text read, the
//   options, and a fingerprint (names, sizes, times) of each build context the COPY keys hashed;
//   with them, the reports the command wrote from those results, by format.
// A run whose inputs all match returns the stored results without parsing anything, and the command
// writes a stored report without formatting anything; a run where some file changed still skips the
// file rules of the others. Each file's hash is kept with its size and times (see file-reads.ts), so
// that an unchanged file need not even be read. Both keys hold the code's own identity, so a new
// version or build of layerlint starts afresh. A cache that cannot be read is ignored, one that
// cannot be written is skipped: the cache never changes what a run reports.
import { sha256 } from '../graph/sha256.js';
import { closeSync, fstatSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic, LintResult } from '../linter/diagnostic.js';
import type { ContextListing } from '../graph/build-context.js';
import type { ContextHasher } from '../graph/context-hash.js';
import type { FileStamp } from './file-reads.js';

/** Bumped whenever what the file holds changes shape. */
const FORMAT = 2;

export interface CachedCheck {
  problems: Diagnostic[];
  findings: Diagnostic[];
}

export interface RunTotals {
  /** Results, one per file reported. */
  results: number;
  errors: number;
  warnings: number;
  infos: number;
}

/**
 * A report as the command wrote it, with what the formatter said on the side. One read back from the
 * cache stays UTF-8 bytes: written to a file as they are, they need no decoding.
 */
export interface StoredReport {
  text: string | Uint8Array;
  warnings: string[];
}

/** Where a section lies in the file: byte offset and length. */
type Span = [number, number];

/**
 * The file is a line of JSON (the header) followed by sections of UTF-8 text the header locates, so
 * that a run reads only what it uses: a run that hits, one report (or the results); a miss, the
 * per-file checks.
 */
interface Header {
  format: number;
  code: string;
  stamps: Record<string, FileStamp>;
  run: { key: string; contexts: Record<string, string>; totals: RunTotals; results: Span; reports: Record<string, { span: Span; warnings: string[] }> } | null;
  checks: Span | null;
}

/** The run a cache holds, as found by a run with the same key. */
export interface CachedRun {
  totals: RunTotals;
  results(): LintResult[] | null;
  report(key: string): StoredReport | undefined;
}

export class LintCache {
  private readonly used = new Map<string, CachedCheck>();
  private storedChecks: Record<string, CachedCheck> | null = null;
  private stamps: Record<string, FileStamp> | null = null;
  /** A new run: its key, contexts and results (the old run's reports no longer hold). */
  private run: { key: string; contexts: Record<string, string>; totals: RunTotals; results: readonly LintResult[] } | null = null;
  private readonly reports = new Map<string, StoredReport>();
  private hit = false;

  private constructor(
    readonly location: string,
    private readonly header: Header | null,
    private fd: number | null,
    private readonly base: number,
  ) {}

  /** Opens the cache file; a missing, unreadable, corrupt or foreign one counts as empty. */
  static open(location: string): LintCache {
    let fd: number | null = null;
    try {
      fd = openSync(location, 'r');
      const { line, end } = readLine(fd);
      const header = JSON.parse(line) as Partial<Header>;
      if (header.format === FORMAT && header.code === CODE_IDENTITY && typeof header.stamps === 'object') {
        return new LintCache(location, header as Header, fd, end);
      }
    } catch {
      // No usable cache: start afresh.
    }
    if (fd !== null) closeSync(fd);
    return new LintCache(location, null, null, 0);
  }

  /** Size, times and hash of each Dockerfile the last run read. */
  fileStamps(): Readonly<Record<string, FileStamp>> {
    return this.header?.stamps ?? {};
  }

  /** The stored run with the same key, if every build context it read is unchanged. */
  runFor(key: string, fingerprint: (root: string) => string): CachedRun | null {
    const run = this.header?.run;
    if (!run || run.key !== key) return null;
    for (const [root, print] of Object.entries(run.contexts)) if (fingerprint(root) !== print) return null;
    this.hit = true;
    return {
      totals: run.totals,
      results: () => this.json<LintResult[]>(run.results),
      report: (reportKey) => {
        const found = run.reports[reportKey];
        const bytes = found === undefined ? null : this.bytes(found.span);
        return found === undefined || bytes === null ? undefined : { text: bytes, warnings: found.warnings };
      },
    };
  }

  /** Keeps a run's results, in place of any stored run (also one found by runFor). */
  storeRun(key: string, contexts: Record<string, string>, results: readonly LintResult[]): void {
    this.hit = false;
    this.reports.clear();
    this.run = { key, contexts, totals: totalsOf(results), results: results.map(withoutSource) };
  }

  /** Keeps a report made from this run's results (stored or new). */
  storeReport(key: string, report: StoredReport): void {
    this.reports.set(key, report);
  }

  /** The stamps of the Dockerfiles this run read, kept in place of the old ones. */
  storeStamps(stamps: Record<string, FileStamp>): void {
    this.stamps = stamps;
  }

  fileCheck(key: string): CachedCheck | undefined {
    let hit = this.used.get(key);
    if (!hit) {
      this.storedChecks ??= this.header?.checks ? (this.json<Record<string, CachedCheck>>(this.header.checks) ?? {}) : {};
      hit = this.storedChecks[key];
    }
    if (hit) this.used.set(key, hit);
    return hit;
  }

  storeFileCheck(key: string, check: CachedCheck): void {
    this.used.set(key, { problems: check.problems, findings: check.findings });
  }

  /**
   * Writes what this run learned, if anything, through a temporary file renamed over the old one: a
   * new run with the checks it used (entries of files no longer linted are dropped), or, after a hit,
   * the stored run with new reports or stamps. Returns the reason when it could not.
   */
  save(): string | null {
    try {
      const text = this.hit ? this.carried() : this.fresh();
      return text === null ? null : writeAtomically(this.location, text);
    } finally {
      this.close();
    }
  }

  /** Lets go of the file without writing. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private fresh(): Buffer[] {
    const run = this.run;
    const sections = new Sections();
    const checks = sections.place(JSON.stringify(Object.fromEntries(this.used)));
    let headerRun: Header['run'] = null;
    if (run) {
      const results = sections.place(JSON.stringify(run.results));
      const reports: NonNullable<Header['run']>['reports'] = {};
      for (const [key, report] of this.reports) reports[key] = { span: sections.place(report.text), warnings: report.warnings };
      headerRun = { key: run.key, contexts: run.contexts, totals: run.totals, results, reports };
    }
    return sections.under({ format: FORMAT, code: CODE_IDENTITY, stamps: this.stamps ?? {}, run: headerRun, checks });
  }

  /** The stored run, its sections copied as they are, with the reports and stamps this run added. */
  private carried(): Buffer[] | null {
    const old = this.header;
    const run = old?.run;
    const newReports = [...this.reports].filter(([key]) => run?.reports[key] === undefined);
    if (!old || !run || (newReports.length === 0 && !this.stampsWorthWriting(old.stamps))) return null;
    const sections = new Sections();
    const copy = (span: Span): Span | null => {
      const bytes = this.bytes(span);
      return bytes === null ? null : sections.place(bytes);
    };
    const checks = old.checks ? copy(old.checks) : null;
    const results = copy(run.results);
    if (results === null) return null;
    const reports: NonNullable<Header['run']>['reports'] = {};
    for (const [key, report] of Object.entries(run.reports)) {
      const span = copy(report.span);
      if (span !== null) reports[key] = { span, warnings: report.warnings };
    }
    for (const [key, report] of newReports) reports[key] = { span: sections.place(report.text), warnings: report.warnings };
    return sections.under({ ...old, stamps: this.stamps ?? old.stamps, run: { ...run, results, reports }, checks });
  }

  /**
   * After a hit, whether the stamps this run took are worth rewriting the whole file for: those that
   * changed (a racy entry now old enough to trust, a file touched but not changed) cost a read of
   * their file at every run until then, which matters once their files are a fair part of the cache.
   */
  private stampsWorthWriting(old: Readonly<Record<string, FileStamp>>): boolean {
    if (this.stamps === null || this.fd === null) return false;
    let bytes = 0;
    for (const [file, stamp] of Object.entries(this.stamps)) {
      const before = old[file];
      if (before === undefined || !stamp.every((v, i) => v === before[i])) bytes += stamp[0];
    }
    return bytes > 0 && bytes * 8 >= fstatSync(this.fd).size;
  }

  private bytes([offset, length]: Span): Buffer | null {
    if (this.fd === null) return null;
    try {
      const buffer = Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const n = readSync(this.fd, buffer, done, length - done, this.base + offset + done);
        if (n === 0) return null;
        done += n;
      }
      return buffer;
    } catch {
      return null;
    }
  }

  private json<T>(span: Span): T | null {
    const bytes = this.bytes(span);
    if (bytes === null) return null;
    try {
      return JSON.parse(bytes.toString('utf8')) as T;
    } catch {
      return null;
    }
  }
}

/** The sections of a cache file being written, each placed after the one before. */
class Sections {
  private readonly parts: Buffer[] = [];
  private at = 0;

  place(text: string | Uint8Array): Span {
    const bytes = typeof text === 'string' ? Buffer.from(text) : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
    this.parts.push(bytes);
    this.at += bytes.length;
    return [this.at - bytes.length, bytes.length];
  }

  /** The whole file: the header line, then the sections. */
  under(header: Header): Buffer[] {
    return [Buffer.from(`${JSON.stringify(header)}\n`), ...this.parts];
  }
}

/** The first line of the file and where the next byte lies. */
function readLine(fd: number): { line: string; end: number } {
  const size = fstatSync(fd).size;
  const chunks: Buffer[] = [];
  let position = 0;
  while (position < size) {
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, size - position));
    const n = readSync(fd, chunk, 0, chunk.length, position);
    if (n === 0) break;
    const newline = chunk.subarray(0, n).indexOf(0x0a);
    if (newline >= 0) {
      chunks.push(chunk.subarray(0, newline));
      return { line: Buffer.concat(chunks).toString('utf8'), end: position + newline + 1 };
    }
    chunks.push(chunk.subarray(0, n));
    position += n;
  }
  throw new Error('no header line');
}

function writeAtomically(location: string, parts: readonly Buffer[]): string | null {
  const tmp = join(dirname(location), `.${basename(location)}.${process.pid}.tmp`);
  try {
    const fd = openSync(tmp, 'w');
    try {
      for (const part of parts) writeAll(fd, part);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, location);
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

function writeAll(fd: number, bytes: Buffer): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}

export function totalsOf(results: readonly LintResult[]): RunTotals {
  const totals: RunTotals = { results: results.length, errors: 0, warnings: 0, infos: 0 };
  for (const r of results) {
    totals.errors += r.errorCount;
    totals.warnings += r.warningCount;
    totals.infos += r.infoCount;
  }
  return totals;
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
  return Object.fromEntries(hasher.roots().map((root) => [root, contextFingerprint(hasher.listing(root))]));
}

/** A build context as the builder would send it, by name, size and modification time of each file. */
export function contextFingerprint(listing: ContextListing): string {
  const h = sha256();
  for (const file of listing.files) h.update(`${file}\0${listing.sizes.get(file) ?? -1}\0${listing.mtimes.get(file) ?? -1}\0`);
  return h.update(listing.dockerignore).digest('hex');
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
