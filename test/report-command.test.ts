// `layerlint report`, run in-process with fake streams on temporary families: the three formats, the
// config's estimate section, the errors a caller can make, and the progress bar.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/cli/main.js';
import { Progress } from '../src/cli/progress.js';
import type { FamilyReportData } from '../src/report/family-common.js';
import { sharedDir, skipMessage } from './shared-data.js';
import { tempTrees } from './temp-tree.js';

const tree = tempTrees('layerlint-report-');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], cwd: string, stderrTTY = false): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: Object.assign({ write: (s: string) => (stderr += s) }, stderrTTY ? { isTTY: true } : {}),
    cwd,
    env: {},
    isTTY: false,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const PACKAGES = 'Package: libc6\nInstalled-Size: 12000\nPriority: required\nSize: 2800000\n\nPackage: curl\nInstalled-Size: 500\nDepends: libc6\nSize: 300000\n';

/** A parent with two children that both install curl, at different positions, leaving the apt lists behind. */
const FAMILY = {
  '.layerlint.yaml': 'estimate:\n  packages: [Packages]\n',
  Packages: PACKAGES,
  'base/Dockerfile': 'FROM debian:12-slim\nCOPY motd /etc/motd\n',
  'base/motd': 'welcome\n',
  'api/Dockerfile': 'FROM base\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nCOPY app.py /app.py\n',
  'api/app.py': 'print("api")\n',
  'worker/Dockerfile': 'FROM base\nRUN echo worker > /etc/role\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n',
};

