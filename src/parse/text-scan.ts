import type { SourceText } from '../source/source-text.js';

// Character tests shared by the lexer. Each helper looks only as far as it must, so that every
// caller stays linear in the text it walks.

/** What String.prototype.trim() and /\s/ treat as white space. */
export function isJsSpace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 ||
    code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}

export function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

export function isNewline(c: string | undefined): boolean {
  return c === '\n' || c === '\r';
}

/** True when the escape character at `at` is followed by blanks and a line break: a continuation. */
export function escapesNewline(text: string, at: number): boolean {
  let i = at + 1;
  while (isBlank(text[i])) i++;
  return text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n');
}

/** `end` moved back over trailing white space, not past `start`. */
export function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && isJsSpace(text.charCodeAt(e - 1))) e--;
  return e;
}

/** True when only spaces and tabs stand between the start of its line and `at`. */
function firstOnLine(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && isBlank(text[i])) i--;
  return i < 0 || text[i] === '\n';
}

/**
 * Skips white space, escaped line breaks and whole comment lines (a `#` first on its line) from
 * `from`, never past `limit`.
 */
export function skipBlank(text: string, from: number, limit: number, escapeChar: string): number {
  let i = from;
  // Whether only blanks precede `i` on its line; unknown until a `#` asks, before the first line break.
  let lineBlank: boolean | null = null;
  while (i < limit) {
    const c = text[i];
    if (c === '\n') {
      lineBlank = true;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      if (c === '\r') lineBlank = false;
      i++;
    } else if (c === escapeChar && escapesNewline(text, i)) {
      lineBlank = false;
      i++;
    } else if (c === '#' && (lineBlank ?? firstOnLine(text, i))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? limit : nl + 1;
      lineBlank = true;
    } else break;
  }
  return Math.min(i, limit);
}

/** A line that Docker drops inside a continuation: blank, or a comment. */
export function isSkippableLine(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && isJsSpace(text.charCodeAt(i))) i++;
  return i === end || text[i] === '#';
}

function endsWithContinuation(text: string, lineStart: number, lineEnd: number, escapeChar: string): boolean {
  let i = lineEnd - 1;
  while (i >= lineStart && isBlank(text[i])) i--;
  // As in BuildKit, a line ending in the escape character continues, even after another one.
  return i >= lineStart && text[i] === escapeChar;
}

export interface HeaderLines {
  /** End of the last line that belongs to the instruction (before its line break). */
  end: number;
  /** 0-based index of that line. */
  lastLine: number;
  /** The last line continues, but only blank and comment lines follow it up to the end of the file. */
  toEndOfFile: boolean;
}

/**
 * The lines of an instruction starting on line `line`: follows escape-newline continuations,
 * skipping the comment and blank lines Docker drops inside them.
 */
export function headerLines(source: SourceText, line: number, escapeChar: string): HeaderLines {
  const text = source.text;
  let current = line;
  for (;;) {
    const end = source.lineEnd(current);
    if (!endsWithContinuation(text, source.lineStart(current), end, escapeChar)) return { end, lastLine: current, toEndOfFile: false };
    let next = current + 1;
    while (next < source.lineCount && isSkippableLine(text, source.lineStart(next), source.lineEnd(next))) next++;
    if (next >= source.lineCount) return { end, lastLine: current, toEndOfFile: true };
    current = next;
  }
}
