import { runRuleTests } from '../src/testing/rule-tester.js';
import rule from './pip-no-cache-dir.js';

runRuleTests(rule, {
  valid: [
    'FROM python:3.12\nRUN pip install --no-cache-dir flask\n',
    { name: 'option before the subcommand', code: 'FROM python:3.12\nRUN pip3 --no-cache-dir install flask\n' },
    { name: 'python -m pip', code: 'FROM python:3.12\nRUN python3 -m pip install --no-cache-dir flask\n' },
    // PIP_NO_CACHE_DIR
    { name: 'ENV PIP_NO_CACHE_DIR=1', code: 'FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n' },
    { name: 'pip disables the cache for a false value too', code: 'FROM python:3.12\nENV PIP_NO_CACHE_DIR=false\nRUN pip install flask\n' },
    { name: 'ARG PIP_NO_CACHE_DIR', code: 'FROM python:3.12\nARG PIP_NO_CACHE_DIR=on\nRUN pip install flask\n' },
    { name: 'ENV inherited through FROM <stage>', code: 'FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install flask\n' },
    { name: 'set on the command', code: 'FROM python:3.12\nRUN PIP_NO_CACHE_DIR=1 pip install flask\n' },
    { name: 'set through env', code: 'FROM python:3.12\nRUN env PIP_NO_CACHE_DIR=yes pip install flask\n' },
    { name: 'exported earlier in the RUN', code: 'FROM python:3.12\nRUN export PIP_NO_CACHE_DIR=1 && pip install flask\n' },
    // cleanup in the same RUN
    { name: 'rm of the cache', code: 'FROM python:3.12\nRUN pip install flask && rm -rf /root/.cache/pip\n' },
    { name: 'rm of ~/.cache', code: 'FROM python:3.12\nRUN pip install flask && rm -rf ~/.cache\n' },
    { name: 'pip cache purge', code: 'FROM python:3.12\nRUN pip install flask && pip cache purge\n' },
    { name: '--cache-dir removed afterwards', code: 'FROM python:3.12\nRUN pip install --cache-dir /tmp/pip flask && rm -rf /tmp/pip\n' },
    // BuildKit mounts
    { name: 'cache mount on the cache', code: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n' },
    { name: 'cache mount on ~/.cache', code: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache pip install flask\n' },
    { name: 'tmpfs mount on the cache', code: 'FROM python:3.12\nRUN --mount=type=tmpfs,target=/root/.cache/pip pip install flask\n' },
    { name: 'cache mount on PIP_CACHE_DIR', code: 'FROM python:3.12\nENV PIP_CACHE_DIR=/var/cache/pip\nRUN --mount=type=cache,target=/var/cache/pip pip install flask\n' },
    // not pip install
    { name: 'pipx, pipenv and uv are other tools', code: 'FROM python:3.12\nRUN pipx install black && pipenv install && uv pip install flask\n' },
    { name: 'other pip subcommands', code: 'FROM python:3.12\nRUN pip freeze && pip list && pip show install\n' },
    { name: 'PowerShell is not read', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN pip install flask\n' },
    // multi-stage
    { name: 'builder copied from selectively', code: 'FROM python:3.12 AS build\nRUN pip install --prefix=/install flask\nFROM python:3.12-slim\nCOPY --from=build /install /usr/local\n' },
    { name: 'stage that nothing uses', code: 'FROM python:3.12 AS unused\nRUN pip install flask\nFROM python:3.12\nRUN echo hi\n' },
    // syntax
    { name: 'heredoc', code: 'FROM python:3.12\nRUN <<EOF\npip install flask\nrm -rf /root/.cache/pip\nEOF\n' },
    { name: 'escape backtick', code: '# escape=`\nFROM python:3.12\nRUN pip install `\n    --no-cache-dir flask\n' },
    { name: 'CRLF', code: 'FROM python:3.12\r\nRUN pip install \\\r\n    --no-cache-dir flask\r\n' },
    { name: 'comment inside a continuation', code: 'FROM python:3.12\nRUN pip install \\\n# no cache in the image\n    --no-cache-dir flask\n' },
    { name: 'ONBUILD', code: 'FROM python:3.12\nONBUILD RUN pip install --no-cache-dir -r requirements.txt\n' },
    { name: 'exec form', code: 'FROM python:3.12\nRUN ["pip", "install", "--no-cache-dir", "flask"]\n' },
  ],
  invalid: [
    {
      name: 'pip install',
      code: 'FROM python:3.12\nRUN pip install flask\n',
      errors: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 16, data: { command: 'pip install', dir: '~/.cache/pip' } }],
      output: 'FROM python:3.12\nRUN pip install --no-cache-dir flask\n',
    },
    {
      name: 'upgrading pip caches the pip wheel too',
      code: 'FROM python:3.12\nRUN pip install --upgrade pip\n',
      errors: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: 'FROM python:3.12\nRUN pip install --no-cache-dir --upgrade pip\n',
    },
    {
      name: 'python -m pip, with an option between',
      code: 'FROM python:3.12\nRUN python3.12 -m pip --disable-pip-version-check install flask\n',
      errors: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 58, data: { command: 'python3.12 -m pip install', dir: '~/.cache/pip' } }],
      output: 'FROM python:3.12\nRUN python3.12 -m pip --disable-pip-version-check install --no-cache-dir flask\n',
    },
    {
      name: 'full path and version suffix',
      code: 'FROM python:3.12\nRUN /opt/venv/bin/pip3.12 install -r requirements.txt\n',
      errors: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 34, data: { command: 'pip3.12 install', dir: '~/.cache/pip' } }],
      output: 'FROM python:3.12\nRUN /opt/venv/bin/pip3.12 install --no-cache-dir -r requirements.txt\n',
    },
    {
      name: 'sudo',
      code: 'FROM python:3.12\nRUN sudo -H pip install flask\n',
      errors: [{ messageId: 'cacheLeft', line: 2, column: 13, endLine: 2, endColumn: 24 }],
      output: 'FROM python:3.12\nRUN sudo -H pip install --no-cache-dir flask\n',
    },
    {
      name: 'cleanup before the install does not count',
      code: 'FROM python:3.12\nRUN rm -rf /root/.cache/pip && pip install flask\n',
      errors: [{ messageId: 'cacheLeft', line: 2, column: 32, endLine: 2, endColumn: 43 }],
      output: 'FROM python:3.12\nRUN rm -rf /root/.cache/pip && pip install --no-cache-dir flask\n',
    },
    {
      name: 'a glob does not match the hidden .cache, a quoted glob matches nothing',
      code: 'FROM python:3.12\nRUN pip install flask && rm -rf /root/* "/root/.cache/*"\n',
      errors: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: 'FROM python:3.12\nRUN pip install --no-cache-dir flask && rm -rf /root/* "/root/.cache/*"\n',
    },
    {
      name: 'a cache mount elsewhere does not waive',
      code: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.npm pip install flask\n',
      errors: [{ messageId: 'cacheLeft', line: 2, column: 42, endLine: 2, endColumn: 53 }],
      output: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.npm pip install --no-cache-dir flask\n',
    },
    {
      name: 'XDG_CACHE_HOME moves the cache',
      code: 'FROM python:3.12\nENV XDG_CACHE_HOME=/cache\nRUN pip install flask\n',
      errors: [{ messageId: 'cacheLeft', line: 3, column: 5, endLine: 3, endColumn: 16, data: { command: 'pip install', dir: '/cache/pip' } }],
      output: 'FROM python:3.12\nENV XDG_CACHE_HOME=/cache\nRUN pip install --no-cache-dir flask\n',
    },
    {
      name: 'ENV set after the RUN does not count',
      code: 'FROM python:3.12\nRUN pip install flask\nENV PIP_NO_CACHE_DIR=1\n',
      errors: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: 'FROM python:3.12\nRUN pip install --no-cache-dir flask\nENV PIP_NO_CACHE_DIR=1\n',
    },
    // multi-stage and stage reuse
    {
      name: 'ENV of an unrelated stage does not count; base stage built on by the final one',
      code: 'FROM python:3.12 AS base\nRUN pip install flask\nFROM python:3.12 AS other\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install gunicorn\n',
      errors: [
        { messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 16 },
        { messageId: 'cacheLeft', line: 6, column: 5, endLine: 6, endColumn: 16 },
      ],
      output: 'FROM python:3.12 AS base\nRUN pip install --no-cache-dir flask\nFROM python:3.12 AS other\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install --no-cache-dir gunicorn\n',
    },
    {
      name: 'builder copied from with its cache',
      code: 'FROM python:3.12 AS build\nRUN pip install flask\nFROM python:3.12-slim\nCOPY --from=build /root /root\n',
      errors: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: 'FROM python:3.12 AS build\nRUN pip install --no-cache-dir flask\nFROM python:3.12-slim\nCOPY --from=build /root /root\n',
    },
    // syntax
    {
      name: 'heredoc',
      code: 'FROM python:3.12\nRUN <<EOF\nset -e\npip install flask\nEOF\n',
      errors: [{ messageId: 'cacheLeft', line: 4, column: 1, endLine: 4, endColumn: 12 }],
      output: 'FROM python:3.12\nRUN <<EOF\nset -e\npip install --no-cache-dir flask\nEOF\n',
    },
    {
      name: 'escape backtick, lower-case keywords',
      code: '# escape=`\nfrom python:3.12\nrun pip `\n    install flask\n',
      errors: [{ messageId: 'cacheLeft', line: 3, column: 5, endLine: 4, endColumn: 12 }],
      output: '# escape=`\nfrom python:3.12\nrun pip `\n    install --no-cache-dir flask\n',
    },
    {
      name: 'CRLF',
      code: 'FROM python:3.12\r\nRUN pip install \\\r\n    flask\r\n',
      errors: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: 'FROM python:3.12\r\nRUN pip install --no-cache-dir \\\r\n    flask\r\n',
    },
    {
      name: 'comment inside a continuation',
      code: 'FROM python:3.12\nRUN apt-get update \\\n# then the packages\n && pip install flask\n',
      errors: [{ messageId: 'cacheLeft', line: 4, column: 5, endLine: 4, endColumn: 16 }],
      output: 'FROM python:3.12\nRUN apt-get update \\\n# then the packages\n && pip install --no-cache-dir flask\n',
    },
    {
      name: 'ONBUILD',
      code: 'FROM python:3.12\nONBUILD RUN pip install -r requirements.txt\n',
      errors: [{ messageId: 'cacheLeft', line: 2, column: 13, endLine: 2, endColumn: 24 }],
      output: 'FROM python:3.12\nONBUILD RUN pip install --no-cache-dir -r requirements.txt\n',
    },
    {
      name: 'exec form',
      code: 'FROM python:3.12\nRUN ["pip", "install", "flask"]\n',
      errors: [{ messageId: 'cacheLeft', line: 2, column: 6, endLine: 2, endColumn: 22 }],
      output: 'FROM python:3.12\nRUN ["pip", "install", "--no-cache-dir", "flask"]\n',
    },
    {
      name: 'exec form through sh -c',
      code: 'FROM python:3.12\nRUN ["sh", "-c", "pip install flask"]\n',
      errors: [{ messageId: 'cacheLeft', line: 2, column: 18, endLine: 2, endColumn: 37 }],
      output: 'FROM python:3.12\nRUN ["sh", "-c", "pip install --no-cache-dir flask"]\n',
    },
    // fixes
    {
      name: '--cache-dir on the command line would turn the cache back on: not fixed',
      code: 'FROM python:3.12\nRUN pip install --cache-dir /tmp/pip flask\n',
      errors: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 16 }],
      output: null,
    },
  ],
});
