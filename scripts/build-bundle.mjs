// Bundles layerlint with every dependency inside, so that the package installs with nothing from the
// registry and starts without resolving and compiling some two hundred modules (bench/startup.mjs):
//
// - dist/layerlint.mjs, the library (src/index.ts and the command line's `main`), an ES module split
//   into chunks (dist/layerlint-*.mjs) so that what only some runs use (subcommands, templates,
//   formats, image measuring) loads only with them;
// - dist/cli.cjs, the command line as one CommonJS script: bin/layerlint.js compiles it with
//   vm.Script, whose V8 code cache it keeps between runs (an ES module cannot take one on Node 20).
//   Its last line names the package version and a hash of the script, the cache's key.
//
// The two WebAssembly files of the shell parser are copied beside the bundles, where web-tree-sitter
// and src/model/shell-parser.ts look for them; the licenses of everything bundled go to
// dist/layerlint.licenses.txt.
//
//   node scripts/build-bundle.mjs [--analyze] [--analyze-all]     (npm run build runs it after tsc)
//
// --analyze prints what the command runs at start and what the library's entry loads; --analyze-all
// prints esbuild's analysis of both bundles, input by input.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeMetafile, build } from 'esbuild';
import { bundledPackages, licenses } from './bundle-licenses.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist');
const require = createRequire(path.join(root, 'package.json'));

/** The files the bundle reads at run time, by the package that ships each. */
const WASM = [
  ['web-tree-sitter', 'tree-sitter.wasm'],
  ['tree-sitter-bash', 'tree-sitter-bash.wasm'],
];

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Less text for V8 to scan at every start; names stay readable in stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
};

mkdirSync(outdir, { recursive: true });
// Chunk names carry a hash: the chunks of an older build would otherwise stay and be packed.
for (const file of readdirSync(outdir)) if (/\.(mjs|cjs)$/.test(file)) rmSync(path.join(outdir, file));

const library = await build({
  ...common,
  entryPoints: [{ in: 'layerlint-entry', out: 'layerlint' }],
  outdir,
  splitting: true,
  format: 'esm',
  entryNames: '[name]',
  chunkNames: 'layerlint-[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  // CommonJS dependencies call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __layerlintCreateRequire } from 'node:module';\nconst require = __layerlintCreateRequire(import.meta.url);" },
  plugins: [libraryEntry(), nodeBuiltins('esm')],
});

