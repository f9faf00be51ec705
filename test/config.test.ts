import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index.js';
import {
  CONFIG_FILE_NAMES,
  ConfigError,
  configIgnoreSource,
  configJsonSchema,
  findConfigFile,
  formatKeyPath,
  loadConfigFile,
  parseConfigText,
} from '../src/config/load-config.js';
import { findJsonSyntaxError } from '../src/config/json-syntax.js';
import { unsupportedSchemaKeywords, validateValue } from '../src/config/schema.js';
import { discover } from '../src/discover/discover.js';
import type { AnyRule, JsonSchema } from '../src/rule/types.js';

function fakeRule(id: string, schema: JsonSchema, defaultOptions: Record<string, unknown> = {}): AnyRule {
  return {
    id,
    meta: { type: 'layers', docs: { description: 'A rule that exists only in these tests' }, messages: { m: 'm' }, defaultSeverity: 'warning', schema, defaultOptions },
    create: () => ({}),
  };
}

const noOptions = fakeRule('no-options', { type: 'object', properties: {}, additionalProperties: false });
const rich = fakeRule('rich-options', {
  type: 'object',
  properties: {
    count: { type: 'integer', minimum: 1, maximum: 10 },
    ratio: { type: 'number', minimum: 0, maximum: 1 },
    mode: { type: 'string', enum: ['fast', 'slow'] },
    strict: { type: 'boolean' },
    managers: { type: 'array', items: { type: 'string', enum: ['apt', 'apk', 'pip'] } },
    nested: { type: 'object', properties: { depth: { type: 'integer' } }, additionalProperties: false },
  },
  additionalProperties: false,
});
const registry: readonly AnyRule[] = [...builtinRules, noOptions, rich];

/** The ConfigError that parsing `text` throws, for assertions on its parts. */
function configError(text: string, file = '.layerlint.yaml'): ConfigError {
  try {
    parseConfigText(text, file, registry);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfigText: rule settings', () => {
  it('reads a severity, [severity, options] and { severity, options }', () => {
    const loaded = parseConfigText(
      [
        'rules:',
        '  merge-consecutive-runs: { severity: warning, options: { maxCommands: 3 } }',
        '  no-options: [error, {}]',
        '  rich-options: off',
        'reportUnusedDirectives: warning',
      ].join('\n'),
      '.layerlint.yaml',
      registry,
    );
    expect(loaded.file).toBe('.layerlint.yaml');
    expect(loaded.settings).toEqual({
      rules: {
        'merge-consecutive-runs': { severity: 'warning', options: { maxCommands: 3 } },
        'no-options': { severity: 'error', options: {} },
        'rich-options': { severity: 'off' },
      },
      reportUnusedDirectives: 'warning',
    });
  });

  it('reads [severity] alone, and options without a severity at the rule default', () => {
    const loaded = parseConfigText('rules:\n  no-options: [info]\n  rich-options:\n    options: { count: 2 }\n', 'c.yaml', registry);
    expect(loaded.settings.rules).toEqual({ 'no-options': { severity: 'info' }, 'rich-options': { severity: 'warning', options: { count: 2 } } });
  });

  it('gives defaults for an empty file, a file of comments and empty sections', () => {
    const defaults = { settings: { rules: {}, reportUnusedDirectives: 'off' }, file: 'c.yaml', ignorePatterns: [], sections: {} };
    expect(parseConfigText('', 'c.yaml', registry)).toEqual(defaults);
    expect(parseConfigText('# nothing yet\n', 'c.yaml', registry)).toEqual(defaults);
    expect(parseConfigText('rules:\nignorePatterns:\n', 'c.yaml', registry)).toEqual(defaults);
  });

  it('reads options of every JSON Schema type the rules use', () => {
    const loaded = parseConfigText(
      'rules:\n  rich-options: [warning, { count: 10, ratio: 0.5, mode: slow, strict: true, managers: [apt, pip], nested: { depth: 2 } }]\n',
      'c.yaml',
      registry,
    );
    expect(loaded.settings.rules['rich-options']?.options).toEqual({ count: 10, ratio: 0.5, mode: 'slow', strict: true, managers: ['apt', 'pip'], nested: { depth: 2 } });
  });

  it('reads a JSON file, with a BOM and a $schema', () => {
    const text = '\uFEFF{\n\t"$schema": "./layerlint.schema.json",\n\t"rules": { "merge-consecutive-runs": ["error", { "maxCommands": 4 }] }\n}\n';
    expect(parseConfigText(text, '.layerlint.json', registry).settings.rules).toEqual({ 'merge-consecutive-runs': { severity: 'error', options: { maxCommands: 4 } } });
  });

  it('accepts the sections later features read, and keeps them as written', () => {
    const loaded = parseConfigText(
      'ignorePatterns: [vendor/, "*.generated.Dockerfile"]\nimages: { root: docker }\ntemplates: { values: values.json }\nplugins: []\nnaming: kolla\nfamily: { base: base }\n',
      'c.yaml',
      registry,
    );
    expect(loaded.ignorePatterns).toEqual(['vendor/', '*.generated.Dockerfile']);
    expect(loaded.sections).toEqual({ images: { root: 'docker' }, templates: { values: 'values.json' }, plugins: [], naming: 'kolla', family: { base: 'base' } });
  });
});

