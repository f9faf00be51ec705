import { mkdirSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discover, isDockerfileName, type DiscoverOptions, type DiscoveryProblem } from '../src/discover/discover.js';

let base: string;

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'layerlint-discover-')));
});

/** Paths a test made unreadable, given back their mode so the tree can be removed. */
const denied: string[] = [];

afterEach(async () => {
  for (const path of denied.splice(0)) await chmod(path, 0o755);
  await rm(base, { recursive: true, force: true });
});

/** Writes each file (a path ending in `/` is an empty directory) under `root`. */
async function tree(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    const abs = join(root, path);
    if (path.endsWith('/')) {
      await mkdir(abs, { recursive: true });
    } else {
      await mkdir(dirname(abs), { recursive: true });
      await writeFile(abs, text);
    }
  }
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Files relative to `base`, for readable assertions. */
async function found(paths: string[], options: Partial<DiscoverOptions> = {}): Promise<{ files: string[]; problems: DiscoveryProblem[] }> {
  const result = await discover(paths, { cwd: base, ...options });
  return { files: result.files.map((f) => f.slice(base.length + 1)), problems: result.problems };
}

const FROM = 'FROM alpine\n';

describe('isDockerfileName', () => {
  it('accepts the names build tools recognise', () => {
    for (const name of ['Dockerfile', 'Containerfile', 'api.Dockerfile', 'api.dockerfile', 'Dockerfile.dev', 'Dockerfile.prod.arm64', 'Containerfile.fedora']) {
      expect(isDockerfileName(name), name).toBe(true);
    }
  });

  it('rejects other files, ignore files beside Dockerfiles and bare suffixes', () => {
    for (const name of ['README.md', 'dockerfile.txt', 'Dockerfile.', '.Dockerfile', '.dockerfile', 'Dockerfile.dockerignore', 'api.Dockerfile.dockerignore', '.dockerignore', 'MyDockerfile', 'Dockerfiles', 'docker-compose.yml']) {
      expect(isDockerfileName(name), name).toBe(false);
    }
  });

  it('accepts Jinja templates only when asked', () => {
    expect(isDockerfileName('Dockerfile.j2')).toBe(false);
    expect(isDockerfileName('Dockerfile.j2', true)).toBe(true);
    expect(isDockerfileName('api.Dockerfile.j2', true)).toBe(true);
    expect(isDockerfileName('config.json.j2', true)).toBe(false);
    expect(isDockerfileName('Dockerfile.dockerignore.j2', true)).toBe(false);
  });
});

describe('discover: walking directories', () => {
  it('finds every Dockerfile name recursively, sorted and absolute', async () => {
    await tree(base, {
      'Dockerfile': FROM,
      'b/Containerfile': FROM,
      'a/web.Dockerfile': FROM,
      'a/Dockerfile.dev': FROM,
      'a/README.md': '',
      'a/Dockerfile.dockerignore': '',
      'a/deep/er/still/Dockerfile': FROM,
      '.devcontainer/Dockerfile': FROM,
    });
    const result = await discover(['.'], { cwd: base });
    expect(result.problems).toEqual([]);
    expect(result.files).toEqual(
      ['.devcontainer/Dockerfile', 'Dockerfile', 'a/Dockerfile.dev', 'a/deep/er/still/Dockerfile', 'a/web.Dockerfile', 'b/Containerfile'].map((f) => join(base, f)),
    );
  });

  it('finds templates only with includeTemplates', async () => {
    await tree(base, { 'docker/base/Dockerfile.j2': '', 'docker/base/Dockerfile': FROM });
    expect((await found(['docker'])).files).toEqual(['docker/base/Dockerfile']);
    expect((await found(['docker'], { includeTemplates: true })).files).toEqual(['docker/base/Dockerfile', 'docker/base/Dockerfile.j2']);
  });

  it('walks a directory named Dockerfile as a directory', async () => {
    await tree(base, { 'Dockerfile/Dockerfile': FROM, 'Dockerfile/notes.txt': '' });
    expect(await found(['.'])).toEqual({ files: ['Dockerfile/Dockerfile'], problems: [] });
    expect(await found(['Dockerfile'])).toEqual({ files: ['Dockerfile/Dockerfile'], problems: [] });
  });

  it('never enters .git or node_modules', async () => {
    await tree(base, { '.git/Dockerfile': FROM, 'node_modules/pkg/Dockerfile': FROM, 'app/node_modules/x/Dockerfile': FROM, 'app/Dockerfile': FROM });
    expect((await found(['.'])).files).toEqual(['app/Dockerfile']);
  });

  it('returns an empty list for a tree without Dockerfiles', async () => {
    await tree(base, { 'src/index.ts': '' });
    expect(await found(['.'])).toEqual({ files: [], problems: [] });
  });
});

