// The reference reader for test/parser-differential.test.ts: the same RawDockerfile as
// src/parse/dockerfile-adapter.ts, built on dockerfile-ast. Everything it returns is plain data on
// offsets, and the known defects of the library it corrects are:
// - `<< 'EOF'` (space after `<<`) is not seen as a heredoc: heredocs are scanned here instead;
// - JSON-form strings lose inner spaces: the model parses the bracket text with JSON.parse;
// - `getFromFlag()` is null when COPY has several flags: flags are read from the text here;
// - `getHeredocs()` can throw on `RUN \` + comment line: not used;
// - `resolveVariable` can recurse forever: not used, the model resolves ARG/ENV itself;
// - indented comments leak into `getArgumentsContent()`: argument text is cut from the source here.
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import type { Range, SourceText } from '../../src/source/source-text.js';
import type { RawDockerfile, RawFlag, RawHeredoc, RawInstruction, RawComment, RawProblem } from '../../src/parse/raw.js';
import { scanHeredocMarkers, findHeredocBodies } from '../../src/parse/heredoc-scan.js';

interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);
const FLAG_KEYWORDS = new Set(['RUN', 'COPY', 'ADD', 'FROM', 'HEALTHCHECK']);

export function parseDockerfile(source: SourceText): RawDockerfile {
  try {
    return parseUnsafe(source);
  } catch (error) {
    // The library failed on this input: report it as the file's problem instead of crashing the run.
    const message = error instanceof Error ? error.message : String(error);
    return { instructions: [], comments: [], directives: [], escapeChar: '\\', problems: [{ message: `could not parse: ${message}`, range: { start: 0, end: 0 } }] };
  }
}

function parseUnsafe(source: SourceText): RawDockerfile {
  const problems: RawProblem[] = [];
  const toRange = (r: LspRange): Range => ({
    start: source.offsetAt(r.start.line, r.start.character),
    end: source.offsetAt(r.end.line, r.end.character),
  });

  const doc = DockerfileParser.parse(source.text);
  // A parser directive's key is one word (syntax, escape, check); `# hadolint global ignore=...` is a comment.
  const escapeDirective = safe(() => doc.getDirectives(), [])
    .map((d) => ({ name: d.getName().toLowerCase(), value: d.getValue(), range: toRange(d.getRange()) }))
    .filter((d) => /^#\s*[A-Za-z][A-Za-z0-9]*\s*=/.test(source.text.slice(source.lineStart(source.lineIndexOf(d.range.start)), d.range.end)));
  let escapeChar: '\\' | '`' = '\\';
  for (const d of escapeDirective) {
    if (d.name !== 'escape') continue;
    if (d.value === '`') escapeChar = '`';
    else if (d.value !== '\\') {
      problems.push({ message: `invalid escape directive "${d.value}": it must be \\ or \``, range: d.range });
    }
  }

  const rawInstructions = safe(() => doc.getInstructions(), []);
  const instructions: RawInstruction[] = [];
  // Lines swallowed by a heredoc the library missed: instructions starting there are dropped.
  const covered: Range[] = [];
  for (const ins of rawInstructions) {
    const range = toRange(ins.getRange());
    if (covered.some((c) => range.start >= c.start && range.start < c.end)) continue;
    const converted = convertInstruction(ins, source, escapeChar, toRange);
    instructions.push(converted);
    if (converted.range.end > range.end) covered.push({ start: range.end, end: converted.range.end });
  }

  const comments = scanComments(source, instructions, escapeDirective.map((d) => d.range));
  return { instructions, comments, directives: escapeDirective, escapeChar, problems };
}

function convertInstruction(
  ins: Instruction,
  source: SourceText,
  escapeChar: string,
  toRange: (r: LspRange) => Range,
): RawInstruction {
  const keyword = ins.getKeyword().toUpperCase();
  let range = toRange(ins.getRange());
  const keywordRange = toRange(ins.getInstructionRange());
  const flags: RawFlag[] = FLAG_KEYWORDS.has(keyword) ? scanFlags(source.text, keywordRange.end, headerEndOf(source, keywordRange.start, escapeChar), escapeChar) : [];

  const afterFlags = flags.length > 0 ? Math.max(...flags.map((f) => f.range.end)) : keywordRange.end;
  const headerEnd = headerEndOf(source, keywordRange.start, escapeChar);
  let heredocs: RawHeredoc[] = [];
  let headerArgsStart = skipBlank(source.text, afterFlags, headerEnd, escapeChar);
  if (HEREDOC_KEYWORDS.has(keyword) && headerArgsStart < headerEnd) {
    const markers = scanHeredocMarkers(source.text, headerArgsStart, headerEnd);
    if (markers.length > 0) {
      heredocs = findHeredocBodies(source, markers, headerEnd);
      const last = heredocs[heredocs.length - 1];
      if (last) range = { start: range.start, end: last.delimiterRange?.end ?? last.contentRange.end };
    }
  }
  if (heredocs.length === 0) range = { start: range.start, end: Math.max(range.end, trimEnd(source.text, range.start, headerEnd)) };
  const headerArgsEnd = trimEnd(source.text, headerArgsStart, Math.min(headerEnd, range.end));
  const hasArgs = headerArgsStart < headerArgsEnd;
  if (!hasArgs) headerArgsStart = headerArgsEnd;

  let trigger: RawInstruction | null = null;
  if (keyword === 'ONBUILD' && 'getTriggerInstruction' in ins) {
    const inner = safe(() => (ins as unknown as { getTriggerInstruction(): Instruction | null }).getTriggerInstruction(), null);
    if (inner) trigger = convertInstruction(inner, source, escapeChar, toRange);
  }

  return {
    keyword,
    range,
    keywordRange,
    flags,
    argsRange: hasArgs ? { start: headerArgsStart, end: range.end } : null,
    headerArgsRange: hasArgs ? { start: headerArgsStart, end: headerArgsEnd } : null,
    heredocs,
    trigger,
  };
}

/**
 * The `--name[=value]` flags after the keyword, read from the text (the library's own flag reading
 * re-tokenizes the instruction for every call). `--mount` style values are split into options.
 */
export function scanFlags(text: string, from: number, end: number, escapeChar: string): RawFlag[] {
  const flags: RawFlag[] = [];
  let i = skipBlank(text, from, end, escapeChar);
  while (i < end && text.startsWith('--', i)) {
    const start = i;
    let quote: string | null = null;
    while (i < end) {
      const c = text[i] as string;
      if (quote) {
        if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || (c === escapeChar && /^[ \t]*\r?\n/.test(text.slice(i + 1, i + 80)))) break;
      i++;
    }
    const token = text.slice(start + 2, i);
    const eq = token.indexOf('=');
    const name = eq < 0 ? token : token.slice(0, eq);
    const rawValue = eq < 0 ? null : token.slice(eq + 1);
    const valueStart = start + 2 + eq + 1;
    const value = rawValue === null ? null : unquoteFlag(rawValue);
    const options = rawValue === null ? [] : splitOptions(rawValue, valueStart);
    flags.push({ name, value, range: { start, end: i }, valueRange: rawValue === null ? null : { start: valueStart, end: i }, options: options.length > 1 || (options[0] && options[0].value !== null) ? options : [] });
    i = skipBlank(text, i, end, escapeChar);
  }
  return flags;
}

function unquoteFlag(value: string): string {
  return value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0] ? value.slice(1, -1) : value;
}

