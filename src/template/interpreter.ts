// Renders a parsed template with Jinja2's semantics: its scoping (top-level variables in the context,
// loop bodies and blocks and macros in scopes of their own), template inheritance with super(), macros
// with caller/varargs/kwargs, imports with and without context. It interprets the parse tree; no
// template text ever becomes JavaScript code. Each piece of output remembers the template position
// that produced it, which is how findings on the rendered Dockerfile are located in the template.
import { filterNamed, testNamed } from './filters.js';
import { UNSUPPORTED_GLOBALS } from './checks.js';
import type { CompiledTemplate } from './loader.js';
import { TemplateError } from './parser.js';
import {
  SliceKey,
  callValue,
  getattr,
  getitem,
  pyAdd,
  pyFloorDiv,
  pyIn,
  pyMod,
  pyMul,
  pyNeg,
  pyPos,
  pyPow,
  pySub,
  pyTrueDiv,
} from './ops.js';
import type { CallArgs, Expr, ExprOf, MacroSignature, Pos, Stmt, StmtOf, Target } from './syntax.js';
import { childExprs, childStmts, stmtExprs } from './syntax.js';
import {
  BuiltinFunction,
  LoopObject,
  PyCallable,
  PyDict,
  PyRange,
  PyTuple,
  RenderError,
  TemplateModule,
  TemplateValue,
  Undefined,
  dictKey,
  iterate,
  pyCompare,
  pyEq,
  pyStr,
  truthy,
  typeName,
  undefinedValue,
  asInt,
  type CallArguments,
  type Value,
} from './values.js';

export interface RenderLimits {
  /** Statements and loop iterations one render may execute. */
  maxSteps: number;
  /** Nested macro calls, includes and imports. */
  maxDepth: number;
  /** Characters of output. */
  maxOutput: number;
}

export const DEFAULT_LIMITS: RenderLimits = { maxSteps: 1_000_000, maxDepth: 100, maxOutput: 20 * 1024 * 1024 };

/** The chain of template positions a piece of output came from: its own, then each call site outward. */
export interface Origin {
  readonly template: CompiledTemplate;
  readonly p: Pos;
  readonly parent: Origin | null;
  /** What this position is, for the outer frames: `macro install_packages`, `block footer`, `include`. */
  readonly what: string;
}

export interface Segment {
  /** Offset in the output where this piece starts. */
  start: number;
  origin: Origin;
  /** The output is the template text itself from `origin.p` on (template data, lines and all), not a computed value. */
  literal: boolean;
}

export interface Rendered {
  text: string;
  segments: Segment[];
}

class Out {
  text = '';
  readonly segments: Segment[] = [];
  constructor(private readonly limits: RenderLimits) {}

  emit(text: string, origin: Origin, literal: boolean): void {
    if (text === '') return;
    if (this.text.length + text.length > this.limits.maxOutput) throw new RenderError(`output longer than ${this.limits.maxOutput} characters: refused`);
    this.segments.push({ start: this.text.length, origin, literal });
    this.text += text;
  }

  splice(rendered: Rendered): void {
    if (this.text.length + rendered.text.length > this.limits.maxOutput) throw new RenderError(`output longer than ${this.limits.maxOutput} characters: refused`);
    const base = this.text.length;
    for (const s of rendered.segments) this.segments.push({ start: base + s.start, origin: s.origin, literal: s.literal });
    this.text += rendered.text;
  }
}

class Context {
  readonly vars = new Map<string, Value>();
  readonly exported = new Set<string>();
  readonly blocks = new Map<string, { template: CompiledTemplate; stmt: StmtOf<'block'> }[]>();

  constructor(
    readonly parent: ReadonlyMap<string, Value>,
    template: CompiledTemplate,
  ) {
    for (const [name, stmt] of template.blocks) this.blocks.set(name, [{ template, stmt }]);
  }

  lookup(name: string): Value | undefined {
    const v = this.vars.get(name);
    return v !== undefined ? v : this.parent.get(name);
  }
}

class Scope {
  readonly vars = new Map<string, Value>();
  constructor(readonly parent: Scope | null) {}
}

interface Frame {
  readonly template: CompiledTemplate;
  readonly ctx: Context;
  /** null at the top level of a template, where `set` writes the context. */
  readonly scope: Scope | null;
  readonly block: { name: string; index: number } | null;
  readonly out: Out;
  readonly origin: Origin | null;
  readonly depth: number;
  /** Top level only: the template this one extends, once `extends` ran. */
  extendsParent?: CompiledTemplate;
}

