// The command line: a thin shell over the library. It parses arguments, runs the linter (startLintRun), writes the
// reports and returns an exit code; bin/layerlint.js sets process.exitCode from it, so everything
// here runs in-process under test with fake streams. What a plain `layerlint <file>` does not need
// (subcommands, fixing, formats other than stylish) is imported where it is used: the bundle loads
// it only for the runs that use it, and a pre-commit hook starts that much sooner.
import path from 'node:path';
import { builtinRules } from '../../rules/index.js';
import { ConfigError } from '../config/load-config.js';
import { ImageReadError } from '../measure/types.js';
import type { LintResult } from '../linter/diagnostic.js';
import type { RuleSetting } from '../linter/lint-source.js';
import { relativePath, startLintRun } from '../load/lint-files.js';
import type { RunTotals } from '../load/lint-cache.js';
import { FORMAT_NAMES, loadFormatter } from './formats.js';
import type { Severity } from '../rule/types.js';
import { HELP, UsageError, parseCommandLine, type CliOptions } from './args.js';
import { writeOutputFile } from './subcommand.js';

export interface CliStream {
  write(chunk: string): unknown;
}

export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Whether stdout is a terminal (color is on by default only then). */
  isTTY: boolean;
}

export { useBaselineWasm } from '../model/shell-parser.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    if (argv[0] === 'rules') return await (await import('./rules-command.js')).listRules(argv.slice(1), io);
    if (argv[0] === 'graph') return await (await import('./graph-command.js')).graphCommand(argv.slice(1), io);
    if (argv[0] === 'report') return await (await import('./report-command.js')).reportCommand(argv.slice(1), io);
    if (argv[0] === 'render') return await (await import('./render-command.js')).renderCommand(argv.slice(1), io);
    return await lint(argv, io);
  } catch (error) {
    return reportError(error, io);
  }
}

