// The SARIF report: what GitHub code scanning reads from it (rules, regions, fingerprints, fixes,
// related locations), GitHub's limits, and Microsoft's SARIF validator with GitHub's rules over the
// example family.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index.js';
import { summarize, type Diagnostic, type LintResult } from '../src/linter/diagnostic.js';
import { lintFiles, lintText } from '../src/load/lint-files.js';
import { formatters, type FormatterContext } from '../src/report/index.js';
import { main } from '../src/cli/main.js';
import { buildSarifLog, GITHUB_LIMITS, pascalCase, sarif, type SarifLog, type SarifResult } from '../src/report/sarif.js';
import { SourceText } from '../src/source/source-text.js';

const repo = path.resolve(import.meta.dirname, '..');
const rulesMeta = Object.fromEntries(builtinRules.map((r) => [r.id, r.meta]));
const context: FormatterContext = { cwd: repo, color: false, rulesMeta };
const temps: string[] = [];

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function log(results: LintResult[], ctx: FormatterContext = context): SarifLog {
  return JSON.parse(sarif(results, ctx)) as SarifLog;
}

function results(l: SarifLog): SarifResult[] {
  return l.runs[0].results;
}

function diag(source: SourceText, start: number, end: number, extra: Partial<Diagnostic> & Pick<Diagnostic, 'severity' | 'message'>): Diagnostic {
  return { ruleId: 'no-latest-tag', range: { start, end }, ...source.location({ start, end }), ...extra };
}

function resultFor(filePath: string, text: string, make: (s: SourceText) => Diagnostic[]): LintResult {
  const source = new SourceText(filePath, text);
  return summarize(filePath, make(source), source.text);
}

/** The multitool's executable, or why it cannot run here. */
function multitool(): { path: string } | { skip: string } {
  let exe: string;
  try {
    exe = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
  } catch (error) {
    return { skip: `@microsoft/sarif-multitool has no binary for ${process.platform}-${process.arch}: ${(error as Error).message}` };
  }
  const probe = spawnSync(exe, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  if (probe.error || probe.status !== 0) {
    return { skip: `the SARIF multitool cannot run on ${process.platform}-${process.arch}: ${probe.error?.message ?? probe.stderr}` };
  }
  return { path: exe };
}

const tool = multitool();

/**
 * SARIF2006 (a note: "URIs should be reachable") fetches every help URI; the tests stay offline.
 * Every other rule runs.
 */
const OFFLINE_CONFIG = `<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" Type="Driver.RuleEnabledState" />
  </Properties>
</Properties>
`;

/** Validates with GitHub's rules; returns the validator's errors and warnings. */
function validate(exe: string, text: string): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'layerlint-sarif-'));
  temps.push(dir);
  const file = path.join(dir, 'report.sarif');
  const out = path.join(dir, 'validation.sarif');
  const config = path.join(dir, 'offline.xml');
  writeFileSync(file, text);
  writeFileSync(config, OFFLINE_CONFIG);
  const args = ['validate', '--rule-kind', 'Sarif;Gh', '--level', 'Error;Warning', '--config', config, '--output', out, file];
  const run = spawnSync(exe, args, { encoding: 'utf8', timeout: 120_000 });
  expect(run.error).toBeUndefined();
  expect(run.stdout).toContain('Analysis completed successfully');
  const validation = JSON.parse(readFileSync(out, 'utf8')) as { runs: { results?: { ruleId: string; level?: string; message: { text?: string; id?: string; arguments?: string[] } }[] }[] };
  const problems = (validation.runs[0]?.results ?? [])
    .filter((r) => (r.level ?? 'warning') !== 'note')
    .map((r) => `${r.level ?? 'warning'} ${r.ruleId}: ${r.message.text ?? `${r.message.id ?? ''} ${(r.message.arguments ?? []).join(', ')}`}`);
  expect(run.status, run.stdout + run.stderr).toBe(0);
  return problems;
}