class Macro extends PyCallable {
  readonly description: string;
  constructor(
    readonly name: string,
    readonly signature: MacroSignature,
    readonly body: Stmt[],
    readonly template: CompiledTemplate,
    readonly ctx: Context,
    readonly closure: Scope | null,
    readonly catches: { caller: boolean; varargs: boolean; kwargs: boolean },
  ) {
    super();
    this.description = `macro '${name}'`;
  }
  call(): Value {
    throw new RenderError(`${this.description} can only be called from a template`);
  }
}

/** Which of Jinja's implicit macro names a body reads (as Jinja decides what a macro accepts). */
function implicitNames(body: Stmt[]): { caller: boolean; varargs: boolean; kwargs: boolean } {
  const found = { caller: false, varargs: false, kwargs: false };
  const expr = (e: Expr): void => {
    if (e.k === 'name' && (e.name === 'caller' || e.name === 'varargs' || e.name === 'kwargs')) found[e.name] = true;
    childExprs(e).forEach(expr);
  };
  const stmts = (list: Stmt[]): void => {
    for (const s of list) {
      if (s.k === 'macro') continue;
      for (const e of stmtExprs(s)) expr(e);
      // A call block's body is its own macro; only its call expression belongs to this body.
      if (s.k !== 'callblock') childStmts(s).forEach(stmts);
    }
  };
  stmts(body);
  return found;
}

const IMPLICIT_CACHE = new WeakMap<Stmt[], { caller: boolean; varargs: boolean; kwargs: boolean }>();

function catchesOf(body: Stmt[]): { caller: boolean; varargs: boolean; kwargs: boolean } {
  let found = IMPLICIT_CACHE.get(body);
  if (!found) {
    found = implicitNames(body);
    IMPLICIT_CACHE.set(body, found);
  }
  return found;
}

/** One render: a top-level template, its values, and everything it extends, imports and includes. */
export class Interpreter {
  private steps = 0;
  private lastCapture: { node: Expr; rendered: Rendered } | null = null;
  private readonly modules = new Map<CompiledTemplate, TemplateModule>();

  constructor(
    private readonly globals: ReadonlyMap<string, Value>,
    private readonly limits: RenderLimits = DEFAULT_LIMITS,
  ) {}

  render(template: CompiledTemplate, values: ReadonlyMap<string, Value>): Rendered {
    const parent = new Map(this.globals);
    for (const [k, v] of values) parent.set(k, v);
    const ctx = new Context(parent, template);
    const out = new Out(this.limits);
    this.renderRoot(template, ctx, out, null, 0);
    return { text: out.text, segments: out.segments };
  }

  private renderRoot(template: CompiledTemplate, ctx: Context, out: Out, origin: Origin | null, depth: number): void {
    const frame: Frame = { template, ctx, scope: null, block: null, out, origin, depth };
    this.statements(template.body, frame);
    const parent = frame.extendsParent;
    if (parent) this.renderRoot(parent, ctx, out, origin, depth + 1);
  }

  // ---- statements

  private statements(stmts: Stmt[], frame: Frame): void {
    for (const s of stmts) {
      if (++this.steps > this.limits.maxSteps) throw this.located(new RenderError(`the template runs more than ${this.limits.maxSteps} steps: refused`), frame, s.p);
      try {
        this.statement(s, frame);
      } catch (error) {
        throw error instanceof RenderError ? this.located(error, frame, s.p) : error;
      }
    }
  }

  private suppressed(frame: Frame): boolean {
    return frame.extendsParent !== undefined;
  }

