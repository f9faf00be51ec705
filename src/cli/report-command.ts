// `layerlint report`: how many bytes the image family pulls and stores, which are wasted, and what
// each restructuring the rules propose would save, as Markdown, self-contained HTML or JSON.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, findConfigFile } from '../config/load-config.js';
import { estimateFamily, estimateOptionsFromConfig, PackageIndexError, proposeSavings, type EstimateOptions } from '../estimate/index.js';
import { IMAGE_SOURCE_KINDS } from '../measure/types.js';
import { analyzeFiles } from '../load/lint-files.js';
import { FAMILY_REPORT_FORMATS, type FamilyReportFormat, type FamilyReportInput } from '../report/family-common.js';
import { familyHtml } from '../report/family-html.js';
import { familyJson } from '../report/family-json.js';
import { familyMarkdown } from '../report/family-markdown.js';
import { UsageError } from './args.js';
import { parseCommand, writeOutputFile } from './subcommand.js';
import type { CliIo } from './main.js';
import { Progress, type ProgressStream } from './progress.js';

export const REPORT_HELP = `Usage: layerlint report [options] [paths...]

Sizes the image family before anything is built: bytes if each image stood alone, unique bytes with
today's layer sharing, the waste the rules find, and what each proposed change would save. Every
size says where it comes from: measured, context, metadata (package index), table or heuristic.

  -f, --format NAME        markdown (default), html or json
  -o, --output-file FILE   write to FILE instead of stdout
  -c, --config FILE        use this config file (its estimate: section names package indexes)
      --images SPEC        measured sizes from built images: oci:DIR, oci-archive:FILE or
                           docker-archive:FILE; repeatable
      --packages FILE      a Debian/Ubuntu Packages index (plain, .gz or .lz4) for apt installs;
                           repeatable; default: the config's, else /var/lib/apt/lists
      --no-progress        no progress bar on stderr
  -h, --help               show this help
`;

const RENDER: Record<FamilyReportFormat, (input: FamilyReportInput) => string> = {
  markdown: familyMarkdown,
  html: familyHtml,
  json: familyJson,
};

export async function reportCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    format: { type: 'string', short: 'f' },
    'output-file': { type: 'string', short: 'o' },
    config: { type: 'string', short: 'c' },
    images: { type: 'string', multiple: true },
    packages: { type: 'string', multiple: true },
    'no-progress': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(REPORT_HELP);
    return 0;
  }
  const format = (values.format ?? 'markdown') as FamilyReportFormat;
  if (!FAMILY_REPORT_FORMATS.includes(format)) throw new UsageError(`unknown report format "${format}" (available: ${FAMILY_REPORT_FORMATS.join(', ')})`);
  const images = values.images ?? [];
  for (const spec of images) {
    const kind = spec.slice(0, Math.max(0, spec.indexOf(':')));
    if (!(IMAGE_SOURCE_KINDS as readonly string[]).includes(kind) || spec.length === kind.length + 1) {
      throw new UsageError(`--images ${spec}: expected oci:DIR, oci-archive:FILE or docker-archive:FILE`);
    }
  }
  const paths = positionals.length > 0 ? positionals : ['.'];
  const progress = new Progress(io.stderr as ProgressStream, values['no-progress'] ? { enabled: false } : {});
  try {
    progress.start('reading and linting');
    const analysis = await analyzeFiles(paths, {
      cwd: io.cwd,
      ...(values.config === undefined ? {} : { configFile: values.config }),
      ...(images.length > 0 ? { images } : {}),
    });
    const { results, graph } = analysis;
    if (results.length === 0) throw new UsageError(`no Dockerfiles found in ${paths.join(', ')}`);
    for (const r of results) {
      for (const m of r.messages) if (m.fatal) io.stderr.write(`layerlint: ${r.filePath}:${m.line}: ${m.message}\n`);
    }
    if (graph.images.length === 0) throw new UsageError(`no image to size in ${paths.join(', ')}`);
    const fromConfig = await estimateConfig(values.config === undefined ? null : path.resolve(io.cwd, values.config), io.cwd);
    const options: EstimateOptions = {
      cwd: io.cwd,
      findings: results,
      ...fromConfig,
      ...(values.packages ? { packageIndexFiles: values.packages.map((p) => path.resolve(io.cwd, p)) } : {}),
      ...(analysis.measured ? { measured: analysis.measured } : {}),
      onProgress: (done, total) => progress.update(done, total),
    };
    progress.start('sizing images', graph.images.length);
    let estimate;
    try {
      estimate = estimateFamily(graph, options);
    } catch (error) {
      // A package index named on the command line or in config that cannot be read is the caller's to fix.
      if (error instanceof PackageIndexError) throw new UsageError(error.message);
      throw error;
    }
    progress.start('measuring proposed changes');
    const savings = proposeSavings(graph, results, estimate, {
      cwd: io.cwd,
      ...(fromConfig.baseSizes ? { baseSizes: fromConfig.baseSizes } : {}),
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.finish();
    const text = RENDER[format]({ estimate, savings, cwd: io.cwd });
    if (values['output-file'] === undefined) io.stdout.write(text);
    else await writeOutputFile(path.resolve(io.cwd, values['output-file']), text);
    return 0;
  } finally {
    progress.finish();
  }
}

/** The `estimate:` section of the config that governs the working directory (or the one given). */
async function estimateConfig(explicit: string | null, cwd: string): Promise<ReturnType<typeof estimateOptionsFromConfig>> {
  const file = explicit ?? (await findConfigFile(cwd));
  if (file === null) return {};
  let value: unknown;
  try {
    // The whole file was already read and checked by the lint run; only this section is new here.
    const text = await readFile(file, 'utf8');
    value = file.toLowerCase().endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError({ file, detail: `cannot read config file: ${error instanceof Error ? error.message : String(error)}` });
  }
  const section = value && typeof value === 'object' ? (value as Record<string, unknown>).estimate : undefined;
  return estimateOptionsFromConfig(section, file);
}
