// Lints loaded files as one family: each file's own rules (and fixes), then the family graph and the
// family rules, then each file's inline directives over all of its findings at once.
import path from 'node:path';
import { summarize, type Diagnostic, type LintResult } from '../linter/diagnostic.js';
import { checkSource, enabledRules, finishSource, type CheckedSource, type LintSettings } from '../linter/lint-source.js';
import { runFamilyRules } from '../linter/run-family-rules.js';
import type { EnabledRule } from '../linter/run-rules.js';
import { buildGraph } from '../graph/build-graph.js';
import { ContextHasher } from '../graph/context-hash.js';
import type { ImageGraph, NamingOptions } from '../graph/types.js';
import { composeImages, findComposeFiles } from '../graph/compose.js';
import { fixText, type FixType } from '../fix/fix-loop.js';
import { isFamilyRule, type AnyFamilyRule, type AnyRule } from '../rule/types.js';
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

export interface FamilyLintOptions {
  cwd: string;
  /** Settings that enable family rules (the configuration of the working directory). */
  familySettings: LintSettings;
  /** `naming` and `images` sections of that configuration. */
  sections: { naming?: unknown; images?: unknown };
  /** The directory relative paths in `images` start from. */
  configDir?: string;
  /** Fix with these kinds of fixes before the family is analysed. */
  fixTypes?: FixType[];
  /** Reuse and keep the findings of each file's own rules (`--cache`); not used when fixing. */
  cache?: LintCache;
}

export interface FamilyLint {
  results: LintResult[];
  graph: ImageGraph;
  /** The build context roots whose files COPY/ADD keys hashed. */
  contextRoots: string[];
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
    } else if (options.cache && !entry.template) {
      checked.set(entry.file, { entry, checked: checkCached(entry, registry, options.cache) });
    } else {
      checked.set(entry.file, { entry, checked: checkSource(entry.source, registry, entry.settings) });
    }
  }

  const hasher = new ContextHasher();
  const graph = buildGraph(
    [...checked.values()].filter((c) => c.checked.model.stages.length > 0).map((c) => ({ file: c.entry.file, model: c.checked.model })),
    { naming: namingFrom(options.sections, options.configDir ?? options.cwd, findComposeFiles(files.map((f) => f.file), options.cwd)), contextHash: (file, step) => hasher.hash(file, step) },
  );
  const familyRules = enabledRules(registry, options.familySettings).filter((e): e is EnabledRule<AnyFamilyRule> => isFamilyRule(e.rule));
  const familyFindings = familyRules.length > 0 ? runFamilyRules(graph, familyRules, options.cwd) : new Map<string, Diagnostic[]>();

  const results: LintResult[] = [];
  for (const { entry, checked: c, output } of checked.values()) {
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
  return { results, graph, contextRoots: hasher.roots(), hasher };
}

/**
 * checkSource with the file rules' findings from the cache when the text, settings and rule set are
 * those of a cached check. The model is built either way: the family graph needs it.
 */
function checkCached(entry: LoadedFile, registry: readonly AnyRule[], cache: LintCache): CheckedSource {
  const key = hashText(entry.filePath, entry.source.bom ? '\ufeff' : '', entry.source.text, JSON.stringify(entry.settings), registry.map((r) => r.id).join(','));
  const hit = cache.fileCheck(key);
  if (hit) return { model: buildModel(entry.source), problems: hit.problems, findings: hit.findings };
  const checked = checkSource(entry.source, registry, entry.settings);
  cache.storeFileCheck(key, checked);
  return checked;
}

function namingFrom(sections: FamilyLintOptions['sections'], baseDir: string, composeFiles: readonly string[]): NamingOptions {
  const naming: NamingOptions = {};
  // Compose services name the images they build; an explicit `images:` map in the config wins over them.
  const fromCompose = Object.assign({}, ...composeFiles.map((f) => composeImages(f))) as Record<string, string>;
  if (Object.keys(fromCompose).length > 0) naming.images = fromCompose;
  const n = sections.naming;
  if (n && typeof n === 'object' && Array.isArray((n as { prefixes?: unknown }).prefixes)) {
    naming.prefixes = ((n as { prefixes: unknown[] }).prefixes).filter((p): p is string => typeof p === 'string');
  }
  if (sections.images && typeof sections.images === 'object') {
    naming.images = {
      ...naming.images,
      ...Object.fromEntries(
        Object.entries(sections.images as Record<string, unknown>)
          .filter((e): e is [string, string] => typeof e[1] === 'string')
          .map(([ref, file]) => [ref, path.resolve(baseDir, file)]),
      ),
    };
  }
  return naming;
}
