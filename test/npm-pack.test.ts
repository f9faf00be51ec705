// The package as npm publishes it: packed, installed into an empty directory with an empty cache and
// no network (everything it runs is bundled), then used there as a command and as a library.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let work = '';
let app = '';
let packed: { filename: string; files: { path: string }[] } = { filename: '', files: [] };

/** npm with a cache of its own: nothing it needs may come from the machine's cache or the registry. */
function runNpm(args: string[], cwd: string): string {
  const own = ['--cache', path.join(work, 'cache'), '--no-audit', '--no-fund', '--no-update-notifier'];
  const end = args.indexOf('--');
  const argv = end < 0 ? [...args, ...own] : [...args.slice(0, end), ...own, ...args.slice(end)];
  return execFileSync(npm, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(async () => {
  // `npm test` builds first; a bare `vitest run` may not have.
  if (!existsSync(path.join(repo, 'dist/layerlint.mjs')) || !existsSync(path.join(repo, 'dist/cli.cjs')) || !existsSync(path.join(repo, 'dist/src/index.d.ts'))) {
    spawnSync(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: repo });
    execFileSync(process.execPath, [path.join(repo, 'scripts/build-bundle.mjs')], { cwd: repo });
  }
  work = await mkdtemp(path.join(tmpdir(), 'layerlint-pack-'));
  app = path.join(work, 'app');
  await mkdir(app);
  // The build already ran; packing must not run it again.
  const out = runNpm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], repo);
  packed = (JSON.parse(out) as (typeof packed)[])[0] as typeof packed;
  await writeFile(path.join(app, 'package.json'), '{ "name": "consumer", "private": true, "type": "module" }\n');
  runNpm(['install', '--offline', '--no-package-lock', path.join(work, packed.filename)], app);
  await writeFile(path.join(app, 'Dockerfile'), 'FROM debian:12-slim\nRUN apt-get update\nRUN apt-get install -y curl\n');
}, 120_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships the bin, the bundles with their WebAssembly, the types, the rule docs and the schema', async () => {
    const files = packed.files.map((f) => f.path);
    for (const file of ['package.json', 'bin/layerlint.js', 'dist/cli.cjs', 'dist/layerlint.mjs', 'dist/layerlint.licenses.txt', 'dist/tree-sitter.wasm', 'dist/tree-sitter-bash.wasm', 'dist/src/index.d.ts', 'rules/merge-consecutive-runs.md', 'schema/layerlint.schema.json']) {
      expect(files, file).toContain(file);
    }
    // Every chunk the library imports, statically or not, and no chunk it does not.
    const chunks = files.filter((f) => /^dist\/layerlint-.*\.mjs$/.test(f));
    const installed = path.join(app, 'node_modules/layerlint');
    const imported = new Set<string>();
    for (const file of files.filter((f) => /^dist\/[^/]+\.mjs$/.test(f))) {
      for (const [, chunk] of (await readFile(path.join(installed, file), 'utf8')).matchAll(/["']\.\/(layerlint-[^"']+\.mjs)["']/g)) imported.add(`dist/${chunk}`);
    }
    expect(imported.size).toBeGreaterThan(0);
    expect([...imported].sort()).toEqual([...chunks].sort());
    // The bundle replaces the compiled modules, and nothing of the sources or tests is shipped.
    expect(files.filter((f) => /^dist\/.*\.js$/.test(f) || /^(src|test|fixtures|bench)\//.test(f))).toEqual([]);
  });

  it('has nothing to install from the registry', async () => {
    const pkg = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    expect(pkg.dependencies ?? {}, 'layerlint bundles its dependencies: add packages to devDependencies').toEqual({});
  });
});

