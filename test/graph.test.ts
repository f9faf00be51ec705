import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initShellParser } from '../src/model/shell-parser.js';
import { buildGraph } from '../src/graph/build-graph.js';
import { model } from './helpers.js';
import { sharedDir, skipMessage } from './shared-data.js';

beforeAll(async () => {
  await initShellParser();
});

const img = (g: ReturnType<typeof buildGraph>, name: string) => {
  const found = g.byName.get(name);
  if (!found) throw new Error(`no image ${name}`);
  return found;
};

const family = (files: Record<string, string>) => buildGraph(Object.entries(files).map(([name, text]) => ({ file: `/repo/${name}/Dockerfile`, model: model(text) })));

describe('family graph', () => {
  it('links images by directory name, ignoring registry path and tag', () => {
    const g = family({
      base: 'FROM debian:12-slim\nRUN apt-get update\n',
      'service-base': 'FROM registry.example.com/acme/base:2026.1\nRUN useradd app\n',
      api: 'FROM acme/service-base:2026.1\nCOPY api /srv/api\n',
    });
    const api = g.byName.get('api');
    expect(api?.parent?.name).toBe('service-base');
    expect(api?.parent?.parent?.name).toBe('base');
    expect(api?.depth).toBe(2);
    expect(g.roots.map((r) => r.name)).toEqual(['base']);
    expect(g.bases.map((b) => [b.ref, b.images.map((i) => i.name)])).toEqual([['debian:12-slim', ['base']]]);
  });

  it('gives equal chain keys exactly to shared layer prefixes', () => {
    const g = family({
      base: 'FROM debian:12-slim\nRUN echo base\n',
      a: 'FROM x/base:1\nRUN echo one\nRUN echo two\n',
      b: 'FROM x/base:1\nRUN   echo one\nRUN echo three\n',
      c: 'FROM x/base:1\nRUN echo two\nRUN echo one\n',
    });
    const [a, b, c] = [img(g, 'a'), img(g, 'b'), img(g, 'c')];
    expect(a.baseChainKey).toBe(g.byName.get('base')!.steps[0]!.chainKey);
    expect(a.steps[0]!.chainKey).toBe(b.steps[0]!.chainKey);
    expect(a.steps[1]!.chainKey).not.toBe(b.steps[1]!.chainKey);
    // Same steps in another order share nothing past the first difference.
    expect(c.steps[1]!.key).toBe(a.steps[0]!.key);
    expect(c.steps[1]!.chainKey).not.toBe(a.steps[0]!.chainKey);
  });

  it('follows the final stage through FROM <stage> and puts ONBUILD triggers first in children', () => {
    const g = family({
      base: 'FROM debian:12-slim\nONBUILD RUN echo trigger\n',
      app: 'FROM x/base:1 AS deps\nRUN echo deps\nFROM golang:1.22 AS build\nRUN go build\nFROM deps\nCOPY --from=build /out /out\n',
    });
    const app = g.byName.get('app')!;
    expect(app.parent?.name).toBe('base');
    expect(app.steps.map((s) => [s.text, s.inherited])).toEqual([
      ['RUN echo trigger', true],
      ['RUN echo deps', false],
      ['COPY --from=build /out /out', false],
    ]);
  });
});

const kolla = join(sharedDir, 'data', 'kolla', 'rendered', 'rocky-x86_64');
describe.skipIf(!existsSync(kolla))('Kolla render', () => {
  it('has 187 images, every FROM resolved, one root `base`', () => {
    const inputs = readdirSync(kolla).map((name) => {
      const file = join(kolla, name, 'Dockerfile');
      return { file, model: model(readFileSync(file, 'utf8')) };
    });
    const g = buildGraph(inputs);
    expect(g.images.length).toBe(187);
    expect(g.roots.map((r) => r.name)).toEqual(['base']);
    for (const img of g.images) {
      if (img.name === 'base') continue;
      expect(img.parent?.name, img.name).toBe(img.parentRef.replace(/^.*\//, '').replace(/:.*$/, ''));
    }
    expect(g.byName.get('base')!.children.length).toBe(28);
    expect(g.byName.get('openstack-base')!.children.length).toBe(29);
  });
});
if (!existsSync(kolla)) it.skip(skipMessage('data/kolla/rendered'), () => {});

describe('COPY context bytes in the chain key', () => {
  it('shares a COPY layer only when the copied bytes are equal, after .dockerignore', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { ContextHasher } = await import('../src/graph/context-hash.js');
    const root = mkdtempSync(join(tmpdir(), 'layerlint-ctx-'));
    const write = (rel: string, text: string): void => {
      mkdirSync(join(root, rel, '..'), { recursive: true });
      writeFileSync(join(root, rel), text);
    };
    write('base/Dockerfile', 'FROM debian:12-slim\n');
    for (const name of ['a', 'b', 'c']) write(`${name}/Dockerfile`, 'FROM x/base:1\nCOPY conf/ /etc/app/\nCOPY *.sh /usr/local/bin/\n');
    write('a/conf/app.ini', 'x=1\n');
    write('b/conf/app.ini', 'x=1\n');
    write('c/conf/app.ini', 'x=2\n');
    for (const name of ['a', 'b', 'c']) write(`${name}/start.sh`, 'echo start\n');
    write('b/notes.sh', 'ignored\n');
    write('b/.dockerignore', 'notes.sh\n');
    const hasher = new ContextHasher();
    const g = buildGraph(
      ['base', 'a', 'b', 'c'].map((n) => ({ file: join(root, n, 'Dockerfile'), model: model(readFileSync(join(root, n, 'Dockerfile'), 'utf8')) })),
      { contextHash: (file, step) => hasher.hash(file, step) },
    );
    const [a, b, c] = [img(g, 'a'), img(g, 'b'), img(g, 'c')];
    expect(a.steps[0]!.chainKey).toBe(b.steps[0]!.chainKey);
    expect(a.steps[1]!.chainKey).toBe(b.steps[1]!.chainKey);
    expect(c.steps[0]!.chainKey).not.toBe(a.steps[0]!.chainKey);
  });
});
