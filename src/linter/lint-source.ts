import { buildModel } from '../model/build.js';
import { initShellParser } from '../model/shell-parser.js';
import type { DockerfileModel } from '../model/types.js';
import type { SourceText } from '../source/source-text.js';
import { isFamilyRule, type AnyFileRule, type AnyRule, type Severity, type SeveritySetting } from '../rule/types.js';
import type { Diagnostic } from './diagnostic.js';
import { applyDirectives } from './directives.js';
import { runRules, type EnabledRule } from './run-rules.js';

export interface RuleSetting {
  severity: SeveritySetting;
  options?: Record<string, unknown>;
}

/** The settings linting needs, after config files and CLI flags are merged. */
export interface LintSettings {
  rules: Record<string, RuleSetting>;
  reportUnusedDirectives: Severity | 'off';
}

export const DEFAULT_SETTINGS: LintSettings = { rules: {}, reportUnusedDirectives: 'off' };

export function enabledRules(registry: readonly AnyRule[], settings: LintSettings): EnabledRule[] {
  const out: EnabledRule[] = [];
  for (const rule of registry) {
    const setting = settings.rules[rule.id];
    const severity = setting?.severity ?? rule.meta.defaultSeverity;
    if (severity === 'off') continue;
    out.push({ rule, severity, options: { ...(rule.meta.defaultOptions as Record<string, unknown>), ...(setting?.options ?? {}) } });
  }
  return out;
}

export function hadolintCodeMap(registry: readonly AnyRule[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const rule of registry) {
    for (const src of rule.meta.docs.sources ?? []) {
      if (!src.startsWith('hadolint:')) continue;
      const code = src.slice('hadolint:'.length).toUpperCase();
      map.set(code, [...(map.get(code) ?? []), rule.id]);
    }
  }
  return map;
}

export interface LintedSource {
  model: DockerfileModel;
  diagnostics: Diagnostic[];
}

/** Parses, models and lints one source. Parse problems become fatal diagnostics; the rules still run. */
export async function lintSource(source: SourceText, registry: readonly AnyRule[], settings: LintSettings): Promise<LintedSource> {
  await initShellParser();
  return lintSourceSync(source, registry, settings);
}

/** As lintSource, once `initShellParser()` has resolved. */
export function lintSourceSync(source: SourceText, registry: readonly AnyRule[], settings: LintSettings): LintedSource {
  const checked = checkSource(source, registry, settings);
  return { model: checked.model, diagnostics: finishSource(checked, registry, settings) };
}

/** A file after its own rules ran, before directives are applied: family rules may still add findings. */
export interface CheckedSource {
  model: DockerfileModel;
  /** Problems reading or parsing the file. */
  problems: Diagnostic[];
  /** Findings of rules, unfiltered. */
  findings: Diagnostic[];
}

export function checkSource(source: SourceText, registry: readonly AnyRule[], settings: LintSettings): CheckedSource {
  const model = buildModel(source);
  const problems: Diagnostic[] = model.problems.map((p) => ({
    ruleId: null,
    severity: 'error',
    message: p.message,
    range: p.range,
    ...source.location(p.range),
    fatal: true,
  }));
  const fileRules = enabledRules(registry, settings).filter((e): e is EnabledRule<AnyFileRule> => !isFamilyRule(e.rule));
  const findings = model.stages.length > 0 || model.globalArgs.length > 0 ? runRules(model, fileRules) : [];
  return { model, problems, findings };
}

/** Applies the inline directives once every finding of the file is known. */
export function finishSource(checked: CheckedSource, registry: readonly AnyRule[], settings: LintSettings): Diagnostic[] {
  const names = ruleNames(registry);
  const filtered = applyDirectives(checked.model, checked.findings, {
    knownRuleIds: names.ids,
    hadolintCodes: names.hadolintCodes,
    reportUnused: settings.reportUnusedDirectives,
  });
  return [...checked.problems, ...filtered];
}

/** The names directives may give the rules of a registry: worked out once per registry, not once per file. */
function ruleNames(registry: readonly AnyRule[]): { ids: ReadonlySet<string>; hadolintCodes: ReadonlyMap<string, string[]> } {
  let names = namesByRegistry.get(registry);
  if (!names) namesByRegistry.set(registry, (names = { ids: new Set(registry.map((r) => r.id)), hadolintCodes: hadolintCodeMap(registry) }));
  return names;
}

const namesByRegistry = new WeakMap<readonly AnyRule[], { ids: ReadonlySet<string>; hadolintCodes: ReadonlyMap<string, string[]> }>();
