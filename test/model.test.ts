import { beforeAll, describe, expect, it } from 'vitest';
import { initShellParser } from '../src/model/shell-parser.js';
import { model, runs, commandLines } from './helpers.js';

beforeAll(async () => {
  await initShellParser();
});

describe('stages', () => {
  it('names stages, links FROM <stage>, and marks what reaches the final image', () => {
    const m = model('FROM golang:1.22 AS build\nRUN go build\nFROM build AS test\nRUN go test\nFROM debian:12-slim AS docs\nFROM alpine:3.20\nCOPY --from=build /app /app\n');
    expect(m.stages.map((s) => [s.name, s.parent?.name ?? null, s.isFinal, s.reachesFinal])).toEqual([
      ['build', null, false, true],
      ['test', 'build', false, false],
      ['docs', null, false, false],
      [null, null, true, true],
    ]);
  });

  it('RUN --mount from= and COPY --from=<index> reach the final image', () => {
    const m = model('FROM a:1\nFROM b:1 AS b\nFROM c:1\nCOPY --from=0 /x /x\nRUN --mount=type=bind,from=b,target=/b ls /b\n');
    expect(m.stages.map((s) => s.reachesFinal)).toEqual([true, true, true]);
    expect(runs(m)[0]?.mounts).toMatchObject([{ type: 'bind', from: 'b', target: '/b' }]);
  });
});

describe('ARG and ENV scope', () => {
  it('ARG before FROM applies to FROM lines', () => {
    const m = model('ARG VERSION=3.12\nARG VARIANT\nFROM python:${VERSION}-slim AS py\nFROM python:$VARIANT\n');
    expect(m.globalArgs.map((a) => a.args)).toEqual([[{ name: 'VERSION', value: '3.12' }], [{ name: 'VARIANT', value: null }]]);
    expect(m.stages[0]?.from.resolvedImage).toBe('python:3.12-slim');
    expect(m.stages[0]?.from.ref).toMatchObject({ name: 'python', tag: '3.12-slim', unresolved: false });
    expect(m.stages[1]?.from.ref.unresolved).toBe(true);
  });

  it('ENV is inherited through FROM <stage> and visible to RUN', () => {
    const m = model('FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=1 A="x y"\nFROM base\nARG B=2\nRUN pip install x\n');
    const env = runs(m)[0]?.env;
    expect(env?.get('PIP_NO_CACHE_DIR')).toBe('1');
    expect(env?.get('A')).toBe('x y');
    expect(env?.get('B')).toBe('2');
  });

  it('legacy ENV form and ${VAR:-default}', () => {
    const m = model('FROM a:1\nARG V\nENV PATH /usr/local/bin:$PATH\nENV X=${V:-fallback}\n');
    const envs = m.instructions.filter((i) => i.keyword === 'ENV').map((i) => (i.keyword === 'ENV' ? i.vars : []));
    expect(envs).toEqual([[{ name: 'PATH', value: '/usr/local/bin:$PATH' }], [{ name: 'X', value: 'fallback' }]]);
  });
});

describe('instructions', () => {
  it('tells exec form from shell form and keeps flags with --mount options', () => {
    const m = model('FROM a:1\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --network=none apt-get update\nRUN ["/bin/echo", "hi"]\n');
    const [shell, exec] = runs(m);
    expect(shell?.form).toBe('shell');
    expect(shell?.flags.map((f) => f.name)).toEqual(['mount', 'network']);
    expect(shell?.mounts[0]).toMatchObject({ type: 'cache', target: '/var/cache/apt' });
    expect(shell?.mounts[0]?.options).toContainEqual({ name: 'sharing', value: 'locked' });
    expect(shell?.network).toBe('none');
    expect(exec?.form).toBe('exec');
    expect(exec?.execArgs).toEqual(['/bin/echo', 'hi']);
    expect(commandLines(exec!)).toEqual(['/bin/echo hi']);
    expect(m.source.slice(exec!.script.commands[0]!.args[0]!.range)).toBe('"hi"');
  });

  it('reads COPY sources, destination and heredocs', () => {
    const m = model('FROM a:1\nCOPY --chown=app:app ["a b", "c", "/dst/"]\nCOPY <<EOF /etc/motd\nhello\nEOF\n');
    const copies = m.instructions.filter((i) => i.keyword === 'COPY');
    expect(copies.map((c) => (c.keyword === 'COPY' ? [c.form, c.sources, c.destination] : null))).toEqual([
      ['exec', ['a b', 'c'], '/dst/'],
      ['shell', ['<<EOF'], '/etc/motd'],
    ]);
    const second = copies[1];
    expect(second?.keyword === 'COPY' && second.heredocs[0]?.content).toBe('hello\n');
  });

  it('SHELL changes the shell; PowerShell RUNs are not read as POSIX shell', () => {
    const m = model('FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\';"]\nRUN Invoke-WebRequest -Uri x; Remove-Item y\n');
    expect(m.stages[0]?.shell[0]).toBe('powershell');
    const run = runs(m)[0];
    expect(run?.script.analyzable).toBe(false);
    expect(run?.script.commands).toEqual([]);
  });

  it('ONBUILD triggers are instructions of their own keyword', () => {
    const m = model('FROM a:1\nONBUILD RUN apt-get update && apt-get install -y x\nONBUILD COPY . /src\n');
    const onbuilds = m.instructions.filter((i) => i.keyword === 'ONBUILD');
    expect(onbuilds.map((o) => (o.keyword === 'ONBUILD' ? o.trigger?.keyword : null))).toEqual(['RUN', 'COPY']);
    const run = runs(m)[0];
    expect(run?.onbuild).toBe(onbuilds[0]);
    expect(commandLines(run!)).toEqual(['apt-get update', 'apt-get install -y x']);
    expect(m.source.slice(run!.script.commands[1]!.range)).toBe('apt-get install -y x');
  });

  it('# escape=` makes the backtick the line continuation', () => {
    const m = model('# escape=`\nFROM a:1\nRUN echo C:\\path `\n    && echo done\n');
    expect(m.escapeChar).toBe('`');
    expect(commandLines(runs(m)[0]!)).toEqual(['echo C:path', 'echo done']);
  });

  it('an invalid escape directive is a problem', () => {
    const m = model('# escape=x\nFROM a:1\n');
    expect(m.problems.map((p) => p.message)).toEqual(['invalid escape directive "x": it must be \\ or `']);
  });

  it('unknown instructions and unterminated heredocs are problems with a position', () => {
    const m = model('FROM a:1\nFOO bar\nRUN <<EOF\necho x\n');
    expect(m.problems.map((p) => [p.message, m.source.positionAt(p.range.start).line])).toEqual([
      ['unknown instruction "FOO"', 2],
      ['unterminated heredoc <<EOF: no line "EOF" closes it', 3],
    ]);
  });

  it('empty file', () => {
    expect(model('').problems.map((p) => p.message)).toEqual(['empty file: no instructions']);
    expect(model('# only a comment\n').problems.map((p) => p.message)).toEqual(['no instructions found']);
  });
});

