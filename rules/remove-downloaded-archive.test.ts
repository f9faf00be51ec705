import { runRuleTests } from '../src/testing/rule-tester.js';
import rule from './remove-downloaded-archive.js';

const TAR_HINT = ', or stream it: `curl -fsSL <url> | tar -x`';
const URL = 'https://example.com/dl/tool-1.0-linux-amd64.tar.gz';

runRuleTests(rule, {
  valid: [
    { name: 'deleted in the same RUN', code: `FROM debian:12-slim\nRUN curl -fsSLo /tmp/tool.tgz ${URL} && tar -C /usr/local -xzf /tmp/tool.tgz && rm /tmp/tool.tgz\n` },
    { name: 'piped into tar: no file', code: `FROM debian:12-slim\nRUN curl -fsSL ${URL} | tar -xz -C /opt && wget -qO- ${URL} | tar -xz -C /srv\n` },
    { name: 'a download that is not an archive', code: 'FROM debian:12-slim\nRUN curl -fsSLo /usr/local/bin/gosu https://example.com/gosu-amd64 && chmod +x /usr/local/bin/gosu\n' },
    { name: 'downloaded on a tmpfs mount', code: `FROM debian:12-slim\nRUN --mount=type=tmpfs,target=/tmp curl -o /tmp/tool.tgz ${URL} && tar -xzf /tmp/tool.tgz -C /opt\n` },
    { name: 'its temporary directory is removed', code: 'FROM debian:12-slim\nRUN dir="$(mktemp -d)" && cd "$dir" && wget -O app.zip https://example.com/app.zip && unzip app.zip -d /opt && cd / && rm -rf "$dir"\n' },
    { name: 'a glob that takes it', code: `FROM debian:12-slim\nRUN wget -P /tmp ${URL} && tar -xzf /tmp/tool-1.0-linux-amd64.tar.gz -C /opt && rm -rf /tmp/*\n` },
    { name: 'multi-stage: a builder copied from selectively', code: `FROM debian:12 AS fetch\nRUN curl -fsSLo /tool.tgz ${URL} && tar -xzf /tool.tgz -C /opt\nFROM debian:12-slim\nCOPY --from=fetch /opt/tool /opt/tool\n` },
    { name: 'ADD extracts a local tar by itself', code: 'FROM scratch\nADD rootfs.tar.xz /\n' },
    { name: 'a copied archive that is never unpacked', code: 'FROM eclipse-temurin:21-jre\nCOPY app.jar /app.jar\nCOPY data.zip /srv/data.zip\n' },
    { name: 'bind-mounted for the RUN', code: 'FROM debian:12-slim\nRUN --mount=type=bind,source=pkg.deb,target=/tmp/pkg.deb dpkg -i /tmp/pkg.deb\n' },
  ],
  invalid: [
    {
      name: 'downloaded and extracted, never deleted',
      code: `FROM debian:12-slim\nRUN curl -fsSLo /tmp/tool.tgz ${URL} && tar -xzf /tmp/tool.tgz -C /usr/local\n`,
      errors: [{ messageId: 'downloadKept', line: 2, column: 5, endLine: 2, endColumn: 30, data: { file: '/tmp/tool.tgz', verb: 'extracted', hint: TAR_HINT } }],
      output: null,
    },
    {
      name: 'wget -O and dpkg -i',
      code: 'FROM debian:12-slim\nRUN wget -O /tmp/pkg.deb https://example.com/pkg.deb && dpkg -i /tmp/pkg.deb\n',
      errors: [{ messageId: 'downloadKept', line: 2, column: 5, endLine: 2, endColumn: 25, data: { file: '/tmp/pkg.deb', verb: 'installed', hint: '' } }],
      output: null,
    },
    {
      name: 'curl -O names the file after the URL; unzip',
      code: 'FROM debian:12-slim\nWORKDIR /tmp\nRUN curl -fsSLO https://example.com/tf/terraform_1.9.0_linux_amd64.zip?x=1 && unzip terraform_1.9.0_linux_amd64.zip -d /usr/local/bin\n',
      errors: [{ messageId: 'downloadKept', line: 3, column: 5, endLine: 3, endColumn: 75, data: { file: 'terraform_1.9.0_linux_amd64.zip', verb: 'extracted', hint: '' } }],
      output: null,
    },
    {
      name: 'deleted only in a later RUN',
      code: `FROM debian:12-slim\nRUN wget -O /tmp/tool.tgz ${URL} && tar -xzf /tmp/tool.tgz -C /opt\nRUN rm -f /tmp/tool.tgz\n`,
      errors: [{ messageId: 'deletedLater', line: 2, column: 5, endLine: 2, endColumn: 26, data: { file: '/tmp/tool.tgz', verb: 'extracted', line: 3 } }],
      output: null,
    },
    {
      name: 'installed only in a later RUN',
      code: 'FROM debian:12-slim\nRUN curl -fsSLo /tmp/pkg.deb https://example.com/pkg.deb\nRUN dpkg -i /tmp/pkg.deb && rm /tmp/pkg.deb\n',
      errors: [{ messageId: 'usedLater', line: 2, column: 5, endLine: 2, endColumn: 29, data: { file: '/tmp/pkg.deb', verb: 'installed', action: 'install', line: 3 } }],
      output: null,
    },
    {
      name: 'a copied local tar, extracted later',
      code: 'FROM debian:12-slim\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n',
      errors: [
        {
          messageId: 'copiedArchive',
          line: 2,
          column: 1,
          endLine: 2,
          endColumn: 22,
          data: { file: 'app.tar.gz', verb: 'extracted', line: 3, hint: '`ADD` extracts a local tar by itself, or bind-mount it for that RUN: `RUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz`' },
        },
      ],
      output: null,
    },
    {
      name: 'a copied package, installed later',
      code: 'FROM debian:12-slim\nCOPY vendor/pkg.deb /tmp/pkg.deb\nRUN dpkg -i /tmp/pkg.deb\n',
      errors: [{ messageId: 'copiedArchive', line: 2, column: 1, endLine: 2, endColumn: 33, data: { file: 'vendor/pkg.deb', verb: 'installed', line: 3, hint: 'bind-mount it for that RUN instead: `RUN --mount=type=bind,source=vendor/pkg.deb,target=/tmp/pkg.deb`' } }],
      output: null,
    },
    {
      name: 'multi-stage: a wheel copied from a builder',
      code: 'FROM python:3.12 AS build\nRUN pip wheel -w /out .\nFROM python:3.12-slim\nCOPY --from=build /out/app.whl /tmp/\nRUN pip install /tmp/app.whl\n',
      errors: [{ messageId: 'copiedArchive', line: 4, column: 1, endLine: 4, endColumn: 37, data: { file: '/out/app.whl', verb: 'installed', line: 5, hint: 'bind-mount it for that RUN instead: `RUN --mount=type=bind,from=build,source=/out/app.whl,target=/tmp/app.whl`' } }],
      output: null,
    },
    {
      name: 'ADD of a URL, extracted later',
      code: `FROM debian:12-slim\nADD ${URL} /tmp/\nRUN tar -xzf /tmp/tool-1.0-linux-amd64.tar.gz -C /usr/local\n`,
      errors: [{ messageId: 'addedArchive', line: 2, column: 1, endLine: 2, endColumn: 61, data: { file: URL, verb: 'extracted', action: 'extract', line: 3 } }],
      output: null,
    },
    {
      name: 'multi-stage: downloaded in a stage the final one is built on',
      code: `FROM debian:12-slim AS base\nWORKDIR /src\nRUN wget ${URL} && tar xzf tool-1.0-linux-amd64.tar.gz\nFROM base\nCMD ["tool"]\n`,
      errors: [{ messageId: 'downloadKept', line: 3, column: 5, endLine: 3, endColumn: 60, data: { file: 'tool-1.0-linux-amd64.tar.gz', verb: 'extracted', hint: TAR_HINT } }],
      output: null,
    },
    {
      name: 'heredoc body is read as shell',
      code: `FROM debian:12-slim\nRUN <<EOF\nset -e\ncurl -fsSLo /opt/tool.tgz ${URL}\ntar -xzf /opt/tool.tgz -C /opt\nEOF\n`,
      errors: [{ messageId: 'downloadKept', line: 4, column: 1, endLine: 4, endColumn: 26, data: { file: '/opt/tool.tgz', verb: 'extracted', hint: TAR_HINT } }],
      output: null,
    },
    {
      name: 'exec form running sh -c',
      code: `FROM debian:12-slim\nRUN ["sh", "-c", "curl -o /a.tgz ${URL} && tar -xzf /a.tgz"]\n`,
      errors: [{ messageId: 'downloadKept', line: 2, column: 18, endLine: 2, endColumn: 104, data: { file: '/a.tgz', verb: 'extracted', hint: TAR_HINT } }],
      output: null,
    },
    {
      name: 'ONBUILD trigger',
      code: 'FROM debian:12-slim\nONBUILD RUN wget -O /tmp/x.zip https://example.com/x.zip && unzip -q -d /opt /tmp/x.zip\n',
      errors: [{ messageId: 'downloadKept', line: 2, column: 13, endLine: 2, endColumn: 31, data: { file: '/tmp/x.zip', verb: 'extracted', hint: '' } }],
      output: null,
    },
    {
      name: 'sudo, and a cache mount elsewhere',
      code: `FROM debian:12-slim\nRUN --mount=type=cache,target=/root/.cache sudo curl -fsSLo /tmp/t.tgz ${URL} && sudo tar -xzf /tmp/t.tgz -C /opt\n`,
      errors: [{ messageId: 'downloadKept', line: 2, column: 49, endLine: 2, endColumn: 71, data: { file: '/tmp/t.tgz', verb: 'extracted', hint: TAR_HINT } }],
      output: null,
    },
    {
      name: 'lower-case keywords and CRLF',
      code: `from debian:12-slim\r\nrun curl -o /tmp/t.tgz ${URL} && tar -xzf /tmp/t.tgz -C /opt\r\n`,
      errors: [{ messageId: 'downloadKept', line: 2, column: 5, endLine: 2, endColumn: 23, data: { file: '/tmp/t.tgz', verb: 'extracted', hint: TAR_HINT } }],
      output: null,
    },
    {
      name: 'escape directive and a comment inside the continuation',
      code: `# escape=\`\nFROM debian:12-slim\nRUN curl -o /tmp/t.tgz ${URL} \`\n# unpack it\n && tar -xzf /tmp/t.tgz -C /opt\n`,
      errors: [{ messageId: 'downloadKept', line: 3, column: 5, endLine: 3, endColumn: 23, data: { file: '/tmp/t.tgz', verb: 'extracted', hint: TAR_HINT } }],
      output: null,
    },
  ],
});
