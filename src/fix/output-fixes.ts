import path from 'node:path';
import type { LintResult } from '../linter/diagnostic.js';
import { writeFileAtomic } from './write-file.js';

export interface FixWriteFailure {
  filePath: string;
  reason: string;
}

/** Writes every result's fixed text over its file, atomically; returns the files that could not be written. */
export function outputFixes(results: readonly LintResult[], cwd: string): FixWriteFailure[] {
  const failures: FixWriteFailure[] = [];
  for (const r of results) {
    if (r.output === undefined) continue;
    try {
      writeFileAtomic(path.resolve(cwd, r.filePath), r.output);
    } catch (error) {
      failures.push({ filePath: r.filePath, reason: (error as NodeJS.ErrnoException).code ?? String(error) });
    }
  }
  return failures;
}