describe('discover: explicit paths', () => {
  it('lints an explicit file whatever its name', async () => {
    await tree(base, { 'build/image.txt': FROM });
    expect(await found(['build/image.txt'])).toEqual({ files: ['build/image.txt'], problems: [] });
  });

  it('takes many paths and lists each file once', async () => {
    await tree(base, { 'a/Dockerfile': FROM, 'b/Dockerfile': FROM, 'c/Dockerfile': FROM });
    const result = await found(['a', 'b', 'a/Dockerfile', './a', join(base, 'b'), 'b/../a/Dockerfile', '.']);
    expect(result).toEqual({ files: ['a/Dockerfile', 'b/Dockerfile', 'c/Dockerfile'], problems: [] });
  });

  it('reports a missing path and still lists the rest', async () => {
    await tree(base, { 'a/Dockerfile': FROM });
    expect(await found(['missing', 'a', 'a/Dockerfile/x'])).toEqual({
      files: ['a/Dockerfile'],
      problems: [
        { path: 'missing', message: 'no such file or directory' },
        { path: 'a/Dockerfile/x', message: 'not a directory' },
      ],
    });
  });

  it('reports a missing path once however often it is given', async () => {
    expect((await found(['nope', 'nope', './nope'])).problems).toEqual([{ path: 'nope', message: 'no such file or directory' }]);
  });

  it('reports a path that is neither a file nor a directory', async () => {
    expect((await found(['/dev/null'])).problems).toEqual([{ path: '/dev/null', message: 'not a regular file or directory' }]);
  });

  it('names a problem found in a walk by the path given joined with the rest', async (ctx) => {
    await tree(base, { 'x/locked/Dockerfile': FROM });
    await chmod(join(base, 'x/locked'), 0o000);
    denied.push(join(base, 'x/locked'));
    if (isRoot) {
      ctx.skip('running as root: chmod 000 does not deny reads, so there is nothing to report');
      return;
    }
    expect((await found([join(base, 'x')])).problems).toEqual([{ path: join(base, 'x/locked'), message: 'permission denied' }]);
    expect((await found(['./x/'])).problems).toEqual([{ path: 'x/locked', message: 'permission denied' }]);
  });

  it('resolves relative paths against cwd, not the process directory', async () => {
    await tree(base, { 'sub/x/Dockerfile': FROM });
    const result = await discover(['x'], { cwd: join(base, 'sub') });
    expect(result.files).toEqual([join(base, 'sub/x/Dockerfile')]);
  });
});

