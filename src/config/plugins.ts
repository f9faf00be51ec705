// Rules from outside layerlint: a config's `plugins:` names modules (paths relative to the config
// file, or package names) that export `rules`. Their rules join the registry of the run under
// `<plugin>/<rule-id>`, as ESLint names plugin rules, so they can never shadow a built-in rule or one
// of another plugin. A plugin that cannot be used is a ConfigError at its key, like any other
// mistake in the config: a silently missing plugin would silently lint less.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AnyRule } from '../rule/types.js';
import { describe, isPlainObject, SEVERITY_SETTINGS, type KeyPath } from './schema.js';

/** Where a problem is: the line of a key path of the config file, when known. */
export type Locate = (path: KeyPath) => number | undefined;

export interface PluginProblem {
  key: KeyPath;
  line?: number;
  detail: string;
}

/** Thrown (and turned into a ConfigError by the config loader) for a plugin that cannot be used. */
export class PluginError extends Error {
  constructor(readonly problem: PluginProblem) {
    super(problem.detail);
  }
}

const PREFIX = 'layerlint-plugin';
const RULE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Imports the plugins a config lists and returns their rules, ids prefixed with the plugin's name.
 * `configFile` is the file that lists them; relative paths start from its directory.
 */
export async function loadPlugins(value: unknown, configFile: string, locate: Locate = () => undefined): Promise<AnyRule[]> {
  if (value === null || value === undefined) return [];
  const fail = (key: KeyPath, detail: string): never => {
    const line = locate(key);
    throw new PluginError({ key, ...(line === undefined ? {} : { line }), detail });
  };
  if (!Array.isArray(value)) return fail(['plugins'], `must be a list of module paths or package names, not ${describe(value)}`);
  const baseDir = path.dirname(path.resolve(configFile));
  const rules: AnyRule[] = [];
  const owners = new Map<string, string>();
  for (const [i, spec] of value.entries()) {
    const key = ['plugins', i];
    if (typeof spec !== 'string' || spec.trim() === '') fail(key, `must be a module path or a package name, not ${describe(spec)}`);
    const specifier = spec as string;
    const file = await resolvePlugin(specifier, baseDir);
    if (file === null) {
      fail(key, isPathSpecifier(specifier) ? `cannot find plugin file ${path.resolve(baseDir, specifier)}` : `cannot find plugin package "${specifier}" in node_modules from ${baseDir}`);
    }
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(file as string).href)) as Record<string, unknown>;
    } catch (error) {
      return fail(key, `plugin "${specifier}" failed to load: ${error instanceof Error ? error.message : String(error)}`);
    }
    const exported = pluginExports(module);
    if (exported === null) fail(key, `plugin "${specifier}" must export rules, a list of rules: \`export const rules = [...]\` or \`export default { rules: [...] }\``);
    const { rules: list, name } = exported as { rules: unknown[]; name?: unknown };
    const plugin = typeof name === 'string' && name !== '' ? name : pluginName(specifier);
    for (const [j, rule] of list.entries()) {
      const problem = ruleShapeProblem(rule);
      if (problem) fail(key, `plugin "${specifier}": rules[${j}] ${problem}`);
      const given = (rule as AnyRule).id;
      const bare = given.startsWith(`${plugin}/`) ? given.slice(plugin.length + 1) : given;
      if (!RULE_NAME.test(bare)) fail(key, `plugin "${specifier}": rule id "${given}" must be kebab-case words, e.g. "no-root-user"`);
      const id = `${plugin}/${bare}`;
      const owner = owners.get(id);
      if (owner !== undefined) fail(key, `plugin "${specifier}": rule "${id}" is also defined by plugin "${owner}"`);
      owners.set(id, specifier);
      rules.push({ ...(rule as AnyRule), id });
    }
  }
  return rules;
}

/** `export const rules`, or `export default { rules }` (which also covers a CommonJS `module.exports`). */
function pluginExports(module: Record<string, unknown>): { rules: unknown[]; name?: unknown } | null {
  if (Array.isArray(module.rules)) return { rules: module.rules, name: module.name };
  const fallback = module.default;
  if (isPlainObject(fallback) && Array.isArray(fallback.rules)) return { rules: fallback.rules, name: fallback.name };
  return null;
}

/** What makes `value` unusable as a rule, or null. */
function ruleShapeProblem(value: unknown): string | null {
  if (!isPlainObject(value)) return `must be a rule (made with createRule), not ${describe(value)}`;
  if (typeof value.id !== 'string' || value.id === '') return 'has no id';
  if (typeof value.create !== 'function') return `("${value.id}") has no create function`;
  if (value.scope !== undefined && value.scope !== 'file' && value.scope !== 'family') return `("${value.id}") has scope ${describe(value.scope)}; use "file" or "family"`;
  const meta = value.meta;
  if (!isPlainObject(meta)) return `("${value.id}") has no meta`;
  if (!isPlainObject(meta.docs) || typeof meta.docs.description !== 'string') return `("${value.id}") has no meta.docs.description`;
  if (!isPlainObject(meta.messages)) return `("${value.id}") has no meta.messages`;
  const severities: readonly string[] = SEVERITY_SETTINGS.filter((s) => s !== 'off');
  if (typeof meta.defaultSeverity !== 'string' || !severities.includes(meta.defaultSeverity)) return `("${value.id}") has meta.defaultSeverity ${describe(meta.defaultSeverity)}; use ${severities.join(', ')}`;
  if (!isPlainObject(meta.schema)) return `("${value.id}") has no meta.schema (use { type: 'object', additionalProperties: false } for no options)`;
  return null;
}

