import { runRuleTests } from '../src/testing/rule-tester.js';
import rule from './clean-apt-cache.js';

runRuleTests(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
    // cleanup forms
    { name: 'rm of the directory itself', code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists\n' },
    { name: 'rm among other paths, lower-case keywords', code: 'from debian:12\nrun apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/* /tmp/*\n' },
    { name: 'glob outside the quotes expands', code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf "/var/lib/apt/lists/"*\n' },
    { name: 'find -delete', code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && find /var/lib/apt/lists -type f -delete\n' },
    { name: 'apt-get distclean', code: 'FROM debian:13\nRUN apt-get update && apt-get install -y curl && apt-get distclean\n' },
    { name: 'sudo', code: 'FROM debian:12\nRUN sudo apt-get update && sudo apt-get install -y curl && sudo rm -rf /var/lib/apt/lists/*\n' },
    // what does not write the lists
    { name: 'install without update writes no lists in this layer', code: 'FROM debian:12\nRUN apt-get install -y curl\n' },
    { name: 'PowerShell is not read', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN apt-get update\n' },
    // BuildKit mounts keep the lists out of the layer
    { name: 'cache mount on the lists', code: 'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update && apt-get install -y curl\n' },
    { name: 'cache mounts on /var/lib/apt and /var/cache/apt', code: 'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y curl\n' },
    { name: 'tmpfs mount on the lists', code: 'FROM debian:12\nRUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y curl\n' },
    // multi-stage
    { name: 'builder copied from selectively', code: 'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian:12\nCOPY --from=build /usr/bin/gcc /usr/bin/gcc\n' },
    { name: 'stage that nothing uses', code: 'FROM debian:12 AS unused\nRUN apt-get update && apt-get install -y curl\nFROM debian:12\nRUN echo hi\n' },
    { name: 'stage only mounted from', code: 'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian:12\nRUN --mount=from=build,source=/usr/bin/gcc,target=/gcc cp /gcc /usr/local/bin/\n' },
    // syntax
    { name: 'heredoc', code: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nrm -rf /var/lib/apt/lists/*\nEOF\n' },
    { name: 'escape backtick', code: '# escape=`\nFROM debian:12\nRUN apt-get update && `\n    apt-get install -y curl && `\n    rm -rf /var/lib/apt/lists/*\n' },
    { name: 'CRLF', code: 'FROM debian:12\r\nRUN apt-get update \\\r\n && apt-get install -y curl \\\r\n && rm -rf /var/lib/apt/lists/*\r\n' },
    { name: 'comment inside a continuation', code: 'FROM debian:12\nRUN apt-get update \\\n# clean up in the same layer\n && apt-get install -y curl \\\n && rm -rf /var/lib/apt/lists/*\n' },
    { name: 'ONBUILD', code: 'FROM debian:12\nONBUILD RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n' },
    { name: 'exec form through sh -c', code: 'FROM debian:12\nRUN ["sh", "-c", "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*"]\n' },
  ],
  invalid: [
    {
      name: 'install without cleanup',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n',
      errors: [{ messageId: 'listsLeft', line: 2, column: 23, endLine: 2, endColumn: 38, data: { command: 'apt-get install' } }],
      output: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'update alone, cleaned in a later layer',
      code: 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
      errors: [{ messageId: 'listsLeft', line: 2, column: 5, endLine: 2, endColumn: 19, data: { command: 'apt-get update' } }],
      output: null,
    },
    {
      name: 'cleanup before the install does not count',
      code: 'FROM debian:12\nRUN apt-get update && rm -rf /var/lib/apt/lists/* && apt-get install -y curl\n',
      errors: [{ messageId: 'listsLeft', line: 2, column: 54, endLine: 2, endColumn: 69 }],
      output: 'FROM debian:12\nRUN apt-get update && rm -rf /var/lib/apt/lists/* && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'apt-get clean keeps the lists',
      code: 'FROM debian:12\nRUN apt-get update && sudo apt-get -o Dpkg::Options::=--force-confnew install -y curl && apt-get clean\n',
      errors: [{ messageId: 'cleanKeepsLists', line: 2, column: 28, endLine: 2, endColumn: 78, data: { command: 'apt-get install', clean: 'apt-get clean' } }],
      output: 'FROM debian:12\nRUN apt-get update && sudo apt-get -o Dpkg::Options::=--force-confnew install -y curl && apt-get clean && sudo rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'quoted glob removes nothing',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf "/var/lib/apt/lists/*"\n',
      errors: [{ messageId: 'quotedGlob', line: 2, column: 23, endLine: 2, endColumn: 38, data: { command: 'apt-get install', word: '"/var/lib/apt/lists/*"' } }],
      output: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'a cache mount elsewhere does not waive',
      code: 'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists/partial apt-get update && apt-get install -y curl\n',
      errors: [{ messageId: 'listsLeft', line: 2, column: 76, endLine: 2, endColumn: 91 }],
      output: 'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists/partial apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
    },
    // multi-stage and stage reuse
    {
      name: 'apt and aptitude, base stage built on by the final one',
      code: 'FROM debian:12 AS base\nRUN apt update && apt install -y curl\nFROM base\nRUN aptitude update && aptitude install -y git\n',
      errors: [
        { messageId: 'listsLeft', line: 2, column: 19, endLine: 2, endColumn: 30, data: { command: 'apt install' } },
        { messageId: 'listsLeft', line: 4, column: 24, endLine: 4, endColumn: 40, data: { command: 'aptitude install' } },
      ],
      output: 'FROM debian:12 AS base\nRUN apt update && apt install -y curl && rm -rf /var/lib/apt/lists/*\nFROM base\nRUN aptitude update && aptitude install -y git && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'stage copied whole',
      code: 'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM scratch\nCOPY --from=build / /\n',
      errors: [{ messageId: 'listsLeft', line: 2, column: 23, endLine: 2, endColumn: 38 }],
      output: 'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*\nFROM scratch\nCOPY --from=build / /\n',
    },
    // syntax
    {
      name: 'heredoc',
      code: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n',
      errors: [{ messageId: 'listsLeft', line: 4, column: 1, endLine: 4, endColumn: 16 }],
      output: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl && rm -rf /var/lib/apt/lists/*\nEOF\n',
    },
    {
      name: 'escape backtick',
      code: '# escape=`\nFROM debian:12\nRUN apt-get update && `\n    apt-get install -y curl\n',
      errors: [{ messageId: 'listsLeft', line: 4, column: 5, endLine: 4, endColumn: 20 }],
      output: '# escape=`\nFROM debian:12\nRUN apt-get update && `\n    apt-get install -y curl && `\n    rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'CRLF',
      code: 'FROM debian:12\r\nRUN apt-get update \\\r\n && apt-get install -y curl\r\n',
      errors: [{ messageId: 'listsLeft', line: 3, column: 5, endLine: 3, endColumn: 20 }],
      output: 'FROM debian:12\r\nRUN apt-get update \\\r\n && apt-get install -y curl \\\r\n && rm -rf /var/lib/apt/lists/*\r\n',
    },
    {
      name: 'comment inside a continuation',
      code: 'FROM debian:12\nRUN apt-get update \\\n# the tools\n && apt-get install -y curl\n',
      errors: [{ messageId: 'listsLeft', line: 4, column: 5, endLine: 4, endColumn: 20 }],
      output: 'FROM debian:12\nRUN apt-get update \\\n# the tools\n && apt-get install -y curl \\\n && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'ONBUILD',
      code: 'FROM debian:12\nONBUILD RUN apt-get update && apt-get install -y curl\n',
      errors: [{ messageId: 'listsLeft', line: 2, column: 31, endLine: 2, endColumn: 46 }],
      output: 'FROM debian:12\nONBUILD RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'exec form through sh -c',
      code: 'FROM debian:12\nRUN ["sh", "-c", "apt-get update && apt-get install -y curl"]\n',
      errors: [{ messageId: 'listsLeft', line: 2, column: 18, endLine: 2, endColumn: 61 }],
      output: 'FROM debian:12\nRUN ["sh", "-c", "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*"]\n',
    },
    {
      name: 'exec form without a shell',
      code: 'FROM debian:12\nRUN ["apt-get", "update"]\n',
      errors: [{ messageId: 'listsLeft', line: 2, column: 6, endLine: 2, endColumn: 25, data: { command: 'apt-get update' } }],
      output: null,
    },
    {
      name: 'sudo, lower-case keyword',
      code: 'FROM debian:12\nrun sudo apt-get update && sudo apt-get install -y curl\n',
      errors: [{ messageId: 'listsLeft', line: 2, column: 33, endLine: 2, endColumn: 48 }],
      output: 'FROM debian:12\nrun sudo apt-get update && sudo apt-get install -y curl && sudo rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'unrelated cache mount',
      code: 'FROM debian:12\nRUN --mount=type=cache,target=/root/.cache apt-get update && apt-get install -y curl\n',
      errors: [{ messageId: 'listsLeft', line: 2, column: 62, endLine: 2, endColumn: 77 }],
      output: 'FROM debian:12\nRUN --mount=type=cache,target=/root/.cache apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
    },
    // fixes
    {
      name: 'apt-get clean alone: the fix adds the rm on a new line, && first, in the file indentation',
      code: 'FROM debian:12-slim\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends ca-certificates curl \\\n    && apt-get clean\n',
      errors: [{ messageId: 'cleanKeepsLists', line: 3, column: 8, endLine: 3, endColumn: 23 }],
      output: 'FROM debian:12-slim\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends ca-certificates curl \\\n    && apt-get clean \\\n    && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'after `|| true` the rm runs whatever the install did',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl || true\n',
      errors: [{ messageId: 'listsLeft', line: 2, column: 23, endLine: 2, endColumn: 38 }],
      output: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl || true && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'a trailing `;` stays last',
      code: 'FROM debian:12\nRUN apt-get update; apt-get install -y curl;\n',
      errors: [{ messageId: 'listsLeft', line: 2, column: 21, endLine: 2, endColumn: 36 }],
      output: 'FROM debian:12\nRUN apt-get update; apt-get install -y curl && rm -rf /var/lib/apt/lists/*;\n',
    },
    {
      name: 'an install sent to the background: not fixed',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl &\n',
      errors: [{ messageId: 'listsLeft', line: 2, column: 23, endLine: 2, endColumn: 38 }],
      output: null,
    },
    {
      name: 'a later RUN installs from these lists: not fixed',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get install -y git\n',
      errors: [{ messageId: 'listsLeft', line: 2, column: 23, endLine: 2, endColumn: 38 }],
      output: null,
    },
    {
      name: 'a stage built on this one installs from these lists: not fixed',
      code: 'FROM debian:12 AS base\nRUN apt-get update && apt-get install -y curl\nFROM base\nRUN apt-get install -y git\n',
      errors: [{ messageId: 'listsLeft', line: 2, column: 23, endLine: 2, endColumn: 38 }],
      output: null,
    },
    {
      name: 'a later RUN that updates first does not need these lists',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\n',
      errors: [{ messageId: 'listsLeft', line: 2, column: 23, endLine: 2, endColumn: 38 }],
      output: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'quoted glob in sh -c: unquoted inside the JSON string',
      code: 'FROM debian:12\nRUN ["sh", "-c", "apt-get update && apt-get install -y curl && rm -rf \\"/var/lib/apt/lists/*\\""]\n',
      errors: [{ messageId: 'quotedGlob', line: 2, column: 18, endLine: 2, endColumn: 96 }],
      output: 'FROM debian:12\nRUN ["sh", "-c", "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*"]\n',
    },
    {
      name: 'quoted glob, but a later RUN installs from the lists: not fixed',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf "/var/lib/apt/lists/*"\nRUN apt-get install -y git\n',
      errors: [{ messageId: 'quotedGlob', line: 2, column: 23, endLine: 2, endColumn: 38 }],
      output: null,
    },
    {
      name: 'heredoc run by bash: the rm ends the last line of the body',
      code: 'FROM debian:12\nRUN <<EOF bash\nset -e\napt-get update\napt-get install -y curl\nEOF\n',
      errors: [{ messageId: 'listsLeft', line: 5, column: 1, endLine: 5, endColumn: 16 }],
      output: 'FROM debian:12\nRUN <<EOF bash\nset -e\napt-get update\napt-get install -y curl && rm -rf /var/lib/apt/lists/*\nEOF\n',
    },
    {
      name: 'heredoc whose last command writes a heredoc of its own: not fixed',
      code: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\ncat > /etc/motd <<EOT\nhi\nEOT\nEOF\n',
      errors: [{ messageId: 'listsLeft', line: 4, column: 1, endLine: 4, endColumn: 16 }],
      output: null,
    },
    {
      name: 'a heredoc after the install on the instruction line: not fixed',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && cat > /etc/motd <<EOT\nhi\nEOT\n',
      errors: [{ messageId: 'listsLeft', line: 2, column: 23, endLine: 2, endColumn: 38 }],
      output: null,
    },
  ],
});
