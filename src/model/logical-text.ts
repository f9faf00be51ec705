import type { Range } from '../source/source-text.js';
import { isSkippableLine } from '../parse/text-scan.js';

/**
 * An instruction's argument text as Docker hands it on: escape-newline continuations removed, and
 * the comment and blank lines inside them dropped. Offsets map back to the file.
 */
export class LogicalText {
  readonly text: string;
  private readonly segStarts: number[];
  private readonly segFileStarts: number[];

  constructor(text: string, segStarts: number[], segFileStarts: number[]) {
    this.text = text;
    this.segStarts = segStarts;
    this.segFileStarts = segFileStarts;
  }

  static build(source: string, range: Range, escapeChar: string): LogicalText {
    const parts: string[] = [];
    const segStarts: number[] = [];
    const segFileStarts: number[] = [];
    let length = 0;
    let segFile = range.start;
    let i = range.start;
    while (i < range.end) {
      // Only an escape character can start a continuation: go from one to the next.
      i = source.indexOf(escapeChar, i);
      if (i < 0 || i >= range.end) break;
      let j = i + 1;
      while (j < range.end && (source[j] === ' ' || source[j] === '\t')) j++;
      if (source[j] === '\r') j++;
      if (!(j < range.end && source[j] === '\n')) {
        i++;
        continue;
      }
      parts.push(source.slice(segFile, i));
      segStarts.push(length);
      segFileStarts.push(segFile);
      length += i - segFile;
      j++;
      // Comment and blank lines inside a continuation are not part of the instruction.
      for (;;) {
        const nl = source.indexOf('\n', j);
        const lineEnd = nl < 0 || nl > range.end ? range.end : nl;
        if (lineEnd < range.end && isSkippableLine(source, j, lineEnd)) j = lineEnd + 1;
        else break;
      }
      segFile = j;
      i = j;
    }
    const last = source.slice(segFile, range.end);
    segStarts.push(length);
    segFileStarts.push(segFile);
    // Most instructions fit on one line: their text is that line's, with nothing to join.
    if (parts.length === 0) return new LogicalText(last, segStarts, segFileStarts);
    parts.push(last);
    return new LogicalText(parts.join(''), segStarts, segFileStarts);
  }

  /** The segment the last offset fell in: the shell reader asks for offsets in order, mostly in one segment. */
  private lastSegment = 0;

  /** File offset of a logical offset. */
  toFile(offset: number): number {
    const k = this.lastSegment;
    const next = this.segStarts[k + 1];
    if ((this.segStarts[k] as number) <= offset && (next === undefined || offset < next)) {
      return (this.segFileStarts[k] as number) + offset - (this.segStarts[k] as number);
    }
    let lo = 0;
    let hi = this.segStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.segStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.lastSegment = lo;
    return (this.segFileStarts[lo] as number) + offset - (this.segStarts[lo] as number);
  }

  toFileRange(start: number, end: number): Range {
    // An end offset that falls exactly on a removed continuation belongs to the text before it.
    return { start: this.toFile(start), end: end > start ? this.toFile(end - 1) + 1 : this.toFile(start) };
  }
}
