// pre-commit passes only the changed files. The family rules still see the parents and siblings of
// those files (read from the repository as context), and only the files passed are reported.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { lintFiles } from '../src/load/lint-files.js';
import { repositoryRoot } from '../src/load/family-context.js';

const repo = path.resolve(import.meta.dirname, '..');
const temps: string[] = [];

afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tree(files: Record<string, string>, options: { git?: boolean } = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'layerlint-pre-commit-'));
  temps.push(dir);
  if (options.git ?? true) execFileSync('git', ['init', '-q', dir]);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

const INSTALL = 'RUN apt-get update \\\n    && apt-get install -y --no-install-recommends ca-certificates curl tini \\\n    && rm -rf /var/lib/apt/lists/*\n';
/** `base` and a `metrics` image built on it that runs the base's install step again. */
const FAMILY = {
  'images/base/Dockerfile': `FROM debian:12-slim\n${INSTALL}`,
  'images/metrics/Dockerfile': `FROM acme/base:1.0\n${INSTALL}COPY exporter /usr/local/bin/exporter\n`,
};
const CHILD = 'images/metrics/Dockerfile';

function ruleIds(result: { messages: { ruleId: string | null }[] } | undefined): (string | null)[] {
  return (result?.messages ?? []).map((m) => m.ruleId);
}

describe('family context for files named one by one', () => {
  it('finds the repeated parent step when only the child is passed, and reports the child alone', async () => {
    const dir = await tree(FAMILY);
    const results = await lintFiles([CHILD], { cwd: dir });
    expect(results.map((r) => r.filePath)).toEqual([CHILD]);
    const finding = results[0]?.messages.find((m) => m.ruleId === 'repeated-ancestor-step');
    expect(finding).toMatchObject({ line: 2, column: 1 });
    expect(finding?.related?.[0]).toMatchObject({ filePath: 'images/base/Dockerfile', line: 2 });
  });

  it('reads no context with familyContext: false', async () => {
    const dir = await tree(FAMILY);
    const results = await lintFiles([CHILD], { cwd: dir, familyContext: false });
    expect(results.map((r) => r.filePath)).toEqual([CHILD]);
    expect(ruleIds(results[0])).not.toContain('repeated-ancestor-step');
  });

  it('reports a directory walk as before: every file found, the same finding', async () => {
    const dir = await tree(FAMILY);
    const results = await lintFiles(['images'], { cwd: dir });
    expect(results.map((r) => r.filePath)).toEqual(['images/base/Dockerfile', CHILD]);
    expect(ruleIds(results[1])).toContain('repeated-ancestor-step');
  });

  it('never reports findings of the context files, even when the parent has its own', async () => {
    const dir = await tree({ ...FAMILY, 'images/base/Dockerfile': `FROM debian:12-slim\n${INSTALL}RUN echo one\nRUN echo two\n` });
    const results = await lintFiles([CHILD], { cwd: dir });
    expect(results.map((r) => r.filePath)).toEqual([CHILD]);
  });

  it('leaves out context files the repository ignores', async () => {
    const dir = await tree({ ...FAMILY, '.gitignore': 'images/base/\n' });
    const results = await lintFiles([CHILD], { cwd: dir });
    expect(ruleIds(results[0])).not.toContain('repeated-ancestor-step');
  });

  it('looks for the family from the repository root, wherever the command runs', async () => {
    const dir = await tree(FAMILY);
    const results = await lintFiles(['Dockerfile'], { cwd: path.join(dir, 'images/metrics') });
    expect(results.map((r) => r.filePath)).toEqual(['Dockerfile']);
    expect(ruleIds(results[0])).toContain('repeated-ancestor-step');
  });
});

