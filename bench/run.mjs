#!/usr/bin/env node
// `npm run bench`: layerlint against dockerfilelint (the fastest JavaScript peer), whole CLI run
// against whole CLI run, measured side by side in one run on the same files. Prints files/s, MB/s,
// peak RSS and the throughput ratio layerlint/peer, as medians of several alternating runs: layerlint
// from scratch, with `--cache` on unchanged files (a repeated run), and on the generated corpus with
// `--cache` after one Dockerfile was edited.
// Also the shared corpus and the Kolla render when ../shared is present, and one-file latency
// against `node -e ''`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { generate } from './gen-corpus.mjs';

const root = path.resolve(import.meta.dirname, '..');
const layerlint = path.join(root, 'bin', 'layerlint.js');
const peer = path.join(root, 'node_modules', 'dockerfilelint', 'bin', 'dockerfilelint');
const rss = path.join(root, 'bench', 'rss.cjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timed(args, cwd = root) {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--require', rss, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - t;
  const m = /BENCH_MAXRSS_KB (\d+)/.exec(r.stderr ?? '');
  // dockerfilelint exits with the number of problems found; only a signal or a crash is a failure.
  if (r.status === null || /^(Error|TypeError|RangeError)/m.test(r.stderr ?? "")) throw new Error(`${args[0]} failed: ${r.stderr?.slice(0, 500)}`);
  return { ms, rssMiB: m ? Number(m[1]) / 1024 : NaN };
}

/**
 * `edit`, when given, is a Dockerfile of the tree the rounds may change: each round then also times a
 * cached run after one line was added to it (a commit that touches one Dockerfile of the family).
 */
function compare(label, files, bytes, dir, edit) {
  const ours = [];
  const cached = [];
  const edited = [];
  const theirs = [];
  const original = edit === undefined ? '' : readFileSync(edit, 'utf8');
  const out = ['--format', 'json', '--output-file', path.join(tmpdir(), 'layerlint-bench.json')];
  // The cache lives outside the linted tree; one untimed run fills it.
  const cache = ['--cache-location', path.join(tmpdir(), `layerlint-bench-${process.pid}.cache`)];
  timed([layerlint, dir, ...out, ...cache]);
  for (let i = 0; i < RUNS; i++) {
    ours.push(timed([layerlint, dir, ...out]));
    cached.push(timed([layerlint, dir, ...out, ...cache]));
    if (edit !== undefined) {
      writeFileSync(edit, `${original}# edited in round ${i}\n`);
      edited.push(timed([layerlint, dir, ...out, ...cache]));
      writeFileSync(edit, original);
      // Back to the unchanged tree, so that the next round's cached run finds it as stored.
      timed([layerlint, dir, ...out, ...cache]);
    }
    theirs.push(timed([peer, '-o', 'json', ...files]));
  }
  rmSync(cache[1], { force: true });
  const row = (name, runs) => {
    const ms = median(runs.map((r) => r.ms));
    return { name, ms, filesPerS: files.length / (ms / 1000), mbPerS: bytes / 1e6 / (ms / 1000), rss: Math.max(...runs.map((r) => r.rssMiB)) };
  };
  const a = row('layerlint', ours);
  const c = row('layerlint --cache', cached);
  const b = row('dockerfilelint', theirs);
  const d = edit === undefined ? null : row('  1 file edited', edited);
  console.log(`\n${label}: ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB (median of ${RUNS} runs each, alternating)`);
  for (const r of [a, c, ...(d ? [d] : []), b]) console.log(`  ${r.name.padEnd(18)} ${r.ms.toFixed(0).padStart(7)} ms  ${r.filesPerS.toFixed(0).padStart(6)} files/s  ${r.mbPerS.toFixed(2).padStart(6)} MB/s  peak RSS ${r.rss.toFixed(0)} MiB`);
  const editRatio = d ? `, ${(d.mbPerS / b.mbPerS).toFixed(2)} (--cache, 1 file edited)` : '';
  console.log(`  throughput ratio layerlint/dockerfilelint: ${(a.mbPerS / b.mbPerS).toFixed(2)} (no cache), ${(c.mbPerS / b.mbPerS).toFixed(2)} (--cache, unchanged files)${editRatio}`);
}

function dockerfilesUnder(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/^(Dockerfile|Containerfile)(\..*)?$|\.[Dd]ockerfile$/.test(name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

const work = mkdtempSync(path.join(tmpdir(), 'layerlint-bench-'));
try {
  const gen = generate(path.join(work, 'generated'), 2000, 1337, 6);
  compare('generated corpus (seed 1337)', gen.files, gen.bytes, path.join(work, 'generated'), gen.files[Math.floor(gen.files.length / 2)]);

  const shared = path.resolve(root, '..', 'shared', 'data');
  for (const [label, dir] of [['shared corpus', path.join(shared, 'corpus')], ['Kolla render (rocky-x86_64)', path.join(shared, 'kolla', 'rendered', 'rocky-x86_64')]]) {
    if (!existsSync(dir)) {
      console.log(`\n${label}: skipped, ${dir} not present`);
      continue;
    }
    const files = dockerfilesUnder(dir);
    compare(label, files, files.reduce((n, f) => n + statSync(f).size, 0), dir);
  }

  const one = path.join(work, 'one', 'Dockerfile');
  spawnSync('mkdir', ['-p', path.dirname(one)]);
  writeFileSync(one, 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n');
  const empty = [];
  const single = [];
  for (let i = 0; i < 15; i++) {
    empty.push(timed(['-e', '']).ms);
    // From the file's own directory: outside a repository no family context is read.
    single.push(timed([layerlint, one], path.dirname(one)).ms);
  }
  const e = median(empty);
  const s = median(single);
  console.log(`\none-file latency (median of 15): node -e '' ${e.toFixed(0)} ms, layerlint ${s.toFixed(0)} ms, ratio ${(s / e).toFixed(2)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
