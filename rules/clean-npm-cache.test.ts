import { runRuleTests } from '../src/testing/rule-tester.js';
import rule from './clean-npm-cache.js';

runRuleTests(rule, {
  valid: [
    'FROM node:20\nRUN npm ci && npm cache clean --force\n',
    { name: 'global install', code: 'FROM node:20\nRUN npm install -g npm@10 && npm cache clean --force\n' },
    { name: 'aliases', code: 'FROM node:20\nRUN npm i --omit=dev && npm cache rm --force\n' },
    { name: 'rm of ~/.npm', code: 'FROM node:20\nRUN npm ci && rm -rf ~/.npm\n' },
    { name: 'rm of /root/.npm/_cacache', code: 'FROM node:20\nRUN npm ci && rm -rf /root/.npm/_cacache\n' },
    { name: 'rm of $HOME/.npm', code: 'FROM node:20\nRUN npm ci && rm -rf "$HOME/.npm"\n' },
    { name: '--cache in a temporary directory removed afterwards', code: 'FROM node:20\nRUN npm ci --cache /tmp/npm-cache && rm -rf /tmp/npm-cache\n' },
    { name: 'npm_config_cache on a cache mount', code: 'FROM node:20\nENV npm_config_cache=/npm-cache\nRUN --mount=type=cache,target=/npm-cache npm ci\n' },
    { name: 'one clean after several installs', code: 'FROM node:20\nRUN npm install -g pnpm && npm ci && npm cache clean --force\n' },
    { name: 'sudo', code: 'FROM node:20\nRUN sudo npm install -g typescript && sudo npm cache clean --force\n' },
    // BuildKit mounts
    { name: 'cache mount on ~/.npm', code: 'FROM node:20\nRUN --mount=type=cache,target=/root/.npm npm ci\n' },
    { name: 'tmpfs mount on ~/.npm', code: 'FROM node:20\nRUN --mount=type=tmpfs,target=/root/.npm npm ci\n' },
    // not installs
    { name: 'other subcommands', code: 'FROM node:20\nRUN npm run build && npm test && npm --prefix /app run install\n' },
    { name: 'PowerShell is not read', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN npm ci\n' },
    // multi-stage
    { name: 'builder copied from selectively', code: 'FROM node:20 AS build\nRUN npm ci && npm run build\nFROM nginx:1.27\nCOPY --from=build /app/dist /usr/share/nginx/html\n' },
    // syntax
    { name: 'heredoc', code: 'FROM node:20\nRUN <<EOF\nnpm ci\nnpm cache clean --force\nEOF\n' },
    { name: 'escape backtick', code: '# escape=`\nFROM node:20\nRUN npm ci && `\n    npm cache clean --force\n' },
    { name: 'CRLF', code: 'FROM node:20\r\nRUN npm ci \\\r\n && npm cache clean --force\r\n' },
    { name: 'comment inside a continuation', code: 'FROM node:20\nRUN npm ci \\\n# same layer\n && npm cache clean --force\n' },
    { name: 'ONBUILD', code: 'FROM node:20\nONBUILD RUN npm ci && npm cache clean --force\n' },
    { name: 'exec form through sh -c', code: 'FROM node:20\nRUN ["sh", "-c", "npm ci && npm cache clean --force"]\n' },
  ],
  invalid: [
    {
      name: 'npm ci',
      code: 'FROM node:20\nRUN npm ci\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 11, data: { command: 'npm ci', dir: '~/.npm' } }],
      output: 'FROM node:20\nRUN npm ci && npm cache clean --force\n',
    },
    {
      name: 'npm install -g npm costs the same',
      code: 'FROM node:20\nRUN npm install -g npm@10.8.2\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 16, data: { command: 'npm install', dir: '~/.npm' } }],
      output: 'FROM node:20\nRUN npm install -g npm@10.8.2 && npm cache clean --force\n',
    },
    {
      name: 'option value before the subcommand',
      code: 'FROM node:20\nRUN npm --prefix /app i\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 24, data: { command: 'npm i', dir: '~/.npm' } }],
      output: 'FROM node:20\nRUN npm --prefix /app i && npm cache clean --force\n',
    },
    {
      name: '--cache names the directory',
      code: 'FROM node:20\nRUN npm ci --cache=/tmp/npm-cache\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 11, data: { command: 'npm ci', dir: '/tmp/npm-cache' } }],
      output: null,
    },
    {
      name: 'several installs, reported once on the last',
      code: 'FROM node:20\nRUN npm install -g pnpm && npm ci\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 28, endLine: 2, endColumn: 34 }],
      output: 'FROM node:20\nRUN npm install -g pnpm && npm ci && npm cache clean --force\n',
    },
    {
      name: 'cleanup before the install does not count',
      code: 'FROM node:20\nRUN npm cache clean --force && npm ci\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 32, endLine: 2, endColumn: 38 }],
      output: 'FROM node:20\nRUN npm cache clean --force && npm ci && npm cache clean --force\n',
    },
    {
      name: 'a glob under /root does not match the hidden .npm',
      code: 'FROM node:20\nRUN npm ci && rm -rf /root/*\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 11 }],
      output: 'FROM node:20\nRUN npm ci && rm -rf /root/* && npm cache clean --force\n',
    },
    {
      name: 'a cache mount elsewhere does not waive',
      code: 'FROM node:20\nRUN --mount=type=cache,target=/root/.npm/_logs npm ci\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 48, endLine: 2, endColumn: 54 }],
      output: 'FROM node:20\nRUN --mount=type=cache,target=/root/.npm/_logs npm ci && npm cache clean --force\n',
    },
    {
      name: 'sudo',
      code: 'FROM node:20\nRUN sudo npm ci\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 10, endLine: 2, endColumn: 16 }],
      output: 'FROM node:20\nRUN sudo npm ci && sudo npm cache clean --force\n',
    },
    // multi-stage and stage reuse
    {
      name: 'base stage built on by the final one',
      code: 'FROM node:20 AS deps\nRUN npm ci\nFROM deps\nRUN npm install left-pad && npm cache clean --force\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 11 }],
      output: 'FROM node:20 AS deps\nRUN npm ci && npm cache clean --force\nFROM deps\nRUN npm install left-pad && npm cache clean --force\n',
    },
    // syntax
    {
      name: 'heredoc',
      code: 'FROM node:20\nRUN <<EOF\nset -e\nnpm ci\nEOF\n',
      errors: [{ messageId: 'missingClean', line: 4, column: 1, endLine: 4, endColumn: 7 }],
      output: 'FROM node:20\nRUN <<EOF\nset -e\nnpm ci && npm cache clean --force\nEOF\n',
    },
    {
      name: 'escape backtick, lower-case keywords',
      code: '# escape=`\nfrom node:20\nrun npm `\n    ci\n',
      errors: [{ messageId: 'missingClean', line: 3, column: 5, endLine: 4, endColumn: 7 }],
      output: '# escape=`\nfrom node:20\nrun npm `\n    ci `\n    && npm cache clean --force\n',
    },
    {
      name: 'CRLF',
      code: 'FROM node:20\r\nRUN npm ci \\\r\n    --omit=dev\r\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 11 }],
      output: 'FROM node:20\r\nRUN npm ci \\\r\n    --omit=dev \\\r\n    && npm cache clean --force\r\n',
    },
    {
      name: 'comment inside a continuation',
      code: 'FROM node:20\nRUN npm ci \\\n# cleaned elsewhere\n && npm run build\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 11 }],
      output: 'FROM node:20\nRUN npm ci \\\n# cleaned elsewhere\n && npm run build \\\n && npm cache clean --force\n',
    },
    {
      name: 'ONBUILD',
      code: 'FROM node:20\nONBUILD RUN npm ci\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 13, endLine: 2, endColumn: 19 }],
      output: 'FROM node:20\nONBUILD RUN npm ci && npm cache clean --force\n',
    },
    {
      name: 'exec form',
      code: 'FROM node:20\nRUN ["npm", "ci"]\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 6, endLine: 2, endColumn: 17 }],
      output: null,
    },
    // fixes
    {
      name: '&& at line ends: the clean on a new line',
      code: 'FROM node:20\nRUN npm ci && \\\n    npm run build\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 11 }],
      output: 'FROM node:20\nRUN npm ci && \\\n    npm run build && \\\n    npm cache clean --force\n',
    },
    {
      name: 'exec form through sh -c: the clean goes into the string',
      code: 'FROM node:20\nRUN ["sh", "-c", "npm ci"]\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 18, endLine: 2, endColumn: 26 }],
      output: 'FROM node:20\nRUN ["sh", "-c", "npm ci && npm cache clean --force"]\n',
    },
    {
      name: 'run as another user: not fixed',
      code: 'FROM node:20\nRUN sudo -u node npm ci\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 18, endLine: 2, endColumn: 24 }],
      output: null,
    },
  ],
});
