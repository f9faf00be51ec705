// Rule options are declared once, as a JSON Schema in the rule's meta. This checks values against the
// subset of JSON Schema that option schemas use, and builds the schema of a whole config file so that
// editors can complete and check it.
import type { AnyRule, JsonSchema } from '../rule/types.js';

export type KeyPath = readonly (string | number)[];

export interface SchemaIssue {
  /** Where in the validated value, e.g. `['maxCommands']`. */
  path: KeyPath;
  message: string;
}

const VALIDATED_KEYWORDS = [
  'type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems',
  'uniqueItems', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern',
];
const ANNOTATION_KEYWORDS = ['description', 'default', 'title', 'examples', '$comment', 'markdownDescription', 'deprecated'];

/** Keywords a rule's schema may use: the validated ones and annotations that need no checking. */
export const SUPPORTED_SCHEMA_KEYWORDS: readonly string[] = [...VALIDATED_KEYWORDS, ...ANNOTATION_KEYWORDS];

/** Places in `schema` that use a keyword this validator would not check, as `path: keyword`. */
export function unsupportedSchemaKeywords(schema: JsonSchema, at = '#'): string[] {
  const out: string[] = [];
  for (const key of Object.keys(schema)) {
    if (!SUPPORTED_SCHEMA_KEYWORDS.includes(key)) out.push(`${at}: ${key}`);
  }
  for (const [name, sub] of Object.entries(schema.properties ?? {})) out.push(...unsupportedSchemaKeywords(sub, `${at}/properties/${name}`));
  if (schema.items) out.push(...unsupportedSchemaKeywords(schema.items, `${at}/items`));
  if (typeof schema.additionalProperties === 'object') out.push(...unsupportedSchemaKeywords(schema.additionalProperties, `${at}/additionalProperties`));
  return out;
}

/** Every way `value` breaks `schema`, outermost first. */
export function validateValue(value: unknown, schema: JsonSchema, path: KeyPath = []): SchemaIssue[] {
  const issue = (message: string, at: KeyPath = path): SchemaIssue[] => [{ path: at, message }];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => hasType(value, t))) return issue(`must be ${types.map(article).join(' or ')}, not ${describe(value)}`);
  }
  if (schema.enum && !schema.enum.some((allowed) => sameValue(allowed, value))) {
    return issue(`must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}, not ${JSON.stringify(value)}`);
  }
  if ('const' in schema && !sameValue(schema.const, value)) return issue(`must be ${JSON.stringify(schema.const)}`);
  if (typeof value === 'number') return validateNumber(value, schema, path);
  if (typeof value === 'string') return validateString(value, schema, path);
  if (Array.isArray(value)) return validateArray(value, schema, path);
  if (isPlainObject(value)) return validateObject(value, schema, path);
  return [];
}

function validateNumber(value: number, schema: JsonSchema, path: KeyPath): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  if (typeof schema.minimum === 'number' && value < schema.minimum) out.push({ path, message: `must be at least ${schema.minimum}, not ${value}` });
  if (typeof schema.maximum === 'number' && value > schema.maximum) out.push({ path, message: `must be at most ${schema.maximum}, not ${value}` });
  if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) out.push({ path, message: `must be greater than ${schema.exclusiveMinimum}, not ${value}` });
  if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) out.push({ path, message: `must be less than ${schema.exclusiveMaximum}, not ${value}` });
  return out;
}

function validateString(value: string, schema: JsonSchema, path: KeyPath): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  if (typeof schema.minLength === 'number' && value.length < schema.minLength) out.push({ path, message: `must have at least ${schema.minLength} characters` });
  if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) out.push({ path, message: `must have at most ${schema.maxLength} characters` });
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) out.push({ path, message: `must match the pattern ${schema.pattern}` });
  return out;
}

