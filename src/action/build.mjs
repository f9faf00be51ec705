// Bundles the GitHub Action into one file, because an action runs from the repository as it is:
// nothing is installed on the runner. The two WebAssembly files the shell parser loads are copied
// next to the bundle, where web-tree-sitter and src/model/shell-parser.ts look for them, and the
// licenses of everything bundled go into licenses.txt.
//
//   node src/action/build.mjs [outdir]     (default: action/dist)
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

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
  const packages = new Set(WASM.map(([pkg]) => packageDir(path.join(root, 'node_modules', pkg, 'package.json'))));
  for (const input of Object.keys(result.metafile.inputs)) {
    const dir = packageDir(path.join(root, input));
    if (dir !== null) packages.add(dir);
  }
  writeFileSync(path.join(outdir, 'licenses.txt'), licenses([...packages].filter((d) => d !== null)));
  return outdir;
}

/** The node_modules package directory a file belongs to, or null for the project's own files. */
function packageDir(file) {
  const rel = path.relative(root, file).split(path.sep);
  const at = rel.lastIndexOf('node_modules');
  if (at < 0) return null;
  const name = rel[at + 1]?.startsWith('@') ? rel.slice(at + 1, at + 3) : rel.slice(at + 1, at + 2);
  return path.join(root, ...rel.slice(0, at + 1), ...name);
}

function licenses(dirs) {
  const entries = dirs
    .map((dir) => {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
      const text = file === undefined ? `License: ${pkg.license ?? 'unknown'}` : readFileSync(path.join(dir, file), 'utf8').replace(/\r\n/g, '\n').trim();
      return { name: pkg.name, version: pkg.version, text };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return entries.map((e) => `${e.name}@${e.version}\n\n${e.text}\n`).join('\n-----\n\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await buildAction(process.argv[2] === undefined ? undefined : path.resolve(process.argv[2]));
}