describe('the example family', async () => {
  const family = await lintFiles(['fixtures/family'], { cwd: repo });
  const text = sarif(family, context);
  const l = JSON.parse(text) as SarifLog;
  const run = l.runs[0];

  it.skipIf('skip' in tool)(`validates with no errors or warnings under the SARIF multitool with GitHub's rules${'skip' in tool ? ` (skipped: ${tool.skip})` : ''}`, () => {
    expect(validate((tool as { path: string }).path, text)).toEqual([]);
  });

  it('is one run for every file, with the tool, its rules, and repository-relative locations', () => {
    expect(l.version).toBe('2.1.0');
    expect(l.runs).toHaveLength(1);
    expect(run.automationDetails).toEqual({ id: 'layerlint/' });
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.originalUriBaseIds['%SRCROOT%']?.uri).toBe(pathToFileURL(repo).href + '/');
    const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };
    expect(run.tool.driver).toMatchObject({ name: 'layerlint', version: pkg.version, informationUri: 'https://github.com/layerlint/layerlint' });
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(builtinRules.map((r) => r.id));
    const findings = family.reduce((n, r) => n + r.messages.length, 0);
    expect(run.results).toHaveLength(findings);
    const files = new Set(run.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri));
    expect(files.size).toBeGreaterThan(5);
    for (const r of run.results) {
      expect(r.locations[0]?.physicalLocation.artifactLocation).toMatchObject({ uriBaseId: '%SRCROOT%' });
      expect(r.locations[0]?.physicalLocation.artifactLocation.uri).toMatch(/^fixtures\/family\/[a-z-]+\/Dockerfile$/);
      expect(run.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
    }
  });

  it('describes each rule from its metadata and its doc', () => {
    const rule = run.tool.driver.rules.find((r) => r.id === 'merge-consecutive-runs');
    const doc = readFileSync(path.join(repo, 'rules/merge-consecutive-runs.md'), 'utf8');
    expect(rule).toMatchObject({
      name: 'MergeConsecutiveRuns',
      shortDescription: { text: 'Consecutive RUN instructions with the same flags should be one layer.' },
      fullDescription: { text: 'Finds a short RUN that directly follows another short RUN with the same flags in the same stage.' },
      helpUri: 'https://github.com/layerlint/layerlint/blob/main/rules/merge-consecutive-runs.md',
      defaultConfiguration: { level: 'note' },
      properties: { tags: ['layers', 'dockerfile'], 'problem.severity': 'recommendation' },
    });
    expect(rule?.help.markdown).toBe(doc.replace(/^# merge-consecutive-runs\n+/, '').trim());
    expect(rule?.help.text).toBe(rule?.help.markdown);
    for (const r of run.tool.driver.rules) {
      expect(r.help.markdown.length, r.id).toBeGreaterThan(100);
      expect(r.properties.tags).toContain(rulesMeta[r.id]?.type);
    }
  });

  it('links family findings to their related locations in other files', () => {
    const r = run.results.find((x) => x.ruleId === 'delete-in-later-layer' && x.locations[0]?.physicalLocation.artifactLocation.uri === 'fixtures/family/api/Dockerfile');
    expect(r?.relatedLocations).toEqual([
      {
        id: 1,
        message: { text: 'created by this COPY' },
        physicalLocation: {
          artifactLocation: { uri: 'fixtures/family/service-base/Dockerfile', uriBaseId: '%SRCROOT%' },
          region: { startLine: 15, startColumn: 1, endLine: 15, endColumn: 38 },
        },
      },
    ]);
    expect(r?.message.text).toMatch(/ See \[created by this COPY\]\(1\)\.$/);
  });
});

