// The Dockerfiles a cached run reads. The cache is keyed by what each file holds, and a repeated run
// of a large tree would spend most of its time reading and hashing files that have not changed. So,
// as git does with its index, a file whose size, times and inode are those recorded with its hash
// keeps that hash unread, provided it was last modified well before the run that recorded it read it:
// a file changed again within the timestamp's granularity of that read could keep its old times, and
// such a "racy" entry is read and hashed again until it is old enough to be trusted.
import { lstatSync, statSync, type Stats } from 'node:fs';
import { sha256 } from '../graph/sha256.js';
import { decode, readBytes, type LoadOutcome, type LoadProblem } from './load-file.js';

/** size, mtime (ms), ctime (ms), inode, content hash, and 1 when the entry may be trusted unread. */
export type FileStamp = [number, number, number, number, string, 0 | 1];

/** Older than this before the run that read it, a file's times tell an edit apart (2 s covers FAT). */
const RACY_MS = 2000;

export class FileReads {
  /** What this run learned, for the next run's cache. */
  readonly stamps: Record<string, FileStamp> = {};
  private readonly read = new Map<string, { ok: true; bytes: Uint8Array } | { ok: false; problem: LoadProblem }>();

  /**
   * @param known stamps a previous run recorded
   * @param started when this run started: files modified later are never trusted unread
   */
  /** @param lstat how to lstat a file (the run's memo of them), undefined when it does not exist */
  constructor(
    private readonly known: Readonly<Record<string, FileStamp>>,
    private readonly started: number = Date.now(),
    private readonly lstat: (file: string) => Stats | undefined = (file) => lstatSync(file, { throwIfNoEntry: false }),
  ) {}

  /** The content hash of `file`, or a text that names why it cannot be read (also part of a key). */
  identity(file: string): string {
    const known = this.known[file];
    if (known !== undefined && known[5] === 1) {
      const st = this.statOf(file);
      if (st !== undefined && st.isFile() && sameStamp(st, known)) {
        this.stamps[file] = known;
        return known[4];
      }
    }
    const outcome = readBytes(file);
    if (!outcome.ok) {
      this.read.set(file, outcome);
      return `\0${outcome.problem.message}`;
    }
    this.read.set(file, { ok: true, bytes: outcome.bytes });
    const hash = sha256().update(outcome.bytes).digest('hex');
    const st = outcome.stat;
    this.stamps[file] = [st.size, st.mtimeMs, st.ctimeMs, st.ino, hash, Math.max(st.mtimeMs, st.ctimeMs) < this.started - RACY_MS ? 1 : 0];
    return hash;
  }

  /** The file's status, through a symbolic link; undefined when it cannot be had. */
  private statOf(file: string): Stats | undefined {
    try {
      const st = this.lstat(file);
      return st?.isSymbolicLink() ? statSync(file, { throwIfNoEntry: false }) : st;
    } catch {
      return undefined;
    }
  }

  /** The file as a SourceText, from the bytes `identity` read when it read them. */
  load(file: string, displayPath: string): LoadOutcome {
    const kept = this.read.get(file);
    this.read.delete(file);
    const outcome = kept ?? readBytes(file);
    return outcome.ok ? decode(outcome.bytes, displayPath) : outcome;
  }
}

function sameStamp(st: Stats, stamp: FileStamp): boolean {
  return st.size === stamp[0] && st.mtimeMs === stamp[1] && st.ctimeMs === stamp[2] && st.ino === stamp[3];
}
