// Reading a script through tree-sitter costs a parse in WebAssembly and a walk across its boundary,
// and most RUN scripts are plain command lists that need neither. This reader takes only those, and
// declines (returns null) on anything else so that the real parser reads it. What it accepts must
// give exactly what the tree-sitter reading gives: test/shell-fast.test.ts checks both side by side.
import { Command, programOf } from './command-memo.js';
import type { ExtractedCommands, OffsetMap } from './shell-commands.js';
import type { ShellCommand, ShellWord } from './types.js';

const TAB = 9;
const NL = 10;
const SPACE = 32;
const DQUOTE = 34;
const HASH = 35;
const DOLLAR = 36;
const AMP = 38;
const SQUOTE = 39;
const SEMI = 59;
const LT = 60;
const EQUALS = 61;
const GT = 62;
const BACKSLASH = 92;
const BACKTICK = 96;
const LBRACE = 123;
const PIPE = 124;
const RBRACE = 125;

const PLAIN = 1;
/** Ends a word: blanks, newline, `;`, `&`, `|`, and `<` `>` (a redirection follows). */
const END = 2;
const DECLINE = 3;
/** `[ ] { }`: tree-sitter reads each as a word of its own, joined to its neighbours. */
const BRACKET = 4;
// Per ASCII code; 0 marks the characters the word reader looks at itself: \ ' " $ #
const CLASS = new Uint8Array(128).fill(PLAIN);
for (let c = 0; c < 32; c++) CLASS[c] = DECLINE;
CLASS[0x7f] = DECLINE;
for (const c of ' \t\n;&|<>') CLASS[c.charCodeAt(0)] = END;
for (const c of '()`') CLASS[c.charCodeAt(0)] = DECLINE;
for (const c of '[]{}') CLASS[c.charCodeAt(0)] = BRACKET;
for (const c of '\\\'"$#') CLASS[c.charCodeAt(0)] = 0;

/**
 * Words that are not plain command names in command position: tree-sitter reads them as the start of
 * a compound command or a declaration (whose arguments it reads differently).
 */
const RESERVED = new Set([
  'if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'in',
  'function', 'select', 'declare', 'typeset', 'export', 'readonly', 'local', 'unset', 'unsetenv',
]);

/**
 * Command names tree-sitter reads otherwise: `{` and `[` open a group and a test, `!` a negation;
 * after a run of word characters its scanner takes `=`, `[`, `+=` and some it guesses at (`a:`,
 * `a%`, `a#`, `a@`, `a?`) for a variable assignment; a leading `-` can be lost before a redirection,
 * and a leading `\` on a new line takes the newline into a word of the previous command.
 */
