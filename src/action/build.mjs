// Bundles the GitHub Action into one file, because an action runs from the repository as it is:
// nothing is installed on the runner. The two WebAssembly files the shell parser loads are copied
// next to the bundle, where web-tree-sitter and src/model/shell-parser.ts look for them, and the
// licenses of everything bundled go into licenses.txt.
//
//   node src/action/build.mjs [outdir]     (default: action/dist)
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { bundledPackages, licenses } from '../../scripts/bundle-licenses.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The files the bundle needs at run time, besides itself, by the package that ships each. */
const WASM = [
  ['web-tree-sitter', 'tree-sitter.wasm'],
  ['tree-sitter-bash', 'tree-sitter-bash.wasm'],
];

export async function buildAction(outdir = path.join(root, 'action/dist')) {
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/action/main.ts'],
    outfile: path.join(outdir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // CommonJS dependencies call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __layerlintCreateRequire } from 'node:module';\nconst require = __layerlintCreateRequire(import.meta.url);" },
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const require = createRequire(path.join(root, 'package.json'));
  for (const [pkg, file] of WASM) copyFileSync(require.resolve(`${pkg}/${file}`), path.join(outdir, file));
  writeFileSync(path.join(outdir, 'licenses.txt'), licenses(bundledPackages(root, WASM, result.metafile)));
  return outdir;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await buildAction(process.argv[2] === undefined ? undefined : path.resolve(process.argv[2]));
}
