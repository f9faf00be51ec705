// Operators, attribute and item access, and the Python methods templates may call, each with the
// result Python gives. What is not implemented fails by name instead of falling back on JavaScript.
import {
  BuiltinFunction,
  DictView,
  LoopObject,
  PyCallable,
  PyDict,
  PyRange,
  PyTuple,
  RenderError,
  TemplateModule,
  Undefined,
  asInt,
  checkedInt,
  codePointLength,
  dictKey,
  forbiddenName,
  isPySpace,
  iterate,
  pyEq,
  pyRepr,
  pyStr,
  pyStrip,
  typeName,
  undefinedError,
  undefinedValue,
  type CallArguments,
  type Value,
} from './values.js';

/** Longest string (characters) and list (items) an operator may build: far beyond any Dockerfile, short of exhausting memory. */
export const MAX_SEQUENCE = 10_000_000;
export const MAX_LIST = 1_000_000;

function failOnUndefined(...values: Value[]): void {
  for (const v of values) if (v instanceof Undefined) throw undefinedError(v);
}

function unsupported(op: string, a: Value, b: Value): RenderError {
  return new RenderError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

export function pyAdd(a: Value, b: Value): Value {
  failOnUndefined(a, b);
  const ia = asInt(a);
  const ib = asInt(b);
  if (ia !== null && ib !== null) return checkedInt(ia + ib);
  if (typeof a === 'string' && typeof b === 'string') return limitString(a + b);
  if (Array.isArray(a) && Array.isArray(b)) return limitList([...a, ...b]);
  if (a instanceof PyTuple && b instanceof PyTuple) return new PyTuple(limitList([...a.items, ...b.items]));
  if (typeof a === 'string') throw new RenderError(`can only concatenate str (not "${typeName(b)}") to str`);
  if (Array.isArray(a)) throw new RenderError(`can only concatenate list (not "${typeName(b)}") to list`);
  if (a instanceof PyTuple) throw new RenderError(`can only concatenate tuple (not "${typeName(b)}") to tuple`);
  throw unsupported('+', a, b);
}

export function pySub(a: Value, b: Value): Value {
  failOnUndefined(a, b);
  const ia = asInt(a);
  const ib = asInt(b);
  if (ia !== null && ib !== null) return checkedInt(ia - ib);
  throw unsupported('-', a, b);
}

export function pyMul(a: Value, b: Value): Value {
  failOnUndefined(a, b);
  const ia = asInt(a);
  const ib = asInt(b);
  if (ia !== null && ib !== null) return checkedInt(ia * ib);
  const [seq, count] = ib !== null ? [a, ib] : ia !== null ? [b, ia] : [null, null];
  if (seq !== null && count !== null) {
    const n = Math.max(0, count);
    if (typeof seq === 'string') {
      if (seq.length * n > MAX_SEQUENCE) throw tooLong();
      return seq.repeat(n);
    }
    if (Array.isArray(seq) || seq instanceof PyTuple) {
      const items = Array.isArray(seq) ? seq : seq.items;
      if (items.length * n > MAX_LIST) throw tooLong(MAX_LIST);
      const out: Value[] = [];
      for (let i = 0; i < n; i++) out.push(...items);
      return Array.isArray(seq) ? out : new PyTuple(out);
    }
  }
  if (typeof a === 'string' || typeof b === 'string' || Array.isArray(a) || Array.isArray(b)) {
    throw new RenderError(`can't multiply sequence by non-int of type '${typeName(Array.isArray(a) || typeof a === 'string' ? b : a)}'`);
  }
  throw unsupported('*', a, b);
}

export function pyTrueDiv(a: Value, b: Value): Value {
  failOnUndefined(a, b);
  throw new RenderError(`'/' is not supported: it makes a float (${pyRepr(a)} / ${pyRepr(b)}), and floats are not supported; use '//' for integer division`);
}

export function pyFloorDiv(a: Value, b: Value): Value {
  failOnUndefined(a, b);
  const ia = asInt(a);
  const ib = asInt(b);
  if (ia === null || ib === null) throw unsupported('//', a, b);
  if (ib === 0) throw new RenderError('integer division or modulo by zero');
  return checkedInt(Math.floor(ia / ib));
}

export function pyMod(a: Value, b: Value): Value {
  failOnUndefined(a);
  if (typeof a === 'string') return percentFormat(a, b);
  failOnUndefined(b);
  const ia = asInt(a);
  const ib = asInt(b);
  if (ia === null || ib === null) throw unsupported('%', a, b);
  if (ib === 0) throw new RenderError('integer division or modulo by zero');
  return checkedInt(((ia % ib) + ib) % ib);
}

export function pyPow(a: Value, b: Value): Value {
  failOnUndefined(a, b);
  const ia = asInt(a);
  const ib = asInt(b);
  if (ia === null || ib === null) throw unsupported('** or pow()', a, b);
  if (ib < 0) throw new RenderError('a negative exponent makes a float, and floats are not supported');
  return checkedInt(ia ** ib);
}

export function pyNeg(a: Value): Value {
  failOnUndefined(a);
  const ia = asInt(a);
  if (ia === null) throw new RenderError(`bad operand type for unary -: '${typeName(a)}'`);
  return checkedInt(-ia);
}

export function pyPos(a: Value): Value {
  failOnUndefined(a);
  const ia = asInt(a);
  if (ia === null) throw new RenderError(`bad operand type for unary +: '${typeName(a)}'`);
  return ia;
}

/** Python's `in`. */
export function pyIn(item: Value, container: Value): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new RenderError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (container instanceof PyDict) {
    if (Array.isArray(item) || item instanceof PyDict) throw new RenderError(`unhashable type: '${typeName(item)}'`);
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') return container.map.has(dictKey(item));
    return false;
  }
  if (container instanceof Undefined) return false;
  return iterate(container).some((x) => pyEq(x, item));
}

