// Edits inside the shell script of a RUN that keep the file's own way of writing it: a cleanup
// appended where it runs after everything else, an option put next to its subcommand, one word
// replaced. Each helper returns null when it cannot be sure of the edit; the rule then reports
// without a fix, which is always better than a fix that changes what the RUN does.
import { effective } from '../model/command-queries.js';
import { LogicalText } from '../model/logical-text.js';
import { extractCommands } from '../model/shell-commands.js';
import { scanSimpleScript } from '../model/shell-fast.js';
import { parseShellText, type ShellNode } from '../model/shell-parser.js';
import type { DockerfileModel, RunInstruction, ShellCommand, ShellWord } from '../model/types.js';
import type { Edit, FixFunction } from '../rule/types.js';
import type { Range } from '../source/source-text.js';

const POSIX_SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'busybox']);
/** Wrappers that run the command as another user or root: a cleanup run without them would fail or miss. */
const OTHER_USER = new Set(['gosu', 'su-exec', 'chroot', 'su', 'doas', 'runuser', 'setpriv']);
/** sudo options that choose a user, a group or a login shell. */
const SUDO_USER_OPTIONS = /^(-u|-g|-i|-s|-U|--user|--group|--login|--shell|--other-user)(=|$)|^-[a-zA-Z]*[ugisU]/;

/** A part of a RUN that a shell reads as one script: the instruction's lines, a heredoc body, or the string of `["sh", "-c", "..."]`. */
interface Script {
  text: string;
  /** File offset of a script offset; `end` for an offset that closes a range. */
  toFile(offset: number, end: boolean): number;
  /** How inserted text is written in the file at that place (JSON-escaped inside an exec-form string). */
  encode(text: string): string;
  /** The character that continues a line there, or null where no line break may be added. */
  escape: string | null;
  /** Where the lines whose style an appended command follows begin: the RUN's first line, or the statement's in a heredoc. */
  styleFrom: 'run' | 'statement';
}

/** The fix function of an edit, or none. */
export function fixWith(edit: Edit | null): FixFunction | undefined {
  return edit ? () => edit : undefined;
}

/**
 * Appends `command` to the script of the RUN that runs `after`, after its last statement, so that it
 * runs once everything else has: ` && command` on a one-line RUN, on a new continuation line in the
 * file's style (escape character, line ending, indentation, `&&` at line start or end) on a
 * multi-line one. The command runs through the same `sudo` as `after`.
 */
export function appendCommand(model: DockerfileModel, run: RunInstruction, after: ShellCommand, command: string): Edit | null {
  const prefix = userPrefix(after);
  if (prefix === null) return null;
  const script = scriptOf(model, run, after);
  if (!script) return null;
  const last = lastStatement(script.text);
  if (last === null) return null;
  const at = script.toFile(last.end, true);
  // A sanity check where the model's ranges are exact: the cleanup must come after the command.
  if (run.form === 'shell' && at < after.range.end) return null;
  const from = script.styleFrom === 'run' ? (run.argsRange as Range).start : script.toFile(last.start, false);
  const joiner = script.escape === null ? ' && ' : joinerAt(model, script.escape, from, at);
  return { range: { start: at, end: at }, text: script.encode(`${joiner}${prefix}${command}`) };
}

/**
 * Where the last statement of a script starts and ends, or null when nothing may be appended after
 * it: a syntax error, no statement, a statement sent to the background, or a heredoc whose body would
 * end up before the appended text. Each rule with a cleanup to append asks this of the same RUNs, so
 * answers are remembered by text (within bounds).
 */
function lastStatement(text: string): { start: number; end: number } | null {
  const known = tailMemo.get(text);
  if (known !== undefined) return known;
  if (tailMemo.size >= 2_000) tailMemo.clear();
  const tail = parseLastStatement(text);
  tailMemo.set(text, tail);
  return tail;
}

const tailMemo = new Map<string, { start: number; end: number } | null>();

function parseLastStatement(text: string): { start: number; end: number } | null {
  return simpleLastStatement(text) ?? treeLastStatement(text);
}

/**
 * The last statement of a script the simple-script scanner reads (no redirections): its commands
 * joined by `&&`, `||` or `|` form one statement, `;` and line ends separate statements. Undefined
 * when the script is not that simple; test/script-tail.test.ts checks it against tree-sitter.
 */
export function simpleLastStatement(text: string): { start: number; end: number } | null | undefined {
  if (text.includes('<') || text.includes('>')) return undefined;
  const read = scanSimpleScript(text, (start, end) => ({ start, end }), 0);
  if (read === null) return undefined;
  const commands = read.commands;
  const last = commands[commands.length - 1];
  if (!last) return null;
  let first = commands.length - 1;
  while (first > 0 && joined(text.slice((commands[first - 1] as ShellCommand).range.end, (commands[first] as ShellCommand).range.start))) first--;
  return { start: (commands[first] as ShellCommand).range.start, end: last.range.end };
}

