// Reads `.layerlint.yaml|yml|json` into the settings linting needs. Mistakes are errors, never ignored:
// a misspelt rule id or option would otherwise silently leave a rule at its default. Each error names
// the file, the key path and, where the parser knows it, the line.
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { IgnoreSource } from '../discover/ignore-rules.js';
import type { DirectoryListings } from '../discover/listings.js';
import { fsErrorMessage } from '../discover/fs-errors.js';
import type { LintSettings, RuleSetting } from '../linter/lint-source.js';
import type { AnyRule, Severity, SeveritySetting } from '../rule/types.js';
import { findJsonSyntaxError } from './json-syntax.js';
import { loadPlugins, PluginError } from './plugins.js';
import { RESERVED_SECTIONS, SEVERITY_SETTINGS, describe, isPlainObject, validateValue, type KeyPath } from './schema.js';

export { configJsonSchema } from './schema.js';

export const CONFIG_FILE_NAMES: readonly string[] = ['.layerlint.yaml', '.layerlint.yml', '.layerlint.json'];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly file: string;
  readonly line?: number;
  /** Dotted key path, e.g. `rules.merge-consecutive-runs.options.maxCommands`. */
  readonly key?: string;
  /** The reason alone, without file, line or key. */
  readonly detail: string;

  constructor(init: { file: string; line?: number; key?: string; detail: string }) {
    const where = init.line === undefined ? init.file : `${init.file}:${init.line}`;
    super(init.key ? `${where}: ${init.key}: ${init.detail}` : `${where}: ${init.detail}`);
    this.file = init.file;
    if (init.line !== undefined) this.line = init.line;
    if (init.key !== undefined) this.key = init.key;
    this.detail = init.detail;
  }
}

/** The `templates` section, validated; paths as written, relative to the config file. */
export interface TemplatesSection {
  values?: string;
  overrides?: string[];
  root?: string;
}

/** Sections that later parts of layerlint read; kept as written. */
export type ConfigSections = Partial<Record<(typeof RESERVED_SECTIONS)[number], unknown>>;

export interface LoadedConfig {
  settings: LintSettings;
  /** The file read, as it was given; null for settings that come from no file. */
  file: string | null;
  /** Gitignore-style patterns relative to the config file's directory (see `configIgnoreSource`). */
  ignorePatterns: string[];
  sections: ConfigSections;
  /** The rules the config's `plugins` add, ids prefixed with the plugin name; absent without plugins. */
  pluginRules?: readonly AnyRule[];
}

/** The nearest config file in `startDir` or above it, stopping after `stopAt` (default: the file-system root). */
export async function findConfigFile(startDir: string, stopAt?: string): Promise<string | null> {
  const stop = stopAt === undefined ? null : resolve(stopAt);
  for (let dir = resolve(startDir); ; ) {
    const file = configFileIn(dir);
    if (file !== null) return file;
    const parent = dirname(dir);
    if (dir === stop || parent === dir) return null;
    dir = parent;
  }
}

/**
 * The config file of one directory itself (not its parents). Synchronous: a run over thousands of
 * directories asks this for each of them, and a stat is faster than the promise around it. With the
 * run's `listings`, a directory the walk listed is probed only for the names it holds.
 */
export function configFileIn(dir: string, listings?: DirectoryListings): string | null {
  for (const name of listings?.candidatesIn(dir, CONFIG_FILE_NAMES) ?? CONFIG_FILE_NAMES) {
    const file = join(dir, name);
    if (isFile(file)) return file;
  }
  return null;
}

export async function loadConfigFile(file: string, registry: readonly AnyRule[]): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError({ file, detail: `cannot read config file: ${fsErrorMessage(error)}` });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parsed = parseText(text, file);
  const plugins = isPlainObject(parsed.value) ? parsed.value.plugins : undefined;
  if (plugins === undefined || plugins === null) return new Interpreter(file, registry, parsed.locate).config(parsed.value);
  // Plugins come first: the rules they add may be configured under `rules:` of the same file.
  let pluginRules: AnyRule[];
  try {
    pluginRules = await loadPlugins(plugins, file, (path) => parsed.locate(path, 'value'));
  } catch (error) {
    if (!(error instanceof PluginError)) throw error;
    const { key, line, detail } = error.problem;
    throw new ConfigError({ file, ...(line === undefined ? {} : { line }), key: formatKeyPath(key), detail });
  }
  const loaded = new Interpreter(file, [...registry, ...pluginRules], parsed.locate).config(parsed.value);
  if (pluginRules.length > 0) loaded.pluginRules = pluginRules;
  return loaded;
}

/** The config's `ignorePatterns` in the form `discover` takes, or null when there are none. */
export function configIgnoreSource(config: LoadedConfig): IgnoreSource | null {
  if (config.file === null || config.ignorePatterns.length === 0) return null;
  return { baseDir: dirname(resolve(config.file)), patterns: config.ignorePatterns };
}

