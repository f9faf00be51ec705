// The licences of the third-party packages a bundle inlines, gathered from esbuild's metafile: both
// the npm bundle (scripts/build-bundle.mjs) and the Action's (src/action/build.mjs) ship them.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The node_modules package directory a file belongs to, or null for the project's own files. */
export function packageDir(root, file) {
  const rel = path.relative(root, file).split(path.sep);
  const at = rel.lastIndexOf('node_modules');
  if (at < 0) return null;
  const name = rel[at + 1]?.startsWith('@') ? rel.slice(at + 1, at + 3) : rel.slice(at + 1, at + 2);
  return path.join(root, ...rel.slice(0, at + 1), ...name);
}

/** Each package's name, version and licence text, sorted by name, separated by `-----` lines. */
export function licenses(dirs) {
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

/** The package directories of the wasm files and every bundled input of a metafile. */
export function bundledPackages(root, wasm, metafile) {
  const packages = new Set(wasm.map(([pkg]) => packageDir(root, path.join(root, 'node_modules', pkg, 'package.json'))));
  for (const input of Object.keys(metafile.inputs)) packages.add(packageDir(root, path.join(root, input)));
  return [...packages].filter((d) => d !== null);
}