function tooLong(limit = MAX_SEQUENCE): RenderError {
  return new RenderError(`result longer than ${limit} items: refused`);
}

function limitString(s: string): string {
  if (s.length > MAX_SEQUENCE) throw tooLong();
  return s;
}

function limitList<T>(items: T[]): T[] {
  if (items.length > MAX_LIST) throw tooLong(MAX_LIST);
  return items;
}

// ---------------------------------------------------------------------------------------------
// Attribute and item access, as Jinja's sandboxed environment does it: attribute first, then item
// for `a.b`; item first, then attribute for `a[b]`; anything missing is Undefined.

const STR_ATTRIBUTES = new Set([
  'capitalize', 'casefold', 'center', 'count', 'encode', 'endswith', 'expandtabs', 'find', 'format', 'format_map', 'index',
  'isalnum', 'isalpha', 'isascii', 'isdecimal', 'isdigit', 'isidentifier', 'islower', 'isnumeric', 'isprintable', 'isspace',
  'istitle', 'isupper', 'join', 'ljust', 'lower', 'lstrip', 'maketrans', 'partition', 'removeprefix', 'removesuffix', 'replace',
  'rfind', 'rindex', 'rjust', 'rpartition', 'rsplit', 'rstrip', 'split', 'splitlines', 'startswith', 'strip', 'swapcase', 'title',
  'translate', 'upper', 'zfill',
]);
const LIST_ATTRIBUTES = new Set(['append', 'clear', 'copy', 'count', 'extend', 'index', 'insert', 'pop', 'remove', 'reverse', 'sort']);
const TUPLE_ATTRIBUTES = new Set(['count', 'index']);
const DICT_ATTRIBUTES = new Set(['clear', 'copy', 'fromkeys', 'get', 'items', 'keys', 'pop', 'popitem', 'setdefault', 'update', 'values']);
const INT_ATTRIBUTES = new Set([
  'as_integer_ratio', 'bit_count', 'bit_length', 'conjugate', 'denominator', 'from_bytes', 'imag', 'is_integer', 'numerator', 'real', 'to_bytes',
]);

type Method = (self: never, call: CallArguments) => Value;

