import { beforeAll, describe, expect, it } from 'vitest';
import { SourceText } from '../source/source-text.js';
import { buildModel } from './build.js';
import { initShellParser } from './shell-parser.js';
import { EXTERNAL_BASE, walkContexts, isLayerInstruction } from './layer-context.js';
import { stageChain } from './stage-chain.js';
import { layerWrites } from './layer-writes.js';
import { pathRelation } from './path-match.js';
import { packageChange } from './package-changes.js';
import type { RunInstruction } from './types.js';

beforeAll(async () => {
  await initShellParser();
});

/** `path kind` of every write of the file's last layer step. */
function lastWrites(text: string): string[] {
  const model = buildModel(new SourceText('Dockerfile', text));
  const final = model.stages[model.stages.length - 1];
  if (!final) return [];
  const walk = walkContexts(model, stageChain(final), EXTERNAL_BASE);
  const steps = stageChain(final).flatMap((s) => s.instructions.filter(isLayerInstruction));
  const last = steps[steps.length - 1];
  if (!last) return [];
  return layerWrites(last, walk.at.get(last) ?? walk.end).map((w) => `${w.path} ${w.kind}${w.empty ? ' empty' : ''}`);
}

describe('layerWrites: COPY and ADD', () => {
  it.each([
    ['FROM debian:12\nCOPY app.conf /etc/app.conf\n', ['/etc/app.conf file']],
    ['FROM debian:12\nCOPY a.sh b.sh /usr/local/bin/\n', ['/usr/local/bin/a.sh file', '/usr/local/bin/b.sh file']],
    ['FROM debian:12\nCOPY conf/app.conf /etc/app/\n', ['/etc/app/app.conf file']],
    ['FROM debian:12\nWORKDIR /srv\nWORKDIR app\nCOPY . .\n', ['/srv/app tree']],
    ['FROM debian:12\nCOPY rootfs/ /\n', ['/ contents']],
    ['FROM debian:12\nCOPY *.sh /opt/bin/\n', ['/opt/bin/*.sh file']],
    ['FROM node:22\nCOPY package.json ./\n', []],
    ['FROM debian:12\nENV APP=/srv/app\nCOPY . $APP/\n', ['/srv/app tree']],
    ['FROM debian:12\nADD https://example.com/x/tool.tgz?raw=1 /tmp/\n', ['/tmp/tool.tgz file']],
    ['FROM debian:12\nADD rootfs.tar.xz /\n', ['/ contents']],
    ['FROM debian:12\nCOPY ["a b.txt", "/data/"]\n', ['/data/a b.txt file']],
    ['FROM scratch\nCOPY app /app\n', ['/app file']],
  ])('%j', (text, expected) => {
    expect(lastWrites(text)).toEqual(expected);
  });
});