describe('the installed package', () => {
  it('runs as node_modules/.bin/layerlint in an empty project', () => {
    const result = spawnSync(process.execPath, [path.join(app, 'node_modules/.bin/layerlint'), '--format', 'json', '--fail-level', 'info', 'Dockerfile'], { cwd: app, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    const [report] = JSON.parse(result.stdout) as { filePath: string; messages: { ruleId: string; line: number }[] }[];
    expect(report?.filePath).toBe('Dockerfile');
    expect(report?.messages.map((m) => `${m.line} ${m.ruleId}`)).toContain('3 merge-consecutive-runs');
  });

  it('keeps a code cache in node_modules/.cache after its first lint, and lints the same with it', async () => {
    const cacheDir = path.join(app, 'node_modules/.cache/layerlint');
    await rm(cacheDir, { recursive: true, force: true });
    const lint = () => spawnSync(process.execPath, [path.join(app, 'node_modules/.bin/layerlint'), '--format', 'json', 'Dockerfile'], { cwd: app, encoding: 'utf8' });
    const first = lint();
    const cached = (await readdir(cacheDir)).filter((f) => f.endsWith('.v8cache'));
    expect(cached).toHaveLength(1);
    const second = lint();
    expect([second.status, second.stdout, second.stderr]).toEqual([first.status, first.stdout, first.stderr]);
    // A script from a code cache cannot import() by itself: a config's plugin still loads.
    const plugged = path.join(app, 'plugged');
    await mkdir(plugged, { recursive: true });
    await writeFile(
      path.join(plugged, 'no-run.mjs'),
      `export const rules = [{ id: 'no-run', meta: { type: 'layers', docs: { description: 'No RUN' }, messages: { run: 'RUN' }, defaultSeverity: 'warning', schema: { type: 'object' }, defaultOptions: {} }, create: (context) => ({ RUN: (node) => context.report({ range: node.range, messageId: 'run' }) }) }];\n`,
    );
    await writeFile(path.join(plugged, '.layerlint.yaml'), 'plugins: [./no-run.mjs]\n');
    await writeFile(path.join(plugged, 'Dockerfile'), 'FROM alpine:3.20\nRUN true\n');
    const plugin = spawnSync(process.execPath, [path.join(app, 'node_modules/.bin/layerlint'), '--format', 'json', 'Dockerfile'], { cwd: plugged, encoding: 'utf8' });
    expect(plugin.stderr).toBe('');
    expect((JSON.parse(plugin.stdout) as { messages: { ruleId: string }[] }[])[0]?.messages.map((m) => m.ruleId)).toContain('no-run/no-run');
    // A cache that is not V8's is rejected and written again; the run is not disturbed.
    await writeFile(path.join(cacheDir, cached[0] as string), 'not a code cache');
    const third = lint();
    expect([third.status, third.stdout, third.stderr]).toEqual([first.status, first.stdout, first.stderr]);
    expect((await readFile(path.join(cacheDir, cached[0] as string))).length).toBeGreaterThan(1000);
  });

  it('runs the same where no code cache can be written', async () => {
    const lint = (env: NodeJS.ProcessEnv = {}) => spawnSync(process.execPath, [path.join(app, 'node_modules/.bin/layerlint'), '--format', 'json', 'Dockerfile'], { cwd: app, encoding: 'utf8', env: { ...process.env, ...env } });
    const expected = lint();
    // Files where the cache directories would be: neither can be created.
    await rm(path.join(app, 'node_modules/.cache'), { recursive: true, force: true });
    await writeFile(path.join(app, 'node_modules/.cache'), '');
    const blocked = path.join(work, 'not-a-directory');
    await writeFile(blocked, '');
    try {
      const result = lint({ TMPDIR: blocked, TEMP: blocked, TMP: blocked });
      expect([result.status, result.stdout, result.stderr]).toEqual([expected.status, expected.stdout, expected.stderr]);
    } finally {
      await rm(path.join(app, 'node_modules/.cache'), { force: true });
    }
  });

  it('runs through npx, and prints its version', () => {
    expect(runNpm(['exec', '--offline', '--', 'layerlint', '--version'], app).trim()).toMatch(/^\d+\.\d+\.\d+/);
    const clean = spawnSync(process.execPath, [path.join(app, 'node_modules/.bin/layerlint'), '--rule', 'merge-consecutive-runs:off', '--rule', 'clean-apt-cache:off', '--rule', 'apt-no-install-recommends:off', '--rule', 'pin-base-image-tag:off', 'Dockerfile'], { cwd: app, encoding: 'utf8' });
    expect(clean.stderr).toBe('');
    expect(clean.status).toBe(0);
  });

  it('is a library: lintText and the formatters from the bundle', () => {
    const script = `import { lintText, formatters } from 'layerlint';
const result = await lintText('FROM alpine:3.20\\nRUN apk add curl\\n', { filePath: 'Dockerfile' });
process.stdout.write(formatters.json([result], { cwd: process.cwd(), color: false, rulesMeta: {} }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: app, encoding: 'utf8' });
    expect((JSON.parse(out) as { messages: { ruleId: string }[] }[])[0]?.messages.map((m) => m.ruleId)).toContain('apk-no-cache');
  });

  it('ships the family worker and runs it from the installed package', () => {
    const worker = path.join(app, 'node_modules/layerlint/dist/family-worker.mjs');
    const script = `import { Worker } from 'node:worker_threads';
const w = new Worker(${JSON.stringify(worker)}, { execArgv: [] });
const settings = { rules: {}, reportUnusedDirectives: 'off' };
w.once('message', (reply) => { process.stdout.write(JSON.stringify(reply)); w.terminate(); });
w.postMessage({ files: [
  { file: '/r/base/Dockerfile', filePath: 'base/Dockerfile', text: 'FROM debian:12\\nRUN echo one\\n' },
  { file: '/r/child/Dockerfile', filePath: 'child/Dockerfile', text: 'FROM acme/base:1\\nRUN echo one\\n' },
], options: { cwd: '/r', familySettings: settings, sections: {} }, fingerprints: false });`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: app, encoding: 'utf8' });
    const reply = JSON.parse(out) as { findings: [string, { ruleId: string }[]][] };
    expect(reply.findings.map(([file, ds]) => [file, ds.map((d) => d.ruleId)])).toEqual([['/r/child/Dockerfile', ['repeated-ancestor-step']]]);
  });

  it('has types a TypeScript project can use', async () => {
    await writeFile(
      path.join(app, 'consumer.ts'),
      `import { createRule, lintFiles, type LintResult, type RuleModule } from 'layerlint';
const rule: RuleModule = createRule({
  id: 'no-run',
  meta: { type: 'layers', docs: { description: 'No RUN' }, messages: { run: 'RUN' }, defaultSeverity: 'info', schema: { type: 'object' }, defaultOptions: {} },
  create: (context) => ({ RUN: (node) => context.report({ range: node.range, messageId: 'run' }) }),
});
export const results: Promise<LintResult[]> = lintFiles(['.'], { familyContext: false });
export { rule };
`,
    );
    const tsc = spawnSync(
      process.execPath,
      [path.join(repo, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', path.join(repo, 'node_modules/@types'), 'consumer.ts'],
      { cwd: app, encoding: 'utf8' },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });
});
