// ADD of a local file does what COPY does, until the file is a tar archive: then ADD unpacks it, and
// the layer holds what the archive's bytes say rather than what the instruction says. COPY copies
// exactly; ADD is for what only it does (URLs, git, unpacking archives, --checksum).
import { createRule } from '../src/rule/create-rule.js';
import type { CopyInstruction } from '../src/model/types.js';

/** Names ADD may unpack: BuildKit detects tar by content, so a compressed name may hold one. */
const ARCHIVE = /\.(tar|tgz|taz|tbz|tbz2|tb2|tlz|tpz|txz|tzst|tz|gz|bz2|xz|lz|lzma|z|zst)$/i;
const REMOTE = /^[a-z][a-z0-9+.-]*:\/\//i;
const SCP_GIT = /^[\w.-]+@[\w.-]+:/;
const ADD_ONLY_FLAGS = new Set(['checksum', 'keep-git-dir', 'unpack']);

export default createRule({
  id: 'prefer-copy-over-add',
  meta: {
    type: 'reproducibility',
    docs: {
      description: 'Local files and directories should be copied with COPY, not ADD',
      sources: ['hadolint:DL3020'],
    },
    messages: {
      useCopy: "ADD of the local `{{source}}` is a copy, which COPY makes without ADD's URL fetching and tar unpacking: use COPY",
      heredoc: 'ADD of a heredoc writes a file, which COPY does the same way: use COPY',
    },
    defaultSeverity: 'error',
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  create(context) {
    return {
      ADD(node) {
        const source = localSource(node);
        if (source === null) return;
        if (source.startsWith('<<')) context.report({ range: node.keywordRange, messageId: 'heredoc' });
        else context.report({ range: node.keywordRange, messageId: 'useCopy', data: { source } });
      },
    };
  },
});

/** The first source COPY could take as is; null when ADD does something COPY cannot. */
function localSource(add: CopyInstruction): string | null {
  if (add.flags.some((f) => ADD_ONLY_FLAGS.has(f.name))) return null;
  for (const src of add.sources) {
    // A variable may hold a URL; heredoc bodies are text that COPY writes the same way.
    if (src.includes('$') && !src.startsWith('<<')) continue;
    if (REMOTE.test(src) || SCP_GIT.test(src) || ARCHIVE.test(src)) continue;
    return src;
  }
  return null;
}
