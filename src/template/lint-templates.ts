// Templates in the lint pipeline: each `*.j2` Dockerfile is rendered in memory and linted as the
// Dockerfile it renders to, then every finding is moved back onto the template, at the line that
// produced it (or the macro call or block that generated it), with the rendered position kept as a
// related location. Templates are never fixed: a fix to rendered text is not a fix to the template.
// The renderer (and nunjucks with it) is loaded only by a run that renders templates.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { ConfigError, type LoadedConfig, type TemplatesSection } from '../config/load-config.js';
import { summarize, type Diagnostic, type LintResult } from '../linter/diagnostic.js';
import type { LoadedFile } from '../load/lint-family.js';
import type { RelatedLocation } from '../rule/types.js';
import { SourceText } from '../source/source-text.js';
import type { Rendered } from './interpreter.js';
import { TemplateLineMap, type MappedLocation } from './line-map.js';
import type { TemplateError } from './parser.js';
import type { TemplateEnvironment } from './render.js';

export type { TemplateOptions } from './render.js';

/** Template settings as the command line gives them; each one given replaces the configuration's. */
export interface TemplateFlags {
  values?: string;
  overrides?: string[];
  root?: string;
}

/**
 * The session of a lint run, when templates are to be rendered: values from the command line or the
 * `templates:` section of the configuration (command-line paths relative to `cwd`, the section's to
 * its file). A values or override file that cannot be used is a ConfigError, as a bad config is.
 */
/**
 * `bound` limits how far up from a template its root (the directory holding the macro files it
 * imports) is looked for: the config's directory, else the tree being linted.
 */
export async function openTemplateSession(cli: TemplateFlags | undefined, config: LoadedConfig | null, cwd: string, bound: string = cwd): Promise<TemplateSession | null> {
  const section = config?.sections.templates as TemplatesSection | undefined;
  const configDir = config?.file ? dirname(resolve(cwd, config.file)) : null;
  const fromConfig = (p: string): string => resolve(configDir ?? cwd, p);
  const values = cli?.values !== undefined ? resolve(cwd, cli.values) : section?.values !== undefined ? fromConfig(section.values) : undefined;
  if (values === undefined) return null;
  const overrides = cli?.overrides?.length ? cli.overrides.map((o) => resolve(cwd, o)) : (section?.overrides ?? []).map(fromConfig);
  const root = cli?.root !== undefined ? resolve(cwd, cli.root) : section?.root !== undefined ? fromConfig(section.root) : undefined;
  const { TemplateEnvironment, TemplateSetupError } = await import('./render.js');
  try {
    return new TemplateSession(TemplateEnvironment.open({ values, overrides, ...(root === undefined ? {} : { root }) }, cwd, configDir ?? bound), cwd);
  } catch (error) {
    if (error instanceof TemplateSetupError) throw new ConfigError({ file: error.file, ...(error.line === undefined ? {} : { line: error.line }), detail: error.detail });
    throw error;
  }
}

interface RenderedEntry {
  file: string;
  filePath: string;
  image: string;
  template: SourceText;
  rendered: SourceText;
  map: TemplateLineMap;
}

interface FailedEntry {
  file: string;
  filePath: string;
  error: TemplateError;
}

export type TemplateLoad = { ok: true; source: SourceText } | { ok: false; problem: { message: string; line?: number; column?: number } };

export class TemplateSession {
  private readonly rendered = new Map<string, RenderedEntry>();
  private readonly failed = new Map<string, FailedEntry>();

  constructor(
    private readonly env: TemplateEnvironment,
    private readonly cwd: string,
  ) {}

  handles(file: string): boolean {
    return file.endsWith('.j2');
  }

  /** Renders a template: the rendered text to lint, or the template error as a load problem. */
  load(file: string, filePath: string): TemplateLoad {
    const outcome = this.env.render(file);
    if (!outcome.ok) {
      this.failed.set(filePath, { file, filePath, error: outcome.error });
      const at = positionIn(outcome.error, file);
      return { ok: false, problem: { message: this.describe(outcome.error, file), line: at.line, column: at.column } };
    }
    this.remember(file, filePath, outcome.image, outcome.text, outcome.rendered);
    return { ok: true, source: new SourceText(filePath, outcome.text) };
  }

  private remember(file: string, filePath: string, image: string, text: string, rendered: Rendered): void {
    let template: string;
    try {
      template = readFileSync(file, 'utf8');
    } catch {
      template = '';
    }
    this.rendered.set(filePath, {
      file,
      filePath,
      image,
      template: new SourceText(filePath, template),
      rendered: new SourceText(filePath, text),
      map: new TemplateLineMap(rendered, file),
    });
  }

