// Conformance: every OpenStack Kolla template, rendered with Kolla's values for rocky-x86_64, is
// byte for byte what Kolla's own Jinja2 rendering wrote. Runs when ../shared holds the data.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TemplateEnvironment } from '../src/template/render.js';
import { sharedDir, skipMessage } from './shared-data.js';

const kolla = join(sharedDir, 'data', 'kolla');
const hasKolla = existsSync(join(kolla, 'values.json')) && existsSync(join(kolla, 'rendered', 'rocky-x86_64'));

function templates(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) templates(join(dir, entry.name), out);
    else if (entry.name === 'Dockerfile.j2') out.push(join(dir, entry.name));
  }
  return out.sort();
}

describe.skipIf(!hasKolla)('Kolla templates render as Kolla renders them', () => {
  it('reproduces all 187 rendered Dockerfiles byte for byte', () => {
    const env = TemplateEnvironment.open({ values: join(kolla, 'values.json') }, kolla, join(kolla, 'templates'));
    const files = templates(join(kolla, 'templates', 'docker'));
    expect(files).toHaveLength(187);
    const mismatches: string[] = [];
    for (const file of files) {
      const outcome = env.render(file);
      if (!outcome.ok) {
        mismatches.push(`${outcome.image}: ${outcome.error.message}`);
        continue;
      }
      const expected = readFileSync(join(kolla, 'rendered', 'rocky-x86_64', outcome.image, 'Dockerfile'), 'utf8');
      if (outcome.text !== expected) mismatches.push(`${outcome.image}: differs from Kolla's rendering`);
    }
    expect(mismatches).toEqual([]);
  });

  it('renders the two template overrides of the data set', () => {
    const env = TemplateEnvironment.open(
      { values: join(kolla, 'values.json'), overrides: [join(kolla, 'templates', 'overrides', 'test_override.j2')] },
      kolla,
      join(kolla, 'templates'),
    );
    const novaApi = env.render(join(kolla, 'templates', 'docker', 'nova', 'nova-api', 'Dockerfile.j2'));
    expect(novaApi.ok).toBe(true);
    if (!novaApi.ok) return;
    expect(novaApi.text).toContain('RUN echo footer nova-api\n');
    expect(novaApi.text).toContain('RUN echo global footer\n');
    const base = env.render(join(kolla, 'templates', 'docker', 'base', 'Dockerfile.j2'));
    expect(base.ok && base.text).toContain('ENV PIP_INDEX_URL=http://mirror/simple');
    expect(base.ok && base.text).toMatch(/dnf -y install [^\n]*vim-enhanced/);
    const grafana = env.render(join(kolla, 'templates', 'docker', 'grafana', 'Dockerfile.j2'));
    expect(grafana.ok && grafana.text).toContain('grafana-cli plugins install a-plugin && grafana-cli plugins install b-plugin');
  });
});

if (!hasKolla) it.skip(skipMessage('data/kolla'), () => {});
