import { beforeAll, describe, expect, it } from 'vitest';
import { initShellParser } from '../src/model/shell-parser.js';
import { buildGraph } from '../src/graph/build-graph.js';
import { formatGraph, graphToJson } from '../src/graph/format-graph.js';
import { model } from './helpers.js';

beforeAll(async () => {
  await initShellParser();
});

const graph = () =>
  buildGraph(
    Object.entries({
      base: 'FROM debian:12-slim\nRUN apt-get update\n',
      'service-base': 'FROM acme/base:1\nRUN useradd app\n',
      api: 'FROM acme/service-base:1\nCOPY api /srv/api\nRUN echo "a"\n',
      worker: 'FROM acme/service-base:1\n',
      tool: 'FROM alpine:3.20\n',
    }).map(([name, text]) => ({ file: `/repo/${name}/Dockerfile`, model: model(text) })),
  );

describe('graph formats', () => {
  it('json gives images with parent, children, depth and steps, and the external bases', () => {
    const json = graphToJson(graph(), '/repo');
    const api = json.images.find((i) => i.name === 'api');
    expect(api).toMatchObject({ file: 'api/Dockerfile', parent: 'service-base', children: [], depth: 2 });
    expect(api?.steps.map((s) => [s.keyword, s.line, s.text])).toEqual([
      ['COPY', 2, 'COPY api /srv/api'],
      ['RUN', 3, 'RUN echo "a"'],
    ]);
    expect(json.images.find((i) => i.name === 'base')).toMatchObject({ parent: 'debian:12-slim', children: ['service-base'], depth: 0 });
    expect(json.bases).toEqual([
      { ref: 'alpine:3.20', images: ['tool'] },
      { ref: 'debian:12-slim', images: ['base'] },
    ]);
  });

  it('text draws the tree under each external base', () => {
    expect(formatGraph(graph(), 'text', '/repo')).toBe(
      [
        'alpine:3.20  (external)',
        '└── tool  (0 layers, tool/Dockerfile)',
        'debian:12-slim  (external)',
        '└── base  (1 layer, base/Dockerfile)',
        '    └── service-base  (1 layer, service-base/Dockerfile)',
        '        ├── api  (2 layers, api/Dockerfile)',
        '        └── worker  (0 layers, worker/Dockerfile)',
        '',
        '5 images, 2 built on external bases, 2 external bases, depth 2',
        '',
      ].join('\n'),
    );
  });

  it('dot and mermaid have one node per image and base and one edge per FROM', () => {
    const dot = formatGraph(graph(), 'dot', '/repo');
    expect(dot.match(/->/g)?.length).toBe(5);
    expect(dot).toContain('"service-base" -> "api";');
    expect(dot).toContain('"ext:debian:12-slim" -> "base";');
    const mermaid = formatGraph(graph(), 'mermaid', '/repo');
    expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    expect(mermaid.match(/-->/g)?.length).toBe(5);
    expect(mermaid.match(/\[\/"/g)?.length).toBe(2);
  });
});
