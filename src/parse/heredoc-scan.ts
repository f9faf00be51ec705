import type { Range, SourceText } from '../source/source-text.js';
import type { RawHeredoc } from './raw.js';

export interface HeredocMarker {
  name: string;
  range: Range;
  stripTabs: boolean;
  quoted: boolean;
}

const MARKER = /^(\d*)<<(-?)[ \t]*(?:"([^"\n]+)"|'([^'\n]+)'|([A-Za-z0-9_][A-Za-z0-9_.-]*))/;

/** Heredoc markers (`<<EOF`, `<<-EOF`, `<< 'EOF'`, `<<"EOF"`) outside quotes in [start, end). */
export function scanHeredocMarkers(text: string, start: number, end: number): HeredocMarker[] {
  const markers: HeredocMarker[] = [];
  let quote: string | null = null;
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (c !== '<' || text[i + 1] !== '<' || text[i + 2] === '<' || text[i - 1] === '<') continue;
    let from = i;
    while (from > start && /\d/.test(text[from - 1] as string)) from--;
    const m = MARKER.exec(text.slice(from, end));
    if (!m) continue;
    const name = m[3] ?? m[4] ?? m[5] ?? '';
    markers.push({ name, range: { start: from, end: from + m[0].length }, stripTabs: m[2] === '-', quoted: m[5] === undefined });
    i = from + m[0].length - 1;
  }
  return markers;
}

/** Bodies follow the instruction's lines, one after the other, each closed by a line equal to its name. */
export function findHeredocBodies(source: SourceText, markers: HeredocMarker[], headerEnd: number): RawHeredoc[] {
  const heredocs: RawHeredoc[] = [];
  let line = source.lineIndexOf(headerEnd) + 1;
  for (const marker of markers) {
    const contentStart = line < source.lineCount ? source.lineStart(line) : source.text.length;
    let delimiter: Range | null = null;
    let contentEnd = contentStart;
    while (line < source.lineCount) {
      const text = source.lineText(line);
      const candidate = marker.stripTabs ? text.replace(/^\t+/, '') : text;
      if (candidate === marker.name || candidate.trimEnd() === marker.name) {
        delimiter = { start: source.lineStart(line), end: source.lineEnd(line) };
        line++;
        break;
      }
      contentEnd = line + 1 < source.lineCount ? source.lineStart(line + 1) : source.lineEnd(line);
      line++;
    }
    heredocs.push({
      name: marker.name,
      markerRange: marker.range,
      contentRange: { start: contentStart, end: delimiter ? delimiter.start : contentEnd },
      delimiterRange: delimiter,
      stripTabs: marker.stripTabs,
      quoted: marker.quoted,
    });
    if (!delimiter) break;
  }
  return heredocs;
}
