import { runRuleTests } from '../src/testing/rule-tester.js';
import rule from './prefer-copy-over-add.js';

runRuleTests(rule, {
  valid: [
    'FROM debian:12\nCOPY app.py /app/\n',
    // what only ADD does
    { name: 'URL', code: 'FROM debian:12\nADD https://example.com/tool.bin /usr/local/bin/tool\n' },
    { name: 'git URL with a ref', code: 'FROM debian:12\nADD https://github.com/moby/buildkit.git#v0.10.1 /src\n' },
    { name: 'git over ssh', code: 'FROM debian:12\nADD git@github.com:moby/buildkit.git /src\n' },
    { name: '--keep-git-dir', code: 'FROM debian:12\nADD --keep-git-dir=true https://github.com/moby/buildkit.git /src\n' },
    { name: '--checksum', code: 'FROM debian:12\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/a.bin /a.bin\n' },
    { name: 'local tar archives are unpacked', code: 'FROM scratch\nADD rootfs.tar.xz /\nADD dist.tar.gz /opt/\nADD pkg.TGZ /x/\nADD data.tar.zst /data/\nADD old.tar.Z /old/\n' },
    { name: 'a variable may be a URL', code: 'FROM debian:12\nARG URL\nADD ${URL} /x\n' },
    { name: 'a name that says archive is a tar ADD unpacks (OpenStack Kolla)', code: 'FROM rockylinux:9\nADD keystone-base-archive /keystone-base-source\nADD plugins-archive /\n' },
    // syntax
    { name: 'ONBUILD with an archive', code: 'FROM debian:12\nONBUILD ADD app.tgz /app\n' },
    { name: 'exec form with a URL', code: 'FROM debian:12\nADD ["https://example.com/a b.bin", "/x/"]\n' },
  ],
  invalid: [
    {
      name: 'local file',
      code: 'FROM debian:12\nADD app.py /app/\n',
      errors: [{ messageId: 'useCopy', line: 2, column: 1, endLine: 2, endColumn: 4, data: { source: 'app.py' } }],
      output: 'FROM debian:12\nCOPY app.py /app/\n',
    },
    {
      name: 'local directory with --chown, lower-case keyword',
      code: 'FROM debian:12\nadd --chown=1000:1000 conf/ /etc/conf/\n',
      errors: [{ messageId: 'useCopy', line: 2, column: 1, endLine: 2, endColumn: 4, data: { source: 'conf/' } }],
      output: 'FROM debian:12\ncopy --chown=1000:1000 conf/ /etc/conf/\n',
    },
    {
      name: 'a local file among archives',
      code: 'FROM debian:12\nADD dist.tar.gz README.md /opt/\n',
      errors: [{ messageId: 'useCopy', line: 2, column: 1, endLine: 2, endColumn: 4, data: { source: 'README.md' } }],
      output: null,
    },
    {
      name: 'heredoc',
      code: 'FROM debian:12\nADD <<EOF /etc/motd\nhello\nEOF\n',
      errors: [{ messageId: 'heredoc', line: 2, column: 1, endLine: 2, endColumn: 4 }],
      output: 'FROM debian:12\nCOPY <<EOF /etc/motd\nhello\nEOF\n',
    },
    // multi-stage
    {
      name: 'every stage',
      code: 'FROM golang:1.22 AS build\nADD . /src\nFROM debian:12\nADD bin/ /usr/local/bin/\n',
      errors: [
        { messageId: 'useCopy', line: 2, column: 1, endLine: 2, endColumn: 4, data: { source: '.' } },
        { messageId: 'useCopy', line: 4, column: 1, endLine: 4, endColumn: 4, data: { source: 'bin/' } },
      ],
      output: 'FROM golang:1.22 AS build\nCOPY . /src\nFROM debian:12\nCOPY bin/ /usr/local/bin/\n',
    },
    // syntax
    {
      name: 'exec form',
      code: 'FROM debian:12\nADD ["a b.txt", "/x/"]\n',
      errors: [{ messageId: 'useCopy', line: 2, column: 1, endLine: 2, endColumn: 4, data: { source: 'a b.txt' } }],
      output: 'FROM debian:12\nCOPY ["a b.txt", "/x/"]\n',
    },
    {
      name: 'ONBUILD',
      code: 'FROM debian:12\nONBUILD ADD . /app\n',
      errors: [{ messageId: 'useCopy', line: 2, column: 9, endLine: 2, endColumn: 12 }],
      output: 'FROM debian:12\nONBUILD COPY . /app\n',
    },
    {
      name: 'escape backtick',
      code: '# escape=`\nFROM debian:12\nADD app.py `\n    /app/\n',
      errors: [{ messageId: 'useCopy', line: 3, column: 1, endLine: 3, endColumn: 4, data: { source: 'app.py' } }],
      output: '# escape=`\nFROM debian:12\nCOPY app.py `\n    /app/\n',
    },
    {
      name: 'CRLF',
      code: 'FROM debian:12\r\nADD app.py /app/\r\n',
      errors: [{ messageId: 'useCopy', line: 2, column: 1, endLine: 2, endColumn: 4, data: { source: 'app.py' } }],
      output: 'FROM debian:12\r\nCOPY app.py /app/\r\n',
    },
    {
      name: 'comment inside a continuation',
      code: 'FROM debian:12\nADD app.py \\\n# where it goes\n    /app/\n',
      errors: [{ messageId: 'useCopy', line: 2, column: 1, endLine: 2, endColumn: 4, data: { source: 'app.py' } }],
      output: 'FROM debian:12\nCOPY app.py \\\n# where it goes\n    /app/\n',
    },
    // fixes
    {
      name: 'the keyword keeps its case',
      code: 'FROM debian:12\nAdd app.py /app/\n',
      errors: [{ messageId: 'useCopy', line: 2, column: 1, endLine: 2, endColumn: 4 }],
      output: 'FROM debian:12\nCopy app.py /app/\n',
    },
    {
      name: 'a variable among the sources may be a URL: not fixed',
      code: 'FROM debian:12\nARG SRC=conf\nADD app.py $SRC /app/\n',
      errors: [{ messageId: 'useCopy', line: 3, column: 1, endLine: 3, endColumn: 4 }],
      output: null,
    },
    {
      name: 'flags COPY takes too',
      code: 'FROM debian:12\nADD --link --chmod=644 app.py /app/\n',
      errors: [{ messageId: 'useCopy', line: 2, column: 1, endLine: 2, endColumn: 4 }],
      output: 'FROM debian:12\nCOPY --link --chmod=644 app.py /app/\n',
    },
    {
      name: 'a file without an extension may be a tar by its bytes: a suggestion only',
      code: 'FROM debian:12\nADD entrypoint /usr/local/bin/\n',
      errors: [{ messageId: 'useCopy', line: 2, column: 1, endLine: 2, endColumn: 4, data: { source: 'entrypoint' }, suggestions: ['FROM debian:12\nCOPY entrypoint /usr/local/bin/\n'] }],
      output: null,
    },
    {
      name: 'a glob may match an archive: a suggestion only',
      code: 'FROM debian:12\nADD conf/*.conf /etc/app/\n',
      errors: [{ messageId: 'useCopy', line: 2, column: 1, endLine: 2, endColumn: 4, suggestions: ['FROM debian:12\nCOPY conf/*.conf /etc/app/\n'] }],
      output: null,
    },
  ],
});
