// zypper keeps raw and solv repository metadata (tens of megabytes per repository) in /var/cache/zypp.
// Unless the same RUN cleans it, it stays in that layer for good; and a plain `zypper clean` only
// deletes cached packages, which are usually none. Only stages whose files reach the final image are checked.
import { createRule } from '../src/rule/create-rule.js';
import { appendCommand, fixWith, insertOption } from '../src/fix/shell-edits.js';
import { hasOption } from '../src/model/command-queries.js';
import { cacheLeft, callRange, runCommands, toolCall, type ToolCall } from '../src/model/cache-cleanup.js';
import { stagesKeepingPath } from '../src/model/stage-reach.js';
import type { ShellWord, Stage } from '../src/model/types.js';

const DIRS = ['/var/cache/zypp'];
/** Subcommands (and their aliases) that download metadata or packages into the cache. */
const FILLING = new Set(['install', 'in', 'update', 'up', 'dist-upgrade', 'dup', 'patch', 'source-install', 'si', 'install-new-recommends', 'inr', 'refresh', 'ref']);
/** Every subcommand: the first positional that is one of them is the subcommand, whatever options precede it. */
const VERBS = new Set([
  ...FILLING, 'clean', 'cc', 'remove', 'rm', 'addrepo', 'ar', 'removerepo', 'rr', 'modifyrepo', 'mr', 'repos', 'lr', 'search', 'se', 'info', 'if',
  'addlock', 'al', 'removelock', 'rl', 'locks', 'll', 'list-updates', 'lu', 'list-patches', 'lp', 'packages', 'pa', 'patterns', 'pt', 'verify', 've', 'help',
]);

export default createRule({
  id: 'clean-zypper-cache',
  meta: {
    type: 'bytes',
    docs: {
      description: 'A RUN that installs with zypper should end with zypper clean --all',
      sources: ['hadolint:DL3036'],
    },
    messages: {
      missingClean: '`{{command}}` leaves repository metadata in /var/cache/zypp in this layer: end the same RUN with `zypper clean --all`',
      metadataKept: '`{{command}}` leaves repository metadata in /var/cache/zypp in this layer: `{{clean}}` without --all deletes only part of the cache; use `zypper clean --all`',
    },
    fixable: 'code',
    defaultSeverity: 'warning',
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  create(context) {
    let kept: Set<Stage> | null = null;
    return {
      RUN(node) {
        kept ??= stagesKeepingPath(context.model, DIRS[0] as string);
        if (!node.stage || !kept.has(node.stage)) return;
        // One clean at the end empties the cache of every install before it: report the last one left.
        let last: { call: ToolCall; verb: ShellWord } | null = null;
        for (const cmd of runCommands(node)) {
          const call = toolCall(cmd);
          if (call.program !== 'zypper') continue;
          const verb = subcommand(call);
          if (verb && FILLING.has(verb.value) && cacheLeft(node, call, { dirs: DIRS, cleans: (c) => isClean(c) && cleansMetadata(c) })) last = { call, verb };
        }
        if (!last) return;
        const range = callRange(last.call, last.verb);
        const command = `zypper ${last.verb.value}`;
        const after = last.call.command.index;
        const partial = runCommands(node).map(toolCall).find((c) => c.command.index > after && isClean(c));
        if (partial) {
          // The clean is already where it should be: it only needs to clean everything.
          const verb = subcommand(partial);
          const fix = verb ? fixWith(insertOption(context.model, node, partial.command, verb, '--all')) : undefined;
          context.report({ range, messageId: 'metadataKept', data: { command, clean: `zypper ${verb?.value ?? 'clean'}` }, fix });
        } else {
          const fix = fixWith(appendCommand(context.model, node, last.call.command, 'zypper clean --all'));
          context.report({ range, messageId: 'missingClean', data: { command }, fix });
        }
      },
    };
  },
});

function subcommand(call: ToolCall): ShellWord | null {
  return call.args.find((a) => !a.value.startsWith('-') && VERBS.has(a.value)) ?? null;
}

function isClean(call: ToolCall): boolean {
  if (call.program !== 'zypper') return false;
  const verb = subcommand(call)?.value;
  return verb === 'clean' || verb === 'cc';
}

/** `--all`, or both `--metadata` (the solv cache) and `--raw-metadata` (the downloaded metadata). */
function cleansMetadata(call: ToolCall): boolean {
  return hasOption(call.args, '-a', '--all') || (hasOption(call.args, '-m', '--metadata') && hasOption(call.args, '-M', '--raw-metadata'));
}
