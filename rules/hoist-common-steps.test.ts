import { runFamilyRuleTests } from '../src/testing/family-tester.js';
import rule from './hoist-common-steps.js';

const base = 'FROM debian:12-slim\nRUN useradd --system app\n';
const nginx = 'RUN rm -f /etc/nginx/sites-enabled/default && ln -sf /dev/stdout /var/log/nginx/access.log';

runFamilyRuleTests(rule, {
  valid: [
    {
      name: 'already one shared layer: the same step first in every child',
      family: {
        base,
        a: `FROM acme/base:1\n${nginx}\nRUN echo a > /a\n`,
        b: `FROM acme/base:1\n${nginx}\nRUN echo b > /b\n`,
      },
    },
    {
      name: 'not in every child',
      family: {
        base,
        a: `FROM acme/base:1\nRUN echo a > /a\n${nginx}\n`,
        b: `FROM acme/base:1\n${nginx}\n`,
        c: 'FROM acme/base:1\nRUN echo c > /c\n',
      },
    },
    {
      name: 'fewer children than minChildren',
      family: {
        base,
        a: `FROM acme/base:1\nRUN echo a > /a\n${nginx}\n`,
        b: `FROM acme/base:1\n${nginx}\n`,
      },
      options: { minChildren: 3 },
    },
    {
      name: 'a step that reads a file its image copied stays',
      family: {
        base,
        a: 'FROM acme/base:1\nCOPY a.conf /etc/app.conf\nRUN chmod 600 /etc/app.conf\n',
        b: 'FROM acme/base:1\nRUN echo b > /b\nCOPY b.conf /etc/app.conf\nRUN chmod 600 /etc/app.conf\n',
      },
    },
    {
      name: 'a step after a USER stays',
      family: {
        base,
        a: 'FROM acme/base:1\nUSER app\nRUN pip install --user requests\n',
        b: 'FROM acme/base:1\nRUN echo b > /b\nRUN pip install --user requests\n',
      },
    },
    {
      name: 'a step that uses a variable its image sets stays',
      family: {
        base,
        a: 'FROM acme/base:1\nENV VERSION=1.2\nRUN pip install app==$VERSION\n',
        b: 'FROM acme/base:1\nENV VERSION=1.3\nRUN echo b > /b\nRUN pip install app==$VERSION\n',
      },
    },
    {
      name: 'a build that reads the working directory stays after the COPY',
      family: {
        base,
        a: 'FROM acme/base:1\nWORKDIR /srv\nCOPY package.json ./\nRUN npm ci\n',
        b: 'FROM acme/base:1\nWORKDIR /srv\nCOPY b.txt /b.txt\nCOPY package.json ./\nRUN npm ci\n',
      },
    },
    {
      name: 'a step after an OS package install stays',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN apt-get install -y python3-pip\nRUN pip install requests\n',
        b: 'FROM acme/base:1\nRUN apk add py3-pip\nRUN pip install requests\n',
      },
    },
    {
      name: 'images on the same external base have no parent to take the step',
      family: {
        a: `FROM debian:12-slim\nRUN echo a > /a\n${nginx}\n`,
        b: `FROM debian:12-slim\n${nginx}\n`,
      },
    },
    {
      name: 'multi-stage: a COPY --from its own build stage differs',
      family: {
        base,
        a: 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM acme/base:1\nRUN echo a > /a\nCOPY --from=build /out/app /usr/local/bin/app\n',
        b: 'FROM golang:1.22 AS build\nRUN go build -o /out/app ./cmd/b\nFROM acme/base:1\nCOPY --from=build /out/app /usr/local/bin/app\n',
      },
    },
  ],
  invalid: [
    {
      name: 'in both children, at different positions',
      family: {
        base,
        'web-frontend': `FROM acme/base:1\nWORKDIR /srv/frontend\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\n${nginx}\n`,
        'web-admin': `FROM acme/base:1\n${nginx}\nWORKDIR /srv/admin\nCOPY package.json package-lock.json ./\nRUN npm ci\n`,
      },
      errors: [
        {
          image: 'web-admin',
          messageId: 'hoist',
          line: 2,
          column: 1,
          endLine: 2,
          endColumn: 4,
          data: { others: 'web-frontend', target: 'base', total: 2, copies: '1 copy' },
          related: ['web-frontend:5'],
        },
        { image: 'web-frontend', messageId: 'hoist', line: 5, column: 1, endLine: 5, endColumn: 4, related: ['web-admin:2'] },
      ],
    },
    {
      name: 'three children, two of them already sharing it',
      family: {
        base,
        a: `FROM acme/base:1\n${nginx}\n`,
        b: `FROM acme/base:1\n${nginx}\nRUN echo b > /b\n`,
        c: `FROM acme/base:1\nRUN echo c > /c\n${nginx}\n`,
      },
      errors: [
        { image: 'a', messageId: 'hoist', line: 2, column: 1, endLine: 2, endColumn: 4, data: { others: 'b and c', target: 'base', total: 2, copies: '1 copy' } },
        { image: 'b', messageId: 'hoist', line: 2, column: 1, endLine: 2, endColumn: 4 },
        { image: 'c', messageId: 'hoist', line: 3, column: 1, endLine: 3, endColumn: 4, related: ['a:2', 'b:2'] },
      ],
    },
    {
      name: 'minShare below 1: a new base image for the children that have it',
      family: {
        base,
        a: `FROM acme/base:1\nRUN echo a > /a\n${nginx}\n`,
        b: `FROM acme/base:1\nRUN echo b > /b\n${nginx}\n`,
        c: 'FROM acme/base:1\nRUN echo c > /c\n',
      },
      options: { minShare: 0.6 },
      errors: [
        { image: 'a', messageId: 'hoist', line: 3, column: 1, endLine: 3, endColumn: 4, data: { others: 'b', target: 'a new base image on base', total: 2, copies: '1 copy' } },
        { image: 'b', messageId: 'hoist', line: 3, column: 1, endLine: 3, endColumn: 4 },
      ],
    },
    {
      name: 'a COPY of the same file',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN echo a > /a\nCOPY motd /etc/motd\n',
        b: 'FROM acme/base:1\nRUN echo b > /b\nCOPY motd /etc/motd\n',
        c: 'FROM acme/base:1\nCOPY motd /etc/motd\n',
      },
      errors: [
        { image: 'a', messageId: 'hoist', line: 3, column: 1, endLine: 3, endColumn: 5, data: { others: 'b and c', target: 'base', total: 3, copies: '2 copies' } },
        { image: 'b', messageId: 'hoist', line: 3, column: 1, endLine: 3, endColumn: 5 },
        { image: 'c', messageId: 'hoist', line: 2, column: 1, endLine: 2, endColumn: 5 },
      ],
    },
    {
      name: 'multi-stage: the final stage built through an earlier one',
      family: {
        base,
        a: `FROM acme/base:1 AS deps\nRUN echo a > /a\nFROM deps\n${nginx}\n`,
        b: `FROM acme/base:1\n${nginx}\n`,
      },
      errors: [
        { image: 'a', messageId: 'hoist', line: 4, column: 1, endLine: 4, endColumn: 4 },
        { image: 'b', messageId: 'hoist', line: 2, column: 1, endLine: 2, endColumn: 4 },
      ],
    },
    {
      name: 'heredoc RUN',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN echo a > /a\nRUN <<EOF\nset -eu\ninstall -d /srv/data\nEOF\n',
        b: 'FROM acme/base:1\nRUN <<EOF\nset -eu\ninstall -d /srv/data\nEOF\n',
      },
      errors: [
        { image: 'a', messageId: 'hoist', line: 3, column: 1, endLine: 3, endColumn: 4, related: ['b:2'] },
        { image: 'b', messageId: 'hoist', line: 2, column: 1, endLine: 2, endColumn: 4, related: ['a:3'] },
      ],
    },
    {
      name: 'lower-case keywords, a comment inside a continuation, CRLF',
      family: {
        base,
        a: 'from acme/base:1\r\nrun echo a > /a\r\nrun install -d /srv/data \\\r\n# owned by app\r\n    && chown app /srv/data\r\n',
        b: 'FROM acme/base:1\nRUN install -d /srv/data && chown app /srv/data\n',
      },
      errors: [
        { image: 'a', messageId: 'hoist', line: 3, column: 1, endLine: 3, endColumn: 4 },
        { image: 'b', messageId: 'hoist', line: 2, column: 1, endLine: 2, endColumn: 4 },
      ],
    },
    {
      name: 'escape directive and exec form',
      family: {
        base,
        a: '# escape=`\nFROM acme/base:1\nRUN echo a > /a `\n    && echo aa > /aa\nRUN ["/usr/bin/install", "-d", "/srv/data"]\n',
        b: 'FROM acme/base:1\nRUN ["/usr/bin/install", "-d", "/srv/data"]\n',
      },
      errors: [
        { image: 'a', messageId: 'hoist', line: 5, column: 1, endLine: 5, endColumn: 4 },
        { image: 'b', messageId: 'hoist', line: 2, column: 1, endLine: 2, endColumn: 4 },
      ],
    },
    {
      name: 'the parent ONBUILD triggers run first in every child',
      family: {
        base: 'FROM debian:12-slim\nONBUILD RUN echo trigger > /t\n',
        a: `FROM acme/base:1\nRUN echo a > /a\n${nginx}\n`,
        b: `FROM acme/base:1\n${nginx}\n`,
      },
      errors: [
        { image: 'a', messageId: 'hoist', line: 3, column: 1, endLine: 3, endColumn: 4 },
        { image: 'b', messageId: 'hoist', line: 2, column: 1, endLine: 2, endColumn: 4 },
      ],
    },
    {
      name: 'cache mounts',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN echo a > /a\nRUN --mount=type=cache,target=/root/.cache/pip pip install requests\n',
        b: 'FROM acme/base:1\nRUN --mount=type=cache,target=/root/.cache/pip pip install requests\n',
      },
      errors: [
        { image: 'a', messageId: 'hoist', line: 3, column: 1, endLine: 3, endColumn: 4 },
        { image: 'b', messageId: 'hoist', line: 2, column: 1, endLine: 2, endColumn: 4 },
      ],
    },
  ],
});