describe('discover: ignore files', () => {
  it('honours .gitignore with negations and directory patterns', async () => {
    await tree(base, {
      '.git/': '',
      '.gitignore': 'build/\n*.Dockerfile\n!keep.Dockerfile\n',
      'build/Dockerfile': FROM,
      'app/Dockerfile': FROM,
      'app/skip.Dockerfile': FROM,
      'app/keep.Dockerfile': FROM,
    });
    expect((await found(['.'])).files).toEqual(['app/Dockerfile', 'app/keep.Dockerfile']);
  });

  it('applies a nested .gitignore to its own subtree only, over the shallower ones', async () => {
    await tree(base, {
      '.git/': '',
      '.gitignore': 'Dockerfile.*\n',
      'a/.gitignore': '!Dockerfile.dev\nDockerfile\n',
      'a/Dockerfile': FROM,
      'a/Dockerfile.dev': FROM,
      'a/Dockerfile.prod': FROM,
      'b/Dockerfile': FROM,
      'b/Dockerfile.dev': FROM,
    });
    expect((await found(['.'])).files).toEqual(['a/Dockerfile.dev', 'b/Dockerfile']);
  });

  it('cannot re-include a file whose directory is excluded, as git', async () => {
    await tree(base, { '.git/': '', '.gitignore': 'vendor/\n', 'vendor/.gitignore': '!Dockerfile\n', 'vendor/Dockerfile': FROM });
    expect((await found(['.'])).files).toEqual([]);
  });

  it('honours .layerlintignore the same way, beside and over .gitignore', async () => {
    await tree(base, {
      '.git/': '',
      '.gitignore': 'generated/\n',
      '.layerlintignore': 'legacy/\n!generated/\n',
      'legacy/Dockerfile': FROM,
      'generated/Dockerfile': FROM,
      'svc/.layerlintignore': 'Dockerfile.test\n',
      'svc/Dockerfile': FROM,
      'svc/Dockerfile.test': FROM,
    });
    expect((await found(['.'])).files).toEqual(['generated/Dockerfile', 'svc/Dockerfile']);
  });

  it('applies ignore files above the walked directory up to the repository root', async () => {
    await tree(base, {
      '.gitignore': 'Dockerfile\n', // above the repository: not applied
      'repo/.git/': '',
      'repo/.gitignore': '*.dockerfile\n',
      'repo/images/.layerlintignore': 'old/\n',
      'repo/images/web/Dockerfile': FROM,
      'repo/images/web/debug.dockerfile': FROM,
      'repo/images/web/old/Dockerfile': FROM,
    });
    expect((await found(['repo/images/web'])).files).toEqual(['repo/images/web/Dockerfile']);
  });

  it('treats a directory holding a .git file (a worktree) as a repository root', async () => {
    await tree(base, { '.gitignore': 'Dockerfile\n', 'wt/.git': 'gitdir: /elsewhere\n', 'wt/Dockerfile': FROM });
    expect((await found(['wt'])).files).toEqual(['wt/Dockerfile']);
  });

  it('gives a nested repository only its own ignore files', async () => {
    await tree(base, { '.git/': '', '.gitignore': 'Dockerfile.*\n', 'sub/.git/': '', 'sub/Dockerfile.dev': FROM, 'Dockerfile.dev': FROM });
    expect((await found(['.'])).files).toEqual(['sub/Dockerfile.dev']);
  });

  it('uses the current directory as the top outside any repository', async () => {
    await tree(base, { '.layerlintignore': 'skip/\n', 'skip/Dockerfile': FROM, 'x/skip/Dockerfile': FROM, 'x/Dockerfile': FROM });
    expect((await found(['x'])).files).toEqual(['x/Dockerfile']);
  });

  it('reports an explicitly given ignored file instead of linting it', async () => {
    await tree(base, { '.git/': '', '.gitignore': 'gen/\n*.bak.Dockerfile\n', 'gen/Dockerfile': FROM, 'a/old.bak.Dockerfile': FROM });
    expect(await found(['gen/Dockerfile', 'a/old.bak.Dockerfile'])).toEqual({
      files: [],
      problems: [
        { path: 'gen/Dockerfile', message: 'file ignored because of a matching ignore pattern', ignored: true },
        { path: 'a/old.bak.Dockerfile', message: 'file ignored because of a matching ignore pattern', ignored: true },
      ],
    });
  });

  it('reports an explicit file under an excluded directory, even if a deeper file re-includes it', async () => {
    await tree(base, { '.git/': '', '.gitignore': 'vendor/\n', 'vendor/.gitignore': '!Dockerfile\n', 'vendor/Dockerfile': FROM });
    expect((await found(['vendor/Dockerfile'])).problems).toEqual([{ path: 'vendor/Dockerfile', message: 'file ignored because of a matching ignore pattern', ignored: true }]);
  });

  it('reports an explicitly given ignored directory', async () => {
    await tree(base, { '.git/': '', '.gitignore': 'gen/\n', 'gen/x/Dockerfile': FROM });
    expect(await found(['gen/x'])).toEqual({ files: [], problems: [{ path: 'gen/x', message: 'directory ignored because of a matching ignore pattern', ignored: true }] });
  });

  it('applies extra patterns relative to their base directory', async () => {
    await tree(base, { 'conf/.layerlint.yaml': '', 'conf/vendor/Dockerfile': FROM, 'vendor/Dockerfile': FROM, 'conf/Dockerfile.ci': FROM });
    const result = await found(['.'], { ignore: [{ baseDir: join(base, 'conf'), patterns: ['vendor/', 'Dockerfile.*'] }] });
    expect(result.files).toEqual(['vendor/Dockerfile']);
  });

  it('lets extra patterns re-include what an ignore file excludes', async () => {
    await tree(base, { '.gitignore': '*.Dockerfile\n', 'a.Dockerfile': FROM, 'b.Dockerfile': FROM });
    expect((await found(['.'], { ignore: [{ baseDir: base, patterns: ['!a.Dockerfile'] }] })).files).toEqual(['a.Dockerfile']);
  });

  it('reads no ignore file when useIgnoreFiles is false', async () => {
    await tree(base, { '.gitignore': 'Dockerfile\n', '.layerlintignore': 'x/\n', 'x/Dockerfile': FROM });
    expect((await found(['.'], { useIgnoreFiles: false })).files).toEqual(['x/Dockerfile']);
    expect((await found(['x/Dockerfile'], { useIgnoreFiles: false })).problems).toEqual([]);
  });

  it('reads ignore files with CRLF line ends and a BOM', async () => {
    await tree(base, { '.gitignore': '\uFEFFa/\r\nb/\r\n', 'a/Dockerfile': FROM, 'b/Dockerfile': FROM, 'c/Dockerfile': FROM });
    expect((await found(['.'])).files).toEqual(['c/Dockerfile']);
  });
});

