import { runFamilyRuleTests } from '../src/testing/family-tester.js';
import rule from './repeated-ancestor-step.js';

const apt = 'RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*';
const base = `FROM debian:12-slim\n${apt}\nRUN useradd --system app\n`;

runFamilyRuleTests(rule, {
  valid: [
    {
      name: 'different steps',
      family: { base, app: 'FROM acme/base:1\nRUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*\n' },
    },
    {
      name: 'a RUN that only refreshes the package index',
      family: {
        base: 'FROM debian:12-slim\nRUN apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
        app: 'FROM acme/base:1\nRUN apt-get update\nRUN apt-get install -y jq && rm -rf /var/lib/apt/lists/*\n',
      },
    },
    {
      name: 'a RUN that only cleans caches or rebuilds an index',
      family: {
        base: 'FROM rockylinux:9\nRUN dnf -y clean all && rm -rf /var/cache/dnf\nRUN ldconfig\n',
        app: 'FROM acme/base:1\nRUN dnf -y install jq\nRUN dnf -y clean all && rm -rf /var/cache/dnf\nRUN ldconfig\n',
      },
    },
    {
      name: 'siblings are not ancestors',
      family: { base, a: `FROM acme/base:1\nRUN echo a > /a\n`, b: `FROM acme/base:1\nRUN echo a > /a\n` },
    },
    {
      name: 'a file copied over in between: the step runs on new input',
      family: {
        base: 'FROM debian:12-slim\nCOPY start.sh /usr/local/bin/start\nRUN chmod 755 /usr/local/bin/start\n',
        app: 'FROM acme/base:1\nCOPY app-start.sh /usr/local/bin/start\nRUN chmod 755 /usr/local/bin/start\n',
      },
    },
    {
      name: 'a variable set again in between',
      family: {
        base: 'FROM debian:12-slim\nENV VERSION=1.2\nRUN pip install app==$VERSION\n',
        app: 'FROM acme/base:1\nENV VERSION=1.3\nRUN pip install app==$VERSION\n',
      },
    },
    {
      name: 'another user',
      family: {
        base: 'FROM python:3.12-slim\nRUN pip install --user requests\n',
        app: 'FROM acme/base:1\nUSER app\nRUN pip install --user requests\n',
      },
    },
    {
      name: 'multi-stage: a COPY --from its own build stage differs',
      family: {
        base: 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM debian:12-slim\nCOPY --from=build /out/app /usr/local/bin/app\n',
        app: 'FROM golang:1.22 AS build\nRUN go build -o /out/app ./cmd/app\nFROM acme/base:1\nCOPY --from=build /out/app /usr/local/bin/app\n',
      },
    },
  ],
  invalid: [
    {
      name: 'the parent ran it',
      family: { base, app: `FROM acme/base:1\n${apt}\n` },
      errors: [{ image: 'app', messageId: 'repeated', line: 2, column: 1, endLine: 2, endColumn: 4, data: { line: 2, ancestor: 'base' }, related: ['base:2'] }],
    },
    {
      name: 'a grandparent ran it',
      family: {
        base,
        service: 'FROM acme/base:1\nRUN python3 -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\n',
        metrics: `FROM golang:1.22 AS build\nRUN go build -o /out/exporter .\nFROM acme/service:1\nLABEL name=metrics\n${apt}\nCOPY --from=build /out/exporter /usr/local/bin/exporter\n`,
      },
      errors: [{ image: 'metrics', messageId: 'repeated', line: 5, column: 1, endLine: 5, endColumn: 4, data: { line: 2, ancestor: 'base' }, related: ['base:2'] }],
    },
    {
      name: 'the same file copied again',
      family: {
        base: 'FROM debian:12-slim\nCOPY motd /etc/motd\n',
        app: 'FROM acme/base:1\nCOPY motd /etc/motd\n',
      },
      errors: [{ image: 'app', messageId: 'repeated', line: 2, column: 1, endLine: 2, endColumn: 5, related: ['base:2'] }],
    },
    {
      name: 'the same user and directory again after a USER and WORKDIR in between',
      family: {
        base: 'FROM debian:12-slim\nUSER root\nRUN install -d /srv/data\nUSER app\nWORKDIR /srv\n',
        app: 'FROM acme/base:1\nUSER root\nRUN install -d /srv/data\n',
      },
      errors: [{ image: 'app', messageId: 'repeated', line: 3, column: 1, endLine: 3, endColumn: 4, related: ['base:3'] }],
    },
    {
      name: 'the ancestor ran it as an ONBUILD trigger',
      family: {
        base: 'FROM debian:12-slim\nONBUILD RUN install -d /srv/data\n',
        service: 'FROM acme/base:1\nRUN echo service > /service\n',
        app: 'FROM acme/service:1\nRUN install -d /srv/data\n',
      },
      errors: [{ image: 'app', messageId: 'repeated', line: 2, column: 1, endLine: 2, endColumn: 4, data: { line: 2, ancestor: 'base' }, related: ['base:2'] }],
    },
    {
      name: 'heredoc RUN',
      family: {
        base: 'FROM debian:12-slim\nRUN <<EOF\nset -eu\ninstall -d /srv/data\nEOF\n',
        app: 'FROM acme/base:1\nRUN <<EOF\nset -eu\ninstall -d /srv/data\nEOF\n',
      },
      errors: [{ image: 'app', messageId: 'repeated', line: 2, column: 1, endLine: 2, endColumn: 4, related: ['base:2'] }],
    },
    {
      name: 'lower-case keywords, a comment inside a continuation, CRLF',
      family: {
        base,
        app: 'from acme/base:1\r\nrun apt-get update \\\r\n# curl for the health check\r\n    && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\r\n',
      },
      errors: [{ image: 'app', messageId: 'repeated', line: 2, column: 1, endLine: 2, endColumn: 4, related: ['base:2'] }],
    },
    {
      name: 'escape directive',
      family: {
        base,
        app: '# escape=`\nFROM acme/base:1\nRUN apt-get update && apt-get install -y --no-install-recommends curl `\n    && rm -rf /var/lib/apt/lists/*\n',
      },
      errors: [{ image: 'app', messageId: 'repeated', line: 3, column: 1, endLine: 3, endColumn: 4 }],
    },
    {
      name: 'exec form and cache mounts',
      family: {
        base: 'FROM debian:12-slim\nRUN ["/usr/bin/install", "-d", "/srv/data"]\nRUN --mount=type=cache,target=/root/.cache/pip pip install requests\n',
        app: 'FROM acme/base:1\nRUN ["/usr/bin/install", "-d", "/srv/data"]\nRUN --mount=type=cache,target=/root/.cache/pip pip install requests\n',
      },
      errors: [
        { image: 'app', messageId: 'repeated', line: 2, column: 1, endLine: 2, endColumn: 4, related: ['base:2'] },
        { image: 'app', messageId: 'repeated', line: 3, column: 1, endLine: 3, endColumn: 4, related: ['base:3'] },
      ],
    },
  ],
});
