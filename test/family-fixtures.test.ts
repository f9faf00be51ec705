// The family rules on the fixture families: exactly the cases fixtures/family/README.md lists, and
// nothing on fixtures/clean. The graph is built as the CLI builds it, COPY/ADD keyed by context bytes.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initShellParser } from '../src/model/shell-parser.js';
import { buildModel } from '../src/model/build.js';
import { SourceText } from '../src/source/source-text.js';
import { buildGraph } from '../src/graph/build-graph.js';
import { ContextHasher } from '../src/graph/context-hash.js';
import { runFamilyRules } from '../src/linter/run-family-rules.js';
import hoistCommonSteps from '../rules/hoist-common-steps.js';
import nearDuplicateImages from '../rules/near-duplicate-images.js';
import reorderSiblingSteps from '../rules/reorder-sibling-steps.js';
import repeatedAncestorStep from '../rules/repeated-ancestor-step.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const rules = [hoistCommonSteps, nearDuplicateImages, reorderSiblingSteps, repeatedAncestorStep];

beforeAll(async () => {
  await initShellParser();
});

/** Each finding as `image:line rule -> related image:line, ...`, sorted. */
function lintFamilyDir(dir: string): string[] {
  const inputs = readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'Dockerfile')))
    .map((name) => {
      const file = join(dir, name, 'Dockerfile');
      return { file, model: buildModel(new SourceText(file, readFileSync(file, 'utf8'))) };
    });
  const hasher = new ContextHasher();
  const graph = buildGraph(inputs, { contextHash: (file, step) => hasher.hash(file, step) });
  const found = runFamilyRules(graph, rules.map((rule) => ({ rule, severity: 'info' as const, options: rule.meta.defaultOptions })), dir);
  const image = (path: string): string => path.slice(dir.length + 1).replace(/\/Dockerfile$/, '');
  return [...found.entries()]
    .flatMap(([file, diags]) => diags.map((d) => `${image(file)}:${d.line} ${d.ruleId} -> ${(d.related ?? []).map((r) => `${(r.filePath ?? '').replace(/\/Dockerfile$/, '')}:${r.line}`).join(', ')}`))
    .sort();
}

describe('family rules on the fixtures', () => {
  it('find exactly the family cases of fixtures/family', () => {
    expect(lintFamilyDir(join(fixtures, 'family'))).toEqual([
      // near-duplicates: the same three layer steps (db-base's ONBUILD COPY, then 5 and 6), other settings.
      'db-primary:1 near-duplicate-images -> db-replica:1',
      'db-replica:1 near-duplicate-images -> db-primary:1',
      // repeats an ancestor: base's apt-get RUN again, two levels down.
      'metrics:13 repeated-ancestor-step -> base:10',
      // sibling order: the same two RUNs in the opposite order; worker's order is kept.
      'scheduler:5 reorder-sibling-steps -> worker:5',
      // hoistable step: the same RUN in both children of web-base, at different positions.
      'web-admin:5 hoist-common-steps -> web-frontend:10',
      'web-frontend:10 hoist-common-steps -> web-admin:5',
    ]);
  });

  it('find nothing on fixtures/clean', () => {
    expect(lintFamilyDir(join(fixtures, 'clean'))).toEqual([]);
  });
});
