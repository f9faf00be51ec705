// The shell grammar (tree-sitter-bash, compiled to WebAssembly). Loaded once per process, before
// any model is built; parsing is synchronous after that.
import { createRequire } from 'node:module';
import { Parser, Language, type Node, type Tree } from 'web-tree-sitter';

let parser: Parser | null = null;
let loading: Promise<void> | null = null;

export function initShellParser(): Promise<void> {
  if (parser) return Promise.resolve();
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    await Parser.init();
    const language = await Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
    const p = new Parser();
    p.setLanguage(language);
    parser = p;
  })();
  return loading;
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