const cliFile = path.join(outdir, 'cli.cjs');
const cli = await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: cliFile,
  format: 'cjs',
  // Short local names: a third less text to read and a smaller code cache at every start. The
  // command never shows a stack trace, and no code depends on a function's own name.
  // LAYERLINT_KEEP_NAMES=1 keeps them, for a profile that names functions.
  minifyIdentifiers: process.env.LAYERLINT_KEEP_NAMES !== '1',
  // The modules find their files (the WebAssembly, package.json) from their own URL.
  define: { 'import.meta.url': '__layerlintModuleUrl' },
  // Strict, as the ES modules it is made of. An import() esbuild cannot bundle (a config's plugin)
  // goes through the host's: V8 loses what import() needs in a script that comes from a code
  // cache. bin/layerlint.js passes its own import() in; required as a plain CommonJS module, the
  // bundle uses its own.
  banner: {
    js: '"use strict";\nvar __layerlintModuleUrl = require("node:url").pathToFileURL(__filename).href;\nvar __layerlintImport = typeof __layerlintHostImport === "function" ? __layerlintHostImport : (specifier) => import(specifier);',
  },
  plugins: [hostImports(), nodeBuiltins('cjs')],
});
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const script = readFileSync(cliFile, 'utf8');
if (/(?<![\w$.])import\(/.test(script.slice(script.indexOf('\n', script.indexOf('__layerlintImport'))))) {
  throw new Error(`${cliFile} calls import(), which fails in a script from a code cache: see hostImports()`);
}
// bin/layerlint.js reads the script as Latin-1, which is right only for ASCII (esbuild's default).
if (/[^\x00-\x7f]/.test(script)) throw new Error(`${cliFile} is not ASCII`);
writeFileSync(cliFile, `${script}//# layerlint ${version} ${createHash('sha256').update(script).digest('hex').slice(0, 32)}\n`);

// The family half of large runs runs in a worker thread (src/load/parallel-family.ts), which
// loads this file found beside the command's and the library's code.
const worker = await build({
  ...common,
  entryPoints: ['src/load/family-worker.ts'],
  outfile: path.join(outdir, 'family-worker.mjs'),
  format: 'esm',
  banner: { js: "import { createRequire as __layerlintCreateRequire } from 'node:module';\nconst require = __layerlintCreateRequire(import.meta.url);" },
  plugins: [nodeBuiltins('esm')],
});

for (const [pkg, file] of WASM) copyFileSync(require.resolve(`${pkg}/${file}`), path.join(outdir, file));

const inputs = { ...library.metafile.inputs, ...cli.metafile.inputs, ...worker.metafile.inputs };
writeFileSync(path.join(outdir, 'layerlint.licenses.txt'), `Third-party software bundled in layerlint\n\n${licenses(bundledPackages(root, WASM, { inputs }))}`);

if (process.argv.includes('--analyze')) {
  printCommandStart(cli.metafile, 'src/cli/main.ts');
  printLibraryStart(library.metafile, 'dist/layerlint.mjs');
}
if (process.argv.includes('--analyze-all')) {
  console.log(await analyzeMetafile(cli.metafile));
  console.log(await analyzeMetafile(library.metafile));
}

/**
 * The import() calls of layerlint's own modules whose specifier is not a literal (a literal one is
 * bundled), made calls of __layerlintImport (see the command's banner).
 */
function hostImports() {
  return {
    name: 'host-imports',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        if (!args.path.startsWith(root + path.sep) || args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        const dynamic = /(?<![\w$.])import\((?!\s*['"`])/g;
        return dynamic.test(source) ? { contents: source.replace(dynamic, '__layerlintImport('), loader: 'ts' } : undefined;
      });
    },
  };
}

/** The library's entry: its API (src/index.ts) and the command line's `main`. */
function libraryEntry() {
  return {
    name: 'library-entry',
    setup(build) {
      build.onResolve({ filter: /^layerlint-entry$/ }, () => ({ path: 'layerlint-entry', namespace: 'entry' }));
      build.onLoad({ filter: /.*/, namespace: 'entry' }, () => ({
        contents: "export * from './src/index.ts';\nexport { main } from './src/cli/main.ts';\n",
        resolveDir: root,
        loader: 'ts',
      }));
    },
  };
}

/**
 * Node's own modules through require() instead of import: an ES module import of a built-in makes
 * Node build an ES module facade of it, export by export, at every start; require() returns the
 * module as it is. A module that imports only plain values of a built-in by name (or the module
 * itself as default) shares one module of the bundle that reads them once; any other import gets
 * the built-in as a CommonJS module, which esbuild copies property by property (__toESM) into every
 * module that imports it: some hundred copies of fs and path per start. A namespace import stays
 * such a copy, as it sees whatever the running Node has (a feature test may look for what the Node
 * that built the bundle lacks), and so does an import of a getter (process.exitCode must stay live,
 * crypto.webcrypto loads only when read). `format` is the bundle's: an ES module bundle leaves
 * import() of a built-in to Node, whose named exports a CommonJS module does not have.
 */
function nodeBuiltins(format) {
  const builtins = new Set(builtinModules);
  const sources = new Map();
  return {
    name: 'node-builtins',
    setup(build) {
      build.onResolve({ filter: /^[a-z_/:]+$/ }, (args) => {
        const name = args.path.startsWith('node:') ? args.path.slice('node:'.length) : args.path;
        if (!builtins.has(name) || args.namespace.startsWith('builtin')) return undefined;
        if (args.kind === 'dynamic-import' && format === 'esm') return { path: `node:${name}`, external: true };
        if (args.kind === 'import-statement' && importsValuesOnly(args.importer, args.path, name)) return { path: name, namespace: 'builtin-values' };
        return { path: name, namespace: 'builtin' };
      });
      build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(`node:${args.path}`)});`,
        loader: 'js',
      }));
      build.onLoad({ filter: /.*/, namespace: 'builtin-values' }, (args) => {
        const names = [...valueNames(args.path)];
        return {
          contents: `const m = require(${JSON.stringify(`node:${args.path}`)});\nexport default m;\n${names.length > 0 ? `export const { ${names.join(', ')} } = m;\n` : ''}`,
          loader: 'js',
        };
      });
    },
  };

  /** Whether every import of `specifier` in the file takes the default or plain values by name. */
  function importsValuesOnly(file, specifier, name) {
    if (!sources.has(file)) sources.set(file, readFileSync(file, 'utf8'));
    const quoted = specifier.replace(/[/]/g, '\\/');
    const statements = [...sources.get(file).matchAll(new RegExp(`import\\s+([\\w$\\s{},*]+?)\\s+from\\s*['"]${quoted}['"]`, 'g'))].filter(([, clause]) => !/^type\s/.test(clause));
    if (statements.length === 0) return false;
    const values = valueNames(name);
    return statements.every(([, clause]) => {
      if (clause.includes('*')) return false;
      const named = clause.match(/\{([^}]*)\}/)?.[1] ?? '';
      return named
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '' && !item.startsWith('type '))
        .every((item) => values.has(item.split(/\s+as\s+/)[0]));
    });
  }
}

