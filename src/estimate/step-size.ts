// The size of one layer step, from the best source there is for each thing it writes: the build
// context for COPY/ADD, the package index for apt installs, rules of thumb for the rest. Installs
// remember what they installed, so a package an ancestor layer already holds counts nothing again.
import { readFileSync } from 'node:fs';
import { runCommands, toolCall } from '../model/cache-cleanup.js';
import { hasOption, positionals } from '../model/command-queries.js';
import { aptCommand, disablesRecommends } from '../model/apt-commands.js';
import { dependencyInstall } from '../model/dependency-installs.js';
import { isToolchainPackage, packageInstall, type PackageInstall } from '../model/package-installs.js';
import { archiveUses, downloads, LOCAL_TAR_NAME } from '../model/archives.js';
import type { CopyInstruction, RunInstruction, ShellCommand } from '../model/types.js';
import type { ImageNode, LayerStep } from '../graph/types.js';
import { ContextSizer, type ContextFile } from './context-size.js';
import * as H from './heuristics.js';
import type { PackageIndex, DebPackage } from './packages.js';
import { KB, MB, part, sumParts } from './size.js';
import type { SizeEstimate, SizePart } from './types.js';

type PackageFamily = 'deb' | 'rpm' | 'apk' | 'pip' | 'npm' | 'gem';

/** What an image's chain holds so far: package names by family, and build-context archives by path. */
export interface ChainState {
  packages: Record<PackageFamily, Set<string>>;
  /** Archives a COPY put in the image, by destination: a later `tar -x` unpacks their known contents. */
  archives: Map<string, ContextFile>;
}

export function emptyChainState(): ChainState {
  return { packages: { deb: new Set(), rpm: new Set(), apk: new Set(), pip: new Set(), npm: new Set(), gem: new Set() }, archives: new Map() };
}

export function cloneChainState(s: ChainState): ChainState {
  const p = s.packages;
  return { packages: { deb: new Set(p.deb), rpm: new Set(p.rpm), apk: new Set(p.apk), pip: new Set(p.pip), npm: new Set(p.npm), gem: new Set(p.gem) }, archives: new Map(s.archives) };
}

/** What one install in a RUN adds, for the waste its findings name. */
export interface InstallFact {
  family: PackageFamily | 'node' | 'bundle' | 'other';
  /** The command's range start, to match a finding. */
  at: number;
  end: number;
  bytes: number;
  uncompressedBytes: number;
  /** Of these, the compilers and -dev packages and what only they need. */
  toolchain: { bytes: number; uncompressedBytes: number; provenance: 'metadata' | 'heuristic' } | null;
}

export interface StepFacts {
  size: SizeEstimate;
  installs: InstallFact[];
  /** COPY/ADD: the context files, for findings that name a path under the destination. */
  files: ContextFile[] | null;
}

export interface StepSizerOptions {
  sizer: ContextSizer;
  /** The package index, loaded on first use; null when none is available. */
  packageIndex: () => PackageIndex | null;
}

const RPM_TOOLS = new Set(['dnf', 'dnf5', 'yum', 'microdnf', 'tdnf', 'zypper']);
const BUILD_COMMANDS: Record<string, (args: readonly string[]) => boolean> = {
  go: (a) => a[0] === 'build' || a[0] === 'install',
  cargo: (a) => a[0] === 'build' || a[0] === 'install',
  make: () => true,
  cmake: (a) => a.includes('--build'),
  mvn: (a) => a.some((x) => x === 'package' || x === 'install'),
  gradle: (a) => a.some((x) => x === 'build' || x === 'assemble' || x === 'installDist'),
  npm: (a) => a[0] === 'run' && /build/.test(a[1] ?? ''),
  yarn: (a) => /build/.test(a[0] ?? '') || (a[0] === 'run' && /build/.test(a[1] ?? '')),
};

export class StepSizer {
  constructor(private readonly options: StepSizerOptions) {}

