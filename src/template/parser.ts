// Parses a template with nunjucks' tokenizer and parser core, following Jinja2's grammar where the
// two differ: Jinja's operator precedence (`is` and filters bind tightest, `~` between `+` and `*`),
// trailing commas, `*args`/`**kwargs` in calls, `True`/`False`/`None`, tuples, slices, loop filters,
// Python string escapes, and Jinja's handling of line endings and one trailing newline. Constructs
// that would render differently from Jinja (floats, regex literals, nunjucks-only tags) are refused.
import nunjucks from 'nunjucks';
import type { BinaryOp, CallArgs, CompareOp, Expr, MacroSignature, Pos, Stmt, Target } from './syntax.js';
import { pyStrip } from './values.js';

/** A template that cannot be compiled or rendered, at a position in a template file. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    readonly reason: string,
    /** Absolute path of the template file the position is in. */
    readonly file: string,
    readonly line: number,
    readonly column: number,
    /** Where the template that failed was called from, innermost last: macro calls, includes, blocks. */
    readonly trace: readonly { file: string; line: number; column: number; what: string }[] = [],
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
  }
}

interface Token {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}

/** A token a type guard has checked; the brand keeps the guard from narrowing its false branch to null. */
interface CheckedToken extends Token {
  readonly __checked: true;
}

interface Tokenizer {
  nextToken(): Token | null;
  index: number;
  str: string;
  forwardN(n: number): void;
}

interface ParserBase {
  tokens: Tokenizer;
  breakOnBlocks: string[] | null;
  dropLeadingWhitespace: boolean;
  nextToken(): Token | null;
  peekToken(): Token | null;
  pushToken(tok: Token | null): void;
}

interface NunjucksInternals {
  lexer: { lex(src: string, opts?: object): Tokenizer } & Record<string, string>;
  parser: { Parser: new (tokens: Tokenizer) => ParserBase };
}

const internals = nunjucks as unknown as NunjucksInternals;
const L = internals.lexer;
const T = {
  STRING: L.TOKEN_STRING as string,
  DATA: L.TOKEN_DATA as string,
  BLOCK_START: L.TOKEN_BLOCK_START as string,
  BLOCK_END: L.TOKEN_BLOCK_END as string,
  VARIABLE_START: L.TOKEN_VARIABLE_START as string,
  VARIABLE_END: L.TOKEN_VARIABLE_END as string,
  COMMENT: L.TOKEN_COMMENT as string,
  LEFT_PAREN: L.TOKEN_LEFT_PAREN as string,
  RIGHT_PAREN: L.TOKEN_RIGHT_PAREN as string,
  LEFT_BRACKET: L.TOKEN_LEFT_BRACKET as string,
  RIGHT_BRACKET: L.TOKEN_RIGHT_BRACKET as string,
  LEFT_CURLY: L.TOKEN_LEFT_CURLY as string,
  RIGHT_CURLY: L.TOKEN_RIGHT_CURLY as string,
  OPERATOR: L.TOKEN_OPERATOR as string,
  COMMA: L.TOKEN_COMMA as string,
  COLON: L.TOKEN_COLON as string,
  TILDE: L.TOKEN_TILDE as string,
  PIPE: L.TOKEN_PIPE as string,
  INT: L.TOKEN_INT as string,
  FLOAT: L.TOKEN_FLOAT as string,
  BOOLEAN: L.TOKEN_BOOLEAN as string,
  NONE: L.TOKEN_NONE as string,
  SYMBOL: L.TOKEN_SYMBOL as string,
  REGEX: L.TOKEN_REGEX as string,
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const COMPARE_OPS: Record<string, CompareOp> = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'lteq', '>': 'gt', '>=': 'gteq' };
const UNSUPPORTED_TAGS: Record<string, string> = {
  with: 'the with tag is not supported; use set',
  autoescape: 'autoescape is always off when rendering Dockerfiles',
  do: 'the do tag (an extension) is not enabled in Jinja by default',
  break: 'break (an extension) is not enabled in Jinja by default',
  continue: 'continue (an extension) is not enabled in Jinja by default',
  trans: 'the i18n extension is not enabled in Jinja by default',
};
/** Code points whose whitespace-ness differs between Python and JavaScript, so trimming could differ. */
const AMBIGUOUS_SPACE = /[\x1c-\x1f\x85\ufeff]/;

/** Jinja's view of a template's text: every line ending becomes \n, and one trailing newline is dropped. */
export function normalizeTemplateText(text: string): string {
  const normalized = text.replace(/\r\n|\r/g, '\n');
  return normalized.endsWith('\n') ? normalized.slice(0, -1) : normalized;
}

