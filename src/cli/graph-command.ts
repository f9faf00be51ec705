import path from 'node:path';
import { analyzeFiles } from '../load/lint-files.js';
import { formatGraph, GRAPH_FORMATS, type GraphFormat } from '../graph/format-graph.js';
import { UsageError, templateFlags } from './args.js';
import { parseCommand, writeOutputFile } from './subcommand.js';
import type { CliIo } from './main.js';

export const GRAPH_HELP = `Usage: layerlint graph [options] [paths...]

Prints the image family: which image builds on which, with each image's layer count.

  -f, --format NAME        text (default), json, dot or mermaid
  -o, --output-file FILE   write to FILE instead of stdout
  -c, --config FILE        use this config file (naming: and images: sections)
      --template-values FILE    render *.j2 Dockerfile templates with these variables (YAML or JSON)
      --template-override FILE  a Kolla template override; repeatable
  -h, --help               show this help
`;

export async function graphCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    format: { type: 'string', short: 'f' },
    'output-file': { type: 'string', short: 'o' },
    config: { type: 'string', short: 'c' },
    'template-values': { type: 'string' },
    'template-override': { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(GRAPH_HELP);
    return 0;
  }
  const format = (values.format ?? 'text') as GraphFormat;
  if (!GRAPH_FORMATS.includes(format)) throw new UsageError(`unknown graph format "${format}" (available: ${GRAPH_FORMATS.join(', ')})`);
  const paths = positionals.length > 0 ? positionals : ['.'];
  const templates = templateFlags(values['template-values'], values['template-override']);
  const { results, graph } = await analyzeFiles(paths, { cwd: io.cwd, ...(values.config === undefined ? {} : { configFile: values.config }), ...(templates ? { templates } : {}) });
  if (results.length === 0) throw new UsageError(`no Dockerfiles found in ${paths.join(', ')}`);
  for (const r of results) {
    for (const m of r.messages) if (m.fatal) io.stderr.write(`layerlint: ${r.filePath}:${m.line}: ${m.message}\n`);
  }
  const text = formatGraph(graph, format, io.cwd);
  if (values['output-file'] === undefined) io.stdout.write(text);
  else await writeOutputFile(path.resolve(io.cwd, values['output-file']), text);
  return 0;
}
