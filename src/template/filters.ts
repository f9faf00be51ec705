// The Jinja filters and tests a template may use, each following jinja2/filters.py and tests.py.
// Filters Jinja has but layerlint does not implement are refused when the template is compiled.
import {
  MAX_SEQUENCE,
  bindArguments,
  getitem,
  pyAdd,
  pyMod,
  pyReplace,
  pySplitlines,
  pyIn,
  percentFormat,
} from './ops.js';
import {
  DictView,
  PyCallable,
  PyDict,
  PyIterator,
  PyRange,
  PyTuple,
  RenderError,
  Undefined,
  asInt,
  checkedInt,
  iterate,
  pyCompare,
  pyEq,
  pyLen,
  pyStr,
  pyStrip,
  truthy,
  typeName,
  undefinedError,
  undefinedValue,
  type CallArguments,
  type ContextView,
  type Value,
} from './values.js';
import { customizable } from './kolla.js';

export type Filter = (value: Value, call: CallArguments, context: ContextView) => Value;
export type Test = (value: Value, call: CallArguments) => boolean;

/** Every filter of Jinja 3.1, to tell a filter layerlint does not implement from one that does not exist. */
export const JINJA_FILTERS: ReadonlySet<string> = new Set([
  'abs', 'attr', 'batch', 'capitalize', 'center', 'count', 'd', 'default', 'dictsort', 'e', 'escape', 'filesizeformat', 'first',
  'float', 'forceescape', 'format', 'groupby', 'indent', 'int', 'items', 'join', 'last', 'length', 'list', 'lower', 'map', 'max',
  'min', 'pprint', 'random', 'reject', 'rejectattr', 'replace', 'reverse', 'round', 'safe', 'select', 'selectattr', 'slice', 'sort',
  'string', 'striptags', 'sum', 'title', 'tojson', 'trim', 'truncate', 'unique', 'upper', 'urlencode', 'urlize', 'wordcount',
  'wordwrap', 'xmlattr',
]);

export const JINJA_TESTS: ReadonlySet<string> = new Set([
  'boolean', 'callable', 'defined', 'divisibleby', 'eq', 'equalto', 'escaped', 'even', 'false', 'filter', 'float', 'ge', 'gt',
  'greaterthan', 'in', 'integer', 'iterable', 'le', 'lower', 'lessthan', 'lt', 'mapping', 'ne', 'none', 'number', 'odd', 'sameas',
  'sequence', 'string', 'test', 'true', 'undefined', 'upper', '==', '!=', '<', '<=', '>', '>=',
]);

/** `str()` as Jinja's filters apply it (`soft_str`): Undefined becomes ''. */
const soft = pyStr;

/** A value that may be missing, where a missing one is Undefined (null is a value: None). */
function orUndefined(v: Value | undefined, hint: string): Value {
  return v === undefined ? undefinedValue(hint) : v;
}

function lowerIfString(v: Value): Value {
  return typeof v === 'string' ? v.toLowerCase() : v;
}

/** Jinja's attribute getter: `a.b.0` looks up each part, integers as items. */
function attributeGetter(attribute: Value): (item: Value) => Value {
  if (attribute === null) return (item) => item;
  if (typeof attribute === 'number') return (item) => getitem(item, attribute);
  if (typeof attribute !== 'string') throw new RenderError(`attribute must be a string, not ${typeName(attribute)}`);
  const parts = attribute.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return (item) => parts.reduce<Value>((v, p) => getitem(v, p), item);
}

function sortValues(items: Value[], key: (v: Value) => Value, reverse: boolean): Value[] {
  const keyed = items.map((item) => ({ item, key: key(item) }));
  keyed.sort((a, b) => (reverse ? pyCompare(b.key, a.key, '<') : pyCompare(a.key, b.key, '<')));
  return keyed.map((k) => k.item);
}

const INT_PATTERN = /^[+-]?\d+(?:_\d+)*$/;
const FLOAT_PATTERN = /^[+-]?(?:\d+(?:_\d+)*)?(?:\.\d+(?:_\d+)*)?(?:\.)?(?:[eE][+-]?\d+(?:_\d+)*)?$/;

