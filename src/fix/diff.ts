import { createTwoFilesPatch } from 'diff';

/** A unified diff of one file's fix, as `git diff` shows it. */
export function unifiedDiff(filePath: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${filePath}`, `b/${filePath}`, before, after, undefined, undefined, { context: 3 });
}
