import { runRuleTests } from '../src/testing/rule-tester.js';
import rule from './merge-consecutive-runs.js';

runRuleTests(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update\n',
    { name: 'another instruction between', code: 'FROM debian:12\nRUN echo a\nWORKDIR /app\nRUN echo b\n' },
    { name: 'different mounts', code: 'FROM debian:12\nRUN echo a\nRUN --mount=type=cache,target=/root/.cache pip install x\n' },
    { name: 'exec form', code: 'FROM debian:12\nRUN ["echo", "a"]\nRUN echo b\n' },
    { name: 'long chains are deliberate layers', code: 'FROM debian:12\nRUN a && b && c\nRUN d && e && f\n' },
    { name: 'stages reset', code: 'FROM debian:12 AS a\nRUN echo a\nFROM debian:12\nRUN echo b\n' },
    { name: 'PowerShell is not read', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN Write-Host a\nRUN Write-Host b\n' },
  ],
  invalid: [
    {
      name: 'two RUNs',
      code: 'FROM debian:12\nRUN echo a\nRUN echo b\n',
      errors: [{ messageId: 'consecutive', line: 3, column: 1, endLine: 3, endColumn: 4, data: { line: 2 } }],
      output: null,
    },
    {
      name: 'comment between does not separate',
      code: 'FROM debian:12\nRUN echo a\n# why\nrun echo b\n',
      errors: [{ messageId: 'consecutive', line: 4, column: 1, endLine: 4, endColumn: 4 }],
      output: null,
    },
    {
      name: 'three RUNs report twice',
      code: 'FROM debian:12\nRUN echo a\nRUN echo b\nRUN echo c\n',
      errors: [
        { messageId: 'consecutive', line: 3, column: 1, endLine: 3, endColumn: 4 },
        { messageId: 'consecutive', line: 4, column: 1, endLine: 4, endColumn: 4, data: { line: 3 } },
      ],
      output: null,
    },
    {
      name: 'the option raises the limit',
      code: 'FROM debian:12\nRUN a && b && c\nRUN d && e && f\n',
      options: { maxCommands: 3 },
      errors: [{ messageId: 'consecutive', line: 3, column: 1, endLine: 3, endColumn: 4 }],
      output: null,
    },
  ],
});
