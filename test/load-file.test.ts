// Files that cannot be linted: each gives one fatal error naming the problem for that file, the
// other files are still linted, and the run fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index.js';
import { main, type CliIo } from '../src/cli/main.js';
import { decode, describeReadError, firstInvalidUtf8, loadFile, MAX_FILE_BYTES } from '../src/load/load-file.js';
import type { JsonResult } from '../src/report/json.js';
import * as api from '../src/index.js';

const repo = path.resolve(import.meta.dirname, '..');
const isRoot = process.getuid?.() === 0;
const GOOD = 'FROM scratch\nRUN a\nRUN b\n';
const temps: string[] = [];

async function tree(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'layerlint-load-'));
  temps.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

afterEach(async () => {
  for (const dir of temps.splice(0)) {
    await chmod(dir, 0o755).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
});

/** Only merge-consecutive-runs, as a warning: its finding proves a file was linted. */
const ONE_RULE = [
  ...builtinRules.filter((r) => r.id !== 'merge-consecutive-runs').flatMap((r) => ['--rule', `${r.id}:off`]),
  '--rule',
  'merge-consecutive-runs:warning',
];

async function runJson(cwd: string, args: string[] = ['.']): Promise<{ code: number; results: JsonResult[]; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd, env: {}, isTTY: false };
  const code = await main(['--format', 'json', ...ONE_RULE, ...args], io);
  return { code, results: stdout === '' ? [] : (JSON.parse(stdout) as JsonResult[]), stderr };
}

function fatalOf(results: JsonResult[], filePath: string): string {
  const result = results.find((r) => r.filePath === filePath);
  expect(result, `no result for ${filePath}`).toBeDefined();
  expect(result?.messages).toHaveLength(1);
  const [m] = result?.messages ?? [];
  expect(m).toMatchObject({ ruleId: null, severity: 'error', fatal: true });
  expect(result?.errorCount).toBe(1);
  return m?.message ?? '';
}

function goodWasLinted(results: JsonResult[], filePath = 'Dockerfile'): void {
  const good = results.find((r) => r.filePath === filePath);
  expect(good?.messages.map((m) => [m.ruleId, m.line])).toEqual([['merge-consecutive-runs', 3]]);
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const bytes = (...parts: (string | number[])[]): Uint8Array => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...utf8(p)] : p)));

describe('decode', () => {
  it('keeps the BOM for SourceText to remember, and CRLF as written', () => {
    const out = decode(bytes([0xef, 0xbb, 0xbf], 'FROM a\r\nRUN b\r\n'), 'Dockerfile');
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.source.bom).toBe(true);
    expect(out.source.eol).toBe('\r\n');
    expect(out.source.text).toBe('FROM a\r\nRUN b\r\n');
    expect(out.source.path).toBe('Dockerfile');
  });

  it('decodes multi-byte UTF-8', () => {
    const out = decode(utf8('FROM a\nLABEL x="é 日本 🐳"\n'), 'Dockerfile');
    expect(out.ok && out.source.text).toBe('FROM a\nLABEL x="é 日本 🐳"\n');
  });

  it('refuses a binary file by its NUL bytes', () => {
    const out = decode(bytes('FROM a\n', [0, 1, 2]), 'Dockerfile');
    expect(out).toEqual({ ok: false, problem: { message: 'binary file: it holds NUL bytes, so it is not a Dockerfile' } });
  });

  it('looks for NUL bytes only in the first 8 KiB', () => {
    const text = `FROM a\n# ${'x'.repeat(9000)}\n`;
    const late = bytes(text, [0]);
    const out = decode(late, 'Dockerfile');
    // Past the sniffed window a NUL is just a (valid UTF-8) character of the text.
    expect(out.ok).toBe(true);
  });

  it('names UTF-16 for a UTF-16 file rather than calling it binary', () => {
    expect(decode(bytes([0xff, 0xfe], [0x46, 0, 0x52, 0]), 'Dockerfile')).toEqual({ ok: false, problem: { message: 'UTF-16 encoded file: layerlint reads UTF-8 text only' } });
    expect(decode(bytes([0xfe, 0xff], [0, 0x46, 0, 0x52]), 'Dockerfile')).toEqual({ ok: false, problem: { message: 'UTF-16 encoded file: layerlint reads UTF-8 text only' } });
  });

  it('gives the line and column of the first invalid UTF-8 byte', () => {
    const out = decode(bytes('FROM a\nRUN echo ok\nLABEL é="', [0xe9], '"\n'), 'Dockerfile');
    expect(out).toEqual({ ok: false, problem: { message: 'invalid UTF-8 at line 3 (byte 0xe9): layerlint reads UTF-8 text only', line: 3, column: 10 } });
  });

  it('finds an invalid byte on the first line', () => {
    const out = decode(bytes([0x80], 'FROM a\n'), 'Dockerfile');
    expect(out).toEqual({ ok: false, problem: { message: 'invalid UTF-8 at line 1 (byte 0x80): layerlint reads UTF-8 text only', line: 1, column: 1 } });
  });
});

