// Lints loaded files as one family: each file's own rules (and fixes), then the family graph and the
// family rules, then each file's inline directives over all of its findings at once.
import { summarize, type Diagnostic, type LintResult } from '../linter/diagnostic.js';
import { checkSource, finishSource, type CheckedSource, type LintSettings } from '../linter/lint-source.js';
import type { ContextHasher } from '../graph/context-hash.js';
import type { ImageGraph } from '../graph/types.js';
import { analyzeFamily, type FamilyAnalysisOptions } from './family-analysis.js';
import { fixText, type FixType } from '../fix/fix-loop.js';
import { isFamilyRule, type AnyRule } from '../rule/types.js';
import { SourceText } from '../source/source-text.js';
import { buildModel } from '../model/build.js';
import { hashText, type LintCache } from './lint-cache.js';

export interface LoadedFile {
  file: string;
  filePath: string;
  source: SourceText;
  settings: LintSettings;
  /** The text as read, before fixing. */
  original?: string;
  /** Read only so that the family graph sees its image (see family-context.ts): not reported, fixed or checked by file rules. */
  context?: true;
  /** Rendered from a template: linted as rendered, never fixed (a fix to rendered text is no fix to the template). */
  template?: true;
}

export interface FamilyLintOptions extends FamilyAnalysisOptions {
  /** Fix with these kinds of fixes before the family is analysed. */
  fixTypes?: FixType[];
  /** Reuse and keep the findings of each file's own rules (`--cache`); not used when fixing. */
  cache?: LintCache;
}

export interface FamilyLint {
  results: LintResult[];
  graph: ImageGraph;
  /** What read the build contexts behind COPY/ADD keys (see contextFingerprints). */
  hasher: ContextHasher;
}

export function lintLoaded(files: readonly LoadedFile[], registry: readonly AnyRule[], options: FamilyLintOptions): LintResult[] {
  return lintFamily(files, registry, options).results;
}

export function lintFamily(files: readonly LoadedFile[], registry: readonly AnyRule[], options: FamilyLintOptions): FamilyLint {
  const checked = new Map<string, { entry: LoadedFile; checked: CheckedSource; output?: string }>();
  const familyOnly = registry.filter(isFamilyRule);
  for (const entry of files) {
    if (entry.context) {
      checked.set(entry.file, { entry, checked: checkSource(entry.source, familyOnly, entry.settings) });
    } else if (options.fixTypes && !entry.template) {
      const bom = entry.source.bom ? '\ufeff' : '';
      // Each pass's result is kept by text: the final text's check is reused, not run again.
      const passes = new Map<string, CheckedSource>();
      const lint = (text: string) => {
        const c = checkSource(new SourceText(entry.file, bom + text), registry, entry.settings);
        passes.set(text, c);
        return { model: c.model, diagnostics: finishSource(c, registry, entry.settings) };
      };
      const fixed = fixText(entry.source.text, lint, options.fixTypes);
      const final = passes.get(fixed.output) ?? checkSource(new SourceText(entry.file, bom + fixed.output), registry, entry.settings);
      const state: { entry: LoadedFile; checked: CheckedSource; output?: string } = { entry: { ...entry, source: final.model.source, original: entry.source.text }, checked: final };
      if (fixed.fixed) state.output = bom + fixed.output;
      checked.set(entry.file, state);
    } else {
      checked.set(entry.file, { entry, checked: checkOwn(entry, registry, options.cache) });
    }
  }

  const family = analyzeFamily(
    [...checked.values()].map((c) => ({ file: c.entry.file, model: c.checked.model })),
    registry,
    options,
  );
  const results = assemble(checked.values(), family.findings, registry);
  return { results, graph: family.graph, hasher: family.hasher };
}

interface Checked {
  entry: LoadedFile;
  checked: CheckedSource;
  output?: string;
}

/** Each linted file's result: its own findings and the family's, through its directives. */
function assemble(checked: Iterable<Checked>, familyFindings: ReadonlyMap<string, Diagnostic[]>, registry: readonly AnyRule[]): LintResult[] {
  const results: LintResult[] = [];
  for (const { entry, checked: c, output } of checked) {
    if (entry.context) continue;
    const own = (familyFindings.get(entry.file) ?? []).flatMap((d) => {
      // A file's own configuration may turn a family rule off or change its severity.
      const setting = entry.settings.rules[d.ruleId ?? ''];
      if (setting?.severity === 'off') return [];
      return [setting ? { ...d, severity: setting.severity } : d];
    });
    const diagnostics = finishSource({ ...c, findings: [...c.findings, ...own] }, registry, entry.settings);
    const result = summarize(entry.filePath, diagnostics, c.model.source.text);
    if (output !== undefined) {
      result.output = output;
      result.input = entry.original;
    }
    results.push(result);
  }
  return results;
}

/**
 * As lintFamily without fixing, with the family graph and rules worked out by `family` (another
 * thread) while this one checks each linted file: context files are not even modelled here.
 */
export async function lintFamilyBeside(
  files: readonly LoadedFile[],
  registry: readonly AnyRule[],
  options: FamilyLintOptions,
  family: Promise<RemoteFamily>,
): Promise<{ results: LintResult[]; contexts: Record<string, string> }> {
  const checked: Checked[] = [];
  for (const entry of files) {
    if (entry.context) continue;
    checked.push({ entry, checked: checkOwn(entry, registry, options.cache) });
  }
  const { findings, contexts } = await family;
  return { results: assemble(checked, findings, registry), contexts };
}

/** What a family analysis in another thread hands back: plain data. */
export interface RemoteFamily {
  findings: Map<string, Diagnostic[]>;
  /** Build context root -> fingerprint, for the cache. */
  contexts: Record<string, string>;
}

/**
 * checkSource, with the file rules' findings from the cache when the text, settings and rule set are
 * those of a cached check (templates are not cached). The model is built either way: the family
 * graph needs it.
 */
function checkOwn(entry: LoadedFile, registry: readonly AnyRule[], cache: LintCache | undefined): CheckedSource {
  if (!cache || entry.template) return checkSource(entry.source, registry, entry.settings);
  const key = hashText(entry.filePath, entry.source.bom ? '\ufeff' : '', entry.source.text, settingsKey(entry.settings), registryKey(registry));
  const hit = cache.fileCheck(key);
  if (hit) return { model: buildModel(entry.source), problems: hit.problems, findings: hit.findings };
  const checked = checkSource(entry.source, registry, entry.settings);
  cache.storeFileCheck(key, checked);
  return checked;
}

// Most files of a run share one settings object and every file the registry: each is written out once.
const settingsKeys = new WeakMap<LintSettings, string>();
const registryKeys = new WeakMap<readonly AnyRule[], string>();

function settingsKey(settings: LintSettings): string {
  let key = settingsKeys.get(settings);
  if (key === undefined) settingsKeys.set(settings, (key = JSON.stringify(settings)));
  return key;
}

function registryKey(registry: readonly AnyRule[]): string {
  let key = registryKeys.get(registry);
  if (key === undefined) registryKeys.set(registry, (key = registry.map((r) => r.id).join(',')));
  return key;
}
