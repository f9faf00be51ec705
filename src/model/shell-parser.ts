// The shell grammar (tree-sitter-bash, compiled to WebAssembly). Loaded once per process, before
// any model is built; parsing is synchronous after that.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Parser, Language, type Node, type Tree } from 'web-tree-sitter';

let parser: Parser | null = null;
let loading: Promise<void> | null = null;

export function initShellParser(): Promise<void> {
  if (parser) return Promise.resolve();
  loading ??= (async () => {
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

export function isShellParserReady(): boolean {
  return parser !== null;
}

export function parseShellText(text: string): Tree {
  if (!parser) throw new Error('shell parser used before initShellParser() finished');
  const tree = parser.parse(text);
  if (!tree) throw new Error('shell parser returned no tree');
  return tree;
}

export type { Node as ShellNode, Tree as ShellTree };
