// The GitHub Action as the runner runs it: the committed bundle, from a checkout of the action with
// nothing installed (no node_modules anywhere above it), in a simulated workflow environment. Its
// reports must be exactly what the library's formatters make of the same workspace.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { builtinRules } from '../rules/index.js';
import { lintFiles } from '../src/load/lint-files.js';
import { github } from '../src/report/github.js';
import { formatters, type FormatterContext } from '../src/report/index.js';
import { markdown } from '../src/report/markdown.js';
import { sarif } from '../src/report/sarif.js';

const repo = path.resolve(import.meta.dirname, '..');
const dist = path.join(repo, 'action/dist');
const temps: string[] = [];

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function tempDir(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `layerlint-action-${name}-`));
  temps.push(dir);
  return dir;
}

interface ActionYaml {
  runs: { using: string; main: string };
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
}

const actionYaml = parse(readFileSync(path.join(repo, 'action.yml'), 'utf8')) as ActionYaml;

/** The action's repository as `uses: layerlint/layerlint@v0` fetches it, without node_modules. */
function checkout(): string {
  const dir = tempDir('checkout');
  for (const file of ['action.yml', 'package.json']) cpSync(path.join(repo, file), path.join(dir, file));
  mkdirSync(path.join(dir, 'rules'));
  for (const doc of readdirSync(path.join(repo, 'rules')).filter((f) => f.endsWith('.md'))) cpSync(path.join(repo, 'rules', doc), path.join(dir, 'rules', doc));
  cpSync(dist, path.join(dir, 'action/dist'), { recursive: true });
  return dir;
}

interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: string;
  summary: string;
}

/** Runs the action's entry point as the runner does: every input set (defaults filled in), cwd = the workspace. */
function runAction(action: string, workspace: string, inputs: Record<string, string> = {}): ActionRun {
  const files = tempDir('runner');
  const outputFile = path.join(files, 'output');
  const summaryFile = path.join(files, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NO_COLOR: '1',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
  };
  for (const [name, input] of Object.entries(actionYaml.inputs)) env[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? input.default ?? '';
  const run = spawnSync(process.execPath, [path.join(action, actionYaml.runs.main)], { cwd: workspace, env, encoding: 'utf8', timeout: 60_000 });
  expect(run.error).toBeUndefined();
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, outputs: readFileSync(outputFile, 'utf8'), summary: readFileSync(summaryFile, 'utf8') };
}

function workspaceCopy(): string {
  const dir = tempDir('workspace');
  cpSync(path.join(repo, 'fixtures/family'), dir, { recursive: true });
  return dir;
}

describe('action.yml', () => {
  it('is a JavaScript action run from the committed bundle, with the documented inputs and outputs', () => {
    expect(actionYaml.runs).toEqual({ using: 'node20', main: 'action/dist/index.js' });
    expect(Object.keys(actionYaml.inputs)).toEqual(['paths', 'config', 'fail-level', 'formats', 'sarif-file', 'job-summary', 'annotate']);
    expect(Object.keys(actionYaml.outputs)).toEqual(['errors', 'warnings', 'infos', 'total', 'sarif-file']);
  });
});

describe('the committed bundle', () => {
  it('is what npm run build:action makes of the sources today', () => {
    const fresh = tempDir('build');
    const build = spawnSync(process.execPath, [path.join(repo, 'src/action/build.mjs'), fresh], { cwd: repo, encoding: 'utf8', timeout: 120_000 });
    expect(build.status, build.stderr).toBe(0);
    const files = readdirSync(fresh).sort();
    expect(files).toEqual(['index.js', 'licenses.txt', 'tree-sitter-bash.wasm', 'tree-sitter.wasm']);
    expect(readdirSync(dist).sort()).toEqual(files);
    for (const file of files) {
      const same = readFileSync(path.join(fresh, file)).equals(readFileSync(path.join(dist, file)));
      expect(same, `action/dist/${file} is out of date: run npm run build:action and commit action/dist`).toBe(true);
    }
  });
});

describe('the action in a simulated workflow', async () => {
  const action = checkout();
  const workspace = workspaceCopy();
  const first = runAction(action, workspace);
  // What the library makes of the same workspace, for comparison.
  const results = await lintFiles(['.'], { cwd: workspace });
  const context: FormatterContext = { cwd: workspace, color: false, rulesMeta: Object.fromEntries(builtinRules.map((r) => [r.id, r.meta])) };
  const errors = results.reduce((n, r) => n + r.errorCount, 0);
  const warnings = results.reduce((n, r) => n + r.warningCount, 0);
  const infos = results.reduce((n, r) => n + r.infoCount, 0);

  it('finds something to report in the example family', () => {
    expect(errors).toBeGreaterThan(0);
    expect(warnings).toBeGreaterThan(0);
    expect(infos).toBeGreaterThan(0);
  });

  it('sets every output in the GITHUB_OUTPUT file', () => {
    const sarifPath = path.join(workspace, 'layerlint.sarif');
    expect(first.outputs).toBe(`errors=${errors}\nwarnings=${warnings}\ninfos=${infos}\ntotal=${errors + warnings + infos}\nsarif-file=${sarifPath}\n`);
  });

  it('prints the annotations, then the default stylish report, and fails at the default fail level', () => {
    const failing = errors + warnings;
    expect(first.stdout).toBe(
      github(results, context) +
        formatters.stylish(results, context) +
        `::error title=layerlint::${failing} problems at or above the fail level (warning)\n`,
    );
    expect(first.stdout).toMatch(/^::error file=backup\/Dockerfile,line=7,endLine=7,col=1,endColumn=4,title=prefer-copy-over-add::backup\/Dockerfile:7:1: /m);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(1);
  });

  it('writes the markdown job summary', () => {
    expect(first.summary).toBe(markdown(results, context));
    expect(first.summary).toContain(`**${errors + warnings + infos} problems**`);
  });

  it('writes the SARIF file for upload-sarif, with the rule docs shipped beside the action', () => {
    const text = readFileSync(path.join(workspace, 'layerlint.sarif'), 'utf8');
    expect(text).toBe(`${sarif(results, context)}\n`);
    const log = JSON.parse(text) as { runs: { results: unknown[]; tool: { driver: { rules: { help: { markdown: string } }[] } } }[] };
    expect(log.runs[0]?.results).toHaveLength(errors + warnings + infos);
    expect(log.runs[0]?.tool.driver.rules[0]?.help.markdown).toContain('## Why');
  });

  it('can write other reports to files, skip annotations, summary and SARIF, and never fail', () => {
    const run = runAction(action, workspace, { 'fail-level': 'none', annotate: 'false', 'job-summary': 'false', 'sarif-file': '', formats: 'json:reports/layerlint.json' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.summary).toBe('');
    expect(run.outputs).toMatch(/\nsarif-file=\n$/);
    expect(readFileSync(path.join(workspace, 'reports/layerlint.json'), 'utf8')).toBe(`${formatters.json(results, context)}\n`);
  });

  it('fails only at or above the fail level asked for', () => {
    const run = runAction(action, workspace, { 'fail-level': 'error', paths: 'cron', formats: '', 'sarif-file': '' });
    expect(run.outputs).toMatch(/^errors=0\n/);
    expect(run.code).toBe(0);
  });

  it('reports a bad input as one error annotation and exit code 2', () => {
    const run = runAction(action, workspace, { 'fail-level': 'sometimes' });
    expect(run.stdout).toBe('::error title=layerlint::fail-level: expected error, warning, info or none, got "sometimes"\n');
    expect(run.code).toBe(2);
    expect(existsSync(path.join(workspace, 'never.sarif'))).toBe(false);
  });
});