function toInt(value: Value, dflt: Value, base: Value): Value {
  const b = asInt(base);
  if (b !== 10) throw new RenderError('the int filter supports base 10 only');
  if (typeof value === 'string') {
    const s = pyStrip(value, null, true, true);
    if (INT_PATTERN.test(s)) return checkedInt(Number(s.replace(/_/g, '')));
    // Jinja falls back on int(float(value)), and on the default when that fails (NaN, infinity).
    if (/\d/.test(s) && FLOAT_PATTERN.test(s)) {
      const f = Number(s.replace(/_/g, ''));
      return Number.isFinite(f) ? checkedInt(Math.trunc(f)) : dflt;
    }
    return dflt;
  }
  const n = asInt(value);
  return n ?? dflt;
}

function indent(s: string, width: Value, first: Value, blank: Value): string {
  const n = asInt(width);
  const indention = typeof width === 'string' ? width : n !== null ? ' '.repeat(Math.max(0, n)) : null;
  if (indention === null) throw new RenderError(`indent width must be an integer or a string, not ${typeName(width)}`);
  const text = `${s}\n`;
  let rv: string;
  const lines = pySplitlines(text, false);
  if (truthy(blank)) {
    rv = lines.join(`\n${indention}`);
  } else {
    rv = lines.shift() ?? '';
    if (lines.length > 0) rv += `\n${lines.map((line) => (line ? indention + line : line)).join('\n')}`;
  }
  if (truthy(first)) rv = indention + rv;
  return rv;
}

