// The package as npm publishes it: packed, installed into an empty directory with an empty cache and
// no network (everything it runs is bundled), then used there as a command and as a library.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
  if (!existsSync(path.join(repo, 'dist/layerlint.mjs')) || !existsSync(path.join(repo, 'dist/src/index.d.ts'))) {
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
  it('ships the bin, the bundle with its WebAssembly, the types, the rule docs and the schema', () => {
    const files = packed.files.map((f) => f.path);
    for (const file of ['package.json', 'bin/layerlint.js', 'dist/layerlint.mjs', 'dist/layerlint.licenses.txt', 'dist/tree-sitter.wasm', 'dist/tree-sitter-bash.wasm', 'dist/src/index.d.ts', 'rules/merge-consecutive-runs.md', 'schema/layerlint.schema.json']) {
      expect(files, file).toContain(file);
    }
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
