// Rendering small template trees in a temporary directory, for the template tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TemplateEnvironment, type RenderOutcome } from '../src/template/render.js';

const temps: string[] = [];

export function removeTemplateTrees(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes `files` (paths relative to a new temporary directory) and returns the directory. */
export function templateTree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'layerlint-template-'));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

export interface RenderSetup {
  /** Variables, written to values.json. */
  values?: Record<string, unknown>;
  /** Other files of the tree, e.g. `macros.j2` beside the image directories. */
  files?: Record<string, string>;
  /** Override files (written to the tree, by name). */
  overrides?: Record<string, string>;
}

/** Renders `img/Dockerfile.j2` of a tree whose template root is the tree itself. */
export function renderTemplate(template: string, setup: RenderSetup = {}): RenderOutcome {
  const overrideFiles = Object.fromEntries(Object.entries(setup.overrides ?? {}).map(([n, t]) => [`overrides/${n}`, t]));
  const dir = templateTree({ 'img/Dockerfile.j2': template, 'values.json': JSON.stringify(setup.values ?? {}), ...setup.files, ...overrideFiles });
  const env = TemplateEnvironment.open({ values: 'values.json', overrides: Object.keys(overrideFiles), root: '.' }, dir, dir);
  return env.render(path.join(dir, 'img', 'Dockerfile.j2'));
}

/** The rendered text; throws the template error when there is one. */
export function rendered(template: string, setup: RenderSetup = {}): string {
  const outcome = renderTemplate(template, setup);
  if (!outcome.ok) throw outcome.error;
  return outcome.text;
}

/** The reason a template fails, or null when it renders. */
export function failure(template: string, setup: RenderSetup = {}): string | null {
  const outcome = renderTemplate(template, setup);
  return outcome.ok ? null : outcome.error.reason;
}
