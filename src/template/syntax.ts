// The parsed form of a Jinja template. Positions are 1-based lines and columns of the template text.

export interface Pos {
  line: number;
  col: number;
}

export interface CallArgs {
  args: Expr[];
  kwargs: [string, Expr][];
  dynArgs: Expr | null;
  dynKwargs: Expr | null;
}

export type CompareOp = 'eq' | 'ne' | 'lt' | 'lteq' | 'gt' | 'gteq' | 'in' | 'notin';
export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**';

export type Expr =
  | { k: 'const'; value: string | number | boolean | null; p: Pos }
  | { k: 'name'; name: string; p: Pos }
  | { k: 'list'; items: Expr[]; p: Pos }
  | { k: 'tuple'; items: Expr[]; p: Pos }
  | { k: 'dict'; pairs: [Expr, Expr][]; p: Pos }
  | { k: 'getattr'; obj: Expr; attr: string; p: Pos }
  | { k: 'getitem'; obj: Expr; key: Expr; p: Pos }
  | { k: 'slice'; start: Expr | null; stop: Expr | null; step: Expr | null; p: Pos }
  | { k: 'call'; fn: Expr; call: CallArgs; p: Pos }
  /** `node` is null for the filter of a `{% filter %}` block, which applies to the block's output. */
  | { k: 'filter'; name: string; node: Expr | null; call: CallArgs; p: Pos }
  | { k: 'test'; name: string; node: Expr; call: CallArgs; p: Pos }
  | { k: 'not'; node: Expr; p: Pos }
  | { k: 'neg' | 'pos'; node: Expr; p: Pos }
  | { k: 'and' | 'or'; left: Expr; right: Expr; p: Pos }
  | { k: 'bin'; op: BinaryOp; left: Expr; right: Expr; p: Pos }
  | { k: 'concat'; items: Expr[]; p: Pos }
  | { k: 'compare'; first: Expr; ops: [CompareOp, Expr][]; p: Pos }
  | { k: 'cond'; test: Expr; body: Expr; orelse: Expr | null; p: Pos };

export type Target = { k: 'name'; name: string; p: Pos } | { k: 'tuple'; items: Target[]; p: Pos };

export interface MacroSignature {
  params: string[];
  /** Defaults of the last `defaults.length` params. */
  defaults: Expr[];
}

export type Stmt =
  | { k: 'data'; text: string; p: Pos }
  | { k: 'output'; expr: Expr; p: Pos }
  | { k: 'if'; test: Expr; body: Stmt[]; orelse: Stmt[]; p: Pos }
  | { k: 'for'; target: Target; iter: Expr; filter: Expr | null; body: Stmt[]; orelse: Stmt[]; p: Pos }
  | { k: 'set'; target: Target; value: Expr; p: Pos }
  | { k: 'setblock'; target: Target; filter: Expr | null; body: Stmt[]; p: Pos }
  | { k: 'block'; name: string; body: Stmt[]; p: Pos }
  | { k: 'extends'; template: Expr; p: Pos }
  | { k: 'include'; template: Expr; ignoreMissing: boolean; withContext: boolean; p: Pos }
  | { k: 'import'; template: Expr; target: string; withContext: boolean; p: Pos }
  | { k: 'from'; template: Expr; names: [string, string][]; withContext: boolean; p: Pos }
  | ({ k: 'macro'; name: string; body: Stmt[]; p: Pos } & MacroSignature)
  | ({ k: 'callblock'; call: Extract<Expr, { k: 'call' }>; body: Stmt[]; p: Pos } & MacroSignature)
  | { k: 'filterblock'; filter: Expr; body: Stmt[]; p: Pos };

export type StmtOf<K extends Stmt['k']> = Extract<Stmt, { k: K }>;
export type ExprOf<K extends Expr['k']> = Extract<Expr, { k: K }>;

/** Every expression directly inside an expression, in evaluation order. */
export function childExprs(e: Expr): Expr[] {
  switch (e.k) {
    case 'const':
    case 'name':
      return [];
    case 'list':
    case 'tuple':
    case 'concat':
      return e.items;
    case 'dict':
      return e.pairs.flat();
    case 'getattr':
      return [e.obj];
    case 'getitem':
      return [e.obj, e.key];
    case 'slice':
      return [e.start, e.stop, e.step].filter((x): x is Expr => x !== null);
    case 'call':
      return [e.fn, ...callExprs(e.call)];
    case 'filter':
      return [...(e.node ? [e.node] : []), ...callExprs(e.call)];
    case 'test':
      return [e.node, ...callExprs(e.call)];
    case 'not':
    case 'neg':
    case 'pos':
      return [e.node];
    case 'and':
    case 'or':
    case 'bin':
      return [e.left, e.right];
    case 'compare':
      return [e.first, ...e.ops.map(([, x]) => x)];
    case 'cond':
      return [e.test, e.body, ...(e.orelse ? [e.orelse] : [])];
  }
}

export function callExprs(c: CallArgs): Expr[] {
  return [...c.args, ...c.kwargs.map(([, v]) => v), ...(c.dynArgs ? [c.dynArgs] : []), ...(c.dynKwargs ? [c.dynKwargs] : [])];
}

/** The expressions a statement evaluates itself (not those of nested statements). */
export function stmtExprs(s: Stmt): Expr[] {
  switch (s.k) {
    case 'data':
    case 'block':
      return [];
    case 'output':
      return [s.expr];
    case 'if':
      return [s.test];
    case 'for':
      return [s.iter, ...(s.filter ? [s.filter] : [])];
    case 'set':
      return [s.value];
    case 'setblock':
      return s.filter ? [s.filter] : [];
    case 'extends':
    case 'include':
    case 'import':
    case 'from':
      return [s.template];
    case 'macro':
      return s.defaults;
    case 'callblock':
      return [s.call, ...s.defaults];
    case 'filterblock':
      return [s.filter];
  }
}

export function childStmts(s: Stmt): Stmt[][] {
  switch (s.k) {
    case 'if':
    case 'for':
      return [s.body, s.orelse];
    case 'setblock':
    case 'block':
    case 'macro':
    case 'callblock':
    case 'filterblock':
      return [s.body];
    default:
      return [];
  }
}

export function targetNames(t: Target): string[] {
  return t.k === 'name' ? [t.name] : t.items.flatMap(targetNames);
}