  /** Context files of the family (see family-context.ts) that are templates, rendered; those that fail are left out. */
  renderContext(entries: readonly LoadedFile[]): LoadedFile[] {
    return entries.flatMap((entry) => {
      if (!this.handles(entry.file)) return [entry];
      const outcome = this.env.render(entry.file);
      if (!outcome.ok) return [];
      this.remember(entry.file, entry.filePath, outcome.image, outcome.text, outcome.rendered);
      return [{ ...entry, source: new SourceText(entry.filePath, outcome.text), template: true }];
    });
  }

  /** Moves findings on rendered text onto the templates; adds results for errors in imported templates. */
  finish(results: LintResult[], options: { fix?: boolean } = {}): LintResult[] {
    const out: LintResult[] = [];
    const extra = new Map<string, Diagnostic[]>();
    for (const result of results) {
      const rendered = this.rendered.get(result.filePath);
      const failed = this.failed.get(result.filePath);
      if (rendered) out.push(this.mapResult(result, rendered, options.fix === true));
      else if (failed) out.push(this.failedResult(result, failed, extra));
      else out.push(this.mapRelatedOnly(result));
    }
    for (const [filePath, messages] of extra) out.push(summarize(filePath, messages));
    return out;
  }

  private display(file: string): string {
    const rel = relative(this.cwd, file);
    return rel.startsWith('..') ? file : rel.split(sep).join('/');
  }

  private describe(error: TemplateError, file: string): string {
    const elsewhere = error.file !== file ? ` (in ${this.display(error.file)}:${error.line}:${error.column})` : '';
    return `template error: ${error.reason}${elsewhere}`;
  }

  private failedResult(result: LintResult, entry: FailedEntry, extra: Map<string, Diagnostic[]>): LintResult {
    const { error, file } = entry;
    if (error.file === file) return result;
    // The error is in another template (an imported macro file): report it there too, once.
    const filePath = this.display(error.file);
    const list = extra.get(filePath) ?? [];
    if (!list.some((d) => d.line === error.line && d.column === error.column && d.message === `template error: ${error.reason}`)) {
      list.push(fileDiagnostic(`template error: ${error.reason}`, error.line, error.column));
      extra.set(filePath, list);
    }
    const related: RelatedLocation = { message: 'the error', filePath, line: error.line, column: error.column, endLine: error.line, endColumn: error.column };
    return { ...result, messages: result.messages.map((m) => (m.fatal ? { ...m, related: [related] } : m)) };
  }

  private mapResult(result: LintResult, entry: RenderedEntry, fix: boolean): LintResult {
    const fixable = result.messages.filter((m) => m.fix || (m.suggestions?.length ?? 0) > 0).length;
    const messages = result.messages.map((m) => this.mapDiagnostic(m, entry));
    if (fix && fixable > 0) {
      const message = `not fixed: layerlint never rewrites templates; ${fixable} problem${fixable === 1 ? '' : 's'} with a fix must be fixed in the template`;
      messages.push({ ruleId: null, severity: 'info', message, range: { start: 0, end: 0 }, line: 1, column: 1, endLine: 1, endColumn: 1 });
    }
    return summarize(result.filePath, messages, entry.template.text);
  }

  private mapDiagnostic(m: Diagnostic, entry: RenderedEntry): Diagnostic {
    const { template, rendered, map } = entry;
    const start = map.locate(m.range.start);
    const end = map.locate(Math.max(m.range.start, m.range.end - 1));
    const renderedAt = rendered.location(m.range);
    const related: RelatedLocation[] = [{ message: 'in the rendered Dockerfile', filePath: `${entry.image}/Dockerfile (rendered)`, ...renderedAt }];
    const loc = this.templateLocation(start, end, template);
    if (start && start.innermost.file !== entry.file) {
      const inner = start.innermost;
      related.push({
        message: `generated here${start.via ? ` (${start.via})` : ''}`,
        filePath: this.display(inner.file),
        line: inner.line,
        column: inner.column,
        endLine: inner.line,
        endColumn: inner.column,
      });
    }
    // Rules word related locations from the reported file's point of view ("the same step as line 7").
    for (const r of m.related ?? []) related.push({ ...this.mapRelated(r.filePath === undefined ? { ...r, filePath: entry.filePath } : r, entry.filePath), message: this.mapLineNumbers(r.message, entry) });
    const { fix: _fix, suggestions: _suggestions, ...rest } = m;
    const range = { start: offsetOf(template, loc.line, loc.column), end: offsetOf(template, loc.endLine, loc.endColumn) };
    return { ...rest, message: this.mapLineNumbers(m.message, entry), range, ...loc, related };
  }

