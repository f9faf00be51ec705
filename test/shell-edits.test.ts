import { beforeAll, describe, expect, it } from 'vitest';
import { appendCommand, insertOption, replaceWord, userPrefix } from '../src/fix/shell-edits.js';
import { applyFixes } from '../src/fix/apply-fixes.js';
import { fixText } from '../src/fix/fix-loop.js';
import { lintSourceSync } from '../src/linter/lint-source.js';
import { SourceText } from '../src/source/source-text.js';
import { builtinRules } from '../rules/index.js';
import { initShellParser } from '../src/model/shell-parser.js';
import type { Edit } from '../src/rule/types.js';
import type { DockerfileModel, RunInstruction, ShellCommand } from '../src/model/types.js';
import { model, runs } from './helpers.js';

beforeAll(async () => {
  await initShellParser();
});

type Helper = (m: DockerfileModel, run: RunInstruction, cmd: ShellCommand) => Edit | null;

/** The text after `helper` edits the last RUN at the first command named `program`; null when it gives no edit. */
function edited(text: string, program: string, helper: Helper): string | null {
  const m = model(text);
  const run = runs(m).at(-1) as RunInstruction;
  const cmd = run.script.commands.find((c) => c.program === program);
  if (!cmd) throw new Error(`no ${program} command in the last RUN`);
  const edit = helper(m, run, cmd);
  return edit ? applyFixes(text, [{ edits: [edit] }]).text : null;
}

const appendRm: Helper = (m, run, cmd) => appendCommand(m, run, cmd, 'rm -rf /x/*');
const noCache: Helper = (m, run, cmd) => insertOption(m, run, cmd, cmd.args[0] as NonNullable<ShellCommand['args'][0]>, '--no-cache');

