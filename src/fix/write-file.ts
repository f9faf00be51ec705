import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync, chmodSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces a file's content atomically: the new text goes to a temporary file beside it, which is
 * then renamed over the original. A reader, or a process killed half-way, sees the old file or the
 * new one, never a mix. The file's mode is kept.
 */
export function writeFileAtomic(file: string, content: string): void {
  const mode = statSync(file).mode & 0o7777;
  const tmp = join(dirname(file), `.${basename(file)}.layerlint-${process.pid}-${Date.now()}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx', mode);
    writeSync(fd, content);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    chmodSync(tmp, mode);
    renameSync(tmp, file);
  } catch (error) {
    if (fd !== null) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // Already gone.
    }
    throw error;
  }
}