describe('fingerprints', () => {
  const TEXT = 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl\nRUN pip install flask\n';
  const MOVED = '# syntax=docker/dockerfile:1\n# a comment\nFROM debian:12-slim\nENV LANG=C.UTF-8\nLABEL a=b\n\nRUN apt-get update && apt-get install -y curl\nRUN pip install flask\n';

  function fingerprints(l: SarifLog): Record<string, string> {
    return Object.fromEntries(results(l).map((r) => [`${r.ruleId} ${r.locations[0]?.physicalLocation.region.startColumn}`, r.partialFingerprints.primaryLocationLineHash]));
  }

  it('stay the same when lines are inserted above and between the findings', async () => {
    const before = log([await lintText(TEXT, { filePath: 'images/a/Dockerfile' })]);
    const after = log([await lintText(MOVED, { filePath: 'images/a/Dockerfile' })]);
    expect(results(before).length).toBeGreaterThanOrEqual(3);
    expect(results(after).map((r) => r.locations[0]?.physicalLocation.region.startLine)).not.toEqual(results(before).map((r) => r.locations[0]?.physicalLocation.region.startLine));
    expect(fingerprints(after)).toEqual(fingerprints(before));
    for (const f of Object.values(fingerprints(before))) expect(f).toMatch(/^[0-9a-f]{16}:1$/);
  });

  it('use the first line of the instruction, so a finding on a continuation line keeps its fingerprint when that line moves', async () => {
    const a = 'FROM debian:12-slim\nRUN apt-get update \\\n    && apt-get install -y curl\n';
    const b = 'FROM debian:12-slim\nRUN apt-get update \\\n    && echo hello \\\n    && apt-get install -y curl\n';
    const fa = results(log([await lintText(a, { filePath: 'Dockerfile' })])).find((r) => r.ruleId === 'apt-no-install-recommends');
    const fb = results(log([await lintText(b, { filePath: 'Dockerfile' })])).find((r) => r.ruleId === 'apt-no-install-recommends');
    expect(fa?.locations[0]?.physicalLocation.region.startLine).toBe(3);
    expect(fb?.locations[0]?.physicalLocation.region.startLine).toBe(4);
    expect(fb?.partialFingerprints).toEqual(fa?.partialFingerprints);
  });

  it('count equal instructions in order, and differ by file and rule', async () => {
    const text = 'FROM alpine:3.20\nRUN pip install flask\nRUN echo\nRUN pip install flask\n';
    const one = results(log([await lintText(text, { filePath: 'a/Dockerfile', settings: { rules: { 'pip-no-cache-dir': { severity: 'warning' } } } })])).filter((r) => r.ruleId === 'pip-no-cache-dir');
    expect(one.map((r) => r.partialFingerprints.primaryLocationLineHash.split(':')[1])).toEqual(['1', '2']);
    expect(one[0]?.partialFingerprints.primaryLocationLineHash.split(':')[0]).toBe(one[1]?.partialFingerprints.primaryLocationLineHash.split(':')[0]);
    const other = results(log([await lintText(text, { filePath: 'b/Dockerfile' })])).find((r) => r.ruleId === 'pip-no-cache-dir');
    expect(other?.partialFingerprints.primaryLocationLineHash).not.toBe(one[0]?.partialFingerprints.primaryLocationLineHash);
  });

  it('fall back to the message for a file without text', () => {
    const fatal = summarize('images/a/Dockerfile', [{ ruleId: null, fatal: true, severity: 'error', message: 'cannot read', range: { start: 0, end: 0 }, line: 1, column: 1, endLine: 1, endColumn: 1 }]);
    const a = results(log([fatal]))[0]?.partialFingerprints.primaryLocationLineHash;
    expect(a).toMatch(/^[0-9a-f]{16}:1$/);
    expect(results(log([fatal]))[0]?.partialFingerprints.primaryLocationLineHash).toBe(a);
  });
});

