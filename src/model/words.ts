/** Whitespace-separated words; quotes group and are removed, as Docker reads COPY and FROM arguments. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let has = false;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote) quote = null;
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      if (has) words.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) words.push(cur);
  return words;
}

export interface KeyValue {
  name: string;
  value: string | null;
}

/**
 * `KEY=value KEY2="v 2"` pairs, or the legacy `KEY value with spaces` form of ENV.
 * For ARG (`bare` true) a word without `=` is a name with no default.
 */
export function parseKeyValues(text: string, bare: boolean): KeyValue[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const firstWord = /^\S+/.exec(trimmed)?.[0] ?? '';
  if (!bare && !firstWord.includes('=')) {
    const value = trimmed.slice(firstWord.length).trim();
    return [{ name: firstWord, value: unquote(value) }];
  }
  const out: KeyValue[] = [];
  for (const word of rawWords(trimmed)) {
    const eq = word.indexOf('=');
    if (eq < 0) out.push({ name: word, value: null });
    else out.push({ name: word.slice(0, eq), value: unquote(word.slice(eq + 1)) });
  }
  return out;
}

/** Words split on unquoted, unescaped whitespace; quotes kept. */
function rawWords(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length && quote !== "'") {
      cur += c + text[i + 1];
      i++;
      continue;
    }
    if (quote) {
      if (c === quote) quote = null;
      cur += c;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      if (cur) words.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) words.push(cur);
  return words;
}

function unquote(value: string): string {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\\' && quote !== "'" && i + 1 < value.length) {
      out += value[i + 1];
      i++;
    } else if (quote) {
      if (c === quote) quote = null;
      else out += c;
    } else if (c === '"' || c === "'") quote = c;
    else out += c;
  }
  return out;
}

/** The JSON array of an exec-form instruction, parsed with JSON.parse; null when it is not one. */
export function parseJsonArray(text: string): string[] | null {
  const t = text.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) return null;
  try {
    const value: unknown = JSON.parse(t);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  } catch {
    return null;
  }
  return null;
}