describe('shell commands', () => {
  it('reads commands through &&, ||, ;, pipes, subshells, loops and set -eux', () => {
    const m = model('FROM a:1\nRUN set -eux; \\\n  apt-get update && apt-get install -y "curl" || true; \\\n  (cd /tmp && make -j"$(nproc)") | tee log; \\\n  for f in a b; do rm -f $f; done\n');
    expect(commandLines(runs(m)[0]!)).toEqual([
      'set -eux',
      'apt-get update',
      'apt-get install -y curl',
      'true',
      'cd /tmp',
      'make -j$(nproc)',
      'nproc',
      'tee log',
      'rm -f $f',
    ]);
    const nproc = runs(m)[0]!.script.commands[6]!;
    expect(nproc.inSubstitution).toBe(true);
  });

  it('command ranges map back to the file across continuations', () => {
    const text = 'FROM a:1\nRUN apt-get update \\\n    && apt-get install -y \\\n        curl \\\n    && rm -rf /var/lib/apt/lists/*\n';
    const m = model(text);
    const [update, install, rm] = runs(m)[0]!.script.commands;
    expect(m.source.slice(update!.range)).toBe('apt-get update');
    expect(m.source.slice(install!.range)).toBe('apt-get install -y \\\n        curl');
    expect(m.source.location(install!.args[2]!.range)).toEqual({ line: 4, column: 9, endLine: 4, endColumn: 13 });
    expect(m.source.slice(rm!.args[1]!.range)).toBe('/var/lib/apt/lists/*');
  });

  it('heredoc bodies run by the shell are parsed as scripts; other interpreters are not', () => {
    const m = model('FROM a:1\nRUN <<EOF\nset -e\napt-get update\nEOF\nRUN python3 <<EOF\nimport os\nEOF\nRUN bash -ex <<-EOF\n\techo hi\n\tEOF\n');
    const [a, b, c] = runs(m);
    expect(commandLines(a!)).toEqual(['set -e', 'apt-get update']);
    expect(commandLines(b!)).toEqual(['python3']);
    expect(commandLines(c!)).toEqual(['bash -ex', 'echo hi']);
    expect(m.source.slice(a!.script.commands[1]!.range)).toBe('apt-get update');
  });

  it('CRLF line endings', () => {
    const m = model('FROM a:1\r\nRUN echo a \\\r\n  && echo b\r\n');
    expect(commandLines(runs(m)[0]!)).toEqual(['echo a', 'echo b']);
    expect(m.source.eol).toBe('\r\n');
  });

  it('a RUN of heredoc markers only runs its bodies, with no syntax error in the header', () => {
    const m = model("FROM a:1\nRUN <<EOF\nset -e\napt-get update\nEOF\nRUN << 'A' <<-B\necho a\nA\n\techo b\nB\n");
    const [one, two] = runs(m);
    expect(commandLines(one!)).toEqual(['set -e', 'apt-get update']);
    expect(commandLines(two!)).toEqual(['echo a', 'echo b']);
    expect([one?.script.hasErrors, two?.script.hasErrors]).toEqual([false, false]);
  });

  it('sh -c in exec form is read as the script it runs', () => {
    const m = model('FROM a:1\nRUN ["sh", "-c", "apt-get update && apt-get install -y x"]\n');
    expect(commandLines(runs(m)[0]!)).toEqual(['apt-get update', 'apt-get install -y x']);
  });
});

describe('WORKDIR and USER', () => {
  it('are tracked per instruction, resolved, and inherited through FROM <stage>', () => {
    const m = model('FROM a:1 AS base\nWORKDIR /srv\nWORKDIR app\nUSER app\nRUN make\nFROM base\nWORKDIR ../lib\nCOPY x .\nONBUILD WORKDIR /elsewhere\nRUN ls\n');
    const [make, ls] = runs(m);
    expect([make?.workdir, make?.user]).toEqual(['/srv/app', 'app']);
    const copy = m.stages[1]?.instructions.find((i) => i.keyword === 'COPY');
    expect([copy?.workdir, copy?.user]).toEqual(['/srv/lib', 'app']);
    expect(ls?.workdir).toBe('/srv/lib');
  });
});
