// The file-level entry point: discover, load, configure, lint. One bad file yields a fatal result
// for that file and the run goes on; only a broken configuration stops it (ConfigError), because
// every result after it would be linted with settings the user did not ask for.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import { builtinRules } from '../../rules/index.js';
import { DirectoryListings } from '../discover/listings.js';
import { discover, IGNORED_DIRECTORY_MESSAGE, IGNORED_FILE_MESSAGE, type DiscoveryProblem } from '../discover/discover.js';
import { configFileIn, configIgnoreSource, loadConfigFile, type LoadedConfig } from '../config/load-config.js';
import { compareText, summarize, type LintResult } from '../linter/diagnostic.js';
import { DEFAULT_SETTINGS, lintSourceSync, type LintSettings, type RuleSetting } from '../linter/lint-source.js';
import { initShellParser, withShellParser } from '../model/shell-parser.js';
import { isFamilyRule, type AnyRule, type Severity } from '../rule/types.js';
import { SourceText } from '../source/source-text.js';
import type { FixType } from '../fix/fix-loop.js';
import { fatalResult, loadFile, noticeResult, type LoadOutcome } from './load-file.js';
import { lintFamily, lintFamilyBeside, type FamilyLintOptions, type LoadedFile } from './lint-family.js';
import { familyFromTexts } from './family-analysis.js';
import { familyInWorker, useFamilyWorker } from './parallel-family.js';
import { familyContextFiles } from './family-context.js';
import type { TemplateFlags } from '../template/lint-templates.js';
import type { ImageGraph } from '../graph/types.js';
import type { MeasuredSet } from '../measure/types.js';
import { contextFingerprint, contextFingerprints, hashText, LintCache, totalsOf, type RunTotals, type StoredReport } from './lint-cache.js';
import { FileReads } from './file-reads.js';
import { BuildContexts } from '../graph/build-context.js';
import { findComposeFiles } from '../graph/compose.js';

export const DEFAULT_CACHE_LOCATION = '.layerlintcache';

/** A run with this much Dockerfile text will almost surely meet a script only the shell grammar reads. */
const EAGER_SHELL_PARSER_BYTES = 64 * 1024;

export interface LintFilesOptions {
  /** Paths are resolved and reported relative to this directory; defaults to `process.cwd()`. */
  cwd?: string;
  /** Use this config file for every file instead of looking for one next to each file. */
  configFile?: string;
  /** Rule settings applied over the config's, e.g. from the command line. */
  rules?: Record<string, RuleSetting>;
  /** Report inline directives that suppress nothing, at this severity (overrides the config). */
  reportUnusedDirectives?: Severity | 'off';
  /** Also lint `*.j2` Dockerfile templates. */
  includeTemplates?: boolean;
  /** Render `*.j2` templates with these values (over the config's `templates:`) and lint what they render to. */
  templates?: TemplateFlags;
  /** Compute fixed texts (in `LintResult.output`); nothing is written. */
  fix?: boolean;
  /** Which fixes: safe ones (default), and suggestions when asked. */
  fixTypes?: FixType[];
  /**
   * When files are named one by one, also read the other Dockerfiles of their repository so that
   * family rules see parents and siblings; only the named files are reported. Default true.
   */
  familyContext?: boolean;
  /** Keep what this run found in a cache file and reuse it in the next run (not with `fix` or `images`). */
  cache?: boolean;
  /** The cache file, relative to `cwd`; `.layerlintcache` by default. */
  cacheLocation?: string;
  /**
   * Analyse the family in a worker thread while this one checks the files: `auto` (default) for runs
   * with a megabyte of Dockerfiles or more on a machine with four cores or more.
   */
  parallel?: boolean | 'auto';
  /** Built images to measure (`oci:DIR`, `oci-archive:FILE`, `docker-archive:FILE`); paths relative to `cwd`. */
  images?: string[];
}

export interface LintTextOptions {
  /** The path to report; `<text>` when absent. */
  filePath?: string;
  settings?: Partial<LintSettings>;
  /** Rules to run besides the built-in ones, e.g. a plugin's under test. */
  extraRules?: readonly AnyRule[];
}

export async function lintFiles(paths: string[], options: LintFilesOptions = {}): Promise<LintResult[]> {
  const { run } = await analyze(paths, options, true);
  const results = await run.results();
  run.finish();
  return results;
}

