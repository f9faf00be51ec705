// ADD of a local file does what COPY does, until the file is a tar archive: then ADD unpacks it, and
// the layer holds what the archive's bytes say rather than what the instruction says. COPY copies
// exactly; ADD is for what only it does (URLs, git, unpacking archives, --checksum).
import { createRule } from '../src/rule/create-rule.js';
import type { CopyInstruction } from '../src/model/types.js';
import type { Edit, Fixer } from '../src/rule/types.js';

/** Names ADD may unpack: BuildKit detects tar by content, so a compressed name may hold one. */
const ARCHIVE = /\.(tar|tgz|taz|tbz|tbz2|tb2|tlz|tpz|txz|tzst|tz|gz|bz2|xz|lz|lzma|z|zst)$/i;
/** A name that says it is an archive without an extension, as OpenStack Kolla's `plugins-archive` tarballs. */
const ARCHIVE_WORD = /(^|[-_.])archives?([-_.]|$)/i;
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
    fixable: 'code',
    hasSuggestions: true,
    defaultSeverity: 'error',
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  create(context) {
    return {
      ADD(node) {
        const source = localSource(node);
        if (source === null) return;
        // Only when COPY takes every source as ADD does: a URL, an archive or a variable among them keeps ADD.
        const keyword = context.source.slice(node.keywordRange);
        const edit = (fixer: Fixer): Edit => fixer.replace(node.keywordRange, sameCase(keyword, 'COPY'));
        // A file without an extension, or a glob, may still be a tar that ADD unpacks: then only a suggestion.
        const safe = node.sources.every(copyable) && node.sources.every(notArchive);
        const suggested = node.sources.every(copyable) && !safe;
        const messageId = source.startsWith('<<') ? 'heredoc' : 'useCopy';
        const data = messageId === 'useCopy' ? { source } : undefined;
        context.report({ range: node.keywordRange, messageId, data, fix: safe ? edit : undefined, suggest: suggested ? [{ messageId, data, fix: edit }] : undefined });
      },
    };
  },
});

/** The first source COPY could take as is; null when ADD does something COPY cannot. */
function localSource(add: CopyInstruction): string | null {
  if (add.flags.some((f) => ADD_ONLY_FLAGS.has(f.name))) return null;
  return add.sources.find(copyable) ?? null;
}

function copyable(src: string): boolean {
  // A variable may hold a URL; heredoc bodies are text that COPY writes the same way.
  if (src.startsWith('<<')) return true;
  if (src.includes('$')) return false;
  return !REMOTE.test(src) && !SCP_GIT.test(src) && !ARCHIVE.test(src) && (src.endsWith('/') || !ARCHIVE_WORD.test(basename(src)));
}

/** A heredoc, a directory (ADD unpacks no archive inside one), or a file whose extension says what it holds. */
function notArchive(src: string): boolean {
  if (src.startsWith('<<') || src.endsWith('/') || ['.', '..'].includes(basename(src))) return true;
  return !/[*?[]/.test(src) && /.\.[A-Za-z0-9]+$/.test(basename(src));
}

function basename(src: string): string {
  return src.replace(/\/+$/, '').split('/').pop() ?? src;
}

/** `word` in the case `written` is in: `add` -> `copy`, `Add` -> `Copy`, else upper case. */
function sameCase(written: string, word: string): string {
  if (written === written.toLowerCase()) return word.toLowerCase();
  if (written === written[0] + written.slice(1).toLowerCase()) return (word[0] as string) + word.slice(1).toLowerCase();
  return word;
}