describe('regions', () => {
  it('count columns in UTF-16 code units, as the run declares', async () => {
    // 😀 is one code point and two UTF-16 code units: `pip` starts at code unit 15 (column 16).
    const text = 'FROM python:3.12-slim\nRUN echo 😀 && pip install flask\n';
    const l = log([await lintText(text, { filePath: 'Dockerfile' })]);
    const r = results(l).find((x) => x.ruleId === 'pip-no-cache-dir');
    expect(l.runs[0].columnKind).toBe('utf16CodeUnits');
    expect(r?.locations[0]?.physicalLocation.region).toEqual({ startLine: 2, startColumn: 16, endLine: 2, endColumn: 27 });
    expect(r?.fixes?.[0]?.artifactChanges[0]?.replacements).toEqual([
      { deletedRegion: { startLine: 2, startColumn: 27, endLine: 2, endColumn: 27 }, insertedContent: { text: ' --no-cache-dir' } },
    ]);
  });

  it('keep CRLF files on the same lines and columns', async () => {
    const text = 'FROM python:3.12-slim\r\nRUN pip install flask\r\n';
    const r = results(log([await lintText(text, { filePath: 'Dockerfile' })])).find((x) => x.ruleId === 'pip-no-cache-dir');
    expect(r?.locations[0]?.physicalLocation.region).toEqual({ startLine: 2, startColumn: 5, endLine: 2, endColumn: 16 });
  });
});

describe('fixes', () => {
  /** Applies SARIF replacements by line and column, the way a SARIF viewer would. */
  function applyReplacements(text: string, r: SarifResult): string {
    const source = new SourceText('x', text);
    const offset = (line: number, column: number): number => source.lineStart(line - 1) + column - 1;
    const edits = (r.fixes?.[0]?.artifactChanges[0]?.replacements ?? []).map((x) => ({
      start: offset(x.deletedRegion.startLine, x.deletedRegion.startColumn),
      end: offset(x.deletedRegion.endLine, x.deletedRegion.endColumn),
      text: x.insertedContent?.text ?? '',
    }));
    let out = text;
    for (const e of [...edits].reverse()) out = out.slice(0, e.start) + e.text + out.slice(e.end);
    return out;
  }

  it('are written only for safe fixes, as replacements that give the fixed text', async () => {
    const text = 'FROM debian:12-slim\nRUN useradd --system app\nRUN mkdir -p /srv/app\n';
    const result = await lintText(text, { filePath: 'Dockerfile' });
    const r = results(log([result])).find((x) => x.ruleId === 'merge-consecutive-runs');
    expect(r?.fixes?.[0]?.artifactChanges[0]).toEqual({
      artifactLocation: { uri: 'Dockerfile', uriBaseId: '%SRCROOT%' },
      replacements: [{ deletedRegion: { startLine: 2, startColumn: 25, endLine: 3, endColumn: 5 }, insertedContent: { text: ' \\\n    && ' } }],
    });
    expect(r?.fixes?.[0]?.description.text).toMatch(/safe fix of merge-consecutive-runs/);
    expect(applyReplacements(text, r as SarifResult)).toBe('FROM debian:12-slim\nRUN useradd --system app \\\n    && mkdir -p /srv/app\n');
  });

  it('leave out suggestions, which can change what the build does', async () => {
    const result = await lintText('FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n', { filePath: 'Dockerfile' });
    const suggestionOnly = result.messages.find((m) => m.suggestions !== undefined && m.fix === undefined);
    expect(suggestionOnly).toBeDefined();
    const r = results(log([result])).find((x) => x.ruleId === suggestionOnly?.ruleId);
    expect(r?.fixes).toBeUndefined();
  });

  it('keep several edits of one fix as several replacements in order, deletions without inserted content', () => {
    const text = 'FROM alpine:latest\nRUN a\n';
    const result = resultFor('Dockerfile', text, (s) => [
      diag(s, 12, 18, {
        severity: 'warning',
        message: 'latest',
        fix: { edits: [{ range: { start: 19, end: 25 }, text: '' }, { range: { start: 12, end: 18 }, text: '3.20' }] },
      }),
    ]);
    const r = results(log([result]))[0] as SarifResult;
    expect(r.fixes?.[0]?.artifactChanges[0]?.replacements).toEqual([
      { deletedRegion: { startLine: 1, startColumn: 13, endLine: 1, endColumn: 19 }, insertedContent: { text: '3.20' } },
      { deletedRegion: { startLine: 2, startColumn: 1, endLine: 3, endColumn: 1 } },
    ]);
    expect(applyReplacements(text, r)).toBe('FROM alpine:3.20\n');
  });

  it('are left out when the offsets do not match the reported position', () => {
    const text = 'FROM alpine:latest\n';
    const result = resultFor('Dockerfile', text, (s) => [{ ...diag(s, 12, 18, { severity: 'warning', message: 'latest', fix: { edits: [{ range: { start: 12, end: 18 }, text: '3.20' }] } }), line: 7 }]);
    expect(results(log([result]))[0]?.fixes).toBeUndefined();
  });
});