describe('firstInvalidUtf8', () => {
  it('accepts well-formed text', () => {
    expect(firstInvalidUtf8(utf8('a é 日 🐳'))).toBe(-1);
  });
  it('rejects what the WHATWG decoder rejects', () => {
    expect(firstInvalidUtf8(bytes('ab', [0xc0, 0xaf]))).toBe(2); // overlong '/'
    expect(firstInvalidUtf8(bytes('a', [0xe0, 0x80, 0xaf]))).toBe(1); // overlong, 3 bytes
    expect(firstInvalidUtf8(bytes('a', [0xed, 0xa0, 0x80]))).toBe(1); // UTF-16 surrogate
    expect(firstInvalidUtf8(bytes('a', [0xf4, 0x90, 0x80, 0x80]))).toBe(1); // past U+10FFFF
    expect(firstInvalidUtf8(bytes('abc', [0xe6, 0x97]))).toBe(3); // truncated at the end
    expect(firstInvalidUtf8(bytes('a', [0xe6, 0x41, 0x41]))).toBe(1); // missing continuation
    expect(firstInvalidUtf8(bytes([0xff]))).toBe(0);
  });
});

describe('loadFile', () => {
  it('reads a file', async () => {
    const dir = await tree({ Dockerfile: GOOD });
    const out = await loadFile(path.join(dir, 'Dockerfile'), 'Dockerfile');
    expect(out.ok && out.source.text).toBe(GOOD);
  });

  it('refuses a file over the size limit without reading it', async () => {
    const dir = await tree({});
    const file = path.join(dir, 'Dockerfile');
    // A sparse file: its size is past the limit but it takes no disk space.
    const handle = await open(file, 'w');
    await handle.truncate(MAX_FILE_BYTES + 1);
    await handle.close();
    expect(await loadFile(file, 'Dockerfile')).toEqual({ ok: false, problem: { message: 'file too large: 50.1 MB (the limit is 50 MB)' } });
  });

  it('takes a smaller limit', async () => {
    const dir = await tree({ Dockerfile: GOOD });
    expect(await loadFile(path.join(dir, 'Dockerfile'), 'Dockerfile', { maxBytes: 10 })).toEqual({ ok: false, problem: { message: `file too large: ${GOOD.length} bytes (the limit is 10 bytes)` } });
  });

  it.skipIf(isRoot)('reports a file it may not read', async () => {
    const dir = await tree({ Dockerfile: GOOD });
    await chmod(path.join(dir, 'Dockerfile'), 0o000);
    expect(await loadFile(path.join(dir, 'Dockerfile'), 'Dockerfile')).toEqual({ ok: false, problem: { message: 'cannot read file: permission denied' } });
  });

  it('reports a missing file and a directory', async () => {
    const dir = await tree({ 'sub/x': '' });
    expect(await loadFile(path.join(dir, 'nope'), 'nope')).toEqual({ ok: false, problem: { message: 'cannot read file: no such file or directory' } });
    expect(await loadFile(path.join(dir, 'sub'), 'sub')).toEqual({ ok: false, problem: { message: 'is a directory, not a file' } });
  });

  it('words read errors without the path or errno noise', () => {
    const error = Object.assign(new Error("EACCES: permission denied, open '/x/Dockerfile'"), { code: 'EACCES' });
    expect(describeReadError(error)).toBe('cannot read file: permission denied');
  });
});