/**
 * A lint run as the command uses it: with `--cache`, a run whose inputs are unchanged knows its
 * totals and may hold the very report asked for, and reads its results back only when it must.
 */
export interface LintRun {
  readonly totals: RunTotals;
  /** The results, sorted by path. */
  results(): Promise<LintResult[]>;
  /** A report of these same results that an earlier run kept under `key`. */
  storedReport(key: string): StoredReport | undefined;
  /** Keeps a report of these results for later runs (when the cache is on). */
  keepReport(key: string, report: StoredReport): void;
  /** Writes the cache, when it is on and this run has something new for it. */
  finish(): void;
}

/** lintFiles for the command: the run, whose results may stay in the cache. */
export async function startLintRun(paths: string[], options: LintFilesOptions = {}): Promise<LintRun> {
  return (await analyze(paths, options, true)).run;
}

export interface Analysis {
  results: LintResult[];
  /** The family graph of every Dockerfile that was read. */
  graph: ImageGraph;
  /** The images of `options.images`, read as one set. */
  measured?: MeasuredSet;
}

/** lintFiles, also returning the family graph the family rules saw (the cache is not used). */
export async function analyzeFiles(paths: string[], options: LintFilesOptions = {}): Promise<Analysis> {
  const { cache: _cache, ...rest } = options;
  const { run, graph, measured } = await analyze(paths, rest, false);
  return { results: await run.results(), graph: graph as ImageGraph, ...(measured === undefined ? {} : { measured }) };
}

/** A Dockerfile the run lints, before it is read. */
interface Wanted {
  file: string;
  filePath: string;
  settings: LintSettings;
  template: boolean;
}

