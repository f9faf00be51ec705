// SHA-256 with node:crypto loaded on first use rather than with the module: a one-file run whose
// family rules never compare layers hashes nothing, and loading crypto is a few ms of its start.
import { createRequire } from 'node:module';
import type { Hash } from 'node:crypto';

let crypto: typeof import('node:crypto') | undefined;

export function sha256(): Hash {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return crypto.createHash('sha256');
}