/** The properties of a built-in that hold plain values (no getters), as the building Node has them. */
function valueNames(name) {
  const descriptors = Object.getOwnPropertyDescriptors(require(`node:${name}`));
  return new Set(Object.keys(descriptors).filter((key) => 'value' in descriptors[key] && /^[A-Za-z_$][\w$]*$/.test(key) && isBindingName(key)));
}

function isBindingName(name) {
  try {
    new Function(`let ${name};`);
    return name !== 'default';
  } catch {
    return false;
  }
}

/**
 * What the command runs before it lints: the modules its entry reaches through static imports and
 * require() calls, by package or source directory. What only an import() reaches is in the bundle
 * too, but neither compiled nor run unless a run asks for it.
 */
function printCommandStart(metafile, entry) {
  const reached = new Set();
  const visit = (file) => {
    if (reached.has(file) || !metafile.inputs[file]) return;
    reached.add(file);
    for (const imported of metafile.inputs[file].imports) {
      if (imported.kind !== 'dynamic-import' && !imported.external) visit(imported.path);
    }
  };
  visit(entry);
  const output = Object.values(metafile.outputs)[0];
  const groups = new Map();
  let total = 0;
  for (const file of reached) {
    const bytes = output.inputs[file]?.bytesInOutput ?? 0;
    const group = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? path.dirname(file);
    groups.set(group, (groups.get(group) ?? 0) + bytes);
    total += bytes;
  }
  console.log(`${entry} runs ${reached.size} modules, ${total} of the bundle's ${output.bytes} bytes, at start:`);
  for (const [group, bytes] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`  ${String(bytes).padStart(8)}  ${group}`);
}

/**
 * What importing the library loads before it runs: its entry and every chunk it imports statically,
 * the bytes of each. Code behind an import() is not counted.
 */
function printLibraryStart(metafile, entry) {
  const loaded = [];
  const visit = (file) => {
    if (loaded.includes(file)) return;
    loaded.push(file);
    for (const imported of metafile.outputs[file].imports) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  visit(entry);
  const bytes = (file) => metafile.outputs[file].bytes;
  console.log(`${entry} loads ${loaded.length} files, ${loaded.reduce((n, f) => n + bytes(f), 0)} bytes, at start:`);
  for (const file of loaded) console.log(`  ${String(bytes(file)).padStart(8)}  ${file}`);
}