/** With `reuse`, a run whose inputs match the cache's is answered from it, without a graph. */
async function analyze(paths: string[], options: LintFilesOptions, reuse: boolean): Promise<{ run: LintRun; graph: ImageGraph | null; measured?: MeasuredSet }> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  // Before any linting: an unreadable image source is the caller's mistake, reported as an ImageReadError.
  const measured = options.images?.length ? await readImages(options.images, cwd) : null;
  // What the walk lists answers the run's later questions about the same directories.
  const listings = new DirectoryListings();
  const configs = new ConfigResolver(cwd, builtinRules, options, listings);
  // The config that governs the working directory also says which paths a walk skips.
  const rootConfig = await configs.forDirectory(cwd);
  const rootIgnore = rootConfig === null ? null : configIgnoreSource(rootConfig);
  // The template engine loads only for a run that has templates to render.
  const templates = options.templates || rootConfig?.sections.templates !== undefined ? await (await import('../template/lint-templates.js')).openTemplateSession(options.templates, rootConfig, cwd, lintedTree(cwd, paths)) : null;
  if (templates && options.includeTemplates === undefined) options = { ...options, includeTemplates: true };
  const discovery = await discover(paths, {
    cwd,
    listings,
    ...(options.includeTemplates === undefined ? {} : { includeTemplates: options.includeTemplates }),
    ...(rootIgnore === null ? {} : { ignore: [rootIgnore] }),
  });

  const results: LintResult[] = [];
  for (const problem of discovery.problems) {
    const filePath = relativePath(cwd, path.resolve(cwd, problem.path));
    // A path named on purpose but ignored is a notice, not a failure: hooks pass every changed file.
    const ignored = problem.message === IGNORED_FILE_MESSAGE || problem.message === IGNORED_DIRECTORY_MESSAGE;
    results.push(ignored ? noticeResult(filePath, problem.message) : fatalResult(filePath, { message: problem.message }));
  }
  const wanted: Wanted[] = [];
  // One settings object per config: files that share a config share their settings.
  const overridden = new Map<LintSettings, LintSettings>();
  for (const file of discovery.files) {
    const config = await configs.forDirectory(path.dirname(file));
    if (config !== null && config !== rootConfig && ignoredBy(config, file)) continue;
    const base = config?.settings ?? DEFAULT_SETTINGS;
    let settings = overridden.get(base);
    if (settings === undefined) overridden.set(base, (settings = withOverrides(base, options)));
    wanted.push({ file, filePath: relativePath(cwd, file), settings, template: templates !== null && templates.handles(file) });
  }
  const contextFiles =
    options.familyContext === false
      ? []
      : await familyContextFiles(paths, discovery.files, {
          cwd,
          ...(options.includeTemplates === undefined ? {} : { includeTemplates: options.includeTemplates }),
          ...(rootIgnore === null ? {} : { ignore: [rootIgnore] }),
        });
  // The rules of every config's plugins join the built-in ones for the whole run.
  const registry = await configs.registry();
  checkRuleIds(registry, options.rules);
  // Neither fixing (it writes) nor measuring images (outside the key) nor templates (their values and overrides) use the cache.
  const cache = options.cache && !options.fix && measured === null && templates === null ? LintCache.open(path.resolve(cwd, options.cacheLocation ?? DEFAULT_CACHE_LOCATION)) : null;
  const reads = cache ? new FileReads(cache.fileStamps(), Date.now(), (file) => listings.lstat(file)) : null;
  const load = (file: string, filePath: string): Promise<LoadOutcome> | LoadOutcome => (reads ? reads.load(file, filePath) : loadFile(file, filePath));
  const runKey = cache && reads ? runCacheKey(cwd, paths, options, await configs.files(), wanted, contextFiles, registry, discovery.problems, reads, listings) : null;
  if (cache && reads) cache.storeStamps(reads.stamps);

  /** Reads the files and lints them: the run itself when the cache cannot answer. */
  const lintNow = async (): Promise<{ results: LintResult[]; graph: ImageGraph | null; contexts: Record<string, string> }> => {
    const loaded: LoadedFile[] = [];
    const failed: LintResult[] = [];
    for (const w of wanted) {
      const read = w.template && templates ? templates.load(w.file, w.filePath) : await load(w.file, w.filePath);
      if (!read.ok) failed.push(fatalResult(w.filePath, read.problem));
      else loaded.push({ file: w.file, filePath: w.filePath, source: read.source, settings: w.settings, ...(w.template ? { template: true as const } : {}) });
    }
    const context: LoadedFile[] = [];
    for (const file of contextFiles) {
      // Context is best effort: a file that cannot be read only takes its image out of the graph.
      const read = await load(file, relativePath(cwd, file));
      if (read.ok) context.push({ file, filePath: read.source.path, source: read.source, settings: DEFAULT_SETTINGS, context: true });
    }
    const all = [...loaded, ...(templates ? templates.renderContext(context) : context)];
    const familyOptions: FamilyLintOptions = {
      cwd,
      familySettings: withOverrides(rootConfig?.settings ?? DEFAULT_SETTINGS, options),
      sections: rootConfig?.sections ?? {},
      ...(rootConfig?.file ? { configDir: path.dirname(path.resolve(cwd, rootConfig.file)) } : {}),
      ...(options.fix ? { fixTypes: options.fixTypes ?? ['safe'] } : {}),
      ...(cache ? { cache } : {}),
      listings,
    };
    // Only lintFiles may go parallel: analyzeFiles returns the graph, which stays in the worker.
    const builtinIds = new Set(builtinRules.map((r) => r.id));
    const parallel = reuse && !options.fix && registry.every((r) => !isFamilyRule(r) || builtinIds.has(r.id)) && useFamilyWorker(all, options.parallel ?? 'auto');
    // The shell grammar loads up front for a run with much to read; a small run loads it only when a
    // script needs it (see withShellParser), which a run of simple scripts never does.
    if (parallel || all.reduce((n, f) => n + f.source.text.length, 0) >= EAGER_SHELL_PARSER_BYTES) await initShellParser();
    const family = await withShellParser(async () => {
      if (parallel) {
        // The worker's part is done here after all when the worker cannot start or fails.
        const remote = familyInWorker(all, familyOptions, cache !== null).catch(() => familyFromTexts(all, registry, familyOptions, cache !== null));
        const beside = await lintFamilyBeside(all, registry, familyOptions, remote);
        return { graph: null, results: beside.results, contexts: beside.contexts };
      }
      const here = lintFamily(all, registry, familyOptions);
      return { graph: here.graph as ImageGraph | null, results: here.results, contexts: cache ? contextFingerprints(here.hasher) : {} };
    });
    const allResults = [...results, ...failed, ...family.results];
    const reported = templates ? templates.finish(allResults, { fix: options.fix === true }) : allResults;
    return { results: reported.sort((a, b) => compareText(a.filePath, b.filePath)), graph: family.graph, contexts: family.contexts };
  };

  const stored = cache && runKey !== null && reuse ? cache.runFor(runKey, (root) => contextFingerprint(new BuildContexts(listings).list(root))) : null;
  if (cache && stored) {
    const byPath = new Map(wanted.map((w) => [w.filePath, w.file]));
    return {
      run: {
        totals: stored.totals,
        async results() {
          const kept = stored.results();
          // A stored run whose results cannot be read back is no answer: lint after all, and keep that run.
          if (kept === null) {
            const done = await lintNow();
            cache.storeRun(runKey as string, done.contexts, done.results);
            return done.results;
          }
          for (const r of kept) {
            const file = byPath.get(r.filePath);
            const read = file === undefined ? null : await load(file, r.filePath);
            if (read?.ok) r.source = read.source.text;
          }
          return kept;
        },
        storedReport: (key) => stored.report(key),
        keepReport: (key, report) => cache.storeReport(key, report),
        finish: () => void cache.save(),
      },
      graph: null,
      ...(measured === null ? {} : { measured }),
    };
  }
  const done = await lintNow();
  // A cache that cannot be written costs the next run its speed, never this run its results.
  if (cache && runKey !== null) cache.storeRun(runKey, done.contexts, done.results);
  return {
    run: {
      totals: totalsOf(done.results),
      results: async () => done.results,
      storedReport: () => undefined,
      keepReport: (key, report) => cache?.storeReport(key, report),
      finish: () => void cache?.save(),
    },
    graph: done.graph,
    ...(measured === null ? {} : { measured }),
  };
}

