// The GitHub Action: lint, annotate the pull request, write a job summary and a SARIF file for
// github/codeql-action/upload-sarif, and set the step's outputs. It talks to the runner the way
// @actions/core does (INPUT_* variables, the files named by GITHUB_OUTPUT and GITHUB_STEP_SUMMARY,
// workflow commands on stdout) without depending on it, so the bundle carries no toolkit.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { builtinRules } from '../../rules/index.js';
import { ConfigError } from '../config/load-config.js';
import type { LintResult } from '../linter/diagnostic.js';
import { lintFiles } from '../load/lint-files.js';
import { escapeData } from '../report/github.js';
import { formatters, type Formatter, type FormatterContext } from '../report/index.js';

export interface ActionIo {
  env: Record<string, string | undefined>;
  stdout: { write(chunk: string): unknown };
}

/** What the workflow asked for, from the action's inputs. */
export interface ActionInputs {
  paths: string[];
  config?: string;
  failLevel: 'error' | 'warning' | 'info' | 'none';
  /** Extra reports: to the log when `file` is absent. */
  formats: { format: string; file?: string }[];
  sarifFile?: string;
  jobSummary: boolean;
  annotate: boolean;
}

/** A mistake in the workflow's inputs: reported as one error annotation. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** Runs the action; the returned number becomes the process's exit code. */
export async function runAction(io: ActionIo): Promise<number> {
  const cwd = path.resolve(io.env.GITHUB_WORKSPACE || process.cwd());
  try {
    const inputs = readInputs(io.env);
    const results = await lintFiles(inputs.paths, { cwd, ...(inputs.config === undefined ? {} : { configFile: inputs.config }) });
    if (results.length === 0) throw new InputError(`paths: no Dockerfiles found in ${inputs.paths.join(', ')}`);
    const context: FormatterContext = {
      cwd,
      color: false,
      rulesMeta: Object.fromEntries(builtinRules.map((r) => [r.id, r.meta])),
      warn: (message) => void io.stdout.write(`::warning title=layerlint::${escapeData(message)}\n`),
    };
    const format = (name: string, color = false): string => (formatters[name] as Formatter)(results, { ...context, color });

    if (inputs.annotate) io.stdout.write(format('github'));
    for (const f of inputs.formats) {
      if (f.file === undefined) io.stdout.write(ended(format(f.format, f.format === 'stylish' && !io.env.NO_COLOR)));
      else writeText(path.resolve(cwd, f.file), ended(format(f.format)));
    }
    let sarifPath = '';
    if (inputs.sarifFile !== undefined) {
      sarifPath = path.resolve(cwd, inputs.sarifFile);
      writeText(sarifPath, ended(format('sarif')));
    }
    if (inputs.jobSummary && io.env.GITHUB_STEP_SUMMARY) appendFileSync(io.env.GITHUB_STEP_SUMMARY, ended(format('markdown')));

    const counts = countFindings(results);
    setOutputs(io.env, { errors: counts.errors, warnings: counts.warnings, infos: counts.infos, total: counts.total, 'sarif-file': sarifPath });
    const failing = failingCount(counts, inputs.failLevel);
    if (failing > 0) {
      io.stdout.write(`::error title=layerlint::${escapeData(`${failing} ${failing === 1 ? 'problem' : 'problems'} at or above the fail level (${inputs.failLevel})`)}\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    const message = error instanceof InputError || error instanceof ConfigError ? error.message : `internal error: ${error instanceof Error ? error.message : String(error)}`;
    io.stdout.write(`::error title=layerlint::${escapeData(message)}\n`);
    return 2;
  }
}

/** Inputs as @actions/core reads them: INPUT_<NAME> with spaces as `_`, upper-cased, trimmed. */
export function getInput(env: Record<string, string | undefined>, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

export function readInputs(env: Record<string, string | undefined>): ActionInputs {
  const paths = splitList(getInput(env, 'paths'), /\s+/);
  const failLevel = getInput(env, 'fail-level') || 'warning';
  if (!['error', 'warning', 'info', 'none'].includes(failLevel)) throw new InputError(`fail-level: expected error, warning, info or none, got "${failLevel}"`);
  const formats = splitList(getInput(env, 'formats'), /[\s,]+/).map((spec) => {
    const at = spec.indexOf(':');
    const format = at < 0 ? spec : spec.slice(0, at);
    if (!Object.hasOwn(formatters, format)) throw new InputError(`formats: unknown format "${format}" (available: ${Object.keys(formatters).join(', ')})`);
    return at < 0 ? { format } : { format, file: spec.slice(at + 1) };
  });
  const inputs: ActionInputs = {
    paths: paths.length > 0 ? paths : ['.'],
    failLevel: failLevel as ActionInputs['failLevel'],
    formats,
    jobSummary: booleanInput(env, 'job-summary', true),
    annotate: booleanInput(env, 'annotate', true),
  };
  const config = getInput(env, 'config');
  if (config !== '') inputs.config = config;
  const sarifFile = getInput(env, 'sarif-file');
  if (sarifFile !== '') inputs.sarifFile = sarifFile;
  return inputs;
}

/** The YAML 1.2 core-schema booleans @actions/core's getBooleanInput accepts; empty means the default. */
function booleanInput(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  const value = getInput(env, name);
  if (value === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new InputError(`${name}: expected true or false, got "${value}"`);
}

function splitList(value: string, separator: RegExp): string[] {
  return value.split(separator).filter((s) => s !== '');
}

interface Counts {
  errors: number;
  warnings: number;
  infos: number;
  total: number;
}

function countFindings(results: LintResult[]): Counts {
  const counts = { errors: 0, warnings: 0, infos: 0, total: 0 };
  for (const r of results) {
    counts.errors += r.errorCount;
    counts.warnings += r.warningCount;
    counts.infos += r.infoCount;
  }
  counts.total = counts.errors + counts.warnings + counts.infos;
  return counts;
}

function failingCount(c: Counts, level: ActionInputs['failLevel']): number {
  if (level === 'none') return 0;
  if (level === 'error') return c.errors;
  if (level === 'warning') return c.errors + c.warnings;
  return c.total;
}

/** `name=value` lines in the file GITHUB_OUTPUT names (the `::set-output` command is deprecated). */
function setOutputs(env: Record<string, string | undefined>, outputs: Record<string, string | number>): void {
  const file = env.GITHUB_OUTPUT;
  if (!file) return;
  const lines = Object.entries(outputs).map(([name, value]) => {
    const text = String(value);
    // A value with a line break needs the heredoc form; the delimiter must not occur in it.
    if (!/[\r\n]/.test(text)) return `${name}=${text}\n`;
    let delimiter = 'LAYERLINT_EOF';
    while (text.includes(delimiter)) delimiter += '_';
    return `${name}<<${delimiter}\n${text}\n${delimiter}\n`;
  });
  appendFileSync(file, lines.join(''));
}

function writeText(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function ended(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
