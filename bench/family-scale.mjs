#!/usr/bin/env node
// Scale of the family analysis: a synthetic family of N images (a base, intermediate bases, leaves
// with shared, reordered and repeated steps), analysed at 10,000 and 20,000 images in one run.
// Prints the time of each phase and the 20k/10k ratio (near-linear means about 2).
// Usage: node bench/family-scale.mjs [--sizes 10000,20000]
import { performance } from 'node:perf_hooks';
import { SourceText } from '../dist/src/source/source-text.js';
import { buildModel } from '../dist/src/model/build.js';
import { initShellParser } from '../dist/src/model/shell-parser.js';
import { buildGraph } from '../dist/src/graph/build-graph.js';
import { runFamilyRules } from '../dist/src/linter/run-family-rules.js';
import { isFamilyRule } from '../dist/src/rule/types.js';
import { builtinRules } from '../dist/rules/index.js';

const arg = process.argv.indexOf('--sizes');
const sizes = arg > 0 ? process.argv[arg + 1].split(',').map(Number) : [10000, 20000];

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function family(n, seed = 7) {
  const rand = rng(seed);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const common = ['RUN useradd --system app', 'RUN mkdir -p /srv/app /var/log/app', 'RUN pip install --no-cache-dir gunicorn==22.0.0', 'COPY entrypoint.sh /usr/local/bin/', 'RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*'];
  const files = [{ name: 'base', text: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*\n' }];
  const groups = Math.max(1, Math.floor(n / 50));
  for (let g = 0; g < groups && files.length < n; g++) {
    files.push({ name: `group${g}-base`, text: `FROM acme/base:1\nRUN echo group ${g} > /etc/group-id\n${pick(common)}\n` });
  }
  let i = 0;
  while (files.length < n) {
    const g = i % groups;
    const steps = [...common].sort(() => rand() - 0.5).slice(0, 2 + Math.floor(rand() * 3));
    steps.push(`RUN echo service ${i} > /etc/service-id`, `COPY svc${i % 7}.conf /etc/app/`);
    files.push({ name: `svc${i}`, text: `FROM acme/group${g}-base:1\n${steps.join('\n')}\nCMD ["app"]\n` });
    i++;
  }
  return files;
}

await initShellParser();
const familyRules = builtinRules.filter(isFamilyRule).map((rule) => ({ rule, severity: 'warning', options: rule.meta.defaultOptions }));
const rows = [];
for (const n of sizes) {
  const files = family(n);
  if (global.gc) global.gc();
  const t0 = performance.now();
  const inputs = files.map((f) => ({ file: `/bench/${f.name}/Dockerfile`, model: buildModel(new SourceText(`/bench/${f.name}/Dockerfile`, f.text)) }));
  const t1 = performance.now();
  const graph = buildGraph(inputs);
  const t2 = performance.now();
  const findings = runFamilyRules(graph, familyRules, '/bench');
  const t3 = performance.now();
  let count = 0;
  for (const list of findings.values()) count += list.length;
  rows.push({ n, parse: t1 - t0, graph: t2 - t1, rules: t3 - t2, findings: count, rss: process.memoryUsage().rss });
}
console.log(`family rules: ${familyRules.map((r) => r.rule.id).join(', ') || '(none)'}`);
console.log('images   parse+model ms   graph ms   family rules ms   findings   rss MiB');
for (const r of rows) {
  console.log(`${String(r.n).padStart(6)}   ${r.parse.toFixed(0).padStart(14)}   ${r.graph.toFixed(0).padStart(8)}   ${r.rules.toFixed(0).padStart(15)}   ${String(r.findings).padStart(8)}   ${(r.rss / 2 ** 20).toFixed(0).padStart(7)}`);
}
if (rows.length >= 2) {
  const [a, b] = [rows[rows.length - 2], rows[rows.length - 1]];
  const ratio = (k) => (b[k] / Math.max(a[k], 1e-9)).toFixed(2);
  console.log(`ratio ${b.n}/${a.n}: parse+model ${ratio('parse')}, graph ${ratio('graph')}, family rules ${ratio('rules')} (near-linear: about ${(b.n / a.n).toFixed(1)})`);
}
