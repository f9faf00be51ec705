import type { Range, SourceText } from '../source/source-text.js';
import type { RawHeredoc } from './raw.js';

export interface HeredocMarker {
  name: string;
  range: Range;
  stripTabs: boolean;
  quoted: boolean;
}

const MARKER = /^(\d*)<<(-?)[ \t]*(?:"([^"\n]+)"|'([^'\n]+)'|([A-Za-z0-9_][A-Za-z0-9_.-]*))/;
// The same pattern matched in place: slicing the rest of the line for every `<<` would be quadratic.
const MARKER_AT = new RegExp(MARKER.source.slice(1), 'y');

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
    const m = markerAt(text, from, end);
    if (!m) continue;
    const name = m[3] ?? m[4] ?? m[5] ?? '';
    markers.push({ name, range: { start: from, end: from + m[0].length }, stripTabs: m[2] === '-', quoted: m[5] === undefined });
    i = from + m[0].length - 1;
  }
  return markers;
}

function markerAt(text: string, from: number, end: number): RegExpExecArray | null {
  MARKER_AT.lastIndex = from;
  const m = MARKER_AT.exec(text);
  // A match may only run past `end` where the text goes on; cut there, as a slice would have.
  if (m === null || from + m[0].length <= end) return m;
  return MARKER.exec(text.slice(from, end));
}

/** Bodies follow the instruction's lines, one after the other, each closed by a line equal to its name. */
export function findHeredocBodies(source: SourceText, markers: HeredocMarker[], headerEnd: number): RawHeredoc[] {
  return readHeredocBodies(source, markers, source.lineIndexOf(headerEnd) + 1).heredocs;
}

/** As findHeredocBodies, from the 0-based line after the header; also says where the next instruction may start. */
export function readHeredocBodies(source: SourceText, markers: HeredocMarker[], firstLine: number): { heredocs: RawHeredoc[]; nextLine: number } {
  const heredocs: RawHeredoc[] = [];
  let line = firstLine;
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
  return { heredocs, nextLine: line };
}
