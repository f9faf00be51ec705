import { runRuleTests } from '../src/testing/rule-tester.js';
import rule from './no-latest-tag.js';

runRuleTests(rule, {
  valid: [
    'FROM debian:12\n',
    { name: 'latest pinned by a digest', code: 'FROM debian:latest@sha256:3f5a6a2b4f1c7a7f0e6a2b4f1c7a7f0e6a2b4f1c7a7f0e6a2b4f1c7a7f0e6a2b\n' },
    { name: 'no tag is another rule', code: 'FROM debian\n' },
    { name: 'a tag that only looks like it', code: 'FROM debian:latest-slim\n' },
    { name: 'scratch', code: 'FROM scratch\n' },
    // variables
    { name: 'ARG without a default is not judged', code: 'ARG TAG\nFROM debian:$TAG\n' },
    { name: 'ARG after FROM does not reach the next FROM', code: 'FROM debian:12\nARG TAG=latest\nFROM debian:${TAG}\n' },
    { name: 'FROM an earlier stage', code: 'FROM debian:12 AS build\nFROM build\n' },
  ],
  invalid: [
    {
      name: 'latest',
      code: 'FROM debian:latest\n',
      errors: [{ messageId: 'latest', line: 1, column: 13, endLine: 1, endColumn: 19, data: { image: 'debian:latest' } }],
      output: null,
    },
    {
      name: 'registry with a port',
      code: 'FROM localhost:5000/app:latest\n',
      errors: [{ messageId: 'latest', line: 1, column: 25, endLine: 1, endColumn: 31 }],
      output: null,
    },
    // variables
    {
      name: 'tag from an ARG default',
      code: 'ARG TAG=latest\nFROM debian:${TAG}\n',
      errors: [{ messageId: 'latestDefault', line: 2, column: 13, endLine: 2, endColumn: 19, data: { image: 'debian:${TAG}', resolved: 'debian:latest' } }],
      output: null,
    },
    {
      name: 'tag from a substitution default',
      code: 'ARG TAG\nFROM debian:${TAG:-latest}\n',
      errors: [{ messageId: 'latestDefault', line: 2, column: 13, endLine: 2, endColumn: 27 }],
      output: null,
    },
    {
      name: 'whole image from an ARG default',
      code: 'ARG IMAGE=debian:latest\nFROM $IMAGE\n',
      errors: [{ messageId: 'latestDefault', line: 2, column: 6, endLine: 2, endColumn: 12, data: { image: '$IMAGE', resolved: 'debian:latest' } }],
      output: null,
    },
    {
      name: 'registry from a variable with a default',
      code: 'ARG REGISTRY\nFROM ${REGISTRY:-docker.io}/debian:latest\n',
      errors: [{ messageId: 'latestDefault', line: 2, column: 36, endLine: 2, endColumn: 42 }],
      output: null,
    },
    {
      name: 'registry from an ARG without a default',
      code: 'ARG REGISTRY\nFROM $REGISTRY/debian:latest\n',
      errors: [{ messageId: 'latest', line: 2, column: 23, endLine: 2, endColumn: 29, data: { image: '$REGISTRY/debian:latest' } }],
      output: null,
    },
    // multi-stage
    {
      name: 'every stage, lower-case keywords, CRLF',
      code: 'from debian:latest as build\r\nFROM build\r\nFROM alpine:latest\r\n',
      errors: [
        { messageId: 'latest', line: 1, column: 13, endLine: 1, endColumn: 19 },
        { messageId: 'latest', line: 3, column: 13, endLine: 3, endColumn: 19, data: { image: 'alpine:latest' } },
      ],
      output: null,
    },
    // syntax
    {
      name: 'escape backtick',
      code: '# escape=`\nFROM debian:latest `\n  AS build\n',
      errors: [{ messageId: 'latest', line: 2, column: 13, endLine: 2, endColumn: 19 }],
      output: null,
    },
    {
      name: 'comment inside a continuation',
      code: 'FROM debian:latest \\\n# the base\n  AS build\n',
      errors: [{ messageId: 'latest', line: 1, column: 13, endLine: 1, endColumn: 19 }],
      output: null,
    },
  ],
});