export function getattr(obj: Value, name: string): Value {
  if (forbiddenName(name)) throw new RenderError(`the attribute '${name}' is not allowed: it could reach the JavaScript host`);
  if (obj instanceof Undefined) throw undefinedError(obj);
  if (obj instanceof PyDict) {
    if (DICT_ATTRIBUTES.has(name)) return method(obj, 'dict', name, DICT_METHODS);
    const item = dictItem(obj, name);
    return item !== undefined ? item : undefinedValue(`'dict object' has no attribute '${name}'`);
  }
  if (typeof obj === 'string') {
    if (STR_ATTRIBUTES.has(name)) return method(obj, 'str', name, STR_METHODS);
    return undefinedValue(`'str object' has no attribute '${name}'`);
  }
  if (Array.isArray(obj)) {
    if (LIST_ATTRIBUTES.has(name)) return method(obj, 'list', name, LIST_METHODS);
    return undefinedValue(`'list object' has no attribute '${name}'`);
  }
  if (obj instanceof PyTuple) {
    if (TUPLE_ATTRIBUTES.has(name)) return method(obj, 'tuple', name, TUPLE_METHODS);
    return undefinedValue(`'tuple object' has no attribute '${name}'`);
  }
  if (typeof obj === 'number' || typeof obj === 'boolean') {
    if (INT_ATTRIBUTES.has(name)) throw new RenderError(`the ${typeName(obj)} attribute '${name}' is not supported`);
    return undefinedValue(`'${typeName(obj)} object' has no attribute '${name}'`);
  }
  if (obj === null) return undefinedValue(`'None' has no attribute '${name}'`);
  if (obj instanceof TemplateModule) {
    const exported = obj.exports.get(name);
    return exported !== undefined ? exported : undefinedValue(`the template '${obj.name}' does not export '${name}'`);
  }
  if (obj instanceof LoopObject) return obj.attribute(name);
  throw new RenderError(`attributes of a ${typeName(obj)} are not supported ('${name}')`);
}

function dictItem(d: PyDict, key: string | number): Value | undefined {
  return d.map.get(key);
}

function method(self: Value, type: string, name: string, table: ReadonlyMap<string, Method>): Value {
  const impl = table.get(name);
  if (!impl) throw new RenderError(`the ${type} method '${name}' is not supported`);
  return new BuiltinFunction(`${type}.${name}`, (call) => impl(self as never, call));
}

export function getitem(obj: Value, key: Value): Value {
  if (typeof key === 'string' && forbiddenName(key)) throw new RenderError(`the item '${key}' is not allowed: it could reach the JavaScript host`);
  if (obj instanceof Undefined) throw undefinedError(obj);
  if (key instanceof SliceKey) return slice(obj, key);
  if (Array.isArray(obj) || obj instanceof PyTuple || typeof obj === 'string' || obj instanceof PyRange) {
    const index = asInt(key);
    if (index !== null) {
      const items = typeof obj === 'string' ? Array.from(obj) : Array.isArray(obj) ? obj : obj instanceof PyRange ? obj.items() : obj.items;
      const i = index < 0 ? items.length + index : index;
      if (i >= 0 && i < items.length) return items[i] as Value;
      return undefinedValue(`${typeName(obj)} index out of range`);
    }
  } else if (obj instanceof PyDict) {
    if (typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean') {
      const found = dictItem(obj, dictKey(key));
      if (found !== undefined) return found;
    }
  }
  if (typeof key === 'string') return getattr(obj, key);
  return undefinedValue(`${typeName(obj)} has no item ${pyRepr(key)}`);
}

/** `a[start:stop:step]`; only used as the key of getitem. */
export class SliceKey {
  constructor(
    readonly start: Value,
    readonly stop: Value,
    readonly step: Value,
  ) {}
}

function sliceBound(v: Value, what: string): number | null {
  if (v === null || v instanceof Undefined) return null;
  const n = asInt(v);
  if (n === null) throw new RenderError(`slice ${what} must be an integer or None, not ${typeName(v)}`);
  return n;
}

