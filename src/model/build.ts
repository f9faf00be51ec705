import type { Range, SourceText } from '../source/source-text.js';
import { parseDockerfile } from '../parse/dockerfile-adapter.js';
import type { RawHeredoc, RawInstruction } from '../parse/raw.js';
import { Command, programOf } from './command-memo.js';
import { LogicalText } from './logical-text.js';
import { extractCommands } from './shell-commands.js';
import { parseImageRef, substituteVariables } from './image-ref.js';
import { splitWords, parseKeyValues, parseJsonArray } from './words.js';
import {
  KEYWORDS,
  type ArgInstruction,
  type CopyInstruction,
  type DockerfileModel,
  type FromInstruction,
  type Heredoc,
  type Instruction,
  type InstructionFlag,
  type Keyword,
  type Mount,
  type OnbuildInstruction,
  type ParseProblem,
  type RunInstruction,
  type ShellCommand,
  type ShellScript,
  type Stage,
} from './types.js';

const KNOWN = new Set<string>(KEYWORDS);
const DEFAULT_SHELL = ['/bin/sh', '-c'];
const POSIX_SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'busybox']);
const NON_POSIX_SHELL = /^(powershell|pwsh|cmd)(\.exe)?$/i;

interface Scope {
  stage: Stage | null;
  workdir: string | null;
  user: string | null;
  globals: Map<string, string>;
  vars: Map<string, string>;
  env: Map<string, string>;
  shell: string[];
  /** `vars` then `env` in one map, as a RUN sees them: made once until either changes, and shared. */
  merged: ReadonlyMap<string, string> | null;
}

/** The ARG and ENV values in effect; the same map object until an ARG, ENV or FROM changes them. */
function mergedVars(scope: Scope): ReadonlyMap<string, string> {
  return (scope.merged ??= new Map([...scope.vars, ...scope.env]));
}

/** Builds the model of one Dockerfile. Never throws on any input text. */
export function buildModel(source: SourceText): DockerfileModel {
  const raw = parseDockerfile(source);
  const problems: ParseProblem[] = [...raw.problems];
  const model: DockerfileModel = {
    source,
    escapeChar: raw.escapeChar,
    globalArgs: [],
    stages: [],
    instructions: [],
    comments: raw.comments,
    directives: raw.directives,
    problems,
  };
  const globalVars = new Map<string, string>();
  const scope: Scope = { stage: null, workdir: null, user: null, globals: globalVars, vars: globalVars, env: new Map(), shell: DEFAULT_SHELL, merged: null };

  raw.instructions.forEach((r, index) => {
    if (!KNOWN.has(r.keyword)) {
      problems.push({ message: `unknown instruction "${source.slice(r.keywordRange)}"`, range: r.keywordRange });
    }
    for (const h of r.heredocs) {
      if (!h.delimiterRange) problems.push({ message: `unterminated heredoc <<${h.name}: no line "${h.name}" closes it`, range: h.markerRange });
    }
    if (r.keyword === 'FROM') {
      const from = buildFrom(r, source, raw.escapeChar, index, globalVars);
      const parent = model.stages.find((s) => s.name !== null && s.name === from.resolvedImage.toLowerCase()) ?? null;
      const stage: Stage = {
        index: model.stages.length,
        name: from.alias,
        from,
        instructions: [],
        parent,
        isFinal: false,
        reachesFinal: false,
        env: new Map(parent?.env ?? []),
        shell: parent?.shell ?? DEFAULT_SHELL,
        workdir: parent?.workdir ?? null,
        user: parent?.user ?? null,
      };
      from.stage = stage;
      model.stages.push(stage);
      model.instructions.push(from);
      scope.stage = stage;
      scope.env = stage.env;
      scope.vars = new Map();
      scope.shell = stage.shell;
      scope.workdir = stage.workdir;
      scope.user = stage.user;
      scope.merged = null;
      return;
    }
    const ins = buildInstruction(r, source, raw.escapeChar, index, scope, null);
    model.instructions.push(ins);
    if (scope.stage) scope.stage.instructions.push(ins);
    else if (ins.keyword === 'ARG') model.globalArgs.push(ins);
    else if (KNOWN.has(r.keyword)) {
      problems.push({ message: `${r.keyword} before the first FROM: only ARG may come before FROM`, range: r.keywordRange });
    }
  });

  if (raw.instructions.length === 0) {
    problems.push({ message: source.text.trim() === '' ? 'empty file: no instructions' : 'no instructions found', range: { start: 0, end: 0 } });
  } else if (model.stages.length === 0) {
    problems.push({ message: 'no FROM instruction', range: { start: 0, end: 0 } });
  }
  markReachable(model);
  return model;
}

