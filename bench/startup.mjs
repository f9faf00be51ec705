#!/usr/bin/env node
// Startup cost: pre-commit runs layerlint once per commit on a few small files, so the time to start
// matters more than the time per file. Runs `node -e ''` and `layerlint Dockerfile` (one small file)
// N times each, alternating so that load on the machine hits all alike, and prints the median wall
// time of each and the ratio to plain node. layerlint runs as the bin does (the bundle), and for
// comparison on the modules tsc writes, with and without V8's optimizing WebAssembly tier (whose
// background work delays the exit; bin/layerlint.js turns it off). With --phases it also times,
// inside one process, loading the code, the first lint (which compiles the shell parser's
// WebAssembly) and a second lint.
//
// Usage: npm run bench:startup [-- --runs 20 --phases]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runsAt = process.argv.indexOf('--runs');
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 20;
const phases = process.argv.includes('--phases');
const bin = path.join(root, 'bin/layerlint.js');
const bundle = path.join(root, 'dist/layerlint.mjs');
const modules = path.join(root, 'dist/src/cli/main.js');
if (!existsSync(modules)) throw new Error('run npm run build first');

const DOCKERFILE = `FROM debian:12-slim
RUN apt-get update \\
    && apt-get install -y --no-install-recommends ca-certificates curl \\
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY app.sh /app/
RUN chmod +x /app/app.sh
CMD ["/app/app.sh"]
`;
const dir = mkdtempSync(path.join(tmpdir(), 'layerlint-startup-'));
writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE);
writeFileSync(path.join(dir, 'app.sh'), '#!/bin/sh\necho hello\n');

/** As bin/layerlint.js, but on the modules tsc writes instead of the bundle; `tiers` keeps V8's optimizing WebAssembly tier. */
const unbundled = (tiers) => `${tiers ? '' : "import { setFlagsFromString } from 'node:v8'; setFlagsFromString('--liftoff-only');"}
const { main } = await import(${JSON.stringify(pathToFileURL(modules).href)});
process.exitCode = await main(process.argv.slice(1), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env, isTTY: false });`;

const commands = [
  { name: "node -e ''", argv: ['-e', ''] },
  ...(existsSync(bundle) ? [{ name: 'layerlint Dockerfile (bin: bundle, baseline Wasm tier)', argv: [bin, 'Dockerfile'] }] : []),
  { name: 'layerlint Dockerfile (tsc modules, baseline Wasm tier)', argv: ['--input-type=module', '-e', unbundled(false), 'Dockerfile'] },
  { name: 'layerlint Dockerfile (tsc modules, both Wasm tiers)', argv: ['--input-type=module', '-e', unbundled(true), 'Dockerfile'] },
];

const times = commands.map(() => []);
try {
  // One untimed round warms the file-system cache.
  for (const command of commands) run(command);
  for (let i = 0; i < runs; i++) {
    commands.forEach((command, j) => times[j].push(run(command)));
  }
  const base = median(times[0]);
  console.log(`${runs} runs each, alternating; median wall time (ms)`);
  commands.forEach((command, j) => {
    const m = median(times[j]);
    console.log(`${m.toFixed(1).padStart(8)}  ${(m / base).toFixed(2)}x  ${command.name}`);
  });
  if (phases) printPhases();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function run(command) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, command.argv, { cwd: dir, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  // Findings exit 1; 2 is an error, and a broken command must not pass for a fast one.
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command.name} exited ${result.status}: ${result.stderr}`);
  return ms;
}

/** Inside one process: where the time of a run goes. */
function printPhases() {
  const target = existsSync(bundle) ? bundle : modules;
  const script = `import { setFlagsFromString } from 'node:v8'; setFlagsFromString('--liftoff-only');
const t0 = performance.now();
const { main } = await import(${JSON.stringify(pathToFileURL(target).href)});
const t1 = performance.now();
const io = { stdout: { write() {} }, stderr: process.stderr, cwd: process.cwd(), env: {}, isTTY: false };
await main(['Dockerfile'], io);
const t2 = performance.now();
await main(['Dockerfile'], io);
const t3 = performance.now();
process.stdout.write(JSON.stringify({ boot: t0, load: t1 - t0, first: t2 - t1, second: t3 - t2 }));`;
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`phases: ${result.stderr}`);
    samples.push(JSON.parse(result.stdout));
  }
  console.log(`\nphases of one process (${path.relative(root, target)}), median ms`);
  for (const key of ['boot', 'load', 'first', 'second']) {
    const label = { boot: 'node until the script runs', load: 'load layerlint', first: 'first lint (incl. WebAssembly init)', second: 'second lint, same process' }[key];
    console.log(`${median(samples.map((s) => s[key])).toFixed(1).padStart(8)}  ${label}`);
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