function slice(obj: Value, key: SliceKey): Value {
  if (obj instanceof PyRange) throw new RenderError('slicing a range is not supported');
  const items = typeof obj === 'string' ? Array.from(obj) : Array.isArray(obj) ? obj : obj instanceof PyTuple ? obj.items : null;
  if (items === null) throw new RenderError(`'${typeName(obj)}' object is not subscriptable with a slice`);
  const step = sliceBound(key.step, 'step') ?? 1;
  if (step === 0) throw new RenderError('slice step cannot be zero');
  const n = items.length;
  const norm = (v: number | null, dflt: number, lo: number, hi: number): number => {
    if (v === null) return dflt;
    const x = v < 0 ? v + n : v;
    return Math.min(Math.max(x, lo), hi);
  };
  const start = step > 0 ? norm(sliceBound(key.start, 'start'), 0, 0, n) : norm(sliceBound(key.start, 'start'), n - 1, -1, n - 1);
  const stop = step > 0 ? norm(sliceBound(key.stop, 'stop'), n, 0, n) : norm(sliceBound(key.stop, 'stop'), -1, -1, n - 1);
  const out: Value[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(items[i] as Value);
  else for (let i = start; i > stop; i += step) out.push(items[i] as Value);
  if (typeof obj === 'string') return (out as string[]).join('');
  return Array.isArray(obj) ? out : new PyTuple(out);
}

// ---------------------------------------------------------------------------------------------
// Methods.

interface Param {
  name: string;
  default?: Value;
}

/** Binds positional and keyword arguments to parameters as Python does; missing required ones fail. */
export function bindArguments(what: string, params: readonly Param[], { args, kwargs }: CallArguments): Value[] {
  if (args.length > params.length) throw new RenderError(`${what}() takes at most ${params.length} argument${params.length === 1 ? '' : 's'} (${args.length} given)`);
  const out: Value[] = [];
  params.forEach((p, i) => {
    const positional = i < args.length;
    const keyword = kwargs.has(p.name);
    if (positional && keyword) throw new RenderError(`${what}() got multiple values for argument '${p.name}'`);
    if (positional) out.push(args[i] as Value);
    else if (keyword) out.push(kwargs.get(p.name) as Value);
    else if (p.default !== undefined) out.push(p.default);
    else throw new RenderError(`${what}() missing required argument '${p.name}'`);
  });
  for (const k of kwargs.keys()) {
    if (!params.some((p) => p.name === k)) throw new RenderError(`${what}() got an unexpected keyword argument '${k}'`);
  }
  return out;
}

function str(v: Value, what: string): string {
  if (typeof v !== 'string') throw new RenderError(`${what} must be str, not ${typeName(v)}`);
  return v;
}

function optionalInt(v: Value, what: string): number | null {
  if (v === null) return null;
  const n = asInt(v);
  if (n === null) throw new RenderError(`${what} must be an integer, not ${typeName(v)}`);
  return n;
}

function prefixes(v: Value, what: string): string[] {
  if (v instanceof PyTuple) return v.items.map((x) => str(x, what));
  return [str(v, what)];
}

const STR_METHODS: ReadonlyMap<string, Method> = new Map<string, Method>([
  ['upper', (s: string, c) => (bindArguments('str.upper', [], c), s.toUpperCase())],
  ['lower', (s: string, c) => (bindArguments('str.lower', [], c), s.toLowerCase())],
  ['strip', (s: string, c) => stripMethod('strip', s, c, true, true)],
  ['lstrip', (s: string, c) => stripMethod('lstrip', s, c, true, false)],
  ['rstrip', (s: string, c) => stripMethod('rstrip', s, c, false, true)],
  ['startswith', (s: string, c) => {
    const [p] = bindArguments('str.startswith', [{ name: 'prefix' }], c);
    return prefixes(p as Value, 'startswith first arg').some((x) => s.startsWith(x));
  }],
  ['endswith', (s: string, c) => {
    const [p] = bindArguments('str.endswith', [{ name: 'suffix' }], c);
    return prefixes(p as Value, 'endswith first arg').some((x) => s.endsWith(x));
  }],
  ['replace', (s: string, c) => {
    const [old, replacement, count] = bindArguments('str.replace', [{ name: 'old' }, { name: 'new' }, { name: 'count', default: -1 }], c);
    return pyReplace(s, str(old as Value, 'replace() argument 1'), str(replacement as Value, 'replace() argument 2'), optionalInt(count as Value, 'count') ?? -1);
  }],
  ['split', (s: string, c) => {
    const [sep, max] = bindArguments('str.split', [{ name: 'sep', default: null }, { name: 'maxsplit', default: -1 }], c);
    return pySplit(s, sep === null ? null : str(sep as Value, 'sep'), optionalInt(max as Value, 'maxsplit') ?? -1);
  }],
  ['rsplit', (s: string, c) => {
    const [sep, max] = bindArguments('str.rsplit', [{ name: 'sep', default: null }, { name: 'maxsplit', default: -1 }], c);
    return pyRsplit(s, sep === null ? null : str(sep as Value, 'sep'), optionalInt(max as Value, 'maxsplit') ?? -1);
  }],
  ['splitlines', (s: string, c) => {
    const [keep] = bindArguments('str.splitlines', [{ name: 'keepends', default: false }], c);
    return pySplitlines(s, keep === true || asInt(keep as Value) === 1);
  }],
  ['join', (s: string, c) => {
    const [items] = bindArguments('str.join', [{ name: 'iterable' }], c);
    return limitString(iterate(items as Value).map((x, i) => {
      if (typeof x !== 'string') throw new RenderError(`sequence item ${i}: expected str instance, ${typeName(x)} found`);
      return x;
    }).join(s));
  }],
  ['find', (s: string, c) => findMethod('find', s, c, false, false)],
  ['rfind', (s: string, c) => findMethod('rfind', s, c, true, false)],
  ['index', (s: string, c) => findMethod('index', s, c, false, true)],
  ['rindex', (s: string, c) => findMethod('rindex', s, c, true, true)],
  ['count', (s: string, c) => {
    const [sub] = bindArguments('str.count', [{ name: 'sub' }], c);
    const needle = str(sub as Value, 'count() argument');
    if (needle === '') return codePointLength(s) + 1;
    return s.split(needle).length - 1;
  }],
  ['removeprefix', (s: string, c) => {
    const [p] = bindArguments('str.removeprefix', [{ name: 'prefix' }], c);
    const prefix = str(p as Value, 'removeprefix() argument');
    return s.startsWith(prefix) ? s.slice(prefix.length) : s;
  }],
  ['removesuffix', (s: string, c) => {
    const [p] = bindArguments('str.removesuffix', [{ name: 'suffix' }], c);
    const suffix = str(p as Value, 'removesuffix() argument');
    return suffix !== '' && s.endsWith(suffix) ? s.slice(0, -suffix.length) : s;
  }],
]);

function stripMethod(name: string, s: string, c: CallArguments, left: boolean, right: boolean): string {
  const [chars] = bindArguments(`str.${name}`, [{ name: 'chars', default: null }], c);
  return pyStrip(s, chars === null ? null : str(chars as Value, `${name} arg`), left, right);
}

function findMethod(name: string, s: string, c: CallArguments, fromRight: boolean, raise: boolean): number {
  const [sub] = bindArguments(`str.${name}`, [{ name: 'sub' }], c);
  const needle = str(sub as Value, `${name}() argument`);
  const at = fromRight ? s.lastIndexOf(needle) : s.indexOf(needle);
  if (at < 0) {
    if (raise) throw new RenderError('substring not found');
    return -1;
  }
  return codePointLength(s.slice(0, at));
}

export function pyReplace(s: string, old: string, replacement: string, count: number): string {
  if (count < 0 && old !== '') return limitString(s.split(old).join(replacement));
  if (old === '') {
    if (count < 0) count = Number.MAX_SAFE_INTEGER;
    const cps = Array.from(s);
    let out = '';
    let done = 0;
    for (let i = 0; i <= cps.length; i++) {
      if (done < count) {
        out += replacement;
        done++;
      }
      if (i < cps.length) out += cps[i];
    }
    return limitString(out);
  }
  const parts = s.split(old);
  const head = parts.slice(0, count + 1).join(replacement);
  const tail = parts.slice(count + 1);
  return limitString(tail.length > 0 ? [head, ...tail].join(old) : head);
}

export function pySplit(s: string, sep: string | null, maxsplit: number): string[] {
  if (sep === '') throw new RenderError('empty separator');
  if (sep !== null) {
    const parts = s.split(sep);
    if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts;
    return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sep)];
  }
  const out: string[] = [];
  const cps = Array.from(s);
  let i = 0;
  while (i < cps.length) {
    while (i < cps.length && isPySpace(cps[i] as string)) i++;
    if (i >= cps.length) break;
    if (maxsplit >= 0 && out.length === maxsplit) {
      out.push(cps.slice(i).join(''));
      break;
    }
    let j = i;
    while (j < cps.length && !isPySpace(cps[j] as string)) j++;
    out.push(cps.slice(i, j).join(''));
    i = j;
  }
  return out;
}

