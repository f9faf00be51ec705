// The JSON Schema that editors read for `.layerlint.yaml` ships in the package and is committed: it
// must say what the rules say now.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index.js';
import { configJsonSchema } from '../src/config/schema.js';
import { PLUGIN_RULE_ID_PATTERN, withPluginsSchema } from '../src/config/plugins.js';

const repo = path.resolve(import.meta.dirname, '..');
const file = path.join(repo, 'schema/layerlint.schema.json');

interface Schema {
  properties: {
    rules: { properties: Record<string, unknown>; patternProperties: Record<string, unknown>; additionalProperties: boolean };
    plugins: { type: string; items: { type: string } };
  };
}

describe('schema/layerlint.schema.json', () => {
  it('is up to date with the rules (npm run build:schema writes it)', async () => {
    const expected = `${JSON.stringify(withPluginsSchema(configJsonSchema(builtinRules)), null, 2)}\n`;
    expect(await readFile(file, 'utf8'), 'schema/layerlint.schema.json is out of date: run npm run build:schema').toBe(expected);
  });

  it('names every built-in rule, and plugin rules by pattern', async () => {
    const schema = JSON.parse(await readFile(file, 'utf8')) as Schema;
    expect(Object.keys(schema.properties.rules.properties).sort()).toEqual(builtinRules.map((r) => r.id).sort());
    expect(schema.properties.rules.additionalProperties).toBe(false);
    expect(schema.properties.plugins).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(Object.keys(schema.properties.rules.patternProperties)).toEqual([PLUGIN_RULE_ID_PATTERN]);
    const pattern = new RegExp(PLUGIN_RULE_ID_PATTERN);
    expect(['acme/no-latest', '@corp/no-latest', '@corp/web/no-latest'].filter((id) => !pattern.test(id))).toEqual([]);
    expect(['no-latest', 'acme/', 'acme/No_Latest', '/no-latest'].filter((id) => pattern.test(id))).toEqual([]);
  });

  it('is shipped in the package and exported by path', async () => {
    const pkg = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')) as { files: string[]; exports: Record<string, unknown> };
    expect(pkg.files).toContain('schema');
    expect(pkg.exports['./schema/layerlint.schema.json']).toBe('./schema/layerlint.schema.json');
  });

  it('is the one README.md points editors to', async () => {
    const readme = await readFile(path.join(repo, 'README.md'), 'utf8');
    expect(readme).toContain('# yaml-language-server: $schema=./node_modules/layerlint/schema/layerlint.schema.json');
    expect(readme).toContain('"$schema": "./node_modules/layerlint/schema/layerlint.schema.json"');
  });
});
