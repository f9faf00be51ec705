// The entry point of the GitHub Action, bundled into action/dist/index.js (see action.yml).
import process from 'node:process';
import { runAction } from './run.js';

process.exitCode = await runAction({ env: process.env, stdout: process.stdout });
