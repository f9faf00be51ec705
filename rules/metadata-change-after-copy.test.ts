import { runRuleTests } from '../src/testing/rule-tester.js';
import rule from './metadata-change-after-copy.js';

runRuleTests(rule, {
  valid: [
    'FROM node:22\nCOPY --chown=node:node --chmod=755 . /app\n',
    // what the same RUN or the base image holds
    { name: 'created and changed in the same RUN', code: 'FROM debian:12\nRUN curl -fsSLo /usr/local/bin/tool https://example.com/tool && chmod +x /usr/local/bin/tool\n' },
    { name: 'files of the base image', code: 'FROM nginx:1.27\nRUN chown -R nginx:nginx /var/cache/nginx && sed -i s/80/8080/ /etc/nginx/conf.d/default.conf\n' },
    { name: 'replaced in the same RUN before the change', code: 'FROM debian:12\nCOPY app.conf /etc/app.conf\nRUN cp /tmp/app.conf /etc/app.conf && chmod 600 /etc/app.conf\n' },
    // what holds no file bytes
    { name: 'non-recursive chown of a copied directory', code: 'FROM debian:12\nCOPY . /app\nRUN chown app /app\n' },
    { name: 'directory made by mkdir', code: 'FROM debian:12\nRUN mkdir -p /data\nRUN chown -R app /data\n' },
    { name: 'empty file made by touch', code: 'FROM debian:12\nRUN touch /var/log/app.log\nRUN chmod 666 /var/log/app.log\n' },
    { name: 'symlink', code: 'FROM debian:12\nRUN ln -s /usr/bin/python3 /usr/local/bin/python\nRUN chmod 755 /usr/local/bin/python\n' },
    // what is not known to come from the step
    { name: 'another file in a directory a COPY only added to', code: 'FROM debian:12\nCOPY rootfs/ /\nRUN chmod 755 /usr/local/bin/other\n' },
    { name: 'relative path without a known WORKDIR', code: 'FROM node:22\nCOPY . .\nRUN chown -R node .\n' },
    { name: 'path computed at run time', code: 'FROM debian:12\nCOPY . /app\nRUN chown -R app "$(pwd)"\n' },
    { name: 'quoted glob names no file', code: 'FROM debian:12\nCOPY a.sh /opt/a.sh\nRUN chmod 755 "/opt/*.sh"\n' },
    // multi-stage
    { name: 'builder copied from selectively', code: 'FROM debian:12 AS build\nCOPY . /src\nRUN chmod -R 755 /src\nFROM debian:12\nCOPY --from=build /src/out /usr/local/bin/app\n' },
    { name: 'stage that nothing uses', code: 'FROM debian:12 AS unused\nCOPY . /src\nRUN chown -R app /src\nFROM debian:12\nRUN echo hi\n' },
    // BuildKit mounts keep the RUN's changes out of the layer
    { name: 'cache mount over the directory', code: 'FROM debian:12\nCOPY . /app\nRUN --mount=type=cache,target=/app/cache chmod -R 777 /app/cache\n' },
    // syntax
    { name: 'heredoc that creates and changes', code: 'FROM debian:12\nRUN <<EOF\ncurl -o /usr/local/bin/x https://example.com/x\nchmod +x /usr/local/bin/x\nEOF\n' },
    { name: 'ONBUILD COPY runs after the RUN', code: 'FROM debian:12\nONBUILD COPY run.sh /app/run.sh\nRUN chmod 755 /app/run.sh\n' },
    { name: 'exec form without a creator', code: 'FROM debian:12\nRUN ["chmod", "755", "/usr/local/bin/x"]\n' },
  ],
  invalid: [
    {
      name: 'chown -R of what COPY . copied',
      code: 'FROM node:22\nCOPY . /app\nRUN chown -R node:node /app\nUSER node\n',
      errors: [{
        messageId: 'useCopyFlag', line: 3, column: 24, endLine: 3, endColumn: 28,
        data: { command: 'chown -R', path: '/app', keyword: 'COPY', line: 2, flag: 'chown' },
        suggestions: ['FROM node:22\nCOPY --chown=node:node . /app\nUSER node\n'],
      }],
      output: null,
    },
    {
      name: 'chmod between two commands',
      code: 'FROM debian:12\nCOPY entrypoint.sh /usr/local/bin/entrypoint.sh\nRUN apt-get update && chmod 755 /usr/local/bin/entrypoint.sh && rm -rf /var/lib/apt/lists/*\n',
      errors: [{
        messageId: 'useCopyFlag', line: 3, column: 33, endLine: 3, endColumn: 61,
        suggestions: ['FROM debian:12\nCOPY --chmod=755 entrypoint.sh /usr/local/bin/entrypoint.sh\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\n'],
      }],
      output: null,
    },
    {
      name: 'chown with numeric ids as the last command',
      code: 'FROM debian:12\nCOPY app.conf /etc/app/\nRUN apt-get update && chown 1000:1000 /etc/app/app.conf\n',
      errors: [{
        messageId: 'useCopyFlag', line: 3, column: 39, endLine: 3, endColumn: 56,
        suggestions: ['FROM debian:12\nCOPY --chown=1000:1000 app.conf /etc/app/\nRUN apt-get update\n'],
      }],
      output: null,
    },
    {
      name: 'sed -i of a copied file',
      code: 'FROM debian:12\nCOPY app.conf /etc/app.conf\nRUN sed -i -e "s/8080/80/" /etc/app.conf\n',
      errors: [{ messageId: 'changeInCreator', line: 3, column: 28, endLine: 3, endColumn: 41, data: { command: 'sed -i', path: '/etc/app.conf', keyword: 'COPY', line: 2 } }],
      output: null,
    },
    {
      name: 'touch, mv and chgrp',
      code: 'FROM debian:12\nCOPY data.bin /opt/data.bin\nRUN touch /opt/data.bin\nRUN chgrp staff /opt/data.bin\nRUN mv /opt/data.bin /opt/data2.bin\n',
      errors: [
        { messageId: 'changeInCreator', line: 3, column: 11, endLine: 3, endColumn: 24, data: { command: 'touch', path: '/opt/data.bin', keyword: 'COPY', line: 2 } },
        { messageId: 'changeInCreator', line: 4, column: 17, endLine: 4, endColumn: 30, data: { command: 'chgrp', path: '/opt/data.bin', keyword: 'COPY', line: 2 } },
        { messageId: 'changeInCreator', line: 5, column: 8, endLine: 5, endColumn: 21, data: { command: 'mv', path: '/opt/data.bin', keyword: 'COPY', line: 2 } },
      ],
      output: null,
    },
    {
      name: 'download in one RUN, chmod in the next',
      code: 'FROM debian:12\nRUN curl -fsSLo /usr/local/bin/tool https://example.com/tool\nRUN chmod +x /usr/local/bin/tool\n',
      errors: [{ messageId: 'changeInCreator', line: 3, column: 14, endLine: 3, endColumn: 33, data: { command: 'chmod', path: '/usr/local/bin/tool', keyword: 'RUN', line: 2 } }],
      output: null,
    },
    {
      name: 'recursive chown of a directory above a clone',
      code: 'FROM debian:12\nRUN git clone https://example.com/app.git /opt/app\nRUN chown -R app /opt\n',
      errors: [{ messageId: 'changeInCreator', line: 3, column: 18, endLine: 3, endColumn: 22, data: { command: 'chown -R', path: '/opt', keyword: 'RUN', line: 2 } }],
      output: null,
    },
    {
      name: 'glob over copied scripts',
      code: 'FROM debian:12\nCOPY a.sh b.sh /usr/local/bin/\nRUN chmod +x /usr/local/bin/*.sh\n',
      errors: [{ messageId: 'changeInCreator', line: 3, column: 14, endLine: 3, endColumn: 33, data: { command: 'chmod', path: '/usr/local/bin/*.sh', keyword: 'COPY', line: 2 } }],
      output: null,
    },
    {
      name: 'a file inside a copied directory, relative to WORKDIR',
      code: 'FROM debian:12\nWORKDIR /app\nCOPY . .\nRUN chmod +x ./entrypoint.sh\n',
      errors: [{ messageId: 'changeInCreator', line: 4, column: 14, endLine: 4, endColumn: 29, data: { command: 'chmod', path: '/app/entrypoint.sh', keyword: 'COPY', line: 3 } }],
      output: null,
    },
    {
      name: 'a RUN in between may have written there too',
      code: 'FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN chown -R node:node /app\n',
      errors: [{ messageId: 'changeInCreator', line: 5, column: 24, endLine: 5, endColumn: 28 }],
      output: null,
    },
    {
      name: 'user created after the COPY',
      code: 'FROM debian:12\nCOPY app.conf /etc/app.conf\nRUN useradd app && chown app /etc/app.conf\n',
      errors: [{ messageId: 'changeInCreator', line: 3, column: 30, endLine: 3, endColumn: 43 }],
      output: null,
    },
    {
      name: 'COPY that already sets --chown, changed by a parent directory',
      code: 'FROM nginx:1.27-alpine\nCOPY --chown=nginx:nginx start.sh /app/start.sh\nRUN chmod -R 755 /app\n',
      errors: [{ messageId: 'changeInCreator', line: 3, column: 18, endLine: 3, endColumn: 22, data: { command: 'chmod -R', path: '/app', keyword: 'COPY', line: 2 } }],
      output: null,
    },
    {
      name: 'symbolic mode',
      code: 'FROM debian:12\nCOPY run.sh /run.sh\nRUN chmod +x /run.sh\n',
      errors: [{ messageId: 'changeInCreator', line: 3, column: 14, endLine: 3, endColumn: 21 }],
      output: null,
    },
    {
      name: 'variables from ENV',
      code: 'FROM debian:12\nENV APP_HOME=/srv/app\nCOPY . $APP_HOME\nRUN chown -R 1000 "$APP_HOME"\n',
      errors: [{
        messageId: 'useCopyFlag', line: 4, column: 19, endLine: 4, endColumn: 30, data: { command: 'chown -R', path: '/srv/app', keyword: 'COPY', line: 3, flag: 'chown' },
        suggestions: ['FROM debian:12\nENV APP_HOME=/srv/app\nCOPY --chown=1000 . $APP_HOME\n'],
      }],
      output: null,
    },
    // multi-stage
    {
      name: 'stage built on a stage that copied',
      code: 'FROM debian:12 AS base\nCOPY . /app\nFROM base\nRUN chown -R app /app\n',
      errors: [{ messageId: 'useCopyFlag', line: 4, column: 18, endLine: 4, endColumn: 22, suggestions: ['FROM debian:12 AS base\nCOPY --chown=app . /app\nFROM base\n'] }],
      output: null,
    },
    {
      name: 'COPY --from into the final stage',
      code: 'FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM debian:12\nCOPY --from=build /out/app /usr/local/bin/app\nRUN chmod 755 /usr/local/bin/app\n',
      errors: [{ messageId: 'useCopyFlag', line: 5, column: 15, endLine: 5, endColumn: 33, suggestions: ['FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM debian:12\nCOPY --chmod=755 --from=build /out/app /usr/local/bin/app\n'] }],
      output: null,
    },
    // syntax
    {
      name: 'heredoc',
      code: 'FROM debian:12\nCOPY run.sh /run.sh\nRUN <<EOF\napt-get update\nchmod 755 /run.sh\nEOF\n',
      errors: [{ messageId: 'useCopyFlag', line: 5, column: 11, endLine: 5, endColumn: 18, suggestions: ['FROM debian:12\nCOPY --chmod=755 run.sh /run.sh\nRUN <<EOF\napt-get update\nEOF\n'] }],
      output: null,
    },
    {
      name: 'COPY of a heredoc',
      code: 'FROM debian:12\nCOPY <<EOF /usr/local/bin/run.sh\n#!/bin/sh\necho hi\nEOF\nRUN chmod 755 /usr/local/bin/run.sh\n',
      errors: [{ messageId: 'useCopyFlag', line: 6, column: 15, endLine: 6, endColumn: 36, suggestions: ['FROM debian:12\nCOPY --chmod=755 <<EOF /usr/local/bin/run.sh\n#!/bin/sh\necho hi\nEOF\n'] }],
      output: null,
    },
    {
      name: 'ONBUILD COPY and ONBUILD RUN',
      code: 'FROM debian:12\nONBUILD COPY . /app\nONBUILD RUN chown -R app /app\n',
      errors: [{ messageId: 'useCopyFlag', line: 3, column: 26, endLine: 3, endColumn: 30, suggestions: ['FROM debian:12\nONBUILD COPY --chown=app . /app\n'] }],
      output: null,
    },
    {
      name: 'ONBUILD RUN changes what this image copied',
      code: 'FROM debian:12\nCOPY run.sh /run.sh\nONBUILD RUN chmod 755 /run.sh\n',
      errors: [{ messageId: 'changeInCreator', line: 3, column: 23, endLine: 3, endColumn: 30 }],
      output: null,
    },
    {
      name: 'exec form',
      code: 'FROM debian:12\nCOPY run.sh /run.sh\nRUN ["chmod", "755", "/run.sh"]\nCMD ["/run.sh"]\n',
      errors: [{ messageId: 'useCopyFlag', line: 3, column: 22, endLine: 3, endColumn: 31, suggestions: ['FROM debian:12\nCOPY --chmod=755 run.sh /run.sh\nCMD ["/run.sh"]\n'] }],
      output: null,
    },
    {
      name: 'escape backtick',
      code: '# escape=`\nFROM debian:12\nCOPY run.sh /run.sh\nRUN apt-get update && `\n    chmod 755 /run.sh\n',
      errors: [{ messageId: 'useCopyFlag', line: 5, column: 15, endLine: 5, endColumn: 22, suggestions: ['# escape=`\nFROM debian:12\nCOPY --chmod=755 run.sh /run.sh\nRUN apt-get update\n'] }],
      output: null,
    },
    {
      name: 'CRLF',
      code: 'FROM debian:12\r\nCOPY run.sh /run.sh\r\nRUN chmod 755 /run.sh\r\nCMD ["/run.sh"]\r\n',
      errors: [{ messageId: 'useCopyFlag', line: 3, column: 15, endLine: 3, endColumn: 22, suggestions: ['FROM debian:12\r\nCOPY --chmod=755 run.sh /run.sh\r\nCMD ["/run.sh"]\r\n'] }],
      output: null,
    },
    {
      name: 'comment inside a continuation',
      code: 'FROM debian:12\nCOPY run.sh /run.sh\nRUN chmod 755 /run.sh \\\n# then the packages\n && apt-get update\n',
      errors: [{ messageId: 'useCopyFlag', line: 3, column: 15, endLine: 3, endColumn: 22, suggestions: ['FROM debian:12\nCOPY --chmod=755 run.sh /run.sh\nRUN apt-get update\n'] }],
      output: null,
    },
    {
      name: 'alone but for set -eux',
      code: 'FROM debian:12\nCOPY run.sh /run.sh\nRUN set -eux; chmod 0755 /run.sh\n',
      errors: [{ messageId: 'useCopyFlag', line: 3, column: 26, endLine: 3, endColumn: 33, suggestions: ['FROM debian:12\nCOPY --chmod=0755 run.sh /run.sh\n'] }],
      output: null,
    },
    {
      name: 'joined by ||: no cut is offered',
      code: 'FROM debian:12\nCOPY run.sh /run.sh\nRUN chmod 755 /run.sh || true\n',
      errors: [{ messageId: 'changeInCreator', line: 3, column: 15, endLine: 3, endColumn: 22 }],
      output: null,
    },
    {
      name: 'sudo',
      code: 'FROM debian:12\nCOPY run.sh /run.sh\nRUN sudo chmod 755 /run.sh\n',
      errors: [{ messageId: 'useCopyFlag', line: 3, column: 20, endLine: 3, endColumn: 27, suggestions: ['FROM debian:12\nCOPY --chmod=755 run.sh /run.sh\n'] }],
      output: null,
    },
    {
      name: 'lower-case keywords',
      code: 'from debian:12\ncopy . /app\nrun chown -R 1000:1000 /app\n',
      errors: [{ messageId: 'useCopyFlag', line: 3, column: 24, endLine: 3, endColumn: 28, suggestions: ['from debian:12\ncopy --chown=1000:1000 . /app\n'] }],
      output: null,
    },
  ],
});
