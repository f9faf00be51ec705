import type { SourceText } from '../source/source-text.js';
import type { RawDirective, RawProblem } from './raw.js';
import { isBlank, isNewline } from './text-scan.js';

export interface Directives {
  directives: RawDirective[];
  escapeChar: '\\' | '`';
  problems: RawProblem[];
}

// A parser directive's key is one word (syntax, escape, check); `# hadolint global ignore=...` is a comment.
const DIRECTIVE_LINE = /#\s*[A-Za-z][A-Za-z0-9]*\s*=/y;

/**
 * Parser directives: `# key=value` lines at the very top of the file, before any blank line,
 * comment or instruction. The value is the first word after `=`.
 */
export function readDirectives(source: SourceText): Directives {
  const text = source.text;
  const directives: RawDirective[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 0;
  scan: while (i < text.length) {
    const c = text[i];
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c !== '#') break;
    let nameStart = -1;
    let nameEnd = -1;
    let j = i + 1;
    for (; j < text.length; j++) {
      const d = text[j];
      if (isNewline(d)) break scan;
      if (d === '=') break;
      if (isBlank(d)) {
        if (nameStart !== -1 && nameEnd === -1) nameEnd = j;
      } else if (nameStart === -1) nameStart = j;
    }
    // Neither `=` nor a line break up to the end of the file: a comment, and the last line.
    if (j >= text.length || nameStart === -1) break;
    if (nameEnd === -1) nameEnd = j;
    let valueStart = -1;
    let valueEnd = -1;
    let k = j + 1;
    for (; k < text.length && !isNewline(text[k]); k++) {
      if (isBlank(text[k])) {
        if (valueStart !== -1 && valueEnd === -1) valueEnd = k;
      } else if (valueStart === -1) valueStart = k;
    }
    const lineEnd = k;
    if (valueStart === -1) {
      valueStart = j + 1;
      valueEnd = lineEnd;
    } else if (valueEnd === -1) valueEnd = lineEnd;
    const lineStart = source.lineStart(line);
    DIRECTIVE_LINE.lastIndex = lineStart;
    if (DIRECTIVE_LINE.test(text) && DIRECTIVE_LINE.lastIndex <= lineEnd) {
      directives.push({ name: text.slice(nameStart, nameEnd).toLowerCase(), value: text.slice(valueStart, valueEnd), range: { start: i, end: lineEnd } });
    }
    // Whatever follows the value on its line ends the directives, unless it is another `#`.
    i = text[valueEnd] === '\r' ? valueEnd + 2 : valueEnd + 1;
    if (text[valueEnd] === '\n' || (text[valueEnd] === '\r' && text[valueEnd + 1] === '\n')) line++;
  }

  let escapeChar: '\\' | '`' = '\\';
  const problems: RawProblem[] = [];
  for (const d of directives) {
    if (d.name !== 'escape') continue;
    if (d.value === '`') escapeChar = '`';
    else if (d.value !== '\\') problems.push({ message: `invalid escape directive "${d.value}": it must be \\ or \``, range: d.range });
  }
  return { directives, escapeChar, problems };
}
