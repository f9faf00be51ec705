// A process killed during --fix leaves every file either as it was or as fixed, never partial.
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index.js';

const repo = path.resolve(import.meta.dirname, '..');
const bin = path.join(repo, 'bin', 'layerlint.js');
const FILES = 1500;
const OLD = `FROM debian:12\n${Array.from({ length: 40 }, (_, i) => `RUN echo step-${i}\nWORKDIR /w${i}\n`).join('')}RUN echo a\nRUN echo b\n`;
const NEW = OLD.replace('RUN echo a\nRUN echo b\n', 'RUN echo a \\\n    && echo b\n');
const ruleArgs = builtinRules.filter((r) => r.id !== 'merge-consecutive-runs').flatMap((r) => ['--rule', `${r.id}:off`]);
let dir = '';

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('--fix killed mid-run', () => {
  it('leaves each file old or new, never partial', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'layerlint-kill-'));
    for (let i = 0; i < FILES; i++) {
      await mkdir(path.join(dir, `img${i}`));
      await writeFile(path.join(dir, `img${i}`, 'Dockerfile'), OLD);
    }
    const child = spawn(process.execPath, [bin, '--fix', '--format', 'json', ...ruleArgs, dir], { stdio: 'ignore' });
    // Kill as soon as the first file has been replaced: the writes are under way.
    const probe = path.join(dir, 'img0', 'Dockerfile');
    const started = Date.now();
    let killedMidWrite = false;
    while (Date.now() - started < 60_000 && child.exitCode === null) {
      if ((await readFile(probe, 'utf8')) !== OLD) {
        child.kill('SIGKILL');
        killedMidWrite = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
    let olds = 0;
    let news = 0;
    for (let i = 0; i < FILES; i++) {
      const text = await readFile(path.join(dir, `img${i}`, 'Dockerfile'), 'utf8');
      expect([OLD, NEW]).toContain(text);
      if (text === OLD) olds++;
      else news++;
    }
    const leftovers = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.tmp'));
    expect(leftovers.length).toBeLessThanOrEqual(1);
    console.log(`killed mid-write: ${killedMidWrite}; files fixed before the kill: ${news}, untouched: ${olds}`);
    expect(news).toBeGreaterThan(0);
  }, 120_000);
});
