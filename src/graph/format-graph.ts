import { relative, sep } from 'node:path';
import { compareText } from '../linter/diagnostic.js';
import type { ImageGraph, ImageNode } from './types.js';

export type GraphFormat = 'text' | 'json' | 'dot' | 'mermaid';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['text', 'json', 'dot', 'mermaid'];

export interface GraphJson {
  images: {
    name: string;
    file: string;
    parent: string;
    children: string[];
    depth: number;
    steps: { index: number; keyword: string; line: number; text: string; key: string; chainKey: string; inherited: boolean }[];
  }[];
  bases: { ref: string; images: string[] }[];
}

const rel = (cwd: string, file: string): string => relative(cwd, file).split(sep).join('/');

export function graphToJson(graph: ImageGraph, cwd: string): GraphJson {
  return {
    images: graph.images.map((img) => ({
      name: img.name,
      file: rel(cwd, img.file),
      parent: img.parent ? img.parent.name : img.parentRef,
      children: img.children.map((c) => c.name).sort(),
      depth: img.depth,
      steps: img.steps.map((s) => ({
        index: s.index,
        keyword: s.instruction.keyword,
        line: img.model.source.positionAt(s.instruction.range.start).line,
        text: s.text,
        key: s.key,
        chainKey: s.chainKey,
        inherited: s.inherited,
      })),
    })),
    bases: graph.bases.map((b) => ({ ref: b.ref, images: b.images.map((i) => i.name).sort() })),
  };
}

export function formatGraph(graph: ImageGraph, format: GraphFormat, cwd: string): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(graphToJson(graph, cwd), null, 2)}\n`;
    case 'dot':
      return toDot(graph);
    case 'mermaid':
      return toMermaid(graph);
    case 'text':
      return toText(graph, cwd);
  }
}

function sortedChildren(img: ImageNode): ImageNode[] {
  return [...img.children].sort((a, b) => compareText(a.name, b.name));
}

function toText(graph: ImageGraph, cwd: string): string {
  const lines: string[] = [];
  const walk = (img: ImageNode, prefix: string, last: boolean, top: boolean): void => {
    const steps = `${img.steps.length} layer${img.steps.length === 1 ? '' : 's'}`;
    lines.push(`${top ? '' : `${prefix}${last ? '└── ' : '├── '}`}${img.name}  (${steps}, ${rel(cwd, img.file)})`);
    const kids = sortedChildren(img);
    kids.forEach((k, i) => walk(k, top ? '' : `${prefix}${last ? '    ' : '│   '}`, i === kids.length - 1, false));
  };
  for (const base of graph.bases) {
    lines.push(`${base.ref}  (external)`);
    const roots = base.images.filter((i) => i.parent === null).sort((a, b) => compareText(a.name, b.name));
    roots.forEach((r, i) => walk(r, '', i === roots.length - 1, false));
  }
  const maxDepth = Math.max(0, ...graph.images.map((i) => i.depth));
  lines.push('', `${graph.images.length} images, ${graph.roots.length} built on external bases, ${graph.bases.length} external bases, depth ${maxDepth}`);
  return `${lines.join('\n')}\n`;
}

const quote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

function toDot(graph: ImageGraph): string {
  const lines = ['digraph family {', '  rankdir=LR;', '  node [shape=box];'];
  for (const b of graph.bases) lines.push(`  ${quote(`ext:${b.ref}`)} [label=${quote(b.ref)}, style=dashed];`);
  for (const img of graph.images) lines.push(`  ${quote(img.name)} [label=${quote(`${img.name}\\n${img.steps.length} layers`)}];`);
  for (const b of graph.bases) for (const img of b.images) lines.push(`  ${quote(`ext:${b.ref}`)} -> ${quote(img.name)};`);
  for (const img of graph.images) for (const c of sortedChildren(img)) lines.push(`  ${quote(img.name)} -> ${quote(c.name)};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function toMermaid(graph: ImageGraph): string {
  const ids = new Map<string, string>();
  const id = (key: string): string => {
    let v = ids.get(key);
    if (!v) {
      v = `n${ids.size}`;
      ids.set(key, v);
    }
    return v;
  };
  const label = (s: string): string => `"${s.replace(/"/g, '#quot;')}"`;
  const lines = ['flowchart LR'];
  for (const b of graph.bases) lines.push(`  ${id(`ext:${b.ref}`)}[/${label(b.ref)}/]`);
  for (const img of graph.images) lines.push(`  ${id(img.name)}[${label(img.name)}]`);
  for (const b of graph.bases) for (const img of b.images) lines.push(`  ${id(`ext:${b.ref}`)} --> ${id(img.name)}`);
  for (const img of graph.images) for (const c of sortedChildren(img)) lines.push(`  ${id(img.name)} --> ${id(c.name)}`);
  return `${lines.join('\n')}\n`;
}
