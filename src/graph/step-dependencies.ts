// Whether a layer step could depend on an instruction built before it: the question behind moving a
// step earlier (into a parent, or ahead of a sibling's order) and behind calling a repeated step a
// duplicate (its inputs must not have changed in between). The answer errs towards "it depends": a
// path both name, a variable set in between, a WORKDIR for relative paths, a user created in between.
import { posix } from 'node:path';
import type { CopyInstruction, Instruction, RunInstruction, ShellWord } from '../model/types.js';
import { stageChain } from './build-graph.js';
import type { ImageNode } from './types.js';

export type StepInstruction = RunInstruction | CopyInstruction;

/** An instruction as it builds, with the WORKDIR and USER in effect (null when unknown). */
export interface Placed {
  ins: Instruction;
  workdir: string | null;
  user: string | null;
}

export interface DependencyOptions {
  /** A RUN that installs OS packages counts as a dependency of any later RUN: it may bring what that RUN runs. */
  installs: boolean;
  /** Any ENV, ARG, WORKDIR, USER or SHELL counts for a RUN: the builder caches a RUN with all of them. */
  settings?: boolean;
}

const SETTINGS = new Set(['ENV', 'ARG', 'WORKDIR', 'USER', 'SHELL']);

/** A path a step names; `open` when cut at a glob or variable, so anything it starts is covered. */
interface PathRef {
  path: string;
  open: boolean;
}

/** What an instruction's words say about what it reads and changes; worked out once per instruction. */
class Facts {
  paths: PathRef[] = [];
  vars = new Set<string>();
  programs = new Set<string>();
  /** Runs a language tool, which reads PATH, PYTHONPATH and its own variables. */
  language = false;
  /** Names a relative path or runs a tool that reads the working directory. */
  usesCwd = false;
  relative = false;
  installs = false;
  /** Changes where OS packages come from: repositories, keys, package-manager settings. */
  configuresPackages = false;
  accounts: string[] = [];
  private wordSet: Set<string> | undefined;

  constructor(
    private readonly ins: StepInstruction,
    private readonly text: string,
  ) {}

  /** Every word of the text and flag values: only asked when an earlier RUN creates an account. */
  get words(): Set<string> {
    if (!this.wordSet) {
      const flags = this.ins.flags.map((fl) => fl.value ?? '').join(' ');
      this.wordSet = new Set(`${this.text} ${flags}`.match(/[A-Za-z0-9_.-]+/g));
    }
    return this.wordSet;
  }
}

// Scratch and cache directories: naming them says nothing about what a step reads.
const SCRATCH = ['/dev', '/proc', '/sys', '/tmp', '/var/tmp', '/var/cache', '/var/lib/apt/lists', '/root/.cache'];
const OS_PACKAGE_TOOLS = new Set(['apt-get', 'apt', 'aptitude', 'dpkg', 'yum', 'dnf', 'microdnf', 'tdnf', 'rpm', 'apk', 'zypper']);
const INSTALL_WORDS = new Set(['install', 'add', 'in', 'localinstall', 'groupinstall', 'reinstall', 'upgrade', 'dist-upgrade', 'update', 'up', '-i', '-U', '-ivh', '-Uvh']);
const PACKAGE_CONFIG: PathRef[] = ['/etc/yum.repos.d', '/etc/yum.conf', '/etc/dnf', '/etc/apt', '/etc/apk', '/etc/zypp', '/etc/pki/rpm-gpg'].map((path) => ({ path, open: false }));
const REPO_COMMANDS = new Set(['config-manager', '--import', 'addrepo', 'ar', 'module']);
const REPO_TOOLS = new Set(['add-apt-repository', 'apt-key', 'rpmkeys', 'yum-config-manager']);
const LANGUAGE_TOOLS = new Set(['pip', 'pip3', 'python', 'python3', 'npm', 'npx', 'node', 'yarn', 'pnpm', 'gem', 'bundle', 'go', 'cargo', 'composer', 'mvn', 'gradle']);
// Tools that read the working directory without naming it (package.json, Gemfile, Makefile, go.mod).
const CWD_TOOLS = new Set(['npm', 'yarn', 'pnpm', 'bundle', 'cargo', 'composer', 'mvn', 'gradle', 'go', 'make', 'cmake', 'meson', 'ninja']);
const ACCOUNT_TOOLS = new Set(['useradd', 'adduser', 'groupadd', 'addgroup']);

