import { runRuleTests } from '../src/testing/rule-tester.js';
import rule from './clean-yarn-cache.js';

runRuleTests(rule, {
  valid: [
    'FROM node:20\nRUN yarn install --frozen-lockfile && yarn cache clean\n',
    { name: 'bare yarn', code: 'FROM node:20\nRUN yarn --frozen-lockfile && yarn cache clean --force\n' },
    { name: 'yarn global add', code: 'FROM node:20\nRUN yarn global add @vue/cli && yarn cache clean\n' },
    { name: 'rm of the cache as root', code: 'FROM node:20\nRUN yarn install && rm -rf /usr/local/share/.cache/yarn\n' },
    { name: 'rm of a user cache with a variable', code: 'FROM node:20\nARG NB_USER\nRUN yarn install && rm -rf "/home/${NB_USER}/.cache/yarn"\n' },
    { name: '--cache-folder removed afterwards', code: 'FROM node:20\nRUN yarn install --cache-folder /tmp/yc && rm -rf /tmp/yc\n' },
    { name: 'YARN_CACHE_FOLDER on a cache mount', code: 'FROM node:20\nENV YARN_CACHE_FOLDER=/yarn-cache\nRUN --mount=type=cache,target=/yarn-cache yarn install\n' },
    { name: 'one clean after several installs', code: 'FROM node:20\nRUN yarn add left-pad && yarn install && yarn cache clean\n' },
    { name: 'sudo', code: 'FROM node:20\nRUN sudo yarn install && sudo yarn cache clean\n' },
    // BuildKit mounts
    { name: 'cache mount on the cache', code: 'FROM node:20\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install\n' },
    { name: 'tmpfs mount on ~/.cache', code: 'FROM node:20\nRUN --mount=type=tmpfs,target=/root/.cache yarn install --cache-folder /root/.cache/yarn\n' },
    // not installs
    { name: 'other subcommands and options', code: 'FROM node:20\nRUN yarn --version && yarn build && yarn run test && yarn cache dir\n' },
    { name: 'PowerShell is not read', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN yarn install\n' },
    // multi-stage
    { name: 'builder copied from selectively', code: 'FROM node:20 AS build\nRUN yarn install && yarn build\nFROM nginx:1.27\nCOPY --from=build /app/dist /usr/share/nginx/html\n' },
    // syntax
    { name: 'heredoc', code: 'FROM node:20\nRUN <<EOF\nyarn install\nyarn cache clean\nEOF\n' },
    { name: 'escape backtick', code: '# escape=`\nFROM node:20\nRUN yarn install && `\n    yarn cache clean\n' },
    { name: 'CRLF', code: 'FROM node:20\r\nRUN yarn install \\\r\n && yarn cache clean\r\n' },
    { name: 'comment inside a continuation', code: 'FROM node:20\nRUN yarn install \\\n# same layer\n && yarn cache clean\n' },
    { name: 'ONBUILD', code: 'FROM node:20\nONBUILD RUN yarn install && yarn cache clean\n' },
    { name: 'exec form through sh -c', code: 'FROM node:20\nRUN ["sh", "-c", "yarn install && yarn cache clean"]\n' },
  ],
  invalid: [
    {
      name: 'yarn install',
      code: 'FROM node:20\nRUN yarn install --frozen-lockfile\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 17, data: { command: 'yarn install' } }],
      output: 'FROM node:20\nRUN yarn install --frozen-lockfile && yarn cache clean\n',
    },
    {
      name: 'bare yarn',
      code: 'FROM node:20\nRUN yarn --production\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 9, data: { command: 'yarn' } }],
      output: 'FROM node:20\nRUN yarn --production && yarn cache clean\n',
    },
    {
      name: 'yarn global add, with an option value before it',
      code: 'FROM node:20\nRUN yarn --network-timeout 100000 global add @vue/cli\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 45, data: { command: 'yarn global add' } }],
      output: 'FROM node:20\nRUN yarn --network-timeout 100000 global add @vue/cli && yarn cache clean\n',
    },
    {
      name: 'several installs, reported once on the last',
      code: 'FROM node:20\nRUN yarn add left-pad && yarn install\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 26, endLine: 2, endColumn: 38, data: { command: 'yarn install' } }],
      output: 'FROM node:20\nRUN yarn add left-pad && yarn install && yarn cache clean\n',
    },
    {
      name: 'cleanup before the install does not count',
      code: 'FROM node:20\nRUN yarn cache clean && yarn install\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 25, endLine: 2, endColumn: 37 }],
      output: 'FROM node:20\nRUN yarn cache clean && yarn install && yarn cache clean\n',
    },
    {
      name: 'rm of a cache yarn does not use',
      code: 'FROM node:20\nRUN yarn install --cache-folder /tmp/yc && rm -rf /usr/local/share/.cache/yarn\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 17 }],
      output: null,
    },
    {
      name: 'a cache mount elsewhere does not waive',
      code: 'FROM node:20\nRUN --mount=type=cache,target=/root/.npm yarn install\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 42, endLine: 2, endColumn: 54 }],
      output: 'FROM node:20\nRUN --mount=type=cache,target=/root/.npm yarn install && yarn cache clean\n',
    },
    {
      name: 'sudo',
      code: 'FROM node:20\nRUN sudo yarn install\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 10, endLine: 2, endColumn: 22 }],
      output: 'FROM node:20\nRUN sudo yarn install && sudo yarn cache clean\n',
    },
    // multi-stage and stage reuse
    {
      name: 'base stage built on by the final one',
      code: 'FROM node:20 AS deps\nRUN yarn install\nFROM deps\nRUN yarn add left-pad && yarn cache clean\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 17 }],
      output: 'FROM node:20 AS deps\nRUN yarn install && yarn cache clean\nFROM deps\nRUN yarn add left-pad && yarn cache clean\n',
    },
    // syntax
    {
      name: 'heredoc',
      code: 'FROM node:20\nRUN <<EOF\nset -e\nyarn install\nEOF\n',
      errors: [{ messageId: 'missingClean', line: 4, column: 1, endLine: 4, endColumn: 13 }],
      output: 'FROM node:20\nRUN <<EOF\nset -e\nyarn install && yarn cache clean\nEOF\n',
    },
    {
      name: 'escape backtick, lower-case keywords',
      code: '# escape=`\nfrom node:20\nrun yarn `\n    install\n',
      errors: [{ messageId: 'missingClean', line: 3, column: 5, endLine: 4, endColumn: 12 }],
      output: '# escape=`\nfrom node:20\nrun yarn `\n    install `\n    && yarn cache clean\n',
    },
    {
      name: 'CRLF',
      code: 'FROM node:20\r\nRUN yarn install \\\r\n    --production\r\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 17 }],
      output: 'FROM node:20\r\nRUN yarn install \\\r\n    --production \\\r\n    && yarn cache clean\r\n',
    },
    {
      name: 'comment inside a continuation',
      code: 'FROM node:20\nRUN yarn install \\\n# cleaned elsewhere\n && yarn build\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 17 }],
      output: 'FROM node:20\nRUN yarn install \\\n# cleaned elsewhere\n && yarn build \\\n && yarn cache clean\n',
    },
    {
      name: 'ONBUILD',
      code: 'FROM node:20\nONBUILD RUN yarn install\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 13, endLine: 2, endColumn: 25 }],
      output: 'FROM node:20\nONBUILD RUN yarn install && yarn cache clean\n',
    },
    {
      name: 'exec form',
      code: 'FROM node:20\nRUN ["yarn", "install"]\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 6, endLine: 2, endColumn: 23 }],
      output: null,
    },
    // fixes
    {
      name: 'Yarn 2+ through corepack may load packages from its cache: not fixed',
      code: 'FROM node:20\nRUN corepack enable && yarn install --immutable\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 24, endLine: 2, endColumn: 36 }],
      output: null,
    },
    {
      name: 'a copied .yarnrc.yml is Yarn 2+: not fixed',
      code: 'FROM node:20\nCOPY package.json yarn.lock .yarnrc.yml ./\nRUN yarn install\n',
      errors: [{ messageId: 'missingClean', line: 3, column: 5, endLine: 3, endColumn: 17 }],
      output: null,
    },
    {
      name: 'yarnpkg cleans with yarnpkg',
      code: 'FROM debian:12\nRUN yarnpkg install\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 5, endLine: 2, endColumn: 20 }],
      output: 'FROM debian:12\nRUN yarnpkg install && yarnpkg cache clean\n',
    },
    {
      name: 'exec form through sh -c: the clean goes into the string',
      code: 'FROM node:20\nRUN ["sh", "-c", "yarn install"]\n',
      errors: [{ messageId: 'missingClean', line: 2, column: 18, endLine: 2, endColumn: 32 }],
      output: 'FROM node:20\nRUN ["sh", "-c", "yarn install && yarn cache clean"]\n',
    },
  ],
});