  /** Sizes a step of `image`; `state` is what the chain holds before it, and is updated. */
  estimate(image: ImageNode, step: LayerStep, state: ChainState): StepFacts {
    const ins = step.instruction;
    const file = step.inherited && image.parent ? image.parent.file : image.file;
    const owner = step.inherited && image.parent ? image.parent : image;
    if (ins.keyword === 'RUN') return this.run(ins, file, owner.model.source.text, state);
    const facts = this.copy(ins, file);
    for (const f of facts.files ?? []) if (f.dest !== null && LOCAL_TAR_NAME.test(f.rel) && ins.keyword === 'COPY') state.archives.set(f.dest, f);
    return facts;
  }

  private copy(ins: CopyInstruction, dockerfile: string): StepFacts {
    const parts: SizePart[] = [];
    if (ins.heredocs.length > 0) {
      const n = ins.heredocs.reduce((s, h) => s + Buffer.byteLength(h.content), 0);
      parts.push(part('context', n / 2 + 40, n + 512, 'the heredoc text'));
      return { size: sumParts(parts), installs: [], files: null };
    }
    if (ins.from) {
      const n = ins.sources.length || 1;
      parts.push(part('heuristic', H.STAGE_ARTIFACT.bytes * n, H.STAGE_ARTIFACT.uncompressedBytes * n, `${H.STAGE_ARTIFACT.what} (${ins.from})`));
      return { size: sumParts(parts), installs: [], files: null };
    }
    const remote = ins.sources.filter((s) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || s.startsWith('git@'));
    if (remote.length > 0) parts.push(part('heuristic', H.REMOTE_SOURCE.bytes * remote.length, H.REMOTE_SOURCE.uncompressedBytes * remote.length, `${H.REMOTE_SOURCE.what}: ${remote.join(', ')}`));
    const found = this.options.sizer.sources(dockerfile, ins);
    if (found) {
      const archives = ins.keyword === 'ADD' ? found.files.filter((f) => LOCAL_TAR_NAME.test(f.rel)) : [];
      const plain = found.files.filter((f) => !archives.includes(f));
      if (plain.length > 0) {
        const raw = plain.reduce((s, f) => s + f.bytes, 0);
        parts.push(part('context', this.options.sizer.compressedBytes(plain), ContextSizer.tarBytes(plain), `${count(plain.length, 'file')}, ${human(raw)} in the build context`));
      }
      for (const a of archives) {
        const x = this.options.sizer.archive(a);
        parts.push(part(x.exact ? 'context' : 'heuristic', x.bytes, x.uncompressedBytes, `${a.rel} unpacked by ADD${x.exact ? '' : ' (its unpacked size estimated)'}`, x.exact ? 'high' : 'low'));
      }
      if (found.missing.length > 0) {
        const n = found.missing.length;
        parts.push(part('heuristic', H.MISSING_SOURCE.bytes * n, H.MISSING_SOURCE.uncompressedBytes * n, `${found.missing.join(', ')}: ${H.MISSING_SOURCE.what}`));
      }
      return { size: sumParts(parts), installs: [], files: found.files };
    }
    return { size: sumParts(parts), installs: [], files: null };
  }

  private run(run: RunInstruction, dockerfile: string, text: string, state: ChainState): StepFacts {
    const installed = state.packages;
    const parts: SizePart[] = [];
    const installs: InstallFact[] = [];
    const overheads = new Set<string>();
    const commands = runCommands(run).filter((c) => !c.inSubstitution);
    for (const cmd of commands) {
      const install = packageInstall(cmd, run.env);
      if (install) {
        const fact = this.systemInstall(install, cmd, installed, parts);
        if (fact) {
          installs.push(fact);
          const family = fact.family === 'deb' || fact.family === 'rpm' || fact.family === 'apk' ? fact.family : null;
          if (family && fact.bytes > 0) overheads.add(family);
        }
        continue;
      }
      const unpacked = this.unpacked(cmd, run, state, parts);
      if (unpacked) continue;
      const fact = this.otherCommand(cmd, run, dockerfile, text, installed, parts, commands);
      if (fact) installs.push(fact);
    }
    for (const family of overheads) {
      const o = H.INSTALL_OVERHEAD[family] as H.Figure;
      parts.push(part('heuristic', o.bytes, o.uncompressedBytes, o.what));
    }
    if (parts.length === 0) parts.push(part('heuristic', H.SMALL_CHANGE.bytes, H.SMALL_CHANGE.uncompressedBytes, H.SMALL_CHANGE.what));
    return { size: sumParts(parts), installs, files: null };
  }

