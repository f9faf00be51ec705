import { runRuleTests } from '../src/testing/rule-tester.js';
import rule from './pin-base-image-tag.js';

runRuleTests(rule, {
  valid: [
    'FROM debian:12\n',
    { name: 'digest', code: 'FROM debian@sha256:3f5a6a2b4f1c7a7f0e6a2b4f1c7a7f0e6a2b4f1c7a7f0e6a2b4f1c7a7f0e6a2b\n' },
    { name: 'registry with a port and a tag', code: 'FROM localhost:5000/app:1.2\n' },
    { name: 'scratch', code: 'FROM scratch\nCOPY app /app\n' },
    // variables
    { name: 'ARG default with a tag', code: 'ARG BASE=debian:12\nFROM ${BASE}\n' },
    { name: 'ARG without a default is not judged', code: 'ARG BASE\nFROM $BASE\n' },
    { name: 'tag from an ARG without a default', code: 'ARG VERSION\nFROM debian:$VERSION\n' },
    { name: 'name suffix from an ARG without a default', code: 'ARG VARIANT\nFROM python$VARIANT\n' },
    { name: 'registry from an ARG without a default, with a tag', code: 'ARG REGISTRY\nFROM ${REGISTRY}/debian:12\n' },
    // multi-stage
    { name: 'FROM an earlier stage', code: 'FROM debian:12 AS build\nRUN make\nFROM build\n' },
    { name: 'stage names ignore case', code: 'from debian:12 as Build\nFROM BUILD\n' },
  ],
  invalid: [
    {
      name: 'no tag',
      code: 'FROM debian\n',
      errors: [{ messageId: 'untagged', line: 1, column: 6, endLine: 1, endColumn: 12, data: { image: 'debian' } }],
      output: null,
    },
    {
      name: 'registry with a port but no tag',
      code: 'FROM localhost:5000/app\n',
      errors: [{ messageId: 'untagged', line: 1, column: 6, endLine: 1, endColumn: 24, data: { image: 'localhost:5000/app' } }],
      output: null,
    },
    {
      name: 'ARG default without a tag, after --platform',
      code: 'ARG BASE=debian\nFROM --platform=$BUILDPLATFORM ${BASE} AS build\n',
      errors: [{ messageId: 'untaggedDefault', line: 2, column: 32, endLine: 2, endColumn: 39, data: { image: '${BASE}', resolved: 'debian' } }],
      output: null,
    },
    {
      name: 'registry from an ARG without a default, no tag',
      code: 'ARG REGISTRY\nFROM ${REGISTRY}/library/debian\n',
      errors: [{ messageId: 'untagged', line: 2, column: 6, endLine: 2, endColumn: 32, data: { image: '${REGISTRY}/library/debian' } }],
      output: null,
    },
    // multi-stage
    {
      name: 'a stage defined later is not a stage yet',
      code: 'FROM build\nFROM debian:12 AS build\n',
      errors: [{ messageId: 'untagged', line: 1, column: 6, endLine: 1, endColumn: 11, data: { image: 'build' } }],
      output: null,
    },
    {
      name: 'lower-case keywords, CRLF, FROM of the stage not reported',
      code: 'from debian as build\r\nFROM build\r\n',
      errors: [{ messageId: 'untagged', line: 1, column: 6, endLine: 1, endColumn: 12 }],
      output: null,
    },
    // syntax
    {
      name: 'escape backtick',
      code: '# escape=`\nFROM debian `\n  AS build\n',
      errors: [{ messageId: 'untagged', line: 2, column: 6, endLine: 2, endColumn: 12 }],
      output: null,
    },
    {
      name: 'comment inside a continuation',
      code: 'FROM debian \\\n# the base\n  AS build\n',
      errors: [{ messageId: 'untagged', line: 1, column: 6, endLine: 1, endColumn: 12 }],
      output: null,
    },
  ],
});