async function lint(argv: string[], io: CliIo): Promise<number> {
  const options = parseCommandLine(argv);
  if (options.help) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  if (options.version) {
    io.stdout.write(`${await (await import('./version.js')).readVersion()}\n`);
    return EXIT_OK;
  }

  const rules = ruleOverrides(options.rules);
  for (const output of options.outputs) {
    if (!(FORMAT_NAMES as readonly string[]).includes(output.format)) {
      throw new UsageError(`unknown format "${output.format}" (available: ${FORMAT_NAMES.join(', ')})`);
    }
  }
  const run = await startLintRun(options.paths, {
    cwd: io.cwd,
    rules,
    ...(options.config === undefined ? {} : { configFile: options.config }),
    ...(options.reportUnusedDirectives === undefined ? {} : { reportUnusedDirectives: options.reportUnusedDirectives }),
    ...(options.fix || options.fixDryRun ? { fix: true, fixTypes: options.fixSuggestions ? ['safe', 'suggestion'] : ['safe'] } : {}),
    ...(options.familyContext ? {} : { familyContext: false }),
    ...(options.images.length > 0 ? { images: options.images } : {}),
    ...(options.templates ? { templates: options.templates } : {}),
    ...(options.cache ? { cache: true, ...(options.cacheLocation === undefined ? {} : { cacheLocation: options.cacheLocation }) } : {}),
  });
  if (run.totals.results === 0) throw new UsageError(`no Dockerfiles found in ${options.paths.join(', ')}`);
  if (options.fixDryRun) {
    const results = await run.results();
    // Diffs share stdout with a human report only; a machine-readable report keeps stdout to itself.
    const machine = options.outputs.some((o) => o.file === undefined && o.format !== 'stylish');
    const fixed = results.filter((r) => r.output !== undefined);
    const { unifiedDiff } = fixed.length > 0 ? await import('../fix/diff.js') : { unifiedDiff: null };
    const diffs = unifiedDiff === null ? [] : fixed.map((r) => unifiedDiff(r.filePath, r.input ?? '', stripBom(r.output as string)));
    if (diffs.length > 0) (machine ? io.stderr : io.stdout).write(diffs.join(''));
  } else if (options.fix) {
    const { outputFixes } = await import('../fix/output-fixes.js');
    const failed = outputFixes(await run.results(), io.cwd);
    for (const f of failed) io.stderr.write(`layerlint: ${f.filePath}: not fixed: ${f.reason}\n`);
  }

  let reported: LintResult[] | null = null;
  const rulesMeta = Object.fromEntries(builtinRules.map((r) => [r.id, r.meta]));
  const color = options.color ?? (io.isTTY && !io.env.NO_COLOR);
  for (const output of options.outputs) {
    const toFile = output.file !== undefined;
    // With --cache, an unchanged run writes the report it wrote last time in this format.
    const key = JSON.stringify([output.format, toFile ? false : color, options.quiet]);
    let report = run.storedReport(key);
    if (report === undefined) {
      const warnings: string[] = [];
      const formatter = await loadFormatter(output.format);
      reported ??= options.quiet ? (await run.results()).map(errorsOnly) : await run.results();
      const text = formatter(reported, { cwd: io.cwd, color: toFile ? false : color, rulesMeta, warn: (message) => void warnings.push(message) });
      report = { text: text === '' || text.endsWith('\n') ? text : `${text}\n`, warnings };
      run.keepReport(key, report);
    }
    for (const message of report.warnings) io.stderr.write(`layerlint: ${output.format}: ${message}\n`);
    if (output.file === undefined) io.stdout.write(typeof report.text === 'string' ? report.text : Buffer.from(report.text).toString('utf8'));
    else await writeOutputFile(path.resolve(io.cwd, output.file), report.text);
  }
  run.finish();
  return exitCode(run.totals, options);
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function ruleOverrides(specs: string[]): Record<string, RuleSetting> {
  const known = new Set(builtinRules.map((r) => r.id));
  const out: Record<string, RuleSetting> = {};
  for (const spec of specs) {
    const at = spec.lastIndexOf(':');
    const id = at < 0 ? spec : spec.slice(0, at);
    const severity = at < 0 ? '' : spec.slice(at + 1);
    if (at < 0 || !['error', 'warning', 'info', 'off'].includes(severity)) {
      throw new UsageError(`--rule ${spec}: expected <rule-id>:<error|warning|info|off>`);
    }
    if (!known.has(id)) throw new UsageError(`--rule ${spec}: unknown rule "${id}" (see layerlint rules)`);
    out[id] = { severity: severity as Severity | 'off' };
  }
  return out;
}

function errorsOnly(result: LintResult): LintResult {
  const messages = result.messages.filter((m) => m.severity === 'error');
  return { ...result, messages, warningCount: 0, infoCount: 0, fixableCount: messages.filter((m) => m.fix).length };
}

function exitCode(totals: RunTotals, options: CliOptions): number {
  const { errors } = totals;
  // --quiet reports errors only, and only what is reported counts.
  const warnings = options.quiet ? 0 : totals.warnings;
  const infos = options.quiet ? 0 : totals.infos;
  const failing = options.failLevel === 'error' ? errors : options.failLevel === 'warning' ? errors + warnings : errors + warnings + infos;
  if (failing > 0) return EXIT_FINDINGS;
  if (options.maxWarnings !== undefined && warnings > options.maxWarnings) return EXIT_FINDINGS;
  return EXIT_OK;
}

function reportError(error: unknown, io: CliIo): number {
  const debug = io.env.LAYERLINT_DEBUG === '1';
  let message: string;
  if (error instanceof UsageError) message = error.message;
  else if (error instanceof ConfigError) message = describeConfigError(error, io.cwd);
  else if (error instanceof ImageReadError) message = error.message;
  else message = `internal error: ${error instanceof Error ? error.message : String(error)}`;
  io.stderr.write(`layerlint: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return EXIT_ERROR;
}

/** `file:line: key: reason`, the file relative to the working directory when it is inside it. */
function describeConfigError(error: ConfigError, cwd: string): string {
  const abs = path.resolve(cwd, error.file);
  const rel = relativePath(cwd, abs);
  const file = rel.startsWith('../') ? abs : rel;
  const where = error.line === undefined ? file : `${file}:${error.line}`;
  return error.key === undefined ? `${where}: ${error.detail}` : `${where}: ${error.key}: ${error.detail}`;
}
