// Reading the variables templates are rendered with, from YAML or JSON, into template values. Only
// strings, integers, booleans, null, lists and mappings are accepted: a float would print differently
// in Python than in JavaScript, and no other type has a Jinja meaning worth guessing.
import { readFileSync, statSync } from 'node:fs';
import { isMap, isScalar, isSeq, isAlias, parseDocument, LineCounter, type Document, type Node } from 'yaml';
import { PyDict, type DictKey, type Value } from './values.js';

const MAX_VALUES_BYTES = 10 * 1024 * 1024;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class ValuesError extends Error {
  override readonly name = 'ValuesError';
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${detail}`);
  }
}

/** `values.json#rocky-x86_64` names one target of a file that holds several. */
export function splitValuesSpec(spec: string): { file: string; target: string | null } {
  const hash = spec.lastIndexOf('#');
  if (hash <= 0) return { file: spec, target: null };
  try {
    statSync(spec);
    return { file: spec, target: null };
  } catch {
    return { file: spec.slice(0, hash), target: spec.slice(hash + 1) };
  }
}

function readText(file: string): string {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_VALUES_BYTES) throw new ValuesError(file, `larger than ${MAX_VALUES_BYTES} bytes: refused`);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof ValuesError) throw error;
    throw new ValuesError(file, `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function readYamlFile(file: string, version: '1.1' | '1.2'): { doc: Document; lines: LineCounter } {
  const text = readText(file);
  const lines = new LineCounter();
  const doc = parseDocument(text, { version, lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) throw new ValuesError(file, `invalid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${error.message.split('\n')[0] as string}`, lines.linePos(error.pos[0]).line);
  return { doc, lines };
}

/** Converts a YAML document into template values, sharing the value of each anchor as PyYAML does. */
export function toValue(doc: Document, lines: LineCounter, file: string): Value {
  const memo = new Map<Node, Value>();
  const at = (node: Node | null | undefined): number | undefined => (node?.range ? lines.linePos(node.range[0]).line : undefined);
  const convert = (node: unknown, path: string): Value => {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return convert(node.resolve(doc), path);
    const n = node as Node;
    const seen = memo.get(n);
    if (seen !== undefined) return seen;
    let value: Value;
    if (isScalar(node)) {
      const v = node.value;
      if (v === null || typeof v === 'string' || typeof v === 'boolean') value = v;
      else if (typeof v === 'number') {
        const source = typeof node.source === 'string' ? node.source : String(v);
        if (!/^[-+]?\d+$/.test(source.trim()) || !Number.isSafeInteger(v)) {
          throw new ValuesError(file, `${path || 'value'}: ${source} is not an integer within ±2^53; other numbers are not supported (Python prints floats differently)`, at(n));
        }
        value = v;
      } else throw new ValuesError(file, `${path || 'value'}: values of this type are not supported (strings, integers, booleans, null, lists and mappings are)`, at(n));
    } else if (isSeq(node)) {
      const items: Value[] = [];
      memo.set(n, items);
      node.items.forEach((item, i) => items.push(convert(item, `${path}[${i}]`)));
      Object.freeze(items);
      return items;
    } else if (isMap(node)) {
      const dict = new PyDict();
      memo.set(n, dict);
      for (const pair of node.items) {
        const keyNode = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
        const key = isScalar(keyNode) ? keyNode.value : undefined;
        if (typeof key !== 'string' && !(typeof key === 'number' && Number.isSafeInteger(key))) {
          throw new ValuesError(file, `${path || 'value'}: mapping keys must be strings or integers`, at(pair.key as Node));
        }
        dict.map.set(key as DictKey, convert(pair.value, path ? `${path}.${String(key)}` : String(key)));
      }
      return dict;
    } else throw new ValuesError(file, `${path || 'value'}: unsupported YAML node`, at(n));
    memo.set(n, value);
    return value;
  };
  return convert(doc.contents, '');
}

/**
 * JSON read as Python's json module reads it into dicts: keys in file order (a JavaScript object would
 * move integer-like keys first), a repeated key keeps its first place and takes its last value.
 */
export function parseJsonValues(text: string, file: string): Value {
  let i = 0;
  const lineAt = (offset: number): number => text.slice(0, offset).split('\n').length;
  const fail = (message: string): never => {
    throw new ValuesError(file, `invalid JSON: ${message}`, lineAt(i));
  };
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const value = (path: string): Value => {
    space();
    const ch = text[i];
    if (ch === '{') {
      i++;
      const dict = new PyDict();
      space();
      if (text[i] === '}') {
        i++;
        return dict;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail('expected a string key');
        const key = string();
        space();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        dict.map.set(key, value(path ? `${path}.${key}` : key));
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return dict;
        } else fail("expected ',' or '}'");
      }
    }
    if (ch === '[') {
      i++;
      const items: Value[] = [];
      space();
      if (text[i] === ']') {
        i++;
        return Object.freeze(items) as Value[];
      }
      for (;;) {
        items.push(value(`${path}[${items.length}]`));
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return Object.freeze(items) as Value[];
        } else fail("expected ',' or ']'");
      }
    }
    if (ch === '"') return string();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    const number = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (number) {
      const n = Number(number[0]);
      if (number[1] !== undefined || number[2] !== undefined || !Number.isSafeInteger(n)) {
        throw new ValuesError(file, `${path || 'value'}: ${number[0]} is not an integer within ±2^53; other numbers are not supported (Python prints floats differently)`, lineAt(i));
      }
      i += number[0].length;
      return n;
    }
    if (/^-?(NaN|Infinity)/.test(text.slice(i, i + 10))) throw new ValuesError(file, `${path || 'value'}: NaN and Infinity are floats, which are not supported`, lineAt(i));
    return fail(ch === undefined ? 'unexpected end of file' : `unexpected '${ch}'`);
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      i = start;
      return fail('invalid string');
    }
  };
  const result = value('');
  space();
  if (i < text.length) fail('unexpected text after the value');
  return result;
}

export interface LoadedValues {
  file: string;
  target: string | null;
  values: Map<string, Value>;
}

/**
 * The variables of a values file. A file whose top-level keys are not variable names but targets
 * (`rocky-x86_64: {...}`) holds one set per target: one target is used as is, several need `#target`.
 */
export function loadValues(spec: string): LoadedValues {
  const { file, target } = splitValuesSpec(spec);
  let top: Value;
  if (file.toLowerCase().endsWith('.json')) {
    top = parseJsonValues(readText(file), file);
  } else {
    const { doc, lines } = readYamlFile(file, '1.2');
    top = toValue(doc, lines, file);
  }
  if (top === null) return { file, target, values: new Map() };
  if (!(top instanceof PyDict)) throw new ValuesError(file, 'the values file must hold a mapping of variables');
  let chosen = top;
  let chosenTarget = target;
  if (target !== null) {
    const inner = top.map.get(target);
    if (!(inner instanceof PyDict)) throw new ValuesError(file, `there is no target '${target}' (targets: ${[...top.map.keys()].join(', ')})`);
    chosen = inner;
  } else {
    const keys = [...top.map.keys()];
    const targets = keys.length > 0 && keys.every((k) => typeof k === 'string' && !IDENTIFIER.test(k) && top.map.get(k) instanceof PyDict);
    if (targets) {
      if (keys.length > 1) throw new ValuesError(file, `the file holds values for several targets (${keys.join(', ')}); choose one as ${file}#<target>`);
      chosen = top.map.get(keys[0] as string) as PyDict;
      chosenTarget = keys[0] as string;
    }
  }
  const values = new Map<string, Value>();
  for (const [k, v] of chosen.map) {
    if (typeof k !== 'string') throw new ValuesError(file, `variable names must be strings, not ${k}`);
    values.set(k, v);
  }
  return { file, target: chosenTarget, values };
}
