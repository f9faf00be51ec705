// The base image is the bottom layers of the final image: every node that runs it pulls and stores them.
// A full variant where a slim one of the same version exists, or a build toolchain shipped as the final
// image, costs hundreds of megabytes per node. Builder stages copied from selectively cost nothing here.
import { createRule } from '../src/rule/create-rule.js';
import { BASE_IMAGE_SIZES, formatSize, smallerVariant, toolchainImage, type SmallerVariant } from '../src/estimate/base-images.js';
import { runCommands } from '../src/model/cache-cleanup.js';
import { effective } from '../src/model/command-queries.js';
import { stagesKeepingPath } from '../src/model/stage-reach.js';
import type { DockerfileModel, FromInstruction, ImageRef, Stage } from '../src/model/types.js';

interface VariantOption {
  image: string;
  tag?: string;
  to: string;
  variant?: string;
}

interface Options {
  sizes: Record<string, number>;
  variants: VariantOption[];
}

export default createRule({
  id: 'prefer-minimal-base',
  meta: {
    type: 'bytes',
    docs: { description: 'The final image should not be built on a full variant or a build toolchain image when a smaller one fits' },
    messages: {
      smallerVariant: '{{image}} (~{{size}}) has a smaller variant, {{suggestion}} (~{{smallerSize}}){{note}}: about {{saving}} less to pull and store per node',
      smallerVariantUnsized: '{{image}} has a smaller variant, {{suggestion}}{{note}}: less to pull and store per node',
      toolchainFinal:
        '{{image}} (~{{size}}) is a build toolchain and the base of the final image: build in a builder stage and copy the result onto a runtime base such as {{runtime}} (~{{runtimeSize}}), about {{saving}} less per node',
    },
    defaultSeverity: 'info',
    schema: {
      type: 'object',
      properties: {
        sizes: {
          type: 'object',
          additionalProperties: { type: 'integer', minimum: 0 },
          description: 'Compressed sizes in bytes by `<image>:<variant>` (e.g. `python:slim`), replacing the built-in figures',
        },
        variants: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              image: { type: 'string', description: 'Image name as FROM writes it, registry included' },
              tag: { type: 'string', description: 'Regular expression the tag must match (default: any)' },
              to: { type: 'string', description: 'The smaller reference; `{tag}` stands for the tag' },
              variant: { type: 'string', description: 'Name of the smaller variant in `sizes` (default `small`)' },
            },
            required: ['image', 'to'],
            additionalProperties: false,
          },
          description: 'More images with a smaller variant',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { sizes: {}, variants: [] } as Options,
  },
  create(context) {
    const size = (key: string): number | undefined => context.options.sizes[key] ?? BASE_IMAGE_SIZES[key]?.bytes;
    return {
      'File:exit'(model) {
        const shipped = stagesKeepingPath(model, '/');
        for (const stage of model.stages) {
          if (!shipped.has(stage) || stage.parent) continue;
          const from = stage.from;
          const smaller = configuredVariant(from.ref, context.options.variants) ?? smallerVariant(from.ref);
          if (smaller && !runsAny(model, shipped, smaller.lacks)) {
            const full = size(`${smaller.image}:${smaller.variant}`);
            const small = size(`${smaller.image}:${smaller.smallerVariant}`);
            const data = { image: from.resolvedImage, suggestion: smaller.suggestion, note: smaller.note };
            if (full !== undefined && small !== undefined && full > small) {
              context.report({ range: imageRange(from), messageId: 'smallerVariant', data: { ...data, size: formatSize(full), smallerSize: formatSize(small), saving: formatSize(full - small) } });
            } else context.report({ range: imageRange(from), messageId: 'smallerVariantUnsized', data });
            continue;
          }
          const tool = toolchainImage(from.ref);
          if (!tool) continue;
          const toolSize = size(`${tool.image}:${tool.variant}`);
          const runtimeSize = size(tool.runtimeKey);
          if (toolSize === undefined || runtimeSize === undefined) continue;
          context.report({
            range: imageRange(from),
            messageId: 'toolchainFinal',
            data: { image: from.resolvedImage, size: formatSize(toolSize), runtime: tool.runtime, runtimeSize: formatSize(runtimeSize), saving: formatSize(Math.max(0, toolSize - runtimeSize)) },
          });
        }
      },
    };
  },
});

function imageRange(from: FromInstruction): FromInstruction['range'] {
  return from.imageRange ?? from.range;
}

/** A mapping from the `variants` option, tried before the built-in table. */
function configuredVariant(ref: ImageRef, variants: readonly VariantOption[]): SmallerVariant | null {
  if (ref.scratch || ref.unresolved) return null;
  const name = ref.registry ? `${ref.registry}/${ref.name}` : ref.name;
  const tag = ref.tag ?? 'latest';
  for (const v of variants) {
    if (v.image !== name) continue;
    try {
      if (v.tag !== undefined && !new RegExp(v.tag).test(tag)) continue;
    } catch {
      continue;
    }
    return { image: name, variant: 'full', smallerVariant: v.variant ?? 'small', suggestion: v.to.replaceAll('{tag}', tag), note: '', lacks: [] };
  }
  return null;
}

/** True when a RUN of the shipped stages (or an ONBUILD trigger) runs one of the programs. */
function runsAny(model: DockerfileModel, shipped: ReadonlySet<Stage>, programs: readonly string[]): boolean {
  if (programs.length === 0) return false;
  for (const ins of model.instructions) {
    const run = ins.keyword === 'ONBUILD' && ins.trigger ? ins.trigger : ins;
    if (run.keyword !== 'RUN' || !run.stage || !shipped.has(run.stage)) continue;
    if (runCommands(run).some((c) => programs.includes(effective(c).program))) return true;
  }
  return false;
}