/** Parses a config file's text; `.json` files are JSON, anything else YAML. */
export function parseConfigText(text: string, file: string, registry: readonly AnyRule[]): LoadedConfig {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parsed = parseText(text, file);
  return new Interpreter(file, registry, parsed.locate).config(parsed.value);
}

function parseText(text: string, file: string): Parsed {
  return file.toLowerCase().endsWith('.json') ? parseJson(text, file) : parseYaml(text, file);
}

interface Parsed {
  value: unknown;
  /** The line of the key (or the value, when `at` is 'value') at `path`, when known. */
  locate: (path: KeyPath, at: 'key' | 'value') => number | undefined;
}

const YAML_MESSAGES: Record<string, string> = {
  MULTIPLE_DOCS: 'a config file holds one YAML document; remove the second `---`',
  DUPLICATE_KEY: 'the same key appears twice in one mapping',
};

function parseYaml(text: string, file: string): Parsed {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    throw new ConfigError({ file, line: lines.linePos(error.pos[0]).line, detail: `invalid YAML: ${YAML_MESSAGES[error.code] ?? error.message}` });
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (caught) {
    throw new ConfigError({ file, detail: `invalid YAML: ${caught instanceof Error ? caught.message : String(caught)}` });
  }
  return { value, locate: locator(doc, lines) };
}

function parseJson(text: string, file: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (caught) {
    const found = findJsonSyntaxError(text);
    if (found) throw new ConfigError({ file, line: lineAt(text, found.offset), detail: `invalid JSON: ${found.message}` });
    const message = (caught instanceof Error ? caught.message : String(caught)).split('\n')[0];
    throw new ConfigError({ file, detail: `invalid JSON: ${message}` });
  }
  // JSON is YAML too; its document gives the lines of keys, and finds keys written twice, which JSON.parse lets pass.
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const duplicate = doc.errors.find((e) => e.code === 'DUPLICATE_KEY');
  if (duplicate) throw new ConfigError({ file, line: lines.linePos(duplicate.pos[0]).line, detail: `invalid JSON: ${YAML_MESSAGES.DUPLICATE_KEY}` });
  return { value, locate: doc.errors.length === 0 ? locator(doc, lines) : () => undefined };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function locator(doc: Document, lines: LineCounter): Parsed['locate'] {
  return (path, at) => {
    let node: unknown = doc.contents;
    const lineOf = (n: unknown): number | undefined => {
      const range = (n as Node | null)?.range;
      return range ? lines.linePos(range[0]).line : undefined;
    };
    let line = lineOf(node);
    for (const [i, segment] of path.entries()) {
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) return line;
        line = lineOf(pair.key) ?? line;
        if (last && at === 'key') return line;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
      } else {
        return line;
      }
      line = lineOf(node) ?? line;
    }
    return line;
  };
}

/** A key path as people write it: `rules.merge-consecutive-runs.options.maxCommands`, `rules.x[1]`. */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z0-9_$-]+$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

const TOP_LEVEL_KEYS: readonly string[] = ['$schema', 'rules', 'reportUnusedDirectives', 'ignorePatterns', ...RESERVED_SECTIONS];

const SEVERITY_HINTS: Record<string, SeveritySetting> = {
  warn: 'warning',
  warnings: 'warning',
  err: 'error',
  errors: 'error',
  information: 'info',
  none: 'off',
  disabled: 'off',
  false: 'off',
  '0': 'off',
  '1': 'warning',
  '2': 'error',
};

class Interpreter {
  constructor(
    private readonly file: string,
    private readonly registry: readonly AnyRule[],
    private readonly locate: Parsed['locate'],
  ) {}

  private fail(path: KeyPath, detail: string, at: 'key' | 'value' = 'value'): never {
    const line = path.length === 0 ? this.locate([], 'value') : this.locate(path, at);
    throw new ConfigError({
      file: this.file,
      ...(line === undefined ? {} : { line }),
      ...(path.length === 0 ? {} : { key: formatKeyPath(path) }),
      detail,
    });
  }

  config(value: unknown): LoadedConfig {
    const loaded: LoadedConfig = { settings: { rules: {}, reportUnusedDirectives: 'off' }, file: this.file, ignorePatterns: [], sections: {} };
    if (value === null || value === undefined) return loaded;
    if (!isPlainObject(value)) this.fail([], `a config file must be a mapping of settings, not ${describe(value)}`);
    for (const [key, item] of Object.entries(value)) {
      switch (key) {
        case '$schema':
          if (typeof item !== 'string') this.fail([key], `must be a string, not ${describe(item)}`);
          break;
        case 'rules':
          loaded.settings.rules = this.rules(item);
          break;
        case 'reportUnusedDirectives':
          loaded.settings.reportUnusedDirectives = this.severity(item, [key]);
          break;
        case 'ignorePatterns':
          loaded.ignorePatterns = this.patterns(item, [key]);
          break;
        case 'templates':
          loaded.sections.templates = this.templates(item, [key]);
          break;
        default:
          if ((RESERVED_SECTIONS as readonly string[]).includes(key)) loaded.sections[key as keyof ConfigSections] = item;
          else this.fail([key], `is not a known setting${suggestion(key, TOP_LEVEL_KEYS)}; known settings: ${TOP_LEVEL_KEYS.join(', ')}`, 'key');
      }
    }
    return loaded;
  }

