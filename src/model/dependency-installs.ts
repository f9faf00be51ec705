// The commands that install a project's dependencies from its manifest files (package.json, go.mod,
// requirements.txt...), and those manifests: what a Dockerfile should copy before the rest of the source
// so the slow install step stays cached while the source changes.
import { hasOption } from './command-queries.js';
import { withValue } from './command-args.js';
import { toolCall, type ToolCall } from './cache-cleanup.js';
import type { ShellCommand, ShellWord } from './types.js';

export interface DependencyInstall {
  /** Installs of one ecosystem share manifests: `node` (npm, yarn, pnpm, bun), `pip`, `go`... */
  ecosystem: string;
  /** `npm ci`, `pip install -r requirements.txt`. */
  label: string;
  /** Base names (globs allowed) of the files the install reads. */
  manifests: readonly string[];
  /** The manifests as a message names them: "`go.mod` and `go.sum`". */
  manifestText: string;
  /** A manifest named on the command line (`-r deps/prod.txt`), as written. */
  manifestPath: string | null;
  call: ToolCall;
}

/** npm, yarn, pnpm and bun read the same package.json: one install of any of them caches the others' work. */
const NODE_TOOLS = new Set(['npm', 'yarn', 'pnpm', 'bun']);
const NODE = ['package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock'];
const MANIFEST_TEXT: Record<string, string> = {
  node: '`package.json` and its lockfile',
  poetry: '`pyproject.toml` and `poetry.lock`',
  pipenv: '`Pipfile` and `Pipfile.lock`',
  uv: '`pyproject.toml` and `uv.lock`',
  go: '`go.mod` and `go.sum`',
  bundle: '`Gemfile` and `Gemfile.lock`',
  maven: '`pom.xml`',
  gradle: 'the Gradle build files',
  composer: '`composer.json` and `composer.lock`',
  cargo: '`Cargo.toml` and `Cargo.lock`',
  dotnet: 'the project files (`*.csproj`, `*.sln`)',
  mix: '`mix.exs` and `mix.lock`',
};
const MANIFESTS: Record<string, readonly string[]> = {
  npm: NODE,
  yarn: NODE,
  pnpm: NODE,
  bun: NODE,
  pip: ['requirements*.txt'],
  poetry: ['pyproject.toml', 'poetry.lock'],
  pipenv: ['Pipfile', 'Pipfile.lock'],
  uv: ['pyproject.toml', 'uv.lock', 'requirements*.txt'],
  go: ['go.mod', 'go.sum'],
  bundle: ['Gemfile', 'Gemfile.lock', '*.gemspec'],
  maven: ['pom.xml'],
  gradle: ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts', 'gradle.properties', 'libs.versions.toml'],
  composer: ['composer.json', 'composer.lock'],
  cargo: ['Cargo.toml', 'Cargo.lock'],
  dotnet: ['*.csproj', '*.fsproj', '*.vbproj', '*.sln', 'nuget.config', 'NuGet.Config', 'Directory.Packages.props', 'Directory.Build.props', 'packages.lock.json'],
  mix: ['mix.exs', 'mix.lock'],
};

/** Options of pip's `install` that take a value (other than the requirement files). */
const PIP_VALUE_OPTIONS = new Set(['-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-t', '--target', '--prefix', '--root', '--platform', '--python-version', '--implementation', '--abi', '--trusted-host', '--cache-dir', '--src', '--upgrade-strategy', '--progress-bar', '--log', '--timeout', '--retries', '--proxy', '--config-settings', '-C']);
const NPM_VALUE_OPTIONS = new Set(['--prefix', '-C', '--workspace', '-w', '--omit', '--include', '--registry', '--cache', '--loglevel', '--userconfig', '--cwd', '--modules-folder', '--network-timeout', '--mutex', '--filter', '--dir']);

/** Every program read below, pip and python aside: any other command is answered at once. */
const INSTALLERS = new Set(['npm', 'yarn', 'pnpm', 'bun', 'uv', 'poetry', 'pipenv', 'go', 'bundle', 'bundler', 'mvn', 'mvnw', 'gradle', 'gradlew', 'composer', 'composer.phar', 'cargo', 'dotnet', 'mix']);

