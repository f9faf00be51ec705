import type { Range } from '../source/source-text.js';
import { Command, programOf } from './command-memo.js';
import { scanSimpleScript } from './shell-fast.js';
import { parseShellText, type ShellNode, type ShellTree } from './shell-parser.js';
import type { ShellCommand, ShellWord } from './types.js';

export type OffsetMap = (start: number, end: number) => Range;

export interface ExtractedCommands {
  commands: ShellCommand[];
  hasErrors: boolean;
}

/**
 * Parses a shell script and lists its simple commands, with file ranges through `map`. Plain command
 * lists are read directly; everything else goes to tree-sitter.
 */
export function extractCommands(text: string, map: OffsetMap, startIndex = 0): ExtractedCommands {
  return scanSimpleScript(text, map, startIndex) ?? extractCommandsTreeSitter(text, map, startIndex);
}

/** The same reading through tree-sitter alone: the reference the direct reader is tested against. */
export function extractCommandsTreeSitter(text: string, map: OffsetMap, startIndex = 0): ExtractedCommands {
  const tree = parseShellText(text);
  const commands: ShellCommand[] = [];
  try {
    const hasErrors = tree.rootNode.hasError;
    walk(tree, text, map, commands, startIndex, hasErrors);
    return { commands, hasErrors };
  } finally {
    tree.delete();
  }
}

const COMMAND_TYPES = new Set(['command', 'declaration_command', 'unset_command']);
const SUBSTITUTION_TYPES = new Set(['command_substitution', 'process_substitution']);

/**
 * Every command node in source order, walked with a cursor: only command nodes are turned into
 * objects, which is most of the cost of reading a tree node by node. Each step of the cursor crosses
 * into WebAssembly, so what cannot hold a command is not walked into (see `mayNest`).
 */
function walk(tree: ShellTree, text: string, map: OffsetMap, out: ShellCommand[], base: number, hasErrors: boolean): void {
  const cursor = tree.walk();
  try {
    // Depths of the substitutions being walked through: commands under one are `inSubstitution`.
    const substitutions: number[] = [];
    let depth = 0;
    for (;;) {
      const type = cursor.nodeType;
      let inside = true;
      if (COMMAND_TYPES.has(type) && cursor.nodeIsNamed) {
        const node = cursor.currentNode;
        const cmd = toCommand(node, substitutions.length > 0, text, map, base + out.length);
        if (cmd) out.push(cmd);
        inside = hasErrors || mayNest(text, node.startIndex, node.endIndex);
      }
      if (inside && cursor.gotoFirstChild()) {
        if (SUBSTITUTION_TYPES.has(type)) substitutions.push(depth);
        depth++;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return;
        depth--;
        if (substitutions[substitutions.length - 1] === depth) substitutions.pop();
      }
    }
  } finally {
    cursor.delete();
  }
}

/**
 * Whether a command's text may hold another command. In a tree without errors one nests in a command
 * only through a substitution: `$(...)`, backticks, `<(...)` or `>(...)`; any `(` or backtick is enough
 * to look inside.
 */
function mayNest(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 96) return true;
  }
  return false;
}

function toCommand(node: ShellNode, inSub: boolean, text: string, map: OffsetMap, index: number): ShellCommand | null {
  let nameNode: ShellNode | null = null;
  const args: ShellWord[] = [];
  if (node.type === 'command') {
    nameNode = node.childForFieldName('name');
    for (const a of node.childrenForFieldName('argument')) if (a) args.push(toWord(a, text, map));
  } else {
    // `export X=1`, `declare -x`, `unset X`: the keyword is the name.
    const first = node.child(0);
    if (!first) return null;
    nameNode = first;
    for (const c of node.namedChildren) if (c && c.id !== first.id) args.push(toWord(c, text, map));
  }
  if (!nameNode) return null;
  const nameWord = toWord(nameNode.type === 'command_name' ? (nameNode.namedChild(0) ?? nameNode) : nameNode, text, map);
  const name = nameWord.value;
  return new Command(name, programOf(name), nameWord, args, map(node.startIndex, node.endIndex), inSub, index);
}

function toWord(node: ShellNode, text: string, map: OffsetMap): ShellWord {
  const raw = text.slice(node.startIndex, node.endIndex);
  const { value, dynamic } = wordValue(node, raw);
  return { value, raw, range: map(node.startIndex, node.endIndex), dynamic };
}

function wordValue(node: ShellNode, raw: string): { value: string; dynamic: boolean } {
  switch (node.type) {
    case 'word':
    case 'number':
      return { value: raw.replace(/\\(.)/gs, '$1'), dynamic: false };
    case 'raw_string':
      return { value: raw.slice(1, -1), dynamic: false };
    case 'ansi_c_string':
      return { value: raw.slice(2, -1), dynamic: false };
    case 'string': {
      const inner = raw.slice(1, -1);
      const dynamic = node.namedChildren.some((c) => c !== null && c.type !== 'string_content');
      return { value: inner.replace(/\\([$`"\\\n])/g, '$1'), dynamic };
    }
    case 'concatenation': {
      let value = '';
      let dynamic = false;
      let last = node.startIndex;
      for (const c of node.children) {
        if (!c) continue;
        // Text between children (rare) is kept as written.
        if (c.startIndex > last) value += raw.slice(last - node.startIndex, c.startIndex - node.startIndex);
        const part = wordValue(c, raw.slice(c.startIndex - node.startIndex, c.endIndex - node.startIndex));
        value += part.value;
        dynamic ||= part.dynamic;
        last = c.endIndex;
      }
      return { value, dynamic };
    }
    case 'simple_expansion':
    case 'expansion':
    case 'command_substitution':
    case 'process_substitution':
    case 'arithmetic_expansion':
      return { value: raw, dynamic: true };
    default:
      return { value: raw, dynamic: false };
  }
}
