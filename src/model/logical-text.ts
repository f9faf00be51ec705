import type { Range } from '../source/source-text.js';

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
      const c = source[i];
      if (c === escapeChar) {
        let j = i + 1;
        while (j < range.end && (source[j] === ' ' || source[j] === '\t')) j++;
        if (source[j] === '\r') j++;
        if (j < range.end && source[j] === '\n') {
          parts.push(source.slice(segFile, i));
          segStarts.push(length);
          segFileStarts.push(segFile);
          length += i - segFile;
          j++;
          // Comment and blank lines inside a continuation are not part of the instruction.
          for (;;) {
            const nl = source.indexOf('\n', j);
            const lineEnd = nl < 0 || nl > range.end ? range.end : nl;
            const line = source.slice(j, lineEnd).trim();
            if ((line === '' || line.startsWith('#')) && lineEnd < range.end) j = lineEnd + 1;
            else break;
          }
          segFile = j;
          i = j;
          continue;
        }
        i++;
        continue;
      }
      i++;
    }
    parts.push(source.slice(segFile, range.end));
    segStarts.push(length);
    segFileStarts.push(segFile);
    return new LogicalText(parts.join(''), segStarts, segFileStarts);
  }

  /** File offset of a logical offset. */
  toFile(offset: number): number {
    let lo = 0;
    let hi = this.segStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.segStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return (this.segFileStarts[lo] as number) + offset - (this.segStarts[lo] as number);
  }

  toFileRange(start: number, end: number): Range {
    // An end offset that falls exactly on a removed continuation belongs to the text before it.
    return { start: this.toFile(start), end: end > start ? this.toFile(end - 1) + 1 : this.toFile(start) };
  }
}
