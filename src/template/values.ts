// The values a template computes with, and the Python semantics Jinja gives them. Rendering never
// touches a JavaScript object by a name a template chose: dicts are Maps, lists are arrays read by
// index, and every other value is an instance of one of the classes below. So a template can reach
// nothing but the data it was given, and every operation either does what Python does or fails.

/** Names that lead from a value to the host in JavaScript; refused wherever a template names them. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set([
  'constructor', 'prototype', '__proto__', 'process', 'require', 'globalThis', 'global', 'module', 'exports', 'eval', 'Function',
  '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__', 'import',
]);

/** Also every dunder name: Jinja's sandbox refuses them, and in JavaScript they reach internals. */
export function forbiddenName(name: string): boolean {
  return FORBIDDEN_NAMES.has(name) || name.startsWith('__');
}

/** A failure Jinja would also raise while rendering; the interpreter adds the template position. */
export class RenderError extends Error {
  override readonly name = 'RenderError';
}

/** Jinja's default Undefined: prints as nothing, iterates as empty, fails on any other use. */
export class Undefined {
  constructor(readonly hint: string) {
    Object.freeze(this);
  }
}

export function undefinedValue(hint: string): Undefined {
  return new Undefined(hint);
}

export type DictKey = string | number;

/** A Python dict: insertion-ordered, keyed by strings or integers. No template can change one. */
export class PyDict {
  readonly map: Map<DictKey, Value>;
  constructor(entries?: Iterable<[DictKey, Value]>) {
    this.map = new Map(entries);
    Object.freeze(this);
  }
}

export class PyTuple {
  constructor(readonly items: readonly Value[]) {
    Object.freeze(this.items);
    Object.freeze(this);
  }
}

/** A Python range object; only its items and its repr are used. */
export class PyRange {
  constructor(
    readonly start: number,
    readonly stop: number,
    readonly step: number,
  ) {
    Object.freeze(this);
  }
  items(): number[] {
    const out: number[] = [];
    if (this.step > 0) for (let i = this.start; i < this.stop; i += this.step) out.push(i);
    else for (let i = this.start; i > this.stop; i += this.step) out.push(i);
    return out;
  }
}

/** A one-shot Python iterator (what `reverse`, `unique` and dict views' iteration return). */
export class PyIterator {
  private position = 0;
  constructor(private readonly items: readonly Value[]) {}
  rest(): Value[] {
    const out = this.items.slice(this.position);
    this.position = this.items.length;
    return out;
  }
  next(): Value | undefined {
    return this.position < this.items.length ? this.items[this.position++] : undefined;
  }
}

/** `dict.items()`, `.keys()`, `.values()`: iterable and sized, but they print as Python objects. */
export class DictView {
  constructor(
    readonly kind: 'items' | 'keys' | 'values',
    readonly items: readonly Value[],
  ) {
    Object.freeze(this);
  }
}

export interface CallArguments {
  args: Value[];
  kwargs: Map<string, Value>;
}

/** What a function that needs the render context (Kolla's `pass_context` helpers) may read. */
export interface ContextView {
  /** A variable of the template context (set at the top level or given to the render), not a local. */
  lookup(name: string): Value | undefined;
}

/** Anything callable from a template: macros, the supported globals, bound methods. */
export abstract class PyCallable {
  abstract readonly description: string;
  abstract call(call: CallArguments, context: ContextView): Value;
}

/** A function implemented by layerlint with Python semantics. */
export class BuiltinFunction extends PyCallable {
  constructor(
    readonly description: string,
    private readonly impl: (call: CallArguments, context: ContextView) => Value,
  ) {
    super();
    Object.freeze(this);
  }
  call(call: CallArguments, context: ContextView): Value {
    return this.impl(call, context);
  }
}

/** An imported template: its exported macros and top-level variables, and what its body printed. */
export class TemplateModule {
  constructor(
    readonly name: string,
    readonly exports: ReadonlyMap<string, Value>,
    readonly body: string,
  ) {
    Object.freeze(this);
  }
}

/** A template passed as a value (Kolla's `parent_template`), usable only with extends/include/import. */
export class TemplateValue {
  constructor(
    readonly name: string,
    /** The compiled template; never reachable from a template, which can only extend, include or import it. */
    readonly template: object,
  ) {
    Object.freeze(this);
  }
}

export type Value =
  | string
  | number
  | boolean
  | null
  | Undefined
  | Value[]
  | PyTuple
  | PyDict
  | PyRange
  | PyIterator
  | DictView
  | PyCallable
  | TemplateModule
  | TemplateValue
  | LoopObject;

