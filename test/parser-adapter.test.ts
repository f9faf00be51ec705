// One regression test per known defect of dockerfile-ast, through the adapter and the model.
import { beforeAll, describe, expect, it } from 'vitest';
import { initShellParser } from '../src/model/shell-parser.js';
import { model, runs, commandLines } from './helpers.js';

beforeAll(async () => {
  await initShellParser();
});

describe('dockerfile-ast defects are worked around', () => {
  it("`<< 'EOF'` with a space after << is a heredoc, not instructions", () => {
    const m = model("FROM debian:12\nRUN << 'EOF'\napt-get update\nRUN not-an-instruction\nEOF\nRUN echo after\n");
    expect(m.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN', 'RUN']);
    const [first, second] = runs(m);
    expect(first?.heredocs.map((h) => [h.name, h.content])).toEqual([['EOF', 'apt-get update\nRUN not-an-instruction\n']]);
    expect(commandLines(first!)).toEqual(['apt-get update', 'RUN not-an-instruction']);
    expect(commandLines(second!)).toEqual(['echo after']);
    expect(m.problems).toEqual([]);
  });

  it('JSON-form strings keep their inner spaces', () => {
    const m = model('FROM debian:12\nCMD ["echo", "a  b"]\nRUN ["sh", "-c", "echo  x"]\n');
    const cmd = m.instructions[1];
    expect(cmd?.keyword === 'CMD' && cmd.execArgs).toEqual(['echo', 'a  b']);
    expect(runs(m)[0]?.execArgs).toEqual(['sh', '-c', 'echo  x']);
  });

  it('COPY --from is found when COPY has several flags', () => {
    const m = model('FROM debian:12 AS build\nFROM debian:12\nCOPY --chown=1:1 --chmod=644 --from=build /a /b\n');
    const copy = m.stages[1]?.instructions[0];
    expect(copy?.keyword === 'COPY' && copy.from).toBe('build');
    expect(m.stages[0]?.reachesFinal).toBe(true);
  });

  it('`RUN \\` followed by a comment line does not throw and keeps the command', () => {
    const m = model('FROM debian:12\nRUN \\\n# a comment\n  echo hi\nRUN \\\n# only a comment\n');
    expect(commandLines(runs(m)[0]!)).toEqual(['echo hi']);
  });

  it('an indented first instruction with no FROM does not recurse forever', () => {
    const m = model('  ARG X=1\n  RUN echo $X\n');
    expect(m.problems.map((p) => p.message)).toContain('RUN before the first FROM: only ARG may come before FROM');
    expect(m.problems.map((p) => p.message)).toContain('no FROM instruction');
  });

  it('indented comments inside a continuation do not leak into the arguments', () => {
    const m = model('FROM debian:12\nRUN echo a \\\n    # inner\n    && echo b\n');
    const run = runs(m)[0]!;
    expect(run.argsText).not.toContain('inner');
    expect(commandLines(run)).toEqual(['echo a', 'echo b']);
  });
});
