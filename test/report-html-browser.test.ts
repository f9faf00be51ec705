// The HTML report opened in real headless Chromium (Debian's `chromium`, driven by playwright-core):
// it must draw the family tree with one node per image, fetch nothing, and log no error.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';
import { main } from '../src/cli/main.js';
import type { FamilyReportData } from '../src/report/family-common.js';

const CHROMIUM = '/usr/bin/chromium';
const repo = path.resolve(import.meta.dirname, '..');
const have = existsSync(CHROMIUM);

async function report(args: string[]): Promise<string> {
  let stdout = '';
  let stderr = '';
  const code = await main(['report', ...args], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: repo, env: {}, isTTY: false });
  if (code !== 0) throw new Error(`layerlint report exited ${code}: ${stderr}`);
  return stdout;
}

if (!have) it.skip(`skipped: ${CHROMIUM} not found (apt-get install chromium; .ci/run installs it)`, () => {});

describe.skipIf(!have)('the HTML report in headless Chromium', () => {
  let profile = '';
  let out = '';
  let browser: BrowserContext;

  beforeAll(async () => {
    profile = await mkdtemp(path.join(tmpdir(), 'layerlint-chromium-'));
    out = await mkdtemp(path.join(tmpdir(), 'layerlint-html-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await rm(profile, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  });

  it('draws one tree node per image of the example family, and logs no error', async () => {
    const file = path.join(out, 'family.html');
    await report(['fixtures/family', '-f', 'html', '-o', file]);
    const data = JSON.parse(await report(['fixtures/family', '-f', 'json'])) as FamilyReportData;
    const page = await browser.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${file}`, { waitUntil: 'load' });

    const nodes = page.locator('svg.family g.node.image');
    expect(await nodes.count()).toBe(data.images.length);
    const names = await nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-image')));
    expect(names.sort()).toEqual(data.images.map((i) => i.name).sort());
    expect(await page.locator('svg.family g.node.base').count()).toBe(data.bases.length);
    // Drawn, not merely present: every node has a box on the page.
    for (const box of await nodes.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ w: r.width, h: r.height })))) {
      expect(box.w).toBeGreaterThan(50);
      expect(box.h).toBeGreaterThan(10);
    }
    expect(await page.locator('table.images tbody tr').count()).toBe(data.images.length);
    expect(await page.locator('table.changes tbody tr').count()).toBe(data.savings.changes.length);
    expect(await page.title()).toBe('Image family size report');
    expect(problems).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows names that look like markup as text', async () => {
    const { mkdir, writeFile } = await import('node:fs/promises');
    const dir = path.join(out, 'odd');
    await mkdir(path.join(dir, '<img src=x onerror=alert(1)>'), { recursive: true });
    await writeFile(path.join(dir, '<img src=x onerror=alert(1)>', 'Dockerfile'), 'FROM alpine:3.20\nRUN apk add --no-cache jq\n');
    const file = path.join(out, 'odd.html');
    await report([dir, '-f', 'html', '-o', file]);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => problems.push(m.text()));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('svg.family g.node.image text.name').textContent()).toBe('<img src=x onerror=alert(1)>');
    expect(problems).toEqual([]);
    expect(await readFile(file, 'utf8')).not.toContain('<img');
    await page.close();
  }, 60_000);
});