const FILTERS = new Map<string, Filter>([
  ['abs', (v, c) => {
    bindArguments('abs', [], c);
    const n = asInt(v);
    if (n === null) throw new RenderError(`bad operand type for abs(): '${typeName(v)}'`);
    return Math.abs(n);
  }],
  ['default', defaultFilter],
  ['d', defaultFilter],
  ['dictsort', (v, c) => {
    const [caseSensitive, by, reverse] = bindArguments('dictsort', [{ name: 'case_sensitive', default: false }, { name: 'by', default: 'key' }, { name: 'reverse', default: false }], c);
    const pos = by === 'key' ? 0 : by === 'value' ? 1 : -1;
    if (pos < 0) throw new RenderError('You can only sort by either "key" or "value"');
    if (v instanceof Undefined) throw undefinedError(v);
    if (!(v instanceof PyDict)) throw new RenderError(`'${typeName(v)}' object has no attribute 'items'`);
    const pairs = [...v.map].map(([k, item]) => new PyTuple([k, item]));
    const key = (t: Value): Value => {
      const part = (t as PyTuple).items[pos] as Value;
      return truthy(caseSensitive as Value) ? part : lowerIfString(part);
    };
    return sortValues(pairs, key, truthy(reverse as Value));
  }],
  ['first', (v, c) => {
    bindArguments('first', [], c);
    if (v instanceof PyIterator) return orUndefined(v.next(), 'No first item, sequence was empty.');
    const items = iterate(v);
    return items.length > 0 ? (items[0] as Value) : undefinedValue('No first item, sequence was empty.');
  }],
  ['last', (v, c) => {
    bindArguments('last', [], c);
    if (v instanceof Undefined) throw undefinedError(v);
    if (v instanceof PyIterator) throw new RenderError("'iterator' object is not reversible");
    const items = iterate(v);
    return items.length > 0 ? (items[items.length - 1] as Value) : undefinedValue('No last item, sequence was empty.');
  }],
  ['format', (v, { args, kwargs }) => {
    if (args.length > 0 && kwargs.size > 0) throw new RenderError("can't handle positional and keyword arguments at the same time");
    return percentFormat(soft(v), kwargs.size > 0 ? new PyDict(kwargs) : new PyTuple(args));
  }],
  ['indent', (v, c) => {
    const [width, first, blank] = bindArguments('indent', [{ name: 'width', default: 4 }, { name: 'first', default: false }, { name: 'blank', default: false }], c);
    return indent(soft(v), width as Value, first as Value, blank as Value);
  }],
  ['int', (v, c) => {
    const [dflt, base] = bindArguments('int', [{ name: 'default', default: 0 }, { name: 'base', default: 10 }], c);
    return toInt(v, dflt as Value, base as Value);
  }],
  ['items', (v, c) => {
    bindArguments('items', [], c);
    if (v instanceof Undefined) return new PyIterator([]);
    if (!(v instanceof PyDict)) throw new RenderError('Can only get item pairs from a mapping.');
    return new PyIterator([...v.map].map(([k, item]) => new PyTuple([k, item])));
  }],
  ['join', (v, c) => {
    const [d, attribute] = bindArguments('join', [{ name: 'd', default: '' }, { name: 'attribute', default: null }], c);
    const get = attributeGetter(attribute as Value);
    const text = iterate(v).map((item) => pyStr(get(item))).join(pyStr(d as Value));
    if (text.length > MAX_SEQUENCE) throw new RenderError('join result too long');
    return text;
  }],
  ['length', lengthFilter],
  ['count', lengthFilter],
  ['list', (v, c) => (bindArguments('list', [], c), iterate(v))],
  ['lower', (v, c) => (bindArguments('lower', [], c), soft(v).toLowerCase())],
  ['upper', (v, c) => (bindArguments('upper', [], c), soft(v).toUpperCase())],
  ['replace', (v, c) => {
    const [old, replacement, count] = bindArguments('replace', [{ name: 'old' }, { name: 'new' }, { name: 'count', default: null }], c);
    const n = count === null ? -1 : asInt(count as Value);
    if (n === null) throw new RenderError(`replace count must be an integer, not ${typeName(count as Value)}`);
    return pyReplace(soft(v), pyStr(old as Value), pyStr(replacement as Value), n);
  }],
  ['reverse', (v, c) => {
    bindArguments('reverse', [], c);
    if (typeof v === 'string') return Array.from(v).reverse().join('');
    if (v instanceof PyIterator) return v.rest().reverse();
    if (Array.isArray(v) || v instanceof PyTuple || v instanceof PyRange || v instanceof PyDict || v instanceof DictView) return new PyIterator(iterate(v).reverse());
    if (v instanceof Undefined) throw undefinedError(v);
    return iterate(v).reverse();
  }],
  ['sort', (v, c) => {
    const [reverse, caseSensitive, attribute] = bindArguments('sort', [{ name: 'reverse', default: false }, { name: 'case_sensitive', default: false }, { name: 'attribute', default: null }], c);
    const get = attributeGetter(attribute as Value);
    return sortValues(iterate(v), (item) => (truthy(caseSensitive as Value) ? get(item) : lowerIfString(get(item))), truthy(reverse as Value));
  }],
  ['string', (v, c) => (bindArguments('string', [], c), soft(v))],
  ['sum', (v, c) => {
    const [attribute, start] = bindArguments('sum', [{ name: 'attribute', default: null }, { name: 'start', default: 0 }], c);
    if (typeof start === 'string') throw new RenderError("sum() can't sum strings [use ''.join(seq) instead]");
    const get = attributeGetter(attribute as Value);
    return iterate(v).reduce<Value>((acc, item) => pyAdd(acc, get(item)), start as Value);
  }],
  ['trim', (v, c) => {
    const [chars] = bindArguments('trim', [{ name: 'chars', default: null }], c);
    return pyStrip(soft(v), chars === null ? null : pyStr(chars as Value), true, true);
  }],
  ['unique', (v, c) => {
    const [caseSensitive, attribute] = bindArguments('unique', [{ name: 'case_sensitive', default: false }, { name: 'attribute', default: null }], c);
    const get = attributeGetter(attribute as Value);
    const seen: Value[] = [];
    const out: Value[] = [];
    for (const item of iterate(v)) {
      const key = truthy(caseSensitive as Value) ? get(item) : lowerIfString(get(item));
      if (seen.some((s) => pyEq(s, key))) continue;
      seen.push(key);
      out.push(item);
    }
    return new PyIterator(out);
  }],
  ['customizable', (v, c, context) => {
    const [callType] = bindArguments('customizable', [{ name: 'call_type' }], c);
    return customizable(v, callType as Value, context);
  }],
]);

function defaultFilter(v: Value, c: CallArguments): Value {
  const [dflt, boolean] = bindArguments('default', [{ name: 'default_value', default: '' }, { name: 'boolean', default: false }], c);
  if (v instanceof Undefined) return dflt as Value;
  if (truthy(boolean as Value) && !truthy(v)) return dflt as Value;
  return v;
}

function lengthFilter(v: Value, c: CallArguments): Value {
  bindArguments('length', [], c);
  return pyLen(v);
}

export function filterNamed(name: string): Filter | undefined {
  return FILTERS.get(name);
}

function isCasedLower(s: string): boolean {
  return /\p{Lowercase}/u.test(s) && !/[\p{Uppercase}\p{Lt}]/u.test(s);
}

function isCasedUpper(s: string): boolean {
  return /[\p{Uppercase}\p{Lt}]/u.test(s) && !/\p{Lowercase}/u.test(s);
}

