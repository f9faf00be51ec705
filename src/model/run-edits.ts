// Where to cut to take one command out of a RUN without breaking the rest: the whole instruction
// (and its line break) when it is the only command besides `set`, else the command with the `&&` or `;` that joins
// it to its neighbour. Anything else between them (a pipe, `||`, `then`, a redirection) means the
// command is not a plain list item, and no cut is offered.
import type { Range, SourceText } from '../source/source-text.js';
import { runCommands } from './cache-cleanup.js';
import type { RunInstruction, ShellCommand } from './types.js';

export function commandRemovalRange(run: RunInstruction, cmd: ShellCommand, source: SourceText, escapeChar: '\\' | '`'): Range | null {
  const commands = runCommands(run).filter((c) => !c.inSubstitution);
  const at = commands.indexOf(cmd);
  if (at < 0) return null;
  // `set -eux` alone would be all that is left: the RUN goes.
  if (commands.every((c) => c === cmd || c.program === 'set')) {
    const ins = run.onbuild ?? run;
    const eol = source.text.startsWith(source.eol, ins.range.end) ? source.eol : source.text.startsWith('\n', ins.range.end) ? '\n' : '';
    return { start: ins.range.start, end: ins.range.end + eol.length };
  }
  const next = commands[at + 1];
  const prev = commands[at - 1];
  if (next && next.range.start >= cmd.range.end && isJoiner(source.slice({ start: cmd.range.end, end: next.range.start }), escapeChar)) {
    return { start: cmd.range.start, end: next.range.start };
  }
  if (!next && prev && cmd.range.start >= prev.range.end && isJoiner(source.slice({ start: prev.range.end, end: cmd.range.start }), escapeChar)) {
    return { start: prev.range.end, end: cmd.range.end };
  }
  return null;
}

/** `&&`, `;` or a line break, with blanks, line continuations and comment lines around it. */
function isJoiner(text: string, escapeChar: '\\' | '`'): boolean {
  const esc = escapeChar === '`' ? '`' : '\\\\';
  const bare = text
    .replace(new RegExp(`${esc}[ \\t]*\\r?\\n`, 'g'), '\n')
    .replace(/^[ \t]*#.*$/gm, '')
    .trim();
  if (bare === '') return /\n/.test(text);
  return bare === '&&' || bare === ';';
}
