import { beforeAll, describe, expect, it } from 'vitest';
import { initShellParser } from '../src/model/shell-parser.js';
import { lintSourceSync } from '../src/linter/lint-source.js';
import { SourceText } from '../src/source/source-text.js';
import { createRule } from '../src/rule/create-rule.js';
import { fixText } from '../src/fix/fix-loop.js';
import { applyFixes } from '../src/fix/apply-fixes.js';
import type { AnyRule } from '../src/rule/types.js';

beforeAll(async () => {
  await initShellParser();
});

const meta = { type: 'bytes' as const, docs: { description: 'test rule for the fix engine' }, messages: { m: 'm' }, fixable: 'code' as const, defaultSeverity: 'warning' as const, schema: {}, defaultOptions: {} };

/** Appends a cleanup to every RUN that lacks one. */
const addCleanup = createRule({
  id: 'add-cleanup',
  meta,
  create: (ctx) => ({
    RUN(node) {
      if (node.script.commands.some((c) => c.program === 'rm')) return;
      const end = node.argsRange?.end ?? node.range.end;
      ctx.report({ range: node.keywordRange, messageId: 'm', fix: (f) => f.insertAfter(end, ' && rm -rf /tmp/cache') });
    },
  }),
});

/** Flips the keyword between upper and lower case forever. */
const flip = createRule({
  id: 'flip',
  meta,
  create: (ctx) => ({
    RUN(node) {
      const word = ctx.source.slice(node.keywordRange);
      ctx.report({ range: node.keywordRange, messageId: 'm', fix: (f) => f.replace(node.keywordRange, word === 'RUN' ? 'run' : 'RUN') });
    },
  }),
});

/** A broken fix that changes what the build runs. */
const unsafe = createRule({
  id: 'unsafe',
  meta,
  create: (ctx) => ({
    RUN(node) {
      const c = node.script.commands[0];
      if (c && c.program === 'echo') ctx.report({ range: c.nameWord.range, messageId: 'm', fix: (f) => f.replace(c.nameWord.range, 'wget') });
    },
  }),
});

const lintWith = (rules: AnyRule[]) => (text: string) => lintSourceSync(new SourceText('Dockerfile', text), rules, { rules: {}, reportUnusedDirectives: 'off' });

describe('fix engine', () => {
  it('applies fixes and stops when nothing is left to fix', () => {
    const r = fixText('FROM a:1\nRUN echo a\nRUN echo b\n', lintWith([addCleanup]));
    expect(r.output).toBe('FROM a:1\nRUN echo a && rm -rf /tmp/cache\nRUN echo b && rm -rf /tmp/cache\n');
    expect(r.passes).toBe(1);
    expect(r.stopped).toBeNull();
    expect(fixText(r.output, lintWith([addCleanup])).fixed).toBe(false);
  });

  it('stops on a cycle', () => {
    const r = fixText('FROM a:1\nRUN echo a\n', lintWith([flip]));
    expect(r.stopped).toBe('cycle');
    expect(r.output).toBe('FROM a:1\nrun echo a\n');
  });

  it('throws away a pass that would change the commands', () => {
    const r = fixText('FROM a:1\nRUN echo a\n', lintWith([unsafe]));
    expect(r.stopped).toBe('unsafe-result');
    expect(r.fixed).toBe(false);
  });

  it('never changes a file that does not parse', () => {
    const text = 'FROM a:1\nRUN <<EOF\necho a\n';
    const r = fixText(text, lintWith([addCleanup]));
    expect(r).toMatchObject({ output: text, fixed: false, stopped: 'parse-error' });
  });

  it('skips an edit that overlaps or touches one already applied', () => {
    const edit = (start: number, end: number, text: string) => ({ edits: [{ range: { start, end }, text }] });
    const out = applyFixes('abcdef', [edit(0, 2, 'X'), edit(2, 3, 'Y'), edit(1, 4, 'Z'), edit(4, 4, '!')]);
    expect(out).toEqual({ text: 'Xcd!ef', applied: 2, skipped: 2 });
  });
});