describe('bad files in a run', () => {
  it('reports a binary file and lints the others', async () => {
    const dir = await tree({ Dockerfile: GOOD, 'bin/Dockerfile': bytes('FROM a\n', [0, 0, 0]) });
    const { code, results } = await runJson(dir);
    expect(fatalOf(results, 'bin/Dockerfile')).toBe('binary file: it holds NUL bytes, so it is not a Dockerfile');
    goodWasLinted(results);
    expect(code).toBe(1);
  });

  it('reports invalid UTF-8 with its line and lints the others', async () => {
    const dir = await tree({ Dockerfile: GOOD, 'latin1/Dockerfile': bytes('FROM a\nLABEL author="Ren', [0xe9], '"\n') });
    const { code, results } = await runJson(dir);
    expect(fatalOf(results, 'latin1/Dockerfile')).toBe('invalid UTF-8 at line 2 (byte 0xe9): layerlint reads UTF-8 text only');
    expect(results.find((r) => r.filePath === 'latin1/Dockerfile')?.messages[0]).toMatchObject({ line: 2, column: 18 });
    goodWasLinted(results);
    expect(code).toBe(1);
  });

  it('reports an empty file and lints the others', async () => {
    const dir = await tree({ Dockerfile: GOOD, 'empty/Dockerfile': '' });
    const { code, results } = await runJson(dir);
    expect(fatalOf(results, 'empty/Dockerfile')).toBe('empty file: no instructions');
    goodWasLinted(results);
    expect(code).toBe(1);
  });

  it('refuses a file over 50 MB and lints the others', async () => {
    const dir = await tree({ Dockerfile: GOOD });
    const handle = await open(path.join(dir, 'huge.Dockerfile'), 'w');
    await handle.truncate(MAX_FILE_BYTES + 1024 * 1024);
    await handle.close();
    const { code, results } = await runJson(dir);
    expect(fatalOf(results, 'huge.Dockerfile')).toBe('file too large: 51 MB (the limit is 50 MB)');
    goodWasLinted(results);
    expect(code).toBe(1);
  });

  it('names the bad file next to its problem in the default report', async () => {
    const dir = await tree({ Dockerfile: GOOD, 'bin/Dockerfile': bytes([0, 1]) });
    let stdout = '';
    const io: CliIo = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, cwd: dir, env: {}, isTTY: false };
    expect(await main([...ONE_RULE, '.'], io)).toBe(1);
    expect(stdout).toContain('bin/Dockerfile\n  1:1  error  binary file: it holds NUL bytes, so it is not a Dockerfile\n');
    expect(stdout).toContain('Dockerfile\n  3:1  warning');
  });

  it.skipIf(isRoot)('reports an unreadable file and lints the others', async () => {
    const dir = await tree({ Dockerfile: GOOD, 'secret/Dockerfile': GOOD });
    await chmod(path.join(dir, 'secret/Dockerfile'), 0o000);
    const { code, results } = await runJson(dir);
    expect(fatalOf(results, 'secret/Dockerfile')).toMatch(/permission denied/);
    goodWasLinted(results);
    expect(code).toBe(1);
  });

  // Root reads any file, so the unreadable case runs the built command as an unprivileged user.
  describe.runIf(isRoot)('as an unprivileged user', () => {
    const bin = path.join(repo, 'bin/layerlint.js');
    beforeAll(() => {
      if (!existsSync(path.join(repo, 'dist/src/cli/main.js'))) {
        // tsc emits even when some file fails to typecheck; the run below only needs the output.
        spawnSync(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: repo });
      }
    });

    it('reports an unreadable file and lints the others', async () => {
      const dir = await tree({ Dockerfile: GOOD, 'secret/Dockerfile': GOOD });
      await chmod(dir, 0o755);
      await chmod(path.join(dir, 'secret'), 0o755);
      await chmod(path.join(dir, 'secret/Dockerfile'), 0o000);
      let stdout = '';
      let code = 0;
      try {
        stdout = execFileSync(process.execPath, [bin, '--format', 'json', ...ONE_RULE, '.'], { cwd: dir, uid: 65534, gid: 65534, encoding: 'utf8' });
      } catch (error) {
        const e = error as { status: number; stdout: string; stderr: string };
        code = e.status;
        stdout = e.stdout;
        expect(e.stderr).toBe('');
      }
      const results = JSON.parse(stdout) as JsonResult[];
      expect(fatalOf(results, 'secret/Dockerfile')).toMatch(/permission denied/);
      goodWasLinted(results);
      expect(code).toBe(1);
    });
  });
});