  /** `tar -x` of an archive an earlier COPY brought from the build context: its contents are known. */
  private unpacked(cmd: ShellCommand, run: RunInstruction, state: ChainState, parts: SizePart[]): boolean {
    let found = false;
    for (const use of archiveUses(cmd, run.workdir ?? '/', run.env)) {
      const file = use.verb === 'extracted' ? state.archives.get(use.path) : undefined;
      if (!file) continue;
      const x = this.options.sizer.archive(file);
      parts.push(part(x.exact ? 'context' : 'heuristic', x.bytes, x.uncompressedBytes, `${file.rel} unpacked${x.exact ? '' : ' (its unpacked size estimated)'}`, x.exact ? 'high' : 'low'));
      found = true;
    }
    return found;
  }

  private systemInstall(install: PackageInstall, cmd: ShellCommand, installed: ChainState['packages'], parts: SizePart[]): InstallFact | null {
    const range = { at: cmd.range.start, end: cmd.range.end };
    const names = [...new Set(install.packages.map((p) => p.name))];
    const tool = install.tool;
    if (tool === 'apt-get' || tool === 'apt' || tool === 'aptitude') {
      const apt = aptCommand(cmd);
      const recommends = apt ? !disablesRecommends(apt) : true;
      const index = this.options.packageIndex();
      if (index && index.size > 0) return { family: 'deb', ...range, ...this.debInstall(index, names, install.unknown, recommends, installed, parts) };
      return { family: 'deb', ...range, ...this.perPackage('deb', names, install.unknown.length, installed.deb, parts, recommends ? H.RECOMMENDS_FACTOR : 1, install.label) };
    }
    const family = RPM_TOOLS.has(tool) ? 'rpm' : tool === 'apk' ? 'apk' : null;
    if (!family) return null;
    return { family, ...range, ...this.perPackage(family, names, install.unknown.length, installed[family], parts, 1, install.label) };
  }

  private debInstall(index: PackageIndex, names: string[], unknownWords: readonly string[], recommends: boolean, installed: ChainState['packages'], parts: SizePart[]): Omit<InstallFact, 'family' | 'at' | 'end'> {
    const have = new Set([...index.basePackages(), ...installed.deb]);
    const closure = index.closure(names, { recommends, have });
    const sized = debBytes(closure.added);
    if (closure.added.length > 0) {
      const named = names.filter((n) => !closure.unknown.includes(n));
      const extra = closure.added.length - named.filter((n) => !have.has(n)).length;
      const what = `${listNames(named)}${extra > 0 ? ` and ${count(extra, 'dependency', 'dependencies')}` : ''}${recommends ? ', recommended packages included' : ''}`;
      parts.push(part('metadata', sized.bytes, sized.uncompressedBytes, `${what}: ${count(closure.added.length, 'package')} not yet installed (package index)`));
    }
    for (const p of closure.added) {
      installed.deb.add(p.name);
      for (const v of p.provides) installed.deb.add(v);
    }
    let total = { ...sized };
    // Names the index does not know and words whose value is unknown: typical figures.
    const guessed = closure.unknown.length + unknownWords.length;
    if (guessed > 0) {
      const f = H.PACKAGE.deb as H.Figure;
      const factor = recommends ? H.RECOMMENDS_FACTOR : 1;
      parts.push(part('heuristic', f.bytes * guessed * factor, f.uncompressedBytes * guessed * factor, `${[...closure.unknown, ...unknownWords].join(', ')}: not in the package index, ${f.what}`));
      total = { bytes: total.bytes + f.bytes * guessed * factor, uncompressedBytes: total.uncompressedBytes + f.uncompressedBytes * guessed * factor };
    }
    let toolchain: InstallFact['toolchain'] = null;
    if (names.some(isToolchainPackage)) {
      const rest = index.closure(names.filter((n) => !isToolchainPackage(n)), { recommends, have });
      const restNames = new Set(rest.added.map((p) => p.name));
      const only = debBytes(closure.added.filter((p) => !restNames.has(p.name)));
      toolchain = { ...only, provenance: 'metadata' };
    }
    return { ...total, toolchain };
  }

