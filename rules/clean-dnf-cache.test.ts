import { runRuleTests } from '../src/testing/rule-tester.js';
import rule from './clean-dnf-cache.js';

runRuleTests(rule, {
  valid: [
    'FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n',
    { name: 'microdnf clean all', code: 'FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y tar && microdnf clean all\n' },
    { name: 'rm of the dnf cache', code: 'FROM fedora:40\nRUN dnf -y install httpd && rm -rf /var/cache/dnf/*\n' },
    { name: 'rm of the microdnf cache', code: 'FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y tar && rm -rf /var/cache/yum\n' },
    { name: 'dnf5 and its cache', code: 'FROM fedora:41\nRUN dnf5 install -y httpd && rm -rf /var/cache/libdnf5\n' },
    { name: 'options and aliases', code: 'FROM fedora:40\nRUN dnf --setopt=install_weak_deps=False -y in httpd && dnf -y clean all\n' },
    { name: 'module install', code: 'FROM rockylinux:9\nRUN dnf -y module install nodejs:20 && dnf clean all\n' },
    { name: 'one clean after several installs', code: 'FROM fedora:40\nRUN dnf -y upgrade && dnf -y install httpd && dnf clean all\n' },
    { name: 'sudo', code: 'FROM fedora:40\nRUN sudo dnf install -y httpd && sudo dnf clean all\n' },
    // BuildKit mounts
    { name: 'cache mount on the cache', code: 'FROM fedora:40\nRUN --mount=type=cache,target=/var/cache/dnf dnf install -y httpd\n' },
    { name: 'tmpfs mount on /var/cache', code: 'FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN --mount=type=tmpfs,target=/var/cache microdnf install -y tar\n' },
    // not installs
    { name: 'other subcommands', code: 'FROM fedora:40\nRUN dnf remove -y httpd && dnf list installed && dnf info install\n' },
    { name: 'PowerShell is not read', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN dnf install -y httpd\n' },
    // multi-stage
    { name: 'builder copied from selectively', code: 'FROM fedora:40 AS build\nRUN dnf install -y gcc\nFROM fedora:40\nCOPY --from=build /usr/bin/gcc /usr/bin/gcc\n' },
    // syntax
    { name: 'heredoc', code: 'FROM fedora:40\nRUN <<EOF\ndnf install -y httpd\ndnf clean all\nEOF\n' },
    { name: 'escape backtick', code: '# escape=`\nFROM fedora:40\nRUN dnf install -y httpd && `\n    dnf clean all\n' },
    { name: 'CRLF', code: 'FROM fedora:40\r\nRUN dnf install -y httpd \\\r\n && dnf clean all\r\n' },
    { name: 'comment inside a continuation', code: 'FROM fedora:40\nRUN dnf install -y httpd \\\n# same layer\n && dnf clean all\n' },
    { name: 'ONBUILD', code: 'FROM fedora:40\nONBUILD RUN dnf install -y httpd && dnf clean all\n' },
    { name: 'exec form through sh -c', code: 'FROM fedora:40\nRUN ["sh", "-c", "dnf install -y httpd && dnf clean all"]\n' },
  ],
  invalid: [
    {
      name: 'dnf install',
      code: 'FROM fedora:40\nRUN dnf install -y httpd\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 16, data: { command: 'dnf install', dir: '/var/cache/dnf', tool: 'dnf' } }],
      output: 'FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n',
    },
    {
      name: 'microdnf install',
      code: 'FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y --nodocs tar\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 21, data: { command: 'microdnf install', dir: '/var/cache/yum', tool: 'microdnf' } }],
      output: 'FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y --nodocs tar && microdnf clean all\n',
    },
    {
      name: 'several installs, reported once on the last',
      code: 'FROM fedora:40\nRUN dnf -y upgrade && dnf -y group install "Development Tools"\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 23, endLine: 2, endColumn: 43, data: { command: 'dnf group install', dir: '/var/cache/dnf', tool: 'dnf' } }],
      output: 'FROM fedora:40\nRUN dnf -y upgrade && dnf -y group install "Development Tools" && dnf clean all\n',
    },
    {
      name: 'rm of the yum directory leaves the dnf cache',
      code: 'FROM fedora:40\nRUN dnf install -y httpd && rm -rf /var/cache/yum/*\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: 'FROM fedora:40\nRUN dnf install -y httpd && rm -rf /var/cache/yum/* && dnf clean all\n',
    },
    {
      name: 'cleanup before the install does not count',
      code: 'FROM fedora:40\nRUN dnf clean all && dnf install -y httpd\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 22, endLine: 2, endColumn: 33 }],
      output: 'FROM fedora:40\nRUN dnf clean all && dnf install -y httpd && dnf clean all\n',
    },
    {
      name: 'dnf clean packages keeps the metadata',
      code: 'FROM fedora:40\nRUN dnf install -y httpd && dnf clean packages\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: 'FROM fedora:40\nRUN dnf install -y httpd && dnf clean packages && dnf clean all\n',
    },
    {
      name: 'a cache mount elsewhere does not waive',
      code: 'FROM fedora:40\nRUN --mount=type=cache,target=/var/cache/yum dnf install -y httpd\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 46, endLine: 2, endColumn: 57 }],
      output: 'FROM fedora:40\nRUN --mount=type=cache,target=/var/cache/yum dnf install -y httpd && dnf clean all\n',
    },
    {
      name: 'sudo',
      code: 'FROM fedora:40\nRUN sudo dnf install -y httpd\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 10, endLine: 2, endColumn: 21 }],
      output: 'FROM fedora:40\nRUN sudo dnf install -y httpd && sudo dnf clean all\n',
    },
    // multi-stage and stage reuse
    {
      name: 'base stage built on by the final one',
      code: 'FROM fedora:40 AS base\nRUN dnf install -y httpd\nFROM base\nRUN dnf install -y mod_ssl && dnf clean all\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: 'FROM fedora:40 AS base\nRUN dnf install -y httpd && dnf clean all\nFROM base\nRUN dnf install -y mod_ssl && dnf clean all\n',
    },
    // syntax
    {
      name: 'heredoc',
      code: 'FROM fedora:40\nRUN <<EOF\nset -e\ndnf install -y httpd\nEOF\n',
      errors: [{ messageId: 'missingClean', line: 4, column: 1, endLine: 4, endColumn: 12 }],
      output: 'FROM fedora:40\nRUN <<EOF\nset -e\ndnf install -y httpd && dnf clean all\nEOF\n',
    },
    {
      name: 'escape backtick, lower-case keywords',
      code: '# escape=`\nfrom fedora:40\nrun dnf -y `\n    install httpd\n',
      errors: [{ messageId: 'missingClean', line: 3, column: 5, endLine: 4, endColumn: 12 }],
      output: '# escape=`\nfrom fedora:40\nrun dnf -y `\n    install httpd `\n    && dnf clean all\n',
    },
    {
      name: 'CRLF',
      code: 'FROM fedora:40\r\nRUN dnf install -y \\\r\n    httpd\r\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: 'FROM fedora:40\r\nRUN dnf install -y \\\r\n    httpd \\\r\n    && dnf clean all\r\n',
    },
    {
      name: 'comment inside a continuation',
      code: 'FROM fedora:40\nRUN dnf install -y httpd \\\n# cleaned elsewhere\n && echo done\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: 'FROM fedora:40\nRUN dnf install -y httpd \\\n# cleaned elsewhere\n && echo done \\\n && dnf clean all\n',
    },
    {
      name: 'ONBUILD',
      code: 'FROM fedora:40\nONBUILD RUN dnf install -y httpd\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 13, endLine: 2, endColumn: 24 }],
      output: 'FROM fedora:40\nONBUILD RUN dnf install -y httpd && dnf clean all\n',
    },
    {
      name: 'exec form',
      code: 'FROM fedora:40\nRUN ["dnf", "install", "-y", "httpd"]\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 6, endLine: 2, endColumn: 22 }],
      output: null,
    },
    // fixes
    {
      name: 'dnf5 cleans with dnf5',
      code: 'FROM fedora:41\nRUN dnf5 install -y httpd\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 17 }],
      output: 'FROM fedora:41\nRUN dnf5 install -y httpd && dnf5 clean all\n',
    },
    {
      name: 'exec form through bash -c: the clean goes into the string',
      code: 'FROM fedora:40\nRUN ["/bin/bash", "-c", "dnf install -y httpd"]\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 25, endLine: 2, endColumn: 47 }],
      output: 'FROM fedora:40\nRUN ["/bin/bash", "-c", "dnf install -y httpd && dnf clean all"]\n',
    },
  ],
});
