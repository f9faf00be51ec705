import { runRuleTests } from '../src/testing/rule-tester.js';
import rule from './build-toolchain-in-final-image.js';

runRuleTests(rule, {
  valid: [
    { name: 'runtime packages only', code: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*\n' },
    { name: 'purged by name in the same RUN', code: 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y gcc libpq-dev && pip install psycopg2 && apt-get purge -y --auto-remove gcc libpq-dev\n' },
    { name: 'apk virtual group deleted in the same RUN', code: 'FROM python:3.12-alpine\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev && pip install cffi && apk del .build-deps\n' },
    {
      name: 'apt-mark auto, then purge --auto-remove',
      code: 'FROM debian:12-slim\nRUN savedAptMark="$(apt-mark showmanual)"; \\\n  apt-get update; apt-get install -y gcc make; \\\n  make install; \\\n  apt-mark auto \'.*\' > /dev/null; apt-mark manual $savedAptMark; \\\n  apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false\n',
    },
    { name: 'apt-mark auto through xargs', code: 'FROM debian:12-slim\nRUN apt-get install -y dpkg-dev && apt-mark showmanual | xargs apt-mark auto && apt-get purge -y --auto-remove\n' },
    { name: 'dnf history undo', code: 'FROM rockylinux:9\nRUN dnf install -y gcc make && make -C /src install && dnf history undo -y last\n' },
    { name: 'a variable with no known value', code: 'FROM debian:12-slim\nRUN apt-get install -y $DEPS\n' },
    { name: 'the removal names the same variable', code: 'FROM debian:12-slim\nENV X=1\nRUN apt-get install -y $buildDeps && make && apt-get purge -y $buildDeps\n' },
    { name: 'multi-stage: a builder copied from selectively', code: 'FROM debian:12 AS build\nRUN apt-get install -y build-essential && make\nFROM debian:12-slim\nCOPY --from=build /out/app /usr/local/bin/app\n' },
    { name: 'exec form runtime install', code: 'FROM debian:12-slim\nRUN ["apt-get", "install", "-y", "curl"]\n' },
  ],
  invalid: [
    {
      name: 'compiler and headers left in the final image',
      code: 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*\n',
      errors: [{ messageId: 'toolchainKept', line: 2, column: 23, endLine: 2, endColumn: 38, data: { command: 'apt-get install', packages: 'gcc, libpq-dev' } }],
      output: null,
    },
    {
      name: 'removed in a later RUN',
      code: 'FROM python:3.12-alpine\nRUN apk add --no-cache gcc musl-dev\nRUN pip install cffi\nRUN apk del gcc musl-dev\n',
      errors: [{ messageId: 'removedLater', line: 2, column: 5, endLine: 2, endColumn: 12, data: { command: 'apk add', packages: 'gcc, musl-dev', line: 4 } }],
      output: null,
    },
    {
      name: 'an apk virtual group that is never deleted',
      code: 'FROM node:20-alpine\nRUN apk add --no-cache --virtual .gyp python3 make g++ && npm ci\n',
      errors: [{ messageId: 'toolchainKept', line: 2, column: 5, endLine: 2, endColumn: 12, data: { command: 'apk add', packages: 'make, g++' } }],
      output: null,
    },
    {
      name: 'more than three packages are summed up',
      code: 'FROM ubuntu:24.04\nRUN apt-get install -y gcc g++ make cmake pkg-config\n',
      errors: [{ messageId: 'toolchainKept', line: 2, column: 5, endLine: 2, endColumn: 20, data: { command: 'apt-get install', packages: 'gcc, g++, make and 2 more' } }],
      output: null,
    },
    {
      name: 'multi-stage: the final stage is built on the stage that installs',
      code: 'FROM debian:12-slim AS base\nRUN apt-get install -y build-essential\nFROM base\nCMD ["app"]\n',
      errors: [{ messageId: 'toolchainKept', line: 2, column: 5, endLine: 2, endColumn: 20, data: { command: 'apt-get install', packages: 'build-essential' } }],
      output: null,
    },
    {
      name: 'heredoc body is read as shell',
      code: 'FROM debian:12-slim\nRUN <<EOF\napt-get update\napt-get install -y cmake\nEOF\n',
      errors: [{ messageId: 'toolchainKept', line: 4, column: 1, endLine: 4, endColumn: 16, data: { command: 'apt-get install', packages: 'cmake' } }],
      output: null,
    },
    {
      name: 'exec form',
      code: 'FROM rockylinux:9\nRUN ["dnf", "install", "-y", "gcc-c++"]\n',
      errors: [{ messageId: 'toolchainKept', line: 2, column: 6, endLine: 2, endColumn: 22, data: { command: 'dnf install', packages: 'gcc-c++' } }],
      output: null,
    },
    {
      name: 'ONBUILD trigger',
      code: 'FROM alpine:3.20\nONBUILD RUN apk add --no-cache g++ make\n',
      errors: [{ messageId: 'toolchainKept', line: 2, column: 13, endLine: 2, endColumn: 20, data: { command: 'apk add', packages: 'g++, make' } }],
      output: null,
    },
    {
      name: 'sudo and a package list from ENV',
      code: 'FROM debian:12-slim\nENV BUILD_DEPS="clang lld"\nRUN sudo apt-get install -y $BUILD_DEPS\n',
      errors: [{ messageId: 'toolchainKept', line: 3, column: 10, endLine: 3, endColumn: 25, data: { command: 'apt-get install', packages: 'clang, lld' } }],
      output: null,
    },
    {
      name: 'a cache mount does not take the packages out of the layer',
      code: 'FROM debian:12-slim\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y golang\n',
      errors: [{ messageId: 'toolchainKept', line: 2, column: 46, endLine: 2, endColumn: 61, data: { command: 'apt-get install', packages: 'golang' } }],
      output: null,
    },
    {
      name: 'lower-case keywords, CRLF and yum',
      code: 'from centos:7\r\nrun yum install -y openssl-devel && yum clean all\r\n',
      errors: [{ messageId: 'toolchainKept', line: 2, column: 5, endLine: 2, endColumn: 16, data: { command: 'yum install', packages: 'openssl-devel' } }],
      output: null,
    },
    {
      name: 'escape directive and zypper',
      code: '# escape=`\nFROM opensuse/leap:15.6\nRUN zypper -n install `\n    gcc make\n',
      errors: [{ messageId: 'toolchainKept', line: 3, column: 5, endLine: 3, endColumn: 22, data: { command: 'zypper install', packages: 'gcc, make' } }],
      output: null,
    },
    {
      name: 'comment inside a continuation',
      code: 'FROM debian:12-slim\nRUN apt-get update \\\n# headers for the extension\n && apt-get install -y libxml2-dev\n',
      errors: [{ messageId: 'toolchainKept', line: 4, column: 5, endLine: 4, endColumn: 20, data: { command: 'apt-get install', packages: 'libxml2-dev' } }],
      output: null,
    },
  ],
});