/** The name a plugin's rules are prefixed with, from how the config names it. */
export function pluginName(specifier: string): string {
  if (isPathSpecifier(specifier)) {
    const base = path.basename(specifier).replace(/\.(?:m|c)?js$/, '');
    return base.startsWith(`${PREFIX}-`) ? base.slice(PREFIX.length + 1) : base;
  }
  const [first = '', second] = specifier.split('/');
  if (first.startsWith('@') && second !== undefined) {
    // @acme/layerlint-plugin -> @acme, @acme/layerlint-plugin-web -> @acme/web, @acme/rules -> @acme/rules
    if (second === PREFIX) return first;
    return `${first}/${second.startsWith(`${PREFIX}-`) ? second.slice(PREFIX.length + 1) : second}`;
  }
  return first.startsWith(`${PREFIX}-`) ? first.slice(PREFIX.length + 1) : first;
}

function isPathSpecifier(specifier: string): boolean {
  return specifier.startsWith('.') || path.isAbsolute(specifier) || specifier.startsWith('file:');
}

/** The file to import for a plugin, or null when there is none. */
async function resolvePlugin(specifier: string, baseDir: string): Promise<string | null> {
  if (isPathSpecifier(specifier)) {
    const file = specifier.startsWith('file:') ? fileURLToPath(specifier) : path.resolve(baseDir, specifier);
    return (await isFile(file)) ? file : null;
  }
  return resolvePackage(specifier, baseDir);
}

/**
 * A package's entry as `import` would find it from `baseDir`: the nearest node_modules that holds
 * it, then its `exports` (import, node and default conditions) or `main`.
 */
async function resolvePackage(specifier: string, baseDir: string): Promise<string | null> {
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameLength).join('/');
  const subpath = parts.length > nameLength ? `./${parts.slice(nameLength).join('/')}` : '.';
  for (let dir = baseDir; ; ) {
    const root = path.join(dir, 'node_modules', name);
    const manifest = await readManifest(path.join(root, 'package.json'));
    if (manifest !== null) {
      const target = exportTarget(manifest.exports, subpath) ?? (subpath === '.' ? (typeof manifest.main === 'string' ? manifest.main : 'index.js') : subpath);
      const file = path.resolve(root, target);
      return (await isFile(file)) ? file : null;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function exportTarget(exports: unknown, subpath: string): string | null {
  if (exports === undefined || exports === null) return null;
  const entry = typeof exports === 'string' || Array.isArray(exports) || !Object.keys(exports as object).some((k) => k.startsWith('.')) ? (subpath === '.' ? exports : undefined) : (exports as Record<string, unknown>)[subpath];
  return conditionTarget(entry);
}

function conditionTarget(entry: unknown): string | null {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) {
    for (const item of entry) {
      const found = conditionTarget(item);
      if (found !== null) return found;
    }
    return null;
  }
  if (isPlainObject(entry)) {
    for (const [condition, target] of Object.entries(entry)) {
      if (condition === 'import' || condition === 'node' || condition === 'default') {
        const found = conditionTarget(target);
        if (found !== null) return found;
      }
    }
  }
  return null;
}

async function readManifest(file: string): Promise<{ exports?: unknown; main?: unknown } | null> {
  try {
    const value: unknown = JSON.parse(await readFile(file, 'utf8'));
    return isPlainObject(value) ? value : {};
  } catch {
    return null;
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Rule ids of plugins, as `rules:` keys: `acme/rule`, `@corp/rule`, `@corp/web/rule`. */
export const PLUGIN_RULE_ID_PATTERN = '^(?:@[^/]+(?:/[^/@]+)?|[^/@]+)/[a-z0-9]+(?:-[a-z0-9]+)*$';

/**
 * The config's JSON Schema (configJsonSchema) with what plugins add: `plugins` as a list of module
 * paths and package names, and the ids of their rules under `rules`, whose options only the plugin knows.
 */
export function withPluginsSchema(schema: object): object {
  const out = structuredClone(schema) as { properties?: Record<string, Record<string, unknown>> };
  const properties = out.properties ?? {};
  const severity = { $ref: '#/definitions/severity' };
  properties.plugins = {
    description: 'Modules that export rules: paths relative to this file, or package names; their rules are configured as <plugin>/<rule-id>',
    type: 'array',
    items: { type: 'string', minLength: 1 },
  };
  const rules = properties.rules;
  if (rules) {
    rules.patternProperties = {
      [PLUGIN_RULE_ID_PATTERN]: {
        description: 'A rule of a plugin',
        oneOf: [
          severity,
          { type: 'array', items: [severity, { type: 'object' }], minItems: 1, maxItems: 2, additionalItems: false },
          { type: 'object', properties: { severity, options: { type: 'object' } }, additionalProperties: false },
        ],
      },
    };
  }
  return out;
}