// Each kind of instruction is written out as one object literal, common fields first. Spreading a
// common object and adding fields after it (`{ ...base, keyword }`) gives every object a hidden class
// of its own in V8: every instruction then has its own shape, and each rule's read of one is slow.
function buildInstruction(r: RawInstruction, source: SourceText, esc: '\\' | '`', index: number, scope: Scope, onbuild: OnbuildInstruction | null): Instruction {
  const { range, keywordRange, argsRange } = r;
  const logical = r.headerArgsRange ? LogicalText.build(source.text, r.headerArgsRange, esc) : null;
  const argsText = logical?.text ?? '';
  const flags = r.flags.length === 0 ? [] : r.flags.map(toFlag);
  const stage = scope.stage;
  const workdir = scope.workdir;
  const user = scope.user;
  if (!onbuild && stage && (r.keyword === 'WORKDIR' || r.keyword === 'USER')) {
    // Later instructions run there / as that user; a trigger changes nothing until a child builds.
    const arg = substituteVariables(argsText.trim(), mergedVars(scope));
    if (r.keyword === 'WORKDIR') scope.workdir = stage.workdir = resolveWorkdir(scope.workdir, arg);
    else scope.user = stage.user = arg === '' ? null : arg;
  }
  switch (r.keyword) {
    case 'RUN': {
      const own = buildRun(r, argsRange, logical, flags, source, scope);
      const run: RunInstruction = {
        range, keywordRange, argsRange, argsText, flags, stage, onbuild, index, workdir, user,
        keyword: 'RUN', form: own.form, execArgs: own.execArgs, script: own.script, heredocs: own.heredocs, mounts: own.mounts, network: own.network, env: own.env,
      };
      return run;
    }
    case 'COPY':
    case 'ADD': {
      const exec = parseJsonArray(argsText);
      const heredocs = r.heredocs.map((h) => toHeredoc(h, source));
      const words = exec ?? splitWords(argsText);
      const copy: CopyInstruction = {
        range, keywordRange, argsRange, argsText, flags, stage, onbuild, index, workdir, user,
        keyword: r.keyword,
        form: exec ? 'exec' : 'shell',
        sources: words.slice(0, -1),
        destination: words.length > 1 ? (words[words.length - 1] as string) : null,
        from: flags.find((f) => f.name === 'from')?.value ?? null,
        heredocs,
      };
      return copy;
    }
    case 'ARG': {
      const args = parseKeyValues(argsText, true).map((kv) => ({ name: kv.name, value: kv.value }));
      for (const a of args) {
        const value = a.value !== null ? substituteVariables(a.value, scope.vars) : scope.stage === null ? null : (inheritedGlobal(scope, a.name) ?? null);
        if (value !== null) {
          scope.vars.set(a.name, value);
          scope.merged = null;
        }
      }
      const arg: ArgInstruction = { range, keywordRange, argsRange, argsText, flags, stage, onbuild, index, workdir, user, keyword: 'ARG', args };
      return arg;
    }
    case 'ENV': {
      const vars = parseKeyValues(argsText, false).map((kv) => ({ name: kv.name, value: substituteVariables(kv.value ?? '', mergedVars(scope)) }));
      if (!onbuild) {
        for (const v of vars) scope.env.set(v.name, v.value);
        scope.merged = null;
      }
      return { range, keywordRange, argsRange, argsText, flags, stage, onbuild, index, workdir, user, keyword: 'ENV', vars };
    }
    case 'SHELL': {
      const shell = parseJsonArray(argsText);
      if (shell && shell.length > 0 && !onbuild) {
        scope.shell = shell;
        if (scope.stage) scope.stage.shell = shell;
      }
      return { range, keywordRange, argsRange, argsText, flags, stage, onbuild, index, workdir, user, keyword: 'SHELL', shell };
    }
    case 'ONBUILD': {
      const ob: OnbuildInstruction = { range, keywordRange, argsRange, argsText, flags, stage, onbuild, index, workdir, user, keyword: 'ONBUILD', trigger: null };
      if (r.trigger) {
        ob.trigger = buildInstruction(r.trigger, source, esc, index, { ...scope, env: new Map(scope.env) }, ob);
        // A trigger's ARG still sets the shared ARG values.
        scope.merged = null;
      }
      return ob;
    }
    default: {
      if (!KNOWN.has(r.keyword)) return { range, keywordRange, argsRange, argsText, flags, stage, onbuild, index, workdir, user, keyword: 'UNKNOWN', word: source.slice(r.keywordRange) };
      const exec = parseJsonArray(argsText);
      const keyword = r.keyword as Exclude<Keyword, 'FROM' | 'RUN' | 'COPY' | 'ADD' | 'ARG' | 'ENV' | 'SHELL' | 'ONBUILD'>;
      return { range, keywordRange, argsRange, argsText, flags, stage, onbuild, index, workdir, user, keyword, form: exec ? 'exec' : 'shell', execArgs: exec };
    }
  }
}

