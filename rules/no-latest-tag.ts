// `:latest` is a moving tag: the base changes under the same FROM line, so every layer above it is
// rebuilt when it moves, builds on different days share no layers, and what was tested is not what
// ships. A version tag (better, a digest) names the base the layers were built on.
import { createRule } from '../src/rule/create-rule.js';
import { writtenTagRange } from '../src/model/image-ref-ranges.js';

export default createRule({
  id: 'no-latest-tag',
  meta: {
    type: 'reproducibility',
    docs: {
      description: 'A FROM image should not use the moving `latest` tag',
      sources: ['hadolint:DL3007'],
    },
    messages: {
      latest: '`{{image}}` uses the moving `latest` tag: pin a version tag or a digest',
      latestDefault: '`{{image}}` defaults to `{{resolved}}`, the moving `latest` tag: pin a version tag or a digest',
    },
    defaultSeverity: 'warning',
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  create(context) {
    return {
      FROM(node) {
        const ref = node.ref;
        if (ref.tag !== 'latest' || ref.digest || node.stage?.parent) return;
        const range = writtenTagRange(node) ?? node.imageRange;
        if (!range) return;
        if (node.image === node.resolvedImage) context.report({ range, messageId: 'latest', data: { image: node.image } });
        else context.report({ range, messageId: 'latestDefault', data: { image: node.image, resolved: node.resolvedImage } });
      },
    };
  },
});
