// `layerlint render`, and the template flags of lint and graph, run in-process with fake streams.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index.js';
import { main } from '../src/cli/main.js';
import { sharedDir, skipMessage } from './shared-data.js';
import { removeTemplateTrees, templateTree } from './template-helpers.js';

afterAll(removeTemplateTrees);

async function run(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd, env: {}, isTTY: false });
  return { code, stdout, stderr };
}

const only = (id: string): string[] => builtinRules.filter((r) => r.id !== id).flatMap((r) => ['--rule', `${r.id}:off`]);

const tree = (): string =>
  templateTree({
    'values.yaml': 'namespace: kolla\ntag: "1"\n',
    'docker/macros.j2': '{% macro run(c) %}RUN {{ c }}{% endmacro %}',
    'docker/base/Dockerfile.j2': "{% import 'macros.j2' as m %}\nFROM debian:12\n{{ m.run('apt-get update') }}\n",
    'docker/app/app-api/Dockerfile.j2': "FROM {{ namespace }}/base:{{ tag }}\n{% block footer %}{% endblock %}\n",
  });

describe('layerlint render', () => {
  it('writes <image>/Dockerfile for each template', async () => {
    const dir = tree();
    const r = await run(['render', 'docker', '--template-values', 'values.yaml', '--out', 'out'], dir);
    expect(r).toMatchObject({ code: 0, stdout: 'rendered 2 of 2 templates to out\n', stderr: '' });
    expect(readFileSync(path.join(dir, 'out', 'base', 'Dockerfile'), 'utf8')).toBe('\nFROM debian:12\nRUN apt-get update');
    expect(readFileSync(path.join(dir, 'out', 'app-api', 'Dockerfile'), 'utf8')).toBe('FROM kolla/base:1\n');
  });

  it('applies template overrides', async () => {
    const dir = tree();
    const override = templateTree({ 'o.j2': '{% extends parent_template %}{% block footer %}RUN echo {{ image_name }}{% endblock %}' });
    const r = await run(['render', 'docker', '--template-values', 'values.yaml', '--template-override', path.join(override, 'o.j2'), '-o', 'out'], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'out', 'app-api', 'Dockerfile'), 'utf8')).toBe('FROM kolla/base:1\nRUN echo app-api');
    const missing = await run(['render', 'docker', '--template-values', 'values.yaml', '--template-override', 'o.j2'], dir);
    expect(missing).toMatchObject({ code: 2, stderr: 'layerlint: o.j2: template override: cannot read: ENOENT\n' });
  });

  it('reports a template error at file:line:column with the calls that led there, and exits 1', async () => {
    const dir = templateTree({
      'values.yaml': '{}',
      'docker/macros.j2': "{% macro run(c) %}RUN {{ c|nosuch }}{% endmacro %}",
      'docker/base/Dockerfile.j2': "FROM debian:12\n{% import 'macros.j2' as m %}\n{{ m.run('x') }}\n",
      'docker/ok/Dockerfile.j2': 'FROM debian:12\n',
    });
    const r = await run(['render', 'docker', '--template-values', 'values.yaml', '--out', 'out'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("layerlint: docker/macros.j2:1:28: no filter named 'nosuch'\n  from docker/base/Dockerfile.j2:2:1 (loaded here)\n");
    expect(r.stdout).toBe('rendered 1 of 2 templates to out\n');
    expect(existsSync(path.join(dir, 'out', 'ok', 'Dockerfile'))).toBe(true);
  });

  it('usage errors', async () => {
    const dir = tree();
    expect(await run(['render', 'docker'], dir)).toMatchObject({ code: 2, stderr: 'layerlint: render needs --template-values FILE\n' });
    expect(await run(['render', '--template-values', 'values.yaml'], dir)).toMatchObject({ code: 2 });
    expect((await run(['render', 'docker', '--template-values', 'nope.yaml'], dir)).stderr).toMatch(/^layerlint: nope\.yaml: template values: cannot read: ENOENT/);
    const twice = templateTree({ 'values.yaml': '{}', 'a/img/Dockerfile.j2': 'FROM x\n', 'b/img/Dockerfile.j2': 'FROM y\n' });
    expect((await run(['render', '.', '--template-values', 'values.yaml'], twice)).stderr).toBe('layerlint: two templates render the image img: a/img/Dockerfile.j2 and b/img/Dockerfile.j2\n');
  });

  it('--help', async () => {
    const r = await run(['render', '--help'], tree());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: layerlint render <templates-root> --template-values FILE/);
  });

  const kolla = path.join(sharedDir, 'data', 'kolla');
  it.skipIf(!existsSync(path.join(kolla, 'values.json')))('renders the Kolla tree as Kolla does', async () => {
    const out = templateTree({});
    const r = await run(['render', path.join(kolla, 'templates'), '--template-values', path.join(kolla, 'values.json'), '--out', out], out);
    expect(r).toMatchObject({ code: 0, stdout: 'rendered 187 of 187 templates to .\n' });
    const differing = readdirSync(out).filter((image) => readFileSync(path.join(out, image, 'Dockerfile'), 'utf8') !== readFileSync(path.join(kolla, 'rendered', 'rocky-x86_64', image, 'Dockerfile'), 'utf8'));
    expect(differing).toEqual([]);
  });
  if (!existsSync(path.join(kolla, 'values.json'))) it.skip(skipMessage('data/kolla'), () => {});
});

describe('lint and graph with --template-values', () => {
  it('lint reports findings on the template lines', async () => {
    const dir = templateTree({ 'values.yaml': 'base: debian:12\n', 'img/Dockerfile.j2': '{# the image #}\nFROM {{ base }}\nRUN a\nRUN b\n' });
    const r = await run(['.', '--template-values', 'values.yaml', '-f', 'json', ...only('merge-consecutive-runs')], dir);
    const [result] = JSON.parse(r.stdout) as { filePath: string; messages: { line: number; related: { filePath: string; line: number }[] }[] }[];
    expect(result?.filePath).toBe('img/Dockerfile.j2');
    expect(result?.messages.map((m) => [m.line, m.related[0]?.filePath, m.related[0]?.line])).toEqual([[4, 'img/Dockerfile (rendered)', 4]]);
  });

  it('lint: values that cannot be used are a configuration error (exit 2)', async () => {
    const dir = templateTree({ 'values.json': '[1]', 'img/Dockerfile.j2': 'FROM x\n' });
    expect(await run(['.', '--template-values', 'values.json'], dir)).toMatchObject({ code: 2, stderr: 'layerlint: values.json: template values: the values file must hold a mapping of variables\n' });
  });

  it('graph accepts template trees', async () => {
    const r = await run(['graph', '.', '--template-values', 'values.yaml', '-f', 'json'], tree());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"app-api"');
    expect(r.stdout).toContain('"base"');
  });
});