function intOperand(v: Value, what: string): number {
  if (v instanceof Undefined) throw undefinedError(v);
  const n = asInt(v);
  if (n === null) throw new RenderError(`the '${what}' test needs an integer, not ${typeName(v)}`);
  return n;
}

function compareTest(op: '<' | '<=' | '>' | '>='): Test {
  return (v, c) => {
    const [other] = bindArguments(op, [{ name: 'other' }], c);
    const r = pyCompare(v, other as Value, op);
    return op === '<' ? r < 0 : op === '<=' ? r <= 0 : op === '>' ? r > 0 : r >= 0;
  };
}

function eqTest(v: Value, c: CallArguments): boolean {
  const [other] = bindArguments('eq', [{ name: 'other' }], c);
  return pyEq(v, other as Value);
}

const TESTS = new Map<string, Test>([
  ['defined', (v, c) => (bindArguments('defined', [], c), !(v instanceof Undefined))],
  ['undefined', (v, c) => (bindArguments('undefined', [], c), v instanceof Undefined)],
  ['none', (v, c) => (bindArguments('none', [], c), v === null)],
  ['boolean', (v, c) => (bindArguments('boolean', [], c), typeof v === 'boolean')],
  ['true', (v, c) => (bindArguments('true', [], c), v === true)],
  ['false', (v, c) => (bindArguments('false', [], c), v === false)],
  ['integer', (v, c) => (bindArguments('integer', [], c), typeof v === 'number')],
  // No value is ever a float: they are refused where they would arise.
  ['float', (_v, c) => (bindArguments('float', [], c), false)],
  ['number', (v, c) => (bindArguments('number', [], c), typeof v === 'number' || typeof v === 'boolean')],
  ['string', (v, c) => (bindArguments('string', [], c), typeof v === 'string')],
  ['mapping', (v, c) => (bindArguments('mapping', [], c), v instanceof PyDict)],
  // Jinja's test is "has len() and __getitem__": strings and dicts pass, and so does Undefined.
  ['sequence', (v, c) => (bindArguments('sequence', [], c), typeof v === 'string' || Array.isArray(v) || v instanceof PyTuple || v instanceof PyDict || v instanceof PyRange || v instanceof Undefined)],
  ['iterable', (v, c) => (bindArguments('iterable', [], c), typeof v === 'string' || Array.isArray(v) || v instanceof PyTuple || v instanceof PyDict || v instanceof PyRange || v instanceof PyIterator || v instanceof DictView || v instanceof Undefined)],
  ['callable', (v, c) => (bindArguments('callable', [], c), v instanceof PyCallable || v instanceof Undefined)],
  // Nothing is ever Markup: autoescape is off and the escaping filters are refused.
  ['escaped', (_v, c) => (bindArguments('escaped', [], c), false)],
  ['divisibleby', (v, c) => {
    const [num] = bindArguments('divisibleby', [{ name: 'num' }], c);
    const d = intOperand(num as Value, 'divisibleby');
    if (d === 0) throw new RenderError('integer division or modulo by zero');
    return pyMod(intOperand(v, 'divisibleby'), d) === 0;
  }],
  ['even', (v, c) => (bindArguments('even', [], c), intOperand(v, 'even') % 2 === 0)],
  ['odd', (v, c) => (bindArguments('odd', [], c), Math.abs(intOperand(v, 'odd') % 2) === 1)],
  ['eq', eqTest],
  ['equalto', eqTest],
  ['==', eqTest],
  ['ne', (v, c) => !eqTest(v, c)],
  ['!=', (v, c) => !eqTest(v, c)],
  ['lt', compareTest('<')],
  ['lessthan', compareTest('<')],
  ['<', compareTest('<')],
  ['le', compareTest('<=')],
  ['<=', compareTest('<=')],
  ['gt', compareTest('>')],
  ['greaterthan', compareTest('>')],
  ['>', compareTest('>')],
  ['ge', compareTest('>=')],
  ['>=', compareTest('>=')],
  ['in', (v, c) => {
    const [seq] = bindArguments('in', [{ name: 'seq' }], c);
    return pyIn(v, seq as Value);
  }],
  ['lower', (v, c) => (bindArguments('lower', [], c), isCasedLower(pyStr(v)))],
  ['upper', (v, c) => (bindArguments('upper', [], c), isCasedUpper(pyStr(v)))],
]);

export function testNamed(name: string): Test | undefined {
  return TESTS.get(name);
}

