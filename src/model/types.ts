import type { Range, SourceText } from '../source/source-text.js';

/** A word of a shell command: `value` is what the shell would pass (quotes removed), `raw` the source. */
export interface ShellWord {
  value: string;
  raw: string;
  range: Range;
  /** True when the word holds an expansion ($VAR, $(...), globs are not counted). */
  dynamic: boolean;
}

export interface ShellCommand {
  /** The command name as written (`apt-get`, `/usr/bin/pip3`, `set`). */
  name: string;
  /** Basename of the name, lower-cased: what rules compare against. */
  program: string;
  nameWord: ShellWord;
  args: ShellWord[];
  range: Range;
  /** Nested inside `$(...)` or backticks. */
  inSubstitution: boolean;
  /** Index in `ShellScript.commands`. */
  index: number;
}

export interface ShellScript {
  /** False when the stage's SHELL is not a POSIX shell (PowerShell, cmd): no commands are read. */
  analyzable: boolean;
  /** Every simple command, in source order, including those in pipelines, lists, loops and heredoc scripts. */
  commands: ShellCommand[];
  /** The shell's syntax errors, if any (the commands read around them are still listed). */
  hasErrors: boolean;
}

export interface FlagOption {
  name: string;
  value: string | null;
}

export interface InstructionFlag {
  name: string;
  value: string | null;
  range: Range;
  options: FlagOption[];
}

export interface Heredoc {
  name: string;
  markerRange: Range;
  contentRange: Range;
  content: string;
  terminated: boolean;
  stripTabs: boolean;
}

export interface Mount {
  type: string;
  target: string | null;
  from: string | null;
  options: FlagOption[];
  range: Range;
}

export type Keyword =
  | 'FROM' | 'RUN' | 'COPY' | 'ADD' | 'ARG' | 'ENV' | 'SHELL' | 'ONBUILD' | 'CMD' | 'ENTRYPOINT'
  | 'LABEL' | 'EXPOSE' | 'VOLUME' | 'USER' | 'WORKDIR' | 'HEALTHCHECK' | 'STOPSIGNAL' | 'MAINTAINER';

export const KEYWORDS: readonly Keyword[] = [
  'FROM', 'RUN', 'COPY', 'ADD', 'ARG', 'ENV', 'SHELL', 'ONBUILD', 'CMD', 'ENTRYPOINT',
  'LABEL', 'EXPOSE', 'VOLUME', 'USER', 'WORKDIR', 'HEALTHCHECK', 'STOPSIGNAL', 'MAINTAINER',
];

interface InstructionBase {
  range: Range;
  keywordRange: Range;
  /** Arguments after the flags, heredoc bodies included; null when there are none. */
  argsRange: Range | null;
  /** Argument text on the instruction's own lines, continuations joined, comment lines dropped. */
  argsText: string;
  flags: InstructionFlag[];
  /** The stage the instruction belongs to; null for ARGs before the first FROM. */
  stage: Stage | null;
  /** Set on an ONBUILD trigger: the ONBUILD instruction that holds it. */
  onbuild: OnbuildInstruction | null;
  /** Position among the file's instructions (triggers share their ONBUILD's index). */
  index: number;
  /** WORKDIR in effect when the instruction runs (null: not set in this file, or not knowable). */
  workdir: string | null;
  /** USER in effect when the instruction runs (null: not set in this file). */
  user: string | null;
}

export interface FromInstruction extends InstructionBase {
  keyword: 'FROM';
  /** The image reference as written, and with ARG defaults substituted. */
  image: string;
  resolvedImage: string;
  imageRange: Range | null;
  /** Parsed from `resolvedImage`. */
  ref: ImageRef;
  alias: string | null;
  platform: string | null;
}

export interface ImageRef {
  registry: string | null;
  /** Repository path without registry, e.g. `library/debian` is given as `debian`. */
  name: string;
  tag: string | null;
  digest: string | null;
  /** The empty image `scratch`. */
  scratch: boolean;
  /** The reference still holds a variable that no ARG default resolves. */
  unresolved: boolean;
}