  /**
   * Rules name lines in their messages, as rendered: `the COPY on line 13` (this file), `Line 40 of
   * base` (an image), `docker/base/Dockerfile.j2:40` (a file). Each becomes the template line.
   */
  private mapLineNumbers(message: string, entry: RenderedEntry): string {
    return message
      .replace(/\b(lines?) (\d+(?:(?:, | and |, and )\d+)*)/g, (_all, word: string, numbers: string) => {
        let unmapped = false;
        const mapped = numbers.replace(/\d+/g, (n) => {
          const line = this.templateLine(entry, Number(n));
          if (line === null) unmapped = true;
          return String(line ?? n);
        });
        return unmapped ? `rendered ${word} ${numbers}` : `${word} ${mapped}`;
      })
      .replace(/\bLine (\d+) of ([A-Za-z0-9_.-]+)/g, (all, n: string, image: string) => {
        const other = [...this.rendered.values()].find((e) => e.image === image);
        const line = other ? this.templateLine(other, Number(n)) : null;
        return line === null ? all : `Line ${line} of ${image}`;
      })
      .replace(/([\w./-]+\.j2):(\d+)/g, (all, filePath: string, n: string) => {
        const other = this.rendered.get(filePath);
        const line = other ? this.templateLine(other, Number(n)) : null;
        return line === null ? all : `${filePath}:${line}`;
      });
  }

  private templateLine(entry: RenderedEntry, renderedLine: number): number | null {
    if (renderedLine < 1 || renderedLine > entry.rendered.lineCount) return null;
    const text = entry.rendered.lineText(renderedLine - 1);
    const offset = entry.rendered.lineStart(renderedLine - 1) + Math.max(0, text.search(/\S/));
    return entry.map.locate(offset)?.primary?.line ?? null;
  }

  /** The template range of a rendered range: exact where the text is template text, the whole line where it was generated. */
  private templateLocation(start: MappedLocation | null, end: MappedLocation | null, template: SourceText): { line: number; column: number; endLine: number; endColumn: number } {
    const p = start?.primary;
    if (!p) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
    const lineEnd = template.lineText(p.line - 1).length + 1;
    const column = start.exact ? p.column : firstNonBlank(template, p.line, p.column);
    const e = end?.primary;
    if (e && end.exact && (e.line > p.line || (e.line === p.line && e.column >= column))) {
      return { line: p.line, column, endLine: e.line, endColumn: e.column + 1 };
    }
    return { line: p.line, column, endLine: p.line, endColumn: Math.max(lineEnd, column) };
  }

  /** Related locations that point into a rendered template; those in `sameFile` lose their filePath again. */
  private mapRelated(r: RelatedLocation, sameFile?: string): RelatedLocation {
    const entry = r.filePath === undefined ? undefined : this.rendered.get(r.filePath);
    if (!entry) return r;
    if (r.filePath === sameFile) {
      const { filePath: _same, ...rest } = this.mapRelated(r);
      return rest;
    }
    const offset = entry.rendered.offsetAt(r.line - 1, r.column - 1);
    const endOffset = entry.rendered.offsetAt(r.endLine - 1, r.endColumn - 1);
    const loc = this.templateLocation(entry.map.locate(offset), entry.map.locate(Math.max(offset, endOffset - 1)), entry.template);
    return { ...r, ...loc };
  }

  private mapRelatedOnly(result: LintResult): LintResult {
    if (this.rendered.size === 0 || !result.messages.some((m) => m.related?.some((r) => r.filePath !== undefined && this.rendered.has(r.filePath)))) return result;
    return { ...result, messages: result.messages.map((m) => (m.related ? { ...m, related: m.related.map((r) => this.mapRelated(r)) } : m)) };
  }
}

function positionIn(error: TemplateError, file: string): { line: number; column: number } {
  if (error.file === file) return { line: error.line, column: error.column };
  // The outermost call into the failing template that is in this file: an import, a macro call.
  const inFile = error.trace.filter((t) => t.file === file);
  const last = inFile[inFile.length - 1];
  return last ? { line: last.line, column: last.column } : { line: 1, column: 1 };
}

function fileDiagnostic(message: string, line: number, column: number): Diagnostic {
  return { ruleId: null, severity: 'error', message, range: { start: 0, end: 0 }, line, column, endLine: line, endColumn: column, fatal: true };
}

function firstNonBlank(template: SourceText, line: number, column: number): number {
  const text = template.lineText(line - 1);
  const at = text.slice(column - 1).search(/\S/);
  return at < 0 ? column : column + at;
}

function offsetOf(source: SourceText, line: number, column: number): number {
  return source.offsetAt(line - 1, column - 1);
}