describe('related locations', () => {
  it('get ids, messages and their own files, and are linked from the message with brackets escaped', () => {
    const text = 'FROM alpine:latest\nRUN [ -f x ]\n';
    const result = resultFor('images/a/Dockerfile', text, (s) => [
      diag(s, 19, 31, {
        ruleId: 'hoist-common-steps',
        severity: 'info',
        message: 'RUN [ -f x ] is also in b',
        related: [
          { message: 'the same step in b', filePath: 'images/b/Dockerfile', line: 4, column: 1, endLine: 4, endColumn: 13 },
          { message: 'and here', line: 2, column: 1, endLine: 2, endColumn: 4 },
        ],
      }),
    ]);
    const r = results(log([result]))[0];
    expect(r?.message.text).toBe('RUN \\[ -f x \\] is also in b. See [the same step in b](1), [and here](2).');
    expect(r?.relatedLocations).toEqual([
      {
        id: 1,
        message: { text: 'the same step in b' },
        physicalLocation: { artifactLocation: { uri: 'images/b/Dockerfile', uriBaseId: '%SRCROOT%' }, region: { startLine: 4, startColumn: 1, endLine: 4, endColumn: 13 } },
      },
      {
        id: 2,
        message: { text: 'and here' },
        physicalLocation: { artifactLocation: { uri: 'images/a/Dockerfile', uriBaseId: '%SRCROOT%' }, region: { startLine: 2, startColumn: 1, endLine: 2, endColumn: 4 } },
      },
    ]);
  });

  it('are capped at GitHub’s limit per result, with a warning', () => {
    const related = Array.from({ length: 1_005 }, (_, i) => ({ message: `copy ${i}`, filePath: `images/${i}/Dockerfile`, line: 1, column: 1, endLine: 1, endColumn: 5 }));
    const result = resultFor('Dockerfile', 'FROM alpine:latest\n', (s) => [diag(s, 0, 4, { severity: 'info', message: 'shared', related })]);
    const warnings: string[] = [];
    const r = results(log([result], { ...context, warn: (m) => warnings.push(m) }))[0];
    expect(r?.relatedLocations).toHaveLength(1_000);
    expect(r?.message.text).toMatch(/\[copy 9\]\(10\) and 990 more\.$/);
    expect(warnings).toEqual(["1 result has more than 1000 related locations, GitHub's limit: only the first 1000 are written"]);
  });
});