/** The dependency install a command runs, if it is one; named packages (`npm install left-pad`) are not. */
export function dependencyInstall(cmd: ShellCommand): DependencyInstall | null {
  const call = toolCall(cmd);
  const p = call.program;
  if (!INSTALLERS.has(p) && !p.startsWith('pip') && !p.startsWith('python')) return null;
  const args = call.args;
  const pos = positionalsOf(args, NPM_VALUE_OPTIONS);
  const first = pos[0];
  const make = (tool: string, label: string): DependencyInstall => ({
    ecosystem: NODE_TOOLS.has(tool) ? 'node' : tool,
    label,
    manifests: MANIFESTS[tool] as readonly string[],
    manifestText: MANIFEST_TEXT[NODE_TOOLS.has(tool) ? 'node' : tool] ?? 'the manifests',
    manifestPath: null,
    call,
  });
  if (p === 'npm') {
    if (hasOption(args, '-g', '--global')) return null;
    if (first?.value === 'ci' || first?.value === 'clean-install') return make('npm', `npm ${first.value}`);
    if (['install', 'i', 'isntall', 'add'].includes(first?.value ?? '') && pos.length === 1) return make('npm', `npm ${first?.value}`);
    return null;
  }
  if (p === 'yarn' || p === 'pnpm' || p === 'bun') {
    if (!first) return p === 'yarn' && !hasOption(args, '-v', '--version', '-h', '--help') ? make('yarn', 'yarn') : null;
    if ((first.value === 'install' || first.value === 'i') && pos.length === 1 && !hasOption(args, '-g', '--global')) return make(p, `${p} ${first.value}`);
    if (p === 'pnpm' && first.value === 'fetch') return make(p, 'pnpm fetch');
    return null;
  }
  if (/^pip(\d(\.\d+)?)?$/.test(p) || (/^python(\d(\.\d+)?)?$/.test(p) && args[0]?.value === '-m' && /^pip\d?$/.test(args[1]?.value ?? ''))) {
    const rest = p.startsWith('python') ? args.slice(2) : args;
    return pipInstall(call, rest, p.startsWith('python') ? `${p} -m pip` : p, 'pip');
  }
  if (p === 'uv') {
    if (first?.value === 'sync') return make('uv', 'uv sync');
    if (first?.value === 'pip') return pipInstall(call, args.slice(args.indexOf(first) + 1), 'uv pip', 'uv');
    return null;
  }
  if (p === 'poetry') return first?.value === 'install' ? make('poetry', 'poetry install') : null;
  if (p === 'pipenv') return (first?.value === 'install' && pos.length === 1) || first?.value === 'sync' ? make('pipenv', `pipenv ${first.value}`) : null;
  if (p === 'go') return first?.value === 'mod' && pos[1]?.value === 'download' ? make('go', 'go mod download') : null;
  if (p === 'bundle' || p === 'bundler') return !first || first.value === 'install' ? make('bundle', first ? `${p} install` : p) : null;
  if (p === 'mvn' || p === 'mvnw') {
    const goal = pos.find((a) => /^dependency:(go-offline|resolve|resolve-plugins)$/.test(a.value));
    return goal ? make('maven', `${p} ${goal.value}`) : null;
  }
  if (p === 'gradle' || p === 'gradlew') {
    const task = pos.find((a) => a.value === 'dependencies' || a.value === 'downloadDependencies');
    return task ? make('gradle', `${p} ${task.value}`) : null;
  }
  if (p === 'composer' || p === 'composer.phar') return first?.value === 'install' ? make('composer', 'composer install') : null;
  if (p === 'cargo') return first?.value === 'fetch' ? make('cargo', 'cargo fetch') : null;
  if (p === 'dotnet') return first?.value === 'restore' ? make('dotnet', 'dotnet restore') : null;
  if (p === 'mix') return first?.value === 'deps.get' ? make('mix', 'mix deps.get') : null;
  return null;
}