function validateArray(value: unknown[], schema: JsonSchema, path: KeyPath): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) out.push({ path, message: `must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}` });
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) out.push({ path, message: `must have at most ${schema.maxItems} item${schema.maxItems === 1 ? '' : 's'}` });
  if (schema.uniqueItems === true) {
    value.forEach((item, i) => {
      if (value.findIndex((other) => sameValue(other, item)) !== i) out.push({ path: [...path, i], message: `repeats an earlier item` });
    });
  }
  if (schema.items) value.forEach((item, i) => out.push(...validateValue(item, schema.items as JsonSchema, [...path, i])));
  return out;
}

function validateObject(value: Record<string, unknown>, schema: JsonSchema, path: KeyPath): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  const properties = schema.properties ?? {};
  if (Array.isArray(schema.required)) {
    for (const name of schema.required) {
      if (typeof name === 'string' && !(name in value)) out.push({ path, message: `must have the option "${name}"` });
    }
  }
  for (const [name, item] of Object.entries(value)) {
    const sub = properties[name];
    if (sub) {
      out.push(...validateValue(item, sub, [...path, name]));
    } else if (schema.additionalProperties === false) {
      const known = Object.keys(properties);
      out.push({ path: [...path, name], message: `is not a known option${known.length > 0 ? `; known options: ${known.join(', ')}` : '; this rule takes no options'}` });
    } else if (typeof schema.additionalProperties === 'object') {
      out.push(...validateValue(item, schema.additionalProperties, [...path, name]));
    }
  }
  return out;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    default:
      return false;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Types in the words of YAML, which most config files are written in. */
function article(type: string): string {
  switch (type) {
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'integer':
      return 'an integer';
    case 'null':
      return 'empty';
    default:
      return `a ${type}`;
  }
}

/** How a YAML or JSON value reads to the person who wrote it. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  return `${typeof value} ${String(value)}`;
}

export const SEVERITY_SETTINGS = ['off', 'info', 'warning', 'error'] as const;

/** Top-level keys whose content later parts of layerlint read; accepted now, checked there. */
export const RESERVED_SECTIONS = ['images', 'templates', 'plugins', 'naming', 'family', 'estimate'] as const;

/** JSON Schema (draft-07) of a whole config file, for editors: `$schema` in JSON, a modeline in YAML. */
export function configJsonSchema(registry: readonly AnyRule[]): object {
  const severity = { $ref: '#/definitions/severity' };
  const rules: Record<string, object> = {};
  for (const rule of [...registry].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const options = rule.meta.schema;
    rules[rule.id] = {
      description: `${rule.meta.docs.description} (default: ${rule.meta.defaultSeverity})`,
      oneOf: [
        severity,
        { type: 'array', items: [severity, options], minItems: 1, maxItems: 2, additionalItems: false },
        { type: 'object', properties: { severity, options }, additionalProperties: false },
      ],
    };
  }
  const anything = (description: string): object => ({ description });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'layerlint configuration',
    type: 'object',
    properties: {
      $schema: { type: 'string' },
      rules: {
        description: 'Severity and options of each rule, by rule id',
        type: 'object',
        properties: rules,
        additionalProperties: false,
      },
      reportUnusedDirectives: { ...severity, description: 'Report disable comments that suppress nothing (default: off)' },
      ignorePatterns: {
        description: 'Paths not to lint, in .gitignore syntax, relative to the config file',
        type: 'array',
        items: { type: 'string' },
      },
      images: anything('Where the images of the family are and how they are built'),
      templates: anything('How Dockerfile templates are rendered'),
      plugins: anything('Rule packages to load'),
      naming: anything('How image names are derived from paths'),
      family: anything('Settings of the analysis across the whole family of images'),
      estimate: anything('Size estimates: `packages` (Debian/Ubuntu Packages index files) and `baseSizes` (base image sizes in bytes by `<image>:<variant>`)'),
    },
    additionalProperties: false,
    definitions: {
      severity: { enum: [...SEVERITY_SETTINGS] },
    },
  };
}
