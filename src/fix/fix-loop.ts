// The fix engine, in ESLint's manner: apply the non-overlapping fixes of one pass, re-parse and
// re-lint, up to 10 passes, stopping on a cycle. A text that does not parse is never changed, and a
// pass whose result would run other commands than intended is thrown away.
import type { Diagnostic } from '../linter/diagnostic.js';
import type { DockerfileModel } from '../model/types.js';
import type { Fix } from '../rule/types.js';
import { applyFixes } from './apply-fixes.js';
import { commandsPreserved } from './verify.js';

export type FixType = 'safe' | 'suggestion';

export interface FixLoopResult {
  /** The fixed text (equal to the input when nothing was fixed). */
  output: string;
  fixed: boolean;
  passes: number;
  /** Why fixing stopped early, if it did. */
  stopped: 'parse-error' | 'cycle' | 'max-passes' | 'unsafe-result' | null;
  /** Diagnostics of the final text. */
  diagnostics: Diagnostic[];
  model: DockerfileModel;
}

export interface LintPass {
  model: DockerfileModel;
  diagnostics: Diagnostic[];
}

const MAX_PASSES = 10;

/** Fixes one text; `lint` lints a text (same rules and settings each pass). */
export function fixText(text: string, lint: (text: string) => LintPass, types: readonly FixType[] = ['safe']): FixLoopResult {
  let current = lint(text);
  if (current.diagnostics.some((d) => d.fatal)) {
    return { output: text, fixed: false, passes: 0, stopped: 'parse-error', diagnostics: current.diagnostics, model: current.model };
  }
  const original = current.model;
  const seen = new Set([text]);
  let output = text;
  let passes = 0;
  let stopped: FixLoopResult['stopped'] = null;
  while (passes < MAX_PASSES) {
    const fixes = collectFixes(current.diagnostics, types);
    if (fixes.length === 0) break;
    const next = applyFixes(output, fixes).text;
    if (next === output) break;
    if (seen.has(next)) {
      stopped = 'cycle';
      break;
    }
    const linted = lint(next);
    if (linted.diagnostics.some((d) => d.fatal) || !commandsPreserved(original, linted.model)) {
      stopped = linted.diagnostics.some((d) => d.fatal) ? 'parse-error' : 'unsafe-result';
      break;
    }
    seen.add(next);
    output = next;
    current = linted;
    passes++;
  }
  if (passes === MAX_PASSES && collectFixes(current.diagnostics, types).length > 0) stopped = 'max-passes';
  return { output, fixed: output !== text, passes, stopped, diagnostics: current.diagnostics, model: current.model };
}

function collectFixes(diagnostics: readonly Diagnostic[], types: readonly FixType[]): Fix[] {
  const fixes: Fix[] = [];
  for (const d of diagnostics) {
    if (d.fix && types.includes('safe')) fixes.push(d.fix);
    else if (d.suggestions?.[0] && types.includes('suggestion')) fixes.push(d.suggestions[0].fix);
  }
  return fixes;
}
