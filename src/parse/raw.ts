import type { Range } from '../source/source-text.js';

/** What the parser adapter hands to the model: plain data on file offsets, no parser objects. */
export interface RawFlagOption {
  name: string;
  value: string | null;
  range: Range;
}

export interface RawFlag {
  name: string;
  value: string | null;
  range: Range;
  valueRange: Range | null;
  options: RawFlagOption[];
}

export interface RawHeredoc {
  name: string;
  /** The `<<EOF` marker on the instruction line. */
  markerRange: Range;
  /** The body, without the delimiter line; empty range when the body is empty. */
  contentRange: Range;
  /** The closing delimiter line, or null when the heredoc is unterminated. */
  delimiterRange: Range | null;
  stripTabs: boolean;
  quoted: boolean;
}

export interface RawInstruction {
  keyword: string;
  range: Range;
  keywordRange: Range;
  flags: RawFlag[];
  /** From the first argument after the flags to the end of the instruction, heredoc bodies included. */
  argsRange: Range | null;
  /** The arguments on the instruction's own lines, heredoc bodies excluded. */
  headerArgsRange: Range | null;
  heredocs: RawHeredoc[];
  /** For ONBUILD: the trigger instruction. */
  trigger: RawInstruction | null;
}

export interface RawComment {
  range: Range;
  /** The text after `#`, trimmed. */
  text: string;
}

export interface RawDirective {
  name: string;
  value: string;
  range: Range;
}

export interface RawProblem {
  message: string;
  range: Range;
}

export interface RawDockerfile {
  instructions: RawInstruction[];
  comments: RawComment[];
  directives: RawDirective[];
  escapeChar: '\\' | '`';
  problems: RawProblem[];
}
