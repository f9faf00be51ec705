// SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif) and other SARIF viewers.
//
// One run holds every file. Code scanning has refused files with several runs of the same tool and
// category since June 2025 (it used to merge them), and it takes at most 20 runs per file, so "one
// run per file" would make any repository with more than one Dockerfile fail to upload. Findings
// keep their file in each result's location instead.
//
// GitHub takes at most 25,000 results per run and 10 MB of gzipped SARIF per upload: past either,
// the most severe results are kept and the formatter says so through `context.warn` and in the
// run's invocation notifications, since an upload that is refused shows nothing at all.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Diagnostic, LintResult } from '../linter/diagnostic.js';
import { parseDockerfile } from '../parse/dockerfile-adapter.js';
import type { RuleMeta, Severity } from '../rule/types.js';
import { SourceText, type Location, type Range } from '../source/source-text.js';
import type { Formatter, FormatterContext } from './types.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const REPOSITORY_URL = 'https://github.com/layerlint/layerlint';
/** The category code scanning files the analysis under; upload-sarif's `category` input overrides it. */
export const AUTOMATION_ID = 'layerlint/';
const SRCROOT = '%SRCROOT%';

export interface SarifLimits {
  /** Results per run. */
  maxResults: number;
  /** Bytes of the gzipped log. */
  maxGzipBytes: number;
  /** Related locations per result. */
  maxRelatedLocations: number;
}

/** What code scanning accepts (docs.github.com, "SARIF support for code scanning"). */
export const GITHUB_LIMITS: SarifLimits = { maxResults: 25_000, maxGzipBytes: 10 * 1024 * 1024, maxRelatedLocations: 1_000 };

/** Embedded links in a message point at the first few related locations; the rest are listed only. */
const MAX_MESSAGE_LINKS = 10;

/** The id a result is filed under: the rule's, or a synthetic one for layerlint's own problems. */
export function reportingRuleId(m: Pick<Diagnostic, 'ruleId' | 'messageId' | 'fatal'>): string {
  if (m.ruleId !== null) return m.ruleId;
  if (m.fatal) return 'layerlint/parse-error';
  return `layerlint/${m.messageId ?? 'notice'}`;
}

/** Descriptions of the synthetic rules, which have no module and no doc file. */
const SYNTHETIC_RULES: Record<string, { description: string; help: string; level: SarifLevel }> = {
  'layerlint/parse-error': {
    description: 'The file could not be read or parsed.',
    help: 'layerlint could not read this file, or found Dockerfile syntax it cannot parse (for example an invalid `# escape=` directive). No rule checked what it could not parse: fix the problem and lint again.',
    level: 'error',
  },
  'layerlint/unused-directive': {
    description: 'An inline disable directive suppresses nothing.',
    help: 'A `# layerlint-disable` or `# hadolint ignore=` comment that no finding needs any more. Remove it, so it cannot hide a real finding later.',
    level: 'warning',
  },
  'layerlint/unknown-rule': {
    description: 'An inline directive names a rule layerlint does not have.',
    help: 'A `# layerlint-disable` style directive names an unknown rule id: check its spelling against `layerlint rules`.',
    level: 'warning',
  },
  'layerlint/notice': {
    description: 'A notice about a file layerlint was asked to lint.',
    help: 'layerlint says something about the file without linting it, for example that the file is ignored by `.layerlintignore` or the configuration.',
    level: 'note',
  },
};

type SarifLevel = 'error' | 'warning' | 'note';

const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };
/** GitHub's severity for results that are not security findings. */
const PROBLEM_SEVERITY: Record<SarifLevel, string> = { error: 'error', warning: 'warning', note: 'recommendation' };

// The SARIF objects this formatter writes (a subset of the schema).
interface SarifMessage {
  text: string;
}
interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}
interface SarifPhysicalLocation {
  artifactLocation: SarifArtifactLocation;
  region: SarifRegion;
}
interface SarifLocation {
  id?: number;
  physicalLocation: SarifPhysicalLocation;
  message?: SarifMessage;
}
interface SarifFix {
  description: SarifMessage;
  artifactChanges: { artifactLocation: SarifArtifactLocation; replacements: { deletedRegion: SarifRegion; insertedContent?: SarifMessage }[] }[];
}
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
  partialFingerprints: { primaryLocationLineHash: string };
  fixes?: SarifFix[];
}
export interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: { text: string; markdown: string };
  helpUri: string;
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; 'problem.severity': string };
}
export interface SarifRun {
  tool: { driver: { name: string; version: string; semanticVersion?: string; informationUri: string; rules: SarifRule[] } };
  automationDetails: { id: string };
  originalUriBaseIds: Record<string, { uri: string; description: SarifMessage }>;
  columnKind: 'utf16CodeUnits';
  invocations?: { executionSuccessful: boolean; toolExecutionNotifications: { level: SarifLevel; message: SarifMessage }[] }[];
  results: SarifResult[];
}
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: [SarifRun];
}