function pyRsplit(s: string, sep: string | null, maxsplit: number): string[] {
  if (maxsplit < 0) return pySplit(s, sep, -1);
  if (sep === '') throw new RenderError('empty separator');
  if (sep !== null) {
    const parts = s.split(sep);
    if (parts.length <= maxsplit + 1) return parts;
    const cut = parts.length - maxsplit;
    return [parts.slice(0, cut).join(sep), ...parts.slice(cut)];
  }
  const reversed = pySplit(Array.from(s).reverse().join(''), null, maxsplit);
  return reversed.map((x) => Array.from(x).reverse().join('')).reverse();
}

const LINE_BREAKS = '\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029';

export function pySplitlines(s: string, keepends: boolean): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < s.length) {
    const ch = s[i] as string;
    if (LINE_BREAKS.includes(ch)) {
      const width = ch === '\r' && s[i + 1] === '\n' ? 2 : 1;
      out.push(s.slice(start, keepends ? i + width : i));
      i += width;
      start = i;
    } else i++;
  }
  if (start < s.length) out.push(s.slice(start));
  return out;
}

function indexOf(items: readonly Value[], c: CallArguments, what: string): number {
  const [x] = bindArguments(what, [{ name: 'value' }], c);
  const at = items.findIndex((y) => pyEq(y, x as Value));
  if (at < 0) throw new RenderError(`${pyRepr(x as Value)} is not in ${what.split('.')[0]}`);
  return at;
}

