import { parseArgs } from 'node:util';
import { IMAGE_SOURCE_KINDS } from '../measure/types.js';
import type { Severity } from '../rule/types.js';
import type { TemplateFlags } from '../template/lint-templates.js';

/** A mistake in how layerlint was called: exit code 2, one line on stderr. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface OutputSpec {
  format: string;
  /** Relative to the working directory; stdout when absent. */
  file?: string;
}

export interface CliOptions {
  paths: string[];
  outputs: OutputSpec[];
  config?: string;
  /** `<rule-id>:<severity>` as given. */
  rules: string[];
  failLevel: Severity;
  maxWarnings?: number;
  reportUnusedDirectives?: Severity | 'off';
  /** undefined: decide from the terminal and NO_COLOR. */
  color?: boolean;
  quiet: boolean;
  /** Write fixed files. */
  fix: boolean;
  /** Compute fixes and show them as diffs; write nothing. */
  fixDryRun: boolean;
  /** Also apply suggestions (fixes that can change what the build does). */
  fixSuggestions: boolean;
  /** Read the rest of the repository as family context when files are named one by one. */
  familyContext: boolean;
  /** Reuse what the last run found for unchanged inputs. */
  cache: boolean;
  cacheLocation?: string;
  /** Built images to measure, as given: `oci:DIR`, `oci-archive:FILE`, `docker-archive:FILE`. */
  images: string[];
  /** `--template-values`, `--template-override`: render `*.j2` templates and lint what they render to. */
  templates?: TemplateFlags;
  help: boolean;
  version: boolean;
}

export const HELP = `Usage: layerlint [options] [paths...]
       layerlint rules [--format text|json]
       layerlint graph [--format text|json|dot|mermaid] [paths...]
       layerlint render <templates-root> --template-values FILE --out DIR
       layerlint report [--format markdown|html|json] [paths...]

Lints Dockerfiles for wasted layers, cache and bytes. Paths are files or directories (default: .).
To lint a directory named like a subcommand (rules, graph, render, report), write it as ./rules.

Output:
  -f, --format NAME                stylish (default), json, sarif, github or markdown
  -o, --output-file FILE           write the preceding --format to FILE instead of stdout;
                                   repeat the pair to write several reports in one run
      --color, --no-color          force colors on or off (default: on for a terminal, unless NO_COLOR is set)
      --quiet                      report errors only

Fixing:
      --fix                        fix what is safe to fix and write the files
      --fix-dry-run                write nothing; print a unified diff per file (on stderr when a
                                   machine-readable format goes to stdout) and put the fixed text
                                   in the json output
      --fix-type TYPE              safe (default) or suggestion: suggestion also applies fixes that
                                   can change what the build does or caches

Rules:
  -c, --config FILE                use this config file instead of looking for one near each Dockerfile
      --rule ID:SEVERITY           set a rule to error, warning, info or off (repeatable)
      --report-unused-directives [SEVERITY]
                                   report disable directives that suppress nothing (default: warning)
      --no-family-context          when files are named one by one (as a pre-commit hook does), do not
                                   read the other Dockerfiles of the repository for the family rules

Cache:
      --cache                      keep what this run finds and reuse it when the Dockerfiles, configs
                                   and build contexts have not changed (not with --fix or --images)
      --cache-location FILE        the cache file (default: .layerlintcache); implies --cache

Templates (Kolla-style Dockerfile.j2):
      --template-values FILE       render *.j2 Dockerfiles with the variables of FILE (YAML or JSON;
                                   FILE#target picks one target of several) and lint the result
      --template-override FILE     a Kolla template override ({% extends parent_template %}); repeatable

Images:
      --images SPEC                measure built images: oci:DIR (an OCI image layout), oci-archive:FILE
                                   or docker-archive:FILE (docker save); repeatable

Exit status:
      --fail-level LEVEL           error, warning (default) or info: the lowest severity that fails
      --max-warnings N             also fail when there are more than N warnings
  0 no findings at or above the fail level, 1 findings, 2 usage, config or internal error

  -h, --help                       show this help
  -v, --version                    show the version
`;

const SEVERITIES: readonly string[] = ['error', 'warning', 'info'];