describe('appendCommand', () => {
  describe('one-line RUN', () => {
    it('appends with && on the same line', () => {
      expect(edited('FROM a\nRUN apt-get install -y curl\n', 'apt-get', appendRm)).toBe('FROM a\nRUN apt-get install -y curl && rm -rf /x/*\n');
    });
    it('goes after the last statement, not after the command', () => {
      expect(edited('FROM a\nRUN apt-get install -y curl; ./configure && make\n', 'apt-get', appendRm)).toBe('FROM a\nRUN apt-get install -y curl; ./configure && make && rm -rf /x/*\n');
    });
    it('after `|| true` the cleanup runs whatever the install did', () => {
      expect(edited('FROM a\nRUN apt-get install -y curl || true\n', 'apt-get', appendRm)).toBe('FROM a\nRUN apt-get install -y curl || true && rm -rf /x/*\n');
    });
    it('before a trailing `;`', () => {
      expect(edited('FROM a\nRUN apt-get install -y curl;\n', 'apt-get', appendRm)).toBe('FROM a\nRUN apt-get install -y curl && rm -rf /x/*;\n');
    });
    it('before a trailing shell comment', () => {
      expect(edited('FROM a\nRUN apt-get install -y curl # tools\n', 'apt-get', appendRm)).toBe('FROM a\nRUN apt-get install -y curl && rm -rf /x/* # tools\n');
    });
    it('after a pipeline and its redirection', () => {
      expect(edited('FROM a\nRUN apt-get install -y curl | tee /log > /dev/null\n', 'apt-get', appendRm)).toBe('FROM a\nRUN apt-get install -y curl | tee /log > /dev/null && rm -rf /x/*\n');
    });
    it('after a loop, never inside it', () => {
      expect(edited('FROM a\nRUN for p in a b; do apt-get install -y $p; done\n', 'apt-get', appendRm)).toBe('FROM a\nRUN for p in a b; do apt-get install -y $p; done && rm -rf /x/*\n');
    });
    it('not after a command sent to the background', () => {
      expect(edited('FROM a\nRUN apt-get install -y curl &\n', 'apt-get', appendRm)).toBeNull();
    });
    it('not when the shell text does not parse', () => {
      expect(edited('FROM a\nRUN apt-get install -y curl && (echo\n', 'apt-get', appendRm)).toBeNull();
    });
    it('flags and ONBUILD', () => {
      expect(edited('FROM a\nONBUILD RUN --network=host apt-get install -y curl\n', 'apt-get', appendRm)).toBe('FROM a\nONBUILD RUN --network=host apt-get install -y curl && rm -rf /x/*\n');
    });
  });

  describe('multi-line RUN', () => {
    it('&& at line starts: a new line in the same indentation', () => {
      expect(edited('FROM a\nRUN apt-get update \\\n  && apt-get install -y \\\n       curl\n', 'apt-get', appendRm)).toBe(
        'FROM a\nRUN apt-get update \\\n  && apt-get install -y \\\n       curl \\\n  && rm -rf /x/*\n',
      );
    });
    it('&& at line ends: the same on the new line', () => {
      expect(edited('FROM a\nRUN apt-get update && \\\n\tapt-get install -y \\\n\t\tcurl\n', 'apt-get', appendRm)).toBe(
        'FROM a\nRUN apt-get update && \\\n\tapt-get install -y \\\n\t\tcurl && \\\n\trm -rf /x/*\n',
      );
    });
    it('`; \\` at line ends: joined with && all the same', () => {
      expect(edited('FROM a\nRUN set -eux; \\\n    apt-get update; \\\n    apt-get install -y curl\n', 'apt-get', appendRm)).toBe(
        'FROM a\nRUN set -eux; \\\n    apt-get update; \\\n    apt-get install -y curl && \\\n    rm -rf /x/*\n',
      );
    });
    it('continuations without operators: && at the start of a new line', () => {
      expect(edited('FROM a\nRUN apt-get install -y \\\n      curl\n', 'apt-get', appendRm)).toBe('FROM a\nRUN apt-get install -y \\\n      curl \\\n      && rm -rf /x/*\n');
    });
    it('comment lines inside the continuation are kept', () => {
      expect(edited('FROM a\nRUN apt-get update \\\n# the tools\n && apt-get install -y curl \\\n    # and more\n && apt-get install -y git\n', 'apt-get', appendRm)).toBe(
        'FROM a\nRUN apt-get update \\\n# the tools\n && apt-get install -y curl \\\n    # and more\n && apt-get install -y git \\\n && rm -rf /x/*\n',
      );
    });
    it('# escape=` and CRLF', () => {
      expect(edited('# escape=`\r\nFROM a\r\nRUN apt-get update `\r\n    && apt-get install -y curl\r\n', 'apt-get', appendRm)).toBe(
        '# escape=`\r\nFROM a\r\nRUN apt-get update `\r\n    && apt-get install -y curl `\r\n    && rm -rf /x/*\r\n',
      );
    });
  });

  describe('heredoc', () => {
    it('at the end of the last statement of the body', () => {
      expect(edited('FROM a\nRUN <<EOF\nset -e\napt-get install -y curl\necho done\nEOF\n', 'apt-get', appendRm)).toBe('FROM a\nRUN <<EOF\nset -e\napt-get install -y curl\necho done && rm -rf /x/*\nEOF\n');
    });
    it('a multi-line statement keeps its style, with the shell backslash', () => {
      expect(edited('# escape=`\nFROM a\nRUN <<EOF\napt-get update \\\n  && apt-get install -y curl\nEOF\n', 'apt-get', appendRm)).toBe(
        '# escape=`\nFROM a\nRUN <<EOF\napt-get update \\\n  && apt-get install -y curl \\\n  && rm -rf /x/*\nEOF\n',
      );
    });
    it('not when the last statement writes a heredoc of its own', () => {
      expect(edited('FROM a\nRUN <<EOF\napt-get install -y curl\ncat > /etc/x <<EOT\nhi\nEOT\nEOF\n', 'apt-get', appendRm)).toBeNull();
    });
    it('not for a command on the instruction line of a RUN with a heredoc', () => {
      expect(edited('FROM a\nRUN apt-get install -y curl && cat > /etc/x <<EOT\nhi\nEOT\n', 'apt-get', appendRm)).toBeNull();
    });
  });

  describe('exec form', () => {
    it('inside the string of sh -c, JSON-escaped', () => {
      expect(edited('FROM a\nRUN ["sh", "-c", "apt-get install -y \\"curl\\""]\n', 'apt-get', appendRm)).toBe('FROM a\nRUN ["sh", "-c", "apt-get install -y \\"curl\\" && rm -rf /x/*"]\n');
    });
    it('inside sh -c, before a trailing `;`', () => {
      expect(edited('FROM a\nRUN ["/bin/bash", "-c", "apt-get install -y curl; "]\n', 'apt-get', appendRm)).toBe('FROM a\nRUN ["/bin/bash", "-c", "apt-get install -y curl && rm -rf /x/*; "]\n');
    });
    it('not for a program run without a shell', () => {
      expect(edited('FROM a\nRUN ["apt-get", "install", "-y", "curl"]\n', 'apt-get', appendRm)).toBeNull();
    });
  });

  describe('users', () => {
    it('through the same plain sudo', () => {
      expect(edited('FROM a\nRUN sudo -E apt-get install -y curl\n', 'sudo', appendRm)).toBe('FROM a\nRUN sudo -E apt-get install -y curl && sudo rm -rf /x/*\n');
    });
    it('not after a command run as another user', () => {
      expect(edited('FROM a\nRUN sudo -u app npm ci\n', 'sudo', appendRm)).toBeNull();
      expect(edited('FROM a\nRUN gosu app npm ci\n', 'gosu', appendRm)).toBeNull();
    });
    it('wrappers that keep the user are not repeated', () => {
      expect(edited('FROM a\nRUN env DEBIAN_FRONTEND=noninteractive apt-get install -y curl\n', 'env', appendRm)).toBe(
        'FROM a\nRUN env DEBIAN_FRONTEND=noninteractive apt-get install -y curl && rm -rf /x/*\n',
      );
    });
  });
});

