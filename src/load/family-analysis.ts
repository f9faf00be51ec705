// The family half of a run: the graph of every Dockerfile read and the family rules over it. Plain
// data in (models, settings), findings per file out, so that it can run in another thread too.
import path from 'node:path';
import type { Diagnostic } from '../linter/diagnostic.js';
import { enabledRules, type LintSettings } from '../linter/lint-source.js';
import { runFamilyRules } from '../linter/run-family-rules.js';
import type { EnabledRule } from '../linter/run-rules.js';
import { buildGraph } from '../graph/build-graph.js';
import { ContextHasher } from '../graph/context-hash.js';
import { BuildContexts } from '../graph/build-context.js';
import type { DirectoryListings } from '../discover/listings.js';
import type { ImageGraph, NamingOptions } from '../graph/types.js';
import { composeImages, findComposeFiles } from '../graph/compose.js';
import type { DockerfileModel } from '../model/types.js';
import { buildModel } from '../model/build.js';
import type { SourceText } from '../source/source-text.js';
import { contextFingerprints } from './lint-cache.js';
import { isFamilyRule, type AnyFamilyRule, type AnyRule } from '../rule/types.js';

export interface FamilyAnalysisOptions {
  cwd: string;
  /** Settings that enable family rules (the configuration of the working directory). */
  familySettings: LintSettings;
  /** `naming` and `images` sections of that configuration. */
  sections: { naming?: unknown; images?: unknown };
  /** The directory relative paths in `images` start from. */
  configDir?: string;
  /** The run's directory listings (this thread only), so that build contexts the walk listed are not listed again. */
  listings?: DirectoryListings;
}

export interface FamilyAnalysis {
  graph: ImageGraph;
  /** Findings of the family rules by file (absolute path). */
  findings: Map<string, Diagnostic[]>;
  hasher: ContextHasher;
}

/** `models`: every Dockerfile of the run (absolute path), whose directories compose files are looked for in. */
export function analyzeFamily(models: readonly { file: string; model: DockerfileModel }[], registry: readonly AnyRule[], options: FamilyAnalysisOptions): FamilyAnalysis {
  const hasher = new ContextHasher(undefined, new BuildContexts(options.listings));
  const graph = buildGraph(
    models.filter((m) => m.model.stages.length > 0),
    { naming: namingFrom(options.sections, options.configDir ?? options.cwd, findComposeFiles(models.map((m) => m.file), options.cwd, options.listings)), contextHash: (file, step) => hasher.hash(file, step) },
  );
  const familyRules = enabledRules(registry, options.familySettings).filter((e): e is EnabledRule<AnyFamilyRule> => isFamilyRule(e.rule));
  const findings = familyRules.length > 0 ? runFamilyRules(graph, familyRules, options.cwd) : new Map<string, Diagnostic[]>();
  return { graph, findings, hasher };
}

/**
 * The family half from texts alone, as a worker thread (or the main thread in its place) does it:
 * the findings by file and, when asked, the fingerprints of the build contexts read (for the cache).
 */
export function familyFromTexts(files: readonly { file: string; source: SourceText }[], registry: readonly AnyRule[], options: FamilyAnalysisOptions, fingerprints: boolean): { findings: Map<string, Diagnostic[]>; contexts: Record<string, string> } {
  const family = analyzeFamily(files.map((f) => ({ file: f.file, model: buildModel(f.source) })), registry, options);
  return { findings: family.findings, contexts: fingerprints ? contextFingerprints(family.hasher) : {} };
}

function namingFrom(sections: FamilyAnalysisOptions['sections'], baseDir: string, composeFiles: readonly string[]): NamingOptions {
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
