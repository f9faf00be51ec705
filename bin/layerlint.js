#!/usr/bin/env node
// The installed command: runs the compiled CLI with the real process streams.
import process from 'node:process';

// `layerlint ... | head` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const { main } = await import('../dist/src/cli/main.js').catch((error) => {
  process.stderr.write(`layerlint: cannot load dist/src/cli/main.js (run npm run build): ${error.message}\n`);
  process.exit(2);
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
});
