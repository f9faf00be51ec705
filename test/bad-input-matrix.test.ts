// The bad-input matrix through the CLI: each case gives a clear message naming the file (and line
// where there is one), the other files are still linted, and the exit code is the documented one
// (README, "Bad input"): 1 for a bad file among others, 2 for a bad invocation or configuration.
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { tempTrees } from './temp-tree.js';

const GOOD = 'FROM debian:12\nRUN echo a\nRUN echo b\n';

const tree = tempTrees('layerlint-bad-');

async function run(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(['--format', 'json', ...argv], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd, env: {}, isTTY: false });
  const results = stdout ? (JSON.parse(stdout) as { filePath: string; messages: { ruleId: string | null; line: number; message: string; fatal?: boolean }[] }[]) : [];
  return { code, stderr, results };
}

/** The bad file's fatal message, and proof that the good file beside it was linted. */
async function badBeside(bad: Record<string, string | Buffer>, name: string) {
  const dir = await tree({ 'good/Dockerfile': GOOD, ...bad });
  const r = await run(['.'], dir);
  const good = r.results.find((x) => x.filePath === 'good/Dockerfile');
  expect(good?.messages.map((m) => m.ruleId)).toContain('merge-consecutive-runs');
  const fatal = r.results.find((x) => x.filePath === name)?.messages.find((m) => m.fatal);
  return { code: r.code, fatal };
}

describe('bad input matrix', () => {
  it('empty file', async () => {
    const { code, fatal } = await badBeside({ 'empty/Dockerfile': '' }, 'empty/Dockerfile');
    expect(code).toBe(1);
    expect(fatal?.message).toBe('empty file: no instructions');
  });

  it('binary file with NUL bytes', async () => {
    const { fatal } = await badBeside({ 'bin/Dockerfile': Buffer.from([0x46, 0x52, 0x00, 0x01, 0xff]) }, 'bin/Dockerfile');
    expect(fatal?.message).toMatch(/^binary file/);
  });

  it('invalid UTF-8, with the line', async () => {
    const { fatal } = await badBeside({ 'utf/Dockerfile': Buffer.concat([Buffer.from('FROM a:1\nRUN echo '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]) }, 'utf/Dockerfile');
    expect(fatal).toMatchObject({ line: 2 });
    expect(fatal?.message).toMatch(/^invalid UTF-8 at line 2/);
  });

  it('a file over 50 MB is refused without reading it', async () => {
    const { fatal } = await badBeside({ 'big/Dockerfile': Buffer.alloc(50 * 1024 * 1024 + 10, 0x41) }, 'big/Dockerfile');
    expect(fatal?.message).toMatch(/^file too large/);
  }, 60_000);

  it('a 10,000-line RUN lints, with positions on the right lines', async () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `    && echo ${i} \\`).join('\n');
    const dir = await tree({ Dockerfile: `FROM debian:12\nRUN apt-get update \\\n${lines}\n    && true\n` });
    const r = await run(['Dockerfile'], dir);
    const m = r.results[0]?.messages.find((x) => x.ruleId === 'clean-apt-cache');
    expect(m?.line).toBe(2);
    expect(r.results[0]?.messages.filter((x) => x.fatal)).toEqual([]);
  }, 60_000);

  it('unterminated heredoc, with its line', async () => {
    const { fatal } = await badBeside({ 'h/Dockerfile': 'FROM a:1\nRUN echo x\nRUN <<EOF\necho never closed\n' }, 'h/Dockerfile');
    expect(fatal).toMatchObject({ line: 3, message: 'unterminated heredoc <<EOF: no line "EOF" closes it' });
  });

  it('unknown instruction, with its line; the rest of the file is still linted', async () => {
    const dir = await tree({ Dockerfile: 'FROM debian:12\nRUN echo a\nRUN echo b\nFETCH http://x\n' });
    const r = await run(['Dockerfile'], dir);
    const msgs = r.results[0]?.messages ?? [];
    expect(msgs.find((m) => m.fatal)).toMatchObject({ line: 4, message: 'unknown instruction "FETCH"' });
    expect(msgs.map((m) => m.ruleId)).toContain('merge-consecutive-runs');
  });

  it('invalid # escape= directive, with its line', async () => {
    const { fatal } = await badBeside({ 'e/Dockerfile': '# escape=x\nFROM a:1\n' }, 'e/Dockerfile');
    expect(fatal).toMatchObject({ line: 1, message: 'invalid escape directive "x": it must be \\ or `' });
  });

  it('a directory named Dockerfile is walked, not read', async () => {
    const dir = await tree({ 'Dockerfile/Dockerfile': GOOD });
    const r = await run(['.'], dir);
    expect(r.results.map((x) => x.filePath)).toEqual(['Dockerfile/Dockerfile']);
  });

  it('a broken symlink named on the command line', async () => {
    const dir = await tree({ 'good/Dockerfile': GOOD });
    await symlink(path.join(dir, 'nowhere'), path.join(dir, 'Dockerfile'));
    const r = await run(['Dockerfile', 'good'], dir);
    expect(r.code).toBe(1);
    expect(r.results.find((x) => x.filePath === 'Dockerfile')?.messages[0]?.message).toMatch(/broken symbolic link/);
    expect(r.results.find((x) => x.filePath === 'good/Dockerfile')).toBeDefined();
  });

  it('a symlink loop, and a symlink out of the linted root, are not followed', async () => {
    const outside = await tree({ 'secret/Dockerfile': GOOD });
    const dir = await tree({ 'good/Dockerfile': GOOD });
    await symlink(dir, path.join(dir, 'good', 'loop'));
    await symlink(path.join(outside, 'secret'), path.join(dir, 'escape'));
    const r = await run(['.'], dir);
    expect(r.results.map((x) => x.filePath)).toEqual(['good/Dockerfile']);
  });

  it('a missing path', async () => {
    const dir = await tree({ 'good/Dockerfile': GOOD });
    const r = await run(['missing', 'good'], dir);
    expect(r.code).toBe(1);
    expect(r.results.find((x) => x.filePath === 'missing')?.messages[0]).toMatchObject({ fatal: true, message: 'no such file or directory' });
  });

  it('an invalid config file names the key; exit 2', async () => {
    const dir = await tree({ '.layerlint.yaml': 'rules:\n  merge-consecutive-runs: loud\n', Dockerfile: GOOD });
    const r = await run(['Dockerfile'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^layerlint: \.layerlint\.yaml:2: rules\.merge-consecutive-runs: /);
  });

  it('an unknown rule in config (exit 2) and in a directive (a warning at its line)', async () => {
    const bad = await tree({ '.layerlint.yaml': 'rules:\n  no-such-rule: error\n', Dockerfile: GOOD });
    const r = await run(['Dockerfile'], bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-rule/);
    const dir = await tree({ Dockerfile: 'FROM debian:12\n# layerlint-disable-next-line no-such-rule\nRUN echo a\n' });
    const d = await run(['Dockerfile'], dir);
    expect(d.results[0]?.messages).toContainEqual(expect.objectContaining({ line: 2, message: 'unknown rule "no-such-rule" in layerlint-disable-next-line directive' }));
  });
});