describe('repositoryRoot', () => {
  it('is the nearest directory with .git', async () => {
    const dir = await tree(FAMILY);
    expect(await repositoryRoot(path.join(dir, 'images/metrics'))).toBe(dir);
  });

  it('is the nearest directory with a config file when there is no repository', async () => {
    const dir = await tree({ ...FAMILY, 'images/.layerlint.yaml': 'rules: {}\n' }, { git: false });
    expect(await repositoryRoot(path.join(dir, 'images/metrics'))).toBe(path.join(dir, 'images'));
  });

  it('is none when neither is found above the file: no family context is read', async () => {
    const dir = await tree(FAMILY, { git: false });
    expect(await repositoryRoot(path.join(dir, 'images/metrics'))).toBeNull();
  });
});

describe('the command line', () => {
  async function run(argv: string[], cwd: string): Promise<{ code: number; stdout: string }> {
    let stdout = '';
    const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, cwd, env: {}, isTTY: false });
    return { code, stdout };
  }

  it('reads the family by default and not with --no-family-context', async () => {
    const dir = await tree(FAMILY);
    const withContext = await run(['--format', 'json', CHILD], dir);
    const without = await run(['--format', 'json', '--no-family-context', CHILD], dir);
    const ids = (out: string) => (JSON.parse(out) as { filePath: string; messages: { ruleId: string }[] }[]).flatMap((r) => r.messages.map((m) => `${r.filePath} ${m.ruleId}`));
    expect(ids(withContext.stdout)).toContain(`${CHILD} repeated-ancestor-step`);
    expect(ids(without.stdout)).not.toContain(`${CHILD} repeated-ancestor-step`);
    expect(ids(withContext.stdout).every((id) => id.startsWith(CHILD))).toBe(true);
  });

  it('fixes only the files passed', async () => {
    const parent = `FROM debian:12-slim\n${INSTALL}RUN echo one\nRUN echo two\n`;
    const dir = await tree({ ...FAMILY, 'images/base/Dockerfile': parent, [CHILD]: `${FAMILY[CHILD]}RUN echo one\nRUN echo two\n` });
    await run(['--fix', CHILD], dir);
    expect(await readFile(path.join(dir, 'images/base/Dockerfile'), 'utf8')).toBe(parent);
    expect(await readFile(path.join(dir, CHILD), 'utf8')).toMatch(/RUN echo one \\\n\s+&& echo two/);
  });
});

describe('.pre-commit-hooks.yaml', () => {
  interface Hook {
    id: string;
    entry: string;
    language: string;
    files: string;
    pass_filenames: boolean;
    require_serial: boolean;
  }

  it('runs the package bin on Dockerfiles, serially, with the file names', async () => {
    const hooks = parse(await readFile(path.join(repo, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
    const pkg = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(hooks.map((h) => h.id)).toEqual(['layerlint']);
    const hook = hooks[0] as Hook;
    expect(hook).toMatchObject({ entry: 'layerlint', language: 'node', pass_filenames: true, require_serial: true });
    expect(Object.keys(pkg.bin)).toContain(hook.entry);
  });

  // pre-commit installs a node hook with `npm install`, then takes the whole stdout of `npm pack` as
  // the packed file's name: the build that `prepare` runs must not print there.
  it('keeps the build out of the stdout of npm pack', () => {
    const value = execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['config', 'get', 'foreground-scripts'], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(value.trim()).toBe('false');
  });

  // The pattern is a Python regular expression; it uses only syntax that JavaScript reads the same way.
  it('matches the Dockerfile names layerlint lints, and their templates', async () => {
    const hooks = parse(await readFile(path.join(repo, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
    const files = new RegExp((hooks[0] as Hook).files);
    const matched = [
      'Dockerfile',
      'images/api/Dockerfile',
      'Containerfile',
      'build/Containerfile.dev',
      'Dockerfile.prod',
      'api.Dockerfile',
      'docker/api.dockerfile',
      'docker/base/Dockerfile.j2',
      'docker/api.Dockerfile.j2',
    ];
    const skipped = ['.dockerignore', 'Dockerfile.dockerignore', 'README.md', 'Dockerfiles/README.md', 'MyDockerfile', 'docs/dockerfile.md', 'Dockerfile/'];
    expect(matched.filter((f) => !files.test(f))).toEqual([]);
    expect(skipped.filter((f) => files.test(f))).toEqual([]);
  });
});