describe('insertOption', () => {
  it('right after the word, with one space', () => {
    expect(edited('FROM a\nRUN apk add curl\n', 'apk', noCache)).toBe('FROM a\nRUN apk add --no-cache curl\n');
  });
  it('before a continuation', () => {
    expect(edited('FROM a\nRUN apk add \\\n    curl\n', 'apk', noCache)).toBe('FROM a\nRUN apk add --no-cache \\\n    curl\n');
  });
  it('in a heredoc body', () => {
    expect(edited('FROM a\nRUN <<EOF\napk add curl\nEOF\n', 'apk', noCache)).toBe('FROM a\nRUN <<EOF\napk add --no-cache curl\nEOF\n');
  });
  it('exec form: a new element, separated as the array is', () => {
    expect(edited('FROM a\nRUN ["apk", "add", "curl"]\n', 'apk', noCache)).toBe('FROM a\nRUN ["apk", "add", "--no-cache", "curl"]\n');
    expect(edited('FROM a\nRUN ["apk","add","curl"]\n', 'apk', noCache)).toBe('FROM a\nRUN ["apk","add","--no-cache","curl"]\n');
    expect(edited('FROM a\nRUN ["apk", "upgrade"]\n', 'apk', noCache)).toBe('FROM a\nRUN ["apk", "upgrade", "--no-cache"]\n');
  });
  it('exec form through sh -c: inside the string', () => {
    expect(edited('FROM a\nRUN ["sh", "-c", "apk add curl && echo \\"ok\\""]\n', 'apk', noCache)).toBe('FROM a\nRUN ["sh", "-c", "apk add --no-cache curl && echo \\"ok\\""]\n');
  });
});

describe('replaceWord', () => {
  const unquote: Helper = (m, run, cmd) => replaceWord(m, run, cmd, cmd.args[1] as NonNullable<ShellCommand['args'][0]>, '/var/lib/apt/lists/*');
  it('shell form', () => {
    expect(edited('FROM a\nRUN rm -rf "/var/lib/apt/lists/*"\n', 'rm', unquote)).toBe('FROM a\nRUN rm -rf /var/lib/apt/lists/*\n');
  });
  it('exec form through sh -c', () => {
    expect(edited('FROM a\nRUN ["sh", "-c", "rm -rf \\"/var/lib/apt/lists/*\\""]\n', 'rm', unquote)).toBe('FROM a\nRUN ["sh", "-c", "rm -rf /var/lib/apt/lists/*"]\n');
  });
});

describe('userPrefix', () => {
  const first = (text: string): ShellCommand => (runs(model(text))[0] as RunInstruction).script.commands[0] as ShellCommand;
  it('reads the wrappers before the tool', () => {
    expect(userPrefix(first('FROM a\nRUN yum install -y x\n'))).toBe('');
    expect(userPrefix(first('FROM a\nRUN nice -n 5 yum install -y x\n'))).toBe('');
    expect(userPrefix(first('FROM a\nRUN sudo yum install -y x\n'))).toBe('sudo ');
    expect(userPrefix(first('FROM a\nRUN sudo --user=app yum install -y x\n'))).toBeNull();
    expect(userPrefix(first('FROM a\nRUN su-exec app yarn\n'))).toBeNull();
  });
});

describe('through the fix engine', () => {
  // Every cleanup the package-cache rules append must pass the engine's check that the file still runs
  // the same commands: a cleanup it does not know would throw the whole pass away.
  it('the rules that append cleanups keep the commands, sudo included', () => {
    const ids = ['clean-apt-cache', 'clean-yum-cache', 'clean-dnf-cache', 'clean-zypper-cache', 'clean-yarn-cache', 'clean-npm-cache', 'clean-gem-cache'];
    const rules = builtinRules.filter((r) => ids.includes(r.id));
    const settings = { rules: Object.fromEntries(ids.map((id) => [id, { severity: 'warning' as const }])), reportUnusedDirectives: 'off' as const };
    const code = [
      'FROM debian:12',
      'RUN sudo apt-get update && sudo apt-get install -y curl',
      'RUN yum install -y httpd',
      'RUN dnf5 install -y httpd',
      'RUN ["sh", "-c", "microdnf install -y tar"]',
      'RUN zypper -n in curl && zypper cc',
      'RUN yarnpkg install',
      'RUN sudo npm ci',
      'RUN gem install -N -i /opt/gems rake',
      '',
    ].join('\n');
    const r = fixText(code, (text) => lintSourceSync(new SourceText('Dockerfile', text), rules, settings));
    expect(r.stopped).toBeNull();
    expect(r.output).toBe(
      [
        'FROM debian:12',
        'RUN sudo apt-get update && sudo apt-get install -y curl && sudo rm -rf /var/lib/apt/lists/*',
        'RUN yum install -y httpd && yum clean all',
        'RUN dnf5 install -y httpd && dnf5 clean all',
        'RUN ["sh", "-c", "microdnf install -y tar && microdnf clean all"]',
        'RUN zypper -n in curl && zypper cc --all',
        'RUN yarnpkg install && yarnpkg cache clean',
        'RUN sudo npm ci && sudo npm cache clean --force',
        'RUN gem install -N -i /opt/gems rake && rm -rf /opt/gems/cache',
        '',
      ].join('\n'),
    );
  });
});
