import { runRuleTests } from '../src/testing/rule-tester.js';
import rule from './apt-no-install-recommends.js';

runRuleTests(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n',
    // ways to turn recommends off
    { name: 'option after the packages, bundled with others', code: 'FROM debian:12\nRUN apt-get -q install git --no-install-recommends && apt-get install -y --install-recommends=no curl\n' },
    { name: '-o APT::Install-Recommends', code: 'FROM debian:12\nRUN apt-get -o APT::Install-Recommends=false install -y curl && apt install -y -o APT::Install-Recommends=0 git\n' },
    { name: '-o attached to its value', code: 'FROM debian:12\nRUN apt-get install -oAPT::Install-Recommends=false git\n' },
    { name: 'aptitude -R and --without-recommends', code: 'FROM debian:12\nRUN aptitude install -R -y curl && aptitude install --without-recommends git\n' },
    { name: 'apt.conf.d written by an earlier RUN', code: 'FROM debian:12\nRUN echo \'APT::Install-Recommends "0";\' > /etc/apt/apt.conf.d/99-no-recommends\nRUN apt-get install -y curl\n' },
    { name: 'apt.conf.d written earlier in the same RUN', code: 'FROM debian:12\nRUN echo \'APT::Install-Recommends "false";\' > /etc/apt/apt.conf.d/99-no-recommends && apt-get install -y curl\n' },
    { name: 'apt.conf.d written by a COPY heredoc', code: 'FROM debian:12\nCOPY <<EOF /etc/apt/apt.conf.d/99-no-recommends\nAPT::Install-Recommends "0";\nEOF\nRUN apt-get install -y curl\n' },
    { name: 'a simulated install installs nothing', code: 'FROM debian:12\nRUN if apt-get install -s postgresql-jit > /dev/null 2>&1; then echo yes; fi && apt-get -qs install curl\n' },
    { name: 'other subcommands', code: 'FROM debian:12\nRUN apt-get remove -y curl && apt-get update && apt-get upgrade -y\n' },
    { name: 'PowerShell is not read', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN apt-get install -y curl\n' },
    // multi-stage
    { name: 'configured in the stage built on', code: 'FROM debian:12 AS base\nRUN printf \'APT::Install-Recommends "false";\\n\' > /etc/apt/apt.conf.d/99-no-recommends\nFROM base\nRUN apt-get install -y curl\n' },
    // syntax
    { name: 'heredoc', code: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y --no-install-recommends curl\nEOF\n' },
    { name: 'heredoc written to apt.conf.d', code: 'FROM debian:12\nRUN cat > /etc/apt/apt.conf.d/99-no-recommends <<EOF && apt-get install -y curl\nAPT::Install-Recommends "0";\nEOF\n' },
    { name: 'exec form through sh -c', code: 'FROM debian:12\nRUN ["sh", "-c", "apt-get install -y --no-install-recommends curl"]\n' },
    { name: 'ONBUILD', code: 'FROM debian:12\nONBUILD RUN apt-get install -y --no-install-recommends curl\n' },
    { name: 'exec form without a shell', code: 'FROM debian:12\nRUN ["apt-get", "install", "--no-install-recommends", "curl"]\n' },
  ],
  invalid: [
    {
      name: 'apt-get install',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n',
      errors: [{ messageId: 'recommends', line: 2, column: 23, endLine: 2, endColumn: 38, data: { command: 'apt-get install', option: '--no-install-recommends' }, suggestions: ['FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n'] }],
      output: null,
    },
    {
      name: 'apt and aptitude',
      code: 'FROM debian:12\nRUN apt install -y curl && aptitude install -y git\n',
      errors: [
        { messageId: 'recommends', line: 2, column: 5, endLine: 2, endColumn: 16, data: { command: 'apt install', option: '--no-install-recommends' }, suggestions: ['FROM debian:12\nRUN apt install -y --no-install-recommends curl && aptitude install -y git\n'] },
        { messageId: 'recommends', line: 2, column: 28, endLine: 2, endColumn: 44, data: { command: 'aptitude install', option: '--without-recommends' }, suggestions: ['FROM debian:12\nRUN apt install -y curl && aptitude install -y --without-recommends git\n'] },
      ],
      output: null,
    },
    {
      name: 'the option after -- is a package name',
      code: 'FROM debian:12\nRUN apt-get install -y curl -- --no-install-recommends\n',
      errors: [{ messageId: 'recommends', line: 2, column: 5, endLine: 2, endColumn: 20, suggestions: ['FROM debian:12\nRUN apt-get install -y --no-install-recommends curl -- --no-install-recommends\n'] }],
      output: null,
    },
    {
      name: 'a cache mount does not waive it',
      code: 'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y curl\n',
      errors: [{ messageId: 'recommends', line: 2, column: 46, endLine: 2, endColumn: 61, suggestions: ['FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y --no-install-recommends curl\n'] }],
      output: null,
    },
    // multi-stage
    {
      name: 'configuration does not cross into an unrelated stage',
      code: 'FROM debian:12 AS base\nRUN printf \'APT::Install-Recommends "false";\\n\' > /etc/apt/apt.conf.d/99-no-recommends\nFROM debian:12\nRUN apt-get install -y vim\n',
      errors: [{ messageId: 'recommends', line: 4, column: 5, endLine: 4, endColumn: 20, suggestions: ['FROM debian:12 AS base\nRUN printf \'APT::Install-Recommends "false";\\n\' > /etc/apt/apt.conf.d/99-no-recommends\nFROM debian:12\nRUN apt-get install -y --no-install-recommends vim\n'] }],
      output: null,
    },
    {
      name: 'builder stages too',
      code: 'FROM debian:12 AS build\nRUN apt-get install -y gcc\nFROM scratch\nCOPY --from=build /usr/bin/gcc /gcc\n',
      errors: [{ messageId: 'recommends', line: 2, column: 5, endLine: 2, endColumn: 20, suggestions: ['FROM debian:12 AS build\nRUN apt-get install -y --no-install-recommends gcc\nFROM scratch\nCOPY --from=build /usr/bin/gcc /gcc\n'] }],
      output: null,
    },
    // syntax
    {
      name: 'heredoc',
      code: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n',
      errors: [{ messageId: 'recommends', line: 4, column: 1, endLine: 4, endColumn: 16, suggestions: ['FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y --no-install-recommends curl\nEOF\n'] }],
      output: null,
    },
    {
      name: 'escape backtick',
      code: '# escape=`\nFROM debian:12\nRUN apt-get update && `\n    apt-get install -y curl\n',
      errors: [{ messageId: 'recommends', line: 4, column: 5, endLine: 4, endColumn: 20, suggestions: ['# escape=`\nFROM debian:12\nRUN apt-get update && `\n    apt-get install -y --no-install-recommends curl\n'] }],
      output: null,
    },
    {
      name: 'CRLF, sudo -E',
      code: 'FROM debian:12\r\nRUN apt-get update \\\r\n && sudo -E apt-get install -y curl\r\n',
      errors: [{ messageId: 'recommends', line: 3, column: 13, endLine: 3, endColumn: 28, suggestions: ['FROM debian:12\r\nRUN apt-get update \\\r\n && sudo -E apt-get install -y --no-install-recommends curl\r\n'] }],
      output: null,
    },
    {
      name: 'comment inside a continuation',
      code: 'FROM debian:12\nRUN apt-get update \\\n# the tools\n && apt-get install -y curl\n',
      errors: [{ messageId: 'recommends', line: 4, column: 5, endLine: 4, endColumn: 20, suggestions: ['FROM debian:12\nRUN apt-get update \\\n# the tools\n && apt-get install -y --no-install-recommends curl\n'] }],
      output: null,
    },
    {
      name: 'ONBUILD',
      code: 'FROM debian:12\nONBUILD RUN apt-get install -y curl\n',
      errors: [{ messageId: 'recommends', line: 2, column: 13, endLine: 2, endColumn: 28, suggestions: ['FROM debian:12\nONBUILD RUN apt-get install -y --no-install-recommends curl\n'] }],
      output: null,
    },
    {
      name: 'exec form through sh -c',
      code: 'FROM debian:12\nRUN ["sh", "-c", "apt-get install -y curl"]\n',
      errors: [{ messageId: 'recommends', line: 2, column: 18, endLine: 2, endColumn: 43, suggestions: ['FROM debian:12\nRUN ["sh", "-c", "apt-get install -y --no-install-recommends curl"]\n'] }],
      output: null,
    },
    {
      name: 'exec form without a shell',
      code: 'FROM debian:12\nRUN ["apt-get", "install", "-y", "curl"]\n',
      errors: [{ messageId: 'recommends', line: 2, column: 6, endLine: 2, endColumn: 26, suggestions: ['FROM debian:12\nRUN ["apt-get", "install", "-y", "--no-install-recommends", "curl"]\n'] }],
      output: null,
    },
    {
      name: 'lower-case keyword',
      code: 'from debian:12\nrun apt-get update && apt-get install -y curl\n',
      errors: [{ messageId: 'recommends', line: 2, column: 23, endLine: 2, endColumn: 38, suggestions: ['from debian:12\nrun apt-get update && apt-get install -y --no-install-recommends curl\n'] }],
      output: null,
    },
    // suggestions
    {
      name: 'the option goes before an option that takes a value',
      code: 'FROM debian:12\nRUN apt-get install -qy -t bookworm-backports curl\n',
      errors: [{ messageId: 'recommends', line: 2, column: 5, endLine: 2, endColumn: 20, suggestions: ['FROM debian:12\nRUN apt-get install -qy --no-install-recommends -t bookworm-backports curl\n'] }],
      output: null,
    },
    {
      name: 'options before the subcommand; the continuation stays',
      code: 'FROM debian:12\nRUN apt-get -y install \\\n    curl\n',
      errors: [{ messageId: 'recommends', line: 2, column: 5, endLine: 2, endColumn: 23, suggestions: ['FROM debian:12\nRUN apt-get -y install --no-install-recommends \\\n    curl\n'] }],
      output: null,
    },
  ],
});
