import { runFamilyRuleTests } from '../src/testing/family-tester.js';
import rule from './near-duplicate-images.js';

const base = 'FROM debian:12-slim\nRUN useradd --system app\n';
const common = 'COPY healthcheck /usr/local/bin/healthcheck\nRUN install -d -o app /var/lib/app\nRUN pip install --no-cache-dir gunicorn==23.0.0\n';

runFamilyRuleTests(rule, {
  valid: [
    {
      name: 'a longer tail than maxDifferentSteps',
      family: {
        base,
        a: `FROM acme/base:1\n${common}RUN echo a1 > /a\nRUN echo a2 > /a\nRUN echo a3 > /a\n`,
        b: `FROM acme/base:1\n${common}`,
      },
    },
    {
      name: 'fewer steps in common than minSharedSteps',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN install -d -o app /var/lib/app\nRUN echo a > /a\n',
        b: 'FROM acme/base:1\nRUN install -d -o app /var/lib/app\nRUN echo b > /b\n',
      },
    },
    {
      name: 'different parents',
      family: {
        base,
        other: 'FROM debian:12-slim\nRUN useradd --system other\n',
        a: `FROM acme/base:1\n${common}`,
        b: `FROM acme/other:1\n${common}`,
      },
    },
    {
      name: 'a different first step: nothing is in common from the start',
      family: {
        base,
        a: `FROM acme/base:1\nRUN echo a > /a\n${common}`,
        b: `FROM acme/base:1\n${common}`,
      },
    },
    {
      name: 'a different ENV makes every later RUN another layer',
      family: {
        base,
        a: `FROM acme/base:1\nENV PG_MAJOR=15\n${common}`,
        b: `FROM acme/base:1\nENV PG_MAJOR=16\n${common}`,
      },
    },
    {
      name: 'multi-stage: a COPY --from its own build stage differs',
      family: {
        base,
        a: `FROM golang:1.22 AS build\nRUN go build -o /out/app ./cmd/a\nFROM acme/base:1\nCOPY --from=build /out/app /usr/local/bin/app\n${common}`,
        b: `FROM golang:1.22 AS build\nRUN go build -o /out/app ./cmd/b\nFROM acme/base:1\nCOPY --from=build /out/app /usr/local/bin/app\n${common}`,
      },
    },
  ],
  invalid: [
    {
      name: 'the same layers, other settings: the only children of their parent',
      family: {
        base,
        'db-primary': `FROM acme/base:1\nLABEL name=db-primary\n${common}CMD ["postgres", "-c", "archive_mode=on"]\n`,
        'db-replica': `FROM acme/base:1\nLABEL name=db-replica\n${common}CMD ["postgres", "-c", "hot_standby=on"]\n`,
      },
      errors: [
        {
          image: 'db-primary',
          messageId: 'duplicate',
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 5,
          data: { shared: '3 layer steps', others: 'db-replica', target: 'base' },
          related: ['db-replica:1'],
        },
        { image: 'db-replica', messageId: 'duplicate', line: 1, column: 1, endLine: 1, endColumn: 5, related: ['db-primary:1'] },
      ],
    },
    {
      name: 'a short tail: some of the children',
      family: {
        base,
        a: `FROM acme/base:1\n${common}RUN echo a > /a\n`,
        b: `FROM acme/base:1\n${common}RUN echo b1 > /b\nCOPY b.conf /etc/b.conf\n`,
        c: 'FROM acme/base:1\nRUN echo c > /c\n',
      },
      errors: [
        {
          image: 'a',
          messageId: 'nearDuplicate',
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 5,
          data: { shared: '3 layer steps', different: '1 step', others: 'b', target: 'a new base image on base' },
        },
        { image: 'b', messageId: 'nearDuplicate', line: 1, column: 1, endLine: 1, endColumn: 5, data: { shared: '3 layer steps', different: '2 steps', others: 'a', target: 'a new base image on base' } },
      ],
    },
    {
      name: 'options: a longer tail and fewer steps in common',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN install -d -o app /var/lib/app\nRUN echo a1 > /a\nRUN echo a2 > /a\nRUN echo a3 > /a\n',
        b: 'FROM acme/base:1\nRUN install -d -o app /var/lib/app\n',
      },
      options: { maxDifferentSteps: 3, minSharedSteps: 1 },
      errors: [
        { image: 'a', messageId: 'nearDuplicate', line: 1, column: 1, endLine: 1, endColumn: 5, data: { shared: '1 layer step', different: '3 steps', others: 'b', target: 'base' } },
        { image: 'b', messageId: 'duplicate', line: 1, column: 1, endLine: 1, endColumn: 5 },
      ],
    },
    {
      name: 'images on the same external base',
      family: {
        a: `FROM debian:12-slim\n${common}`,
        b: `FROM debian:12-slim\n${common}RUN echo b > /b\n`,
      },
      errors: [
        { image: 'a', messageId: 'duplicate', line: 1, column: 1, endLine: 1, endColumn: 5, data: { shared: '3 layer steps', others: 'b', target: 'a new base image on debian:12-slim' } },
        { image: 'b', messageId: 'nearDuplicate', line: 1, column: 1, endLine: 1, endColumn: 5 },
      ],
    },
    {
      name: 'multi-stage: reported at the FROM the image builds on',
      family: {
        base,
        a: `FROM golang:1.22 AS build\nRUN go build -o /out/tool .\nFROM acme/base:1 AS final\n${common}COPY --from=build /out/tool /usr/local/bin/tool\n`,
        b: `FROM acme/base:1\n${common}`,
      },
      errors: [
        { image: 'a', messageId: 'nearDuplicate', line: 3, column: 1, endLine: 3, endColumn: 5, related: ['b:1'] },
        { image: 'b', messageId: 'duplicate', line: 1, column: 1, endLine: 1, endColumn: 5, related: ['a:3'] },
      ],
    },
    {
      name: 'the parent ONBUILD triggers count as steps',
      family: {
        base: 'FROM debian:12-slim\nONBUILD COPY role.conf /etc/app/role.conf\nONBUILD RUN chmod 600 /etc/app/role.conf\n',
        a: 'FROM acme/base:1\nRUN install -d /srv/a\n',
        b: 'FROM acme/base:1\nRUN install -d /srv/a\n',
      },
      errors: [
        { image: 'a', messageId: 'duplicate', line: 1, column: 1, endLine: 1, endColumn: 5, data: { shared: '3 layer steps', others: 'b', target: 'base' } },
        { image: 'b', messageId: 'duplicate', line: 1, column: 1, endLine: 1, endColumn: 5 },
      ],
    },
    {
      name: 'heredoc RUN and escape directive',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN <<EOF\ninstall -d /srv/data\nEOF\nRUN echo a > /a && echo b > /b\nRUN ["/usr/bin/install", "-d", "/srv/logs"]\n',
        c: '# escape=`\nFROM acme/base:1\nRUN <<EOF\ninstall -d /srv/data\nEOF\nRUN echo a > /a `\n    && echo b > /b\nRUN ["/usr/bin/install", "-d", "/srv/logs"]\n',
      },
      errors: [
        { image: 'a', messageId: 'duplicate', line: 1, column: 1, endLine: 1, endColumn: 5, data: { shared: '3 layer steps', others: 'c', target: 'base' } },
        { image: 'c', messageId: 'duplicate', line: 2, column: 1, endLine: 2, endColumn: 5 },
      ],
    },
    {
      name: 'lower-case keywords, a comment inside a continuation, CRLF',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN install -d /srv/data\nRUN echo a > /a && echo b > /b\nRUN ["/usr/bin/install", "-d", "/srv/logs"]\nRUN echo a > /a\n',
        b: 'from acme/base:1\r\nrun install -d /srv/data\r\nrun echo a > /a \\\r\n# two files\r\n    && echo b > /b\r\nRUN ["/usr/bin/install", "-d", "/srv/logs"]\r\n',
      },
      errors: [
        { image: 'a', messageId: 'nearDuplicate', line: 1, column: 1, endLine: 1, endColumn: 5, data: { shared: '3 layer steps', different: '1 step', others: 'b', target: 'base' } },
        { image: 'b', messageId: 'duplicate', line: 1, column: 1, endLine: 1, endColumn: 5 },
      ],
    },
    {
      name: 'cache mounts',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN --mount=type=cache,target=/root/.cache/pip pip install gunicorn\nRUN install -d /srv/data\nRUN echo a > /a\n',
        b: 'FROM acme/base:1\nRUN --mount=type=cache,target=/root/.cache/pip pip install gunicorn\nRUN install -d /srv/data\nRUN echo a > /a\n',
      },
      errors: [
        { image: 'a', messageId: 'duplicate', line: 1, column: 1, endLine: 1, endColumn: 5 },
        { image: 'b', messageId: 'duplicate', line: 1, column: 1, endLine: 1, endColumn: 5 },
      ],
    },
  ],
});
