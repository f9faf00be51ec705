import type { Edit, Fix } from '../rule/types.js';

export interface AppliedFixes {
  text: string;
  applied: number;
  skipped: number;
}

/**
 * Applies fixes in offset order. A fix whose edits overlap or touch one already applied is skipped
 * (its finding stays reported); the caller re-lints and tries again.
 */
export function applyFixes(text: string, fixes: Fix[]): AppliedFixes {
  const sorted = fixes
    .filter((f) => f.edits.length > 0)
    .map((f) => ({ fix: f, start: Math.min(...f.edits.map((e) => e.range.start)), end: Math.max(...f.edits.map((e) => e.range.end)) }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const accepted: Edit[] = [];
  let lastEnd = -1;
  let applied = 0;
  let skipped = 0;
  for (const { fix, start, end } of sorted) {
    if (start <= lastEnd) {
      skipped++;
      continue;
    }
    accepted.push(...fix.edits);
    lastEnd = end;
    applied++;
  }
  accepted.sort((a, b) => b.range.start - a.range.start);
  let out = text;
  for (const e of accepted) out = out.slice(0, e.range.start) + e.text + out.slice(e.range.end);
  return { text: out, applied, skipped };
}
