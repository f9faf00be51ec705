// A pre-commit hook passes only the files a commit changes, yet family rules compare an image with its
// ancestors and siblings: a child linted alone would lose every finding that needs its parent. So when
// files are named one by one, the other Dockerfiles of their repository are read too. They feed the
// family graph and are never reported, fixed or checked by file rules (see lint-files.ts).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE_NAMES } from '../config/load-config.js';
import { discover, type IgnoreSource } from '../discover/discover.js';

export interface FamilyContextOptions {
  cwd: string;
  includeTemplates?: boolean;
  ignore?: readonly IgnoreSource[];
}

/**
 * The Dockerfiles beside the explicitly named files of `paths` (absolute), to be read as context;
 * `linted` (absolute) are the files already being linted. None when `paths` names directories only:
 * a walk already sees the whole family below them.
 */
export async function familyContextFiles(paths: readonly string[], linted: readonly string[], options: FamilyContextOptions): Promise<string[]> {
  const roots = new Set<string>();
  for (const given of paths) {
    const abs = path.resolve(options.cwd, given);
    if (!(await isFile(abs))) continue;
    const root = await repositoryRoot(path.dirname(abs));
    if (root !== null) roots.add(root);
  }
  if (roots.size === 0) return [];
  const discovery = await discover([...roots], {
    cwd: options.cwd,
    ...(options.includeTemplates === undefined ? {} : { includeTemplates: options.includeTemplates }),
    ...(options.ignore === undefined ? {} : { ignore: options.ignore }),
  });
  const skip = new Set(linted);
  return discovery.files.filter((file) => !skip.has(file));
}

/**
 * The nearest directory at or above `dir` that holds `.git` or a config file: where the family of
 * images ends. Without one there is no family to read: null (walking the working directory instead
 * could mean walking a home directory or /tmp for one file).
 */
export async function repositoryRoot(dir: string): Promise<string | null> {
  for (let current = path.resolve(dir); ; ) {
    for (const name of ['.git', ...CONFIG_FILE_NAMES]) {
      if (await exists(path.join(current, name))) return current;
    }
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return null;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