/** Whether the text between two commands joins them into one statement (an and-or list or a pipeline). */
function joined(between: string): boolean {
  // Comments run to the line end; an escaped line end is a blank.
  const bare = between.replace(/\\\r?\n/g, ' ').replace(/(^|[\s;&|])#[^\n]*/g, '$1');
  return /&&|\|\||\|/.test(bare);
}

export function treeLastStatement(text: string): { start: number; end: number } | null {
  const tree = parseShellText(text);
  try {
    const root = tree.rootNode;
    if (root.hasError) return null;
    const children = root.children.filter((c): c is ShellNode => c !== null);
    const lastAt = findLastIndex(children, (c) => c.isNamed && c.type !== 'comment');
    const last = children[lastAt];
    if (!last) return null;
    if (children.slice(lastAt + 1).some((c) => c.type === '&')) return null;
    if (last.descendantsOfType(['heredoc_redirect', 'heredoc_body']).length > 0) return null;
    return { start: last.startIndex, end: last.endIndex };
  } finally {
    tree.delete();
  }
}

/** Inserts `option` as a word of its own right after `word` (a word of `cmd`). */
export function insertOption(model: DockerfileModel, run: RunInstruction, cmd: ShellCommand, word: ShellWord, option: string): Edit | null {
  const at = locateWord(model, run, cmd, word);
  if (!at) return null;
  if (at.element) return { range: { start: at.range.end, end: at.range.end }, text: `${elementSeparator(model.source.text, at.range)}${JSON.stringify(option)}` };
  return { range: { start: at.range.end, end: at.range.end }, text: at.encode(` ${option}`) };
}

/** Replaces `word` (a word of `cmd`) by `text`, written as the shell must read it. */
export function replaceWord(model: DockerfileModel, run: RunInstruction, cmd: ShellCommand, word: ShellWord, text: string): Edit | null {
  const at = locateWord(model, run, cmd, word);
  if (!at) return null;
  return { range: at.range, text: at.element ? JSON.stringify(text) : at.encode(text) };
}

/** '' when a cleanup can run as written after `cmd`, 'sudo ' when `cmd` runs through a plain sudo, null when it runs as another user. */
export function userPrefix(cmd: ShellCommand): string | null {
  const eff = effective(cmd);
  if (eff.args === cmd.args) return '';
  const wrapping = [cmd.nameWord, ...cmd.args.slice(0, cmd.args.length - eff.args.length - 1)];
  let sudo = false;
  for (const w of wrapping) {
    const name = w.value.slice(w.value.lastIndexOf('/') + 1);
    if (OTHER_USER.has(name)) return null;
    if (name === 'sudo') sudo = true;
    else if (sudo && SUDO_USER_OPTIONS.test(w.value)) return null;
  }
  return sudo ? 'sudo ' : '';
}

/** Where a word is written in the file; `element` when it is an element of an exec-form JSON array. */
function locateWord(model: DockerfileModel, run: RunInstruction, cmd: ShellCommand, word: ShellWord): { range: Range; element: boolean; encode: (t: string) => string } | null {
  const source = model.source.text;
  const plain = (t: string): string => t;
  if (run.form === 'exec') {
    const sh = shellCString(model, run);
    if (!sh) {
      // The one program an exec-form RUN runs: each word is its own JSON string.
      return jsonValue(source.slice(word.range.start, word.range.end)) === word.value ? { range: word.range, element: true, encode: plain } : null;
    }
    const script = jsonScript(source, sh);
    const commands = extractCommands(script.text, (s, e) => ({ start: script.toFile(s, false), end: script.toFile(e, true) })).commands;
    const found = commands[cmd.index];
    const i = cmd.args.indexOf(word);
    const located = word === cmd.nameWord ? found?.nameWord : i >= 0 ? found?.args[i] : undefined;
    if (!located || located.raw !== word.raw) return null;
    return { range: located.range, element: false, encode: script.encode };
  }
  if (source.slice(word.range.start, word.range.end) !== word.raw) return null;
  return { range: word.range, element: false, encode: plain };
}

/** The script that holds `cmd`, when an appended command can be placed after all of it. */
function scriptOf(model: DockerfileModel, run: RunInstruction, cmd: ShellCommand): Script | null {
  const source = model.source.text;
  if (run.form === 'exec') {
    const sh = shellCString(model, run);
    return sh ? jsonScript(source, sh) : null;
  }
  if (!run.argsRange) return null;
  const heredoc = run.heredocs.find((h) => cmd.range.start >= h.contentRange.start && cmd.range.end <= h.contentRange.end);
  if (heredoc) {
    // Only the last body: what a later one runs may still need what the cleanup removes.
    if (heredoc !== run.heredocs[run.heredocs.length - 1] || !heredoc.terminated) return null;
    const start = heredoc.contentRange.start;
    return { text: heredoc.content, toFile: (o) => start + o, encode: (t) => t, escape: '\\', styleFrom: 'statement' };
  }
  // The instruction's own lines; with a heredoc the appended text would land among its markers.
  if (run.heredocs.length > 0) return null;
  const logical = LogicalText.build(source, run.argsRange, model.escapeChar);
  return {
    text: logical.text,
    toFile: (o, end) => (end && o > 0 ? logical.toFile(o - 1) + 1 : logical.toFile(o)),
    encode: (t) => t,
    escape: model.escapeChar,
    styleFrom: 'run',
  };
}

/** The file range of the script string of `RUN ["sh", "-c", "..."]`, or null for another exec form. */
function shellCString(model: DockerfileModel, run: RunInstruction): Range | null {
  const args = run.execArgs;
  if (!args || !run.argsRange || args[1] !== '-c' || typeof args[2] !== 'string') return null;
  const shell = (args[0] ?? '').slice((args[0] ?? '').lastIndexOf('/') + 1).toLowerCase();
  if (!POSIX_SHELLS.has(shell)) return null;
  const strings: Range[] = [];
  const re = /"(?:[^"\\]|\\.)*"/g;
  re.lastIndex = run.argsRange.start;
  for (let m = re.exec(model.source.text); m && m.index < run.argsRange.end && strings.length < 3; m = re.exec(model.source.text)) {
    strings.push({ start: m.index, end: m.index + m[0].length });
  }
  const range = strings[2];
  return range && jsonValue(model.source.slice(range)) === args[2] ? range : null;
}

