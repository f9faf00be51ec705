import { runFamilyRuleTests } from '../src/testing/family-tester.js';
import rule from './reorder-sibling-steps.js';

const base = 'FROM debian:12-slim\nRUN useradd --system app\n';

runFamilyRuleTests(rule, {
  valid: [
    {
      name: 'the same order',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN apt-get install -y curl\nRUN pip install requests\n',
        b: 'FROM acme/base:1\nRUN apt-get install -y curl\nRUN pip install requests\nRUN echo b > /b\n',
      },
    },
    {
      name: 'one layer at stake is below minSharedSteps',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN echo a > /a\nRUN pip install requests\n',
        b: 'FROM acme/base:1\nRUN pip install requests\nRUN echo b > /b\n',
      },
    },
    {
      name: 'images on different parents',
      family: {
        base,
        other: 'FROM debian:12-slim\nRUN echo other > /other\n',
        a: 'FROM acme/base:1\nRUN echo x > /x\nRUN echo y > /y\n',
        b: 'FROM acme/other:1\nRUN echo y > /y\nRUN echo x > /x\n',
      },
    },
    {
      name: 'a COPY is never moved ahead of a RUN',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN echo a > /a\nCOPY app.sh /usr/local/bin/app.sh\nCOPY app.conf /etc/app.conf\n',
        b: 'FROM acme/base:1\nCOPY app.sh /usr/local/bin/app.sh\nCOPY app.conf /etc/app.conf\nRUN echo b > /b\n',
      },
    },
    {
      name: 'a RUN that reads a copied file stays after the COPY',
      family: {
        base,
        a: 'FROM acme/base:1\nCOPY app.conf /etc/app.conf\nRUN sed -i s/a/b/ /etc/app.conf\nRUN chmod 600 /etc/app.conf\n',
        b: 'FROM acme/base:1\nRUN sed -i s/a/b/ /etc/app.conf\nRUN chmod 600 /etc/app.conf\nCOPY app.conf /etc/app.conf\n',
      },
    },
    {
      name: 'a RUN is not moved ahead of an OS package install',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN apt-get install -y python3-pip\nRUN pip install requests\n',
        b: 'FROM acme/base:1\nRUN pip install requests\nRUN dnf install -y python3-pip\n',
      },
    },
    {
      name: 'different WORKDIRs make different layers',
      family: {
        base,
        a: 'FROM acme/base:1\nWORKDIR /srv/a\nRUN echo x > /x\nRUN echo y > /y\n',
        b: 'FROM acme/base:1\nWORKDIR /srv/b\nRUN echo y > /y\nRUN echo x > /x\n',
      },
    },
    {
      name: 'an ENV between the steps is part of the later layer',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN echo x > /x\nENV MODE=a\nRUN echo y > /y\n',
        b: 'FROM acme/base:1\nRUN echo y > /y\nRUN echo x > /x\n',
      },
    },
    {
      name: 'multi-stage: a COPY --from its own build stage is never the same layer',
      family: {
        base,
        a: 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM acme/base:1\nCOPY --from=build /out/app /usr/local/bin/app\nCOPY app.conf /etc/app.conf\n',
        b: 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM acme/base:1\nCOPY app.conf /etc/app.conf\nCOPY --from=build /out/app /usr/local/bin/app\n',
      },
    },
  ],
  invalid: [
    {
      name: 'two siblings with two steps swapped',
      family: {
        base,
        worker: 'FROM acme/base:1\nRUN apt-get install -y libpq5\nRUN pip install psycopg\nCOPY worker.conf /etc/worker.conf\n',
        scheduler: 'FROM acme/base:1\nRUN pip install psycopg\nRUN apt-get install -y libpq5\nCOPY scheduler.conf /etc/scheduler.conf\n',
      },
      errors: [
        {
          image: 'scheduler',
          messageId: 'reorder',
          line: 2,
          column: 1,
          endLine: 2,
          endColumn: 4,
          data: { layers: '2 layers', siblings: 'worker', order: 'move line 3 before line 2' },
          related: ['worker:2'],
        },
      ],
    },
    {
      name: 'three siblings: the order most of them have wins',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN echo x > /x\nRUN echo y > /y\nRUN echo z > /z\n',
        b: 'FROM acme/base:1\nRUN echo x > /x\nRUN echo y > /y\nRUN echo z > /z\nRUN echo b > /b\n',
        c: 'FROM acme/base:1\nRUN echo z > /z\nRUN echo x > /x\nRUN echo y > /y\n',
      },
      errors: [
        {
          image: 'c',
          messageId: 'reorder',
          line: 2,
          column: 1,
          endLine: 2,
          endColumn: 4,
          data: { layers: '3 layers', siblings: 'a and b', order: 'move line 2 after line 4' },
          related: ['a:2', 'b:2'],
        },
      ],
    },
    {
      name: 'several steps move',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN echo w > /w\nRUN echo x > /x\nRUN echo y > /y\nRUN echo z > /z\n',
        b: 'FROM acme/base:1\nRUN echo w > /w\nRUN echo z > /z\nRUN echo y > /y\nRUN echo x > /x\n',
      },
      errors: [{ image: 'b', messageId: 'reorder', line: 3, column: 1, endLine: 3, endColumn: 4, data: { layers: '3 layers', siblings: 'a', order: 'put lines 5, 4, 3 right after line 2' } }],
    },
    {
      name: 'a RUN moves ahead of COPYs it does not read',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN apt-get install -y curl\nCOPY app.sh /usr/local/bin/app.sh\nCOPY app.conf /etc/app.conf\n',
        b: 'FROM acme/base:1\nCOPY app.sh /usr/local/bin/app.sh\nCOPY app.conf /etc/app.conf\nRUN apt-get install -y curl\n',
      },
      errors: [{ image: 'b', messageId: 'reorder', line: 2, column: 1, endLine: 2, endColumn: 5, data: { layers: '3 layers', siblings: 'a', order: 'move line 4 before line 2' } }],
    },
    {
      name: 'the option lowers the threshold',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN echo a > /a\nRUN pip install requests\n',
        b: 'FROM acme/base:1\nRUN pip install requests\nRUN echo b > /b\n',
      },
      options: { minSharedSteps: 1 },
      errors: [{ image: 'a', messageId: 'reorder', line: 2, column: 1, endLine: 2, endColumn: 4, data: { layers: '1 layer', siblings: 'b', order: 'move line 3 before line 2' } }],
    },
    {
      name: 'multi-stage: the steps of the stages the image is built through',
      family: {
        base,
        a: 'FROM acme/base:1 AS deps\nRUN echo x > /x\nFROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM deps\nRUN echo y > /y\n',
        b: 'FROM acme/base:1\nRUN echo y > /y\nRUN echo x > /x\n',
      },
      errors: [{ image: 'b', messageId: 'reorder', line: 2, column: 1, endLine: 2, endColumn: 4, related: ['a:2'] }],
    },
    {
      name: 'siblings on the same external base',
      family: {
        a: 'FROM debian:12-slim\nRUN echo x > /x\nRUN echo y > /y\n',
        b: 'FROM debian:12-slim\nRUN echo y > /y\nRUN echo x > /x\n',
      },
      errors: [{ image: 'b', messageId: 'reorder', line: 2, column: 1, endLine: 2, endColumn: 4 }],
    },
    {
      name: 'heredoc RUN',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN <<EOF\nset -eu\nmkdir -p /srv/app\nEOF\nRUN echo y > /y\n',
        b: 'FROM acme/base:1\nRUN echo y > /y\nRUN <<EOF\nset -eu\nmkdir -p /srv/app\nEOF\n',
      },
      errors: [{ image: 'b', messageId: 'reorder', line: 2, column: 1, endLine: 2, endColumn: 4, data: { layers: '2 layers', siblings: 'a', order: 'move line 3 before line 2' } }],
    },
    {
      name: 'formatting does not matter: lower-case keywords, a comment inside a continuation',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN apt-get update && apt-get install -y curl\nRUN echo y > /y\n',
        b: 'from acme/base:1\nrun echo y > /y\nrun apt-get update \\\n# the index first\n    && apt-get install -y curl\n',
      },
      errors: [{ image: 'b', messageId: 'reorder', line: 2, column: 1, endLine: 2, endColumn: 4, data: { layers: '2 layers', siblings: 'a', order: 'move line 3 before line 2' } }],
    },
    {
      name: 'CRLF line endings',
      family: {
        base,
        a: 'FROM acme/base:1\r\nRUN echo x > /x\r\nRUN echo y > /y\r\n',
        b: 'FROM acme/base:1\r\nRUN echo y > /y\r\nRUN echo x > /x\r\n',
      },
      errors: [{ image: 'b', messageId: 'reorder', line: 2, column: 1, endLine: 2, endColumn: 4 }],
    },
    {
      name: 'escape directive',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN echo x > /x && echo z > /z\nRUN echo y > /y\n',
        b: '# escape=`\nFROM acme/base:1\nRUN echo y > /y\nRUN echo x > /x `\n    && echo z > /z\n',
      },
      errors: [{ image: 'b', messageId: 'reorder', line: 3, column: 1, endLine: 3, endColumn: 4, data: { layers: '2 layers', siblings: 'a', order: 'move line 4 before line 3' } }],
    },
    {
      name: 'the parent ONBUILD triggers run first in every child',
      family: {
        base: 'FROM debian:12-slim\nONBUILD RUN echo trigger > /t\n',
        a: 'FROM acme/base:1\nRUN echo x > /x\nRUN echo y > /y\n',
        b: 'FROM acme/base:1\nRUN echo y > /y\nRUN echo x > /x\n',
      },
      errors: [{ image: 'b', messageId: 'reorder', line: 2, column: 1, endLine: 2, endColumn: 4 }],
    },
    {
      name: 'exec form and cache mounts',
      family: {
        base,
        a: 'FROM acme/base:1\nRUN ["/usr/bin/install", "-d", "/srv/app"]\nRUN --mount=type=cache,target=/root/.cache/pip pip install requests\n',
        b: 'FROM acme/base:1\nRUN --mount=type=cache,target=/root/.cache/pip pip install requests\nRUN ["/usr/bin/install", "-d", "/srv/app"]\n',
      },
      errors: [{ image: 'b', messageId: 'reorder', line: 2, column: 1, endLine: 2, endColumn: 4 }],
    },
  ],
});