  private statement(s: Stmt, frame: Frame): void {
    switch (s.k) {
      case 'data':
        if (!this.suppressed(frame)) this.emitData(s, frame);
        return;
      case 'output':
        if (!this.suppressed(frame)) this.output(s.expr, s.p, frame);
        return;
      case 'if':
        this.statements(truthy(this.expr(s.test, frame)) ? s.body : s.orelse, frame);
        return;
      case 'for':
        this.forLoop(s, frame);
        return;
      case 'set':
        this.assign(s.target, this.expr(s.value, frame), frame);
        return;
      case 'setblock': {
        const body = this.capture(s.body, frame, frame.origin);
        const value = s.filter ? this.applyFilter(s.filter, body.text, frame) : body.text;
        this.assign(s.target, value, frame);
        return;
      }
      case 'block':
        if (!this.suppressed(frame)) this.renderBlock(s, frame);
        return;
      case 'extends':
        this.extend(s, frame);
        return;
      case 'include':
        this.include(s, frame);
        return;
      case 'import': {
        const module = this.importModule(s.template, s.withContext, s.p, frame);
        this.assign({ k: 'name', name: s.target, p: s.p }, module, frame);
        return;
      }
      case 'from': {
        const module = this.importModule(s.template, s.withContext, s.p, frame);
        for (const [name, alias] of s.names) {
          const exported = module.exports.get(name);
          const value = exported !== undefined ? exported : undefinedValue(`the template '${module.name}' (imported on line ${s.p.line} in '${frame.template.name}') does not export the requested name '${name}'`);
          this.assign({ k: 'name', name: alias, p: s.p }, value, frame);
        }
        return;
      }
      case 'macro': {
        const macro = new Macro(s.name, s, s.body, frame.template, frame.ctx, frame.scope, catchesOf(s.body));
        this.assign({ k: 'name', name: s.name, p: s.p }, macro, frame);
        return;
      }
      case 'callblock': {
        if (this.suppressed(frame)) return;
        const caller = new Macro('caller', s, s.body, frame.template, frame.ctx, frame.scope, catchesOf(s.body));
        this.lastCapture = null;
        const value = this.call(s.call, frame, caller);
        this.emitValue(s.call, pyStr(value), s.p, frame);
        return;
      }
      case 'filterblock': {
        if (this.suppressed(frame)) return;
        const body = this.capture(s.body, frame, frame.origin);
        frame.out.emit(pyStr(this.applyFilter(s.filter, body.text, frame)), this.origin(frame, s.p, 'filter'), false);
        return;
      }
    }
  }

  private origin(frame: Frame, p: Pos, what: string): Origin {
    return { template: frame.template, p, parent: frame.origin, what };
  }

  private emitData(s: StmtOf<'data'>, frame: Frame): void {
    frame.out.emit(s.text, { template: frame.template, p: s.p, parent: frame.origin, what: '' }, true);
  }

  private output(expr: Expr, p: Pos, frame: Frame): void {
    this.lastCapture = null;
    const text = pyStr(this.expr(expr, frame));
    this.emitValue(expr, text, p, frame);
  }

  /** Output of a value; a macro call's (or super's) own output keeps the positions it came from. */
  private emitValue(expr: Expr, text: string, p: Pos, frame: Frame): void {
    const capture = this.lastCapture;
    this.lastCapture = null;
    if (capture !== null && capture.node === expr && capture.rendered.text === text) frame.out.splice(capture.rendered);
    else frame.out.emit(text, this.origin(frame, p, ''), false);
  }

  private capture(body: Stmt[], frame: Frame, origin: Origin | null): Rendered {
    const out = new Out(this.limits);
    this.statements(body, { ...frame, out, origin, scope: frame.scope, extendsParent: undefined });
    return { text: out.text, segments: out.segments };
  }

  private applyFilter(filter: Expr, input: string, frame: Frame): Value {
    // A filter block's filters form a chain whose innermost node is the block's output.
    const apply = (f: Expr): Value => {
      if (f.k !== 'filter') return this.expr(f, frame);
      const value = f.node === null ? input : apply(f.node);
      return this.runFilter(f, value, frame);
    };
    return apply(filter);
  }

  private forLoop(s: StmtOf<'for'>, frame: Frame): void {
    let items = iterate(this.expr(s.iter, frame));
    if (s.filter) {
      const test = s.filter;
      items = items.filter((item) => {
        const scope = new Scope(frame.scope);
        this.bind(s.target, item, scope);
        return truthy(this.expr(test, { ...frame, scope }));
      });
    }
    if (items.length === 0) {
      this.statements(s.orelse, { ...frame, scope: new Scope(frame.scope) });
      return;
    }
    const loop = new LoopObject(items, 0);
    for (let i = 0; i < items.length; i++) {
      if (++this.steps > this.limits.maxSteps) throw new RenderError(`the template runs more than ${this.limits.maxSteps} steps: refused`);
      loop.index0 = i;
      const scope = new Scope(frame.scope);
      this.bind(s.target, items[i] as Value, scope);
      scope.vars.set('loop', loop);
      this.statements(s.body, { ...frame, scope });
    }
  }

