// Linting templates: they are rendered in memory and linted, and every finding is reported on the
// template, at the line that produced it, or at the macro call or block that generated it, with the
// rendered position as a related location. Template errors are findings at the template's line.
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index.js';
import type { LintResult } from '../src/linter/diagnostic.js';
import { analyzeFiles, lintFiles, type LintFilesOptions } from '../src/load/lint-files.js';
import { initShellParser } from '../src/model/shell-parser.js';
import type { RuleSetting } from '../src/linter/lint-source.js';
import { removeTemplateTrees, templateTree } from './template-helpers.js';

beforeAll(async () => {
  await initShellParser();
});
afterAll(removeTemplateTrees);

/** Every other rule off, so what is asserted does not move as rules are added. */
function only(...ids: string[]): Record<string, RuleSetting> {
  return Object.fromEntries(builtinRules.filter((r) => !ids.includes(r.id)).map((r) => [r.id, { severity: 'off' as const }]));
}

async function lint(files: Record<string, string>, options: LintFilesOptions = {}): Promise<{ dir: string; results: LintResult[] }> {
  const dir = templateTree({ 'values.json': '{"base": "debian:12"}', ...files });
  const results = await lintFiles(['.'], { cwd: dir, templates: { values: 'values.json' }, rules: only('merge-consecutive-runs'), ...options });
  return { dir, results };
}

function result(results: LintResult[], filePath: string): LintResult {
  const found = results.find((r) => r.filePath === filePath);
  if (!found) throw new Error(`no result for ${filePath}; results: ${results.map((r) => r.filePath).join(', ')}`);
  return found;
}

describe('findings on the template', () => {
  it('a finding is at the .j2 line that produced the instruction; the rendered line goes along', async () => {
    const { results } = await lint({
      'img/Dockerfile.j2': "{% set pkgs = [\n  'a',\n  'b',\n] %}\nFROM {{ base }}\nRUN apt-get update\nRUN apt-get install -y {{ pkgs|join(' ') }}\n",
    });
    const img = result(results, 'img/Dockerfile.j2');
    expect(img.messages).toHaveLength(1);
    const [m] = img.messages;
    expect(m).toMatchObject({ ruleId: 'merge-consecutive-runs', line: 7, column: 1, endLine: 7 });
    expect(m?.message).toBe('RUN follows another RUN on line 6 with the same flags: merge them into one layer');
    expect(m?.related?.[0]).toMatchObject({ message: 'in the rendered Dockerfile', filePath: 'img/Dockerfile (rendered)', line: 4, column: 1 });
    expect(m?.fix).toBeUndefined();
    // Code frames show the template.
    expect(img.source).toContain('{% set pkgs = [');
  });

  it('an instruction a macro generates is located at the macro call, the macro body as related', async () => {
    const { results } = await lint({
      'macros.j2': "{% macro install(pkgs) -%}\nRUN apt-get update\nRUN apt-get install -y {{ pkgs|join(' ') }}\n{%- endmacro %}\n",
      'img/Dockerfile.j2': "FROM {{ base }}\n{% import 'macros.j2' as macros %}\n{{ macros.install(['curl']) }}\n",
    });
    const [m] = result(results, 'img/Dockerfile.j2').messages;
    expect(m).toMatchObject({ ruleId: 'merge-consecutive-runs', line: 3, column: 4 });
    expect(m?.related).toEqual([
      { message: 'in the rendered Dockerfile', filePath: 'img/Dockerfile (rendered)', line: 4, column: 1, endLine: 4, endColumn: 4 },
      { message: 'generated here (macro install)', filePath: 'macros.j2', line: 3, column: 1, endLine: 3, endColumn: 1 },
    ]);
  });

  it('an instruction an override block generates is located at the block it replaces', async () => {
    const dir = templateTree({
      'values.json': '{}',
      'img/Dockerfile.j2': 'FROM debian:12\nRUN a\n{% block footer %}{% endblock %}\n',
      'override.j2': '{% extends parent_template %}\n{% block footer %}\nRUN echo footer\n{% endblock %}\n',
    });
    const results = await lintFiles(['img'], { cwd: dir, templates: { values: 'values.json', overrides: ['override.j2'] }, rules: only('merge-consecutive-runs') });
    const [m] = result(results, 'img/Dockerfile.j2').messages;
    expect(m).toMatchObject({ ruleId: 'merge-consecutive-runs', line: 3, column: 1 });
    expect(m?.related?.[1]).toMatchObject({ message: 'generated here (block footer)', filePath: 'override.j2', line: 3 });
  });

  it('inline directives written in the template apply to what it renders', async () => {
    const { results } = await lint({
      'img/Dockerfile.j2': 'FROM {{ base }}\nRUN a\n# layerlint-disable-next-line merge-consecutive-runs\nRUN b\n',
    });
    expect(result(results, 'img/Dockerfile.j2').messages).toEqual([]);
  });
});

