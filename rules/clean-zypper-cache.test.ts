import { runRuleTests } from '../src/testing/rule-tester.js';
import rule from './clean-zypper-cache.js';

runRuleTests(rule, {
  valid: [
    'FROM opensuse/leap:15.6\nRUN zypper --non-interactive install curl && zypper clean --all\n',
    { name: 'aliases', code: 'FROM opensuse/leap:15.6\nRUN zypper -n in curl && zypper cc -a\n' },
    { name: 'both metadata caches', code: 'FROM opensuse/leap:15.6\nRUN zypper -n in curl && zypper clean -m -M\n' },
    { name: 'rm of the cache', code: 'FROM opensuse/leap:15.6\nRUN zypper -n in curl && rm -rf /var/cache/zypp/*\n' },
    { name: 'global options with values', code: 'FROM opensuse/leap:15.6\nRUN zypper --root /target -n install curl && zypper --root /target clean --all\n' },
    { name: 'one clean after refresh and install', code: 'FROM opensuse/leap:15.6\nRUN zypper -n refresh && zypper -n update && zypper -n install curl && zypper clean -a\n' },
    { name: 'sudo', code: 'FROM opensuse/leap:15.6\nRUN sudo zypper -n in curl && sudo zypper clean -a\n' },
    // BuildKit mounts
    { name: 'cache mount on the cache', code: 'FROM opensuse/leap:15.6\nRUN --mount=type=cache,target=/var/cache/zypp zypper -n in curl\n' },
    { name: 'tmpfs mount on the cache', code: 'FROM opensuse/leap:15.6\nRUN --mount=type=tmpfs,target=/var/cache/zypp zypper -n in curl\n' },
    // not installs
    { name: 'other subcommands', code: 'FROM opensuse/leap:15.6\nRUN zypper -n rm curl && zypper lr && zypper se install\n' },
    { name: 'PowerShell is not read', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN zypper -n in curl\n' },
    // multi-stage
    { name: 'builder copied from selectively', code: 'FROM opensuse/leap:15.6 AS build\nRUN zypper -n in gcc\nFROM opensuse/leap:15.6\nCOPY --from=build /usr/bin/gcc /usr/bin/gcc\n' },
    // syntax
    { name: 'heredoc', code: 'FROM opensuse/leap:15.6\nRUN <<EOF\nzypper -n in curl\nzypper clean -a\nEOF\n' },
    { name: 'escape backtick', code: '# escape=`\nFROM opensuse/leap:15.6\nRUN zypper -n in curl && `\n    zypper clean -a\n' },
    { name: 'CRLF', code: 'FROM opensuse/leap:15.6\r\nRUN zypper -n in curl \\\r\n && zypper clean -a\r\n' },
    { name: 'comment inside a continuation', code: 'FROM opensuse/leap:15.6\nRUN zypper -n in curl \\\n# same layer\n && zypper clean -a\n' },
    { name: 'ONBUILD', code: 'FROM opensuse/leap:15.6\nONBUILD RUN zypper -n in curl && zypper clean -a\n' },
    { name: 'exec form through sh -c', code: 'FROM opensuse/leap:15.6\nRUN ["sh", "-c", "zypper -n in curl && zypper clean -a"]\n' },
  ],
  invalid: [
    {
      name: 'zypper install',
      code: 'FROM opensuse/leap:15.6\nRUN zypper --non-interactive install curl\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 37, data: { command: 'zypper install' } }],
      output: 'FROM opensuse/leap:15.6\nRUN zypper --non-interactive install curl && zypper clean --all\n',
    },
    {
      name: 'refresh and install, reported once on the last',
      code: 'FROM opensuse/leap:15.6\nRUN zypper -n ref && zypper -n in curl\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 22, endLine: 2, endColumn: 34, data: { command: 'zypper in' } }],
      output: 'FROM opensuse/leap:15.6\nRUN zypper -n ref && zypper -n in curl && zypper clean --all\n',
    },
    {
      name: 'zypper clean without --all keeps the metadata',
      code: 'FROM opensuse/leap:15.6\nRUN zypper -n in curl && zypper cc\n',
      errors: [{ messageId: 'metadataKept', line: 2, column: 5, endLine: 2, endColumn: 17, data: { command: 'zypper in', clean: 'zypper cc' } }],
      output: 'FROM opensuse/leap:15.6\nRUN zypper -n in curl && zypper cc --all\n',
    },
    {
      name: 'cleanup before the install does not count',
      code: 'FROM opensuse/leap:15.6\nRUN zypper clean -a && zypper -n in curl\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 24, endLine: 2, endColumn: 36 }],
      output: 'FROM opensuse/leap:15.6\nRUN zypper clean -a && zypper -n in curl && zypper clean --all\n',
    },
    {
      name: 'a cache mount elsewhere does not waive',
      code: 'FROM opensuse/leap:15.6\nRUN --mount=type=cache,target=/var/cache/zypp/packages zypper -n in curl\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 56, endLine: 2, endColumn: 68 }],
      output: 'FROM opensuse/leap:15.6\nRUN --mount=type=cache,target=/var/cache/zypp/packages zypper -n in curl && zypper clean --all\n',
    },
    {
      name: 'sudo',
      code: 'FROM opensuse/leap:15.6\nRUN sudo zypper -n in curl\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 10, endLine: 2, endColumn: 22 }],
      output: 'FROM opensuse/leap:15.6\nRUN sudo zypper -n in curl && sudo zypper clean --all\n',
    },
    // multi-stage and stage reuse
    {
      name: 'base stage built on by the final one',
      code: 'FROM opensuse/leap:15.6 AS base\nRUN zypper -n in curl\nFROM base\nRUN zypper -n in git && zypper clean -a\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 17 }],
      output: 'FROM opensuse/leap:15.6 AS base\nRUN zypper -n in curl && zypper clean --all\nFROM base\nRUN zypper -n in git && zypper clean -a\n',
    },
    // syntax
    {
      name: 'heredoc',
      code: 'FROM opensuse/leap:15.6\nRUN <<EOF\nset -e\nzypper -n in curl\nEOF\n',
      errors: [{ messageId: 'missingClean', line: 4, column: 1, endLine: 4, endColumn: 13 }],
      output: 'FROM opensuse/leap:15.6\nRUN <<EOF\nset -e\nzypper -n in curl && zypper clean --all\nEOF\n',
    },
    {
      name: 'escape backtick, lower-case keywords',
      code: '# escape=`\nfrom opensuse/leap:15.6\nrun zypper -n `\n    in curl\n',
      errors: [{ messageId: 'missingClean', line: 3, column: 5, endLine: 4, endColumn: 7 }],
      output: '# escape=`\nfrom opensuse/leap:15.6\nrun zypper -n `\n    in curl `\n    && zypper clean --all\n',
    },
    {
      name: 'CRLF',
      code: 'FROM opensuse/leap:15.6\r\nRUN zypper -n in \\\r\n    curl\r\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 17 }],
      output: 'FROM opensuse/leap:15.6\r\nRUN zypper -n in \\\r\n    curl \\\r\n    && zypper clean --all\r\n',
    },
    {
      name: 'comment inside a continuation',
      code: 'FROM opensuse/leap:15.6\nRUN zypper -n in curl \\\n# cleaned elsewhere\n && echo done\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 17 }],
      output: 'FROM opensuse/leap:15.6\nRUN zypper -n in curl \\\n# cleaned elsewhere\n && echo done \\\n && zypper clean --all\n',
    },
    {
      name: 'ONBUILD',
      code: 'FROM opensuse/leap:15.6\nONBUILD RUN zypper -n in curl\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 13, endLine: 2, endColumn: 25 }],
      output: 'FROM opensuse/leap:15.6\nONBUILD RUN zypper -n in curl && zypper clean --all\n',
    },
    {
      name: 'exec form',
      code: 'FROM opensuse/leap:15.6\nRUN ["zypper", "-n", "in", "curl"]\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 6, endLine: 2, endColumn: 26 }],
      output: null,
    },
    // fixes
    {
      name: 'a clean of the solv cache only gets --all',
      code: 'FROM opensuse/leap:15.6\nRUN zypper -n in curl \\\n && zypper clean -m\n',
      errors: [{ messageId: 'metadataKept', line: 2, column: 5, endLine: 2, endColumn: 17 }],
      output: 'FROM opensuse/leap:15.6\nRUN zypper -n in curl \\\n && zypper clean --all -m\n',
    },
    {
      name: 'exec form through sh -c: the clean goes into the string',
      code: 'FROM opensuse/leap:15.6\nRUN ["sh", "-c", "zypper -n in curl"]\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 18, endLine: 2, endColumn: 37 }],
      output: 'FROM opensuse/leap:15.6\nRUN ["sh", "-c", "zypper -n in curl && zypper clean --all"]\n',
    },
  ],
});
