// The instruction scan: one walk down the lines. An instruction starts at the first non-blank
// character of a line that is not a comment; its own lines follow escape-newline continuations
// (comment and blank lines inside them are dropped, as BuildKit does); heredoc bodies follow them.
// Every helper looks only at the characters of the instruction it reads.
import type { Range, SourceText } from '../source/source-text.js';
import type { RawComment, RawDirective, RawHeredoc, RawInstruction } from './raw.js';
import { readHeredocBodies, scanHeredocMarkers } from './heredoc-scan.js';
import { scanFlags } from './flags.js';
import { headerLines, isBlank, isJsSpace, isNewline, skipBlank, trimEnd } from './text-scan.js';

const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);
const FLAG_KEYWORDS = new Set(['RUN', 'COPY', 'ADD', 'FROM', 'HEALTHCHECK']);
const MAX_TRIGGER_DEPTH = 16;

interface Read {
  instruction: RawInstruction;
  /** The first line after the instruction, heredoc bodies included. */
  nextLine: number;
}

export function lexInstructions(source: SourceText, escapeChar: '\\' | '`'): RawInstruction[] {
  const lexer = new Lexer(source, escapeChar);
  const instructions: RawInstruction[] = [];
  const text = source.text;
  // A line holding only the escape character is an instruction of its own whose range still runs
  // over the lines it continues into; instructions that start on those lines are not reported.
  let coveredEnd = -1;
  let line = 0;
  while (line < source.lineCount) {
    const end = source.lineEnd(line);
    let at = source.lineStart(line);
    if (at === 0 && text.charCodeAt(0) === 0xfeff) at = 1;
    while (at < end && (isBlank(text[at]) || text[at] === '\r')) at++;
    if (at >= end || text[at] === '#') {
      line++;
      continue;
    }
    if (at < coveredEnd && isEscapeOnly(text, at, end, escapeChar)) {
      line++;
      continue;
    }
    const keyword = scanKeyword(text, at, escapeChar);
    const read = lexer.read(keyword.word.toUpperCase(), { start: at, end: keyword.end }, line, null);
    line = read.nextLine;
    if (at < coveredEnd) continue;
    instructions.push(read.instruction);
    coveredEnd = read.instruction.range.end;
  }
  return instructions;
}

function isEscapeOnly(text: string, at: number, lineEnd: number, escapeChar: string): boolean {
  if (text[at] !== escapeChar) return false;
  let i = at + 1;
  while (i < lineEnd && isBlank(text[i])) i++;
  return i === lineEnd;
}

class Lexer {
  private readonly text: string;
  /** Offset of the first `<<` at or after `heredocFrom`, or -1. */
  private heredocAt = -1;
  private heredocFrom = Number.POSITIVE_INFINITY;

  constructor(
    private readonly source: SourceText,
    private readonly escapeChar: '\\' | '`',
  ) {
    this.text = source.text;
  }

  read(keyword: string, keywordRange: Range, line: number, outerEnd: number | null, depth = 0): Read {
    const { source, text, escapeChar } = this;
    const start = keywordRange.start;
    const header = headerLines(source, line, escapeChar);
    const headerEnd = header.end;
    let linesEnd = header.toEndOfFile ? text.length : headerEnd;
    let nextLine = header.toEndOfFile ? source.lineCount : header.lastLine + 1;
    if (outerEnd === null && isEscapeOnly(text, start, source.lineEnd(line), escapeChar)) {
      // The escape character that starts an instruction escapes nothing: its line is complete.
      linesEnd = source.lineEnd(line);
      nextLine = line + 1;
    }

    const flags = FLAG_KEYWORDS.has(keyword) ? scanFlags(text, keywordRange.end, headerEnd, escapeChar) : [];
    const afterFlags = flags[flags.length - 1]?.range.end ?? keywordRange.end;
    let argsStart = skipBlank(text, afterFlags, headerEnd, escapeChar);

    let heredocs: RawHeredoc[] = [];
    if (HEREDOC_KEYWORDS.has(keyword) && argsStart < headerEnd && this.mayHoldHeredoc(argsStart, headerEnd)) {
      const markers = scanHeredocMarkers(text, argsStart, headerEnd);
      if (markers.length > 0) {
        const bodies = readHeredocBodies(source, markers, header.lastLine + 1);
        heredocs = bodies.heredocs;
        nextLine = bodies.nextLine;
      }
    }

    let trigger: RawInstruction | null = null;
    let end = outerEnd ?? linesEnd;
    // BuildKit rejects `ONBUILD ONBUILD`; a bound on the nesting keeps such text from exhausting the stack.
    if (keyword === 'ONBUILD' && depth < MAX_TRIGGER_DEPTH) {
      const word = firstWord(text, keywordRange.end, linesEnd, escapeChar);
      if (word) {
        const inner = this.read(text.slice(word.start, word.end).toUpperCase(), word, source.lineIndexOf(word.start), end, depth + 1);
        trigger = inner.instruction;
        // A trigger's heredoc bodies belong to the ONBUILD instruction too.
        if (HEREDOC_KEYWORDS.has(trigger.keyword) && trigger.heredocs.length > 0) {
          end = trigger.range.end;
          nextLine = inner.nextLine;
        }
      }
    }

    const last = heredocs[heredocs.length - 1];
    if (last) end = last.delimiterRange?.end ?? last.contentRange.end;
    else end = Math.max(end, trimEnd(text, start, headerEnd));
    const argsEnd = trimEnd(text, argsStart, Math.min(headerEnd, end));
    const hasArgs = argsStart < argsEnd;
    if (!hasArgs) argsStart = argsEnd;
    return {
      instruction: {
        keyword,
        range: { start, end },
        keywordRange,
        flags,
        argsRange: hasArgs ? { start: argsStart, end } : null,
        headerArgsRange: hasArgs ? { start: argsStart, end: argsEnd } : null,
        heredocs,
        trigger,
      },
      nextLine,
    };
  }