/** `pip install -r requirements.txt`: an install from a requirements file. Named packages and `.` are not. */
function pipInstall(call: ToolCall, args: readonly ShellWord[], tool: string, ecosystem: string): DependencyInstall | null {
  const sub = args.find((a) => !a.value.startsWith('-'));
  if (sub?.value !== 'install' && !(ecosystem === 'uv' && sub?.value === 'sync')) return null;
  let file: ShellWord | null = null;
  for (let i = args.indexOf(sub) + 1; i < args.length; i++) {
    const a = args[i] as ShellWord;
    if (a.value === '-r' || a.value === '--requirement') {
      file = args[i + 1] ?? null;
      break;
    }
    if (a.value.startsWith('--requirement=')) {
      file = withValue(a, a.value.slice('--requirement='.length));
      break;
    }
    if (/^-r\S/.test(a.value)) {
      file = withValue(a, a.value.slice(2));
      break;
    }
    if (ecosystem === 'uv' && sub.value === 'sync' && !a.value.startsWith('-')) {
      file = a;
      break;
    }
    if (PIP_VALUE_OPTIONS.has(a.value)) i++;
  }
  if (!file) return null;
  const label = `${tool} ${sub.value} ${sub.value === 'sync' ? '' : '-r '}${file.value}`;
  return { ecosystem: 'pip', label, manifests: [baseName(file.value)], manifestText: `\`${file.value}\``, manifestPath: file.value, call };
}

/** Options that run the tool in another directory: `npm --prefix web ci`, `composer -d app install`. */
const DIR_OPTIONS: Record<string, readonly string[]> = {
  npm: ['--prefix'],
  yarn: ['--cwd'],
  pnpm: ['-C', '--dir'],
  composer: ['-d', '--working-dir'],
  bundle: ['--gemfile'],
  maven: ['-f', '--file'],
  gradle: ['-p', '--project-dir'],
  go: ['-C'],
};

/** The directory (in the image) holding the manifest the install reads; `cwd` is where the command runs. */
export function manifestDirectory(install: DependencyInstall, cwd: string, resolve: (cwd: string, path: string) => string): string {
  if (install.manifestPath) return dirName(resolve(cwd, install.manifestPath));
  const args = install.call.args;
  const options = DIR_OPTIONS[install.ecosystem] ?? [];
  for (let i = 0; i < args.length - 1; i++) {
    const a = args[i] as ShellWord;
    if (!options.includes(a.value)) continue;
    const target = resolve(cwd, (args[i + 1] as ShellWord).value);
    // `--gemfile app/Gemfile`, `mvn -f app/pom.xml`: the option names the file.
    return install.manifests.some((m) => globMatch(m, baseName(target))) ? dirName(target) : target;
  }
  return cwd;
}

function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  return i > 0 ? path.slice(0, i) : i === 0 ? '/' : '.';
}

function positionalsOf(args: readonly ShellWord[], valueOptions: ReadonlySet<string>): ShellWord[] {
  const out: ShellWord[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as ShellWord;
    if (valueOptions.has(a.value)) i++;
    else if (!a.value.startsWith('-')) out.push(a);
  }
  return out;
}

function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** True when a COPY source names one of the manifests: `package*.json` copies package.json, `app.csproj` matches `*.csproj`. */
export function copiesManifest(source: string, install: DependencyInstall): boolean {
  const base = baseName(source);
  if (base === '') return false;
  if (install.manifestPath) {
    // `COPY requirements/ ...` before `pip install -r requirements/prod.txt`.
    const dir = source.replace(/^\.\//, '').replace(/\/+$/, '');
    const path = install.manifestPath.replace(/^\.\//, '');
    if (dir !== '' && dir !== '.' && path.startsWith(`${dir}/`)) return true;
  }
  return install.manifests.some((m) => globMatch(m, base) || globMatch(base, m));
}

/** Shell-style match of one path segment: `*`, `?` and `[...]` in `pattern`. */
export function globMatch(pattern: string, name: string): boolean {
  if (!/[*?[]/.test(pattern)) return pattern === name;
  const re = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  try {
    return new RegExp(`^${re}$`).test(name);
  } catch {
    return false;
  }
}