describe('parseConfigText: errors name the file, the key path and the line', () => {
  it('rejects an unknown top-level key, with a suggestion', () => {
    const error = configError('rules: {}\nreportUnusedDirective: warning\n');
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.file).toBe('.layerlint.yaml');
    expect(error.line).toBe(2);
    expect(error.key).toBe('reportUnusedDirective');
    expect(error.message).toMatch(/^\.layerlint\.yaml:2: reportUnusedDirective: is not a known setting; did you mean "reportUnusedDirectives"\?/);
  });

  it('rejects an unknown rule id, with a suggestion', () => {
    const error = configError('rules:\n  merge-consecutive-run: warning\n');
    expect([error.line, error.key]).toEqual([2, 'rules.merge-consecutive-run']);
    expect(error.message).toBe('.layerlint.yaml:2: rules.merge-consecutive-run: is not a known rule; did you mean "merge-consecutive-runs"?');
    expect(configError('rules:\n  totally-made-up: error\n').detail).toBe('is not a known rule');
  });

  it('rejects a bad severity, and suggests the spelling meant', () => {
    expect(configError('rules:\n  no-options: warn\n').message).toBe(
      '.layerlint.yaml:2: rules.no-options: must be one of off, info, warning, error, not "warn"; did you mean "warning"?',
    );
    expect(configError('rules:\n  no-options: 2\n').detail).toBe('must be one of off, info, warning, error, not the integer 2; did you mean "error"?');
    expect(configError('rules:\n  no-options: [fatal, {}]\n').key).toBe('rules.no-options[0]');
    expect(configError('rules:\n  no-options: { severity: loud }\n').key).toBe('rules.no-options.severity');
    expect(configError('reportUnusedDirectives: true\n').detail).toBe('must be one of off, info, warning, error, not boolean true');
  });

  it('rejects bad rule options by the rule schema, at the option key', () => {
    const error = configError('rules:\n  merge-consecutive-runs:\n    severity: warning\n    options:\n      maxCommands: 0\n');
    expect(error.message).toBe('.layerlint.yaml:5: rules.merge-consecutive-runs.options.maxCommands: must be at least 1, not 0');
    expect(configError('rules:\n  merge-consecutive-runs: [info, { maxCommands: 2.5 }]\n').message).toBe(
      '.layerlint.yaml:2: rules.merge-consecutive-runs[1].maxCommands: must be an integer, not the number 2.5',
    );
    expect(configError('rules:\n  merge-consecutive-runs: [info, { maxCommand: 2 }]\n').detail).toBe('is not a known option; known options: maxCommands');
    expect(configError('rules:\n  no-options: [info, { x: 1 }]\n').detail).toBe('is not a known option; this rule takes no options');
  });

  it('checks each schema keyword: type, enum, minimum, maximum, items, nested properties', () => {
    const detail = (options: string): string => configError(`rules:\n  rich-options: [info, ${options}]\n`).detail;
    const key = (options: string): string | undefined => configError(`rules:\n  rich-options: [info, ${options}]\n`).key;
    expect(detail('{ count: 11 }')).toBe('must be at most 10, not 11');
    expect(detail('{ count: "3" }')).toBe('must be an integer, not the string "3"');
    expect(detail('{ ratio: -0.5 }')).toBe('must be at least 0, not -0.5');
    expect(detail('{ mode: medium }')).toBe('must be one of "fast", "slow", not "medium"');
    expect(detail('{ strict: yes }')).toBe('must be a boolean, not the string "yes"');
    expect(detail('{ managers: apt }')).toBe('must be a list, not the string "apt"');
    expect(detail('{ nested: 3 }')).toBe('must be a mapping, not the integer 3');
    expect(key('{ managers: [apt, dnf] }')).toBe('rules.rich-options[1].managers[1]');
    expect(detail('{ managers: [apt, dnf] }')).toBe('must be one of "apt", "apk", "pip", not "dnf"');
    expect(key('{ nested: { depht: 1 } }')).toBe('rules.rich-options[1].nested.depht');
    expect(detail('[info, 3]')).toBe('options must be a mapping, not a list');
  });

  it('rejects rule settings of the wrong shape', () => {
    expect(configError('rules:\n  no-options:\n').detail).toBe('must be a severity (off, info, warning, error), [severity, options] or { severity, options }, not empty');
    expect(configError('rules:\n  no-options: []\n').detail).toBe('must be [severity] or [severity, options], not a list of 0 items');
    expect(configError('rules:\n  no-options: [warning, {}, {}]\n').detail).toBe('must be [severity] or [severity, options], not a list of 3 items');
    expect(configError('rules:\n  no-options: [warning, null]\n').detail).toBe('options must be a mapping, not empty');
    const unknownKey = configError('rules:\n  no-options:\n    severity: info\n    level: 3\n');
    expect([unknownKey.key, unknownKey.line]).toEqual(['rules.no-options.level', 4]);
    expect(configError('rules: [no-options]\n').detail).toBe('must be a mapping from rule id to setting, not a list');
  });

  it('rejects a file that is not a mapping, and ignorePatterns that are not strings', () => {
    const notMapping = configError('- rules\n');
    expect(notMapping.key).toBeUndefined();
    expect(notMapping.message).toBe('.layerlint.yaml:1: a config file must be a mapping of settings, not a list');
    expect(configError('ignorePatterns: vendor/\n').detail).toBe('must be a list of patterns, not the string "vendor/"');
    const item = configError('ignorePatterns:\n  - vendor/\n  - 3\n');
    expect([item.key, item.line]).toEqual(['ignorePatterns[1]', 3]);
    expect(configError('$schema: 3\n').key).toBe('$schema');
  });

  it('reports YAML syntax errors with their line', () => {
    const error = configError('rules:\n  no-options: [error, {}\nreportUnusedDirectives: off\n');
    expect(error.message).toMatch(/^\.layerlint\.yaml:\d+: invalid YAML: /);
    expect(error.line).toBeGreaterThanOrEqual(2);
    expect(error.key).toBeUndefined();
  });

  it('reports a key written twice, and a second document, with their line', () => {
    expect(configError('rules:\n  no-options: error\n  no-options: off\n').message).toBe('.layerlint.yaml:3: invalid YAML: the same key appears twice in one mapping');
    expect(configError('rules: {}\n---\nrules: {}\n').message).toBe('.layerlint.yaml:2: invalid YAML: a config file holds one YAML document; remove the second `---`');
    expect(configError('{\n  "rules": {},\n  "rules": {}\n}\n', '.layerlint.json').message).toBe('.layerlint.json:3: invalid JSON: the same key appears twice in one mapping');
  });

  it('reports JSON syntax errors with their line where the parser gives a position', () => {
    const error = configError('{\n  "rules": {},\n}\n', '.layerlint.json');
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/^\.layerlint\.json:3: invalid JSON: /);
    // JSON is strict: what YAML would accept is still an error in a .json file.
    expect(configError('rules: {}\n', '.layerlint.json').message).toMatch(/^\.layerlint\.json(:1)?: invalid JSON: /);
  });

  it('says what is wrong in JSON in its own words, on the right line', () => {
    const json = (text: string): string => configError(text, '.layerlint.json').message;
    expect(json('{\n  "rules": {},\n}\n')).toBe('.layerlint.json:3: invalid JSON: expected a key after "," (JSON has no trailing commas)');
    expect(json('{\n  "rules": {"a": }\n}')).toBe('.layerlint.json:2: invalid JSON: unexpected "}"');
    expect(json('{\n  rules: {}\n}')).toBe('.layerlint.json:2: invalid JSON: expected a key in double quotes');
    expect(json('{"ignorePatterns": ["a",]}')).toBe('.layerlint.json:1: invalid JSON: expected a value after "," (JSON has no trailing commas)');
    expect(json('{"rules": {}}\n{}')).toBe('.layerlint.json:2: invalid JSON: unexpected text after the end of the JSON value');
    expect(json('{\n  "rules": {\n')).toBe('.layerlint.json:3: invalid JSON: unexpected end of file');
    expect(json('')).toBe('.layerlint.json:1: invalid JSON: unexpected end of file');
    expect(json('{"a\\x": 1}')).toBe('.layerlint.json:1: invalid JSON: invalid escape in string');
  });

  it('gives lines for errors in JSON files too', () => {
    const error = configError('{\n  "rules": {\n    "merge-consecutive-runs": ["warning", {"maxCommands": -1}]\n  }\n}\n', '.layerlint.json');
    expect(error.message).toBe('.layerlint.json:3: rules.merge-consecutive-runs[1].maxCommands: must be at least 1, not -1');
  });

  it('reports an alias to nothing instead of throwing a parser exception', () => {
    expect(configError('rules: *missing\n')).toBeInstanceOf(ConfigError);
  });
});