export function parseTemplate(source: string, file: string): Stmt[] {
  const text = normalizeTemplateText(source);
  const ambiguous = AMBIGUOUS_SPACE.exec(text);
  if (ambiguous) {
    const { line, col } = positionIn(text, ambiguous.index);
    const code = (ambiguous[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
    throw new TemplateError(`the character U+${code} is whitespace to Python but not to JavaScript (or the reverse); remove it`, file, line, col);
  }
  const parser = new JinjaParser(text, file);
  try {
    return parser.parseRoot();
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    const e = error as { message?: string; lineno?: number; colno?: number };
    const where = parser.lastPosition();
    const message = String(e.message ?? error).replace(/^\(unknown path\)\s*(\[Line \d+, Column \d+\])?\s*/, '');
    throw new TemplateError(message, file, e.lineno ?? where.line, e.colno ?? where.col);
  }
}

function positionIn(text: string, offset: number): Pos {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}

const EMPTY_CALL = (): CallArgs => ({ args: [], kwargs: [], dynArgs: null, dynKwargs: null });

class JinjaParser extends internals.parser.Parser {
  private readonly buffer: (Token | null)[] = [];
  private readonly lineStarts: number[] = [0];
  private last: Pos = { line: 1, col: 1 };

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    super(L.lex(text, {}));
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  // ---- token stream: nunjucks' tokenizer behind a lookahead buffer (Jinja needs two tokens of it)

  private read(): Token | null {
    for (;;) {
      let tok: Token | null;
      try {
        tok = this.tokens.nextToken();
      } catch (error) {
        throw this.errorAt(String((error as Error).message ?? error), this.last);
      }
      if (tok === null) return null;
      if (tok.type !== 'whitespace') {
        this.last = { line: tok.lineno + 1, col: tok.colno + 1 };
        return tok;
      }
    }
  }

  override nextToken(): Token | null {
    return this.buffer.length > 0 ? (this.buffer.shift() as Token | null) : this.read();
  }

  override peekToken(): Token | null {
    return this.look(0);
  }

  private look(n: number): Token | null {
    while (this.buffer.length <= n) this.buffer.push(this.read());
    return this.buffer[n] as Token | null;
  }

  override pushToken(tok: Token | null): void {
    this.buffer.unshift(tok);
  }

  lastPosition(): Pos {
    return this.last;
  }

  private pos(tok: Token | null): Pos {
    return tok ? { line: tok.lineno + 1, col: tok.colno + 1 } : this.last;
  }

  private errorAt(message: string, p: Pos): TemplateError {
    return new TemplateError(message, this.file, p.line, p.col);
  }

  private fail(message: string, tok: Token | null = this.peekToken()): never {
    throw this.errorAt(message, this.pos(tok));
  }

  private describe(tok: Token | null): string {
    if (tok === null) return 'end of template';
    if (tok.type === T.BLOCK_END) return 'end of statement block';
    if (tok.type === T.VARIABLE_END) return 'end of print statement';
    return `'${tok.value}'`;
  }

  private is(tok: Token | null, type: string, value?: string): tok is CheckedToken {
    return tok !== null && tok.type === type && (value === undefined || tok.value === value);
  }

  private isName(tok: Token | null, value?: string): tok is CheckedToken {
    return this.is(tok, T.SYMBOL, value);
  }

  private isOp(tok: Token | null, value: string): tok is CheckedToken {
    return this.is(tok, T.OPERATOR, value);
  }

  private expectType(type: string, what: string): Token {
    const tok = this.nextToken();
    if (!this.is(tok, type)) this.fail(`expected ${what}, got ${this.describe(tok)}`, tok);
    return tok;
  }

  private expectName(value?: string): Token {
    const tok = this.nextToken();
    if (!this.isName(tok, value)) this.fail(`expected ${value === undefined ? 'a name' : `'${value}'`}, got ${this.describe(tok)}`, tok);
    return tok;
  }

  private identifier(tok: Token): string {
    if (!IDENTIFIER.test(tok.value)) {
      if (/^\d/.test(tok.value)) this.fail(`the number '${tok.value}' is not supported (only decimal integers without underscores are)`, tok);
      this.fail(`'${tok.value}' is not a valid name`, tok);
    }
    return tok.value;
  }

  private expectBlockEnd(): void {
    const tok = this.nextToken();
    if (!this.is(tok, T.BLOCK_END)) this.fail(`expected end of statement block, got ${this.describe(tok)}`, tok);
    if (tok.value.charAt(0) === '-') this.dropLeadingWhitespace = true;
  }

  private expectEndTag(name: string): void {
    const tok = this.nextToken();
    if (!this.isName(tok, name)) this.fail(`expected '${name}', got ${this.describe(tok)}`, tok);
    this.expectBlockEnd();
  }

  private offsetOf(tok: Token): number {
    return (this.lineStarts[tok.lineno] as number) + tok.colno;
  }

  private posAt(offset: number): Pos {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - (this.lineStarts[lo] as number) + 1 };
  }

  // ---- template structure

  parseRoot(): Stmt[] {
    const body = this.parseNodes();
    const rest = this.peekToken();
    if (rest !== null) this.fail(`unexpected ${this.describe(rest)}`, rest);
    return body;
  }

  private parseUntil(...names: string[]): Stmt[] {
    const previous = this.breakOnBlocks;
    this.breakOnBlocks = names;
    const body = this.parseNodes();
    this.breakOnBlocks = previous;
    const next = this.peekToken();
    if (next === null || !names.includes(next.value)) {
      this.fail(`unexpected end of template: Jinja was looking for ${names.map((n) => `'${n}'`).join(' or ')}`, next);
    }
    return body;
  }

  private parseNodes(): Stmt[] {
    const out: Stmt[] = [];
    for (let tok = this.nextToken(); tok !== null; tok = this.nextToken()) {
      if (tok.type === T.DATA) {
        let text = tok.value;
        let offset = this.offsetOf(tok);
        if (this.dropLeadingWhitespace) {
          const stripped = pyStrip(text, null, true, false);
          offset += text.length - stripped.length;
          text = stripped;
          this.dropLeadingWhitespace = false;
        }
        const next = this.peekToken();
        if (next !== null && wantsPrecedingTrim(next)) text = pyStrip(text, null, false, true);
        if (text !== '') out.push({ k: 'data', text, p: this.posAt(offset) });
      } else if (tok.type === T.BLOCK_START) {
        this.dropLeadingWhitespace = false;
        const stmt = this.parseStatement(tok);
        if (stmt === null) break;
        out.push(...stmt);
      } else if (tok.type === T.VARIABLE_START) {
        const expr = this.parseTuple({ withCondexpr: true });
        const end = this.nextToken();
        if (!this.is(end, T.VARIABLE_END)) this.fail(`expected end of print statement, got ${this.describe(end)}`, end);
        this.dropLeadingWhitespace = end.value.charAt(0) === '-';
        out.push({ k: 'output', expr, p: this.pos(tok) });
      } else if (tok.type === T.COMMENT) {
        this.dropLeadingWhitespace = tok.value.endsWith('-#}');
      } else {
        this.fail(`unexpected ${this.describe(tok)}`, tok);
      }
    }
    return out;
  }

  /** After `{%`: one statement, nothing for a closing tag the caller waits for (`null`), or a raw block. */
  private parseStatement(start: Token): Stmt[] | null {
    const tok = this.peekToken();
    if (!this.isName(tok)) this.fail('tag name expected', tok);
    if (this.breakOnBlocks?.includes(tok.value)) return null;
    const p = this.pos(start);
    switch (tok.value) {
      case 'if':
        return [this.parseIf(p)];
      case 'for':
        return [this.parseFor(p)];
      case 'set':
        return [this.parseSet(p)];
      case 'block':
        return [this.parseBlock(p)];
      case 'extends':
        this.nextToken();
        return [this.finish({ k: 'extends', template: this.parseExpression(), p })];
      case 'include':
        return [this.parseInclude(p)];
      case 'import':
        return [this.parseImport(p)];
      case 'from':
        return [this.parseFrom(p)];
      case 'macro':
        return [this.parseMacro(p)];
      case 'call':
        return [this.parseCallBlock(p)];
      case 'filter':
        return [this.parseFilterBlock(p)];
      case 'print': {
        // Unlike {{ a, b }} (a tuple), {% print a, b %} prints each expression.
        this.nextToken();
        const out: Stmt[] = [];
        while (!this.is(this.peekToken(), T.BLOCK_END)) {
          if (out.length > 0) this.expectType(T.COMMA, "','");
          out.push({ k: 'output', expr: this.parseExpression(), p });
        }
        this.expectBlockEnd();
        return out;
      }
      case 'raw':
        return this.parseRaw(start);
    }
    const reason = UNSUPPORTED_TAGS[tok.value];
    if (reason !== undefined) this.fail(`unsupported tag '${tok.value}': ${reason}`, tok);
    this.fail(`encountered unknown tag '${tok.value}'${this.breakOnBlocks ? `; Jinja was looking for ${this.breakOnBlocks.map((n) => `'${n}'`).join(' or ')}` : ''}`, tok);
  }

  private finish(stmt: Stmt): Stmt {
    this.expectBlockEnd();
    return stmt;
  }

  private parseIf(p: Pos): Stmt {
    this.nextToken();
    const test = this.parseTuple({ withCondexpr: false });
    this.expectBlockEnd();
    const body = this.parseUntil('elif', 'else', 'endif');
    const tag = this.peekToken() as Token;
    if (tag.value === 'elif') return { k: 'if', test, body, orelse: [this.parseIf(this.pos(tag))], p };
    this.nextToken();
    this.expectBlockEnd();
    if (tag.value === 'endif') return { k: 'if', test, body, orelse: [], p };
    const orelse = this.parseUntil('endif');
    this.expectEndTag('endif');
    return { k: 'if', test, body, orelse, p };
  }

  private parseFor(p: Pos): Stmt {
    this.nextToken();
    const target = this.parseAssignTarget((tok) => this.isName(tok, 'in'));
    this.expectName('in');
    const iter = this.parseTuple({ withCondexpr: false, extraEnd: (tok) => this.isName(tok, 'recursive') });
    let filter: Expr | null = null;
    if (this.isName(this.peekToken(), 'if')) {
      this.nextToken();
      filter = this.parseExpression();
    }
    if (this.isName(this.peekToken(), 'recursive')) this.fail('recursive loops are not supported');
    this.expectBlockEnd();
    const body = this.parseUntil('endfor', 'else');
    const tag = this.nextToken() as Token;
    this.expectBlockEnd();
    if (tag.value === 'endfor') return { k: 'for', target, iter, filter, body, orelse: [], p };
    const orelse = this.parseUntil('endfor');
    this.expectEndTag('endfor');
    return { k: 'for', target, iter, filter, body, orelse, p };
  }

  private parseSet(p: Pos): Stmt {
    this.nextToken();
    if (this.isName(this.peekToken()) && this.isOp(this.look(1), '.')) this.fail('namespace assignments (ns.attr = ...) are not supported');
    const target = this.parseAssignTarget(null);
    if (this.isOp(this.peekToken(), '=')) {
      this.nextToken();
      return this.finish({ k: 'set', target, value: this.parseTuple({ withCondexpr: true }), p });
    }
    const filter = this.is(this.peekToken(), T.PIPE) ? this.parseFilter(null, false) : null;
    this.expectBlockEnd();
    const body = this.parseUntil('endset');
    this.expectEndTag('endset');
    return { k: 'setblock', target, filter, body, p };
  }

  private parseBlock(p: Pos): Stmt {
    this.nextToken();
    const name = this.identifier(this.expectName());
    const next = this.peekToken();
    if (this.isName(next, 'scoped') || this.isName(next, 'required')) this.fail(`${next.value} blocks are not supported`, next);
    if (this.isOp(next, '-') && !this.is(this.look(1), T.BLOCK_END)) {
      this.fail('Block names in Jinja have to be valid Python identifiers and may not contain hyphens, use an underscore instead.', next);
    }
    this.expectBlockEnd();
    const body = this.parseUntil('endblock');
    this.nextToken();
    if (this.isName(this.peekToken(), name)) this.nextToken();
    this.expectBlockEnd();
    return { k: 'block', name, body, p };
  }

  private parseImportContext(dflt: boolean): boolean {
    const tok = this.peekToken();
    if ((this.isName(tok, 'with') || this.isName(tok, 'without')) && this.isName(this.look(1), 'context')) {
      this.nextToken();
      this.nextToken();
      return tok.value === 'with';
    }
    return dflt;
  }

  private parseInclude(p: Pos): Stmt {
    this.nextToken();
    const template = this.parseExpression();
    let ignoreMissing = false;
    if (this.isName(this.peekToken(), 'ignore') && this.isName(this.look(1), 'missing')) {
      this.nextToken();
      this.nextToken();
      ignoreMissing = true;
    }
    const withContext = this.parseImportContext(true);
    return this.finish({ k: 'include', template, ignoreMissing, withContext, p });
  }

  private parseImport(p: Pos): Stmt {
    this.nextToken();
    const template = this.parseExpression();
    this.expectName('as');
    const target = this.identifier(this.expectName());
    const withContext = this.parseImportContext(false);
    return this.finish({ k: 'import', template, target, withContext, p });
  }

  private parseFrom(p: Pos): Stmt {
    this.nextToken();
    const template = this.parseExpression();
    this.expectName('import');
    const names: [string, string][] = [];
    let withContext: boolean | null = null;
    const context = (): boolean => {
      const tok = this.peekToken();
      if ((this.isName(tok, 'with') || this.isName(tok, 'without')) && this.isName(this.look(1), 'context')) {
        withContext = tok.value === 'with';
        this.nextToken();
        this.nextToken();
        return true;
      }
      return false;
    };
    for (;;) {
      if (names.length > 0) this.expectType(T.COMMA, "','");
      if (this.isName(this.peekToken())) {
        if (context()) break;
        const tok = this.nextToken() as Token;
        const name = this.identifier(tok);
        if (name.startsWith('_')) this.fail('names starting with an underline can not be imported', tok);
        let alias = name;
        if (this.isName(this.peekToken(), 'as')) {
          this.nextToken();
          alias = this.identifier(this.expectName());
        }
        names.push([name, alias]);
        if (context() || !this.is(this.peekToken(), T.COMMA)) break;
      } else this.expectName();
    }
    return this.finish({ k: 'from', template, names, withContext: withContext ?? false, p });
  }

  private parseSignature(): MacroSignature {
    const params: string[] = [];
    const defaults: Expr[] = [];
    this.expectType(T.LEFT_PAREN, "'('");
    while (!this.is(this.peekToken(), T.RIGHT_PAREN)) {
      if (params.length > 0) this.expectType(T.COMMA, "','");
      const tok = this.expectName();
      const name = this.identifier(tok);
      if (this.isOp(this.peekToken(), '=')) {
        this.nextToken();
        defaults.push(this.parseExpression());
      } else if (defaults.length > 0) this.fail('non-default argument follows default argument', tok);
      params.push(name);
    }
    this.nextToken();
    return { params, defaults };
  }

  private parseMacro(p: Pos): Stmt {
    this.nextToken();
    const name = this.identifier(this.expectName());
    const signature = this.parseSignature();
    this.expectBlockEnd();
    const body = this.parseUntil('endmacro');
    this.expectEndTag('endmacro');
    return { k: 'macro', name, ...signature, body, p };
  }

  private parseCallBlock(p: Pos): Stmt {
    this.nextToken();
    const signature = this.is(this.peekToken(), T.LEFT_PAREN) ? this.parseSignature() : { params: [], defaults: [] };
    const start = this.peekToken();
    const call = this.parseExpression();
    if (call.k !== 'call') this.fail('expected call', start);
    this.expectBlockEnd();
    const body = this.parseUntil('endcall');
    this.expectEndTag('endcall');
    return { k: 'callblock', call, ...signature, body, p };
  }

  private parseFilterBlock(p: Pos): Stmt {
    this.nextToken();
    const filter = this.parseFilter(null, true);
    this.expectBlockEnd();
    const body = this.parseUntil('endfilter');
    this.expectEndTag('endfilter');
    return { k: 'filterblock', filter, body, p };
  }

  /** `{% raw %}...{% endraw %}`: the text in between, read straight from the template. */
  private parseRaw(start: Token): Stmt[] {
    this.nextToken();
    const end = this.nextToken();
    if (!this.is(end, T.BLOCK_END)) this.fail(`expected end of statement block, got ${this.describe(end)}`, end);
    if (this.buffer.length > 0) this.fail('unexpected tokens after raw', end);
    const rest = this.text.slice(this.tokens.index);
    const match = /^([\s\S]*?)\{%([-+]?)\s*endraw\s*([-+]?)%\}/.exec(rest);
    if (!match) this.fail("missing end of raw directive: Jinja was looking for 'endraw'", start);
    if (match[2] === '+' || match[3] === '+') this.fail("'+' whitespace control is not supported", start);
    let content = match[1] as string;
    let offset = this.tokens.index;
    if (end.value.charAt(0) === '-') {
      const stripped = pyStrip(content, null, true, false);
      offset += content.length - stripped.length;
      content = stripped;
    }
    if (match[2] === '-') content = pyStrip(content, null, false, true);
    this.tokens.forwardN(match[0].length);
    this.dropLeadingWhitespace = match[3] === '-';
    return content === '' ? [] : [{ k: 'data', text: content, p: this.posAt(offset) }];
  }

  // ---- expressions (jinja2/parser.py)

  private parseAssignTarget(extraEnd: ((tok: Token | null) => boolean) | null): Target {
    const items: Target[] = [];
    let isTuple = false;
    const p = this.pos(this.peekToken());
    for (;;) {
      if (items.length > 0) this.expectType(T.COMMA, "','");
      const tok = this.peekToken();
      if (this.isTupleEnd(extraEnd ?? undefined) || tok === null) break;
      if (tok.type === T.LEFT_PAREN) {
        this.nextToken();
        const inner = this.parseAssignTarget(null);
        this.expectType(T.RIGHT_PAREN, "')'");
        items.push(inner);
      } else if (this.isName(tok) || tok.type === T.BOOLEAN || tok.type === T.NONE) {
        this.nextToken();
        const name = this.identifier(tok);
        if (['true', 'false', 'none', 'True', 'False', 'None'].includes(name)) this.fail(`can't assign to '${name}'`, tok);
        items.push({ k: 'name', name, p: this.pos(tok) });
      } else this.fail(`can't assign to ${this.describe(tok)}`, tok);
      if (this.is(this.peekToken(), T.COMMA)) isTuple = true;
      else break;
    }
    if (!isTuple) {
      const only = items[0];
      if (only) return only;
      this.fail('expected an assignment target');
    }
    return { k: 'tuple', items, p };
  }

  private isTupleEnd(extraEnd?: (tok: Token | null) => boolean): boolean {
    const tok = this.peekToken();
    if (tok === null) return true;
    if (tok.type === T.VARIABLE_END || tok.type === T.BLOCK_END || tok.type === T.RIGHT_PAREN) return true;
    return extraEnd !== undefined && extraEnd(tok);
  }

  private parseTuple(opts: { withCondexpr: boolean; extraEnd?: (tok: Token | null) => boolean; explicitParens?: boolean }): Expr {
    const p = this.pos(this.peekToken());
    const items: Expr[] = [];
    let isTuple = false;
    for (;;) {
      if (items.length > 0) this.expectType(T.COMMA, "','");
      if (this.isTupleEnd(opts.extraEnd)) break;
      items.push(opts.withCondexpr ? this.parseExpression() : this.parseOr());
      if (this.is(this.peekToken(), T.COMMA)) isTuple = true;
      else break;
    }
    if (!isTuple) {
      const only = items[0];
      if (only) return only;
      if (!opts.explicitParens) this.fail(`expected an expression, got ${this.describe(this.peekToken())}`);
    }
    return { k: 'tuple', items, p };
  }

  private parseExpression(): Expr {
    return this.parseCondexpr();
  }

  private parseCondexpr(): Expr {
    let body = this.parseOr();
    while (this.isName(this.peekToken(), 'if')) {
      const p = this.pos(this.nextToken());
      const test = this.parseOr();
      let orelse: Expr | null = null;
      if (this.isName(this.peekToken(), 'else')) {
        this.nextToken();
        orelse = this.parseCondexpr();
      }
      body = { k: 'cond', test, body, orelse, p };
    }
    return body;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isName(this.peekToken(), 'or')) {
      const p = this.pos(this.nextToken());
      left = { k: 'or', left, right: this.parseAnd(), p };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.isName(this.peekToken(), 'and')) {
      const p = this.pos(this.nextToken());
      left = { k: 'and', left, right: this.parseNot(), p };
    }
    return left;
  }

  private parseNot(): Expr {
    const tok = this.peekToken();
    if (this.isName(tok, 'not')) {
      this.nextToken();
      return { k: 'not', node: this.parseNot(), p: this.pos(tok) };
    }
    return this.parseCompare();
  }

  private parseCompare(): Expr {
    const first = this.parseMath1();
    const ops: [CompareOp, Expr][] = [];
    for (;;) {
      const tok = this.peekToken();
      if (this.is(tok, T.OPERATOR) && tok.value in COMPARE_OPS) {
        this.nextToken();
        ops.push([COMPARE_OPS[tok.value] as CompareOp, this.parseMath1()]);
      } else if (this.is(tok, T.OPERATOR) && (tok.value === '===' || tok.value === '!==')) {
        this.fail(`'${tok.value}' is not a Jinja operator`, tok);
      } else if (this.isName(tok, 'in')) {
        this.nextToken();
        ops.push(['in', this.parseMath1()]);
      } else if (this.isName(tok, 'not') && this.isName(this.look(1), 'in')) {
        this.nextToken();
        this.nextToken();
        ops.push(['notin', this.parseMath1()]);
      } else break;
    }
    return ops.length === 0 ? first : { k: 'compare', first, ops, p: first.p };
  }

  private parseBinary(ops: readonly string[], next: () => Expr): Expr {
    let left = next();
    for (let tok = this.peekToken(); this.is(tok, T.OPERATOR) && ops.includes(tok.value); tok = this.peekToken()) {
      this.nextToken();
      left = { k: 'bin', op: tok.value as BinaryOp, left, right: next(), p: this.pos(tok) };
    }
    return left;
  }

  private parseMath1(): Expr {
    return this.parseBinary(['+', '-'], () => this.parseConcat());
  }

  private parseConcat(): Expr {
    const items = [this.parseMath2()];
    while (this.is(this.peekToken(), T.TILDE)) {
      this.nextToken();
      items.push(this.parseMath2());
    }
    return items.length === 1 ? (items[0] as Expr) : { k: 'concat', items, p: (items[0] as Expr).p };
  }

  private parseMath2(): Expr {
    return this.parseBinary(['*', '/', '//', '%'], () => this.parsePow());
  }

  private parsePow(): Expr {
    return this.parseBinary(['**'], () => this.parseUnary(true));
  }

  private parseUnary(withFilter: boolean): Expr {
    const tok = this.peekToken();
    let node: Expr;
    if (this.isOp(tok, '-') || this.isOp(tok, '+')) {
      this.nextToken();
      node = { k: tok.value === '-' ? 'neg' : 'pos', node: this.parseUnary(false), p: this.pos(tok) };
    } else node = this.parsePrimary();
    node = this.parsePostfix(node);
    return withFilter ? this.parseFilterExpr(node) : node;
  }

  private parsePrimary(): Expr {
    const tok = this.nextToken();
    const p = this.pos(tok);
    if (tok === null) this.fail('unexpected end of template, expected an expression', tok);
    switch (tok.type) {
      case T.SYMBOL: {
        if (tok.value === 'True') return { k: 'const', value: true, p };
        if (tok.value === 'False') return { k: 'const', value: false, p };
        if (tok.value === 'None') return { k: 'const', value: null, p };
        return { k: 'name', name: this.identifier(tok), p };
      }
      case T.BOOLEAN:
        return { k: 'const', value: tok.value === 'true', p };
      case T.NONE:
        // nunjucks reads `null` as none; to Jinja it is an ordinary (usually undefined) name.
        return tok.value === 'null' ? { k: 'name', name: 'null', p } : { k: 'const', value: null, p };
      case T.STRING: {
        let value = this.stringValue(tok);
        while (this.is(this.peekToken(), T.STRING)) value += this.stringValue(this.nextToken() as Token);
        return { k: 'const', value, p };
      }
      case T.INT:
        if (tok.value.length > 1 && tok.value.startsWith('0')) this.fail(`the number '${tok.value}' is not supported (leading zeros)`, tok);
        if (!Number.isSafeInteger(Number(tok.value))) this.fail(`the integer ${tok.value} is out of the supported range (±2^53)`, tok);
        return { k: 'const', value: Number(tok.value), p };
      case T.FLOAT:
        this.fail(`floating-point numbers are not supported (${tok.value}): Python prints them differently from JavaScript`, tok);
        break;
      case T.REGEX:
        this.fail('regular expression literals are a nunjucks extension, not Jinja', tok);
        break;
      case T.LEFT_PAREN: {
        const inner = this.parseTuple({ withCondexpr: true, explicitParens: true });
        this.expectType(T.RIGHT_PAREN, "')'");
        return inner;
      }
      case T.LEFT_BRACKET:
        return this.parseList(p);
      case T.LEFT_CURLY:
        return this.parseDict(p);
    }
    this.fail(`unexpected ${this.describe(tok)}`, tok);
  }

  private parseList(p: Pos): Expr {
    const items: Expr[] = [];
    while (!this.is(this.peekToken(), T.RIGHT_BRACKET)) {
      if (items.length > 0) {
        this.expectType(T.COMMA, "','");
        if (this.is(this.peekToken(), T.RIGHT_BRACKET)) break;
      }
      items.push(this.parseExpression());
    }
    this.expectType(T.RIGHT_BRACKET, "']'");
    return { k: 'list', items, p };
  }

  private parseDict(p: Pos): Expr {
    const pairs: [Expr, Expr][] = [];
    while (!this.is(this.peekToken(), T.RIGHT_CURLY)) {
      if (pairs.length > 0) {
        this.expectType(T.COMMA, "','");
        if (this.is(this.peekToken(), T.RIGHT_CURLY)) break;
      }
      const key = this.parseExpression();
      this.expectType(T.COLON, "':'");
      pairs.push([key, this.parseExpression()]);
    }
    this.expectType(T.RIGHT_CURLY, "'}'");
    return { k: 'dict', pairs, p };
  }

  private parsePostfix(node: Expr): Expr {
    for (;;) {
      const tok = this.peekToken();
      if (this.isOp(tok, '.') || this.is(tok, T.LEFT_BRACKET)) node = this.parseSubscript(node);
      else if (this.is(tok, T.LEFT_PAREN)) node = this.parseCall(node);
      else return node;
    }
  }

  private parseFilterExpr(node: Expr): Expr {
    for (;;) {
      const tok = this.peekToken();
      if (this.is(tok, T.PIPE)) node = this.parseFilter(node, false);
      else if (this.isName(tok, 'is')) node = this.parseTest(node);
      else if (this.is(tok, T.LEFT_PAREN)) node = this.parseCall(node);
      else return node;
    }
  }

  /** `a.b`, `a[b]`; positioned at the start of `a`, where the whole expression starts. */
  private parseSubscript(node: Expr): Expr {
    const tok = this.nextToken() as Token;
    const p = node.p;
    if (tok.type === T.OPERATOR) {
      const attr = this.nextToken();
      if (this.isName(attr)) return { k: 'getattr', obj: node, attr: this.identifier(attr), p };
      if (this.is(attr, T.BOOLEAN) || this.is(attr, T.NONE)) return { k: 'getattr', obj: node, attr: attr.value, p };
      if (this.is(attr, T.INT)) return { k: 'getitem', obj: node, key: { k: 'const', value: Number(attr.value), p: this.pos(attr) }, p };
      this.fail(`expected name or number, got ${this.describe(attr)}`, attr);
    }
    const keys: Expr[] = [];
    while (!this.is(this.peekToken(), T.RIGHT_BRACKET)) {
      if (keys.length > 0) this.expectType(T.COMMA, "','");
      keys.push(this.parseSubscribed());
    }
    this.expectType(T.RIGHT_BRACKET, "']'");
    const key: Expr = keys.length === 1 ? (keys[0] as Expr) : { k: 'tuple', items: keys, p };
    return { k: 'getitem', obj: node, key, p };
  }

  private parseSubscribed(): Expr {
    const p = this.pos(this.peekToken());
    const parts: (Expr | null)[] = [];
    if (this.is(this.peekToken(), T.COLON)) {
      this.nextToken();
      parts.push(null);
    } else {
      const node = this.parseExpression();
      if (!this.is(this.peekToken(), T.COLON)) return node;
      this.nextToken();
      parts.push(node);
    }
    const endOfPart = (): boolean => this.is(this.peekToken(), T.RIGHT_BRACKET) || this.is(this.peekToken(), T.COMMA);
    if (this.is(this.peekToken(), T.COLON)) parts.push(null);
    else parts.push(endOfPart() ? null : this.parseExpression());
    if (this.is(this.peekToken(), T.COLON)) {
      this.nextToken();
      parts.push(endOfPart() ? null : this.parseExpression());
    } else parts.push(null);
    return { k: 'slice', start: parts[0] ?? null, stop: parts[1] ?? null, step: parts[2] ?? null, p };
  }

  private parseCallArgs(): CallArgs {
    const open = this.expectType(T.LEFT_PAREN, "'('");
    const call = EMPTY_CALL();
    const ensure = (ok: boolean): void => {
      if (!ok) this.fail('invalid syntax for function call expression', open);
    };
    let requireComma = false;
    while (!this.is(this.peekToken(), T.RIGHT_PAREN)) {
      if (requireComma) {
        this.expectType(T.COMMA, "','");
        if (this.is(this.peekToken(), T.RIGHT_PAREN)) break;
      }
      const tok = this.peekToken();
      if (this.isOp(tok, '*')) {
        ensure(call.dynArgs === null && call.dynKwargs === null);
        this.nextToken();
        call.dynArgs = this.parseExpression();
      } else if (this.isOp(tok, '**')) {
        ensure(call.dynKwargs === null);
        this.nextToken();
        call.dynKwargs = this.parseExpression();
      } else if (this.isName(tok) && this.isOp(this.look(1), '=')) {
        ensure(call.dynArgs === null && call.dynKwargs === null);
        const key = this.identifier(this.nextToken() as Token);
        this.nextToken();
        call.kwargs.push([key, this.parseExpression()]);
      } else {
        ensure(call.dynArgs === null && call.dynKwargs === null && call.kwargs.length === 0);
        call.args.push(this.parseExpression());
      }
      requireComma = true;
    }
    this.expectType(T.RIGHT_PAREN, "')'");
    return call;
  }

  private parseCall(node: Expr): Expr {
    return { k: 'call', fn: node, call: this.parseCallArgs(), p: node.p };
  }

  private parseFilterName(): { name: string; p: Pos } {
    const tok = this.expectName();
    let name = tok.value;
    while (this.isOp(this.peekToken(), '.')) {
      this.nextToken();
      name += `.${this.expectName().value}`;
    }
    return { name, p: this.pos(tok) };
  }

  private parseFilter(node: Expr | null, startInline: boolean): Expr {
    let result = node;
    let inline = startInline;
    while (this.is(this.peekToken(), T.PIPE) || inline) {
      if (!inline) this.nextToken();
      inline = false;
      const { name, p } = this.parseFilterName();
      const call = this.is(this.peekToken(), T.LEFT_PAREN) ? this.parseCallArgs() : EMPTY_CALL();
      result = { k: 'filter', name, node: result, call, p };
    }
    return result as Expr;
  }

  private parseTest(node: Expr): Expr {
    const isTok = this.nextToken() as Token;
    let negated = false;
    if (this.isName(this.peekToken(), 'not')) {
      this.nextToken();
      negated = true;
    }
    const nameTok = this.nextToken();
    if (!(this.isName(nameTok) || this.is(nameTok, T.BOOLEAN) || this.is(nameTok, T.NONE))) this.fail(`expected a test name, got ${this.describe(nameTok)}`, nameTok);
    let name = nameTok.value;
    while (this.isOp(this.peekToken(), '.')) {
      this.nextToken();
      name += `.${this.expectName().value}`;
    }
    let call = EMPTY_CALL();
    const next = this.peekToken();
    if (this.is(next, T.LEFT_PAREN)) call = this.parseCallArgs();
    else if (
      next !== null &&
      [T.SYMBOL, T.BOOLEAN, T.NONE, T.STRING, T.INT, T.FLOAT, T.LEFT_BRACKET, T.LEFT_CURLY].includes(next.type) &&
      !(this.isName(next, 'else') || this.isName(next, 'or') || this.isName(next, 'and'))
    ) {
      if (this.isName(next, 'is')) this.fail('You cannot chain multiple tests with is', next);
      call.args.push(this.parsePostfix(this.parsePrimary()));
    }
    const test: Expr = { k: 'test', name, node, call, p: this.pos(isTok) };
    return negated ? { k: 'not', node: test, p: test.p } : test;
  }

  // ---- string literals: Python's escapes, read from the template text (nunjucks drops unknown ones)

  private stringValue(tok: Token): string {
    const start = this.offsetOf(tok);
    const quote = this.text[start];
    let out = '';
    let i = start + 1;
    const failAt = (offset: number, message: string): never => {
      throw this.errorAt(message, this.posAt(offset));
    };
    while (i < this.text.length && this.text[i] !== quote) {
      const ch = this.text[i] as string;
      if (ch !== '\\') {
        out += ch;
        i++;
        continue;
      }
      const next = this.text[i + 1];
      if (next === undefined) failAt(i, 'unterminated string');
      const simple: Record<string, string> = { '\n': '', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
      const mapped = simple[next as string];
      if (mapped !== undefined) {
        out += mapped;
        i += 2;
      } else if (next !== undefined && /[0-7]/.test(next)) {
        const digits = /^[0-7]{1,3}/.exec(this.text.slice(i + 1))?.[0] as string;
        out += String.fromCodePoint(parseInt(digits, 8));
        i += 1 + digits.length;
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const width = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const hex = this.text.slice(i + 2, i + 2 + width);
        if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) failAt(i, `truncated \\${next} escape in a string`);
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) failAt(i, `illegal Unicode character \\${next}${hex}`);
        out += String.fromCodePoint(code);
        i += 2 + width;
      } else if (next === 'N') {
        failAt(i, '\\N{...} escapes are not supported');
      } else if (next !== undefined && next.charCodeAt(0) > 0x7f) {
        failAt(i, 'a backslash before a non-ASCII character is not supported (Python reads it differently)');
      } else {
        out += `\\${next}`;
        i += 2;
      }
    }
    if (i >= this.text.length) failAt(start, 'unterminated string');
    return out;
  }
}

function wantsPrecedingTrim(tok: Token): boolean {
  if (tok.type === T.BLOCK_START || tok.type === T.VARIABLE_START) return tok.value.endsWith('-');
  if (tok.type === T.COMMENT) return tok.value.startsWith('{#-');
  return false;
}