describe('template errors are findings at the template line', () => {
  it('in the template itself', async () => {
    const { results } = await lint({ 'img/Dockerfile.j2': 'FROM {{ base }}\nRUN {{ pkgs|nosuch }}\n' });
    const [m] = result(results, 'img/Dockerfile.j2').messages;
    expect(m).toMatchObject({ ruleId: null, fatal: true, severity: 'error', line: 2, column: 13, message: "template error: no filter named 'nosuch'" });
  });

  it('a syntax error inside an imported macro file: at that file and line, and at the import', async () => {
    const { results } = await lint({
      'macros.j2': "{% macro install(pkgs) %}\nRUN apt-get install {{ pkgs|join(' ') }\n{% endmacro %}\n",
      'img/Dockerfile.j2': "FROM {{ base }}\n{% import 'macros.j2' as macros %}\n{{ macros.install(['curl']) }}\n",
    });
    const macros = result(results, 'macros.j2');
    expect(macros.messages).toHaveLength(1);
    expect(macros.messages[0]).toMatchObject({ fatal: true, line: 2, message: expect.stringMatching(/^template error: /) });
    const [m] = result(results, 'img/Dockerfile.j2').messages;
    expect(m).toMatchObject({ fatal: true, line: 2, column: 1 });
    expect(m?.message).toMatch(/^template error: .* \(in macros\.j2:2:\d+\)$/);
    expect(m?.related?.[0]).toMatchObject({ filePath: 'macros.j2', line: 2 });
  });

  it('an undefined macro, at the call', async () => {
    const { results } = await lint({
      'macros.j2': '{% macro install() %}{% endmacro %}',
      'img/Dockerfile.j2': "FROM {{ base }}\n{% import 'macros.j2' as macros %}\n\n{{ macros.instal() }}\n",
    });
    const [m] = result(results, 'img/Dockerfile.j2').messages;
    expect(m).toMatchObject({ fatal: true, line: 4, column: 4, message: "template error: the template 'macros.j2' does not export 'instal'" });
  });

  it('a failure inside a macro body, reported at the call in this template', async () => {
    const { results } = await lint({
      'macros.j2': "{% macro user(name) %}{{ raise_error('no user ' + name) }}{% endmacro %}",
      'img/Dockerfile.j2': "FROM {{ base }}\n{% import 'macros.j2' as macros %}\n{{ macros.user('nova') }}\n",
    });
    const [m] = result(results, 'img/Dockerfile.j2').messages;
    expect(m).toMatchObject({ fatal: true, line: 3, message: 'template error: raise_error: no user nova (in macros.j2:1:26)' });
  });

  it('values that cannot be read stop the run as a configuration error does', async () => {
    const dir = templateTree({ 'img/Dockerfile.j2': 'FROM x\n', 'values.json': '{"a": 1.5}' });
    await expect(lintFiles(['.'], { cwd: dir, templates: { values: 'values.json' } })).rejects.toThrow(/values\.json:1: template values: a: 1\.5 is not an integer/);
  });
});