export interface RunInstruction extends InstructionBase {
  keyword: 'RUN';
  form: 'shell' | 'exec';
  /** Exec form: the JSON array. */
  execArgs: string[] | null;
  script: ShellScript;
  heredocs: Heredoc[];
  mounts: Mount[];
  network: string | null;
  /** ENV and ARG values in effect for this RUN (ENV inherited through `FROM <stage>`). */
  env: ReadonlyMap<string, string>;
}

export interface CopyInstruction extends InstructionBase {
  keyword: 'COPY' | 'ADD';
  form: 'shell' | 'exec';
  sources: string[];
  destination: string | null;
  /** `--from` stage or image, if any. */
  from: string | null;
  heredocs: Heredoc[];
}

export interface ArgInstruction extends InstructionBase {
  keyword: 'ARG';
  args: { name: string; value: string | null }[];
}

export interface EnvInstruction extends InstructionBase {
  keyword: 'ENV';
  vars: { name: string; value: string }[];
}

export interface ShellInstruction extends InstructionBase {
  keyword: 'SHELL';
  shell: string[] | null;
}

export interface OnbuildInstruction extends InstructionBase {
  keyword: 'ONBUILD';
  trigger: Instruction | null;
}

export interface GenericInstruction extends InstructionBase {
  keyword: Exclude<Keyword, 'FROM' | 'RUN' | 'COPY' | 'ADD' | 'ARG' | 'ENV' | 'SHELL' | 'ONBUILD'>;
  form: 'shell' | 'exec';
  execArgs: string[] | null;
}

export interface UnknownInstruction extends InstructionBase {
  keyword: 'UNKNOWN';
  word: string;
}

export type Instruction =
  | FromInstruction
  | RunInstruction
  | CopyInstruction
  | ArgInstruction
  | EnvInstruction
  | ShellInstruction
  | OnbuildInstruction
  | GenericInstruction
  | UnknownInstruction;

/** Visitor keys: each keyword with the instruction type it yields. */
export interface InstructionMap {
  FROM: FromInstruction;
  RUN: RunInstruction;
  COPY: CopyInstruction;
  ADD: CopyInstruction;
  ARG: ArgInstruction;
  ENV: EnvInstruction;
  SHELL: ShellInstruction;
  ONBUILD: OnbuildInstruction;
  CMD: GenericInstruction;
  ENTRYPOINT: GenericInstruction;
  LABEL: GenericInstruction;
  EXPOSE: GenericInstruction;
  VOLUME: GenericInstruction;
  USER: GenericInstruction;
  WORKDIR: GenericInstruction;
  HEALTHCHECK: GenericInstruction;
  STOPSIGNAL: GenericInstruction;
  MAINTAINER: GenericInstruction;
  UNKNOWN: UnknownInstruction;
}

export interface Stage {
  index: number;
  name: string | null;
  from: FromInstruction;
  /** Instructions after FROM, in order (ONBUILD triggers are not expanded here). */
  instructions: Instruction[];
  /** The earlier stage this one is built on (`FROM builder`), if any. */
  parent: Stage | null;
  /** The last stage of the file. */
  isFinal: boolean;
  /** The final stage, or a stage the final one builds on or copies from (directly or not). */
  reachesFinal: boolean;
  /** ENV values in effect at the end of the stage, inherited through `FROM <stage>`. */
  env: Map<string, string>;
  /** The shell of the stage's RUN shell form (after SHELL). */
  shell: string[];
  /** WORKDIR and USER at the end of the stage (inherited through `FROM <stage>`). */
  workdir: string | null;
  user: string | null;
}

export interface Comment {
  range: Range;
  text: string;
}

export interface ParseProblem {
  message: string;
  range: Range;
}

export interface DockerfileModel {
  source: SourceText;
  escapeChar: '\\' | '`';
  /** ARG instructions before the first FROM. */
  globalArgs: ArgInstruction[];
  stages: Stage[];
  /** Every instruction in file order (ONBUILD triggers are reachable through their ONBUILD). */
  instructions: Instruction[];
  comments: Comment[];
  directives: { name: string; value: string; range: Range }[];
  problems: ParseProblem[];
}