function countOf(items: readonly Value[], c: CallArguments, what: string): number {
  const [x] = bindArguments(what, [{ name: 'value' }], c);
  return items.filter((y) => pyEq(y, x as Value)).length;
}

const LIST_METHODS: ReadonlyMap<string, Method> = new Map<string, Method>([
  ['index', (l: Value[], c) => indexOf(l, c, 'list.index')],
  ['count', (l: Value[], c) => countOf(l, c, 'list.count')],
  ['copy', (l: Value[], c) => (bindArguments('list.copy', [], c), l.slice())],
]);

const TUPLE_METHODS: ReadonlyMap<string, Method> = new Map<string, Method>([
  ['index', (t: PyTuple, c) => indexOf(t.items, c, 'tuple.index')],
  ['count', (t: PyTuple, c) => countOf(t.items, c, 'tuple.count')],
]);

const DICT_METHODS: ReadonlyMap<string, Method> = new Map<string, Method>([
  ['items', (d: PyDict, c) => (bindArguments('dict.items', [], c), new DictView('items', [...d.map].map(([k, v]) => new PyTuple([k, v]))))],
  ['keys', (d: PyDict, c) => (bindArguments('dict.keys', [], c), new DictView('keys', [...d.map.keys()]))],
  ['values', (d: PyDict, c) => (bindArguments('dict.values', [], c), new DictView('values', [...d.map.values()]))],
  ['get', (d: PyDict, c) => {
    const [k, dflt] = bindArguments('dict.get', [{ name: 'key' }, { name: 'default', default: null }], c);
    const key = k as Value;
    if (typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean') {
      const found = d.map.get(dictKey(key));
      if (found !== undefined) return found;
    }
    return dflt as Value;
  }],
]);

// ---------------------------------------------------------------------------------------------
// printf-style formatting (`'%s' % x`, the `format` filter).