  private perPackage(family: 'deb' | 'rpm' | 'apk', names: string[], unknownWords: number, have: Set<string>, parts: SizePart[], factor: number, label: string): Omit<InstallFact, 'family' | 'at' | 'end'> {
    const fresh = names.filter((n) => !have.has(n));
    for (const n of fresh) have.add(n);
    const n = fresh.length + unknownWords;
    const f = H.PACKAGE[family] as H.Figure;
    if (n === 0) return { bytes: 0, uncompressedBytes: 0, toolchain: null };
    const bytes = f.bytes * n * factor;
    const uncompressedBytes = f.uncompressedBytes * n * factor;
    parts.push(part('heuristic', bytes, uncompressedBytes, `\`${label}\` of ${count(n, 'package')}${factor > 1 ? ' with recommended ones' : ''}: ${f.what}, each`));
    const tools = fresh.filter(isToolchainPackage).length;
    const toolchain = tools > 0 ? { bytes: Math.min(bytes, H.TOOLCHAIN_PACKAGE.bytes * tools), uncompressedBytes: Math.min(uncompressedBytes, H.TOOLCHAIN_PACKAGE.uncompressedBytes * tools), provenance: 'heuristic' as const } : null;
    return { bytes, uncompressedBytes, toolchain };
  }

  /** Language package installs, virtualenvs, generated files, downloads, accounts and builds. */
  private otherCommand(cmd: ShellCommand, run: RunInstruction, dockerfile: string, text: string, installed: ChainState['packages'], parts: SizePart[], commands: readonly ShellCommand[]): InstallFact | null {
    const call = toolCall(cmd);
    const p = call.program;
    const args = call.args.map((a) => a.value);
    const range = { at: cmd.range.start, end: cmd.range.end };
    const add = (f: H.Figure, n: number, detail: string, family: InstallFact['family'] = 'other'): InstallFact => {
      const bytes = f.bytes * n;
      const uncompressedBytes = f.uncompressedBytes * n;
      parts.push(part('heuristic', bytes, uncompressedBytes, detail));
      return { family, ...range, bytes, uncompressedBytes, toolchain: null };
    };

    const dep = dependencyInstall(cmd);
    if (dep) {
      if (dep.ecosystem === 'pip') {
        const reqs = this.manifestLines(dockerfile, dep.manifestPath ?? 'requirements.txt', requirementLines);
        const n = reqs ?? 10;
        return add(H.PACKAGE.pip as H.Figure, n, `\`${dep.label}\`: ${count(n, 'requirement')}${reqs === null ? ' (requirements file not found; assumed)' : ' in the requirements file'}, ${(H.PACKAGE.pip as H.Figure).what}, each`, 'pip');
      }
      if (dep.ecosystem === 'node') {
        const locked = this.lockedPackages(dockerfile);
        if (locked !== null) return add(H.PACKAGE.npmLocked as H.Figure, locked, `\`${dep.label}\`: ${count(locked, 'package')} in the lockfile, ${(H.PACKAGE.npmLocked as H.Figure).what}`, 'node');
        const direct = this.manifestLines(dockerfile, 'package.json', (t) => packageJsonDependencies(t, args.includes('--production') || args.some((a) => a.startsWith('--omit'))));
        const n = direct ?? 10;
        return add(H.PACKAGE.npm as H.Figure, n, `\`${dep.label}\`: ${count(n, 'dependency', 'dependencies')}${direct === null ? ' (package.json not found; assumed)' : ' in package.json'}, ${(H.PACKAGE.npm as H.Figure).what}, each`, 'node');
      }
      if (dep.ecosystem === 'bundle') {
        const gems = this.manifestLines(dockerfile, 'Gemfile', (t) => t.split('\n').filter((l) => /^\s*gem\s/.test(l)).length);
        const n = gems ?? 10;
        return add(H.PACKAGE.gem as H.Figure, n, `\`${dep.label}\`: ${count(n, 'gem')}${gems === null ? ' (Gemfile not found; assumed)' : ' in the Gemfile'}, ${(H.PACKAGE.gem as H.Figure).what}, each`, 'bundle');
      }
      if (dep.ecosystem === 'composer') return add(H.PACKAGE.composer as H.Figure, 10, `\`${dep.label}\`: ten packages assumed, ${(H.PACKAGE.composer as H.Figure).what}, each`);
      return add(H.BUILD_OUTPUT, 4, `\`${dep.label}\`: downloaded dependencies, typical size`);
    }
    // Named installs: `pip install flask`, `npm install -g yarn`, `gem install bundler`.
    const pipArgs = /^pip(\d(\.\d+)?)?$/.test(p) ? args : /^python(\d(\.\d+)?)?$/.test(p) && args[0] === '-m' && /^pip\d?$/.test(args[1] ?? '') ? args.slice(2) : null;
    if (pipArgs && pipArgs.find((a) => !a.startsWith('-')) === 'install') {
      const names = namedOperands(pipArgs.slice(pipArgs.indexOf('install') + 1), PIP_VALUE);
      const fresh = names.filter((n) => !installed.pip.has(pipName(n)));
      for (const n of fresh) installed.pip.add(pipName(n));
      if (fresh.length === 0) return null;
      const each = hasOption(call.args, '--no-deps') ? 0.5 : 1;
      return add(H.PACKAGE.pip as H.Figure, fresh.length * each, `\`pip install\` of ${listNames(fresh)}: ${(H.PACKAGE.pip as H.Figure).what}, each`, 'pip');
    }
    if ((p === 'npm' || p === 'yarn' || p === 'pnpm') && (args.includes('-g') || args.includes('--global') || args[0] === 'global')) {
      const names = namedOperands(args.filter((a) => !['install', 'i', 'add', 'global'].includes(a)), NPM_VALUE);
      const fresh = names.filter((n) => !installed.npm.has(n));
      for (const n of fresh) installed.npm.add(n);
      if (fresh.length === 0) return null;
      return add(H.PACKAGE.npm as H.Figure, fresh.length, `\`${p} install -g\` of ${listNames(fresh)}: ${(H.PACKAGE.npm as H.Figure).what}, each`, 'node');
    }
    if (p === 'gem' && args[0] === 'install') {
      const names = namedOperands(args.slice(1), new Set(['-v', '--version', '-i', '--install-dir', '-n', '--bindir', '--source']));
      const fresh = names.filter((n) => !installed.gem.has(n));
      for (const n of fresh) installed.gem.add(n);
      if (fresh.length === 0) return null;
      return add(H.PACKAGE.gem as H.Figure, fresh.length, `\`gem install\` of ${listNames(fresh)}: ${(H.PACKAGE.gem as H.Figure).what}, each`, 'gem');
    }
    if (/^python(\d(\.\d+)?)?$/.test(p) && args[0] === '-m' && (args[1] === 'venv' || args[1] === 'virtualenv')) return add(H.VENV, 1, H.VENV.what);
    if (p === 'virtualenv') return add(H.VENV, 1, H.VENV.what);
    const generated = generatedFile(p, args, pipedOn(cmd, text));
    if (generated) {
      parts.push(generated);
      return null;
    }
    if (p === 'curl' || p === 'wget') {
      const got = downloads(cmd, '/', run.env);
      if (got.length === 0) return null;
      const unpacked = commands.some((c) => c.index > cmd.index && archiveUses(c, '/', run.env).length > 0);
      add(H.DOWNLOAD, got.length, `${got.map((d) => d.name).join(', ')}: ${H.DOWNLOAD.what}`);
      if (unpacked) add(H.UNPACKED_DOWNLOAD, got.length, H.UNPACKED_DOWNLOAD.what);
      return null;
    }
    if (['useradd', 'adduser', 'groupadd', 'addgroup'].includes(p)) {
      if (!parts.some((x) => x.detail === H.ACCOUNT.what)) add(H.ACCOUNT, 1, H.ACCOUNT.what);
      return null;
    }
    const build = BUILD_COMMANDS[p];
    if (build && build(positionals(call.args).map((a) => a.value))) return add(H.BUILD_OUTPUT, 1, `\`${p}\`: ${H.BUILD_OUTPUT.what}`);
    return null;
  }