/** A SARIF formatter held to the given limits; `sarif` is held to GitHub's. */
export function createSarifFormatter(limits: SarifLimits = GITHUB_LIMITS): Formatter {
  return (results, context) => JSON.stringify(buildSarifLog(results, context, limits), null, 2);
}

export const sarif: Formatter = createSarifFormatter();

export function buildSarifLog(results: LintResult[], context: FormatterContext, limits: SarifLimits = GITHUB_LIMITS): SarifLog {
  const rules = new RuleTable(context.rulesMeta);
  const warnings: string[] = [];
  const all: SarifResult[] = [];
  let trimmedRelated = 0;
  for (const result of results) {
    if (result.messages.length === 0) continue;
    const file = new FileView(result, context.cwd);
    const occurrences = new Map<string, number>();
    for (const m of result.messages) {
      const ruleId = reportingRuleId(m);
      const out = toResult(m, ruleId, rules.indexOf(ruleId), file, occurrences, limits.maxRelatedLocations);
      if ((m.related?.length ?? 0) > limits.maxRelatedLocations) trimmedRelated++;
      all.push(out);
    }
  }
  if (trimmedRelated > 0) {
    warnings.push(`${trimmedRelated} ${trimmedRelated === 1 ? 'result has' : 'results have'} more than ${limits.maxRelatedLocations} related locations, GitHub's limit: only the first ${limits.maxRelatedLocations} are written`);
  }

  // The most severe results first, in report order within a level, so a cut drops the least useful.
  const bySeverity = all.map((r, i) => ({ r, i })).sort((a, b) => LEVEL_RANK[a.r.level] - LEVEL_RANK[b.r.level] || a.i - b.i);
  let kept = Math.min(all.length, limits.maxResults);
  if (kept < all.length) {
    warnings.push(`${all.length} results exceed GitHub's limit of ${limits.maxResults} per run: kept the ${kept} most severe (${describeDropped(bySeverity.slice(kept).map((x) => x.r))})`);
  }
  const logWith = (count: number, notes: string[]): SarifLog => {
    const chosen = bySeverity.slice(0, count).sort((a, b) => a.i - b.i).map((x) => x.r);
    return makeLog(rules, chosen, context.cwd, notes);
  };
  let log = logWith(kept, warnings);
  if (gzippedSize(log) > limits.maxGzipBytes) {
    // The largest count that fits; the size grows with the count, so a binary search finds it.
    let lo = 0;
    let hi = kept - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (gzippedSize(logWith(mid, warnings)) <= limits.maxGzipBytes) lo = mid;
      else hi = mid - 1;
    }
    // The note about the cut makes the log a little larger: make room for it.
    const noted = (count: number): string[] => [
      ...warnings,
      `the SARIF log exceeds GitHub's limit of ${formatBytes(limits.maxGzipBytes)} gzipped: kept the ${count} most severe results (${describeDropped(bySeverity.slice(count, kept).map((x) => x.r))})`,
    ];
    while (lo > 0 && gzippedSize(logWith(lo, noted(lo))) > limits.maxGzipBytes) lo--;
    warnings.splice(0, warnings.length, ...noted(lo));
    kept = lo;
    log = logWith(kept, warnings);
  }
  for (const w of warnings) context.warn?.(w);
  return log;
}

const LEVEL_RANK: Record<SarifLevel, number> = { error: 0, warning: 1, note: 2 };