const SPEC = /%(?:\(([^)]*)\))?([#0\- +]*)(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])?/g;

export function percentFormat(format: string, operand: Value): string {
  const mapping = operand instanceof PyDict ? operand : null;
  const positional = operand instanceof PyTuple ? operand.items.slice() : mapping ? null : [operand];
  let used = 0;
  let usedMapping = false;
  const next = (): Value => {
    if (positional === null) {
      if (mapping !== null && !usedMapping) {
        usedMapping = true;
        return mapping;
      }
      throw new RenderError('format requires a mapping');
    }
    if (used >= positional.length) throw new RenderError('not enough arguments for format string');
    return positional[used++] as Value;
  };
  let out = '';
  let last = 0;
  SPEC.lastIndex = 0;
  for (let m = SPEC.exec(format); m !== null; m = SPEC.exec(format)) {
    out += format.slice(last, m.index);
    last = m.index + m[0].length;
    const [, key, flags = '', widthSpec, precisionSpec, type] = m;
    if (type === undefined) throw new RenderError('incomplete format');
    if (type === '%' && m[0] === '%%') {
      out += '%';
      continue;
    }
    let width = widthSpec === '*' ? asInt(next()) : widthSpec === undefined ? null : Number(widthSpec);
    const precision = precisionSpec === '*' ? asInt(next()) : precisionSpec === undefined ? null : Number(precisionSpec);
    let value: Value;
    if (key !== undefined) {
      if (mapping === null) throw new RenderError('format requires a mapping');
      usedMapping = true;
      const found = mapping.map.get(key);
      if (found === undefined) throw new RenderError(`KeyError: ${pyRepr(key)}`);
      value = found;
    } else value = next();
    let left = flags.includes('-');
    if (width !== null && width < 0) {
      left = true;
      width = -width;
    }
    out += pad(convert(type, value, flags, precision), width, left, flags.includes('0') && !left && 'diouxXfF'.includes(type));
  }
  out += format.slice(last);
  if (positional !== null && used < positional.length && mapping === null) {
    throw new RenderError('not all arguments converted during string formatting');
  }
  return limitString(out);
}

function pad(s: string, width: number | null, left: boolean, zero: boolean): string {
  const n = codePointLength(s);
  if (width === null || n >= width) return s;
  if (left) return s + ' '.repeat(width - n);
  if (zero) {
    const sign = /^[-+ ]/.test(s) ? s.charAt(0) : '';
    const prefix = /^[-+ ]?0[xXo]/.test(s) ? s.slice(0, sign.length + 2) : sign;
    return prefix + '0'.repeat(width - n) + s.slice(prefix.length);
  }
  return ' '.repeat(width - n) + s;
}

function convert(type: string, value: Value, flags: string, precision: number | null): string {
  switch (type) {
    case 's':
      return precision === null ? pyStr(value) : Array.from(pyStr(value)).slice(0, precision).join('');
    case 'r':
    case 'a': {
      const r = pyRepr(value);
      if (type === 'a' && /[^\x00-\x7f]/.test(r)) throw new RenderError('%a with non-ASCII text is not supported');
      return precision === null ? r : Array.from(r).slice(0, precision).join('');
    }
    case 'c': {
      if (typeof value === 'string' && codePointLength(value) === 1) return value;
      const n = asInt(value);
      if (n === null) throw new RenderError('%c requires int or char');
      return String.fromCodePoint(n);
    }
    case '%':
      throw new RenderError("unsupported format character '%'");
  }
  const n = asInt(value);
  if (n === null) throw new RenderError(`%${type} format: a real number is required, not ${typeName(value)}`);
  const sign = n < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  const abs = Math.abs(n);
  let digits: string;
  switch (type) {
    case 'd':
    case 'i':
    case 'u':
      digits = String(abs);
      if (precision !== null) digits = digits.padStart(precision, '0');
      break;
    case 'o':
      digits = (flags.includes('#') ? '0o' : '') + abs.toString(8);
      break;
    case 'x':
      digits = (flags.includes('#') ? '0x' : '') + abs.toString(16);
      break;
    case 'X':
      digits = (flags.includes('#') ? '0X' : '') + abs.toString(16).toUpperCase();
      break;
    case 'f':
    case 'F':
      digits = abs.toFixed(precision ?? 6);
      break;
    default:
      throw new RenderError(`%${type} makes a float representation, and floats are not supported`);
  }
  return sign + digits;
}

export function callValue(fn: Value, call: CallArguments, context: Parameters<PyCallable['call']>[1]): Value {
  if (fn instanceof Undefined) throw undefinedError(fn);
  if (fn instanceof PyCallable) return fn.call(call, context);
  throw new RenderError(`'${typeName(fn)}' object is not callable`);
}

