import { runRuleTests } from '../src/testing/rule-tester.js';
import rule from './clean-yum-cache.js';

runRuleTests(rule, {
  valid: [
    'FROM centos:7\nRUN yum install -y httpd && yum clean all\n',
    { name: 'rm of the cache', code: 'FROM centos:7\nRUN yum install -y httpd && rm -rf /var/cache/yum\n' },
    { name: 'dnf clean all (yum is dnf on EL8)', code: 'FROM rockylinux:8\nRUN yum -y install httpd && dnf clean all\n' },
    { name: 'options before the subcommand', code: 'FROM centos:7\nRUN yum --enablerepo epel -y install jq && yum clean all\n' },
    { name: 'group install', code: 'FROM centos:7\nRUN yum -y group install "Development Tools" && yum -y clean all\n' },
    { name: 'one clean after several installs', code: 'FROM centos:7\nRUN yum -y update && yum -y install httpd && yum clean all\n' },
    { name: 'sudo', code: 'FROM centos:7\nRUN sudo yum install -y httpd && sudo yum clean all\n' },
    // BuildKit mounts
    { name: 'cache mount on the cache', code: 'FROM centos:7\nRUN --mount=type=cache,target=/var/cache/yum yum install -y httpd\n' },
    { name: 'tmpfs mount on the cache', code: 'FROM rockylinux:8\nRUN --mount=type=tmpfs,target=/var/cache/dnf yum install -y httpd\n' },
    // not installs
    { name: 'other subcommands', code: 'FROM centos:7\nRUN yum remove -y httpd && yum list installed && yum info install\n' },
    { name: 'PowerShell is not read', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN yum install -y httpd\n' },
    // multi-stage
    { name: 'builder copied from selectively', code: 'FROM centos:7 AS build\nRUN yum install -y gcc\nFROM centos:7\nCOPY --from=build /usr/bin/gcc /usr/bin/gcc\n' },
    // syntax
    { name: 'heredoc', code: 'FROM centos:7\nRUN <<EOF\nyum install -y httpd\nyum clean all\nEOF\n' },
    { name: 'escape backtick', code: '# escape=`\nFROM centos:7\nRUN yum install -y httpd && `\n    yum clean all\n' },
    { name: 'CRLF', code: 'FROM centos:7\r\nRUN yum install -y httpd \\\r\n && yum clean all\r\n' },
    { name: 'comment inside a continuation', code: 'FROM centos:7\nRUN yum install -y httpd \\\n# same layer\n && yum clean all\n' },
    { name: 'ONBUILD', code: 'FROM centos:7\nONBUILD RUN yum install -y httpd && yum clean all\n' },
    { name: 'exec form through sh -c', code: 'FROM centos:7\nRUN ["sh", "-c", "yum install -y httpd && yum clean all"]\n' },
  ],
  invalid: [
    {
      name: 'yum install',
      code: 'FROM centos:7\nRUN yum install -y httpd\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 16, data: { command: 'yum install' } }],
      output: 'FROM centos:7\nRUN yum install -y httpd && yum clean all\n',
    },
    {
      name: 'several installs, reported once on the last',
      code: 'FROM centos:7\nRUN yum -y update && yum -y install httpd\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 22, endLine: 2, endColumn: 36, data: { command: 'yum install' } }],
      output: 'FROM centos:7\nRUN yum -y update && yum -y install httpd && yum clean all\n',
    },
    {
      name: 'group install',
      code: 'FROM centos:7\nRUN yum -y groups install "Development Tools"\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 26, data: { command: 'yum groups install' } }],
      output: 'FROM centos:7\nRUN yum -y groups install "Development Tools" && yum clean all\n',
    },
    {
      name: 'cleanup before the install does not count',
      code: 'FROM centos:7\nRUN yum clean all && yum install -y httpd\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 22, endLine: 2, endColumn: 33 }],
      output: 'FROM centos:7\nRUN yum clean all && yum install -y httpd && yum clean all\n',
    },
    {
      name: 'yum clean packages keeps the metadata',
      code: 'FROM centos:7\nRUN yum install -y httpd && yum clean packages\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: 'FROM centos:7\nRUN yum install -y httpd && yum clean packages && yum clean all\n',
    },
    {
      name: 'clean in a later RUN',
      code: 'FROM centos:7\nRUN yum install -y httpd\nRUN yum clean all\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: 'FROM centos:7\nRUN yum install -y httpd && yum clean all\nRUN yum clean all\n',
    },
    {
      name: 'a cache mount elsewhere does not waive',
      code: 'FROM centos:7\nRUN --mount=type=cache,target=/var/cache/yum/x86_64 yum install -y httpd\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 53, endLine: 2, endColumn: 64 }],
      output: 'FROM centos:7\nRUN --mount=type=cache,target=/var/cache/yum/x86_64 yum install -y httpd && yum clean all\n',
    },
    {
      name: 'sudo',
      code: 'FROM centos:7\nRUN sudo yum install -y httpd\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 10, endLine: 2, endColumn: 21 }],
      output: 'FROM centos:7\nRUN sudo yum install -y httpd && sudo yum clean all\n',
    },
    // multi-stage and stage reuse
    {
      name: 'base stage built on by the final one',
      code: 'FROM centos:7 AS base\nRUN yum install -y httpd\nFROM base\nRUN yum install -y mod_ssl && yum clean all\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: 'FROM centos:7 AS base\nRUN yum install -y httpd && yum clean all\nFROM base\nRUN yum install -y mod_ssl && yum clean all\n',
    },
    // syntax
    {
      name: 'heredoc',
      code: 'FROM centos:7\nRUN <<EOF\nset -e\nyum install -y httpd\nEOF\n',
      errors: [{ messageId: 'missingClean', line: 4, column: 1, endLine: 4, endColumn: 12 }],
      output: 'FROM centos:7\nRUN <<EOF\nset -e\nyum install -y httpd && yum clean all\nEOF\n',
    },
    {
      name: 'escape backtick, lower-case keywords',
      code: '# escape=`\nfrom centos:7\nrun yum -y `\n    install httpd\n',
      errors: [{ messageId: 'missingClean', line: 3, column: 5, endLine: 4, endColumn: 12 }],
      output: '# escape=`\nfrom centos:7\nrun yum -y `\n    install httpd `\n    && yum clean all\n',
    },
    {
      name: 'CRLF',
      code: 'FROM centos:7\r\nRUN yum install -y \\\r\n    httpd\r\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: 'FROM centos:7\r\nRUN yum install -y \\\r\n    httpd \\\r\n    && yum clean all\r\n',
    },
    {
      name: 'comment inside a continuation',
      code: 'FROM centos:7\nRUN yum install -y httpd \\\n# cleaned elsewhere\n && echo done\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: 'FROM centos:7\nRUN yum install -y httpd \\\n# cleaned elsewhere\n && echo done \\\n && yum clean all\n',
    },
    {
      name: 'ONBUILD',
      code: 'FROM centos:7\nONBUILD RUN yum install -y httpd\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 13, endLine: 2, endColumn: 24 }],
      output: 'FROM centos:7\nONBUILD RUN yum install -y httpd && yum clean all\n',
    },
    {
      name: 'exec form',
      code: 'FROM centos:7\nRUN ["yum", "install", "-y", "httpd"]\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 6, endLine: 2, endColumn: 22 }],
      output: null,
    },
    // fixes
    {
      name: 'exec form through sh -c: the clean goes into the string',
      code: 'FROM centos:7\nRUN ["sh", "-c", "yum install -y httpd"]\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 18, endLine: 2, endColumn: 40 }],
      output: 'FROM centos:7\nRUN ["sh", "-c", "yum install -y httpd && yum clean all"]\n',
    },
    {
      name: '&& at line ends: the clean on a new line at the command indentation',
      code: 'FROM centos:7\nRUN yum -y update && \\\n    yum -y install \\\n        httpd \\\n        mod_ssl\n',
      errors: [{ messageId: 'missingClean', line: 3, column: 5, endLine: 3, endColumn: 19 }],
      output: 'FROM centos:7\nRUN yum -y update && \\\n    yum -y install \\\n        httpd \\\n        mod_ssl && \\\n    yum clean all\n',
    },
  ],
});
