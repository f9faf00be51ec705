import { runRuleTests } from '../src/testing/rule-tester.js';
import rule from './copy-before-dependency-install.js';

const NODE = '`package.json` and its lockfile';

runRuleTests(rule, {
  valid: [
    { name: 'manifests first, then the install, then the source', code: 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n' },
    { name: 'no install after the COPY', code: 'FROM nginx:1.27-alpine\nCOPY . /usr/share/nginx/html\n' },
    { name: 'named packages are not a manifest install', code: 'FROM node:20-slim\nCOPY . .\nRUN npm install -g typescript && pip install flask\n' },
    { name: 'installing the project itself needs its source', code: 'FROM python:3.12-slim\nCOPY . /src\nRUN pip install /src\n' },
    { name: 'a later install of the same ecosystem is a refresh', code: 'FROM node:20-slim\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\nCOPY . .\nRUN yarn install --offline\n' },
    { name: 'a directory that does not hold the manifests', code: 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json ./\nCOPY src ./src\nRUN npm ci\n' },
    { name: 'COPY --from is not the build context', code: 'FROM node:20-slim AS src\nFROM node:20-slim\nCOPY --from=src . .\nRUN npm ci\n' },
    { name: 'multi-stage: a sibling stage does not share the COPY', code: 'FROM golang:1.22 AS a\nCOPY . .\nFROM golang:1.22 AS b\nRUN go mod download\n' },
    { name: 'ONBUILD: manifests first in the triggers', code: 'FROM node:20-slim\nONBUILD COPY package.json /app/\nONBUILD RUN npm install\nONBUILD COPY . /app/\n' },
    { name: 'heredoc: the install runs before the COPY', code: 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN <<EOF\npip install -r requirements.txt\nEOF\nCOPY . .\n' },
    { name: 'exec form before the COPY', code: 'FROM mcr.microsoft.com/dotnet/sdk:8.0\nCOPY app.csproj ./\nRUN ["dotnet", "restore"]\nCOPY . .\n' },
  ],
  invalid: [
    {
      name: 'the whole context before npm ci',
      code: 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\n',
      errors: [{ messageId: 'copyBeforeInstall', line: 3, column: 1, endLine: 3, endColumn: 9, data: { source: 'the whole build context', command: 'npm ci', line: 4, manifests: NODE } }],
      output: null,
    },
    {
      name: 'manifests copied, but the install placed after the broad COPY',
      code: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nCOPY . .\nRUN pip install -r requirements.txt\n',
      errors: [{ messageId: 'installAfterBroadCopy', line: 4, column: 1, endLine: 4, endColumn: 9, data: { source: 'the whole build context', command: 'pip install -r requirements.txt', line: 5, manifestLine: 3 } }],
      output: null,
    },
    {
      name: 'a directory whose contents land where the manifests are read',
      code: 'FROM node:20-slim\nCOPY app/ /srv/app/\nWORKDIR /srv/app\nRUN npm ci\n',
      errors: [{ messageId: 'copyBeforeInstall', line: 2, column: 1, endLine: 2, endColumn: 20, data: { source: '`app/`', command: 'npm ci', line: 4, manifests: NODE } }],
      output: null,
    },
    {
      name: 'cd into the copied directory',
      code: 'FROM golang:1.22\nCOPY backend /code\nRUN cd /code && go mod download\n',
      errors: [{ messageId: 'copyBeforeInstall', line: 2, column: 1, endLine: 2, endColumn: 19, data: { source: '`backend`', command: 'go mod download', line: 3, manifests: '`go.mod` and `go.sum`' } }],
      output: null,
    },
    {
      name: 'one report per COPY, for the first install after it',
      code: 'FROM python:3.12\nCOPY . .\nRUN npm ci\nRUN pip install -r requirements.txt\n',
      errors: [{ messageId: 'copyBeforeInstall', line: 2, column: 1, endLine: 2, endColumn: 9, data: { source: 'the whole build context', command: 'npm ci', line: 3, manifests: NODE } }],
      output: null,
    },
    {
      name: 'multi-stage: the COPY in a parent stage, the install in a child',
      code: 'FROM golang:1.22 AS base\nWORKDIR /src\nCOPY . .\nFROM base AS deps\nRUN go mod download\nFROM scratch\nCOPY --from=deps /go/bin/app /app\n',
      errors: [{ messageId: 'copyBeforeInstall', line: 3, column: 1, endLine: 3, endColumn: 9, data: { source: 'the whole build context', command: 'go mod download', line: 5, manifests: '`go.mod` and `go.sum`' } }],
      output: null,
    },
    {
      name: 'multi-stage: a stage built only with --target still re-runs its install',
      code: 'FROM node:20-slim AS dev\nCOPY . .\nRUN yarn\nFROM nginx:1.27-alpine\nCOPY index.html /usr/share/nginx/html/\n',
      errors: [{ messageId: 'copyBeforeInstall', line: 2, column: 1, endLine: 2, endColumn: 9, data: { source: 'the whole build context', command: 'yarn', line: 3, manifests: NODE } }],
      output: null,
    },
    {
      name: 'heredoc body is read as shell',
      code: 'FROM python:3.12-slim\nCOPY . .\nRUN <<EOF\nset -e\npip install -r requirements/prod.txt\nEOF\n',
      errors: [{ messageId: 'copyBeforeInstall', line: 2, column: 1, endLine: 2, endColumn: 9, data: { source: 'the whole build context', command: 'pip install -r requirements/prod.txt', line: 3, manifests: '`requirements/prod.txt`' } }],
      output: null,
    },
    {
      name: 'exec form',
      code: 'FROM mcr.microsoft.com/dotnet/sdk:8.0\nCOPY . ./\nRUN ["dotnet", "restore"]\n',
      errors: [{ messageId: 'copyBeforeInstall', line: 2, column: 1, endLine: 2, endColumn: 10, data: { source: 'the whole build context', command: 'dotnet restore', line: 3, manifests: 'the project files (`*.csproj`, `*.sln`)' } }],
      output: null,
    },
    {
      name: 'ONBUILD triggers form their own sequence',
      code: 'FROM node:20-slim\nONBUILD COPY . /app\nONBUILD RUN cd /app && npm install\n',
      errors: [{ messageId: 'copyBeforeInstall', line: 2, column: 9, endLine: 2, endColumn: 20, data: { source: 'the whole build context', command: 'npm install', line: 3, manifests: NODE } }],
      output: null,
    },
    {
      name: 'wrappers: env and sudo',
      code: 'FROM ruby:3.3-slim\nCOPY . .\nRUN env BUNDLE_FROZEN=1 sudo bundle install\n',
      errors: [{ messageId: 'copyBeforeInstall', line: 2, column: 1, endLine: 2, endColumn: 9, data: { source: 'the whole build context', command: 'bundle install', line: 3, manifests: '`Gemfile` and `Gemfile.lock`' } }],
      output: null,
    },
    {
      name: 'a cache mount speeds the install up but does not keep it cached',
      code: 'FROM node:20-slim\nCOPY . .\nRUN --mount=type=cache,target=/root/.npm npm ci\n',
      errors: [{ messageId: 'copyBeforeInstall', line: 2, column: 1, endLine: 2, endColumn: 9 }],
      output: null,
    },
    {
      name: 'lower-case keywords',
      code: 'from php:8.3-cli\ncopy . /var/www\nworkdir /var/www\nrun composer install --no-dev\n',
      errors: [{ messageId: 'copyBeforeInstall', line: 2, column: 1, endLine: 2, endColumn: 16, data: { source: 'the whole build context', command: 'composer install', line: 4, manifests: '`composer.json` and `composer.lock`' } }],
      output: null,
    },
    {
      name: 'escape directive with a backtick continuation',
      code: '# escape=`\nFROM rust:1.80\nCOPY . .\nRUN cd /work `\n && cargo fetch\n',
      errors: [{ messageId: 'copyBeforeInstall', line: 3, column: 1, endLine: 3, endColumn: 9, data: { source: 'the whole build context', command: 'cargo fetch', line: 4, manifests: '`Cargo.toml` and `Cargo.lock`' } }],
      output: null,
    },
    {
      name: 'CRLF line endings',
      code: 'FROM maven:3.9-eclipse-temurin-21\r\nCOPY . .\r\nRUN mvn -B dependency:go-offline\r\n',
      errors: [{ messageId: 'copyBeforeInstall', line: 2, column: 1, endLine: 2, endColumn: 9, data: { source: 'the whole build context', command: 'mvn dependency:go-offline', line: 3, manifests: '`pom.xml`' } }],
      output: null,
    },
    {
      name: 'comment inside a continuation',
      code: 'FROM python:3.12-slim\nCOPY . .\nRUN apt-get update \\\n# then the project dependencies\n && poetry install --no-root\n',
      errors: [{ messageId: 'copyBeforeInstall', line: 2, column: 1, endLine: 2, endColumn: 9, data: { source: 'the whole build context', command: 'poetry install', line: 3, manifests: '`pyproject.toml` and `poetry.lock`' } }],
      output: null,
    },
  ],
});
