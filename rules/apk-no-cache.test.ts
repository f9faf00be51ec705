import { runRuleTests } from '../src/testing/rule-tester.js';
import rule from './apk-no-cache.js';

runRuleTests(rule, {
  valid: [
    'FROM alpine:3.20\nRUN apk add --no-cache curl\n',
    { name: 'option before the subcommand', code: 'FROM alpine:3.20\nRUN apk --no-cache add curl\n' },
    { name: '--virtual', code: 'FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev && apk del .build-deps\n' },
    { name: '--no-network installs from what is there', code: 'FROM alpine:3.20\nRUN apk add --no-network --virtual .rundeps $deps\n' },
    { name: 'upgrade with --no-cache', code: 'FROM alpine:3.20\nRUN apk upgrade --no-cache\n' },
    // cleanup in the same RUN
    { name: 'rm of the cache contents', code: 'FROM alpine:3.20\nRUN apk update && apk add curl && rm -rf /var/cache/apk/*\n' },
    { name: 'rm of the directory, glob outside quotes', code: 'FROM alpine:3.20\nRUN apk add curl && rm -rf "/var/cache/apk/"*\n' },
    { name: 'find -delete', code: 'FROM alpine:3.20\nRUN apk add curl && find /var/cache/apk -type f -delete\n' },
    { name: 'sudo', code: 'FROM alpine:3.20\nRUN sudo apk add curl && sudo rm -rf /var/cache/apk/*\n' },
    // BuildKit mounts
    { name: 'cache mount on the cache', code: 'FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk update && apk add curl\n' },
    { name: 'tmpfs mount on /var/cache', code: 'FROM alpine:3.20\nRUN --mount=type=tmpfs,target=/var/cache apk add curl\n' },
    // not apk add
    { name: 'other subcommands', code: 'FROM alpine:3.20\nRUN apk del curl && apk info && apk --version\n' },
    { name: 'PowerShell is not read', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN apk add curl\n' },
    // multi-stage
    { name: 'builder copied from selectively', code: 'FROM alpine:3.20 AS build\nRUN apk add gcc\nFROM alpine:3.20\nCOPY --from=build /usr/bin/gcc /usr/bin/gcc\n' },
    { name: 'stage only mounted from', code: 'FROM alpine:3.20 AS tools\nRUN apk add curl\nFROM alpine:3.20\nRUN --mount=from=tools,source=/usr/bin/curl,target=/curl cp /curl /usr/local/bin/\n' },
    // syntax
    { name: 'heredoc', code: 'FROM alpine:3.20\nRUN <<EOF\napk add curl\nrm -rf /var/cache/apk/*\nEOF\n' },
    { name: 'escape backtick', code: '# escape=`\nFROM alpine:3.20\nRUN apk add `\n    --no-cache curl\n' },
    { name: 'CRLF', code: 'FROM alpine:3.20\r\nRUN apk add \\\r\n    --no-cache curl\r\n' },
    { name: 'comment inside a continuation', code: 'FROM alpine:3.20\nRUN apk add \\\n# keep the index out\n    --no-cache curl\n' },
    { name: 'ONBUILD', code: 'FROM alpine:3.20\nONBUILD RUN apk add --no-cache curl\n' },
    { name: 'exec form', code: 'FROM alpine:3.20\nRUN ["apk", "add", "--no-cache", "curl"]\n' },
  ],
  invalid: [
    {
      name: 'apk add',
      code: 'FROM alpine:3.20\nRUN apk add curl\n',
      errors: [{ messageId: 'noCache', line: 2, column: 5, endLine: 2, endColumn: 12, data: { command: 'apk add', verb: 'add' } }],
      output: 'FROM alpine:3.20\nRUN apk add --no-cache curl\n',
    },
    {
      name: 'apk add --update, --virtual',
      code: 'FROM alpine:3.20\nRUN apk add --update --virtual .build-deps gcc\n',
      errors: [{ messageId: 'noCache', line: 2, column: 5, endLine: 2, endColumn: 12 }],
      output: 'FROM alpine:3.20\nRUN apk add --no-cache --update --virtual .build-deps gcc\n',
    },
    {
      name: 'apk upgrade',
      code: 'FROM alpine:3.20\nRUN apk upgrade\n',
      errors: [{ messageId: 'noCache', line: 2, column: 5, endLine: 2, endColumn: 16, data: { command: 'apk upgrade', verb: 'upgrade' } }],
      output: 'FROM alpine:3.20\nRUN apk upgrade --no-cache\n',
    },
    {
      name: 'apk update before an uncached add is one finding',
      code: 'FROM alpine:3.20\nRUN apk update && apk add curl\n',
      errors: [{ messageId: 'updateThenAdd', line: 2, column: 19, endLine: 2, endColumn: 26, data: { update: 'apk update', command: 'apk add', verb: 'add' } }],
      output: null,
    },
    {
      name: 'apk update leaves the index even when add has --no-cache',
      code: 'FROM alpine:3.20\nRUN apk update && apk add --no-cache curl\n',
      errors: [{ messageId: 'updateLeaves', line: 2, column: 5, endLine: 2, endColumn: 15, data: { command: 'apk update' } }],
      output: null,
    },
    {
      name: 'cleanup before the install does not count',
      code: 'FROM alpine:3.20\nRUN rm -rf /var/cache/apk/* && apk add curl\n',
      errors: [{ messageId: 'noCache', line: 2, column: 32, endLine: 2, endColumn: 39 }],
      output: 'FROM alpine:3.20\nRUN rm -rf /var/cache/apk/* && apk add --no-cache curl\n',
    },
    {
      name: 'a quoted glob removes nothing',
      code: 'FROM alpine:3.20\nRUN apk add curl && rm -rf "/var/cache/apk/*"\n',
      errors: [{ messageId: 'noCache', line: 2, column: 5, endLine: 2, endColumn: 12 }],
      output: 'FROM alpine:3.20\nRUN apk add --no-cache curl && rm -rf "/var/cache/apk/*"\n',
    },
    {
      name: 'a cache mount elsewhere does not waive',
      code: 'FROM alpine:3.20\nRUN --mount=type=cache,target=/etc/apk/cache apk add curl\n',
      errors: [{ messageId: 'noCache', line: 2, column: 46, endLine: 2, endColumn: 53 }],
      output: 'FROM alpine:3.20\nRUN --mount=type=cache,target=/etc/apk/cache apk add --no-cache curl\n',
    },
    {
      name: 'sudo',
      code: 'FROM alpine:3.20\nRUN sudo apk add curl\n',
      errors: [{ messageId: 'noCache', line: 2, column: 10, endLine: 2, endColumn: 17 }],
      output: 'FROM alpine:3.20\nRUN sudo apk add --no-cache curl\n',
    },
    // multi-stage and stage reuse
    {
      name: 'base stage built on by the final one',
      code: 'FROM alpine:3.20 AS base\nRUN apk add curl\nFROM base\nRUN apk add git\n',
      errors: [
        { messageId: 'noCache', line: 2, column: 5, endLine: 2, endColumn: 12 },
        { messageId: 'noCache', line: 4, column: 5, endLine: 4, endColumn: 12 },
      ],
      output: 'FROM alpine:3.20 AS base\nRUN apk add --no-cache curl\nFROM base\nRUN apk add --no-cache git\n',
    },
    {
      name: 'builder copied whole',
      code: 'FROM alpine:3.20 AS build\nRUN apk add curl\nFROM scratch\nCOPY --from=build / /\n',
      errors: [{ messageId: 'noCache', line: 2, column: 5, endLine: 2, endColumn: 12 }],
      output: 'FROM alpine:3.20 AS build\nRUN apk add --no-cache curl\nFROM scratch\nCOPY --from=build / /\n',
    },
    // syntax
    {
      name: 'heredoc',
      code: 'FROM alpine:3.20\nRUN <<EOF\napk update\napk add curl\nEOF\n',
      errors: [{ messageId: 'updateThenAdd', line: 4, column: 1, endLine: 4, endColumn: 8 }],
      output: null,
    },
    {
      name: 'escape backtick, lower-case keywords',
      code: '# escape=`\nfrom alpine:3.20\nrun apk `\n    add curl\n',
      errors: [{ messageId: 'noCache', line: 3, column: 5, endLine: 4, endColumn: 8 }],
      output: '# escape=`\nfrom alpine:3.20\nrun apk `\n    add --no-cache curl\n',
    },
    {
      name: 'CRLF',
      code: 'FROM alpine:3.20\r\nRUN apk add \\\r\n    curl\r\n',
      errors: [{ messageId: 'noCache', line: 2, column: 5, endLine: 2, endColumn: 12 }],
      output: 'FROM alpine:3.20\r\nRUN apk add --no-cache \\\r\n    curl\r\n',
    },
    {
      name: 'comment inside a continuation',
      code: 'FROM alpine:3.20\nRUN apk update \\\n# the index stays\n && apk add --no-cache curl\n',
      errors: [{ messageId: 'updateLeaves', line: 2, column: 5, endLine: 2, endColumn: 15 }],
      output: null,
    },
    {
      name: 'ONBUILD',
      code: 'FROM alpine:3.20\nONBUILD RUN apk add curl\n',
      errors: [{ messageId: 'noCache', line: 2, column: 13, endLine: 2, endColumn: 20 }],
      output: 'FROM alpine:3.20\nONBUILD RUN apk add --no-cache curl\n',
    },
    {
      name: 'exec form',
      code: 'FROM alpine:3.20\nRUN ["apk", "add", "curl"]\n',
      errors: [{ messageId: 'noCache', line: 2, column: 6, endLine: 2, endColumn: 18 }],
      output: 'FROM alpine:3.20\nRUN ["apk", "add", "--no-cache", "curl"]\n',
    },
    // fixes
    {
      name: 'heredoc: the option goes into the body',
      code: 'FROM alpine:3.20\nRUN <<EOF\nset -e\napk add curl\nEOF\n',
      errors: [{ messageId: 'noCache', line: 4, column: 1, endLine: 4, endColumn: 8 }],
      output: 'FROM alpine:3.20\nRUN <<EOF\nset -e\napk add --no-cache curl\nEOF\n',
    },
    {
      name: 'exec form through sh -c: the option goes into the string',
      code: 'FROM alpine:3.20\nRUN ["sh", "-c", "apk add curl"]\n',
      errors: [{ messageId: 'noCache', line: 2, column: 18, endLine: 2, endColumn: 32 }],
      output: 'FROM alpine:3.20\nRUN ["sh", "-c", "apk add --no-cache curl"]\n',
    },
  ],
});