/** `ARG NAME` inside a stage re-imports the global default of the same name. */
function inheritedGlobal(scope: Scope, name: string): string | undefined {
  return scope.globals.get(name);
}

function buildFrom(r: RawInstruction, source: SourceText, esc: '\\' | '`', index: number, globalVars: Map<string, string>): FromInstruction {
  const argsText = r.headerArgsRange ? LogicalText.build(source.text, r.headerArgsRange, esc).text : '';
  const words = splitWords(argsText);
  const image = words[0] ?? '';
  const asIndex = words.findIndex((w, i) => i > 0 && w.toLowerCase() === 'as');
  const alias = asIndex > 0 ? (words[asIndex + 1]?.toLowerCase() ?? null) : null;
  const resolvedImage = substituteVariables(image, globalVars);
  const flags = r.flags.map(toFlag);
  const imageStart = r.headerArgsRange ? source.text.indexOf(image, r.headerArgsRange.start) : -1;
  return {
    keyword: 'FROM',
    range: r.range,
    keywordRange: r.keywordRange,
    argsRange: r.argsRange,
    argsText,
    flags,
    stage: null,
    onbuild: null,
    index,
    workdir: null,
    user: null,
    image,
    resolvedImage,
    imageRange: image && imageStart >= 0 ? { start: imageStart, end: imageStart + image.length } : null,
    ref: parseImageRef(resolvedImage),
    alias,
    platform: flags.find((f) => f.name === 'platform')?.value ?? null,
  };
}

/** The fields of a RUN beyond those every instruction has. */
type RunFields = Pick<RunInstruction, 'form' | 'execArgs' | 'script' | 'heredocs' | 'mounts' | 'network' | 'env'>;

/** `logical` is the RUN's argument text (null when it has none), read once for `argsText` and the script. */
function buildRun(r: RawInstruction, argsRange: Range | null, logical: LogicalText | null, flags: InstructionFlag[], source: SourceText, scope: Scope): RunFields {
  const heredocs = r.heredocs.map((h) => toHeredoc(h, source));
  const mounts: Mount[] = flags.filter((f) => f.name === 'mount').map(toMount);
  const network = flags.find((f) => f.name === 'network')?.value ?? null;
  const exec = logical ? parseJsonArray(logical.text) : null;
  const shell = scope.shell;
  const analyzable = !NON_POSIX_SHELL.test(basename(shell[0] ?? ''));
  const script: ShellScript = { analyzable, commands: [], hasErrors: false };
  if (analyzable && !exec && logical) {
    // `RUN <<EOF` alone names no command: only the heredoc's body is the script.
    const header = heredocs.length > 0 && HEREDOC_MARKERS_ONLY.test(logical.text) ? { commands: [], hasErrors: false } : extractCommands(logical.text, (s, e) => logical.toFileRange(s, e));
    script.commands.push(...header.commands);
    script.hasErrors ||= header.hasErrors;
    if (heredocs.length > 0 && runsHeredocAsScript(header.commands)) {
      for (const h of heredocs) {
        const start = h.contentRange.start;
        const body = extractCommands(h.content, (s, e) => ({ start: start + s, end: start + e }), script.commands.length);
        script.commands.push(...body.commands);
        script.hasErrors ||= body.hasErrors;
      }
    }
  } else if (exec && exec.length > 0 && argsRange) {
    // Exec form runs one program directly; `["sh", "-c", "..."]` is read as the script it runs.
    const prog = basename(exec[0] as string);
    const ranges = jsonStringRanges(source.text, argsRange);
    if (POSIX_SHELLS.has(prog) && exec[1] === '-c' && typeof exec[2] === 'string') {
      const at = ranges[2] ?? argsRange;
      const body = extractCommands(exec[2], () => at);
      script.commands.push(...body.commands);
    } else {
      script.commands.push(execCommand(exec, ranges, argsRange));
    }
  }
  return { form: exec ? 'exec' : 'shell', execArgs: exec, script, heredocs, mounts, network, env: mergedVars(scope) };
}

