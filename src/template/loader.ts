// Finding and compiling templates. A template name is resolved inside one root directory only: names
// that are absolute, climb with `..`, or lead through a symlink out of the root are refused, so no
// template can read a file outside the template tree.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { checkTemplate } from './checks.js';
import { TemplateError, parseTemplate } from './parser.js';
import type { Pos, Stmt, StmtOf } from './syntax.js';
import { childStmts } from './syntax.js';
import { RenderError } from './values.js';

/** Templates are small text files; this bounds what a hostile one can make layerlint read. */
export const MAX_TEMPLATE_BYTES = 1024 * 1024;

export interface SourcePosition {
  /** Absolute path. */
  file: string;
  line: number;
  column: number;
}

export interface CompiledTemplate {
  /** The name it is loaded by (relative to its loader's root). */
  readonly name: string;
  /** The file it was read from (for merged overrides, the first of them). */
  readonly file: string;
  readonly body: Stmt[];
  /** Every block, nested ones too, by name. */
  readonly blocks: ReadonlyMap<string, StmtOf<'block'>>;
  /** Where a position of the compiled text is in the files it came from. */
  locate(p: Pos): SourcePosition;
  /** Resolves the names this template extends, includes and imports. */
  readonly loader: TemplateLoader;
}

export interface TemplateLoader {
  /** Throws RenderError when there is no such template, TemplateError when it does not compile. */
  load(name: string): CompiledTemplate;
}

export function compile(text: string, name: string, file: string, loader: TemplateLoader, locate?: (p: Pos) => SourcePosition): CompiledTemplate {
  const body = parseTemplate(text, file);
  checkTemplate(body, file);
  const blocks = new Map<string, StmtOf<'block'>>();
  const collect = (stmts: Stmt[]): void => {
    for (const s of stmts) {
      if (s.k === 'block') blocks.set(s.name, s);
      childStmts(s).forEach(collect);
    }
  };
  collect(body);
  return { name, file, body, blocks, loader, locate: locate ?? ((p) => ({ file, line: p.line, column: p.col })) };
}

/** Jinja's FileSystemLoader, confined to one directory. Compiled templates and failures are cached. */
export class FileTemplateLoader implements TemplateLoader {
  private readonly cache = new Map<string, CompiledTemplate | Error>();
  readonly realRoot: string;

  constructor(readonly root: string) {
    this.realRoot = realpathSync(root);
  }

  load(name: string): CompiledTemplate {
    const pieces = templatePath(name);
    const key = pieces.join('/');
    let cached = this.cache.get(key);
    if (cached === undefined) {
      try {
        cached = this.read(key, pieces);
      } catch (error) {
        cached = error instanceof Error ? error : new Error(String(error));
      }
      this.cache.set(key, cached);
    }
    if (cached instanceof Error) throw cached;
    return cached;
  }

  /** The template at an absolute path inside the root (the image templates being rendered). */
  loadFile(file: string): CompiledTemplate {
    const rel = relative(this.root, file);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new RenderError(`${file} is outside the template root ${this.root}`);
    return this.load(rel.split(sep).join('/'));
  }

  private read(name: string, pieces: string[]): CompiledTemplate {
    const path = join(this.root, ...pieces);
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      throw new RenderError(`template not found: '${name}' (in ${this.root})`);
    }
    const rel = relative(this.realRoot, real);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw new RenderError(`template '${name}' leads outside the template root through a symbolic link: refused`);
    }
    const stat = statSync(real);
    if (!stat.isFile()) throw new RenderError(`template not found: '${name}' is not a file`);
    if (stat.size > MAX_TEMPLATE_BYTES) throw new RenderError(`template '${name}' is larger than ${MAX_TEMPLATE_BYTES} bytes: refused`);
    const text = decodeUtf8(readFileSync(real), name);
    return compile(text, name, path, this);
  }
}

/** Jinja's split_template_path, stricter: absolute names and backslashes are refused rather than reinterpreted. */
export function templatePath(name: string): string[] {
  if (name.includes('\0')) throw new RenderError('template names may not contain NUL');
  if (name.startsWith('/')) throw new RenderError(`template names are relative to the template root: '${name}' is refused`);
  if (name.includes('\\')) throw new RenderError(`template names use '/': '${name}' is refused`);
  const pieces: string[] = [];
  for (const piece of name.split('/')) {
    if (piece === '..') throw new RenderError(`template names may not climb out of the template root with '..': '${name}' is refused`);
    if (piece !== '' && piece !== '.') pieces.push(piece);
  }
  if (pieces.length === 0) throw new RenderError(`empty template name '${name}'`);
  return pieces;
}

export function decodeUtf8(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new RenderError(`template '${name}' is not valid UTF-8`);
  }
}

export interface OverrideFile {
  file: string;
  text: string;
}

/**
 * Kolla's `--template-override`: the first file, then each further file without its `extends` line,
 * as one template named after the first file. It resolves no other names, as in Kolla.
 */
export class OverrideLoader implements TemplateLoader {
  readonly template: CompiledTemplate;

  constructor(files: readonly OverrideFile[]) {
    const first = files[0];
    if (!first) throw new Error('no override files');
    const pieces: { mergedStart: number; file: string; fileStart: number }[] = [];
    let merged = '';
    files.forEach((f, i) => {
      if (i === 0) {
        pieces.push({ mergedStart: 0, file: f.file, fileStart: 0 });
        merged += f.text;
        return;
      }
      // Kolla removes r'.*\{\%.*extends.*\n'; Python's `.` is every character but \n.
      const remove = /[^\n]*\{%[^\n]*extends[^\n]*\n/g;
      let last = 0;
      for (let m = remove.exec(f.text); m !== null; m = remove.exec(f.text)) {
        if (m.index > last) pieces.push({ mergedStart: merged.length, file: f.file, fileStart: last });
        merged += f.text.slice(last, m.index);
        last = m.index + m[0].length;
      }
      pieces.push({ mergedStart: merged.length, file: f.file, fileStart: last });
      merged += f.text.slice(last);
    });
    const mergedStarts = lineStarts(merged);
    const fileLines = new Map(files.map((f) => [f.file, lineStarts(f.text)]));
    const locate = (p: Pos): SourcePosition => {
      const offset = (mergedStarts[p.line - 1] ?? merged.length) + p.col - 1;
      let piece = pieces[0] as (typeof pieces)[number];
      for (const candidate of pieces) if (candidate.mergedStart <= offset) piece = candidate;
      const fileOffset = piece.fileStart + offset - piece.mergedStart;
      const starts = fileLines.get(piece.file) as number[];
      let line = 0;
      while (line + 1 < starts.length && (starts[line + 1] as number) <= fileOffset) line++;
      return { file: piece.file, line: line + 1, column: fileOffset - (starts[line] as number) + 1 };
    };
    this.template = compile(merged, basename(first.file), first.file, this, locate);
  }

  load(name: string): CompiledTemplate {
    if (name === this.template.name) return this.template;
    throw new RenderError(`template not found: '${name}' (an override template can refer only to itself and to parent_template)`);
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export { TemplateError };
