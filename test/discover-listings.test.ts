// The listings a walk keeps answer later questions of the same run; every answer must be the one
// probing the file system gives, including for names that are links, broken links or directories.
import { writeFileSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFileIn } from '../src/config/load-config.js';
import { discover, DirectoryListings } from '../src/discover/discover.js';
import { BuildContexts } from '../src/graph/build-context.js';
import { findComposeFiles } from '../src/graph/compose.js';
import { tempTrees } from './temp-tree.js';

const tree = tempTrees('layerlint-listings-');
const FROM = 'FROM alpine\n';

/** Walks `root` keeping its listings, as a run does before asking anything else. */
async function walked(root: string): Promise<{ files: string[]; listings: DirectoryListings }> {
  const listings = new DirectoryListings();
  const { files } = await discover(['.'], { cwd: root, listings });
  return { files, listings };
}

describe('DirectoryListings', () => {
  it('keeps the listing of each directory walked, and none of a directory skipped or ignored', async () => {
    const root = await tree({ 'a/Dockerfile': FROM, 'a/b/c.txt': '', 'node_modules/x/Dockerfile': FROM, '.gitignore': 'skipped/\n', 'skipped/Dockerfile': FROM });
    const { listings } = await walked(root);
    expect(listings.entriesOf(join(root, 'a'))?.map((e) => e.name).sort()).toEqual(['Dockerfile', 'b']);
    expect(listings.entriesOf(join(root, 'a/b'))?.map((e) => e.name)).toEqual(['c.txt']);
    expect(listings.entriesOf(join(root, 'node_modules'))).toBeUndefined();
    expect(listings.entriesOf(join(root, 'skipped'))).toBeUndefined();
  });

  it('narrows candidates to the names a listing shows, and keeps them all for a directory not listed', async () => {
    const root = await tree({ 'a/Dockerfile': FROM, 'a/compose.yml': '' });
    const { listings } = await walked(root);
    expect(listings.candidatesIn(join(root, 'a'), ['compose.yaml', 'compose.yml'])).toEqual(['compose.yml']);
    expect(listings.candidatesIn(join(root, 'elsewhere'), ['compose.yaml', 'compose.yml'])).toEqual(['compose.yaml', 'compose.yml']);
  });

  it('stats each path once per run, as lstat sees it, and a missing one as undefined', async () => {
    const root = await tree({ 'a/Dockerfile': FROM });
    const listings = new DirectoryListings();
    const file = join(root, 'a/Dockerfile');
    const first = listings.lstat(file);
    expect(first?.isFile()).toBe(true);
    expect(first?.size).toBe(FROM.length);
    writeFileSync(file, `${FROM}RUN true\n`);
    // The run's view stays the one it took first: both of its readers see the same file.
    expect(listings.lstat(file)).toBe(first);
    expect(new DirectoryListings().lstat(file)?.size).toBe(FROM.length + 'RUN true\n'.length);
    expect(listings.lstat(join(root, 'missing'))).toBeUndefined();
    await symlink(file, join(root, 'link'));
    expect(listings.lstat(join(root, 'link'))?.isSymbolicLink()).toBe(true);
  });
});

describe('answers from listings equal answers from probing', () => {
  it('finds the same compose files, skipping a broken link and counting a directory as existing', async () => {
    const root = await tree({ 'docker-compose.yml': 'services: {}\n', 'a/Dockerfile': FROM, 'a/compose.yaml': 'services: {}\n', 'b/Dockerfile': FROM, 'c/Dockerfile': FROM });
    await symlink('missing.yaml', join(root, 'b/compose.yaml'));
    await symlink('../a/compose.yaml', join(root, 'b/compose.yml'));
    await mkdir(join(root, 'c/docker-compose.yaml'));
    const { files, listings } = await walked(root);
    const probed = findComposeFiles(files, root);
    expect(probed).toEqual([join(root, 'docker-compose.yml'), join(root, 'a/compose.yaml'), join(root, 'b/compose.yml'), join(root, 'c/docker-compose.yaml')]);
    expect(findComposeFiles(files, root, listings)).toEqual(probed);
  });

  it('finds the same compose file when a name differs only in case, as the file system decides', async () => {
    const root = await tree({ 'a/Dockerfile': FROM, 'a/Compose.YAML': 'services: {}\n' });
    const { files, listings } = await walked(root);
    expect(findComposeFiles(files, root, listings)).toEqual(findComposeFiles(files, root));
  });

  it('finds the same config file: a regular file or a link to one, never a directory', async () => {
    const root = await tree({ 'a/Dockerfile': FROM, 'a/.layerlint.yml': '', 'b/Dockerfile': FROM, 'b/real.yaml': '', 'c/Dockerfile': FROM, 'c/.layerlint.json': '{}' });
    await mkdir(join(root, 'a/.layerlint.yaml'));
    await symlink('real.yaml', join(root, 'b/.layerlint.yaml'));
    await symlink('gone.yaml', join(root, 'c/.layerlint.yaml'));
    const { listings } = await walked(root);
    for (const [dir, expected] of [['a', 'a/.layerlint.yml'], ['b', 'b/.layerlint.yaml'], ['c', 'c/.layerlint.json']] as const) {
      expect(configFileIn(join(root, dir)), dir).toBe(join(root, expected));
      expect(configFileIn(join(root, dir), listings), dir).toBe(join(root, expected));
    }
    expect(configFileIn(root, listings)).toBeNull();
  });

  it('lists the same build context, with .dockerignore, nested directories and links', async () => {
    const root = await tree({ 'app/Dockerfile': FROM, 'app/.dockerignore': 'logs\nsrc/*.tmp\n', 'app/src/main.c': 'int main;', 'app/src/x.tmp': '', 'app/logs/a.log': 'x', 'app/.layerlintcache': '' });
    await symlink('src/main.c', join(root, 'app/main-link.c'));
    await symlink('nowhere', join(root, 'app/dangling'));
    const { listings } = await walked(root);
    const probed = new BuildContexts().list(join(root, 'app'));
    expect(probed.files).toEqual(['.dockerignore', 'Dockerfile', 'dangling', 'main-link.c', 'src/main.c']);
    expect(new BuildContexts(listings).list(join(root, 'app'))).toEqual(probed);
  });
});
