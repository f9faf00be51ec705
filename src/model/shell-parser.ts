// The shell grammar (tree-sitter-bash, compiled to WebAssembly). Loaded once per process, before
// any model is built; parsing is synchronous after that.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Parser, Language, type Node, type Tree } from 'web-tree-sitter';

let parser: Parser | null = null;
let loading: Promise<void> | null = null;

let baselineOnly = false;

/**
 * For a command that exits when its report is written: V8 recompiles the grammar's hot functions in
 * the background with its optimizing tier, and Node waits for that work before the process may exit
 * (about half a second after the report of a small file). The baseline tier alone lints as fast, so
 * the command (bin/layerlint.js) turns the optimizing tier off, here, when the grammar first loads:
 * a run that needs no grammar does not even load node:v8. A library user's process is left as it is.
 */
export function useBaselineWasm(): void {
  baselineOnly = true;
}

export function initShellParser(): Promise<void> {
  if (parser) return Promise.resolve();
  loading ??= (async () => {
    if (baselineOnly) (createRequire(import.meta.url)('node:v8') as typeof import('node:v8')).setFlagsFromString('--liftoff-only');
    await Parser.init();
    const language = await Language.load(bashGrammarPath());
    const p = new Parser();
    p.setLanguage(language);
    parser = p;
  })();
  return loading;
}

/**
 * The grammar from the installed tree-sitter-bash package; a bundle (the GitHub Action) has no
 * packages to resolve and carries the grammar next to itself instead.
 */
function bashGrammarPath(): string {
  try {
    return createRequire(import.meta.url).resolve('tree-sitter-bash/tree-sitter-bash.wasm');
  } catch (error) {
    const beside = fileURLToPath(new URL('tree-sitter-bash.wasm', import.meta.url));
    if (existsSync(beside)) return beside;
    throw error;
  }
}

/**
 * Thrown when a script needs the grammar before it is loaded. Most scripts are read without it
 * (shell-fast.ts), so a small run does not load it up front: it runs, and if this is thrown, loads
 * the grammar and runs again (withShellParser). Rule runners let it through.
 */
export class ShellParserNotReady extends Error {
  override readonly name = 'ShellParserNotReady';
  constructor() {
    super('shell parser used before initShellParser() finished');
  }
}

/** Runs `work` without loading the grammar first; when it turns out to need it, loads it and runs `work` again. */
export async function withShellParser<T>(work: () => T | Promise<T>): Promise<T> {
  if (parser) return work();
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ShellParserNotReady)) throw error;
    await initShellParser();
    return work();
  }
}

export function isShellParserReady(): boolean {
  return parser !== null;
}

export function parseShellText(text: string): Tree {
  if (!parser) throw new ShellParserNotReady();
  const tree = parser.parse(text);
  if (!tree) throw new Error('shell parser returned no tree');
  return tree;
}

export type { Node as ShellNode, Tree as ShellTree };
