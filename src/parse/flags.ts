import type { Range } from '../source/source-text.js';
import type { RawFlag, RawFlagOption } from './raw.js';
import { escapesNewline, skipBlank } from './text-scan.js';

/**
 * The `--name[=value]` flags after the keyword, read from the text in [from, end). `--mount`
 * style values are split into options.
 */
export function scanFlags(text: string, from: number, end: number, escapeChar: string): RawFlag[] {
  const flags: RawFlag[] = [];
  let i = skipBlank(text, from, end, escapeChar);
  while (i < end && text[i] === '-' && text[i + 1] === '-') {
    const start = i;
    let quote: string | null = null;
    for (; i < end; i++) {
      const c = text[i];
      if (quote) {
        if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || (c === escapeChar && escapesNewline(text, i))) break;
    }
    const token = text.slice(start + 2, i);
    const eq = token.indexOf('=');
    const name = eq < 0 ? token : token.slice(0, eq);
    const rawValue = eq < 0 ? null : token.slice(eq + 1);
    const valueStart = start + 2 + eq + 1;
    const value = rawValue === null ? null : unquoteFlag(rawValue);
    const options = rawValue === null ? [] : splitOptions(rawValue, valueStart);
    flags.push({
      name,
      value,
      range: { start, end: i },
      valueRange: rawValue === null ? null : { start: valueStart, end: i },
      options: options.length > 1 || (options[0] && options[0].value !== null) ? options : [],
    });
    i = skipBlank(text, i, end, escapeChar);
  }
  return flags;
}

function unquoteFlag(value: string): string {
  return value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0] ? value.slice(1, -1) : value;
}

function splitOptions(value: string, at: number): RawFlagOption[] {
  const out: RawFlagOption[] = [];
  let pos = 0;
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    const range: Range = { start: at + pos, end: at + pos + part.length };
    out.push({ name: eq < 0 ? part : part.slice(0, eq), value: eq < 0 ? null : unquoteFlag(part.slice(eq + 1)), range });
    pos += part.length + 1;
  }
  return out;
}
