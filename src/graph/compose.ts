// Compose files name the images they build: a service with `build:` builds its Dockerfile as the
// service's `image:` (or `<project>-<service>` when it has none). Those names let FROM lines of other
// Dockerfiles find the image in the repository.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { DirectoryListings } from '../discover/listings.js';

export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

export interface ComposeProblem {
  file: string;
  message: string;
}

/** Image reference -> absolute Dockerfile path, from one compose file. */
export function composeImages(file: string, problems: ComposeProblem[] = []): Record<string, string> {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push({ file, message: `cannot read compose file: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` });
    return {};
  }
  const dir = path.dirname(file);
  const project = typeof (doc as { name?: unknown })?.name === 'string' ? (doc as { name: string }).name : path.basename(dir).toLowerCase().replace(/[^a-z0-9_-]/g, '');
  const services = (doc as { services?: unknown })?.services;
  const out: Record<string, string> = {};
  if (!services || typeof services !== 'object') return out;
  for (const [name, svc] of Object.entries(services as Record<string, unknown>)) {
    if (!svc || typeof svc !== 'object') continue;
    const build = (svc as { build?: unknown }).build;
    let context: string | null = null;
    let dockerfile = 'Dockerfile';
    if (typeof build === 'string') context = build;
    else if (build && typeof build === 'object') {
      const b = build as { context?: unknown; dockerfile?: unknown };
      context = typeof b.context === 'string' ? b.context : '.';
      if (typeof b.dockerfile === 'string') dockerfile = b.dockerfile;
    }
    if (context === null || /^[a-z]+:\/\//i.test(context)) continue;
    const image = (svc as { image?: unknown }).image;
    const ref = typeof image === 'string' ? image : `${project}-${name}`;
    out[ref] = path.resolve(dir, context, dockerfile);
  }
  return out;
}

/**
 * Compose files in the directories of the given Dockerfiles and their parents up to `root`. With the
 * run's `listings`, a directory the walk listed is probed only for the names it holds.
 */
export function findComposeFiles(dockerfiles: readonly string[], root: string, listings?: DirectoryListings): string[] {
  const dirs = new Set<string>();
  for (const f of dockerfiles) {
    for (let d = path.dirname(f); ; d = path.dirname(d)) {
      if (dirs.has(d)) break;
      dirs.add(d);
      if (d === root || path.dirname(d) === d || !d.startsWith(root)) break;
    }
  }
  const found: string[] = [];
  for (const d of [...dirs].sort()) {
    for (const name of listings?.candidatesIn(d, COMPOSE_FILE_NAMES) ?? COMPOSE_FILE_NAMES) {
      const f = path.join(d, name);
      if (existsSync(f)) found.push(f);
    }
  }
  return found;
}
