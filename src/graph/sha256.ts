// SHA-256 with node:crypto loaded on first use rather than with the module: a one-file run whose
// family rules never compare layers hashes nothing, and loading crypto is a few ms of its start.
import { createRequire } from 'node:module';
import type { Hash } from 'node:crypto';

type Crypto = typeof import('node:crypto') & {
  /** One-shot digest (Node 20.12+): no Hash object per call, which the graph's many short keys feel. */
  hash?: (algorithm: string, data: string, outputEncoding: 'hex') => string;
};

let crypto: Crypto | undefined;

function load(): Crypto {
  crypto ??= createRequire(import.meta.url)('node:crypto') as Crypto;
  return crypto;
}

export function sha256(): Hash {
  return load().createHash('sha256');
}

/** The hex SHA-256 of a string. */
export function sha256Hex(text: string): string {
  const c = load();
  return c.hash ? c.hash('sha256', text, 'hex') : c.createHash('sha256').update(text).digest('hex');
}