  private bind(target: Target, value: Value, scope: Scope): void {
    if (target.k === 'name') {
      scope.vars.set(target.name, value);
      return;
    }
    const items = unpack(value, target.items.length);
    target.items.forEach((t, i) => this.bind(t, items[i] as Value, scope));
  }

  private assign(target: Target, value: Value, frame: Frame): void {
    if (target.k === 'tuple') {
      const items = unpack(value, target.items.length);
      target.items.forEach((t, i) => this.assign(t, items[i] as Value, frame));
      return;
    }
    if (frame.scope !== null) {
      frame.scope.vars.set(target.name, value);
      return;
    }
    frame.ctx.vars.set(target.name, value);
    if (!target.name.startsWith('_')) frame.ctx.exported.add(target.name);
  }

  private lookup(name: string, frame: Frame): Value {
    for (let s = frame.scope; s !== null; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined) return v;
    }
    const found = frame.ctx.lookup(name);
    if (found !== undefined) return found;
    // Jinja would find its own global here and print or call it; layerlint does not provide it.
    if (Object.hasOwn(UNSUPPORTED_GLOBALS, name)) throw new RenderError(UNSUPPORTED_GLOBALS[name] as string);
    return undefinedValue(`'${name}' is undefined`);
  }

  private renderBlock(s: StmtOf<'block'>, frame: Frame): void {
    const entries = frame.ctx.blocks.get(s.name);
    const entry = entries?.[0] ?? { template: frame.template, stmt: s };
    const origin = this.origin(frame, s.p, `block ${s.name}`);
    this.statements(entry.stmt.body, {
      template: entry.template,
      ctx: frame.ctx,
      scope: new Scope(null),
      block: { name: s.name, index: 0 },
      out: frame.out,
      origin,
      depth: frame.depth,
    });
  }

  private superBlock(node: ExprOf<'call'>, frame: Frame): Value {
    if (frame.block === null) throw new RenderError('super() is only available inside a block');
    if (node.call.args.length > 0 || node.call.kwargs.length > 0 || node.call.dynArgs || node.call.dynKwargs) throw new RenderError('super() takes no arguments');
    const entries = frame.ctx.blocks.get(frame.block.name) ?? [];
    const index = frame.block.index + 1;
    const entry = entries[index];
    if (!entry) throw new RenderError(`no parent block called '${frame.block.name}'`);
    const out = new Out(this.limits);
    this.statements(entry.stmt.body, {
      template: entry.template,
      ctx: frame.ctx,
      scope: new Scope(null),
      block: { name: frame.block.name, index },
      out,
      origin: this.origin(frame, node.p, 'super()'),
      depth: frame.depth,
    });
    const rendered = { text: out.text, segments: out.segments };
    this.lastCapture = { node, rendered };
    return rendered.text;
  }

  private resolveTemplate(value: Value, frame: Frame): CompiledTemplate {
    if (value instanceof TemplateValue) return value.template as CompiledTemplate;
    if (typeof value === 'string') return frame.template.loader.load(value);
    if (value instanceof Undefined) throw new RenderError(value.hint);
    throw new RenderError(`a template name must be a string, not ${typeName(value)}`);
  }

  /** Loads a template for extends/include/import at `p`; a template that does not compile keeps its own position. */
  private loadAt(expr: Expr, p: Pos, frame: Frame): CompiledTemplate {
    const value = this.expr(expr, frame);
    try {
      return this.resolveTemplate(value, frame);
    } catch (error) {
      if (error instanceof TemplateError && error.trace.length === 0) {
        throw new TemplateError(error.reason, error.file, error.line, error.column, this.trace(this.origin(frame, p, 'loaded here')));
      }
      throw error;
    }
  }

  private extend(s: StmtOf<'extends'>, frame: Frame): void {
    if (frame.extendsParent) throw new RenderError('extended multiple times');
    const parent = this.loadAt(s.template, s.p, frame);
    frame.extendsParent = parent;
    for (const [name, stmt] of parent.blocks) {
      const list = frame.ctx.blocks.get(name) ?? [];
      list.push({ template: parent, stmt });
      frame.ctx.blocks.set(name, list);
    }
  }

  private include(s: StmtOf<'include'>, frame: Frame): void {
    if (this.suppressed(frame)) return;
    let template: CompiledTemplate;
    try {
      template = this.loadAt(s.template, s.p, frame);
    } catch (error) {
      if (s.ignoreMissing && error instanceof RenderError && error.message.startsWith('template not found')) return;
      throw error;
    }
    this.checkDepth(frame);
    const ctx = new Context(s.withContext ? this.snapshot(frame) : this.globals, template);
    this.renderRoot(template, ctx, frame.out, this.origin(frame, s.p, `include ${template.name}`), frame.depth + 1);
  }

  private importModule(expr: Expr, withContext: boolean, p: Pos, frame: Frame): TemplateModule {
    const template = this.loadAt(expr, p, frame);
    if (!withContext) {
      const cached = this.modules.get(template);
      if (cached) return cached;
    }
    this.checkDepth(frame);
    const ctx = new Context(withContext ? this.snapshot(frame) : this.globals, template);
    const out = new Out(this.limits);
    this.renderRoot(template, ctx, out, this.origin(frame, p, `import ${template.name}`), frame.depth + 1);
    const exports = new Map<string, Value>();
    for (const name of ctx.exported) exports.set(name, ctx.vars.get(name) as Value);
    const module = new TemplateModule(template.name, exports, out.text);
    if (!withContext) this.modules.set(template, module);
    return module;
  }

  /** What a template imported or included with context sees: the context and the current locals. */
  private snapshot(frame: Frame): Map<string, Value> {
    const all = new Map(frame.ctx.parent);
    for (const [k, v] of frame.ctx.vars) all.set(k, v);
    const scopes: Scope[] = [];
    for (let s = frame.scope; s !== null; s = s.parent) scopes.push(s);
    for (const s of scopes.reverse()) for (const [k, v] of s.vars) all.set(k, v);
    return all;
  }

  private checkDepth(frame: Frame): void {
    if (frame.depth >= this.limits.maxDepth) throw new RenderError(`more than ${this.limits.maxDepth} nested macro calls, includes or imports: refused`);
  }

  // ---- expressions

  private expr(e: Expr, frame: Frame): Value {
    try {
      return this.evaluate(e, frame);
    } catch (error) {
      throw error instanceof RenderError ? this.located(error, frame, e.p) : error;
    }
  }

  private evaluate(e: Expr, frame: Frame): Value {
    switch (e.k) {
      case 'const':
        return e.value;
      case 'name':
        return this.lookup(e.name, frame);
      case 'list':
        return e.items.map((x) => this.expr(x, frame));
      case 'tuple':
        return new PyTuple(e.items.map((x) => this.expr(x, frame)));
      case 'dict': {
        const d = new PyDict();
        for (const [k, v] of e.pairs) d.map.set(dictKey(this.expr(k, frame)), this.expr(v, frame));
        return d;
      }
      case 'getattr':
        return getattr(this.expr(e.obj, frame), e.attr);
      case 'getitem': {
        const obj = this.expr(e.obj, frame);
        const key =
          e.key.k === 'slice'
            ? new SliceKey(this.optional(e.key.start, frame), this.optional(e.key.stop, frame), this.optional(e.key.step, frame))
            : this.expr(e.key, frame);
        return getitem(obj, key as Value);
      }
      case 'slice':
        throw new RenderError('a slice is only valid inside []');
      case 'call':
        return this.call(e, frame, null);
      case 'filter':
        if (e.node === null) throw new RenderError('a filter without a value');
        return this.runFilter(e, this.expr(e.node, frame), frame);
      case 'test': {
        const test = testNamed(e.name);
        if (!test) throw new RenderError(`no test named '${e.name}'`);
        return test(this.expr(e.node, frame), this.callArguments(e.call, frame));
      }
      case 'not':
        return !truthy(this.expr(e.node, frame));
      case 'neg':
        return pyNeg(this.expr(e.node, frame));
      case 'pos':
        return pyPos(this.expr(e.node, frame));
      case 'and': {
        const left = this.expr(e.left, frame);
        return truthy(left) ? this.expr(e.right, frame) : left;
      }
      case 'or': {
        const left = this.expr(e.left, frame);
        return truthy(left) ? left : this.expr(e.right, frame);
      }
      case 'bin': {
        const a = this.expr(e.left, frame);
        const b = this.expr(e.right, frame);
        switch (e.op) {
          case '+':
            return pyAdd(a, b);
          case '-':
            return pySub(a, b);
          case '*':
            return pyMul(a, b);
          case '/':
            return pyTrueDiv(a, b);
          case '//':
            return pyFloorDiv(a, b);
          case '%':
            return pyMod(a, b);
          case '**':
            return pyPow(a, b);
        }
        break;
      }
      case 'concat':
        return e.items.map((x) => pyStr(this.expr(x, frame))).join('');
      case 'compare': {
        let left = this.expr(e.first, frame);
        for (const [op, operand] of e.ops) {
          const right = this.expr(operand, frame);
          if (!compare(op, left, right)) return false;
          left = right;
        }
        return true;
      }
      case 'cond':
        if (truthy(this.expr(e.test, frame))) return this.expr(e.body, frame);
        if (e.orelse) return this.expr(e.orelse, frame);
        return undefinedValue(`the inline if-expression on line ${e.p.line} evaluated to false and no else section was defined`);
    }
    throw new RenderError(`unsupported expression ${(e as Expr).k}`);
  }

  private optional(e: Expr | null, frame: Frame): Value {
    return e === null ? null : this.expr(e, frame);
  }

  private runFilter(f: ExprOf<'filter'>, value: Value, frame: Frame): Value {
    const filter = filterNamed(f.name);
    if (!filter) throw new RenderError(`no filter named '${f.name}'`);
    return filter(value, this.callArguments(f.call, frame), frame.ctx);
  }

  private callArguments(c: CallArgs, frame: Frame): CallArguments {
    const args = c.args.map((a) => this.expr(a, frame));
    const kwargs = new Map<string, Value>();
    for (const [k, v] of c.kwargs) kwargs.set(k, this.expr(v, frame));
    if (c.dynArgs) args.push(...iterate(this.expr(c.dynArgs, frame)));
    if (c.dynKwargs) {
      const d = this.expr(c.dynKwargs, frame);
      if (!(d instanceof PyDict)) throw new RenderError(`argument after ** must be a mapping, not ${typeName(d)}`);
      for (const [k, v] of d.map) {
        if (typeof k !== 'string') throw new RenderError('keywords must be strings');
        if (kwargs.has(k)) throw new RenderError(`got multiple values for keyword argument '${k}'`);
        kwargs.set(k, v);
      }
    }
    return { args, kwargs };
  }

  private call(e: ExprOf<'call'>, frame: Frame, caller: Macro | null): Value {
    if (e.fn.k === 'name' && e.fn.name === 'super' && frame.block !== null && this.lookupOptional('super', frame) === undefined) {
      return this.superBlock(e, frame);
    }
    const fn = this.expr(e.fn, frame);
    const call = this.callArguments(e.call, frame);
    if (caller) {
      if (call.kwargs.has('caller')) throw new RenderError("got multiple values for keyword argument 'caller'");
      call.kwargs.set('caller', caller);
    }
    if (fn instanceof Macro) return this.invokeMacro(fn, call, e, frame);
    return callValue(fn, call, frame.ctx);
  }

  private lookupOptional(name: string, frame: Frame): Value | undefined {
    const v = this.lookup(name, frame);
    return v instanceof Undefined ? undefined : v;
  }

  private invokeMacro(macro: Macro, { args, kwargs }: CallArguments, node: ExprOf<'call'>, frame: Frame): Value {
    this.checkDepth(frame);
    const params = macro.signature.params;
    const scope = new Scope(macro.closure);
    const missing: string[] = [];
    params.forEach((name, i) => {
      if (i < args.length) {
        if (kwargs.has(name)) throw new RenderError(`macro '${macro.name}' got multiple values for argument '${name}'`);
        scope.vars.set(name, args[i] as Value);
      } else if (kwargs.has(name)) {
        scope.vars.set(name, kwargs.get(name) as Value);
        kwargs.delete(name);
      } else missing.push(name);
    });
    if (macro.catches.caller && !params.includes('caller')) {
      const caller = kwargs.get('caller');
      kwargs.delete('caller');
      scope.vars.set('caller', caller !== undefined ? caller : undefinedValue('No caller defined'));
    }
    if (macro.catches.kwargs) {
      scope.vars.set('kwargs', new PyDict(kwargs));
    } else if (kwargs.size > 0) {
      if (kwargs.has('caller')) throw new RenderError(`macro '${macro.name}' was invoked with two values for the special caller argument`);
      throw new RenderError(`macro '${macro.name}' takes no keyword argument '${kwargs.keys().next().value as string}'`);
    }
    if (macro.catches.varargs) scope.vars.set('varargs', new PyTuple(args.slice(params.length)));
    else if (args.length > params.length) throw new RenderError(`macro '${macro.name}' takes not more than ${params.length} argument(s)`);

    const origin = this.origin(frame, node.p, `macro ${macro.name}`);
    const out = new Out(this.limits);
    const body: Frame = { template: macro.template, ctx: macro.ctx, scope, block: null, out, origin, depth: frame.depth + 1 };
    // Defaults are evaluated when the macro is called, in its own scope, in parameter order.
    const firstDefault = params.length - macro.signature.defaults.length;
    for (const name of missing) {
      const index = params.indexOf(name);
      const dflt = index >= firstDefault ? macro.signature.defaults[index - firstDefault] : undefined;
      scope.vars.set(name, dflt ? this.expr(dflt, body) : undefinedValue(`parameter '${name}' was not provided`));
    }
    this.statements(macro.body, body);
    const rendered = { text: out.text, segments: out.segments };
    this.lastCapture = { node, rendered };
    return rendered.text;
  }

  // ---- errors

  private located(error: RenderError, frame: Frame, p: Pos): TemplateError {
    const at = frame.template.locate(p);
    return new TemplateError(error.message, at.file, at.line, at.column, this.trace(frame.origin));
  }

  private trace(origin: Origin | null): TemplateError['trace'] {
    const out: { file: string; line: number; column: number; what: string }[] = [];
    for (let o = origin; o !== null; o = o.parent) {
      const at = o.template.locate(o.p);
      out.unshift({ file: at.file, line: at.line, column: at.column, what: o.what });
    }
    return out;
  }
}