describe('discover: symlinks', () => {
  it('never follows a link out of the root given', async () => {
    await tree(base, { 'outside/Dockerfile': FROM, 'outside/x.Dockerfile': FROM, 'root/Dockerfile': FROM });
    await symlink(join(base, 'outside'), join(base, 'root/linked-dir'));
    await symlink(join(base, 'outside/x.Dockerfile'), join(base, 'root/linked.Dockerfile'));
    expect(await found(['root'])).toEqual({ files: ['root/Dockerfile'], problems: [] });
  });

  it('follows links inside the root and lists each real file once', async () => {
    await tree(base, { 'real/Dockerfile': FROM, 'other/app.txt': FROM });
    await symlink('real', join(base, 'alias'));
    await symlink('../real/Dockerfile', join(base, 'other/Dockerfile'));
    await symlink('app.txt', join(base, 'other/app.Dockerfile'));
    // `other/Dockerfile` is `real/Dockerfile` again; `other/app.Dockerfile` reaches a file no name matched.
    expect((await found(['.'])).files).toEqual(['other/app.Dockerfile', 'real/Dockerfile']);
  });

  it('does not loop on a link to an ancestor or to itself', async () => {
    await tree(base, { 'a/b/Dockerfile': FROM });
    await symlink('..', join(base, 'a/b/up'));
    await symlink(base, join(base, 'a/top'));
    await symlink('self', join(base, 'a/self'));
    await symlink('loop2', join(base, 'a/loop1'));
    await symlink('loop1', join(base, 'a/loop2'));
    expect(await found(['.'])).toEqual({ files: ['a/b/Dockerfile'], problems: [] });
  });

  it('skips a broken link in a walk and reports one given explicitly', async () => {
    await tree(base, { 'd/Dockerfile': FROM });
    await symlink('gone', join(base, 'd/dead.Dockerfile'));
    expect(await found(['d'])).toEqual({ files: ['d/Dockerfile'], problems: [] });
    expect(await found(['d/dead.Dockerfile'])).toEqual({ files: [], problems: [{ path: 'd/dead.Dockerfile', message: 'broken symbolic link: its target does not exist' }] });
  });

  it('walks an explicitly given link to a directory, with that directory as the root', async () => {
    await tree(base, { 'images/web/Dockerfile': FROM, 'images/db/Dockerfile': FROM });
    await symlink(join(base, 'images/web'), join(base, 'web'));
    await symlink(join(base, 'images/db'), join(base, 'images/web/db'));
    // images/db is outside the root `web` resolves to, so the link to it is not followed.
    expect(await found(['web'])).toEqual({ files: ['web/Dockerfile'], problems: [] });
  });

  it('lints an explicitly given link to a file', async () => {
    await tree(base, { 'elsewhere/build.txt': FROM });
    await symlink(join(base, 'elsewhere/build.txt'), join(base, 'Dockerfile'));
    expect(await found(['Dockerfile'])).toEqual({ files: ['Dockerfile'], problems: [] });
  });
});