  /** A manifest's count, read from the build context by the file's base name; null when it is not there. */
  private manifestLines(dockerfile: string, path: string, counter: (text: string) => number): number | null {
    const file = this.options.sizer.find(dockerfile, path.slice(path.lastIndexOf('/') + 1));
    if (!file) return null;
    try {
      return counter(readFileSync(file.abs, 'utf8'));
    } catch {
      return null;
    }
  }

  private lockedPackages(dockerfile: string): number | null {
    const npm = this.manifestLines(dockerfile, 'package-lock.json', (t) => {
      const lock = JSON.parse(t) as { packages?: Record<string, unknown>; dependencies?: Record<string, unknown> };
      return lock.packages ? Object.keys(lock.packages).filter((k) => k.includes('node_modules/')).length : Object.keys(lock.dependencies ?? {}).length;
    });
    if (npm !== null) return npm;
    return this.manifestLines(dockerfile, 'yarn.lock', (t) => t.split('\n').filter((l) => /^\S.*:$/.test(l) && !l.startsWith('#')).length);
  }
}

const PIP_VALUE = new Set(['-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-t', '--target', '--prefix', '--root', '--trusted-host', '--cache-dir', '--src', '--upgrade-strategy', '--progress-bar', '--log', '--timeout', '--retries', '--proxy', '-r', '--requirement', '-e', '--editable']);
const NPM_VALUE = new Set(['--prefix', '-C', '--registry', '--cache', '--loglevel', '--userconfig', '--omit', '--include']);