/** Lints one text with the built-in rules: the settings given, or every rule at its default. */
export async function lintText(text: string, options: LintTextOptions = {}): Promise<LintResult> {
  const filePath = options.filePath ?? '<text>';
  const settings: LintSettings = { ...DEFAULT_SETTINGS, ...options.settings };
  const registry = [...builtinRules, ...(options.extraRules ?? [])];
  checkRuleIds(registry, settings.rules);
  await initShellParser();
  const source = new SourceText(filePath, text);
  const { diagnostics } = lintSourceSync(source, registry, settings);
  return summarize(filePath, diagnostics, source.text);
}

/** The image reader loads only for a run that measures images. */
async function readImages(specs: string[], cwd: string): Promise<MeasuredSet> {
  const { readImageSets, resolveImageSpec } = await import('../measure/read-images.js');
  return readImageSets(specs.map((s) => resolveImageSpec(s, cwd)));
}

/** The config for each directory: the given file, or the nearest one upward, each looked up and read once. */
class ConfigResolver {
  private readonly byFile = new Map<string, Promise<LoadedConfig>>();
  private readonly byDir = new Map<string, Promise<LoadedConfig | null>>();
  private readonly explicit: string | null;

  constructor(
    cwd: string,
    private readonly rules: readonly AnyRule[],
    options: LintFilesOptions,
    private readonly listings: DirectoryListings,
  ) {
    this.explicit = options.configFile === undefined ? null : path.resolve(cwd, options.configFile);
  }

  forDirectory(dir: string): Promise<LoadedConfig | null> {
    const cached = this.byDir.get(dir);
    if (cached) return cached;
    // The nearest config upward: this directory's own file, else its parent's answer, asked once.
    let config: Promise<LoadedConfig | null>;
    if (this.explicit !== null) config = this.load(this.explicit);
    else {
      const own = configFileIn(dir, this.listings);
      const parent = path.dirname(dir);
      config = own !== null ? this.load(own) : parent === dir ? Promise.resolve(null) : this.forDirectory(parent);
    }
    this.byDir.set(dir, config);
    return config;
  }

  /** Every config file read so far. */
  async files(): Promise<string[]> {
    return (await Promise.all(this.byFile.values())).map((c) => c.file ?? '').filter((f) => f !== '');
  }

  /** The built-in rules and those of the plugins of every config read so far. */
  async registry(): Promise<readonly AnyRule[]> {
    const ids = new Set(this.rules.map((r) => r.id));
    const out = [...this.rules];
    for (const config of await Promise.all(this.byFile.values())) {
      for (const rule of config.pluginRules ?? []) {
        if (ids.has(rule.id)) continue;
        ids.add(rule.id);
        out.push(rule);
      }
    }
    return out;
  }