describe('layerlint report', () => {
  it('writes Markdown by default: totals, provenance, changes and a folded table per image', async () => {
    const dir = await tree(FAMILY);
    const r = await run(['report'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^## Image family size report\n\n3 images on 1 external base image\./);
    expect(r.stdout).toContain('| Every image pulled on its own |');
    expect(r.stdout).toContain("| Unique, with today's layer sharing |");
    expect(r.stdout).toMatch(/Where the unique bytes' sizes come from: rule of thumb \(low confidence\) \d+%, base-image table \d+%, package index <1%/);
    expect(r.stdout).toContain('| # | change | images | saves (unique) | unique after | saves (each image alone) | sizes from | confidence |');
    expect(r.stdout).toContain('| Delete the apt lists in the same RUN: api line 2 | api |');
    expect(r.stdout).toContain('| Delete the apt lists in the same RUN: worker line 3 | worker |');
    expect(r.stdout).toContain('| Hoist the step api and worker each run into base | api, worker |');
    expect(r.stdout).toContain('<details><summary>Per image</summary>');
    expect(r.stdout).toContain('apt installs sized from the package index');
  });

  it('writes JSON whose figures add up', async () => {
    const dir = await tree(FAMILY);
    const r = await run(['report', '--format', 'json', '.'], dir);
    const data = JSON.parse(r.stdout) as FamilyReportData;
    expect(data.version).toBe(1);
    expect(data.images.map((i) => i.name)).toEqual(['api', 'base', 'worker']);
    expect(data.sources.packageIndexes).toEqual([path.join(dir, 'Packages')]);
    const byProvenance = Object.values(data.provenance).reduce((s, p) => s + p.bytes, 0);
    expect(Math.abs(byProvenance - data.totals.uniqueBytes)).toBeLessThanOrEqual(5);
    expect(data.totals.standaloneBytes).toBe(data.images.reduce((s, i) => s + i.totalBytes, 0));
    for (const img of data.images) expect(img.sharedBytes + img.uniqueBytes).toBe(img.totalBytes);
    expect(data.totals.uniqueBytesAfterChanges).toBe(data.totals.uniqueBytes - data.totals.saveableBytes);
    const curl = data.images.find((i) => i.name === 'api')?.steps.find((s) => s.line === 2);
    expect(curl?.parts[0]).toMatchObject({ provenance: 'metadata', detail: 'curl: 1 package not yet installed (package index)' });
    expect(curl?.waste.map((w) => w.rule)).toEqual(expect.arrayContaining(['clean-apt-cache', 'hoist-common-steps']));
    expect(data.savings.changes.map((c) => c.kind)).toEqual(expect.arrayContaining(['hoist', 'cleanup']));
  });

  it('writes one self-contained HTML file: a tree node per image, no script, every text escaped', async () => {
    const dir = await tree({ ...FAMILY, 'we<ird&"name/Dockerfile': 'FROM alpine:3.20\nRUN apk add jq\n' });
    const r = await run(['report', '-f', 'html', '-o', 'out/report.html'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const html = await readFile(path.join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html.match(/<g class="node image"/g)).toHaveLength(4);
    expect(html.match(/<g class="node base"/g)).toHaveLength(2);
    expect(html).not.toMatch(/<script|<link|src="http|url\(/i);
    expect(html).toContain('data-image="we&lt;ird&amp;&quot;name"');
    expect(html).not.toContain('we<ird');
  });

  it('escapes names in Markdown tables', async () => {
    const dir = await tree({ 'a|b/Dockerfile': 'FROM alpine:3.20\nRUN apk add jq\n' });
    const r = await run(['report'], dir);
    expect(r.stdout).toContain('| a\\|b |');
  });

  it('takes package indexes from the command line over the config', async () => {
    const dir = await tree({ ...FAMILY, 'other/Packages': PACKAGES });
    const data = JSON.parse((await run(['report', '-f', 'json', '--packages', 'other/Packages'], dir)).stdout) as FamilyReportData;
    expect(data.sources.packageIndexes).toEqual([path.join(dir, 'other', 'Packages')]);
  });

  it('reports usage and config mistakes with exit status 2', async () => {
    const dir = await tree(FAMILY);
    expect(await run(['report', '-f', 'pdf'], dir)).toMatchObject({ code: 2, stderr: 'layerlint: unknown report format "pdf" (available: markdown, html, json)\n' });
    expect(await run(['report', '--images', 'podman:x'], dir)).toMatchObject({ code: 2, stderr: 'layerlint: --images podman:x: expected oci:DIR, oci-archive:FILE or docker-archive:FILE\n' });
    expect((await run(['report', '--packages', 'nope/Packages'], dir)).stderr).toBe(`layerlint: cannot read package index ${path.join(dir, 'nope', 'Packages')}: ENOENT\n`);
    expect(await run(['report', 'no-such-dir'], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('layerlint: no image to size in no-such-dir\n') });
    await writeFile(path.join(dir, '.layerlint.yaml'), 'estimate:\n  pakages: [Packages]\n');
    expect(await run(['report'], dir)).toMatchObject({ code: 2, stderr: 'layerlint: .layerlint.yaml: estimate.pakages: unknown key (expected packages or baseSizes)\n' });
    await writeFile(path.join(dir, '.layerlint.yaml'), 'estimate:\n  baseSizes: {"debian:slim": -1}\n');
    expect((await run(['report'], dir)).stderr).toBe('layerlint: .layerlint.yaml: estimate.baseSizes.debian:slim: expected a whole number of bytes, 0 or more\n');
  });

  it('uses the config\'s base image sizes', async () => {
    const dir = await tree({ ...FAMILY, '.layerlint.yaml': 'estimate:\n  packages: [Packages]\n  baseSizes: {"debian:slim": 12345678}\n' });
    const data = JSON.parse((await run(['report', '-f', 'json'], dir)).stdout) as FamilyReportData;
    expect(data.bases[0]).toMatchObject({ ref: 'debian:12-slim', bytes: 12345678, provenance: 'table' });
  });

  it('shows help', async () => {
    const r = await run(['report', '--help'], process.cwd());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: layerlint report \[options\] \[paths\.\.\.\]/);
  });

  it('draws no progress bar when stderr is not a terminal, and a quick run draws none on one', async () => {
    const dir = await tree(FAMILY);
    expect((await run(['report'], dir)).stderr).toBe('');
    const onTerminal = await run(['report', '--no-progress'], dir, true);
    expect(onTerminal.stderr).toBe('');
  });
});

describe('the progress bar', () => {
  function stream(isTTY: boolean): { write: (s: string) => void; isTTY: boolean; columns: number; out: string } {
    const s = { out: '', isTTY, columns: 60, write: (c: string) => void (s.out += c) };
    return s;
  }

  it('draws nothing before the delay, then a bar at most every interval, and erases itself', () => {
    let now = 0;
    const s = stream(true);
    const p = new Progress(s, { now: () => now, tick: false });
    p.start('sizing images', 10);
    p.update(3);
    expect(s.out).toBe('');
    now = 350;
    p.update(4);
    // 60 columns: the label, the count, brackets and spaces leave 27 for the bar.
    expect(s.out).toBe(`\r\x1b[2Klayerlint: sizing images [${'#'.repeat(11)}${'-'.repeat(16)}] 4/10`);
    now = 380;
    p.update(5);
    expect(s.out.split('\r').length).toBe(2);
    now = 460;
    p.update(10);
    expect(s.out).toMatch(/\[#{26}\] 10\/10$/);
    p.finish();
    expect(s.out.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('shows a spinner for a phase with no count, and never draws on a stream that is not a terminal', () => {
    let now = 1000;
    const s = stream(true);
    const p = new Progress(s, { now: () => now, tick: false });
    now = 1400;
    p.start('reading and linting');
    expect(s.out).toBe('\r\x1b[2Klayerlint: reading and linting |');
    const quiet = stream(false);
    const q = new Progress(quiet, { now: () => now, tick: false });
    now = 5000;
    q.start('sizing images', 3);
    q.update(2);
    q.finish();
    expect(quiet.out).toBe('');
  });
});

describe('measured images', () => {
  // The family test/real-build.test.ts builds, where a run has left it.
  const built = process.env.LAYERLINT_REAL_BUILD_DIR ?? path.join(import.meta.dirname, '..', '.cache', 'real-build', 'family');
  const have = existsSync(path.join(built, 'oci', 'written', 'index.json')) && existsSync(path.join(built, 'src', 'written'));
  if (!have) it.skip(`skipped: no built family at ${built} (test/real-build.test.ts builds it)`, () => {});
  it.skipIf(!have)('takes every size of a built family from its layers', async () => {
    const r = await run(['report', '-f', 'json', '--images', `oci:${path.join(built, 'oci', 'written')}`], path.join(built, 'src', 'written'));
    const data = JSON.parse(r.stdout) as FamilyReportData;
    expect(data.sources.measured).toContain('written');
    expect(data.provenance.measured.share).toBe(1);
    expect(data.savings.changes.some((c) => c.kind === 'hoist' && c.provenance.measured === 1)).toBe(true);
  });
});

describe('the Kolla family', () => {
  const kolla = path.join(sharedDir, 'data', 'kolla', 'rendered', 'rocky-x86_64');
  if (!existsSync(kolla)) it.skip(skipMessage('data/kolla/rendered/rocky-x86_64'), () => {});
  it.skipIf(!existsSync(kolla))('sizes all 187 images and proposes changes', async () => {
    const r = await run(['report', '-f', 'json', '--packages', path.join(import.meta.dirname, 'nonexistent'), kolla], process.cwd());
    // A package index that cannot be read is an error, even where no step installs with apt.
    expect(r.code).toBe(2);
    const ok = await run(['report', '-f', 'json', kolla], process.cwd());
    const data = JSON.parse(ok.stdout) as FamilyReportData;
    expect(data.totals.images).toBe(187);
    expect(data.bases.map((b) => b.ref)).toEqual(['quay.io/rockylinux/rockylinux:10']);
    expect(data.totals.standaloneBytes).toBeGreaterThan(data.totals.uniqueBytes * 10);
    expect(data.provenance.table.bytes).toBe(65_000_000);
    expect(data.savings.changes.length).toBeGreaterThan(0);
  });
});
