// --fix, --fix-dry-run and --fix-type through the CLI, in-process, on temporary trees.
import { readFile, stat, chmod } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index.js';
import { main } from '../src/cli/main.js';
import { tempTrees } from './temp-tree.js';

const tree = tempTrees('layerlint-fix-');

async function run(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd, env: {}, isTTY: false });
  return { code, stdout, stderr };
}

const only = (id: string): string[] => builtinRules.filter((r) => r.id !== id).flatMap((r) => ['--rule', `${r.id}:off`]);
const MERGE = only('merge-consecutive-runs');
const TWO_RUNS = 'FROM debian:12\nRUN echo a\nRUN echo b\n';
const MERGED = 'FROM debian:12\nRUN echo a \\\n    && echo b\n';

describe('--fix', () => {
  it('writes the fixed file, keeps its mode, and a second run changes nothing', async () => {
    const dir = await tree({ 'app/Dockerfile': TWO_RUNS });
    const file = path.join(dir, 'app/Dockerfile');
    await chmod(file, 0o640);
    const first = await run(['--fix', ...MERGE, '.'], dir);
    expect(first.code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(MERGED);
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    const second = await run(['--fix', ...MERGE, '--format', 'json', '.'], dir);
    const json = JSON.parse(second.stdout) as { output?: string }[];
    expect(json[0]?.output).toBeUndefined();
    expect(await readFile(file, 'utf8')).toBe(MERGED);
  });

  it('keeps a BOM and CRLF line endings', async () => {
    const dir = await tree({ Dockerfile: '\ufeffFROM debian:12\r\nRUN echo a\r\nRUN echo b\r\n' });
    await run(['--fix', ...MERGE, 'Dockerfile'], dir);
    expect(await readFile(path.join(dir, 'Dockerfile'), 'utf8')).toBe('\ufeffFROM debian:12\r\nRUN echo a \\\r\n    && echo b\r\n');
  });

  it('never changes a file that does not parse', async () => {
    const broken = 'FROM debian:12\nRUN echo a\nRUN echo b\nRUN <<EOF\necho unterminated\n';
    const dir = await tree({ Dockerfile: broken });
    const r = await run(['--fix', ...MERGE, 'Dockerfile'], dir);
    expect(r.code).toBe(1);
    expect(await readFile(path.join(dir, 'Dockerfile'), 'utf8')).toBe(broken);
  });
});

describe('--fix-dry-run', () => {
  it('writes nothing and prints a unified diff', async () => {
    const dir = await tree({ 'app/Dockerfile': TWO_RUNS });
    const r = await run(['--fix-dry-run', ...MERGE, '.'], dir);
    expect(await readFile(path.join(dir, 'app/Dockerfile'), 'utf8')).toBe(TWO_RUNS);
    expect(r.stdout).toContain('--- a/app/Dockerfile\n+++ b/app/Dockerfile\n');
    expect(r.stdout).toContain('-RUN echo a\n-RUN echo b\n+RUN echo a \\\n+    && echo b\n');
  });

  it('puts the fixed text in the json output and the diff on stderr', async () => {
    const dir = await tree({ Dockerfile: TWO_RUNS });
    const r = await run(['--fix-dry-run', '--format', 'json', ...MERGE, 'Dockerfile'], dir);
    const json = JSON.parse(r.stdout) as { filePath: string; output?: string; messages: unknown[] }[];
    expect(json[0]).toMatchObject({ filePath: 'Dockerfile', output: MERGED, messages: [] });
    expect(r.stderr).toContain('+++ b/Dockerfile');
  });

  it('--fix-type suggestion also applies suggestions; without it they are left', async () => {
    const code = 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n';
    const dir = await tree({ Dockerfile: code });
    const rec = only('apt-no-install-recommends');
    const safe = await run(['--fix-dry-run', '--format', 'json', ...rec, 'Dockerfile'], dir);
    expect((JSON.parse(safe.stdout) as { output?: string }[])[0]?.output).toBeUndefined();
    const suggested = await run(['--fix-dry-run', '--fix-type', 'suggestion', '--format', 'json', ...rec, 'Dockerfile'], dir);
    expect((JSON.parse(suggested.stdout) as { output?: string }[])[0]?.output).toContain('apt-get install -y --no-install-recommends curl');
  });

  it('--fix-type alone is a usage error', async () => {
    const dir = await tree({ Dockerfile: TWO_RUNS });
    const r = await run(['--fix-type', 'suggestion', 'Dockerfile'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('layerlint: --fix-type needs --fix or --fix-dry-run\n');
  });
});

describe('layerlint graph', () => {
  it('prints the family as text, json, dot and mermaid', async () => {
    const dir = await tree({
      'base/Dockerfile': 'FROM debian:12-slim\nRUN echo base\n',
      'api/Dockerfile': 'FROM acme/base:1\nRUN echo api\n',
    });
    const text = await run(['graph', '.'], dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('debian:12-slim  (external)\n└── base  (1 layer, base/Dockerfile)\n    └── api  (1 layer, api/Dockerfile)\n');
    const json = JSON.parse((await run(['graph', '-f', 'json', '.'], dir)).stdout) as { images: { name: string; parent: string }[] };
    expect(json.images.map((i) => [i.name, i.parent])).toEqual([['api', 'base'], ['base', 'debian:12-slim']]);
    expect((await run(['graph', '-f', 'dot', '.'], dir)).stdout).toContain('"base" -> "api";');
    expect((await run(['graph', '-f', 'mermaid', '.'], dir)).stdout).toMatch(/^flowchart LR\n/);
    expect((await run(['graph', '-f', 'svg', '.'], dir)).code).toBe(2);
  });
});