function compare(op: string, a: Value, b: Value): boolean {
  switch (op) {
    case 'eq':
      return pyEq(a, b);
    case 'ne':
      return !pyEq(a, b);
    case 'lt':
      return pyCompare(a, b, '<') < 0;
    case 'lteq':
      return pyCompare(a, b, '<=') <= 0;
    case 'gt':
      return pyCompare(a, b, '>') > 0;
    case 'gteq':
      return pyCompare(a, b, '>=') >= 0;
    case 'in':
      return pyIn(a, b);
    case 'notin':
      return !pyIn(a, b);
  }
  throw new RenderError(`unknown comparison ${op}`);
}

function unpack(value: Value, count: number): Value[] {
  const items = iterate(value);
  if (items.length > count) throw new RenderError(`too many values to unpack (expected ${count})`);
  if (items.length < count) throw new RenderError(`not enough values to unpack (expected ${count}, got ${items.length})`);
  return items;
}

/** The Jinja globals layerlint provides besides Kolla's: `range` (with the sandbox's limit) and `dict`. */
export function jinjaGlobals(): Map<string, Value> {
  return new Map<string, Value>([
    ['range', new BuiltinFunction('range', ({ args, kwargs }) => {
      if (kwargs.size > 0) throw new RenderError('range() takes no keyword arguments');
      const ints = args.map((a) => {
        const n = asInt(a);
        if (n === null) throw new RenderError(`'${typeName(a)}' object cannot be interpreted as an integer`);
        return n;
      });
      if (ints.length < 1 || ints.length > 3) throw new RenderError(`range expected at most 3 arguments, got ${ints.length}`);
      const [start, stop, step] = ints.length === 1 ? [0, ints[0] as number, 1] : [ints[0] as number, ints[1] as number, ints[2] ?? 1];
      if (step === 0) throw new RenderError('range() arg 3 must not be zero');
      const r = new PyRange(start, stop, step);
      if (Math.max(0, Math.ceil((stop - start) / step)) > 100_000) {
        throw new RenderError('Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).');
      }
      return r;
    })],
    ['dict', new BuiltinFunction('dict', ({ args, kwargs }) => {
      if (args.length > 0) throw new RenderError('dict() with positional arguments is not supported; use keyword arguments');
      return new PyDict(kwargs);
    })],
  ]);
}
