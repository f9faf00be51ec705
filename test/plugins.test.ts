// `plugins:` in a config: modules that export rules, loaded for the run and configured like built-ins.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index.js';
import { ConfigError, loadConfigFile } from '../src/config/load-config.js';
import { pluginName } from '../src/config/plugins.js';
import { lintFiles, lintText } from '../src/load/lint-files.js';
import type { AnyRule } from '../src/rule/types.js';
import { tempTrees } from './temp-tree.js';

const tree = tempTrees('layerlint-plugins-');

/** A plugin rule as a plugin file writes it: reports every FROM of an image named `latest`. */
const NO_LATEST = `{
  id: 'no-latest',
  meta: {
    type: 'reproducibility',
    docs: { description: 'Base images should not use the latest tag' },
    messages: { latest: 'FROM {{image}} uses latest' },
    defaultSeverity: 'warning',
    schema: { type: 'object', properties: { allow: { type: 'array', items: { type: 'string' } } }, additionalProperties: false },
    defaultOptions: { allow: [] },
  },
  create(context) {
    return {
      FROM(node) {
        if (node.ref && node.ref.tag === 'latest' && !context.options.allow.includes(node.ref.name)) {
          context.report({ range: node.range, messageId: 'latest', data: { image: node.ref.name } });
        }
      },
    };
  },
}`;

const DOCKERFILE = 'FROM alpine:latest\n';

function messages(results: Awaited<ReturnType<typeof lintFiles>>, ruleId: string) {
  return results.flatMap((r) => r.messages.filter((m) => m.ruleId === ruleId));
}

describe('loading plugins', () => {
  it('loads a plugin file relative to the config; its rules run under <plugin>/<id>', async () => {
    const dir = await tree({
      'tools/acme.mjs': `export const rules = [${NO_LATEST}];\n`,
      '.layerlint.yaml': 'plugins:\n  - ./tools/acme.mjs\nrules:\n  acme/no-latest: error\n',
      Dockerfile: DOCKERFILE,
    });
    const found = messages(await lintFiles(['Dockerfile'], { cwd: dir }), 'acme/no-latest');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'error', message: 'FROM alpine uses latest', line: 1, column: 1 });
  });

  it('runs plugin rules at their default severity and passes their options', async () => {
    const dir = await tree({
      'acme.mjs': `export const rules = [${NO_LATEST}];\n`,
      '.layerlint.yaml': 'plugins: [./acme.mjs]\n',
      Dockerfile: DOCKERFILE,
      'other/Dockerfile': DOCKERFILE,
      'other/.layerlint.yaml': 'plugins: [../acme.mjs]\nrules:\n  acme/no-latest: [warning, { allow: [alpine] }]\n',
    });
    const results = await lintFiles(['.'], { cwd: dir });
    expect(messages(results, 'acme/no-latest').map((m) => m.severity)).toEqual(['warning']);
    expect(results.find((r) => r.filePath === 'other/Dockerfile')?.messages.map((m) => m.ruleId)).not.toContain('acme/no-latest');
  });

  it('reads a default export { name, rules } and turns a plugin rule off', async () => {
    const dir = await tree({
      'rules.mjs': `export default { name: 'corp', rules: [${NO_LATEST}] };\n`,
      '.layerlint.json': '{ "plugins": ["./rules.mjs"], "rules": { "corp/no-latest": "off" } }\n',
      Dockerfile: DOCKERFILE,
    });
    const config = await loadConfigFile(path.join(dir, '.layerlint.json'), builtinRules);
    expect(config.pluginRules?.map((r) => r.id)).toEqual(['corp/no-latest']);
    expect(messages(await lintFiles(['Dockerfile'], { cwd: dir }), 'corp/no-latest')).toEqual([]);
  });

  it('loads a CommonJS plugin file', async () => {
    const dir = await tree({
      'acme.cjs': `module.exports = { rules: [${NO_LATEST}] };\n`,
      '.layerlint.yaml': 'plugins: [./acme.cjs]\n',
      Dockerfile: DOCKERFILE,
    });
    expect(messages(await lintFiles(['Dockerfile'], { cwd: dir }), 'acme/no-latest')).toHaveLength(1);
  });

  it('finds a package in node_modules by its exports, named without the layerlint-plugin- prefix', async () => {
    const dir = await tree({
      'node_modules/layerlint-plugin-acme/package.json': JSON.stringify({ name: 'layerlint-plugin-acme', type: 'module', exports: { '.': { types: './index.d.ts', import: './index.js' } } }),
      'node_modules/layerlint-plugin-acme/index.js': `export const rules = [${NO_LATEST}];\n`,
      'images/.layerlint.yaml': 'plugins: [layerlint-plugin-acme]\n',
      'images/Dockerfile': DOCKERFILE,
    });
    expect(messages(await lintFiles(['images'], { cwd: dir }), 'acme/no-latest')).toHaveLength(1);
  });

  it('keeps an id that already carries the plugin prefix', async () => {
    const dir = await tree({
      'acme.mjs': `const rule = ${NO_LATEST};\nexport const rules = [{ ...rule, id: 'acme/no-latest' }];\n`,
      '.layerlint.yaml': 'plugins: [./acme.mjs]\n',
    });
    const config = await loadConfigFile(path.join(dir, '.layerlint.yaml'), builtinRules);
    expect(config.pluginRules?.map((r) => r.id)).toEqual(['acme/no-latest']);
  });

  it('runs a family rule from a plugin', async () => {
    const dir = await tree({
      'family.mjs': `export const rules = [{
        id: 'count-images',
        scope: 'family',
        meta: { type: 'layers', docs: { description: 'Counts images' }, messages: { count: '{{n}} images' }, defaultSeverity: 'info', schema: { type: 'object' }, defaultOptions: {} },
        create(context) {
          return { Family(graph) { const first = graph.images[0]; if (first) context.report({ file: first.file, range: { start: 0, end: 4 }, messageId: 'count', data: { n: graph.images.length } }); } };
        },
      }];\n`,
      '.layerlint.yaml': 'plugins: [./family.mjs]\n',
      'a/Dockerfile': 'FROM alpine:3.20\n',
      'b/Dockerfile': 'FROM alpine:3.20\n',
    });
    expect(messages(await lintFiles(['.'], { cwd: dir }), 'family/count-images').map((m) => m.message)).toEqual(['2 images']);
  });

  it('lets lintText run extra rules, as a plugin test would', async () => {
    const rule = (await import('data:text/javascript,' + encodeURIComponent(`export default ${NO_LATEST};`))) as { default: AnyRule };
    const result = await lintText(DOCKERFILE, { extraRules: [rule.default] });
    expect(result.messages.map((m) => m.ruleId)).toContain('no-latest');
  });
});