const NAME_DECLINE = /^[-!\\]|[=[\]{}:%#@+?*]|[^\x20-\x7e]/;

const NUMBER_HASH = /^-?(0x)?[0-9]+#/;

/** Characters tree-sitter counts as white space beyond ASCII, control characters, lone surrogates. */
const UNSUPPORTED = /[\0-\x08\x0b-\x1f\x7f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The commands of a simple script, or null when the script is not one this reader takes. */
export function scanSimpleScript(text: string, map: OffsetMap, startIndex: number): ExtractedCommands | null {
  if (UNSUPPORTED.test(text)) return null;
  const scan = new Scanner(text, map);
  const commands: ShellCommand[] = [];
  const n = text.length;
  // After `&&`, `||` or `|` a command must follow; after `;` or a newline one may.
  let needCommand = false;
  // Commands in the pipeline being read. When a newline ends one of three or more, tree-sitter may
  // read on across the newline as if it were a blank, so no command may follow.
  let stages = 0;
  let longPipelineEnded = false;
  for (;;) {
    if (!scan.skipBetweenCommands()) return null;
    if (scan.pos >= n) {
      if (needCommand || scan.danglingContinuation) return null;
      return { commands, hasErrors: false };
    }
    if (longPipelineEnded) return null;
    stages++;
    const command = scan.readCommand(startIndex + commands.length);
    if (!command) return null;
    commands.push(command);
    if (scan.pos >= n) {
      if (scan.danglingContinuation) return null;
      return { commands, hasErrors: false };
    }
    const c = text.charCodeAt(scan.pos);
    const next = text.charCodeAt(scan.pos + 1);
    if (c === NL) {
      scan.pos++;
      needCommand = false;
      longPipelineEnded = stages >= 3;
      stages = 0;
    } else if (c === SEMI) {
      // `;;` and `;&` end case items; `;` then `;` is an error.
      if (next === SEMI || next === AMP) return null;
      scan.pos++;
      needCommand = false;
      stages = 0;
    } else if (c === AMP) {
      // A lone `&` runs in the background: outside the subset.
      if (next !== AMP) return null;
      scan.pos += 2;
      needCommand = true;
      stages = 0;
    } else if (c === PIPE) {
      if (next === AMP) return null;
      scan.pos += next === PIPE ? 2 : 1;
      needCommand = true;
      if (next === PIPE) stages = 0;
    } else {
      return null;
    }
    scan.danglingContinuation = false;
  }
}

class Scanner {
  pos = 0;
  /**
   * A `\`+newline not yet followed by a word or an operator: tree-sitter may report an error when
   * only blank lines follow it to the end.
   */
  danglingContinuation = false;
  private readonly text: string;
  private readonly map: OffsetMap;

  constructor(text: string, map: OffsetMap) {
    this.text = text;
    this.map = map;
  }

  /**
   * Skips blanks, newlines, continuations and comments; false on a `\` before a blank, or at the
   * start of a line, where tree-sitter's scanner joins the line to the command before it.
   */
  skipBetweenCommands(): boolean {
    const { text } = this;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === SPACE || c === TAB || c === NL) this.pos++;
      else if (c === HASH) this.skipComment();
      else if (c === BACKSLASH) {
        if (text.charCodeAt(this.pos - 1) === NL) return false;
        const next = text.charCodeAt(this.pos + 1);
        if (next === NL) {
          this.pos += 2;
          this.danglingContinuation = true;
        } else return next !== SPACE && next !== TAB;
      } else return true;
    }
  }

  /**
   * Skips blanks and continuations inside a command, and a comment that ends it (only where a word
   * may start, with `comment`); false on a `\` before a blank, which tree-sitter skips as a blank.
   */
  private skipInCommand(comment: boolean): boolean {
    const { text } = this;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === SPACE || c === TAB) this.pos++;
      else if (c === HASH) {
        if (comment) this.skipComment();
        return comment;
      } else if (c === BACKSLASH) {
        const next = text.charCodeAt(this.pos + 1);
        if (next === NL) {
          this.pos += 2;
          this.danglingContinuation = true;
        } else return next !== SPACE && next !== TAB;
      } else return true;
    }
  }

  private skipComment(): void {
    const nl = this.text.indexOf('\n', this.pos);
    this.pos = nl < 0 ? this.text.length : nl;
  }

  /** True at `<`, `>` or `&>`. */
  private atRedirect(): boolean {
    const c = this.text.charCodeAt(this.pos);
    return c === LT || c === GT || (c === AMP && this.text.charCodeAt(this.pos + 1) === GT);
  }

  /**
   * For a word just read: 1 when it is a file descriptor (`2` of `2>`), 0 when no redirection follows
   * it directly, -1 when one does and the word is not plain, or tree-sitter's scanner may take digits
   * inside it for a descriptor (`_2>`, `$_0>`).
   */
  private gluedToRedirect(raw: string): number {
    if (!this.atRedirect()) return 0;
    // `0>` too: the scanner takes a leading `0` for something else, and `0` stays an argument.
    if (/^[-*@?_0]|[$'"\\[\]{}]/.test(raw)) return -1;
    if (!isDigits(raw)) return 0;
    // `&>` takes no descriptor: the digits before it are an argument.
    return this.text.charCodeAt(this.pos) === AMP ? -1 : 1;
  }

  readCommand(index: number): ShellCommand | null {
    const { text } = this;
    const start = this.pos;
    const nameWord = this.readWord();
    if (!nameWord || NAME_DECLINE.test(nameWord.raw) || isReserved(nameWord.raw)) return null;
    // `2>f cmd`: a redirection before the name.
    if (this.gluedToRedirect(nameWord.raw) !== 0) return null;
    this.danglingContinuation = false;
    const args: ShellWord[] = [];
    let end = this.pos;
    // tree-sitter joins words made only of brackets (`{ }`) across the blanks between them.
    let onlyBrackets = false;
    let dash = false;
    for (;;) {
      if (!this.skipInCommand(true)) return null;
      if (this.pos >= text.length) break;
      if (this.atRedirect()) {
        if (!this.readRedirects()) return null;
        break;
      }
      const c = text.charCodeAt(this.pos);
      if (c < 128 && CLASS[c] === END) break;
      if (onlyBrackets && CLASS[c] === BRACKET) return null;
      // After a lone `-`, tree-sitter's scanner looks on for a descriptor or a brace range and drops the `-`.
      if (dash && (isDigit(c) || c === LBRACE)) return null;
      const argStart = this.pos;
      const arg = this.readWord();
      if (!arg) return null;
      // `==` and `=~` open an argument of their own in tree-sitter's grammar.
      if (arg.raw.charCodeAt(0) === EQUALS && (arg.raw[1] === '=' || arg.raw[1] === '~')) return null;
      const glued = this.gluedToRedirect(arg.raw);
      if (glued < 0) return null;
      if (glued > 0) {
        // A file descriptor (`2>`): the redirection starts at it.
        this.pos = argStart;
        if (!this.readRedirects()) return null;
        break;
      }
      this.danglingContinuation = false;
      args.push(arg);
      end = this.pos;
      onlyBrackets = CLASS[arg.raw.charCodeAt(0)] === BRACKET && /^[[\]{}]+$/.test(arg.raw);
      dash = arg.raw === '-';
    }
    const name = nameWord.value;
    const program = programOf(name);
    // The arguments are copied to an array of exactly their length: the one grown by push holds room
    // for 16 words, and every command of every file is kept until the end of a run.
    return new Command(name, program, nameWord, args.slice(), this.map(start, end), false, index);
  }

  /**
   * Redirections after a command's arguments: `[n]>`, `>>`, `<`, `>&`, `&>`, `&>>`, each followed by
   * words. tree-sitter takes every word after a redirection as its destination, none as an argument,
   * and leaves the redirections out of the command's range.
   */
  private readRedirects(): boolean {
    const { text } = this;
    for (;;) {
      while (isDigit(text.charCodeAt(this.pos))) this.pos++;
      const c = text.charCodeAt(this.pos);
      const next = text.charCodeAt(this.pos + 1);
      if (c === GT && next === AMP) {
        // `>&2`: only a descriptor number (`>&-` and `>&file` are read in ways of their own).
        let j = this.pos + 2;
        while (isDigit(text.charCodeAt(j))) j++;
        const end = text.charCodeAt(j);
        if (j === this.pos + 2 || !(j >= text.length || (end < 128 && CLASS[end] === END))) return false;
        this.pos += 2;
      } else if (c === GT) this.pos += next === GT ? 2 : 1;
      else if (c === LT) this.pos++;
      else if (c === AMP && next === GT) this.pos += text.charCodeAt(this.pos + 2) === GT ? 3 : 2;
      else return false;
      // `<<` heredocs and here-strings, `<>`, `<&`, `>|`, `>(`, `&>&`, and so on.
      const after = text.charCodeAt(this.pos);
      if (after === LT || after === GT || after === AMP || after === PIPE || after === 40) return false;
      let words = 0;
      for (;;) {
        if (!this.skipInCommand(words > 0)) return false;
        if (this.pos >= text.length) return words > 0;
        const d = text.charCodeAt(this.pos);
        if (this.atRedirect()) break;
        if (d < 128 && CLASS[d] === END) return words > 0;
        const wordStart = this.pos;
        const word = this.readWord();
        if (!word) return false;
        const glued = this.gluedToRedirect(word.raw);
        if (glued < 0) return false;
        if (glued > 0) {
          if (words === 0) return false;
          this.pos = wordStart;
          break;
        }
        this.danglingContinuation = false;
        words++;
      }
      if (words === 0) return false;
    }
  }

  /**
   * One word: plain characters, backslash escapes, quoted strings, `$NAME` and `${NAME}`, side by
   * side. Null when it holds anything else.
   */
  private readWord(): ShellWord | null {
    const { text } = this;
    const n = text.length;
    const start = this.pos;
    let i = start;
    let value = '';
    let dynamic = false;
    // tree-sitter reads an expansion in a word that also holds a bracket in surprising ways.
    let bracket = false;
    // What came last: 0 nothing, 1 plain characters or an escape, 2 anything else.
    let last = 0;
    // tree-sitter's parts of the word so far, and whether the last was a `$NAME` that must end it: as
    // the third part or later, with anything after it, tree-sitter splits the word at its `$`.
    let parts = 0;
    let mustEnd = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      const cls = c < 128 ? (CLASS[c] as number) : PLAIN;
      if (cls === END) break;
      if (cls === DECLINE || mustEnd) return null;
      if (last !== 1 || !(cls === PLAIN || c === BACKSLASH || c === HASH)) parts++;
      if (cls === BRACKET) {
        // `{1..3}` is a brace range, which tree-sitter's scanner finds in surprising places.
        const d = text.charCodeAt(i + 1);
        if (dynamic || (c === LBRACE && (isDigit(d) || d === 46))) return null;
        bracket = true;
        value += text[i];
        i++;
        last = 2;
      } else if (cls === PLAIN || (c === HASH && last === 1)) {
        let j = i + 1;
        let hash = false;
        for (; j < n; j++) {
          const d = text.charCodeAt(j);
          if (d === HASH) hash = true;
          else if (d < 128 && CLASS[d] !== PLAIN) break;
        }
        // A number with a base (`16#ff`): tree-sitter reads `0#` as an error.
        if (hash && last !== 1 && NUMBER_HASH.test(text.slice(i, j))) return null;
        value += text.slice(i, j);
        i = j;
        last = 1;
      } else if (c === BACKSLASH) {
        const d = text.charCodeAt(i + 1);
        // `\`+newline inside a word splits it in tree-sitter; `\`+blank at a word start is skipped.
        if (d !== d || d === NL || d === TAB || (d === SPACE && last === 0)) return null;
        // After a string, an expansion or a bracket, tree-sitter starts a new word at most escapes.
        if (last === 2 && d !== DQUOTE && d !== SQUOTE && d !== BACKSLASH) return null;
        value += text[i + 1];
        i += 2;
        last = 1;
      } else if (c === SQUOTE) {
        const close = text.indexOf("'", i + 1);
        if (close < 0) return null;
        value += text.slice(i + 1, close);
        i = close + 1;
        last = 2;
      } else if (c === DQUOTE) {
        let j = i + 1;
        for (;;) {
          if (j >= n) return null;
          const d = text.charCodeAt(j);
          if (d === DQUOTE) break;
          if (d === BACKTICK) return null;
          if (d === DOLLAR) {
            const e = expansionEnd(text, j);
            if (e < 0 || bracket) return null;
            dynamic = true;
            j = e;
          } else {
            j += d === BACKSLASH ? 2 : 1;
          }
        }
        value += text.slice(i + 1, j).replace(/\\([$`"\\\n])/g, '$1');
        i = j + 1;
        last = 2;
      } else if (c === DOLLAR) {
        const j = expansionEnd(text, i);
        if (j < 0 || bracket) return null;
        if (parts >= 3 && text.charCodeAt(i + 1) !== LBRACE) {
          // `$1` there is read as a lone `$` and a number, even at the end.
          if (isDigit(text.charCodeAt(i + 1))) return null;
          mustEnd = true;
        }
        value += text.slice(i, j);
        dynamic = true;
        i = j;
        last = 2;
      } else {
        // `#` after a string, an expansion or a bracket: tree-sitter reads a word of its own kind.
        return null;
      }
    }
    if (i === start) return null;
    this.pos = i;
    // Quotes and escapes only ever shorten the value: of the same length, it is the raw text itself.
    const raw = value.length === i - start ? value : text.slice(start, i);
    return { value, raw, range: this.map(start, i), dynamic };
  }
}

/** A reserved word, alone or joined to a string or an expansion (`export"A=1"`): not a command name. */
function isReserved(raw: string): boolean {
  let i = 0;
  while (i < raw.length && raw.charCodeAt(i) >= 97 && raw.charCodeAt(i) <= 122) i++;
  if (i === 0 || !RESERVED.has(raw.slice(0, i))) return false;
  const next = raw.charCodeAt(i);
  return i === raw.length || next === SQUOTE || next === DQUOTE || next === DOLLAR;
}

/** End of `$NAME` or `${NAME}` at `i`, or -1 for any other `$` form. */
function expansionEnd(text: string, i: number): number {
  let j = i + 1;
  const braced = text.charCodeAt(j) === LBRACE;
  if (braced) j++;
  const first = j;
  while (j < text.length && isNameChar(text.charCodeAt(j))) j++;
  if (j === first) return -1;
  if (braced) {
    if (isDigit(text.charCodeAt(first)) || text.charCodeAt(j) !== RBRACE) return -1;
    return j + 1;
  }
  // tree-sitter's names may run on into letters beyond ASCII.
  if (text.charCodeAt(j) >= 128) return -1;
  return j;
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return s.length > 0;
}
