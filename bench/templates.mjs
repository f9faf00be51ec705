#!/usr/bin/env node
// Kolla-style templates end to end: the 187 OpenStack Kolla Dockerfile.j2 templates of ../shared,
// rendered in memory, linted, and analysed as one family (graph and family rules). Prints the time of
// rendering alone, of the whole analysis in one process (first run, then the median of the others),
// and the wall time of the command line (`layerlint <tree> --template-values ...`), median of N runs.
// Usage: npm run build && node bench/templates.mjs [--runs 5]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// As bin/layerlint.js does: the baseline WebAssembly tier alone, so that exit is not delayed.
setFlagsFromString('--liftoff-only');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const kolla = path.resolve(root, '..', 'shared', 'data', 'kolla');
const templates = path.join(kolla, 'templates');
const values = path.join(kolla, 'values.json');
if (!existsSync(values)) {
  console.log(`skipped: the Kolla templates are not at ${kolla}`);
  process.exit(0);
}
if (!existsSync(path.join(root, 'dist/src/load/lint-files.js'))) throw new Error('run npm run build first');
const runsAt = process.argv.indexOf('--runs');
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 5;

const { TemplateEnvironment } = await import('../dist/src/template/render.js');
const { analyzeFiles } = await import('../dist/src/load/lint-files.js');

function files(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) files(path.join(dir, e.name), out);
    else if (e.name === 'Dockerfile.j2') out.push(path.join(dir, e.name));
  }
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(0)} ms`;

const list = files(path.join(templates, 'docker'));
let t0 = performance.now();
const env = TemplateEnvironment.open({ values }, kolla, templates);
let rendered = 0;
for (const f of list) if (env.render(f).ok) rendered++;
const renderFirst = performance.now() - t0;

const analysis = [];
let last;
for (let i = 0; i < runs; i++) {
  t0 = performance.now();
  last = await analyzeFiles([templates], { cwd: kolla, templates: { values } });
  analysis.push(performance.now() - t0);
}
const findings = last.results.reduce((n, r) => n + r.messages.length, 0);
const fatal = last.results.reduce((n, r) => n + r.messages.filter((m) => m.fatal).length, 0);

const cli = [];
for (let i = 0; i < runs; i++) {
  t0 = performance.now();
  const r = spawnSync(process.execPath, [path.join(root, 'bin/layerlint.js'), templates, '--template-values', values, '-f', 'json'], { cwd: kolla, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  cli.push(performance.now() - t0);
  if (r.status !== 0 && r.status !== 1) throw new Error(`layerlint exited ${r.status}: ${r.stderr}`);
}

console.log(`Kolla templates: ${list.length} (${rendered} rendered), ${last.graph.images.length} images in the family, ${findings} findings, ${fatal} fatal`);
console.log(`render only, first run in a process:        ${ms(renderFirst)}`);
console.log(`render + lint + family, first run:          ${ms(analysis[0])}`);
console.log(`render + lint + family, median of ${runs - 1} more:  ${ms(median(analysis.slice(1)))}`);
console.log(`command line wall time, median of ${runs}:        ${ms(median(cli))}`);
