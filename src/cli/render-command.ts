// `layerlint render`: writes what each Kolla-style Dockerfile.j2 template renders to, as Kolla's
// build would, so the result can be read, diffed or built. The image name is the template's directory.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { discover } from '../discover/discover.js';
import { TemplateEnvironment, TemplateSetupError } from '../template/render.js';
import { UsageError } from './args.js';
import { parseCommand } from './subcommand.js';
import type { CliIo } from './main.js';

export const RENDER_HELP = `Usage: layerlint render <templates-root> --template-values FILE [options]

Renders every *.j2 Dockerfile template below <templates-root> to DIR/<image>/Dockerfile, where
<image> is the name of the template's directory. Templates are Jinja2 as OpenStack Kolla renders them.

      --template-values FILE    the variables (YAML or JSON); FILE#target picks one target of several
      --template-override FILE  a Kolla template override ({% extends parent_template %}); repeatable
      --template-root DIR       the directory template names (imports) resolve in; by default the
                                nearest directory above each template that holds what it imports
  -o, --out DIR                 where to write (default: rendered)
  -h, --help                    show this help

Exit status: 0 all rendered, 1 a template failed (each error on stderr as file:line:column), 2 usage error.
`;

export async function renderCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    'template-values': { type: 'string' },
    'template-override': { type: 'string', multiple: true },
    'template-root': { type: 'string' },
    out: { type: 'string', short: 'o' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(RENDER_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('render takes one templates root directory (see layerlint render --help)');
  const valuesFile = values['template-values'];
  if (valuesFile === undefined) throw new UsageError('render needs --template-values FILE');
  const root = path.resolve(io.cwd, positionals[0] as string);
  const out = path.resolve(io.cwd, values.out ?? 'rendered');

  let env: TemplateEnvironment;
  try {
    env = TemplateEnvironment.open(
      { values: valuesFile, overrides: values['template-override'] ?? [], ...(values['template-root'] === undefined ? {} : { root: values['template-root'] }) },
      io.cwd,
      root,
    );
  } catch (error) {
    if (error instanceof TemplateSetupError) throw new UsageError(`${display(io.cwd, error.file)}${error.line === undefined ? '' : `:${error.line}`}: ${error.detail}`);
    throw error;
  }

  const found = await discover([root], { cwd: io.cwd, includeTemplates: true });
  for (const problem of found.problems) throw new UsageError(`${problem.path}: ${problem.message}`);
  const templates = found.files.filter((f) => f.endsWith('.j2'));
  if (templates.length === 0) throw new UsageError(`no Dockerfile templates (*.j2) found in ${positionals[0] as string}`);
  const byImage = new Map<string, string>();
  for (const file of templates) {
    const image = path.basename(path.dirname(file));
    const other = byImage.get(image);
    if (other !== undefined) throw new UsageError(`two templates render the image ${image}: ${display(io.cwd, other)} and ${display(io.cwd, file)}`);
    byImage.set(image, file);
  }

  let failed = 0;
  for (const [image, file] of byImage) {
    const outcome = env.render(file);
    if (!outcome.ok) {
      failed++;
      const e = outcome.error;
      io.stderr.write(`layerlint: ${display(io.cwd, e.file)}:${e.line}:${e.column}: ${e.reason}\n`);
      for (const t of [...e.trace].reverse()) io.stderr.write(`  from ${display(io.cwd, t.file)}:${t.line}:${t.column}${t.what ? ` (${t.what})` : ''}\n`);
      continue;
    }
    const dir = path.join(out, image);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'Dockerfile'), outcome.text);
  }
  const rendered = byImage.size - failed;
  io.stdout.write(`rendered ${rendered} of ${byImage.size} template${byImage.size === 1 ? '' : 's'} to ${display(io.cwd, out)}\n`);
  return failed > 0 ? 1 : 0;
}

function display(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}
