#!/usr/bin/env node
// Startup cost: pre-commit runs layerlint once per commit on a few small files, so the time to start
// matters more than the time per file. Runs `node -e ''` and `layerlint Dockerfile` (one small file)
// N times each, alternating so that load on the machine hits all alike, and prints the median wall
// time of each and the ratio to plain node. The goal is at most 1.5 times plain node for the command
// as shipped: bin/layerlint.js on the bundle, with the code cache it keeps after its first run (see
// bin/layerlint.js). For comparison: the same without the code cache (what a first run pays, less
// writing the cache), and the modules tsc writes, with and without V8's optimizing WebAssembly tier
// (whose background work delays the exit; bin/layerlint.js turns it off). With --phases it also
// times, inside one process, loading the bundle (without the code cache), the first lint (which
// compiles the shell parser's WebAssembly), a second lint, and the WebAssembly setup alone.
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
const bundle = path.join(root, 'dist/cli.cjs');
const modules = path.join(root, 'dist/src/cli/main.js');
if (!existsSync(modules) || !existsSync(bundle)) throw new Error('run npm run build first');

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

const SHIPPED = 'layerlint Dockerfile (bin as shipped: bundle, code cache)';
const commands = [
  { name: "node -e ''", argv: ['-e', ''] },
  { name: SHIPPED, argv: [bin, 'Dockerfile'] },
  { name: 'layerlint Dockerfile (bin: bundle, no code cache)', argv: [bin, 'Dockerfile'], env: { LAYERLINT_CODE_CACHE: '0' } },
  { name: 'layerlint Dockerfile (tsc modules, baseline Wasm tier)', argv: ['--input-type=module', '-e', unbundled(false), 'Dockerfile'] },
  { name: 'layerlint Dockerfile (tsc modules, both Wasm tiers)', argv: ['--input-type=module', '-e', unbundled(true), 'Dockerfile'] },
];

const times = commands.map(() => []);
try {
  // One untimed round warms the file-system cache, and the bin's first run writes its code cache.
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
  const shipped = median(times[commands.findIndex((c) => c.name === SHIPPED)]);
  console.log(`\nlayerlint as shipped: ${(shipped / base).toFixed(2)} times node -e '' (goal: at most 1.50)`);
  if (phases) printPhases();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function run(command) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, command.argv, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...command.env } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  // Findings exit 1; 2 is an error, and a broken command must not pass for a fast one.
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command.name} exited ${result.status}: ${result.stderr}`);
  return ms;
}

/** Inside one process: where the time of a run goes. */
function printPhases() {
  const lint = `const { setFlagsFromString } = require('node:v8'); setFlagsFromString('--liftoff-only');
const t0 = performance.now();
const { main } = require(${JSON.stringify(bundle)});
const t1 = performance.now();
const io = { stdout: { write() {} }, stderr: process.stderr, cwd: process.cwd(), env: {}, isTTY: false };
(async () => {
  await main(['Dockerfile'], io);
  const t2 = performance.now();
  await main(['Dockerfile'], io);
  const t3 = performance.now();
  process.stdout.write(JSON.stringify({ boot: t0, load: t1 - t0, first: t2 - t1, second: t3 - t2 }));
})();`;
  // The shell parser alone, from the modules tsc writes: Parser.init and Language.load of the grammar.
  const wasm = `import { setFlagsFromString } from 'node:v8'; setFlagsFromString('--liftoff-only');
const { initShellParser } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'dist/src/model/shell-parser.js')).href)});
const t0 = performance.now();
await initShellParser();
process.stdout.write(JSON.stringify({ wasm: performance.now() - t0 }));`;
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const a = spawnSync(process.execPath, ['-e', lint], { cwd: dir, encoding: 'utf8' });
    if (a.status !== 0) throw new Error(`phases: ${a.stderr}`);
    const b = spawnSync(process.execPath, ['--input-type=module', '-e', wasm], { cwd: dir, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`phases: ${b.stderr}`);
    samples.push({ ...JSON.parse(a.stdout), ...JSON.parse(b.stdout) });
  }
  console.log(`\nphases of one process (${path.relative(root, bundle)}), median ms`);
  const labels = {
    boot: 'node until the script runs',
    load: 'load the bundle (no code cache)',
    first: 'first lint (incl. WebAssembly init)',
    second: 'second lint, same process',
    wasm: 'shell parser WebAssembly init alone (Parser.init + Language.load)',
  };
  for (const [key, label] of Object.entries(labels)) {
    console.log(`${median(samples.map((s) => s[key])).toFixed(1).padStart(8)}  ${label}`);
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
