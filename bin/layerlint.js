#!/usr/bin/env node
// The installed command: runs the CLI with the real process streams. It prefers the bundle
// (dist/layerlint.mjs, one file to load: see scripts/build-bundle.mjs) and falls back to the
// compiled modules of a checkout where only tsc has run.
import { existsSync } from 'node:fs';
import module from 'node:module';
import process from 'node:process';
import { setFlagsFromString } from 'node:v8';

// V8 recompiles the hot functions of the shell parser's WebAssembly in the background with its
// optimizing tier, and Node waits for that work before the process may exit: about half a second
// after the report of a small file is written. The baseline tier alone lints as fast, on two cores
// faster, so the optimizing tier is turned off before any WebAssembly is compiled.
setFlagsFromString('--liftoff-only');
// Node 22 and later can keep compiled code between runs; older versions do not have this.
module.enableCompileCache?.();

// `layerlint ... | head` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const bundle = new URL('../dist/layerlint.mjs', import.meta.url);
const entry = existsSync(bundle) ? bundle.href : '../dist/src/cli/main.js';
const { main } = await import(entry).catch((error) => {
  process.stderr.write(`layerlint: cannot load ${entry} (run npm run build): ${error.message}\n`);
  process.exit(2);
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
});
