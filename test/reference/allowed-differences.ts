// The differences between src/parse and the dockerfile-ast based reference that the differential
// test accepts, each one a defect of the reference. A difference is accepted only when one of these
// predicates names it; test/parser-differential.test.ts shows each on a literal case.
import { isDeepStrictEqual } from 'node:util';
import { DockerfileParser } from 'dockerfile-ast';
import type { RawDockerfile, RawInstruction } from '../../src/parse/raw.js';
import type { SourceText } from '../../src/source/source-text.js';
import { headerEndOf } from './dockerfile-ast-adapter.js';

export type AllowedDifference =
  /** dockerfile-ast breaks lines at a lone `\r`, SourceText (like BuildKit) only at `\n`: every reference offset after it is wrong. */
  | 'lone-carriage-return'
  /** dockerfile-ast splits with an escape directive the reference itself ignores (an indented `# escape=`). */
  | 'escape-directive-ignored'
  /**
   * dockerfile-ast runs an instruction over the lines after it: it reads a heredoc the scan does not
   * see (a quoted, escaped or glued `<<`), or an escaped blank keeps its continuation going (`\ x`
   * on the next line). The reference stretches the instruction over those lines yet reports no heredoc.
   */
  | 'instruction-overrun'
  /**
   * dockerfile-ast drops the character after an escaped blank, so a line ending in `\ \` does not
   * continue for it, while BuildKit continues it: the reference's range stops short (trimmed, or before
   * the blank lines that end the file).
   */
  | 'escape-after-escaped-blank'
  /** dockerfile-ast misses the heredoc of an ONBUILD trigger that the scan sees: the reference's ONBUILD ends before its own trigger, whose body lines are read again as instructions. */
  | 'onbuild-shorter-than-trigger'
  /** dockerfile-ast skips lines (a heredoc it closes later than the scan, two directives on one line): the reference leaves an instruction line out of every instruction. */
  | 'lines-dropped';

/** Names the reference defect that explains why `ours` and `reference` differ, or null when none does. */
export function explainDifference(source: SourceText, ours: RawDockerfile, reference: RawDockerfile): AllowedDifference | null {
  const text = source.text;
  if (/\r(?!\n)/.test(text)) return 'lone-carriage-return';
  if (DockerfileParser.parse(text).getEscapeCharacter() !== reference.escapeChar) return 'escape-directive-ignored';
  if (!isDeepStrictEqual([ours.directives, ours.escapeChar, ours.problems], [reference.directives, reference.escapeChar, reference.problems])) return null;

  // Everything before the first differing instruction must agree, comments included.
  const k = firstDifference(ours.instructions, reference.instructions);
  if (k < 0) return null;
  const mine = ours.instructions[k];
  const theirs = reference.instructions[k];
  const from = Math.min(mine?.range.start ?? text.length, theirs?.range.start ?? text.length);
  const before = (r: RawDockerfile) => r.comments.filter((c) => c.range.start < from);
  if (!isDeepStrictEqual(before(ours), before(reference))) return null;

  if (mine && theirs && mine.range.start === theirs.range.start) {
    if (runsPastItsLines(source, theirs, reference.escapeChar) || (theirs.trigger && runsPastItsLines(source, theirs.trigger, reference.escapeChar))) return 'instruction-overrun';
    if (theirs.trigger && theirs.range.end < theirs.trigger.range.end) return 'onbuild-shorter-than-trigger';
    if (theirs.range.end < mine.range.end && hasEscapeAfterEscapedBlank(source, theirs, reference.escapeChar)) return 'escape-after-escaped-blank';
  }
  const previousEnd = k > 0 ? (reference.instructions[k - 1] as RawInstruction).range.end : 0;
  const gap = text.slice(previousEnd, theirs?.range.start ?? text.length).split('\n');
  if ((k > 0 ? gap.slice(1) : gap).some(isInstructionLine)) return 'lines-dropped';
  return null;
}

function firstDifference(a: RawInstruction[], b: RawInstruction[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (!isDeepStrictEqual(a[i], b[i])) return i;
  return -1;
}

/** An instruction without heredocs whose range covers an instruction line after its own lines. */
function runsPastItsLines(source: SourceText, ins: RawInstruction, escapeChar: string): boolean {
  if (ins.heredocs.length > 0) return false;
  const end = headerEndOf(source, ins.range.start, escapeChar);
  return ins.range.end > end && source.text.slice(end, ins.range.end).split('\n').slice(1).some(isInstructionLine);
}

function hasEscapeAfterEscapedBlank(source: SourceText, ins: RawInstruction, escapeChar: string): boolean {
  const e = escapeChar === '`' ? '`' : '\\\\';
  const pattern = new RegExp(`${e}[ \\t]+${e}[ \\t]*$`);
  return source.text.slice(ins.range.start, headerEndOf(source, ins.range.start, escapeChar)).split(/\r?\n/).some((line) => pattern.test(line));
}

function isInstructionLine(line: string): boolean {
  const t = line.trim();
  return t !== '' && !t.startsWith('#');
}