const placedCache = new WeakMap<ImageNode, Placed[]>();
const factsCache = new WeakMap<Instruction, Facts>();
const pathsCache = new WeakMap<Placed, PathRef[]>();

/** The instructions the image's own Dockerfile builds it with (stage chain, no ONBUILD), with their WORKDIR and USER. */
export function placedInstructions(img: ImageNode): Placed[] {
  const cached = placedCache.get(img);
  if (cached) return cached;
  const out: Placed[] = [];
  let { workdir, user } = img.parent ? finalSettings(img.parent) : { workdir: null, user: null };
  for (const stage of stageChain(img.stage)) {
    for (const ins of stage.instructions) {
      if (ins.keyword === 'ONBUILD') continue;
      out.push({ ins, workdir, user });
      if (ins.keyword === 'WORKDIR') workdir = resolveDir(workdir, ins.argsText.trim());
      else if (ins.keyword === 'USER') user = ins.argsText.trim();
    }
  }
  placedCache.set(img, out);
  return out;
}

/** The WORKDIR and USER an image ends with: what its children start from. */
function finalSettings(img: ImageNode): { workdir: string | null; user: string | null } {
  const last = placedInstructions(img).at(-1);
  if (!last) return img.parent ? finalSettings(img.parent) : { workdir: null, user: null };
  return after(last);
}

function after(p: Placed): { workdir: string | null; user: string | null } {
  const arg = p.ins.argsText.trim();
  if (p.ins.keyword === 'WORKDIR') return { workdir: resolveDir(p.workdir, arg), user: p.user };
  if (p.ins.keyword === 'USER') return { workdir: p.workdir, user: arg };
  return { workdir: p.workdir, user: p.user };
}

function resolveDir(cwd: string | null, dir: string): string | null {
  if (dir === '' || dir.includes('$')) return null;
  if (dir.startsWith('/')) return posix.normalize(dir);
  return cwd === null ? null : posix.join(cwd, dir);
}

/** Whether `step` may depend on `other`, an instruction that builds before it. */
export function dependsOn(step: Placed, other: Placed, options: DependencyOptions): boolean {
  const s = step.ins as StepInstruction;
  const run = s.keyword === 'RUN';
  const f = facts(s);
  const o = other.ins;
  if (run && options.settings && SETTINGS.has(o.keyword)) return true;
  switch (o.keyword) {
    case 'USER':
    case 'SHELL':
      return run;
    case 'WORKDIR':
      return run ? f.relative : !(s.destination ?? '').startsWith('/');
    case 'ENV':
    case 'ARG': {
      const names = o.keyword === 'ENV' ? o.vars.map((v) => v.name) : o.args.map((a) => a.name);
      return names.some((n) => f.vars.has(n) || (run && implicitlyRead(n, f)));
    }
    case 'RUN': {
      const of = facts(o);
      if (of.paths.length > 0 && overlaps(of.paths, stepPaths(step))) return true;
      if (run && ((options.installs && of.installs) || (f.installs && of.configuresPackages))) return true;
      return of.accounts.some((a) => f.words.has(a));
    }
    case 'COPY':
    case 'ADD':
      return overlaps(stepPaths(other), stepPaths(step)) || (run && f.installs && overlaps(stepPaths(other), PACKAGE_CONFIG));
    default:
      return false;
  }
}

