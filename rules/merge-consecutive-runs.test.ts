import { runRuleTests } from '../src/testing/rule-tester.js';
import rule from './merge-consecutive-runs.js';

const at = (line: number) => ({ messageId: 'consecutive', line, column: 1, endLine: line, endColumn: 4 });

runRuleTests(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update\n',
    { name: 'another instruction between', code: 'FROM debian:12\nRUN echo a\nWORKDIR /app\nRUN echo b\n' },
    { name: 'different mounts', code: 'FROM debian:12\nRUN echo a\nRUN --mount=type=cache,target=/root/.cache pip install x\n' },
    { name: 'exec form', code: 'FROM debian:12\nRUN ["echo", "a"]\nRUN echo b\n' },
    { name: 'long chains are deliberate layers', code: 'FROM debian:12\nRUN a && b && c\nRUN d && e && f\n' },
    { name: 'stages reset', code: 'FROM debian:12 AS a\nRUN echo a\nFROM debian:12\nRUN echo b\n' },
    { name: 'PowerShell is not read', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN Write-Host a\nRUN Write-Host b\n' },
    { name: 'ONBUILD triggers are not merged with RUNs', code: 'FROM debian:12\nONBUILD RUN echo a\nONBUILD RUN echo b\n' },
  ],
  invalid: [
    {
      name: 'two RUNs are joined with && in a continuation',
      code: 'FROM debian:12\nRUN echo a\nRUN echo b\n',
      errors: [{ ...at(3), data: { line: 2 } }],
      output: 'FROM debian:12\nRUN echo a \\\n    && echo b\n',
    },
    {
      name: 'comment between is kept inside the continuation; lower-case keyword',
      code: 'FROM debian:12\nRUN echo a\n# why\nrun echo b\n',
      errors: [at(4)],
      output: 'FROM debian:12\nRUN echo a \\\n    # why\n    && echo b\n',
    },
    {
      name: 'three RUNs become one in one pass',
      code: 'FROM debian:12\nRUN echo a\nRUN echo b\nRUN echo c\n',
      errors: [at(3), { ...at(4), data: { line: 3 } }],
      output: 'FROM debian:12\nRUN echo a \\\n    && echo b \\\n    && echo c\n',
    },
    {
      name: 'the option raises the limit; the file indentation is kept',
      code: 'FROM debian:12\nRUN a \\\n  && b && c\nRUN d && e && f\n',
      options: { maxCommands: 3 },
      errors: [at(4)],
      output: 'FROM debian:12\nRUN a \\\n  && b && c \\\n  && d && e && f\n',
    },
    {
      name: 'same flags: the second RUN loses its copy of them',
      code: 'FROM debian:12\nRUN --network=none echo a\nRUN --network=none echo b\n',
      errors: [at(3)],
      output: 'FROM debian:12\nRUN --network=none echo a \\\n    && echo b\n',
    },
    {
      name: '# escape=` joins with a backtick',
      code: '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo a\nRUN echo b\n',
      errors: [at(4)],
      output: '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo a `\n    && echo b\n',
    },
    {
      name: 'CRLF line endings are kept',
      code: 'FROM debian:12\r\nRUN echo a\r\nRUN echo b\r\n',
      errors: [at(3)],
      output: 'FROM debian:12\r\nRUN echo a \\\r\n    && echo b\r\n',
    },
    {
      name: 'heredoc: reported, not fixed',
      code: 'FROM debian:12\nRUN <<EOF\necho a\nEOF\nRUN echo b\n',
      errors: [at(5)],
      output: null,
    },
    {
      name: 'a shell comment at the end would swallow the next RUN: not fixed',
      code: 'FROM debian:12\nRUN echo a # note\nRUN echo b\n',
      errors: [at(3)],
      output: null,
    },
  ],
});