describe('plugins that cannot be used are config errors at their key', () => {
  async function configError(files: Record<string, string>): Promise<ConfigError> {
    const dir = await tree(files);
    const error = await loadConfigFile(path.join(dir, '.layerlint.yaml'), builtinRules).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }

  it('a missing file', async () => {
    const error = await configError({ '.layerlint.yaml': 'rules: {}\nplugins:\n  - ./nowhere.mjs\n' });
    expect(error).toMatchObject({ key: 'plugins[0]', line: 3 });
    expect(error.detail).toMatch(/^cannot find plugin file .*nowhere\.mjs$/);
    expect(error.file).toMatch(/\.layerlint\.yaml$/);
  });

  it('a missing package', async () => {
    const error = await configError({ '.layerlint.yaml': 'plugins: [layerlint-plugin-nowhere]\n' });
    expect(error).toMatchObject({ key: 'plugins[0]' });
    expect(error.detail).toMatch(/^cannot find plugin package "layerlint-plugin-nowhere" in node_modules from /);
  });

  it('a plugin that throws while loading', async () => {
    const error = await configError({ 'bad.mjs': "throw new Error('boom');\n", '.layerlint.yaml': 'plugins: [./bad.mjs]\n' });
    expect(error).toMatchObject({ key: 'plugins[0]', detail: 'plugin "./bad.mjs" failed to load: boom' });
  });

  it('a plugin without rules', async () => {
    const error = await configError({ 'none.mjs': 'export const rule = {};\n', '.layerlint.yaml': 'plugins: [./none.mjs]\n' });
    expect(error.detail).toMatch(/^plugin "\.\/none\.mjs" must export rules, a list of rules/);
  });

  it('a rule without create, or with a bad id', async () => {
    const noCreate = await configError({ 'p.mjs': "export const rules = [{ id: 'x', meta: {} }];\n", '.layerlint.yaml': 'plugins: [./p.mjs]\n' });
    expect(noCreate.detail).toBe('plugin "./p.mjs": rules[0] ("x") has no create function');
    const badId = await configError({ 'p.mjs': `const r = ${NO_LATEST};\nexport const rules = [{ ...r, id: 'No_Latest' }];\n`, '.layerlint.yaml': 'plugins: [./p.mjs]\n' });
    expect(badId.detail).toMatch(/rule id "No_Latest" must be kebab-case words/);
  });

  it('two plugins that define the same rule', async () => {
    const error = await configError({
      'a/acme.mjs': `export const rules = [${NO_LATEST}];\n`,
      'b/acme.mjs': `export const rules = [${NO_LATEST}];\n`,
      '.layerlint.yaml': 'plugins: [./a/acme.mjs, ./b/acme.mjs]\n',
    });
    expect(error).toMatchObject({ key: 'plugins[1]', detail: 'plugin "./b/acme.mjs": rule "acme/no-latest" is also defined by plugin "./a/acme.mjs"' });
  });

  it('plugins that are not a list, and a plugin rule configured without its plugin', async () => {
    const notList = await configError({ '.layerlint.yaml': 'plugins: ./acme.mjs\n' });
    expect(notList).toMatchObject({ key: 'plugins', detail: 'must be a list of module paths or package names, not the string "./acme.mjs"' });
    const unknown = await configError({ '.layerlint.yaml': 'rules:\n  acme/no-latest: error\n' });
    expect(unknown).toMatchObject({ key: 'rules["acme/no-latest"]' });
  });
});

describe('pluginName', () => {
  it('strips the layerlint-plugin prefix as ESLint strips eslint-plugin', () => {
    expect(pluginName('layerlint-plugin-acme')).toBe('acme');
    expect(pluginName('@corp/layerlint-plugin')).toBe('@corp');
    expect(pluginName('@corp/layerlint-plugin-web')).toBe('@corp/web');
    expect(pluginName('./tools/acme-rules.mjs')).toBe('acme-rules');
    expect(pluginName('./layerlint-plugin-local.js')).toBe('local');
  });
});