describe('findJsonSyntaxError', () => {
  it('finds nothing wrong in any JSON that JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (value, indent) => {
        expect(findJsonSyntaxError(JSON.stringify(value, null, indent))).toBeNull();
      }),
    );
  });

  it('finds an error exactly when JSON.parse throws', () => {
    const alphabet = fc.constantFrom('{', '}', '[', ']', '"', ':', ',', ' ', '\n', '1', '-', '.', 'e', 'true', 'null', '\\', 'u', 'a');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 14 }), (parts) => {
        const text = parts.join('');
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(findJsonSyntaxError(text) === null).toBe(valid);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('formatKeyPath', () => {
  it('writes keys dotted, indexes in brackets and odd keys quoted', () => {
    expect(formatKeyPath(['rules', 'merge-consecutive-runs', 'options', 'maxCommands'])).toBe('rules.merge-consecutive-runs.options.maxCommands');
    expect(formatKeyPath(['ignorePatterns', 2])).toBe('ignorePatterns[2]');
    expect(formatKeyPath(['rules', 'a.b c'])).toBe('rules["a.b c"]');
  });
});

describe('validateValue', () => {
  it('returns every issue with its path inside the value', () => {
    const issues = validateValue({ count: 0, mode: 'x', extra: true }, rich.meta.schema);
    expect(issues).toEqual([
      { path: ['count'], message: 'must be at least 1, not 0' },
      { path: ['mode'], message: 'must be one of "fast", "slow", not "x"' },
      { path: ['extra'], message: 'is not a known option; known options: count, ratio, mode, strict, managers, nested' },
    ]);
    expect(validateValue({ count: 5, managers: [] }, rich.meta.schema)).toEqual([]);
  });
});

describe('the built-in rules and the validator agree', () => {
  it('every rule schema uses only keywords the validator checks', () => {
    for (const rule of builtinRules) expect(unsupportedSchemaKeywords(rule.meta.schema), rule.id).toEqual([]);
  });

  it('every rule default options pass its own schema, and each rule can be configured', () => {
    for (const rule of builtinRules) {
      expect(validateValue(rule.meta.defaultOptions, rule.meta.schema), rule.id).toEqual([]);
      const text = JSON.stringify({ rules: { [rule.id]: { severity: 'error', options: rule.meta.defaultOptions } } });
      expect(parseConfigText(text, 'c.json', builtinRules).settings.rules[rule.id]).toEqual({ severity: 'error', options: rule.meta.defaultOptions });
    }
  });

  it('reports keywords outside the checked subset', () => {
    expect(unsupportedSchemaKeywords({ type: 'object', properties: { a: { oneOf: [] } }, patternProperties: {} })).toEqual(['#: patternProperties', '#/properties/a: oneOf']);
  });
});

describe('configJsonSchema', () => {
  it('describes every rule, every top-level key and the severities', () => {
    const schema = configJsonSchema(registry) as {
      properties: Record<string, unknown> & { rules: { properties: Record<string, { oneOf: unknown[] }>; additionalProperties: boolean } };
      additionalProperties: boolean;
      definitions: { severity: { enum: string[] } };
    };
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    expect(Object.keys(schema.properties.rules.properties).sort()).toEqual(registry.map((r) => r.id).sort());
    expect(Object.keys(schema.properties).sort()).toEqual(['$schema', 'estimate', 'family', 'ignorePatterns', 'images', 'naming', 'plugins', 'reportUnusedDirectives', 'rules', 'templates']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.rules.additionalProperties).toBe(false);
    expect(schema.definitions.severity.enum).toEqual(['off', 'info', 'warning', 'error']);
    expect(JSON.stringify(schema.properties.rules.properties['merge-consecutive-runs'])).toContain('"maxCommands"');
  });
});

describe('config files on disk', () => {
  let base: string;
  beforeEach(async () => {
    base = await realpath(await mkdtemp(join(tmpdir(), 'layerlint-config-')));
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('names the three file names in order of preference', () => {
    expect(CONFIG_FILE_NAMES).toEqual(['.layerlint.yaml', '.layerlint.yml', '.layerlint.json']);
  });

  it('finds the nearest config file upward, preferring .yaml, then .yml, then .json', async () => {
    await mkdir(join(base, 'a/b/c'), { recursive: true });
    await writeFile(join(base, '.layerlint.json'), '{}');
    await writeFile(join(base, 'a/.layerlint.json'), '{}');
    await writeFile(join(base, 'a/.layerlint.yml'), '');
    expect(await findConfigFile(join(base, 'a/b/c'))).toBe(join(base, 'a/.layerlint.yml'));
    expect(await findConfigFile(base)).toBe(join(base, '.layerlint.json'));
  });

  it('stops after stopAt, and skips a directory that has a config file name', async () => {
    await mkdir(join(base, 'a/b/.layerlint.yaml'), { recursive: true });
    await writeFile(join(base, '.layerlint.yaml'), '');
    expect(await findConfigFile(join(base, 'a/b'), join(base, 'a'))).toBeNull();
    expect(await findConfigFile(join(base, 'a/b'), base)).toBe(join(base, '.layerlint.yaml'));
  });

  it('loads a file, and throws a ConfigError naming a file it cannot read', async () => {
    const file = join(base, '.layerlint.yaml');
    await writeFile(file, 'rules:\n  merge-consecutive-runs: error\n');
    const loaded = await loadConfigFile(file, builtinRules);
    expect(loaded).toMatchObject({ file, settings: { rules: { 'merge-consecutive-runs': { severity: 'error' } } } });
    const missing = join(base, 'missing.yaml');
    await expect(loadConfigFile(missing, builtinRules)).rejects.toThrow(new ConfigError({ file: missing, detail: 'cannot read config file: no such file or directory' }));
    await expect(loadConfigFile(missing, builtinRules)).rejects.toBeInstanceOf(ConfigError);
  });

  it('hands ignorePatterns to discovery, relative to the config file', async () => {
    await mkdir(join(base, 'images/legacy'), { recursive: true });
    await mkdir(join(base, 'images/web'), { recursive: true });
    await writeFile(join(base, 'images/legacy/Dockerfile'), 'FROM alpine\n');
    await writeFile(join(base, 'images/web/Dockerfile'), 'FROM alpine\n');
    await writeFile(join(base, 'images/.layerlint.yaml'), 'ignorePatterns: [legacy/]\n');
    const config = await loadConfigFile(join(base, 'images/.layerlint.yaml'), builtinRules);
    const source = configIgnoreSource(config);
    expect(source).toEqual({ baseDir: join(base, 'images'), patterns: ['legacy/'] });
    const found = await discover(['.'], { cwd: base, ignore: source ? [source] : [] });
    expect(found.files).toEqual([join(base, 'images/web/Dockerfile')]);
    expect(configIgnoreSource(parseConfigText('', 'c.yaml', builtinRules))).toBeNull();
  });
});
