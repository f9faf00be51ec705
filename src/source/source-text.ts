/** Offsets are UTF-16 code unit indices into `text`; lines and columns are 1-based. */
export interface Range {
  start: number;
  end: number;
}

export interface Position {
  line: number;
  column: number;
}

export interface Location {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** One file's text as linted: BOM removed (and remembered), line endings kept as they are. */
export class SourceText {
  readonly path: string;
  readonly text: string;
  readonly bom: boolean;
  readonly eol: '\n' | '\r\n';
  private readonly lineStarts: number[];

  constructor(path: string, text: string) {
    this.path = path;
    this.bom = text.charCodeAt(0) === 0xfeff;
    this.text = this.bom ? text.slice(1) : text;
    this.eol = /\r\n/.test(this.text.slice(0, 4096)) ? '\r\n' : '\n';
    this.lineStarts = [0];
    for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 0-based line index of an offset. */
  lineIndexOf(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineIndexOf(clamped);
    return { line: line + 1, column: clamped - (this.lineStarts[line] as number) + 1 };
  }

  /** Offset of a 0-based line and character, as LSP-style parsers report them. */
  offsetAt(line: number, character: number): number {
    if (line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[line] as number;
    return Math.min(start + character, this.lineEnd(line));
  }

  lineStart(line0: number): number {
    return this.lineStarts[Math.min(line0, this.lineStarts.length - 1)] as number;
  }

  /** Offset of the end of a 0-based line, before its line break. */
  lineEnd(line0: number): number {
    const next = this.lineStarts[line0 + 1];
    if (next === undefined) return this.text.length;
    let end = next - 1;
    if (end > 0 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line0: number): string {
    return this.text.slice(this.lineStart(line0), this.lineEnd(line0));
  }

  location(range: Range): Location {
    const s = this.positionAt(range.start);
    const e = this.positionAt(range.end);
    return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  }

  slice(range: Range): string {
    return this.text.slice(range.start, range.end);
  }
}
