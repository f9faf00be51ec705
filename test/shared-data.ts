import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** ../shared beside the repository: real data for tests, read when present, never copied in. */
export const sharedDir = resolve(import.meta.dirname, '..', '..', 'shared');
export const corpusDir = join(sharedDir, 'data', 'corpus');
export const hasCorpus = existsSync(join(corpusDir, 'MANIFEST.tsv'));

export function skipMessage(what: string): string {
  return `skipped: ${what} not found at ${sharedDir} (the shared data set is not present on this machine)`;
}

/** Corpus files from MANIFEST.tsv, as absolute paths. */
export function corpusFiles(): string[] {
  const rows = readFileSync(join(corpusDir, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
  return rows.map((r) => join(corpusDir, r.split('\t')[3] as string));
}