/** A JSON string literal read as a script: each decoded character mapped to where it is written. */
function jsonScript(source: string, literal: Range): Script {
  const at: number[] = [];
  let text = '';
  let i = literal.start + 1;
  const close = literal.end - 1;
  while (i < close) {
    const len = source[i] === '\\' ? (source[i + 1] === 'u' ? 6 : 2) : 1;
    at.push(i);
    text += JSON.parse(`"${source.slice(i, i + len)}"`) as string;
    i += len;
  }
  at.push(close);
  return {
    text,
    toFile: (o) => at[Math.min(o, at.length - 1)] as number,
    encode: (t) => JSON.stringify(t).slice(1, -1),
    escape: null,
    styleFrom: 'statement',
  };
}

function jsonValue(text: string): string | null {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** The separator after an array element as the file writes it: `, ` unless it writes `,` alone or a line break. */
function elementSeparator(text: string, element: Range): string {
  const after = /^\s*,([ \t]*(?:\r?\n[ \t]*)?)/.exec(text.slice(element.end, element.end + 200));
  if (after) return `,${after[1] as string}`;
  const before = /,([ \t]*(?:\r?\n[ \t]*)?)$/.exec(text.slice(Math.max(0, element.start - 200), element.start));
  return before ? `,${before[1] as string}` : ', ';
}

/**
 * What goes between the last statement and an appended command: ` && ` on a one-line script; else a
 * continuation line with `&&` at its start or at the end of the line before, as the lines from
 * `from` to `at` do, indented as they are.
 */
function joinerAt(model: DockerfileModel, esc: string, from: number, at: number): string {
  const source = model.source;
  const first = source.lineIndexOf(from);
  const lines: string[] = [];
  for (let l = first; l <= source.lineIndexOf(at); l++) {
    const t = source.lineText(l);
    if (l === first || (t.trim() !== '' && !t.trimStart().startsWith('#'))) lines.push(t);
  }
  if (lines.length < 2) return ' && ';
  const indent = (line: string): string => (/^[ \t]*/.exec(line) as RegExpExecArray)[0];
  const leads = (line: string): boolean => /^\s*(&&|\|\|)/.test(line);
  const escRe = esc.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  const trails = new RegExp(`(&&|\\|\\||;|\\|)\\s*${escRe}\\s*$`);
  const leading = (line: string): string => ` ${esc}${source.eol}${indent(line)}&& `;
  const trailing = (line: string): string => ` && ${esc}${source.eol}${indent(line)}`;
  const last = lines[lines.length - 1] as string;
  if (leads(last)) return leading(last);
  if (trails.test(lines[lines.length - 2] as string)) return trailing(last);
  const lastLead = findLastIndex(lines, (l, i) => i > 0 && leads(l));
  if (lastLead > 0) return leading(lines[lastLead] as string);
  const lastTrail = findLastIndex(lines, (l, i) => i < lines.length - 1 && trails.test(l));
  if (lastTrail >= 0) return trailing(lines[lastTrail + 1] as string);
  const continued = lines[1] as string;
  return ` ${esc}${source.eol}${indent(continued) || '    '}&& `;
}

function findLastIndex<T>(items: readonly T[], test: (item: T, index: number) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i] as T, i)) return i;
  return -1;
}