  private rules(value: unknown): Record<string, RuleSetting> {
    if (value === null || value === undefined) return {};
    if (!isPlainObject(value)) this.fail(['rules'], `must be a mapping from rule id to setting, not ${describe(value)}`);
    const out: Record<string, RuleSetting> = {};
    for (const [id, setting] of Object.entries(value)) {
      const rule = this.registry.find((r) => r.id === id);
      if (!rule) this.fail(['rules', id], `is not a known rule${suggestion(id, this.registry.map((r) => r.id))}`, 'key');
      out[id] = this.ruleSetting(rule, setting, ['rules', id]);
    }
    return out;
  }

  private ruleSetting(rule: AnyRule, value: unknown, path: KeyPath): RuleSetting {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { severity: this.severity(value, path) };
    if (Array.isArray(value)) {
      if (value.length < 1 || value.length > 2) this.fail(path, `must be [severity] or [severity, options], not a list of ${value.length} items`);
      const severity = this.severity(value[0], [...path, 0]);
      return value.length === 2 ? { severity, options: this.options(rule, value[1], [...path, 1]) } : { severity };
    }
    if (isPlainObject(value)) {
      for (const key of Object.keys(value)) {
        if (key !== 'severity' && key !== 'options') this.fail([...path, key], `is not a key of a rule setting; use severity and options`, 'key');
      }
      const severity = 'severity' in value ? this.severity(value.severity, [...path, 'severity']) : rule.meta.defaultSeverity;
      return 'options' in value ? { severity, options: this.options(rule, value.options, [...path, 'options']) } : { severity };
    }
    return this.fail(path, `must be a severity (${SEVERITY_SETTINGS.join(', ')}), [severity, options] or { severity, options }, not ${describe(value)}`);
  }

  private options(rule: AnyRule, value: unknown, path: KeyPath): Record<string, unknown> {
    if (!isPlainObject(value)) this.fail(path, `options must be a mapping, not ${describe(value)}`);
    const issue = validateValue(value, rule.meta.schema)[0];
    if (issue) this.fail([...path, ...issue.path], issue.message, issue.path.length > 0 && /known option/.test(issue.message) ? 'key' : 'value');
    return value;
  }

  private severity(value: unknown, path: KeyPath): SeveritySetting {
    if (typeof value === 'string' && (SEVERITY_SETTINGS as readonly string[]).includes(value)) return value as Severity | 'off';
    const spelled = String(value).toLowerCase();
    const hint = Object.hasOwn(SEVERITY_HINTS, spelled) ? SEVERITY_HINTS[spelled] : undefined;
    const shown = typeof value === 'string' ? JSON.stringify(value) : describe(value);
    return this.fail(path, `must be one of ${SEVERITY_SETTINGS.join(', ')}, not ${shown}${hint ? `; did you mean "${hint}"?` : ''}`);
  }

  /** `templates: { values, overrides, root }`: how `*.j2` Dockerfiles render; paths relative to the config file. */
  private templates(value: unknown, path: KeyPath): TemplatesSection {
    if (!isPlainObject(value)) this.fail(path, `must be a mapping with values (and optionally overrides and root), not ${describe(value)}`);
    const out: TemplatesSection = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === 'values' || key === 'root') {
        if (typeof item !== 'string' || item === '') this.fail([...path, key], `must be a path, not ${describe(item)}`);
        out[key] = item;
      } else if (key === 'overrides') {
        if (!Array.isArray(item)) this.fail([...path, key], `must be a list of paths, not ${describe(item)}`);
        item.forEach((p, i) => {
          if (typeof p !== 'string' || p === '') this.fail([...path, key, i], `must be a path, not ${describe(p)}`);
        });
        out.overrides = item as string[];
      } else this.fail([...path, key], `is not a key of templates${suggestion(key, ['values', 'overrides', 'root'])}; use values, overrides and root`, 'key');
    }
    return out;
  }

  private patterns(value: unknown, path: KeyPath): string[] {
    if (value === null || value === undefined) return [];
    if (!Array.isArray(value)) this.fail(path, `must be a list of patterns, not ${describe(value)}`);
    value.forEach((item, i) => {
      if (typeof item !== 'string') this.fail([...path, i], `must be a string, not ${describe(item)}`);
    });
    return value as string[];
  }
}

/** `; did you mean "x"?` for the closest candidate within a few edits, else ''. */
function suggestion(word: string, candidates: readonly string[]): string {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best === null ? '' : `; did you mean "${best}"?`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}