function makeLog(rules: RuleTable, results: SarifResult[], cwd: string, notes: string[]): SarifLog {
  const driver: SarifRun['tool']['driver'] = { name: 'layerlint', version: packageVersion(), informationUri: REPOSITORY_URL, rules: rules.descriptors() };
  if (/^\d+\.\d+\.\d+/.test(driver.version)) driver.semanticVersion = driver.version;
  const run: SarifRun = {
    tool: { driver },
    automationDetails: { id: AUTOMATION_ID },
    originalUriBaseIds: {
      [SRCROOT]: { uri: directoryUri(cwd), description: { text: 'The directory layerlint ran in; file paths are relative to it.' } },
    },
    columnKind: 'utf16CodeUnits',
    results,
  };
  if (notes.length > 0) {
    run.invocations = [{ executionSuccessful: true, toolExecutionNotifications: notes.map((n) => ({ level: 'warning', message: { text: sentence(n) } })) }];
  }
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

function toResult(m: Diagnostic, ruleId: string, ruleIndex: number, file: FileView, occurrences: Map<string, number>, maxRelated: number): SarifResult {
  const related = (m.related ?? []).slice(0, maxRelated).map(
    (r, i): SarifLocation => ({
      id: i + 1,
      physicalLocation: { artifactLocation: file.artifactFor(r.filePath), region: region(r) },
      message: { text: r.message },
    }),
  );
  const out: SarifResult = {
    ruleId,
    ruleIndex,
    level: LEVEL[m.severity],
    message: { text: messageText(m.message, related) },
    locations: [{ physicalLocation: { artifactLocation: file.artifact, region: region(m) } }],
    partialFingerprints: { primaryLocationLineHash: file.fingerprint(ruleId, m, occurrences) },
  };
  if (related.length > 0) out.relatedLocations = related;
  const fix = m.fix === undefined ? null : file.fix(m, m.fix.edits);
  if (fix !== null) out.fixes = [fix];
  return out;
}

/** The message as a sentence, with links to the related locations (GitHub shows them only when linked). */
function messageText(message: string, related: SarifLocation[]): string {
  if (related.length === 0) return sentence(message);
  const links = related
    .slice(0, MAX_MESSAGE_LINKS)
    .map((r) => `[${escapeBrackets(r.message?.text || `location ${r.id}`)}](${r.id})`);
  const more = related.length > MAX_MESSAGE_LINKS ? ` and ${related.length - MAX_MESSAGE_LINKS} more` : '';
  return `${sentence(escapeBrackets(message))} See ${links.join(', ')}${more}.`;
}

function region(l: Location): SarifRegion {
  return { startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: l.endColumn };
}

/** One linted file as SARIF sees it: its URI, its text (for fixes and fingerprints). */
class FileView {
  readonly artifact: SarifArtifactLocation;
  private readonly source: SourceText | null;
  private instructions: Range[] | null = null;

  constructor(
    private readonly result: LintResult,
    private readonly cwd: string,
  ) {
    this.artifact = artifactLocation(result.filePath, cwd);
    this.source = result.source === undefined ? null : new SourceText(result.filePath, result.source);
  }

  artifactFor(filePath: string | undefined): SarifArtifactLocation {
    return filePath === undefined || filePath === this.result.filePath ? this.artifact : artifactLocation(filePath, this.cwd);
  }

  /**
   * A hash that stays the same while unrelated lines move: the file, the rule, the first line of the
   * instruction the finding is in (whitespace-normalized) and which of the equal ones it is.
   */
  fingerprint(ruleId: string, m: Diagnostic, occurrences: Map<string, number>): string {
    const anchor = this.anchorText(m) ?? m.message;
    const key = [this.artifact.uri, ruleId, anchor].join('\u0000');
    const n = (occurrences.get(key) ?? 0) + 1;
    occurrences.set(key, n);
    return `${createHash('sha256').update(key).digest('hex').slice(0, 16)}:${n}`;
  }

  private anchorText(m: Diagnostic): string | null {
    const source = this.source;
    if (source === null || !this.positionsMatch(m)) return null;
    const ranges = (this.instructions ??= instructionRanges(source));
    // Outside every instruction (a comment, a directive) the finding's own line is the anchor.
    const inside = ranges.find((r) => r.start <= m.range.start && m.range.start <= r.end);
    const text = source.lineText(source.lineIndexOf(inside?.start ?? m.range.start));
    return text.trim().replace(/\s+/g, ' ');
  }

  /** A safe fix as replacements on line/column regions of this file. */
  fix(m: Diagnostic, edits: { range: Range; text: string }[]): SarifFix | null {
    const source = this.source;
    if (source === null || edits.length === 0 || !this.positionsMatch(m)) return null;
    const replacements = [...edits]
      .sort((a, b) => a.range.start - b.range.start)
      .map((e) => {
        const r: { deletedRegion: SarifRegion; insertedContent?: SarifMessage } = { deletedRegion: region(source.location(e.range)) };
        if (e.text !== '') r.insertedContent = { text: e.text };
        return r;
      });
    return {
      description: { text: `Apply the safe fix of ${m.ruleId ?? 'layerlint'}: it does not change what the build produces.` },
      artifactChanges: [{ artifactLocation: this.artifact, replacements }],
    };
  }

  /** Offsets and the text agree with the reported position (they would not for a text mapped from a template). */
  private positionsMatch(m: Diagnostic): boolean {
    const source = this.source;
    if (source === null || m.range.end > source.text.length) return false;
    const at = source.positionAt(m.range.start);
    return at.line === m.line && at.column === m.column;
  }
}

function instructionRanges(source: SourceText): Range[] {
  return parseDockerfile(source).instructions.map((i) => i.range);
}

/** Repository-relative URIs (GitHub shows only those), absolute file URIs for files outside the run's directory. */
function artifactLocation(filePath: string, cwd: string): SarifArtifactLocation {
  const rel = path.isAbsolute(filePath) ? path.relative(cwd, filePath).split(path.sep).join('/') : filePath;
  if (rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) return { uri: pathToFileURL(path.resolve(cwd, filePath)).href };
  return { uri: rel.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(path.resolve(dir)).href;
  return href.endsWith('/') ? href : `${href}/`;
}

class RuleTable {
  private readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  private described: SarifRule[] | null = null;

  constructor(private readonly meta: Record<string, RuleMeta<string, unknown>>) {
    for (const id of Object.keys(meta)) this.add(id);
  }

  indexOf(id: string): number {
    return this.index.get(id) ?? this.add(id);
  }

  private add(id: string): number {
    this.described = null;
    const i = this.ids.length;
    this.ids.push(id);
    this.index.set(id, i);
    return i;
  }

  /** Read once every result has been indexed; the docs are read from disk. */
  descriptors(): SarifRule[] {
    return (this.described ??= this.ids.map((id) => describeRule(id, this.meta[id])));
  }
}

function describeRule(id: string, meta: RuleMeta<string, unknown> | undefined): SarifRule {
  const synthetic = SYNTHETIC_RULES[id];
  const doc = meta === undefined ? null : readRuleDoc(id);
  const description = meta?.docs.description ?? synthetic?.description ?? id;
  const level: SarifLevel = meta !== undefined ? LEVEL[meta.defaultSeverity] : (synthetic?.level ?? 'warning');
  const help = doc ?? synthetic?.help ?? description;
  const tags = meta === undefined ? ['dockerfile'] : [meta.type, 'dockerfile'];
  return {
    id,
    name: pascalCase(id.replace(/^layerlint\//, '')),
    shortDescription: { text: sentence(description) },
    fullDescription: { text: sentence(doc === null ? (synthetic?.help ?? description) : firstParagraph(doc) || description) },
    help: { text: help, markdown: help },
    helpUri: meta === undefined ? `${REPOSITORY_URL}#readme` : `${REPOSITORY_URL}/blob/main/rules/${id}.md`,
    defaultConfiguration: { level },
    properties: { tags, 'problem.severity': PROBLEM_SEVERITY[level] },
  };
}

export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join('');
}

/** rules/<id>.md without its `# id` heading, read from the package (which ships rules/*.md). */
function readRuleDoc(id: string): string | null {
  const root = packageRoot();
  if (root === null || !/^[a-z0-9-]+$/.test(id)) return null;
  try {
    return readFileSync(path.join(root, 'rules', `${id}.md`), 'utf8')
      .replace(/\r\n/g, '\n')
      .replace(/^# [^\n]*\n+/, '')
      .trim();
  } catch {
    return null;
  }
}

function firstParagraph(markdown: string): string {
  return (markdown.split(/\n\s*\n/)[0] ?? '').replace(/\s*\n\s*/g, ' ').trim();
}

let cachedRoot: string | null | undefined;

/** The directory of layerlint's package.json, upward from this module (src/, dist/src/ or a bundle). */
function packageRoot(): string | null {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'layerlint') return (cachedRoot = dir);
    } catch {
      // Not here; keep looking upward.
    }
    const parent = path.dirname(dir);
    if (parent === dir) return (cachedRoot = null);
    dir = parent;
  }
}

let cachedVersion: string | undefined;

function packageVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  const dir = packageRoot();
  cachedVersion = 'unknown';
  if (dir === null) return cachedVersion;
  try {
    const v = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: unknown }).version;
    if (typeof v === 'string') cachedVersion = v;
  } catch {
    // An unreadable package.json leaves the version unknown.
  }
  return cachedVersion;
}

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

function escapeBrackets(text: string): string {
  return text.replace(/[[\]]/g, '\\$&');
}

function gzippedSize(log: SarifLog): number {
  return gzipSync(JSON.stringify(log, null, 2)).length;
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MB` : `${n} bytes`;
}

function describeDropped(dropped: SarifResult[]): string {
  const count = (level: SarifLevel): number => dropped.filter((r) => r.level === level).length;
  const parts = (['error', 'warning', 'note'] as const).filter((l) => count(l) > 0).map((l) => `${count(l)} ${l}${count(l) === 1 ? '' : 's'}`);
  return `dropped ${parts.join(', ')}`;
}
