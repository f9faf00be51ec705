// The rendering environment for a tree of Kolla-style `Dockerfile.j2` templates: values, template
// overrides, the repositories file of `handle_repos`, and the template root each image template's
// imports resolve in. Each image template renders to text plus the positions its output came from.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { kollaGlobals, type ReposSource } from './kolla.js';
import { Interpreter, jinjaGlobals, type Rendered } from './interpreter.js';
import { FileTemplateLoader, OverrideLoader, decodeUtf8, MAX_TEMPLATE_BYTES, type CompiledTemplate } from './loader.js';
import { TemplateError } from './parser.js';
import { loadValues, readYamlFile, toValue, ValuesError } from './values-file.js';
import { PyDict, RenderError, TemplateValue, pyStr, type Value } from './values.js';

export interface TemplateOptions {
  /** The values file (YAML or JSON), optionally `file#target`. */
  values: string;
  /** Kolla template-override files, applied in order. */
  overrides?: string[];
  /** The directory template names resolve in; by default found per template (see `inferRoot`). */
  root?: string;
}

export interface RenderedTemplate {
  ok: true;
  /** The image name: the template's directory name. */
  image: string;
  file: string;
  text: string;
  rendered: Rendered;
}

export interface FailedTemplate {
  ok: false;
  image: string;
  file: string;
  error: TemplateError;
}

export type RenderOutcome = RenderedTemplate | FailedTemplate;

/** A problem with the rendering setup itself (values, overrides): nothing can be rendered. */
export class TemplateSetupError extends Error {
  override readonly name = 'TemplateSetupError';
  constructor(
    /** The values or override file at fault (absolute). */
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${detail}`);
  }
}

export class TemplateEnvironment {
  private readonly loaders = new Map<string, FileTemplateLoader>();
  private readonly repos = new Map<string, PyDict | Error>();
  private readonly override: OverrideLoader | null;

  private constructor(
    private readonly values: ReadonlyMap<string, Value>,
    private readonly valuesDir: string,
    overrides: { file: string; text: string }[],
    private readonly root: string | null,
    /** Template roots are looked for up to this directory. */
    private readonly bound: string,
  ) {
    try {
      this.override = overrides.length > 0 ? new OverrideLoader(overrides) : null;
    } catch (error) {
      if (error instanceof TemplateError) throw new TemplateSetupError(error.file, `template override: ${error.reason}`, error.line);
      throw error;
    }
  }

  /** Paths are resolved against `cwd`; `bound` limits how far up a template root is looked for. */
  static open(options: TemplateOptions, cwd: string, bound: string = cwd): TemplateEnvironment {
    let loaded;
    try {
      loaded = loadValues(resolve(cwd, options.values));
    } catch (error) {
      if (error instanceof ValuesError) throw new TemplateSetupError(error.file, `template values: ${error.detail}`, error.line);
      throw error;
    }
    const overrides = (options.overrides ?? []).map((o) => {
      const file = resolve(cwd, o);
      try {
        if (statSync(file).size > MAX_TEMPLATE_BYTES) throw new TemplateSetupError(file, `template override: larger than ${MAX_TEMPLATE_BYTES} bytes`);
        return { file, text: decodeUtf8(readFileSync(file), o) };
      } catch (error) {
        if (error instanceof TemplateSetupError) throw error;
        throw new TemplateSetupError(file, `template override: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    });
    const root = options.root === undefined ? null : resolve(cwd, options.root);
    if (root !== null && !existsSync(root)) throw new TemplateSetupError(root, 'the template root does not exist');
    return new TemplateEnvironment(loaded.values, dirname(loaded.file), overrides, root, resolve(cwd, bound));
  }

  render(file: string): RenderOutcome {
    const abs = resolve(file);
    const image = basename(dirname(abs));
    try {
      const root = this.root ?? inferRoot(abs, this.bound);
      const loader = this.loader(root);
      const template = loader.loadFile(abs);
      const values = new Map(this.values);
      values.set('image_name', image);
      const env = this.values.get('env');
      values.set('env', env instanceof PyDict ? env : new PyDict());
      let top: CompiledTemplate = template;
      if (this.override) {
        values.set('parent_template', new TemplateValue(template.name, template));
        top = this.override.template;
      }
      const globals = new Map([...jinjaGlobals(), ...kollaGlobals(this.reposFor(root))]);
      const rendered = new Interpreter(globals).render(top, values);
      return { ok: true, image, file: abs, text: rendered.text, rendered };
    } catch (error) {
      if (error instanceof TemplateError) return { ok: false, image, file: abs, error };
      if (error instanceof RenderError) return { ok: false, image, file: abs, error: new TemplateError(error.message, abs, 1, 1) };
      // A template nested deeper than the JavaScript stack allows: refused like any other limit.
      if (error instanceof RangeError) return { ok: false, image, file: abs, error: new TemplateError(`the template nests too deeply (${error.message})`, abs, 1, 1) };
      throw error;
    }
  }

  private loader(root: string): FileTemplateLoader {
    let loader = this.loaders.get(root);
    if (!loader) {
      loader = new FileTemplateLoader(root);
      this.loaders.set(root, loader);
    }
    return loader;
  }

  /**
   * Kolla's own repos.yaml, and the file `repos_yaml` names on top of it. Kolla's is looked for in the
   * template root, beside it, and where a Kolla checkout keeps it (`kolla/template/` beside `docker/`).
   */
  private reposFor(root: string): ReposSource {
    const configured = this.values.get('repos_yaml') ?? null;
    const candidates = [join(root, 'repos.yaml'), join(dirname(root), 'repos.yaml'), join(dirname(root), 'kolla', 'template', 'repos.yaml')];
    const defaults = candidates.find((f) => existsSync(f)) ?? join(root, 'repos.yaml');
    return {
      configured,
      defaults: () => this.readRepos(defaults),
      overlay: () => this.readRepos(resolve(this.valuesDir, pyStr(configured))),
    };
  }

  private readRepos(file: string): PyDict {
    let cached = this.repos.get(file);
    if (cached === undefined) {
      try {
        // Kolla reads it with PyYAML, which follows YAML 1.1.
        const { doc, lines } = readYamlFile(file, '1.1');
        const value = toValue(doc, lines, file);
        cached = value instanceof PyDict ? value : new Error(`${file}: the repositories file must hold a mapping`);
      } catch (error) {
        cached = error instanceof Error ? error : new Error(String(error));
      }
      this.repos.set(file, cached);
    }
    if (cached instanceof Error) throw new RenderError(`handle_repos: ${cached.message}`);
    return cached;
  }
}

const STATIC_NAME = /\{%-?\s*(?:import|from|include|extends)\s+(["'])([^"'\n]+)\1/g;

/**
 * The template root of an image template: the nearest directory, from the template's own up to
 * `bound`, in which every template it names literally exists (Kolla's `docker/` holding macros.j2).
 */
export function inferRoot(file: string, bound: string): string {
  const rel = relative(bound, file);
  if (rel.startsWith('..') || isAbsolute(rel)) return dirname(file);
  const names = new Set<string>();
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return bound;
  }
  for (const m of text.matchAll(STATIC_NAME)) names.add(m[2] as string);
  if (names.size === 0) return bound;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if ([...names].every((n) => !n.startsWith('/') && !n.split('/').includes('..') && existsSync(join(dir, n)))) return dir;
    if (dir === bound || dirname(dir) === dir) return bound;
  }
}