export function parseCommandLine(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: normalizeOptionalValues(argv),
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: {
        format: { type: 'string', short: 'f', multiple: true },
        'output-file': { type: 'string', short: 'o', multiple: true },
        config: { type: 'string', short: 'c' },
        rule: { type: 'string', multiple: true },
        'fail-level': { type: 'string' },
        'max-warnings': { type: 'string' },
        'report-unused-directives': { type: 'string' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        fix: { type: 'boolean' },
        'fix-dry-run': { type: 'boolean' },
        'fix-type': { type: 'string', multiple: true },
        'no-family-context': { type: 'boolean' },
        cache: { type: 'boolean' },
        'cache-location': { type: 'string' },
        images: { type: 'string', multiple: true },
        'template-values': { type: 'string' },
        'template-override': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    // node:util's messages go on to explain `--`; the first sentence is the useful one.
    const message = error instanceof Error ? (error.message.split(/\.\s/)[0] ?? error.message) : String(error);
    throw new UsageError(message);
  }
  const { values, positionals, tokens } = parsed;

  let color: boolean | undefined;
  const outputs: OutputSpec[] = [];
  let leadingFile: string | undefined;
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (token.name === 'color') color = true;
    else if (token.name === 'no-color') color = false;
    else if (token.name === 'format') outputs.push({ format: token.value ?? '' });
    else if (token.name === 'output-file') {
      const file = token.value ?? '';
      const last = outputs[outputs.length - 1];
      if (last === undefined) {
        if (leadingFile !== undefined) throw new UsageError(`--output-file ${file}: only one output file can come before the first --format`);
        leadingFile = file;
      } else if (last.file === undefined) last.file = file;
      else throw new UsageError(`--output-file ${file}: --format ${last.format} already writes to ${last.file}; give a --format before each --output-file`);
    }
  }
  // `-o report.txt -f json` (ESLint's order) pairs the file with the first format; alone it gets the default format.
  if (leadingFile !== undefined) {
    const first = outputs[0];
    if (first !== undefined && first.file === undefined) first.file = leadingFile;
    else outputs.unshift({ format: 'stylish', file: leadingFile });
  }
  if (outputs.length === 0) outputs.push({ format: 'stylish' });
  if (outputs.filter((o) => o.file === undefined).length > 1) {
    throw new UsageError('more than one --format writes to stdout; give each but one an --output-file');
  }
  const files = outputs.flatMap((o) => (o.file === undefined ? [] : [o.file]));
  const duplicate = files.find((f, i) => files.indexOf(f) !== i);
  if (duplicate !== undefined) throw new UsageError(`--output-file ${duplicate} is given twice`);

  const failLevel = values['fail-level'] ?? 'warning';
  if (!SEVERITIES.includes(failLevel)) throw new UsageError(`--fail-level ${failLevel}: expected error, warning or info`);

  let maxWarnings: number | undefined;
  const mw = values['max-warnings'];
  if (mw !== undefined) {
    if (!/^\d+$/.test(mw)) throw new UsageError(`--max-warnings ${mw}: expected a whole number of warnings, 0 or more`);
    maxWarnings = Number(mw);
  }

  const rud = values['report-unused-directives'];
  if (rud !== undefined && ![...SEVERITIES, 'off'].includes(rud)) {
    throw new UsageError(`--report-unused-directives ${rud}: expected error, warning, info or off`);
  }

  const fixTypes = values['fix-type'] ?? [];
  for (const t of fixTypes) {
    if (t !== 'safe' && t !== 'suggestion') throw new UsageError(`--fix-type ${t}: expected safe or suggestion`);
  }
  if (fixTypes.length > 0 && !values.fix && !values['fix-dry-run']) throw new UsageError('--fix-type needs --fix or --fix-dry-run');

  const images = values.images ?? [];
  for (const spec of images) {
    const kind = spec.slice(0, Math.max(0, spec.indexOf(':')));
    if (!(IMAGE_SOURCE_KINDS as readonly string[]).includes(kind) || spec.length === kind.length + 1) {
      throw new UsageError(`--images ${spec}: expected oci:DIR, oci-archive:FILE or docker-archive:FILE`);
    }
  }

  const options: CliOptions = {
    paths: positionals.length > 0 ? positionals : ['.'],
    fix: values.fix ?? false,
    fixDryRun: values['fix-dry-run'] ?? false,
    fixSuggestions: fixTypes.includes('suggestion'),
    familyContext: !(values['no-family-context'] ?? false),
    cache: (values.cache ?? false) || values['cache-location'] !== undefined,
    outputs,
    rules: values.rule ?? [],
    failLevel: failLevel as Severity,
    quiet: values.quiet ?? false,
    images,
    help: values.help ?? false,
    version: values.version ?? false,
  };
  if (values.config !== undefined) options.config = values.config;
  if (values['cache-location'] !== undefined) {
    if (values['cache-location'] === '') throw new UsageError('--cache-location needs a file name');
    options.cacheLocation = values['cache-location'];
  }
  if (maxWarnings !== undefined) options.maxWarnings = maxWarnings;
  if (rud !== undefined) options.reportUnusedDirectives = rud as Severity | 'off';
  if (color !== undefined) options.color = color;
  const templates = templateFlags(values['template-values'], values['template-override']);
  if (templates) options.templates = templates;
  return options;
}

/**
 * `--report-unused-directives` takes an optional severity, which parseArgs cannot express: the
 * next argument is taken as its value only when it is a severity, and `warning` is used otherwise.
 */
function normalizeOptionalValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (arg !== '--report-unused-directives') {
      out.push(arg);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && [...SEVERITIES, 'off'].includes(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(`${arg}=warning`);
  }
  return out;
}

/** The template flags given, or undefined when there are none. */
export function templateFlags(values: string | undefined, overrides: string[] | undefined): TemplateFlags | undefined {
  if (values === undefined && (overrides ?? []).length === 0) return undefined;
  return { ...(values === undefined ? {} : { values }), ...(overrides?.length ? { overrides } : {}) };
}