function splitOptions(value: string, at: number): { name: string; value: string | null; range: Range }[] {
  const out: { name: string; value: string | null; range: Range }[] = [];
  let pos = 0;
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    out.push({ name: eq < 0 ? part : part.slice(0, eq), value: eq < 0 ? null : unquoteFlag(part.slice(eq + 1)), range: { start: at + pos, end: at + pos + part.length } });
    pos += part.length + 1;
  }
  return out;
}

/**
 * End offset of an instruction's own lines: follows escape-newline continuations, skipping the
 * comment and blank lines Docker drops inside them.
 */
export function headerEndOf(source: SourceText, start: number, escapeChar: string): number {
  let line = source.lineIndexOf(start);
  for (;;) {
    const end = source.lineEnd(line);
    if (!endsWithContinuation(source.text, source.lineStart(line), end, escapeChar)) return end;
    let next = line + 1;
    while (next < source.lineCount && isSkippableInContinuation(source.lineText(next))) next++;
    if (next >= source.lineCount) return end;
    line = next;
  }
}

function endsWithContinuation(text: string, lineStart: number, lineEnd: number, escapeChar: string): boolean {
  let i = lineEnd - 1;
  while (i >= lineStart && (text[i] === ' ' || text[i] === '\t')) i--;
  // As in BuildKit, a line ending in the escape character continues, even after another one.
  return i >= lineStart && text[i] === escapeChar;
}

function isSkippableInContinuation(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('#');
}

function skipBlank(text: string, from: number, limit: number, escapeChar: string): number {
  let i = from;
  while (i < limit) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') i++;
    else if (c === escapeChar && /^[ \t]*\r?\n/.test(text.slice(i + 1, i + 80))) i++;
    else if (c === '#' && (i === 0 || text[i - 1] === '\n' || /^[ \t]*$/.test(text.slice(text.lastIndexOf('\n', i - 1) + 1, i)))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? limit : nl + 1;
    } else break;
  }
  return Math.min(i, limit);
}

function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(text[e - 1] as string)) e--;
  return e;
}

function scanComments(source: SourceText, instructions: RawInstruction[], directiveRanges: Range[]): RawComment[] {
  const bodies: Range[] = [];
  for (const ins of instructions) for (const h of ins.heredocs) bodies.push({ start: h.contentRange.start, end: h.delimiterRange?.end ?? h.contentRange.end });
  const comments: RawComment[] = [];
  for (let line = 0; line < source.lineCount; line++) {
    const start = source.lineStart(line);
    const text = source.lineText(line);
    const trimmed = text.trimStart();
    if (!trimmed.startsWith('#')) continue;
    const at = start + (text.length - trimmed.length);
    if (bodies.some((b) => at >= b.start && at < b.end)) continue;
    if (directiveRanges.some((d) => at >= d.start && at <= d.end)) continue;
    comments.push({ range: { start: at, end: source.lineEnd(line) }, text: trimmed.slice(1).trim() });
  }
  return comments;
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
