#!/usr/bin/env node
// The installed command: runs the CLI with the real process streams. It runs the command's bundle
// (dist/cli.cjs, see scripts/build-bundle.mjs) and falls back to the compiled modules of a checkout
// where only tsc has run.
//
// A pre-commit hook starts layerlint for a few small files, so most of a run is starting, and
// compiling the bundle was the largest part of that (bench/startup.mjs). V8 can keep what it
// compiled as a code cache, and a script compiled through vm.Script can take one back (an ES module
// cannot on Node 20), so the bundle is compiled that way and the cache, made after the first run
// that lints files, is kept in node_modules/.cache/layerlint or in a private directory in the
// system's temporary directory. A cache that is missing, unreadable or rejected by V8 costs only the
// time it would have saved; one that cannot be written is not written. LAYERLINT_CODE_CACHE=0 turns
// the cache off.
import module from 'node:module';

// Node's own modules through require(): an import would make Node build an ES module facade of
// each, export by export, at every start.
const require = module.createRequire(import.meta.url);
const { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { fileURLToPath } = require('node:url');
const vm = require('node:vm');

// Node 22 and later keep compiled modules between runs (the fallback's); older versions cannot.
module.enableCompileCache?.();

// `layerlint ... | head` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const argv = process.argv.slice(2);
const bundle = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));
let main;
let useBaselineWasm;
let cache = null;
if (existsSync(bundle)) {
  // The bundle is ASCII (esbuild escapes the rest): read as Latin-1, it needs no UTF-8 decoding.
  const source = readFileSync(bundle, 'latin1');
  cache = codeCache(source, argv);
  ({ main, useBaselineWasm } = runScript(source, bundle, cache));
} else {
  const entry = '../dist/src/cli/main.js';
  ({ main, useBaselineWasm } = await import(entry).catch((error) => {
    process.stderr.write(`layerlint: cannot load ${entry} (run npm run build): ${error.message}\n`);
    process.exit(2);
  }));
}

// No optimizing tier for the shell grammar's WebAssembly, whose background work would delay the
// exit (see useBaselineWasm in src/model/shell-parser.ts).
useBaselineWasm?.();
process.exitCode = await main(argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
});
cache?.save();

/**
 * Runs the bundle as Node runs a CommonJS module, but through vm.Script, with the code cache when
 * there is one. A script cannot import() modules itself (the bundle's only import() is that of a
 * config's plugins), so it is given this module's import(); the bundle's file URL is absolute.
 */
function runScript(source, filename, cache) {
  const wrapped = `(function (exports, require, module, __filename, __dirname, __layerlintHostImport) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename, ...(cache?.data ? { cachedData: cache.data } : {}) });
  cache?.compiled(script);
  const exports = {};
  const require = module.createRequire(filename);
  const mod = { exports, id: filename, filename, loaded: false, children: [], paths: [], require };
  script.runInThisContext()(exports, require, mod, filename, path.dirname(filename), (specifier) => import(specifier));
  mod.loaded = true;
  return mod.exports;
}

/**
 * The bundle's code cache: where it is read from and written to, keyed by the version and hash the
 * bundle's last line names (scripts/build-bundle.mjs), the Node version and the architecture.
 */
function codeCache(source, argv) {
  const key = /\/\/# layerlint (\S+) ([0-9a-f]+)\n$/.exec(source.slice(-200));
  if (key === null || process.env.LAYERLINT_CODE_CACHE === '0') return null;
  const name = `cli-${key[1]}-${key[2]}-${process.version}-${process.arch}.v8cache`;
  const places = cachePlaces();
  let data;
  const found = places.findIndex((place) => (data = readPrivate(path.join(place.dir, name))) !== undefined);
  let script = null;
  return {
    data,
    compiled(s) {
      script = s;
    },
    /**
     * Writes the cache once the run is done, so that it holds the functions the run compiled, and
     * only after a run that linted files: the cache of `--help` would leave out the linting.
     */
    save() {
      if (script === null || (data !== undefined && !script.cachedDataRejected) || !linted(argv)) return;
      let bytes;
      try {
        bytes = script.createCachedData();
      } catch {
        return;
      }
      for (const place of found < 0 ? places : [places[found], ...places.filter((_, i) => i !== found)]) {
        if (writePrivate(place.dir, name, bytes)) {
          prune(place, name);
          return;
        }
      }
    },
  };
}

/** Whether the command line asks for a lint of files, as opposed to a subcommand, help or version. */
function linted(argv) {
  if (['rules', 'graph', 'report', 'render'].includes(argv[0] ?? '')) return false;
  return !argv.some((a) => a === '-h' || a === '--help' || a === '-v' || a === '--version');
}

/**
 * node_modules/.cache/layerlint of the project that installed layerlint (or of a checkout), which
 * serves this installation alone, then a directory of this user's own in the temporary directory,
 * which every installation of this user shares.
 */
function cachePlaces() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const installedIn = [path.dirname(root), path.dirname(path.dirname(root))].find((dir) => path.basename(dir) === 'node_modules');
  const nodeModules = installedIn ?? (existsSync(path.join(root, 'node_modules')) ? path.join(root, 'node_modules') : null);
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : 'user';
  const temporary = { dir: path.join(tmpdir(), `layerlint-${user}`), shared: true };
  return nodeModules === null ? [temporary] : [{ dir: path.join(nodeModules, '.cache', 'layerlint'), shared: false }, temporary];
}

/**
 * Removes the caches of other builds: all of them in an installation's own directory, those not
 * written for a day in the shared one (another installation may still use its own).
 */
function prune(place, kept) {
  try {
    for (const file of readdirSync(place.dir)) {
      if (file === kept || !/^cli-.*\.v8cache$/.test(file)) continue;
      const full = path.join(place.dir, file);
      if (!place.shared || Date.now() - statSync(full).mtimeMs > 24 * 60 * 60 * 1000) unlinkSync(full);
    }
  } catch {
    // An old cache that stays only takes room.
  }
}

/**
 * A cache file's bytes, when this user owns it and no one else may write it: V8 runs what it finds
 * in a code cache, so one that someone else could have written is not read.
 */
function readPrivate(file) {
  let fd;
  try {
    fd = openSync(file, 'r');
    const stat = fstatSync(fd);
    const dir = statSync(path.dirname(file));
    if (!ownedPrivately(stat) || !ownedPrivately(dir)) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function ownedPrivately(stat) {
  if (typeof process.getuid !== 'function') return true;
  return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
}

/** Writes whole or not at all (a parallel run reads either the old file or the new one). */
function writePrivate(dir, name, bytes) {
  const file = path.join(dir, name);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ownedPrivately(statSync(dir))) return false;
    writeFileSync(temporary, bytes, { mode: 0o600 });
    renameSync(temporary, file);
    return true;
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was written.
    }
    return false;
  }
}