/** Jinja's `loop` variable. */
export class LoopObject {
  private lastChanged: Value[] | null = null;
  constructor(
    readonly items: readonly Value[],
    public index0: number,
  ) {}
  attribute(name: string): Value {
    const length = this.items.length;
    switch (name) {
      case 'index':
        return this.index0 + 1;
      case 'index0':
        return this.index0;
      case 'revindex':
        return length - this.index0;
      case 'revindex0':
        return length - this.index0 - 1;
      case 'first':
        return this.index0 === 0;
      case 'last':
        return this.index0 === length - 1;
      case 'length':
        return length;
      case 'depth':
        return 1;
      case 'depth0':
        return 0;
      case 'previtem':
        return this.index0 > 0 ? (this.items[this.index0 - 1] as Value) : undefinedValue('there is no previous item');
      case 'nextitem':
        return this.index0 < length - 1 ? (this.items[this.index0 + 1] as Value) : undefinedValue('there is no next item');
      case 'cycle':
        return new BuiltinFunction('loop.cycle', ({ args, kwargs }) => {
          noKeywords('loop.cycle', kwargs);
          if (args.length === 0) throw new RenderError('no items for cycling given');
          return args[this.index0 % args.length] as Value;
        });
      case 'changed':
        return new BuiltinFunction('loop.changed', ({ args, kwargs }) => {
          noKeywords('loop.changed', kwargs);
          const previous = this.lastChanged;
          this.lastChanged = args;
          return previous === null || !pyEq(new PyTuple(previous), new PyTuple(args));
        });
      default:
        return undefinedValue(`'LoopContext object' has no attribute '${name}'`);
    }
  }
}

export function noKeywords(what: string, kwargs: ReadonlyMap<string, Value>): void {
  const first = kwargs.keys().next();
  if (!first.done) throw new RenderError(`${what}() got an unexpected keyword argument '${first.value}'`);
}

export function typeName(v: Value): string {
  if (v === null) return 'NoneType';
  if (v instanceof Undefined) return 'Undefined';
  switch (typeof v) {
    case 'string':
      return 'str';
    case 'number':
      return 'int';
    case 'boolean':
      return 'bool';
  }
  if (Array.isArray(v)) return 'list';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof PyDict) return 'dict';
  if (v instanceof PyRange) return 'range';
  if (v instanceof PyIterator) return 'iterator';
  if (v instanceof DictView) return `dict_${v.kind}`;
  if (v instanceof TemplateModule) return 'TemplateModule';
  if (v instanceof TemplateValue) return 'Template';
  if (v instanceof LoopObject) return 'LoopContext';
  return 'function';
}

/** The hint of an Undefined as Jinja words it, for errors about using one. */
export function undefinedError(v: Undefined): RenderError {
  return new RenderError(v.hint);
}

export function truthy(v: Value): boolean {
  if (v === null || v instanceof Undefined) return false;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'string':
      return v.length > 0;
  }
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof PyTuple) return v.items.length > 0;
  if (v instanceof PyDict) return v.map.size > 0;
  if (v instanceof PyRange) return v.items().length > 0;
  if (v instanceof DictView) return v.items.length > 0;
  return true;
}

/** Python's int() view of a bool or int, else null. */
export function asInt(v: Value): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}

/** Python's `str()`. Objects Python would print with a memory address are refused. */
export function pyStr(v: Value): string {
  if (typeof v === 'string') return v;
  if (v instanceof Undefined) return '';
  if (v instanceof TemplateModule) return v.body;
  return pyRepr(v);
}

export function pyRepr(v: Value): string {
  if (v === null) return 'None';
  if (v instanceof Undefined) return 'Undefined';
  switch (typeof v) {
    case 'string':
      return reprString(v);
    case 'number':
      return String(v);
    case 'boolean':
      return v ? 'True' : 'False';
  }
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (v instanceof PyTuple) return v.items.length === 1 ? `(${pyRepr(v.items[0] as Value)},)` : `(${v.items.map(pyRepr).join(', ')})`;
  if (v instanceof PyDict) return `{${[...v.map].map(([k, item]) => `${pyRepr(k)}: ${pyRepr(item)}`).join(', ')}}`;
  if (v instanceof PyRange) return v.step === 1 ? `range(${v.start}, ${v.stop})` : `range(${v.start}, ${v.stop}, ${v.step})`;
  throw new RenderError(`a ${typeName(v)} cannot be printed: Python would print an object address`);
}

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NOT_PRINTABLE.test(ch)) {
      const code = ch.codePointAt(0) as number;
      if (code < 0x100) out += `\\x${code.toString(16).padStart(2, '0')}`;
      else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else out += `\\U${code.toString(16).padStart(8, '0')}`;
    } else out += ch;
  }
  return out + quote;
}

