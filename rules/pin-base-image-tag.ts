// A FROM without tag or digest builds on whatever `latest` points to that day. When it moves, every
// layer above it is rebuilt, and two builds of the same file on different days share no layers and
// may not even behave alike. A tag (better, a digest) names the base the layers were built on.
import { createRule } from '../src/rule/create-rule.js';
import type { FromInstruction } from '../src/model/types.js';

export default createRule({
  id: 'pin-base-image-tag',
  meta: {
    type: 'reproducibility',
    docs: {
      description: 'A FROM image should name a tag or a digest',
      sources: ['hadolint:DL3006'],
    },
    messages: {
      untagged: '`{{image}}` has no tag or digest, so it means whatever `latest` is at build time: name a tag or a digest',
      untaggedDefault: '`{{image}}` defaults to `{{resolved}}`, which has no tag or digest, so it means whatever `latest` is at build time: name a tag or a digest',
    },
    defaultSeverity: 'warning',
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  create(context) {
    return {
      FROM(node) {
        if (!node.imageRange || !untagged(node)) return;
        if (node.image === node.resolvedImage) context.report({ range: node.imageRange, messageId: 'untagged', data: { image: node.image } });
        else context.report({ range: node.imageRange, messageId: 'untaggedDefault', data: { image: node.image, resolved: node.resolvedImage } });
      },
    };
  },
});

function untagged(from: FromInstruction): boolean {
  const ref = from.ref;
  if (ref.scratch || ref.digest || ref.tag) return false;
  // `${REGISTRY}/debian` has no tag whatever REGISTRY is; `$BASE` or `debian$SUFFIX` may have one.
  const image = from.resolvedImage;
  if (ref.unresolved && /[${}]/.test(image.slice(image.lastIndexOf('/') + 1))) return false;
  // `FROM builder` names an earlier stage, not an image.
  if (from.stage?.parent) return false;
  return from.resolvedImage.trim() !== '';
}
