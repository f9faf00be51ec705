// Bundles layerlint into one ES module, dist/layerlint.mjs: the command line (`main`) and the library
// API (src/index.ts) with every dependency inside. The package then installs with nothing from the
// registry, and the command starts without resolving and compiling some two hundred modules (see
// bench/startup.mjs). The two WebAssembly files of the shell parser are copied beside the bundle,
// where web-tree-sitter and src/model/shell-parser.ts look for them; the licenses of everything
// bundled go to dist/layerlint.licenses.txt.
//
//   node scripts/build-bundle.mjs        (npm run build runs it after tsc)
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundledPackages, licenses } from './bundle-licenses.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist');

/** The files the bundle reads at run time, by the package that ships each. */
const WASM = [
  ['web-tree-sitter', 'tree-sitter.wasm'],
  ['tree-sitter-bash', 'tree-sitter-bash.wasm'],
];

mkdirSync(outdir, { recursive: true });
const result = await build({
  absWorkingDir: root,
  stdin: {
    contents: "export * from './src/index.ts';\nexport { main } from './src/cli/main.ts';\n",
    resolveDir: root,
    sourcefile: 'layerlint-entry.ts',
    loader: 'ts',
  },
  outfile: path.join(outdir, 'layerlint.mjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Less text for V8 to scan at every start; names stay readable in stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  // CommonJS dependencies call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __layerlintCreateRequire } from 'node:module';\nconst require = __layerlintCreateRequire(import.meta.url);" },
  legalComments: 'none',
  plugins: [requireBuiltins()],
  metafile: true,
  logLevel: 'warning',
});

const require = createRequire(path.join(root, 'package.json'));
for (const [pkg, file] of WASM) copyFileSync(require.resolve(`${pkg}/${file}`), path.join(outdir, file));

writeFileSync(path.join(outdir, 'layerlint.licenses.txt'), `Third-party software bundled in layerlint.mjs\n\n${licenses(bundledPackages(root, WASM, result.metafile))}`);

/**
 * Node's own modules through require() instead of import: an ES module import of a built-in makes
 * Node build an ES module facade of it, export by export, at every start; require() returns the
 * module as it is. It saves some 8 ms of each start (bench/startup.mjs).
 */
function requireBuiltins() {
  const builtins = new Set(builtinModules);
  return {
    name: 'require-builtins',
    setup(build) {
      build.onResolve({ filter: /^[a-z_/:]+$/ }, (args) => {
        const name = args.path.startsWith('node:') ? args.path.slice('node:'.length) : args.path;
        if (!builtins.has(name) || args.namespace === 'builtin') return undefined;
        return { path: name, namespace: 'builtin' };
      });
      build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(`node:${args.path}`)});`,
        loader: 'js',
      }));
    },
  };
}