describe('layerWrites: RUN commands', () => {
  it.each([
    ['RUN mkdir -p /a/b /c', ['/a/b dir empty', '/c dir empty']],
    ['RUN curl -fsSLo /usr/local/bin/tool https://example.com/tool', ['/usr/local/bin/tool file']],
    ['RUN cd /tmp && curl -fsSLO https://example.com/dl/node.tar.xz', ['/tmp/node.tar.xz file']],
    ['RUN curl -fsSL https://example.com/install.sh | sh', []],
    ['RUN curl -OJ https://example.com/latest', []],
    ['RUN wget -q -O /tmp/x.zip https://example.com/x.zip && unzip /tmp/x.zip -d /opt/x', ['/tmp/x.zip file', '/opt/x tree']],
    ['RUN wget -qO- https://example.com/x.tgz | tar -xz -C /usr/local --strip-components=1', ['/usr/local contents']],
    ['RUN wget -P /downloads https://example.com/a.deb', ['/downloads/a.deb file']],
    ['RUN tar xzf /tmp/a.tgz -C /opt/a', ['/opt/a tree']],
    ['RUN git clone --depth 1 -b main https://example.com/org/repo.git', []],
    ['RUN cd /src && git clone --depth 1 https://example.com/org/repo.git', ['/src/repo tree']],
    ['RUN git clone https://example.com/org/repo.git /opt/repo', ['/opt/repo tree']],
    ['RUN cp -r /tmp/conf /etc/app && cp /tmp/a.txt /tmp/b.txt /srv/', ['/etc/app contents', '/srv/a.txt file', '/srv/b.txt file']],
    ['RUN install -m 755 /tmp/tool /usr/local/bin/tool && install -d /var/lib/tool', ['/usr/local/bin/tool file', '/var/lib/tool dir empty']],
    ['RUN ln -sf /usr/bin/python3 /usr/local/bin/python', ['/usr/local/bin/python link']],
    ['RUN touch /var/log/app.log', ['/var/log/app.log file empty']],
    ['RUN useradd -m -s /bin/bash app', ['/home/app tree empty']],
    ['RUN useradd -r app', []],
    ['RUN echo hi > /etc/motd', []],
    ['RUN pip install flask', ['/root/.cache/pip tree']],
    ['RUN pip install --no-cache-dir flask', []],
    ['RUN python3 -m pip install -r requirements.txt', ['/root/.cache/pip tree']],
    ['RUN apt-get update && apt-get install -y curl', ['/var/lib/apt/lists tree']],
    ['RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*', []],
    ['RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update', []],
    ['RUN apk add curl', ['/var/cache/apk tree']],
    ['RUN dnf install -y gcc && dnf clean all', []],
    ['RUN curl -o /tmp/a.tgz https://example.com/a.tgz && tar -xzf /tmp/a.tgz -C /opt/a && rm /tmp/a.tgz', ['/opt/a tree']],
    ['RUN mv /tmp/tool /usr/local/bin/', ['/usr/local/bin/tool file']],
  ])('%s', (run, expected) => {
    expect(lastWrites(`FROM debian:12\n${run}\n`)).toEqual(expected);
  });

  it('follows WORKDIR and cd', () => {
    expect(lastWrites('FROM debian:12\nWORKDIR /build\nRUN curl -O https://example.com/a.tgz && cd sub && wget https://example.com/b.tgz\n')).toEqual([
      '/build/a.tgz file',
      '/build/sub/b.tgz file',
    ]);
  });

  it('knows the home of root only', () => {
    expect(lastWrites('FROM debian:12\nUSER app\nRUN pip install flask\n')).toEqual([]);
    expect(lastWrites('FROM debian:12\nUSER app\nENV HOME=/home/app\nRUN pip install flask\n')).toEqual(['/home/app/.cache/pip tree']);
  });
});

describe('pathRelation', () => {
  it.each([
    ['/a/b', '/a/b', 'same'],
    ['/a', '/a/b', 'above'],
    ['/a/b/c', '/a/b', 'below'],
    ['/tmp/*', '/tmp/x.tgz', 'same'],
    ['/tmp/*', '/tmp/x/y', 'above'],
    ['/tmp/*', '/tmp/.hidden', null],
    ['/usr/local/bin/x', '/usr/local/bin/*.sh', null],
    ['/usr/local/bin/x.sh', '/usr/local/bin/*.sh', 'same'],
    ['/a/*', '/a/*.sh', null],
    ['/var/lib/apt/lists/*', '/var/lib/apt/lists', 'below'],
    ['/x', '/y', null],
    ['/', '/y', 'above'],
    ['/y', '/', 'below'],
    ['/', '/', 'same'],
    ['/a/bc', '/a/b', null],
    ['/a/b', '/a/bc', null],
    ['/root/.cache', '/root', 'below'],
    ['/a/../b', '/a', 'below'],
    ['/a//b', '/a/b', 'same'],
    ['/a/b/', '/a/b', 'same'],
    ['/opt/${X}', '/opt/${X}/y', 'above'],
  ])('%s vs %s', (p, q, expected) => {
    expect(pathRelation(p, q)).toBe(expected);
  });
});

describe('packageChange', () => {
  it.each([
    ['apt-get install -y --no-install-recommends curl=7.88.1-10 libssl3:amd64 ./local.deb', 'apt install curl,libssl3'],
    ['apt-get -y purge --auto-remove gcc', 'apt remove gcc'],
    ['apk add --no-cache --virtual .deps "gcc>12" musl-dev', 'apk install gcc,musl-dev,.deps'],
    ['sudo yum -y erase httpd', 'dnf remove httpd'],
    ['pip3 install "PyYAML[extra]>=6" -r req.txt ./pkg', 'pip install pyyaml'],
    ['python3 -m pip uninstall -y Flask_Login', 'pip remove flask-login'],
    ['npm install -g @scope/tool@^1 lodash@4', 'npm install @scope/tool,lodash'],
    ['npm prune --omit=dev', 'npm prune '],
    ['apt-get update', 'none'],
  ])('%s', (cmdText, expected) => {
    const model = buildModel(new SourceText('Dockerfile', `FROM debian:12\nRUN ${cmdText}\n`));
    const run = model.instructions[1] as RunInstruction;
    const cmd = run.script.commands[0];
    const change = cmd ? packageChange(cmd) : null;
    expect(change ? `${change.manager} ${change.action} ${change.packages.map((p) => p.name).join(',')}` : 'none').toBe(expected);
  });
});
