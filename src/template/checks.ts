// Checks on a parsed template before it may run. Pull requests change templates and layerlint runs on
// pull requests, so a template must reach nothing but its data: names and attributes that lead to the
// JavaScript host are refused, as are calls of anything that is not a macro or a supported function,
// and filters and tests layerlint does not implement. Jinja's own structural errors are found here too.
import { JINJA_FILTERS, JINJA_TESTS, filterNamed, testNamed } from './filters.js';
import { TemplateError } from './parser.js';
import { childExprs, childStmts, stmtExprs, targetNames, type Expr, type Pos, type Stmt } from './syntax.js';
import { forbiddenName } from './values.js';


/** Jinja globals layerlint does not provide (`self` is Jinja's template reference); used only when no value has the name. */
export const UNSUPPORTED_GLOBALS: Readonly<Record<string, string>> = {
  lipsum: 'the Jinja global lipsum() is not supported: it makes random text',
  cycler: 'the Jinja global cycler() is not supported; use loop.cycle()',
  joiner: 'the Jinja global joiner() is not supported',
  namespace: 'the Jinja global namespace() is not supported',
  self: "Jinja's 'self' (references to blocks) is not supported",
};

/** Functions every template may call (Kolla's helpers and the Jinja globals layerlint implements). */
export const SUPPORTED_FUNCTIONS: ReadonlySet<string> = new Set(['range', 'dict', 'debian_package_install', 'handle_repos', 'raise_error']);

/** Names a macro body uses implicitly (Jinja's `caller`, `varargs`, `kwargs`) and the block-only `super`. */
const IMPLICIT_CALLABLES = new Set(['caller', 'super', 'loop']);

export function checkTemplate(body: Stmt[], file: string): void {
  new Checker(file, boundNames(body)).statements(body, { inLoop: false, inMacro: false, inBlock: false, inCapture: false });
}

interface Where {
  inLoop: boolean;
  inMacro: boolean;
  inBlock: boolean;
  /** Inside `{% set %}...{% endset %}`, `{% filter %}` or `{% call %}` bodies. */
  inCapture: boolean;
}

/** Every name a template binds anywhere: calls of these are calls of the template's own values. */
function boundNames(body: Stmt[]): Set<string> {
  const names = new Set<string>();
  const visit = (stmts: Stmt[]): void => {
    for (const s of stmts) {
      switch (s.k) {
        case 'set':
        case 'setblock':
        case 'for':
          targetNames(s.target).forEach((n) => names.add(n));
          break;
        case 'macro':
          names.add(s.name);
          s.params.forEach((n) => names.add(n));
          break;
        case 'callblock':
          s.params.forEach((n) => names.add(n));
          break;
        case 'import':
          names.add(s.target);
          break;
        case 'from':
          s.names.forEach(([, alias]) => names.add(alias));
          break;
      }
      childStmts(s).forEach(visit);
    }
  };
  visit(body);
  return names;
}

class Checker {
  private readonly blocks = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly bound: ReadonlySet<string>,
  ) {}

  private fail(message: string, p: Pos): never {
    throw new TemplateError(message, this.file, p.line, p.col);
  }

  private name(name: string, p: Pos): void {
    if (forbiddenName(name)) this.fail(`'${name}' is not allowed in a template: it could reach the JavaScript host`, p);
  }

  statements(stmts: Stmt[], where: Where): void {
    for (const s of stmts) this.statement(s, where);
  }

  private statement(s: Stmt, where: Where): void {
    switch (s.k) {
      case 'extends':
        if (where.inLoop || where.inMacro || where.inBlock || where.inCapture) this.fail('cannot use extends from a non top-level scope', s.p);
        break;
      case 'macro':
        if (where.inLoop || where.inMacro || where.inBlock || where.inCapture) this.fail('macros may be defined only at the top level of a template', s.p);
        this.name(s.name, s.p);
        s.params.forEach((n) => this.name(n, s.p));
        break;
      case 'block':
        if (where.inMacro || where.inCapture) this.fail('blocks inside macros, call blocks or set blocks are not supported', s.p);
        if (this.blocks.has(s.name)) this.fail(`block '${s.name}' defined twice`, s.p);
        this.blocks.add(s.name);
        break;
      case 'set':
      case 'setblock':
      case 'for':
        targetNames(s.target).forEach((n) => this.name(n, s.p));
        break;
      case 'import':
        this.name(s.target, s.p);
        break;
      case 'from':
        s.names.forEach(([n, alias]) => {
          this.name(n, s.p);
          this.name(alias, s.p);
        });
        break;
      case 'callblock':
        s.params.forEach((n) => this.name(n, s.p));
        break;
    }
    if (s.k === 'macro' || s.k === 'callblock') {
      const index = s.params.indexOf('caller');
      if (index >= 0 && index < s.params.length - s.defaults.length) {
        this.fail('When defining macros or call blocks the special "caller" argument must be omitted or be given a default.', s.p);
      }
    }
    for (const e of stmtExprs(s)) this.expression(e);
    const inner: Where =
      s.k === 'for'
        ? { ...where, inLoop: true }
        : s.k === 'macro'
          ? { ...where, inMacro: true }
          : s.k === 'block'
            ? { ...where, inBlock: true }
            : s.k === 'callblock' || s.k === 'setblock' || s.k === 'filterblock'
              ? { ...where, inCapture: true }
              : where;
    for (const body of childStmts(s)) this.statements(body, inner);
  }

  /** Inner expressions first, so the first problem in reading order is the one reported. */
  private expression(e: Expr): void {
    for (const child of childExprs(e)) this.expression(child);
    switch (e.k) {
      case 'name':
        this.name(e.name, e.p);
        break;
      case 'getattr':
        this.name(e.attr, e.p);
        break;
      case 'getitem':
        if (e.key.k === 'const' && typeof e.key.value === 'string') this.name(e.key.value, e.key.p);
        break;
      case 'call':
        this.callee(e.fn);
        e.call.kwargs.forEach(([k]) => this.name(k, e.p));
        break;
      case 'filter':
        if (!filterNamed(e.name)) {
          this.fail(JINJA_FILTERS.has(e.name) ? `the Jinja filter '${e.name}' is not supported by layerlint's renderer` : `no filter named '${e.name}'`, e.p);
        }
        e.call.kwargs.forEach(([k]) => this.name(k, e.p));
        break;
      case 'test':
        if (!testNamed(e.name)) {
          this.fail(JINJA_TESTS.has(e.name) ? `the Jinja test '${e.name}' is not supported by layerlint's renderer` : `no test named '${e.name}'`, e.p);
        }
        break;
      case 'dict':
        for (const [key] of e.pairs) {
          if (key.k === 'const' && typeof key.value === 'boolean') this.fail('boolean dict keys are not supported', key.p);
        }
        break;
    }
  }

  private callee(fn: Expr): void {
    switch (fn.k) {
      case 'name':
        if (SUPPORTED_FUNCTIONS.has(fn.name) || IMPLICIT_CALLABLES.has(fn.name) || this.bound.has(fn.name)) return;
        if (Object.hasOwn(UNSUPPORTED_GLOBALS, fn.name)) this.fail(UNSUPPORTED_GLOBALS[fn.name] as string, fn.p);
        this.fail(`unknown function '${fn.name}': only macros and ${[...SUPPORTED_FUNCTIONS].join(', ')} can be called`, fn.p);
        break;
      case 'getattr':
      case 'getitem':
      case 'call':
      case 'filter':
      case 'cond':
        return;
      default:
        this.fail(`a ${fn.k === 'const' ? 'constant' : fn.k} is not callable`, fn.p);
    }
  }
}