/** The one command an exec-form RUN runs, with each word at its JSON string. */
function execCommand(exec: string[], ranges: Range[], whole: Range): ShellCommand {
  const words = exec.map((value, i) => {
    const range = ranges[i] ?? whole;
    return { value, raw: JSON.stringify(value), range, dynamic: false };
  });
  const nameWord = words[0] as ShellCommand['nameWord'];
  return new Command(nameWord.value, programOf(nameWord.value), nameWord, words.slice(1), whole, false, 0);
}

function jsonStringRanges(text: string, range: Range): Range[] {
  const out: Range[] = [];
  const re = /"(?:[^"\\]|\\.)*"/g;
  re.lastIndex = range.start;
  for (let m = re.exec(text); m && m.index < range.end; m = re.exec(text)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

/** A RUN header made of heredoc markers only: `<<EOF`, `<<-EOF`, `<< 'EOF'`, `<<"A" <<B`. */
const HEREDOC_MARKERS_ONLY = /^\s*(?:<<-?\s*(?:'[\w.-]+'|"[\w.-]+"|[\w.-]+)\s*)+$/;

function runsHeredocAsScript(header: ShellCommand[]): boolean {
  const first = header[0];
  if (!first) return true;
  return POSIX_SHELLS.has(first.program) && !first.args.some((a) => a.value === '-c');
}

function toHeredoc(h: RawHeredoc, source: SourceText): Heredoc {
  return {
    name: h.name,
    markerRange: h.markerRange,
    contentRange: h.contentRange,
    content: source.slice(h.contentRange),
    terminated: h.delimiterRange !== null,
    stripTabs: h.stripTabs,
  };
}

function toFlag(f: { name: string; value: string | null; range: Range; options: { name: string; value: string | null }[] }): InstructionFlag {
  return { name: f.name.toLowerCase(), value: f.value, range: f.range, options: f.options.map((o) => ({ name: o.name.toLowerCase(), value: o.value })) };
}

function toMount(f: InstructionFlag): Mount {
  const opt = (n: string): string | null => f.options.find((o) => o.name === n)?.value ?? null;
  const options = f.options.length > 0 ? f.options : (f.value ?? '').split(',').map((kv) => {
    const eq = kv.indexOf('=');
    return eq < 0 ? { name: kv.trim().toLowerCase(), value: null } : { name: kv.slice(0, eq).trim().toLowerCase(), value: kv.slice(eq + 1).trim() };
  });
  const get = (n: string): string | null => options.find((o) => o.name === n)?.value ?? opt(n);
  return {
    type: get('type') ?? 'bind',
    target: get('target') ?? get('dst') ?? get('destination'),
    from: get('from'),
    options,
    range: f.range,
  };
}

/** A WORKDIR argument against the one in effect: null when it cannot be known here. */
function resolveWorkdir(current: string | null, arg: string): string | null {
  if (arg === '' || arg.includes('$')) return null;
  const joined = arg.startsWith('/') ? arg : current === null ? null : `${current}/${arg}`;
  if (joined === null) return null;
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

function basename(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return (i >= 0 ? p.slice(i + 1) : p).toLowerCase();
}

/** Marks the final stage and every stage it depends on through FROM, COPY --from or RUN --mount from=. */
function markReachable(model: DockerfileModel): void {
  const last = model.stages[model.stages.length - 1];
  if (!last) return;
  last.isFinal = true;
  const byName = new Map<string, Stage>();
  for (const s of model.stages) {
    if (s.name) byName.set(s.name, s);
    byName.set(String(s.index), s);
  }
  const stack: Stage[] = [last];
  while (stack.length > 0) {
    const s = stack.pop() as Stage;
    if (s.reachesFinal) continue;
    s.reachesFinal = true;
    const deps: (string | null)[] = [];
    for (const ins of s.instructions) {
      if (ins.keyword === 'COPY' || ins.keyword === 'ADD') deps.push(ins.from);
      if (ins.keyword === 'RUN') for (const m of ins.mounts) deps.push(m.from);
    }
    if (s.parent) stack.push(s.parent);
    for (const d of deps) {
      const dep = d ? byName.get(d.toLowerCase()) : undefined;
      if (dep && dep.index < s.index) stack.push(dep);
    }
  }
}
