// What every subcommand does the same way: read its options, and write its output to a file.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './args.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: O }>>;

/** Options and positional arguments; an unknown or malformed option is a UsageError. */
export function parseCommand<O extends Options>(argv: string[], options: O): Parsed<O> {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (error) {
    // node:util's messages go on to explain `--`; the first sentence is the useful one.
    throw new UsageError(error instanceof Error ? (error.message.split(/\.\s/)[0] ?? error.message) : String(error));
  }
}

/** Writes a report, creating its directory; a failure is a UsageError naming the file. */
export async function writeOutputFile(file: string, text: string | Uint8Array): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new UsageError(`cannot write ${file}: ${reason}`);
  }
}