describe('layerlint’s own problems', () => {
  it('get synthetic rules declared in the run: parse errors, directive problems, notices', () => {
    const fatal = summarize('images/bad/Dockerfile', [{ ruleId: null, fatal: true, severity: 'error', message: 'invalid escape directive "x"', range: { start: 0, end: 0 }, line: 1, column: 1, endLine: 1, endColumn: 1 }]);
    const unused = resultFor('images/ok/Dockerfile', '# layerlint-disable-next-line no-latest-tag\nFROM alpine:3.20\n', (s) => [
      diag(s, 0, 44, { ruleId: null, messageId: 'unused-directive', severity: 'warning', message: 'unused directive' }),
    ]);
    const notice = summarize('images/skip/Dockerfile', [{ ruleId: null, severity: 'info', message: 'ignored', range: { start: 0, end: 0 }, line: 1, column: 1, endLine: 1, endColumn: 1 }]);
    const l = log([fatal, unused, notice]);
    const rules = l.runs[0].tool.driver.rules;
    expect(results(l).map((r) => [r.ruleId, r.level, rules[r.ruleIndex]?.id])).toEqual([
      ['layerlint/parse-error', 'error', 'layerlint/parse-error'],
      ['layerlint/unused-directive', 'warning', 'layerlint/unused-directive'],
      ['layerlint/notice', 'note', 'layerlint/notice'],
    ]);
    expect(rules.find((r) => r.id === 'layerlint/parse-error')).toMatchObject({ name: 'ParseError', defaultConfiguration: { level: 'error' }, properties: { 'problem.severity': 'error' } });
    expect(rules.slice(0, builtinRules.length).map((r) => r.id)).toEqual(builtinRules.map((r) => r.id));
  });

  it('point outside the run’s directory with absolute file URIs', () => {
    const outside = summarize('../elsewhere/Dockerfile', [{ ruleId: null, fatal: true, severity: 'error', message: 'cannot read', range: { start: 0, end: 0 }, line: 1, column: 1, endLine: 1, endColumn: 1 }]);
    expect(results(log([outside]))[0]?.locations[0]?.physicalLocation.artifactLocation).toEqual({ uri: pathToFileURL(path.resolve(repo, '../elsewhere/Dockerfile')).href });
  });

  it('percent-encode file names that are not URI characters', () => {
    const r = summarize('images/my app/Dockerfile#1', [{ ruleId: null, fatal: true, severity: 'error', message: 'x', range: { start: 0, end: 0 }, line: 1, column: 1, endLine: 1, endColumn: 1 }]);
    expect(results(log([r]))[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('images/my%20app/Dockerfile%231');
  });
});

describe("GitHub's limits", () => {
  function many(n: number, severity: (i: number) => Diagnostic['severity'], message = (i: number) => `finding ${i}`): LintResult[] {
    const text = 'FROM alpine:latest\n';
    return [resultFor('Dockerfile', text, (s) => Array.from({ length: n }, (_, i) => diag(s, 12, 18, { severity: severity(i), message: message(i) })))];
  }

  it('keep the most severe results, in report order, and say what was dropped', () => {
    const warnings: string[] = [];
    const severities: Diagnostic['severity'][] = ['info', 'warning', 'error', 'info', 'warning', 'error', 'info'];
    const l = buildSarifLog(many(7, (i) => severities[i] as Diagnostic['severity']), { ...context, warn: (m) => warnings.push(m) }, { ...GITHUB_LIMITS, maxResults: 3 });
    expect(results(l).map((r) => r.message.text)).toEqual(['finding 1.', 'finding 2.', 'finding 5.']);
    expect(warnings).toEqual(["7 results exceed GitHub's limit of 3 per run: kept the 3 most severe (dropped 1 warning, 3 notes)"]);
    expect(l.runs[0].invocations).toEqual([
      { executionSuccessful: true, toolExecutionNotifications: [{ level: 'warning', message: { text: `${warnings[0]}.` } }] },
    ]);
  });

  it('stop at 25,000 results per run', () => {
    const warnings: string[] = [];
    const text = sarif(many(25_001, (i) => (i === 25_000 ? 'error' : 'info')), { ...context, warn: (m) => warnings.push(m) });
    const l = JSON.parse(text) as SarifLog;
    expect(results(l)).toHaveLength(25_000);
    expect(results(l).some((r) => r.level === 'error')).toBe(true);
    expect(warnings).toEqual(["25001 results exceed GitHub's limit of 25000 per run: kept the 25000 most severe (dropped 1 note)"]);
  });

  it('shrink a log over the gzipped size limit to the most severe results that fit', () => {
    // Messages that do not compress: every result adds about 1 KB to the gzipped log.
    const all = many(40, (i) => (i % 2 === 0 ? 'error' : 'warning'), createNoise);
    const full = gzipSync(sarif(all, context)).length;
    const limit = full - 10_000;
    const warnings: string[] = [];
    const l = buildSarifLog(all, { ...context, warn: (m) => warnings.push(m) }, { ...GITHUB_LIMITS, maxGzipBytes: limit });
    const kept = results(l);
    expect(gzipSync(JSON.stringify(l, null, 2)).length).toBeLessThanOrEqual(limit);
    expect(kept.length).toBeGreaterThan(20);
    expect(kept.length).toBeLessThan(40);
    // All 20 errors survive before any warning does.
    expect(kept.filter((r) => r.level === 'error')).toHaveLength(20);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^the SARIF log exceeds GitHub's limit of ${limit} bytes gzipped: kept the ${kept.length} most severe results \\(dropped ${40 - kept.length} warnings?\\)$`));
  });
});

describe('the validator', () => {
  it.skipIf('skip' in tool)('accepts every shape the formatter writes: parse errors, notices, files outside the directory, fixes, related locations, truncation notes', async () => {
    const text = 'FROM debian:12-slim\nRUN useradd --system app\nRUN mkdir -p /srv/app\nRUN echo 😀 && pip install flask\n';
    const linted = await lintText(text, { filePath: 'images/a/Dockerfile' });
    const withRelated = resultFor('images/b/Dockerfile', 'FROM alpine:latest\nRUN [ -f x ]\n', (s) => [
      diag(s, 19, 31, { ruleId: 'hoist-common-steps', severity: 'info', message: 'RUN [ -f x ] is also in a', related: [{ message: 'the same step in a', filePath: 'images/a/Dockerfile', line: 2, column: 1, endLine: 2, endColumn: 25 }] }),
    ]);
    const fatal = summarize('images/bad/Dockerfile', [{ ruleId: null, fatal: true, severity: 'error', message: 'cannot parse', range: { start: 0, end: 0 }, line: 1, column: 1, endLine: 1, endColumn: 1 }]);
    const notice = summarize('images/skip/Dockerfile', [{ ruleId: null, severity: 'info', message: 'ignored', range: { start: 0, end: 0 }, line: 1, column: 1, endLine: 1, endColumn: 1 }]);
    const outside = summarize('../elsewhere/Dockerfile', [{ ruleId: null, fatal: true, severity: 'error', message: 'cannot read', range: { start: 0, end: 0 }, line: 1, column: 1, endLine: 1, endColumn: 1 }]);
    const l = buildSarifLog([linted, withRelated, fatal, notice, outside], context, { ...GITHUB_LIMITS, maxResults: 6 });
    expect(l.runs[0].invocations).toHaveLength(1);
    expect(validate((tool as { path: string }).path, JSON.stringify(l))).toEqual([]);
  });
});

describe('the command line', () => {
  it('prints what the formatter could not put in the report on stderr', async () => {
    // 12,501 short RUNs in a row: a pip-no-cache-dir warning each and a merge-consecutive-runs note for each but the first.
    const dir = mkdtempSync(path.join(tmpdir(), 'layerlint-sarif-cli-'));
    temps.push(dir);
    const lines = ['FROM python:3.12-slim', ...Array.from({ length: 12_501 }, (_, i) => `RUN pip install pkg${i}`)];
    writeFileSync(path.join(dir, 'Dockerfile'), `${lines.join('\n')}\n`);
    let stdout = '';
    let stderr = '';
    const code = await main(['-f', 'sarif', '-o', 'out.sarif', '.'], { cwd: dir, env: {}, isTTY: false, stdout: { write: (c: string) => (stdout += c) }, stderr: { write: (c: string) => (stderr += c) } });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe("layerlint: sarif: 25001 results exceed GitHub's limit of 25000 per run: kept the 25000 most severe (dropped 1 note)\n");
    expect(results(JSON.parse(readFileSync(path.join(dir, 'out.sarif'), 'utf8')) as SarifLog)).toHaveLength(25_000);
  });
});

describe('registration', () => {
  it('is the sarif format of the command line', () => {
    expect(formatters.sarif).toBe(sarif);
    expect(pascalCase('copy-before-dependency-install')).toBe('CopyBeforeDependencyInstall');
  });
});

/** About 1 KB of text that gzip cannot shrink, the same for the same seed. */
function createNoise(seed: number): string {
  let x = seed + 1;
  let out = '';
  for (let i = 0; i < 1_400; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    out += String.fromCharCode(33 + (x % 90));
  }
  return out;
}