describe('templates in the pipeline', () => {
  it('without values, templates are not linted', async () => {
    const dir = templateTree({ 'img/Dockerfile.j2': 'FROM x\nRUN a\nRUN b\n' });
    await expect(lintFiles(['.'], { cwd: dir })).resolves.toEqual([]);
  });

  it('the templates section of the config gives the values', async () => {
    const dir = templateTree({
      '.layerlint.yaml': 'templates:\n  values: conf/values.yaml\n',
      'conf/values.yaml': 'base: debian:12\n',
      'img/Dockerfile.j2': 'FROM {{ base }}\nRUN a\nRUN b\n',
    });
    const results = await lintFiles(['.'], { cwd: dir, rules: only('merge-consecutive-runs') });
    expect(result(results, 'img/Dockerfile.j2').messages.map((m) => m.line)).toEqual([3]);
  });

  it('--fix never writes to templates, and says so', async () => {
    const { dir, results } = await lint({ 'img/Dockerfile.j2': 'FROM {{ base }}\nRUN a\nRUN b\n' }, { fix: true, fixTypes: ['safe', 'suggestion'] });
    const img = result(results, 'img/Dockerfile.j2');
    expect(img.output).toBeUndefined();
    expect(img.messages.map((m) => [m.severity, m.message])).toContainEqual(['info', 'not fixed: layerlint never rewrites templates; 1 problem with a fix must be fixed in the template']);
    expect(readFileSync(path.join(dir, 'img', 'Dockerfile.j2'), 'utf8')).toBe('FROM {{ base }}\nRUN a\nRUN b\n');
  });

  it('family findings name template lines, in their messages and related locations', async () => {
    const dir = templateTree({
      'values.json': '{}',
      'docker/base/Dockerfile.j2': "{% set pkgs = [\n  'curl',\n] %}\nFROM debian:12\nRUN apt-get install -y {{ pkgs|join(' ') }}\n",
      'docker/app/Dockerfile.j2': 'FROM kolla/base:1\nRUN apt-get install -y curl\n',
    });
    const results = await lintFiles(['.'], { cwd: dir, templates: { values: 'values.json' }, rules: only('repeated-ancestor-step') });
    const [m] = result(results, 'docker/app/Dockerfile.j2').messages;
    expect(m?.message).toMatch(/^Line 5 of base already runs this step/);
    expect(m?.related?.find((r) => r.filePath === 'docker/base/Dockerfile.j2')).toMatchObject({ line: 5, column: 1 });
  });

  it('the family graph is built from the rendered templates', async () => {
    const dir = templateTree({
      'values.json': '{"namespace": "kolla", "tag": "1"}',
      'docker/macros.j2': '',
      'docker/base/Dockerfile.j2': "{% import 'macros.j2' as m %}FROM debian:12\nRUN apt-get update\n",
      'docker/app/Dockerfile.j2': "{% import 'macros.j2' as m %}FROM {{ namespace }}/base:{{ tag }}\nRUN echo app\n",
    });
    const { graph } = await analyzeFiles(['.'], { cwd: dir, templates: { values: 'values.json' } });
    expect(graph.images.map((i) => i.name).sort()).toEqual(['app', 'base']);
    expect(graph.byName.get('app')?.parent?.name).toBe('base');
  });
});

describe('the templates section of the config', () => {
  it('is checked like the rest of the config', async () => {
    const dir = templateTree({ '.layerlint.yaml': 'templates:\n  value: values.yaml\n', 'img/Dockerfile.j2': 'FROM x\n' });
    await expect(lintFiles(['.'], { cwd: dir })).rejects.toThrow(/\.layerlint\.yaml:2: templates\.value: is not a key of templates; did you mean "values"\?/);
    const listed = templateTree({ '.layerlint.yaml': 'templates:\n  values: v.yaml\n  overrides: o.j2\n', 'img/Dockerfile.j2': 'FROM x\n' });
    await expect(lintFiles(['.'], { cwd: listed })).rejects.toThrow(/templates\.overrides: must be a list of paths/);
  });

  it('the command line wins over it', async () => {
    const dir = templateTree({
      '.layerlint.yaml': 'templates:\n  values: a.yaml\n',
      'a.yaml': 'base: from-config\n',
      'b.yaml': 'base: from-flag\n',
      'img/Dockerfile.j2': 'FROM {{ base }}\n',
    });
    const { graph } = await analyzeFiles(['.'], { cwd: dir, templates: { values: 'b.yaml' } });
    expect(graph.images[0]?.parentRef).toBe('from-flag');
  });
});

describe('templates outside the working directory', () => {
  it('finds the template root (the directory with macros.j2) within the linted tree', async () => {
    const { mkdtemp, mkdir, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(path.join(tmpdir(), 'layerlint-tpl-'));
    try {
      await mkdir(path.join(dir, 'docker', 'svc'), { recursive: true });
      await writeFile(path.join(dir, 'docker', 'macros.j2'), '{% macro pkgs(p) %}apt-get install -y {{ p | join(" ") }}{% endmacro %}\n');
      await writeFile(path.join(dir, 'docker', 'svc', 'Dockerfile.j2'), '{% import "macros.j2" as m %}\nFROM debian:12-slim\nRUN apt-get update && {{ m.pkgs(["curl"]) }} && rm -rf /var/lib/apt/lists/*\n');
      await writeFile(path.join(dir, 'values.json'), '{}\n');
      const results = await lintFiles([path.join(dir, 'docker')], { cwd: '/', templates: { values: path.join(dir, 'values.json') } });
      expect(results.flatMap((r) => r.messages.filter((m) => m.fatal).map((m) => m.message))).toEqual([]);
      expect(results.flatMap((r) => r.messages.map((m) => m.ruleId))).toContain('apt-no-install-recommends');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