/** Python's `==`. */
export function pyEq(a: Value, b: Value): boolean {
  if (a === b) return true;
  const ia = asInt(a);
  const ib = asInt(b);
  if (ia !== null || ib !== null) return ia !== null && ib !== null && ia === ib;
  if (a instanceof Undefined || b instanceof Undefined) return a instanceof Undefined && b instanceof Undefined;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && seqEq(a, b);
  if (a instanceof PyTuple || b instanceof PyTuple) return a instanceof PyTuple && b instanceof PyTuple && seqEq(a.items, b.items);
  if (a instanceof PyDict && b instanceof PyDict) {
    if (a.map.size !== b.map.size) return false;
    for (const [k, v] of a.map) {
      if (!b.map.has(k) || !pyEq(v, b.map.get(k) as Value)) return false;
    }
    return true;
  }
  if (a instanceof PyRange && b instanceof PyRange) return seqEq(a.items(), b.items());
  return false;
}

function seqEq(a: readonly Value[], b: readonly Value[]): boolean {
  return a.length === b.length && a.every((x, i) => pyEq(x, b[i] as Value));
}

/** Python's ordering (`<`): numbers, strings by code point, lists and tuples item by item. */
export function pyCompare(a: Value, b: Value, op: string): number {
  if (a instanceof Undefined) throw undefinedError(a);
  if (b instanceof Undefined) throw undefinedError(b);
  const ia = asInt(a);
  const ib = asInt(b);
  if (ia !== null && ib !== null) return ia < ib ? -1 : ia > ib ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  const sa = Array.isArray(a) ? a : null;
  const sb = Array.isArray(b) ? b : null;
  const ta = a instanceof PyTuple ? a.items : sa;
  const tb = b instanceof PyTuple ? b.items : sb;
  if (ta !== null && tb !== null && Array.isArray(a) === Array.isArray(b)) {
    for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
      if (!pyEq(ta[i] as Value, tb[i] as Value)) return pyCompare(ta[i] as Value, tb[i] as Value, op);
    }
    return ta.length - tb.length;
  }
  throw new RenderError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after every other BMP unit in code point order.
    const cx = x >= 0xd800 && x <= 0xdfff ? (a.codePointAt(i) as number) : x;
    const cy = y >= 0xd800 && y <= 0xdfff ? (b.codePointAt(i) as number) : y;
    return cx < cy ? -1 : 1;
  }
  return a.length - b.length;
}

/** The items a Python `for` loop would see. */
export function iterate(v: Value): Value[] {
  if (v instanceof Undefined) return [];
  if (typeof v === 'string') return Array.from(v);
  if (Array.isArray(v)) return v.slice();
  if (v instanceof PyTuple) return v.items.slice();
  if (v instanceof PyDict) return [...v.map.keys()];
  if (v instanceof PyRange) return v.items();
  if (v instanceof DictView) return v.items.slice();
  if (v instanceof PyIterator) return v.rest();
  throw new RenderError(`'${typeName(v)}' object is not iterable`);
}

/** Python's `len()`. */
export function pyLen(v: Value): number {
  if (v instanceof Undefined) return 0;
  if (typeof v === 'string') return codePointLength(v);
  if (Array.isArray(v)) return v.length;
  if (v instanceof PyTuple) return v.items.length;
  if (v instanceof PyDict) return v.map.size;
  if (v instanceof PyRange) return v.items().length;
  if (v instanceof DictView) return v.items.length;
  throw new RenderError(`object of type '${typeName(v)}' has no len()`);
}

export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

/** A dict key as Python hashes it: True and 1 are the same key; unhashable values are refused. */
export function dictKey(v: Value): DictKey {
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new RenderError(`dict keys must be strings or integers here, not ${typeName(v)}`);
}

/** The whitespace of Python's `str.isspace()` (JavaScript's `\s` differs in a few code points). */
export const PY_WHITESPACE = ' \t\n\r\v\f\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

export function isPySpace(ch: string): boolean {
  return ch.length === 1 && PY_WHITESPACE.includes(ch);
}

export function pyStrip(s: string, chars: string | null, left: boolean, right: boolean): string {
  const strip = chars === null ? isPySpace : (ch: string) => chars.includes(ch);
  const cps = Array.from(s);
  let start = 0;
  let end = cps.length;
  if (left) while (start < end && strip(cps[start] as string)) start++;
  if (right) while (end > start && strip(cps[end - 1] as string)) end--;
  return cps.slice(start, end).join('');
}

/** An integer result, refused when it leaves the range a JavaScript number holds exactly. */
export function checkedInt(n: number): number {
  if (!Number.isSafeInteger(n)) throw new RenderError(`integer result out of the supported range (±2^53): Python would compute it exactly`);
  return n === 0 ? 0 : n;
}
