// How FROM lines find repository images: by directory (default), compose services, or the config's images map.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../src/load/lint-files.js';
import { tempTrees } from './temp-tree.js';

const tree = tempTrees('layerlint-naming-');

const parents = async (dir: string) => {
  const { graph } = await analyzeFiles(['.'], { cwd: dir });
  return Object.fromEntries(graph.images.map((i) => [i.name, i.parent?.name ?? `external:${i.parentRef}`]));
};

describe('naming schemes', () => {
  it('dir: the directory names the image; registry, namespace and tag do not matter', async () => {
    const dir = await tree({
      'images/base/Dockerfile': 'FROM debian:12-slim\n',
      'images/api/Dockerfile': 'FROM registry.example.com/team/base:2026.1\n',
    });
    expect(await parents(dir)).toEqual({ api: 'base', base: 'external:debian:12-slim' });
  });

  it('dir: configured prefixes are stripped from the FROM name', async () => {
    const dir = await tree({
      '.layerlint.yaml': 'naming:\n  prefixes: [acme-]\n',
      'base/Dockerfile': 'FROM debian:12-slim\n',
      'api/Dockerfile': 'FROM acme/acme-base:1\n',
    });
    expect(await parents(dir)).toMatchObject({ api: 'base' });
  });

  it('compose: services with build: name their images', async () => {
    const dir = await tree({
      'compose.yaml': 'services:\n  core:\n    image: acme/platform-core:1\n    build: ./platform\n  web:\n    build:\n      context: ./frontend\n      dockerfile: web.Dockerfile\n',
      'platform/Dockerfile': 'FROM debian:12-slim\n',
      'frontend/web.Dockerfile': 'FROM acme/platform-core:1\n',
    });
    const p = await parents(dir);
    expect(p).toEqual({ 'platform-core': 'external:debian:12-slim', [`${path.basename(dir).toLowerCase().replace(/[^a-z0-9_-]/g, '')}-web`]: 'platform-core' });
  });

  it('explicit: the images map in .layerlint.yaml', async () => {
    const dir = await tree({
      '.layerlint.yaml': 'images:\n  internal/runtime: docker/runtime.Dockerfile\n',
      'docker/runtime.Dockerfile': 'FROM debian:12-slim\n',
      'svc/Dockerfile': 'FROM internal/runtime:3\n',
    });
    expect(await parents(dir)).toEqual({ runtime: 'external:debian:12-slim', svc: 'runtime' });
  });
});
