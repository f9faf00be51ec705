// @babel/code-frame ships no types; this declares the one function the stylish formatter uses.
declare module '@babel/code-frame' {
  export interface SourceLocation {
    start: { line: number; column?: number };
    end?: { line: number; column?: number };
  }
  export interface CodeFrameOptions {
    highlightCode?: boolean;
    linesAbove?: number;
    linesBelow?: number;
    forceColor?: boolean;
    message?: string;
    /** The line number of the first line of `rawLines`. */
    startLine?: number;
  }
  export function codeFrameColumns(rawLines: string, location: SourceLocation, options?: CodeFrameOptions): string;
}
