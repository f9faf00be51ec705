// Reading a file into a SourceText. A file that cannot be linted (unreadable, binary, not UTF-8, too
// large) must not stop the run: the problem is returned as a value, and the caller reports it as a
// fatal finding for that file while the other files are still linted.
import { closeSync, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { fsErrorMessage } from '../discover/fs-errors.js';
import type { Diagnostic, LintResult } from '../linter/diagnostic.js';
import { summarize } from '../linter/diagnostic.js';
import type { Severity } from '../rule/types.js';
import { SourceText } from '../source/source-text.js';

/** Larger files are refused unread: no real Dockerfile comes near this, and reading one whole could exhaust memory. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** How far to look for NUL bytes, as git and grep do to tell binary from text. */
const BINARY_SNIFF_BYTES = 8 * 1024;

export interface LoadProblem {
  message: string;
  /** 1-based position of the problem, when it has one (the first invalid UTF-8 byte). */
  line?: number;
  column?: number;
}

export type LoadOutcome = { ok: true; source: SourceText } | { ok: false; problem: LoadProblem };

export interface LoadOptions {
  maxBytes?: number;
}

/** Reads `file` (absolute) as UTF-8; `displayPath` becomes the SourceText's path. */
export async function loadFile(file: string, displayPath: string, options: LoadOptions = {}): Promise<LoadOutcome> {
  const read = readBytes(file, options);
  return read.ok ? decode(read.bytes, displayPath) : read;
}

export type ReadOutcome = { ok: true; bytes: Uint8Array; stat: Stats } | { ok: false; problem: LoadProblem };

/** The bytes of `file` and its status when they were read, or why they cannot be linted. */
export function readBytes(file: string, options: LoadOptions = {}): ReadOutcome {
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  let bytes: Uint8Array;
  let stat: Stats;
  try {
    // Synchronous: a run reads thousands of small files one after the other, and four promise round
    // trips per file cost more than the reads themselves.
    const fd = openSync(file, 'r');
    try {
      stat = fstatSync(fd);
      if (stat.isDirectory()) return fail('is a directory, not a file');
      if (stat.size > maxBytes) return fail(`file too large: ${formatBytes(stat.size)} (the limit is ${formatBytes(maxBytes)})`);
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return fail(describeReadError(error));
  }
  // Size can change between stat and read; the limit still holds for what was read.
  if (bytes.length > maxBytes) return fail(`file too large: ${formatBytes(bytes.length)} (the limit is ${formatBytes(maxBytes)})`);
  return { ok: true, bytes, stat };
}

/** Decodes file bytes as strict UTF-8; the BOM, if any, is kept for SourceText to remember. */
export function decode(bytes: Uint8Array, displayPath: string): LoadOutcome {
  if (isUtf16Bom(bytes)) return fail('UTF-16 encoded file: layerlint reads UTF-8 text only');
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return fail('binary file: it holds NUL bytes, so it is not a Dockerfile');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const at = Math.max(0, firstInvalidUtf8(bytes));
    // A negative fromIndex would count from the end of the array.
    const lineStart = at === 0 ? 0 : bytes.lastIndexOf(0x0a, at - 1) + 1;
    const line = countNewlines(bytes, at) + 1;
    // Columns count UTF-16 units, as every other position does; the bytes before `at` are valid UTF-8.
    const column = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, at)).length + 1;
    const byte = (bytes[at] ?? 0).toString(16).padStart(2, '0');
    return { ok: false, problem: { message: `invalid UTF-8 at line ${line} (byte 0x${byte}): layerlint reads UTF-8 text only`, line, column } };
  }
  return { ok: true, source: new SourceText(displayPath, text) };
}

/** A LintResult for a file that could not be linted: one fatal error, no rule attached. */
export function fatalResult(filePath: string, problem: LoadProblem): LintResult {
  return summarize(filePath, [fileDiagnostic(problem, 'error', true)]);
}

/** A LintResult that says something about a file without it being a failure (e.g. it was ignored). */
export function noticeResult(filePath: string, message: string): LintResult {
  return summarize(filePath, [fileDiagnostic({ message }, 'info', false)]);
}

function fileDiagnostic(problem: LoadProblem, severity: Severity, fatal: boolean): Diagnostic {
  const line = problem.line ?? 1;
  const column = problem.column ?? 1;
  const diagnostic: Diagnostic = {
    ruleId: null,
    severity,
    message: problem.message,
    range: { start: 0, end: 0 },
    line,
    column,
    endLine: line,
    endColumn: column,
  };
  if (fatal) diagnostic.fatal = true;
  return diagnostic;
}

export function describeReadError(error: unknown): string {
  if ((error as NodeJS.ErrnoException | null)?.code === 'EISDIR') return 'is a directory, not a file';
  return `cannot read file: ${fsErrorMessage(error)}`;
}

function fail(message: string): { ok: false; problem: LoadProblem } {
  return { ok: false, problem: { message } };
}

function isUtf16Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) n++;
  return n;
}

/**
 * Index of the first byte that starts an ill-formed UTF-8 sequence (overlongs, surrogates and code
 * points past U+10FFFF included, as the WHATWG decoder rejects them), or -1.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Rounded up, so a size just past the limit never reads as equal to it. */
function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${n} bytes`;
  return `${Math.ceil((n / (1024 * 1024)) * 10) / 10} MB`;
}