  /** Whether `<<` occurs in [from, to); a search is reused while `from` only grows, so the file is searched once. */
  private mayHoldHeredoc(from: number, to: number): boolean {
    if (from < this.heredocFrom || (this.heredocAt !== -1 && this.heredocAt < from)) this.heredocAt = this.text.indexOf('<<', from);
    this.heredocFrom = from;
    return this.heredocAt !== -1 && this.heredocAt < to;
  }
}

/**
 * The keyword: the first word of the instruction. An escaped line break inside it joins the next
 * line's word (`RU\` + `N`), as Docker reads it; escaped blank lines are skipped.
 */
function scanKeyword(text: string, start: number, escapeChar: string): { word: string; end: number } {
  let plain = start + 1;
  while (plain < text.length && !isBlank(text[plain]) && !isNewline(text[plain]) && text[plain] !== escapeChar) plain++;
  if (text[plain] !== escapeChar) return { word: text.slice(start, plain), end: plain };

  let word = text[start] as string;
  let end = -1;
  let escaped = false;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === escapeChar) {
      escaped = true;
      const next = text[i + 1];
      if (isNewline(next)) {
        if (end === -1) end = i;
        i++;
      } else if (isBlank(next)) {
        let j = i + 2;
        while (j < text.length && isBlank(text[j])) j++;
        if (j >= text.length) return { word: word + escapeChar, end: i + 1 };
        if (isNewline(text[j])) {
          i = j;
          continue;
        }
        end = i + 1;
        word += escapeChar;
        i = j - 2;
      } else {
        end = i + 1;
        word += escapeChar;
        escaped = false;
      }
    } else if (isBlank(c)) {
      if (escaped) {
        let j = i + 1;
        while (j < text.length && isBlank(text[j])) j++;
        if (j < text.length && isNewline(text[j])) {
          i = j;
          continue;
        }
      }
      return { word, end: end === -1 ? i : end };
    } else if (isNewline(c)) {
      if (!escaped) return { word, end: i };
    } else if (c !== '#' || !escaped) {
      end = i + 1;
      word += c;
      escaped = false;
    }
  }
  return { word, end: end === -1 ? text.length : end };
}

/**
 * The first word of an ONBUILD's arguments, its trigger keyword, in [from, to): escaped line
 * breaks and the comment lines after them are skipped.
 */
function firstWord(text: string, from: number, to: number, escapeChar: string): Range | null {
  let found = -1;
  let escapeMarker = -1;
  let escaping = false;
  let escapedBlank = false;
  let lineStart = false;
  let comment = false;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (isBlank(c) || isNewline(c)) {
      if (escaping) {
        escapedBlank = !isNewline(c);
        if (isNewline(c) && comment) {
          comment = false;
          lineStart = true;
        }
      } else if (found !== -1) return { start: found, end: escapeMarker === -1 ? i : escapeMarker };
    } else if (c === escapeChar) {
      const next = i + 1 < to ? text[i + 1] : '';
      if (isBlank(next)) {
        for (let j = i + 2; j < to; j++) {
          const d = text[j];
          if (isBlank(d)) continue;
          if (isNewline(d)) {
            comment = false;
            escaping = true;
            lineStart = true;
            if (found !== -1) escapeMarker = i;
            i = d === '\r' ? j + 1 : j;
          } else {
            escapeMarker = i;
            if (found === -1) i = j - 1;
          }
          break;
        }
      } else if (isNewline(next)) {
        comment = false;
        escaping = true;
        lineStart = true;
        if (found !== -1 && escapeMarker === -1) escapeMarker = i;
        i += next === '\r' ? 2 : 1;
      } else {
        if (escapedBlank && escapeMarker !== -1) return { start: found, end: escapeMarker };
        escapeMarker = -1;
        escapedBlank = false;
        escaping = false;
        if (next === '') break;
        if (found === -1) found = i;
        i++;
      }
    } else if (!comment) {
      if (lineStart && c === '#') comment = true;
      else {
        if (escapedBlank && escapeMarker !== -1) return { start: found, end: escapeMarker };
        escapedBlank = false;
        escaping = false;
        escapeMarker = -1;
        if (found === -1) found = i;
      }
      lineStart = false;
    }
  }
  return found === -1 ? null : { start: found, end: escapeMarker === -1 ? to : escapeMarker };
}

/**
 * Comment lines (`#` first on the line), except inside the bodies of heredocs and on
 * parser-directive lines.
 */
export function lexComments(source: SourceText, instructions: RawInstruction[], directives: RawDirective[]): RawComment[] {
  const text = source.text;
  const excluded: Range[] = [];
  for (const ins of instructions) for (const h of ins.heredocs) excluded.push({ start: h.contentRange.start, end: h.delimiterRange?.end ?? h.contentRange.end });
  const comments: RawComment[] = [];
  let next = 0;
  let directive = 0;
  for (let line = 0; line < source.lineCount; line++) {
    const end = source.lineEnd(line);
    let at = source.lineStart(line);
    while (at < end && isJsSpace(text.charCodeAt(at))) at++;
    if (at >= end || text[at] !== '#') continue;
    while (next < excluded.length && (excluded[next] as Range).end <= at) next++;
    const body = excluded[next];
    if (body && at >= body.start && at < body.end) continue;
    while (directive < directives.length && (directives[directive] as RawDirective).range.end < at) directive++;
    const d = directives[directive];
    if (d && at >= d.range.start && at <= d.range.end) continue;
    comments.push({ range: { start: at, end }, text: text.slice(at + 1, end).trim() });
  }
  return comments;
}
