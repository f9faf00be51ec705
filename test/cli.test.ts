// The command line, run in-process with fake streams, on temporary trees. One test runs the built
// bin/layerlint.js as a child process, to prove the installed command works.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index.js';
import { main, type CliIo } from '../src/cli/main.js';
import type { RuleInfo } from '../src/cli/rules-command.js';
import type { JsonResult } from '../src/report/json.js';
import { tempTrees } from './temp-tree.js';

const repo = path.resolve(import.meta.dirname, '..');
const tree = tempTrees('layerlint-cli-');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], cwd: string, io: Partial<Pick<CliIo, 'env' | 'isTTY'>> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd,
    env: io.env ?? {},
    isTTY: io.isTTY ?? false,
  });
  return { code, stdout, stderr };
}

/** Every other rule off, so what is asserted does not move as rules are added. */
function only(id: string): string[] {
  return builtinRules.filter((r) => r.id !== id).flatMap((r) => ['--rule', `${r.id}:off`]);
}
const MERGE = only('merge-consecutive-runs');

/** Two short RUNs: merge-consecutive-runs reports line 3, an info by default. */
const TWO_RUNS = 'FROM scratch\nRUN a\nRUN b\n';
const ONE_RUN = 'FROM scratch\nRUN a && b\n';

describe('exit codes', () => {
  it('is 0 when nothing is found', async () => {
    const dir = await tree({ Dockerfile: ONE_RUN });
    expect(await run([...MERGE], dir)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('is 0 for info findings: they fail only with --fail-level info', async () => {
    const dir = await tree({ Dockerfile: TWO_RUNS });
    const info = await run([...MERGE], dir);
    expect(info.code).toBe(0);
    expect(info.stdout).toContain('3:1  info  RUN follows another RUN on line 2');
    expect((await run([...MERGE, '--fail-level', 'info'], dir)).code).toBe(1);
  });

  it('is 1 for a warning by default, 0 with --fail-level error', async () => {
    const dir = await tree({ Dockerfile: TWO_RUNS });
    expect((await run([...MERGE, '--rule', 'merge-consecutive-runs:warning'], dir)).code).toBe(1);
    expect((await run([...MERGE, '--rule', 'merge-consecutive-runs:warning', '--fail-level', 'error'], dir)).code).toBe(0);
    expect((await run([...MERGE, '--rule', 'merge-consecutive-runs:error', '--fail-level', 'error'], dir)).code).toBe(1);
  });

  it('is 1 when warnings exceed --max-warnings, whatever the fail level', async () => {
    const dir = await tree({ 'a/Dockerfile': TWO_RUNS, 'b/Dockerfile': TWO_RUNS });
    const warn = [...MERGE, '--rule', 'merge-consecutive-runs:warning', '--fail-level', 'error'];
    expect((await run([...warn, '--max-warnings', '1'], dir)).code).toBe(1);
    expect((await run([...warn, '--max-warnings', '2'], dir)).code).toBe(0);
  });

  it('counts a file that cannot be linted as an error', async () => {
    const dir = await tree({ Dockerfile: 'FROM scratch\nRUN a\n', 'bad/Dockerfile': 'RUN a\n' });
    const out = await run([...MERGE, '--format', 'json'], dir);
    expect(out.code).toBe(1);
    const bad = (JSON.parse(out.stdout) as JsonResult[]).find((r) => r.filePath === 'bad/Dockerfile');
    expect(bad?.errorCount).toBeGreaterThan(0);
    expect(bad?.messages.every((m) => m.fatal && m.ruleId === null)).toBe(true);
  });

  it('--quiet reports errors only, and only they decide the exit code', async () => {
    const dir = await tree({ 'a/Dockerfile': TWO_RUNS, 'b/Dockerfile': 'RUN a\n' });
    const out = await run([...MERGE, '--rule', 'merge-consecutive-runs:warning', '--quiet'], dir);
    expect(out.stdout).toContain('b/Dockerfile');
    expect(out.stdout).not.toContain('a/Dockerfile');
    expect(out.stdout).not.toMatch(/\d+:\d+\s+warning/);
    expect(out.stdout).toContain('(2 errors, 0 warnings, 0 infos)');
    expect(out.code).toBe(1);
    const clean = await tree({ Dockerfile: TWO_RUNS });
    expect(await run([...MERGE, '--rule', 'merge-consecutive-runs:warning', '--quiet'], clean)).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('usage errors exit 2 with one line on stderr', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown option', ['--frobnicate'], /^layerlint: Unknown option '--frobnicate'\n$/],
    ['an unknown format', ['--format', 'xml'], /^layerlint: unknown format "xml" \(available: stylish, json, sarif, github, markdown\)\n$/],
    ['an unknown rule', ['--rule', 'no-such-rule:error'], /^layerlint: --rule no-such-rule:error: unknown rule "no-such-rule"/],
    ['a bad rule severity', ['--rule', 'merge-consecutive-runs:fatal'], /^layerlint: --rule merge-consecutive-runs:fatal: expected <rule-id>:<error\|warning\|info\|off>\n$/],
    ['a bad fail level', ['--fail-level', 'none'], /^layerlint: --fail-level none: expected error, warning or info\n$/],
    ['a bad --max-warnings', ['--max-warnings', 'many'], /^layerlint: --max-warnings many: expected a whole number/],
    ['a bad unused-directive severity', ['--report-unused-directives=loud'], /^layerlint: --report-unused-directives loud: expected error, warning, info or off\n$/],
    ['two output files for one format', ['-f', 'json', '-o', 'a.json', '-o', 'b.json'], /^layerlint: --output-file b\.json: --format json already writes to a\.json/],
    ['two formats on stdout', ['-f', 'json', '-f', 'stylish'], /^layerlint: more than one --format writes to stdout/],
    ['a missing option value', ['--config'], /^layerlint: Option '-c, --config <value>' argument missing\n$/],
  ];
  for (const [name, argv, stderr] of cases) {
    it(name, async () => {
      const dir = await tree({ Dockerfile: ONE_RUN });
      const out = await run(argv, dir);
      expect(out.code).toBe(2);
      expect(out.stdout).toBe('');
      expect(out.stderr).toMatch(stderr);
      expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  }

  it('reports a tree without Dockerfiles', async () => {
    const dir = await tree({ 'README.md': '# nothing\n' });
    expect(await run([], dir)).toEqual({ code: 2, stdout: '', stderr: 'layerlint: no Dockerfiles found in .\n' });
  });
});

describe('paths', () => {
  it('lints the current directory by default, reporting paths relative to it with /', async () => {
    const dir = await tree({ 'images/base/Dockerfile': TWO_RUNS, 'images/app/Dockerfile': ONE_RUN });
    const out = await run([...MERGE, '-f', 'json'], dir);
    const results = JSON.parse(out.stdout) as JsonResult[];
    expect(results.map((r) => r.filePath)).toEqual(['images/app/Dockerfile', 'images/base/Dockerfile']);
    expect(results[1]?.messages.map((m) => [m.ruleId, m.line, m.column, m.endLine, m.endColumn, m.severity])).toEqual([['merge-consecutive-runs', 3, 1, 3, 4, 'info']]);
  });

  it('lints only the paths given', async () => {
    const dir = await tree({ 'a/Dockerfile': TWO_RUNS, 'b/Dockerfile': TWO_RUNS });
    const results = JSON.parse((await run([...MERGE, '-f', 'json', 'b'], dir)).stdout) as JsonResult[];
    expect(results.map((r) => r.filePath)).toEqual(['b/Dockerfile']);
  });

  it('reports a missing path as a fatal error for that path and lints the rest', async () => {
    const dir = await tree({ Dockerfile: TWO_RUNS });
    const out = await run([...MERGE, '-f', 'json', 'Dockerfile', 'nope/Dockerfile'], dir);
    const results = JSON.parse(out.stdout) as JsonResult[];
    expect(results.map((r) => r.filePath)).toEqual(['Dockerfile', 'nope/Dockerfile']);
    expect(results[1]?.messages).toEqual([{ ruleId: null, severity: 'error', message: 'no such file or directory', line: 1, column: 1, endLine: 1, endColumn: 1, fatal: true }]);
    expect(results[0]?.infoCount).toBe(1);
    expect(out.code).toBe(1);
  });
});

describe('output', () => {
  it('writes each format to the output file that follows it, and one to stdout', async () => {
    const dir = await tree({ Dockerfile: TWO_RUNS });
    const out = await run([...MERGE, '-f', 'json', '-o', 'reports/layerlint.json', '--format', 'stylish', '--format', 'stylish', '--output-file', 'reports/layerlint.txt'], dir);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('✖ 1 problem (0 errors, 0 warnings, 1 info)');
    const json = JSON.parse(await readFile(path.join(dir, 'reports/layerlint.json'), 'utf8')) as JsonResult[];
    expect(json[0]?.messages[0]?.ruleId).toBe('merge-consecutive-runs');
    expect(await readFile(path.join(dir, 'reports/layerlint.txt'), 'utf8')).toBe(out.stdout);
  });

  it('pairs an output file given before the only format with it', async () => {
    const dir = await tree({ Dockerfile: TWO_RUNS });
    const out = await run([...MERGE, '-o', 'out.json', '-f', 'json'], dir);
    expect(out.stdout).toBe('');
    expect(JSON.parse(await readFile(path.join(dir, 'out.json'), 'utf8'))).toHaveLength(1);
  });

  it('writes the default format to an output file given alone, even an empty report', async () => {
    const dir = await tree({ Dockerfile: ONE_RUN });
    const out = await run([...MERGE, '-o', 'out.txt'], dir);
    expect(out).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await readFile(path.join(dir, 'out.txt'), 'utf8')).toBe('');
  });

  it('prints a JSON array for every file, clean ones included', async () => {
    const dir = await tree({ Dockerfile: ONE_RUN });
    const out = await run([...MERGE, '-f', 'json'], dir);
    expect(out.stdout).toBe('[{"filePath":"Dockerfile","messages":[],"errorCount":0,"warningCount":0,"infoCount":0,"fixableCount":0}]\n');
  });

  it('colors stdout for a terminal, unless NO_COLOR or --no-color; never colors files', async () => {
    const dir = await tree({ Dockerfile: TWO_RUNS });
    const esc = '\u001b[';
    expect((await run([...MERGE], dir, { isTTY: true })).stdout).toContain(esc);
    expect((await run([...MERGE], dir, { isTTY: false })).stdout).not.toContain(esc);
    expect((await run([...MERGE], dir, { isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toContain(esc);
    expect((await run([...MERGE, '--no-color'], dir, { isTTY: true })).stdout).not.toContain(esc);
    expect((await run([...MERGE, '--color'], dir, { isTTY: false })).stdout).toContain(esc);
    await run([...MERGE, '--color', '-o', 'out.txt'], dir, { isTTY: true });
    expect(await readFile(path.join(dir, 'out.txt'), 'utf8')).not.toContain(esc);
  });
});

describe('rules and directives', () => {
  it('--rule turns a rule off', async () => {
    const dir = await tree({ Dockerfile: TWO_RUNS });
    expect(await run([...MERGE, '--rule', 'merge-consecutive-runs:off', '--fail-level', 'info'], dir)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('a later --rule for the same rule wins', async () => {
    const dir = await tree({ Dockerfile: TWO_RUNS });
    expect((await run([...MERGE, '--rule', 'merge-consecutive-runs:off', '--rule', 'merge-consecutive-runs:error'], dir)).code).toBe(1);
  });

  it('--report-unused-directives reports directives that suppress nothing, as a warning by default', async () => {
    const text = 'FROM scratch\n# layerlint-disable-next-line merge-consecutive-runs\nRUN a && b\n';
    const dir = await tree({ Dockerfile: text });
    expect((await run([...MERGE], dir)).code).toBe(0);
    const warn = await run([...MERGE, '--report-unused-directives', '-f', 'json'], dir);
    const [result] = JSON.parse(warn.stdout) as JsonResult[];
    expect(result?.messages).toMatchObject([{ ruleId: null, severity: 'warning', line: 2, message: expect.stringMatching(/^unused layerlint-disable-next-line directive/) as unknown }]);
    expect(warn.code).toBe(1);
    const err = await run([...MERGE, '--report-unused-directives', 'error', '-f', 'json'], dir);
    expect((JSON.parse(err.stdout) as JsonResult[])[0]?.errorCount).toBe(1);
  });

  it('--report-unused-directives leaves a following path alone', async () => {
    const dir = await tree({ 'a/Dockerfile': 'FROM scratch\n# layerlint-disable-next-line merge-consecutive-runs\nRUN a && b\n', 'b/Dockerfile': ONE_RUN });
    const out = await run([...MERGE, '--report-unused-directives', 'a', '-f', 'json'], dir);
    expect((JSON.parse(out.stdout) as JsonResult[]).map((r) => r.filePath)).toEqual(['a/Dockerfile']);
  });
});

describe('config files', () => {
  /** Three commands each: over merge-consecutive-runs' default maxCommands of 2. */
  const TWO_LONG_RUNS = 'FROM scratch\nRUN a && b && c\nRUN d && e && f\n';

  it('uses the nearest config upward from each file, and --rule over it', async () => {
    const dir = await tree({
      '.layerlint.yaml': 'rules:\n  merge-consecutive-runs: warning\n',
      'a/Dockerfile': TWO_RUNS,
      'b/.layerlint.yaml': 'rules:\n  merge-consecutive-runs: off\n',
      'b/Dockerfile': TWO_RUNS,
      'b/deeper/Dockerfile': TWO_RUNS,
    });
    const out = await run([...MERGE, '-f', 'json'], dir);
    const counts = (JSON.parse(out.stdout) as JsonResult[]).map((r) => [r.filePath, r.warningCount, r.infoCount]);
    expect(counts).toEqual([['a/Dockerfile', 1, 0], ['b/Dockerfile', 0, 0], ['b/deeper/Dockerfile', 0, 0]]);
    expect(out.code).toBe(1);
    const overridden = await run([...MERGE, '-f', 'json', '--rule', 'merge-consecutive-runs:info'], dir);
    expect((JSON.parse(overridden.stdout) as JsonResult[]).map((r) => r.infoCount)).toEqual([1, 1, 1]);
    expect(overridden.code).toBe(0);
  });

  it('--config uses one file for every Dockerfile', async () => {
    const dir = await tree({
      'ci/strict.yaml': 'rules:\n  merge-consecutive-runs: error\n',
      'b/.layerlint.yaml': 'rules:\n  merge-consecutive-runs: off\n',
      'a/Dockerfile': TWO_RUNS,
      'b/Dockerfile': TWO_RUNS,
    });
    const out = await run([...MERGE, '-f', 'json', '--config', 'ci/strict.yaml'], dir);
    expect((JSON.parse(out.stdout) as JsonResult[]).map((r) => r.errorCount)).toEqual([1, 1]);
  });

  it('a severity from --rule keeps the options the config gives the rule', async () => {
    const dir = await tree({ '.layerlint.yaml': 'rules:\n  merge-consecutive-runs: [off, { maxCommands: 3 }]\n', Dockerfile: TWO_LONG_RUNS });
    const out = await run([...MERGE, '-f', 'json', '--rule', 'merge-consecutive-runs:warning'], dir);
    expect((JSON.parse(out.stdout) as JsonResult[])[0]?.messages.map((m) => [m.ruleId, m.line])).toEqual([['merge-consecutive-runs', 3]]);
  });

  it('reads reportUnusedDirectives from the config, and the flag overrides it', async () => {
    const dir = await tree({
      '.layerlint.yaml': 'reportUnusedDirectives: error\n',
      Dockerfile: 'FROM scratch\n# layerlint-disable-next-line merge-consecutive-runs\nRUN a && b\n',
    });
    expect((await run([...MERGE], dir)).code).toBe(1);
    expect((await run([...MERGE, '--report-unused-directives', 'off'], dir)).code).toBe(0);
  });

  it('skips what ignorePatterns name, at the root and in a nested config', async () => {
    const dir = await tree({
      '.layerlint.yaml': 'ignorePatterns:\n  - vendor/\n',
      'vendor/x/Dockerfile': TWO_RUNS,
      'app/.layerlint.yaml': 'ignorePatterns:\n  - legacy.Dockerfile\n',
      'app/Dockerfile': TWO_RUNS,
      'app/legacy.Dockerfile': TWO_RUNS,
    });
    const out = await run([...MERGE, '-f', 'json'], dir);
    expect((JSON.parse(out.stdout) as JsonResult[]).map((r) => r.filePath)).toEqual(['app/Dockerfile']);
  });

  it('reports an ignored path named on the command line as a notice, not a failure', async () => {
    const dir = await tree({ '.layerlint.yaml': 'ignorePatterns:\n  - vendor/\n', 'vendor/Dockerfile': TWO_RUNS });
    const out = await run([...MERGE, '-f', 'json', 'vendor/Dockerfile'], dir);
    expect(JSON.parse(out.stdout)).toEqual([
      {
        filePath: 'vendor/Dockerfile',
        messages: [{ ruleId: null, severity: 'info', message: 'file ignored because of a matching ignore pattern', line: 1, column: 1, endLine: 1, endColumn: 1 }],
        errorCount: 0,
        warningCount: 0,
        infoCount: 1,
        fixableCount: 0,
      },
    ]);
    expect(out.code).toBe(0);
  });

  it('exits 2 on a config error, naming the file, line and key on one line', async () => {
    const dir = await tree({ 'images/.layerlint.yaml': 'rules:\n  merge-consecutive-runs: loud\n', 'images/Dockerfile': TWO_RUNS });
    expect(await run([], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'layerlint: images/.layerlint.yaml:2: rules.merge-consecutive-runs: must be one of off, info, warning, error, not "loud"\n',
    });
  });

  it('exits 2 on an unknown rule in the config', async () => {
    const dir = await tree({ '.layerlint.yaml': 'rules:\n  merge-consecutive-run: warning\n', Dockerfile: TWO_RUNS });
    const out = await run([], dir);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe('layerlint: .layerlint.yaml:2: rules.merge-consecutive-run: is not a known rule; did you mean "merge-consecutive-runs"?\n');
  });

  it('exits 2 when --config names a missing file', async () => {
    const dir = await tree({ Dockerfile: TWO_RUNS });
    expect(await run(['--config', 'nope.yaml'], dir)).toEqual({ code: 2, stdout: '', stderr: 'layerlint: nope.yaml: cannot read config file: no such file or directory\n' });
  });

  it('prints the stack of an error only with LAYERLINT_DEBUG=1', async () => {
    const dir = await tree({ '.layerlint.yaml': 'rules: 3\n', Dockerfile: TWO_RUNS });
    const plain = await run([], dir);
    expect(plain.stderr.trimEnd().split('\n')).toHaveLength(1);
    const debug = await run([], dir, { env: { LAYERLINT_DEBUG: '1' } });
    expect(debug.stderr.split('\n')[0]).toBe(plain.stderr.trimEnd());
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});

describe('help, version and the rules subcommand', () => {
  it('--help prints usage and exits 0', async () => {
    const out = await run(['--help'], repo);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^Usage: layerlint \[options\] \[paths\.\.\.\]/);
    for (const flag of ['--format', '--output-file', '--config', '--rule', '--fail-level', '--max-warnings', '--report-unused-directives', '--no-color', '--quiet', '--version']) {
      expect(out.stdout).toContain(flag);
    }
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')) as { version: string };
    expect(await run(['--version'], repo)).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('rules --format json lists every rule with its metadata', async () => {
    const out = await run(['rules', '--format', 'json'], repo);
    expect(out.code).toBe(0);
    const rules = JSON.parse(out.stdout) as RuleInfo[];
    expect(rules.map((r) => r.id)).toEqual(builtinRules.map((r) => r.id).sort());
    expect(rules.find((r) => r.id === 'merge-consecutive-runs')).toEqual({
      id: 'merge-consecutive-runs',
      description: 'Consecutive RUN instructions with the same flags should be one layer',
      defaultSeverity: 'info',
      fixable: true,
      hasSuggestions: false,
      sources: ['hadolint:DL3059'],
      type: 'layers',
    });
  });

  it('rules prints a table by default', async () => {
    const out = await run(['rules'], repo);
    expect(out.code).toBe(0);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RULE\s+SEVERITY\s+FIX\s+COST\s+SOURCES\s+DESCRIPTION$/);
    expect(lines).toHaveLength(builtinRules.length + 1);
    expect(lines.find((l) => l.startsWith('merge-consecutive-runs '))).toMatch(/^merge-consecutive-runs\s+info\s+fix\s+layers\s+hadolint:DL3059\s+Consecutive RUN instructions/);
  });

  it('rules rejects an unknown format', async () => {
    expect(await run(['rules', '--format', 'yaml'], repo)).toEqual({ code: 2, stdout: '', stderr: 'layerlint: rules: unknown format "yaml" (available: text, json)\n' });
  });
});

describe('bin/layerlint.js', () => {
  beforeAll(() => {
    // `npm test` builds first; a bare `vitest run` may not have.
    if (!existsSync(path.join(repo, 'dist/src/cli/main.js'))) {
      spawnSync(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: repo });
    }
  });

  it('runs the built CLI and sets the exit code', async () => {
    const dir = await tree({ 'a/Dockerfile': TWO_RUNS, 'b/Dockerfile': ONE_RUN });
    const bin = path.join(repo, 'bin/layerlint.js');
    const ok = spawnSync(process.execPath, [bin, ...MERGE, '-f', 'json', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect((JSON.parse(ok.stdout) as JsonResult[]).map((r) => [r.filePath, r.infoCount])).toEqual([['a/Dockerfile', 1], ['b/Dockerfile', 0]]);

    const failing = spawnSync(process.execPath, [bin, ...MERGE, '--fail-level', 'info'], { cwd: dir, encoding: 'utf8' });
    expect(failing.status).toBe(1);
    expect(failing.stdout).toContain('a/Dockerfile\n  3:1  info  RUN follows another RUN on line 2');

    const usage = spawnSync(process.execPath, [bin, '--nope'], { cwd: dir, encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toBe("layerlint: Unknown option '--nope'\n");

    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
