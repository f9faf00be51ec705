import { runFamilyRuleTests } from '../src/testing/family-tester.js';
import rule from './delete-in-later-layer.js';

runFamilyRuleTests(rule, {
  valid: [
    // cleanup in the layer that wrote it
    { name: 'lists deleted in the same RUN', family: { app: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n' } },
    { name: 'build packages removed in the same RUN', family: { app: 'FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc && make && apk del .build-deps\n' } },
    { name: 'package installed and purged in the same RUN', family: { app: 'FROM debian:12\nRUN apt-get update && apt-get install -y gcc && make && apt-get purge -y gcc && rm -rf /var/lib/apt/lists/*\n' } },
    // what no earlier layer of the family wrote
    { name: 'a file of the base image', family: { app: 'FROM nginx:1.27\nRUN rm /etc/nginx/conf.d/default.conf\n' } },
    { name: 'a package of the base image', family: { app: 'FROM debian:12\nRUN apt-get purge -y e2fsprogs\n' } },
    { name: 'apk --no-cache writes no cache', family: { app: 'FROM alpine:3.20\nRUN apk add --no-cache curl\nRUN rm -rf /var/cache/apk/*\n' } },
    { name: 'pip --no-cache-dir writes no cache', family: { app: 'FROM python:3.12\nRUN pip install --no-cache-dir flask\nRUN rm -rf /root/.cache\n' } },
    { name: 'cache mount keeps the cache out of the layer', family: { app: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache pip install flask\nRUN rm -rf /root/.cache\n' } },
    { name: 'a directory a COPY only added to', family: { app: 'FROM nginx:1.27\nCOPY conf/ /etc/nginx/\nRUN rm /etc/nginx/conf.d/default.conf\n' } },
    { name: 'an empty directory', family: { app: 'FROM debian:12\nRUN mkdir /build\nRUN rm -rf /build\n' } },
    { name: 'sibling images share no layers', family: { a: 'FROM debian:12\nCOPY x.tgz /tmp/x.tgz\n', b: 'FROM debian:12\nRUN rm /tmp/x.tgz\n' } },
    // multi-stage
    { name: 'builder copied from selectively', family: { app: 'FROM debian:12 AS build\nCOPY . /src\nRUN rm -rf /src/.git\nFROM debian:12\nCOPY --from=build /src /src\n' } },
    // syntax
    { name: 'heredoc that downloads and deletes', family: { app: 'FROM debian:12\nRUN <<EOF\ncurl -o /tmp/x.tgz https://example.com/x.tgz\ntar -xzf /tmp/x.tgz -C /opt\nrm /tmp/x.tgz\nEOF\n' } },
    { name: 'ONBUILD trigger that deletes its own download', family: { base: 'FROM debian:12\nONBUILD RUN curl -o /tmp/a.tgz https://example.com/a.tgz && rm /tmp/a.tgz\n', app: 'FROM example/base:1\nRUN echo hi\n' } },
    { name: 'exec form without a creator', family: { app: 'FROM debian:12\nRUN ["rm", "-rf", "/tmp/x"]\n' } },
  ],
  invalid: [
    {
      name: 'apt lists deleted a layer later',
      family: { app: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n' },
      errors: [{
        image: 'app', messageId: 'deletesPath', line: 3, column: 12, endLine: 3, endColumn: 32,
        data: { command: 'rm -rf', path: '/var/lib/apt/lists/*', keyword: 'RUN', creator: 'app/Dockerfile:2' }, related: ['app:2'],
      }],
    },
    {
      name: "an ancestor image's download",
      family: {
        base: 'FROM debian:12\nADD https://example.com/tool.tar.gz /tmp/\n',
        app: 'FROM example/base:1\nRUN tar -xzf /tmp/tool.tar.gz -C /opt && rm /tmp/tool.tar.gz\n',
      },
      errors: [{
        image: 'app', messageId: 'deletesPath', line: 2, column: 45, endLine: 2, endColumn: 61,
        data: { command: 'rm', path: '/tmp/tool.tar.gz', keyword: 'ADD', creator: 'base/Dockerfile:2' }, related: ['base:2'],
      }],
    },
    {
      name: 'two generations up',
      family: {
        base: 'FROM debian:12\nCOPY big.bin /opt/big.bin\n',
        mid: 'FROM example/base:1\nRUN echo mid\n',
        app: 'FROM example/mid:1\nRUN rm -f /opt/big.bin\n',
      },
      errors: [{ image: 'app', messageId: 'deletesPath', line: 2, column: 11, endLine: 2, endColumn: 23, data: { command: 'rm -f', path: '/opt/big.bin', keyword: 'COPY', creator: 'base/Dockerfile:2' } }],
    },
    {
      name: 'a package an ancestor installed',
      family: {
        base: 'FROM debian:12\nRUN apt-get update && apt-get install -y build-essential && rm -rf /var/lib/apt/lists/*\n',
        app: 'FROM example/base:1\nRUN apt-get purge -y build-essential\n',
      },
      errors: [{
        image: 'app', messageId: 'removesPackage', line: 2, column: 22, endLine: 2, endColumn: 37,
        data: { command: 'apt-get purge', package: 'the package build-essential', keyword: 'RUN', creator: 'base/Dockerfile:2' }, related: ['base:2'],
      }],
    },
    {
      name: 'apk virtual package',
      family: { app: 'FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev\nRUN apk del .build-deps\n' },
      errors: [{ image: 'app', messageId: 'removesPackage', line: 3, column: 13, endLine: 3, endColumn: 24, data: { command: 'apk del', package: 'the package .build-deps', keyword: 'RUN', creator: 'app/Dockerfile:2' } }],
    },
    {
      name: 'pip names compare normalized',
      family: { app: 'FROM python:3.12\nRUN pip install --no-cache-dir PyYAML==6.0.1\nRUN pip uninstall -y pyyaml\n' },
      errors: [{ image: 'app', messageId: 'removesPackage', line: 3, column: 22, endLine: 3, endColumn: 28, data: { command: 'pip uninstall', package: 'the package pyyaml', keyword: 'RUN', creator: 'app/Dockerfile:2' } }],
    },
    {
      name: 'dnf remove and dnf clean a layer later',
      family: { app: 'FROM rockylinux:9\nRUN dnf install -y gcc\nRUN dnf remove -y gcc && dnf clean all\n' },
      errors: [
        { image: 'app', messageId: 'removesPackage', line: 3, column: 19, endLine: 3, endColumn: 22, data: { command: 'dnf remove', package: 'the package gcc', keyword: 'RUN', creator: 'app/Dockerfile:2' } },
        { image: 'app', messageId: 'deletesPath', line: 3, column: 30, endLine: 3, endColumn: 35, data: { command: 'dnf clean', path: '/var/cache/dnf', keyword: 'RUN', creator: 'app/Dockerfile:2' } },
      ],
    },
    {
      name: 'npm uninstall and npm prune',
      family: { app: 'FROM node:22\nWORKDIR /app\nRUN npm install -g nodemon\nRUN npm install\nRUN npm uninstall -g nodemon && npm prune --omit=dev\n' },
      errors: [
        { image: 'app', messageId: 'removesPackage', line: 5, column: 22, endLine: 5, endColumn: 29, data: { command: 'npm uninstall', package: 'the package nodemon', keyword: 'RUN', creator: 'app/Dockerfile:3' } },
        { image: 'app', messageId: 'removesPackage', line: 5, column: 33, endLine: 5, endColumn: 42, data: { command: 'npm prune', package: 'packages from /app/node_modules', keyword: 'RUN', creator: 'app/Dockerfile:4' } },
      ],
    },
    {
      name: 'pip cache under ~',
      family: { app: 'FROM python:3.12\nRUN pip install flask\nRUN rm -rf ~/.cache/pip\n' },
      errors: [{ image: 'app', messageId: 'deletesPath', line: 3, column: 12, endLine: 3, endColumn: 24, data: { command: 'rm -rf', path: '/root/.cache/pip', keyword: 'RUN', creator: 'app/Dockerfile:2' } }],
    },
    {
      name: 'deleted twice: the second deletes nothing',
      family: { app: 'FROM debian:12\nCOPY big.tar /tmp/big.tar\nRUN rm -f /tmp/big.tar\nRUN rm -f /tmp/big.tar\n' },
      errors: [{ image: 'app', messageId: 'deletesPath', line: 3, column: 11, endLine: 3, endColumn: 23 }],
    },
    // multi-stage
    {
      name: 'stage built on a stage that copied',
      family: { app: 'FROM debian:12 AS base\nCOPY . /app\nFROM base\nRUN rm -rf /app/.git\n' },
      errors: [{ image: 'app', messageId: 'deletesPath', line: 4, column: 12, endLine: 4, endColumn: 21, data: { command: 'rm -rf', path: '/app/.git', keyword: 'COPY', creator: 'app/Dockerfile:2' } }],
    },
    // syntax
    {
      name: 'heredoc',
      family: { app: 'FROM debian:12\nCOPY tool.tgz /tmp/\nRUN <<EOF\ntar -xzf /tmp/tool.tgz -C /opt\nrm /tmp/tool.tgz\nEOF\n' },
      errors: [{ image: 'app', messageId: 'deletesPath', line: 5, column: 4, endLine: 5, endColumn: 17 }],
    },
    {
      name: 'ONBUILD triggers: reported once, in the file that holds them',
      family: {
        base: 'FROM debian:12\nONBUILD COPY . /tmp/src\nONBUILD RUN make -C /tmp/src install && rm -rf /tmp/src\n',
        app: 'FROM example/base:1\nRUN echo built\n',
      },
      errors: [{ image: 'base', messageId: 'deletesPath', line: 3, column: 48, endLine: 3, endColumn: 56, data: { command: 'rm -rf', path: '/tmp/src', keyword: 'COPY', creator: 'base/Dockerfile:2' } }],
    },
    {
      name: 'exec form',
      family: { app: 'FROM debian:12\nCOPY big.tar /tmp/big.tar\nRUN ["rm", "-f", "/tmp/big.tar"]\n' },
      errors: [{ image: 'app', messageId: 'deletesPath', line: 3, column: 18, endLine: 3, endColumn: 32 }],
    },
    {
      name: 'escape backtick',
      family: { app: '# escape=`\nFROM debian:12\nCOPY big.tar /tmp/big.tar\nRUN echo a && `\n    rm -f /tmp/big.tar\n' },
      errors: [{ image: 'app', messageId: 'deletesPath', line: 5, column: 11, endLine: 5, endColumn: 23 }],
    },
    {
      name: 'CRLF and a comment inside a continuation',
      family: { app: 'FROM debian:12\r\nCOPY big.tar /tmp/big.tar\r\nRUN echo a \\\r\n# drop it\r\n && rm -f /tmp/big.tar\r\n' },
      errors: [{ image: 'app', messageId: 'deletesPath', line: 5, column: 11, endLine: 5, endColumn: 23 }],
    },
    {
      name: 'sudo and lower-case keywords',
      family: { app: 'from debian:12\ncopy big.tar /tmp/big.tar\nrun sudo rm -f /tmp/big.tar\n' },
      errors: [{ image: 'app', messageId: 'deletesPath', line: 3, column: 16, endLine: 3, endColumn: 28 }],
    },
  ],
});
