// The report formats of the lint command, each loaded when a run asks for it. The library's
// `formatters` (src/report/index.ts) holds them all at once; the command writes one or two per run,
// and loading only those keeps the start of the default run short (sarif alone is larger than
// stylish with its code frames).
import { stylish } from '../report/stylish.js';
import type { Formatter } from '../report/types.js';

/** The names of `formatters`, in the same order. */
export const FORMAT_NAMES: readonly string[] = ['stylish', 'json', 'sarif', 'github', 'markdown'];

export async function loadFormatter(name: string): Promise<Formatter> {
  switch (name) {
    case 'stylish':
      return stylish;
    case 'json':
      return (await import('../report/json.js')).json;
    case 'sarif':
      return (await import('../report/sarif.js')).sarif;
    case 'github':
      return (await import('../report/github.js')).github;
    case 'markdown':
      return (await import('../report/markdown.js')).markdown;
    default:
      throw new Error(`unknown format "${name}"`);
  }
}