/** What a step reads or writes: the paths a RUN names (and its directory, when it works there), or a COPY's target. */
function stepPaths(p: Placed): PathRef[] {
  let paths = pathsCache.get(p);
  if (!paths) {
    const ins = p.ins as StepInstruction;
    if (ins.keyword !== 'RUN') paths = copyTarget(p);
    else {
      const f = facts(ins);
      paths = f.usesCwd ? [...f.paths, pathRef(p.workdir ?? '/')] : f.paths;
    }
    pathsCache.set(p, paths);
  }
  return paths;
}

/** Where a COPY/ADD writes; the whole filesystem when the destination cannot be resolved. */
function copyTarget(p: Placed): PathRef[] {
  const ins = p.ins as CopyInstruction;
  const dest = ins.destination ?? '';
  const abs = dest.startsWith('/') ? dest : p.workdir === null ? null : `${p.workdir}/${dest}`;
  if (abs === null) return [{ path: '', open: false }];
  return [pathRef(abs)];
}

function pathRef(raw: string): PathRef {
  const cut = raw.search(/[*?[$]/);
  const open = cut >= 0;
  let path = posix.normalize(open ? raw.slice(0, cut) : raw);
  if (path.endsWith('/')) path = path.slice(0, -1);
  if (path === '.') path = '';
  return { path, open };
}

function overlaps(a: readonly PathRef[], b: readonly PathRef[]): boolean {
  for (const x of a) for (const y of b) if (within(x, y) || within(y, x)) return true;
  return false;
}

/** True when `inner` is `outer` or below it. */
function within(inner: PathRef, outer: PathRef): boolean {
  if (outer.path === '') return true;
  if (inner.path === outer.path || inner.path.startsWith(`${outer.path}/`)) return true;
  return outer.open && inner.path.startsWith(outer.path);
}

function implicitlyRead(name: string, f: Facts): boolean {
  const { language, programs } = f;
  if (name === 'DEBIAN_FRONTEND') return programs.has('apt-get') || programs.has('apt') || programs.has('dpkg');
  if (['PATH', 'PYTHONPATH', 'LD_LIBRARY_PATH', 'VIRTUAL_ENV'].includes(name)) return language;
  return language && /^(PIP_|NPM_CONFIG_|YARN_|BUNDLE_|GEM_|CARGO_|GO[A-Z]+$)/.test(name);
}

function facts(ins: StepInstruction): Facts {
  const cached = factsCache.get(ins);
  if (cached) return cached;
  const text = ins.heredocs.length === 0 ? ins.argsText : [ins.argsText, ...ins.heredocs.map((h) => h.content)].join('\n');
  const f = new Facts(ins, text);
  if (text.includes('$')) for (const m of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) f.vars.add(m[1] as string);
  if (ins.keyword === 'RUN') {
    for (const path of text.includes('/') ? (text.match(/(?<![\w.:$}/-])\/[^\s'"`;|&<>(),=:]*/g) ?? []) : []) {
      const ref = pathRef(path);
      if (!SCRATCH.some((d) => ref.path === d || ref.path.startsWith(`${d}/`))) f.paths.push(ref);
    }
    if (overlaps(f.paths, PACKAGE_CONFIG)) f.configuresPackages = true;
    const exec = ins.form === 'exec' ? ins.execArgs?.[0] : undefined;
    if (exec) f.programs.add(posix.basename(exec).toLowerCase());
    for (const cmd of ins.script.commands) {
      const program = cmd.program;
      f.programs.add(program);
      const args = cmd.args;
      const osTool = OS_PACKAGE_TOOLS.has(program);
      if (osTool && args.some((a) => INSTALL_WORDS.has(a.value))) f.installs = true;
      if (REPO_TOOLS.has(program) || (osTool && args.some((a) => REPO_COMMANDS.has(a.value)))) f.configuresPackages = true;
      if (ACCOUNT_TOOLS.has(program) && args.length > 0) f.accounts.push((args[args.length - 1] as ShellWord).value);
      if (!f.relative && (isRelativePath(cmd.name) || args.some((a) => isRelativePath(a.value)))) f.relative = true;
    }
    if (ins.form === 'exec' && (ins.execArgs ?? []).some(isRelativePath)) f.relative = true;
    for (const program of f.programs) {
      if (LANGUAGE_TOOLS.has(program)) f.language = true;
      if (CWD_TOOLS.has(program)) f.usesCwd = true;
    }
    if (f.relative) f.usesCwd = true;
  }
  factsCache.set(ins, f);
  return f;
}

function isRelativePath(word: string): boolean {
  if (word === '.' || word === '..') return true;
  if (!word.includes('/')) return false;
  const first = word[0];
  if (first === '-' || first === '/' || first === '$' || first === '~') return false;
  return !word.includes('://');
}

const indexCache = new WeakMap<ImageNode, Map<Instruction, number>>();

/** Where the instruction stands in `placedInstructions(img)`; -1 for an ONBUILD trigger of the parent. */
export function placedIndex(img: ImageNode, ins: Instruction): number {
  let index = indexCache.get(img);
  if (!index) {
    index = new Map(placedInstructions(img).map((p, i) => [p.ins, i]));
    indexCache.set(img, index);
  }
  return index.get(ins) ?? -1;
}

/** The first of `between` that the step at `at` (an index of `placedInstructions(img)`) may depend on. */
export function firstDependency(img: ImageNode, at: number, between: readonly Placed[], options: DependencyOptions): Placed | null {
  const step = placedInstructions(img)[at];
  if (!step) return null;
  return between.find((p) => dependsOn(step, p, options)) ?? null;
}

/** Whether a step can run before `over` (steps of the same image before it) and the instructions among them. */
export function canRunBefore(img: ImageNode, step: { instruction: Instruction }, over: readonly { instruction: Instruction }[], options: DependencyOptions): boolean {
  const at = placedIndex(img, step.instruction);
  const first = over[0];
  if (!first) return at >= 0;
  const from = placedIndex(img, first.instruction);
  if (at < 0 || from < 0) return false;
  const placed = placedInstructions(img);
  const answers = dependencyAnswers(img, at, options);
  for (let i = from; i < at; i++) {
    let answer = answers[i];
    if (answer === UNKNOWN) answers[i] = answer = dependsOn(placed[at] as Placed, placed[i] as Placed, options) ? DEPENDS : FREE;
    if (answer === FREE) continue;
    const ins = (placed[i] as Placed).ins;
    // A step between that is not in `over` has already moved ahead of this one.
    if (!isLayer(ins) || over.some((s) => s.instruction === ins)) return false;
  }
  return true;
}

// Ordering siblings asks whether a step may move ahead of the same earlier instructions again and
// again (once per branch of the order being built): each pair is judged once per image and options.
const answerCache = new WeakMap<ImageNode, Uint8Array[][]>();
const UNKNOWN = 0;
const DEPENDS = 1;
const FREE = 2;

/** What is known of whether the instruction at `at` of `placedInstructions(img)` depends on each one before it. */
function dependencyAnswers(img: ImageNode, at: number, options: DependencyOptions): Uint8Array {
  let byOptions = answerCache.get(img);
  if (!byOptions) answerCache.set(img, (byOptions = [[], [], [], []]));
  const rows = byOptions[(options.installs ? 1 : 0) + (options.settings ? 2 : 0)] as Uint8Array[];
  let row = rows[at];
  if (!row) rows[at] = row = new Uint8Array(at);
  return row;
}

/** The first instruction of the image's own Dockerfile, before one of its own steps, that the step may depend on. */
export function earlierDependency(img: ImageNode, step: { instruction: Instruction }, options: DependencyOptions): Placed | null {
  const at = placedIndex(img, step.instruction);
  if (at < 0) return null;
  return firstDependency(img, at, placedInstructions(img).slice(0, at), options);
}

function isLayer(ins: Instruction): boolean {
  return ins.keyword === 'RUN' || ins.keyword === 'COPY' || ins.keyword === 'ADD';
}