describe('library API', () => {
  const onlyMerge = (severity: 'info' | 'warning' | 'error') =>
    Object.fromEntries(builtinRules.map((r) => [r.id, { severity: r.id === 'merge-consecutive-runs' ? severity : ('off' as const) }]));

  it('exports the entry points', () => {
    expect(Object.keys(api.formatters).sort()).toEqual(['github', 'json', 'markdown', 'sarif', 'stylish']);
    expect(api.builtinRules).toBe(builtinRules);
    expect(typeof api.createRule).toBe('function');
    expect(typeof api.loadConfig).toBe('function');
    expect(typeof api.ConfigError).toBe('function');
  });

  it('lintText lints a string with every rule at its default', async () => {
    const result = await api.lintText(GOOD);
    expect(result.filePath).toBe('<text>');
    expect(result.source).toBe(GOOD);
    expect(result.messages.find((m) => m.ruleId === 'merge-consecutive-runs')).toMatchObject({ severity: 'info', line: 3, column: 1 });
  });

  it('lintText takes settings and a file path', async () => {
    const result = await api.lintText(GOOD, { filePath: 'images/a/Dockerfile', settings: { rules: onlyMerge('error') } });
    expect(result.filePath).toBe('images/a/Dockerfile');
    expect(result.messages.map((m) => [m.ruleId, m.severity])).toEqual([['merge-consecutive-runs', 'error']]);
    expect(result.errorCount).toBe(1);
  });

  it('lintText refuses an unknown rule id', async () => {
    await expect(api.lintText(GOOD, { settings: { rules: { 'no-such-rule': { severity: 'error' } } } })).rejects.toThrow('unknown rule "no-such-rule"');
  });

  it('lintFiles reports paths relative to cwd, sorted, with bad paths as fatal results', async () => {
    const dir = await tree({ 'b/Dockerfile': GOOD, 'a/Dockerfile': GOOD });
    const results = await api.lintFiles(['.', 'missing'], { cwd: dir, rules: onlyMerge('warning') });
    expect(results.map((r) => [r.filePath, r.warningCount, r.errorCount])).toEqual([['a/Dockerfile', 1, 0], ['b/Dockerfile', 1, 0], ['missing', 0, 1]]);
    expect(results[2]?.messages[0]).toMatchObject({ ruleId: null, fatal: true, message: 'no such file or directory' });
  });

  it('lintFiles uses the config file given', async () => {
    const dir = await tree({ 'conf/c.yaml': 'rules:\n  merge-consecutive-runs: error\n', Dockerfile: GOOD });
    const [result] = await api.lintFiles(['Dockerfile'], { cwd: dir, configFile: 'conf/c.yaml' });
    expect(result?.messages.find((m) => m.ruleId === 'merge-consecutive-runs')?.severity).toBe('error');
  });

  it('lintFiles throws a ConfigError for a broken config', async () => {
    const dir = await tree({ '.layerlint.yaml': 'rules:\n  merge-consecutive-runs: sometimes\n', Dockerfile: GOOD });
    const error = await api.lintFiles(['.'], { cwd: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(api.ConfigError);
    expect(error).toMatchObject({ file: path.join(dir, '.layerlint.yaml'), line: 2, key: 'rules.merge-consecutive-runs' });
  });

  it('loadConfig reads a config against the built-in rules', async () => {
    const dir = await tree({ '.layerlint.yaml': 'rules:\n  merge-consecutive-runs: [warning, { maxCommands: 3 }]\n' });
    const loaded = await api.loadConfig(path.join(dir, '.layerlint.yaml'));
    expect(loaded.settings.rules).toEqual({ 'merge-consecutive-runs': { severity: 'warning', options: { maxCommands: 3 } } });
  });
});