  private load(file: string): Promise<LoadedConfig> {
    const cached = this.byFile.get(file);
    if (cached) return cached;
    const loaded = loadConfigFile(file, this.rules);
    this.byFile.set(file, loaded);
    return loaded;
  }
}

/** Whether a nested config's `ignorePatterns` exclude a file the walk found. */
function ignoredBy(config: LoadedConfig, file: string): boolean {
  const source = configIgnoreSource(config);
  if (source === null) return false;
  const rel = path.relative(source.baseDir, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return false;
  return ignore().add([...source.patterns]).ignores(rel.split(path.sep).join('/'));
}

function withOverrides(base: LintSettings, options: LintFilesOptions): LintSettings {
  const rules: Record<string, RuleSetting> = { ...base.rules };
  for (const [id, setting] of Object.entries(options.rules ?? {})) {
    // A severity from the command line keeps the options the config gave the rule.
    const options = setting.options ?? rules[id]?.options;
    rules[id] = options === undefined ? { severity: setting.severity } : { severity: setting.severity, options };
  }
  return { ...base, rules, reportUnusedDirectives: options.reportUnusedDirectives ?? base.reportUnusedDirectives };
}

function checkRuleIds(registry: readonly AnyRule[], rules: Record<string, RuleSetting> | undefined): void {
  const known = new Set(registry.map((r) => r.id));
  for (const id of Object.keys(rules ?? {})) {
    if (!known.has(id)) throw new Error(`unknown rule "${id}"`);
  }
}

/** The working directory when every path lies in it, else the deepest directory holding every path. */
function lintedTree(cwd: string, paths: readonly string[]): string {
  const abs = (paths.length > 0 ? paths : ['.']).map((p) => path.resolve(cwd, p));
  if (abs.every((p) => p === cwd || p.startsWith(`${cwd}${path.sep}`))) return cwd;
  let common = abs[0] as string;
  for (const p of abs.slice(1)) {
    while (common !== path.dirname(common) && p !== common && !p.startsWith(`${common}${path.sep}`)) common = path.dirname(common);
  }
  // A single file names its directory: the bound must be a directory a template root can equal.
  return existsSync(common) && !statSync(common).isDirectory() ? path.dirname(common) : common;
}

export function relativePath(cwd: string, file: string): string {
  // Most files of a run lie plainly below the working directory, and cutting is much cheaper than path.relative.
  if (plainlyBelow(cwd, file)) {
    const rel = file.slice(cwd.length + 1);
    return path.sep === '/' ? rel : rel.split(path.sep).join('/');
  }
  return path.relative(cwd, file).split(path.sep).join('/') || '.';
}

/** Whether `file` is `cwd`, a separator and a normal relative path: no `.`, `..` or empty segment. */
function plainlyBelow(cwd: string, file: string): boolean {
  const sep = path.sep;
  return file.length > cwd.length + 1 && file.startsWith(cwd) && file[cwd.length] === sep && !file.includes(`${sep}.`) && !file.includes(`${sep}${sep}`) && !file.endsWith(sep);
}

/**
 * Everything a run's results depend on besides the build contexts (fingerprinted apart): the code
 * (in the cache itself), the working directory, the paths and options, every config and compose file,
 * what each Dockerfile read holds, linted or context, and the paths that could not be linted.
 */
function runCacheKey(cwd: string, paths: readonly string[], options: LintFilesOptions, configFiles: readonly string[], wanted: readonly Wanted[], contextFiles: readonly string[], registry: readonly AnyRule[], problems: readonly DiscoveryProblem[], reads: FileReads, listings: DirectoryListings): string {
  const { cache: _c, cacheLocation: _l, cwd: _w, ...rest } = options;
  const read = (file: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return '\0unreadable';
    }
  };
  const parts = [cwd, JSON.stringify(paths), JSON.stringify(rest), registry.map((r) => r.id).join(','), JSON.stringify(problems)];
  for (const file of [...configFiles].sort()) parts.push(file, read(file));
  for (const file of findComposeFiles([...wanted.map((w) => w.file), ...contextFiles], cwd, listings)) parts.push(file, read(file));
  for (const w of wanted) parts.push('linted', w.file, w.filePath, JSON.stringify(w.settings), reads.identity(w.file));
  for (const file of contextFiles) parts.push('context', file, reads.identity(file));
  return hashText(...parts);
}
