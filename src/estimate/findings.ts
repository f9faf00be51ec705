// Findings are reported per file, at a range; sizes belong to layer steps of images. This puts each
// finding on the steps it is about: the step whose instruction holds it (in every image that runs an
// ONBUILD trigger), or the image's FROM, and its related locations on the steps they point at.
import path from 'node:path';
import type { LintResult, Diagnostic } from '../linter/diagnostic.js';
import type { ImageGraph, ImageNode, LayerStep } from '../graph/types.js';

export interface PlacedFinding {
  ruleId: string;
  diagnostic: Diagnostic;
  image: ImageNode;
  /** The step the finding is in; null when it is on the image's FROM. */
  step: LayerStep | null;
  /** The text the finding's range covers (a path, a package, a command). */
  text: string;
  /** Steps its related locations point at (the layer that created a file, the same step elsewhere). */
  related: { image: ImageNode; step: LayerStep }[];
}

/** Every finding of a rule that is on a layer step or a FROM of the graph's images. */
export function placeFindings(graph: ImageGraph, results: readonly LintResult[], cwd: string): PlacedFinding[] {
  const byFile = new Map<string, ImageNode[]>();
  for (const img of graph.images) byFile.set(img.file, [...(byFile.get(img.file) ?? []), img]);
  const out: PlacedFinding[] = [];
  for (const result of results) {
    const file = path.resolve(cwd, result.filePath);
    const images = byFile.get(file) ?? [];
    if (images.length === 0) continue;
    for (const d of result.messages) {
      if (d.ruleId === null || d.fatal) continue;
      const related = (d.related ?? []).flatMap((r) => stepsAtLine(byFile.get(r.filePath === undefined ? file : path.resolve(cwd, r.filePath)) ?? [], r.line));
      for (const img of images) {
        const text = img.model.source.slice(d.range);
        if (img.from.range.start <= d.range.start && d.range.start <= img.from.range.end) {
          out.push({ ruleId: d.ruleId, diagnostic: d, image: img, step: null, text, related });
          continue;
        }
        for (const { image, step } of stepsAt(img, d.range.start)) out.push({ ruleId: d.ruleId, diagnostic: d, image, step, text, related });
      }
    }
  }
  return out;
}

/** The image's own step holding `offset`, or the children's steps when it is in one of its ONBUILD triggers. */
function stepsAt(img: ImageNode, offset: number): { image: ImageNode; step: LayerStep }[] {
  const inside = (s: LayerStep): boolean => s.instruction.range.start <= offset && offset <= s.instruction.range.end;
  const own = img.steps.find((s) => !s.inherited && inside(s));
  if (own) return [{ image: img, step: own }];
  return img.children.flatMap((child) => child.steps.filter((s) => s.inherited && inside(s)).map((step) => ({ image: child, step })));
}

function stepsAtLine(images: readonly ImageNode[], line: number): { image: ImageNode; step: LayerStep }[] {
  const out: { image: ImageNode; step: LayerStep }[] = [];
  for (const img of images) {
    const source = img.model.source;
    const offset = source.lineStart(line - 1);
    const end = source.lineEnd(line - 1);
    const step = img.steps.find((s) => !s.inherited && s.instruction.range.start <= end && offset <= s.instruction.range.end);
    if (step) out.push({ image: img, step });
  }
  return out;
}
