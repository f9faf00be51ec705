import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

/**
 * A maker of temporary directory trees for one test file: `tree({ 'a/Dockerfile': text })` writes the
 * files under a new directory and returns it; every tree is removed after each test.
 */
export function tempTrees(prefix: string): (files: Record<string, string | Uint8Array>) => Promise<string> {
  const temps: string[] = [];
  afterEach(async () => {
    for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  return async (files) => {
    const dir = await mkdtemp(path.join(tmpdir(), prefix));
    temps.push(dir);
    for (const [name, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), content);
    }
    return dir;
  };
}