describe('discover: permissions', () => {
  it('reports an unreadable directory or file and lists the readable rest', async (ctx) => {
    await tree(base, { 'ok/Dockerfile': FROM, 'locked/Dockerfile': FROM, 'files/Dockerfile': FROM, 'files/x.Dockerfile': FROM });
    await chmod(join(base, 'locked'), 0o000);
    await chmod(join(base, 'files/x.Dockerfile'), 0o000);
    denied.push(join(base, 'locked'), join(base, 'files/x.Dockerfile'));
    if (isRoot) {
      ctx.skip('running as root: chmod 000 does not deny reads, so there is nothing to report');
      return;
    }
    expect(await found(['.'])).toEqual({
      files: ['files/Dockerfile', 'ok/Dockerfile'],
      problems: [
        { path: 'files/x.Dockerfile', message: 'permission denied' },
        { path: 'locked', message: 'permission denied' },
      ],
    });
    expect((await found(['files/x.Dockerfile'])).problems).toEqual([{ path: 'files/x.Dockerfile', message: 'permission denied' }]);
  });
});

describe('discover: unreadable ignore files', () => {
  it('reports an ignore file it cannot read, once, and walks on', async (ctx) => {
    await tree(base, { '.git/': '', 'a/.layerlintignore': 'Dockerfile\n', 'a/Dockerfile': FROM, 'b/Dockerfile': FROM });
    await chmod(join(base, 'a/.layerlintignore'), 0o000);
    denied.push(join(base, 'a/.layerlintignore'));
    if (isRoot) {
      ctx.skip('running as root: chmod 000 does not deny reads, so there is nothing to report');
      return;
    }
    expect(await found(['.', 'a', 'a/Dockerfile'])).toEqual({
      files: ['a/Dockerfile', 'b/Dockerfile'],
      problems: [{ path: 'a/.layerlintignore', message: 'cannot read ignore file: permission denied' }],
    });
  });
});

describe('discover: performance', () => {
  it('walks a tree of 20,000 files quickly', async () => {
    const files: Record<string, string> = { '.git/': '', '.gitignore': 'skip-*/\n*.tmp.Dockerfile\n' };
    for (let d = 0; d < 200; d++) {
      const dir = d % 10 === 0 ? `skip-${d}` : `group-${d % 7}/svc-${d}`;
      if (d % 5 === 0) files[`${dir}/.layerlintignore`] = 'Dockerfile.old\n';
      for (let f = 0; f < 96; f++) files[`${dir}/src/file-${f}.ts`] = '';
      files[`${dir}/Dockerfile`] = FROM;
      files[`${dir}/Dockerfile.old`] = FROM;
      files[`${dir}/x.tmp.Dockerfile`] = FROM;
      files[`${dir}/api.Dockerfile`] = FROM;
    }
    expect(Object.keys(files).length).toBeGreaterThan(20_000);
    // Synchronous writes make the 20,000 files several times faster than as many pending promises.
    const dirs = new Set(Object.keys(files).map((path) => (path.endsWith('/') ? join(base, path) : dirname(join(base, path)))));
    for (const dir of dirs) mkdirSync(dir, { recursive: true });
    for (const [path, text] of Object.entries(files)) if (!path.endsWith('/')) writeFileSync(join(base, path), text);
    const started = performance.now();
    const result = await discover(['.'], { cwd: base });
    const elapsed = performance.now() - started;
    // 180 walked directories, each with Dockerfile and api.Dockerfile; Dockerfile.old where no .layerlintignore.
    expect(result.files.length).toBe(180 * 2 + 180 - 20);
    expect(result.problems).toEqual([]);
    expect(elapsed).toBeLessThan(3_000);
  });
});