/** Operands that name packages: options and their values, paths and URLs left out. */
function namedOperands(args: readonly string[], valueOptions: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (valueOptions.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-') || a.includes('$')) continue;
    out.push(a);
  }
  return out;
}

function pipName(spec: string): string {
  return spec.replace(/[[<>=!~;].*$/, '').toLowerCase();
}

function requirementLines(text: string): number {
  return text.split('\n').filter((l) => {
    const t = l.trim();
    return t !== '' && !t.startsWith('#') && !t.startsWith('-');
  }).length;
}

function packageJsonDependencies(text: string, production: boolean): number {
  const pkg = JSON.parse(text) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  return Object.keys(pkg.dependencies ?? {}).length + (production ? 0 : Object.keys(pkg.devDependencies ?? {}).length);
}

function debBytes(packages: readonly DebPackage[]): { bytes: number; uncompressedBytes: number } {
  let bytes = 0;
  let uncompressedBytes = 0;
  for (const p of packages) {
    const payload = p.installedBytes * H.DEB_PAYLOAD_FACTOR;
    // The interpreter packages (python3.11-minimal) hold a binary; the library and module packages hold sources.
    const pyc = /^libpython3\.\d+-(minimal|stdlib)$|^python3-(?!minimal$)/.test(p.name) ? p.installedBytes * H.PYC_FACTOR : 0;
    uncompressedBytes += payload + pyc;
    const fromDeb = p.debBytes * H.DEB_GZIP_FACTOR * H.DEB_PAYLOAD_FACTOR;
    const fromInstalled = payload * H.INSTALLED_GZIP_RATIO;
    bytes += (fromDeb + fromInstalled) / 2 + pyc * H.PYC_GZIP_RATIO;
  }
  return { bytes, uncompressedBytes };
}

/** `head -c 1048576 /dev/urandom > f`, `dd if=/dev/zero bs=1M count=10`, `fallocate -l 1G f`, `truncate -s 1G f`. */
function generatedFile(program: string, args: readonly string[], piped: boolean): SizePart | null {
  // Piped into something else (base64, sha256sum), the bytes are not written as they are.
  if (piped) return null;
  const random = (src: string | undefined): boolean => src !== undefined && /\/dev\/u?random/.test(src);
  if (program === 'head') {
    const at = args.findIndex((a) => a === '-c' || a.startsWith('-c') || a.startsWith('--bytes='));
    if (at < 0) return null;
    const a = args[at] as string;
    const n = parseSize(a === '-c' ? (args[at + 1] ?? '') : a.startsWith('--bytes=') ? a.slice(8) : a.slice(2));
    if (n === null) return null;
    const src = args.slice(at + (a === '-c' ? 2 : 1)).find((x) => !x.startsWith('-'));
    return part('heuristic', random(src) ? n : n / 1000, n + 512, `${human(n)} written by \`head -c\` from ${src ?? 'stdin'}`, 'medium');
  }
  if (program === 'dd') {
    const opt = (k: string): string | undefined => args.find((a) => a.startsWith(`${k}=`))?.slice(k.length + 1);
    const bs = parseSize(opt('bs') ?? '512');
    const count = Number(opt('count') ?? 'NaN');
    if (bs === null || !Number.isFinite(count) || !opt('of')) return null;
    const n = bs * count;
    return part('heuristic', random(opt('if')) ? n : n / 1000, n + 512, `${human(n)} written by \`dd\` from ${opt('if') ?? 'stdin'}`, 'medium');
  }
  if (program === 'fallocate' || program === 'truncate') {
    const at = args.findIndex((a) => a === '-l' || a === '-s' || a.startsWith('--length=') || a.startsWith('--size='));
    if (at < 0) return null;
    const a = args[at] as string;
    const n = parseSize(a.includes('=') ? a.slice(a.indexOf('=') + 1) : (args[at + 1] ?? ''));
    if (n === null) return null;
    return part('heuristic', n / 1000, n + 512, `${human(n)} of zeros from \`${program}\``, 'medium');
  }
  return null;
}

/** True when the command's output goes into a pipe (`head -c 100 /dev/urandom | base64`). */
function pipedOn(cmd: ShellCommand, text: string): boolean {
  return /^[^\S\n]*\|(?!\|)/.test(text.slice(cmd.range.end, cmd.range.end + 40));
}

/** `1048576`, `10M`, `1MiB`, `1G`, `4k`, `1MB`: bytes as coreutils reads them. */
export function parseSize(text: string): number | null {
  const m = /^(\d+)([kKMGT]?)(i?B)?$/.exec(text.trim());
  if (!m) return null;
  const unit = (m[2] ?? '').toUpperCase();
  const decimal = m[3] === 'B';
  const pow = ['', 'K', 'M', 'G', 'T'].indexOf(unit);
  return Number(m[1]) * (decimal ? 1000 : 1024) ** pow;
}

function listNames(names: readonly string[]): string {
  if (names.length <= 3) return names.join(', ');
  return `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function human(n: number): string {
  if (n >= MB) return `${(n / MB).toFixed(1)} MB`;
  if (n >= KB) return `${(n / KB).toFixed(1)} kB`;
  return `${Math.round(n)} B`;
}
