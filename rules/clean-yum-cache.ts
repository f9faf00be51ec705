// yum keeps the repository metadata it downloads (often over a hundred megabytes) and any kept packages
// in /var/cache/yum. Unless the same RUN runs `yum clean all`, they stay in that layer for good: a later
// RUN only adds a whiteout. Only stages whose files reach the final image are checked.
import { createRule } from '../src/rule/create-rule.js';
import { appendCommand, fixWith } from '../src/fix/shell-edits.js';
import { cacheLeft, callRange, runCommands, toolCall, type ToolCall } from '../src/model/cache-cleanup.js';
import { stagesKeepingPath } from '../src/model/stage-reach.js';
import type { ShellWord, Stage } from '../src/model/types.js';
import type { Range } from '../src/source/source-text.js';

/** Subcommands that download metadata or packages into the cache. */
const FILLING = new Set(['install', 'groupinstall', 'localinstall', 'reinstall', 'update', 'upgrade', 'update-minimal', 'upgrade-minimal', 'distro-sync', 'downgrade', 'makecache', 'swap']);
/** Every yum subcommand: the first positional that is one of them is the subcommand, whatever options precede it. */
const VERBS = new Set([
  ...FILLING, 'clean', 'remove', 'erase', 'autoremove', 'list', 'info', 'search', 'provides', 'whatprovides', 'group', 'groups', 'groupremove', 'groupinfo',
  'grouplist', 'check-update', 'history', 'repolist', 'repoinfo', 'deplist', 'module', 'shell', 'help', 'version', 'check', 'updateinfo', 'fs', 'fssnapshot',
]);
/** On EL8 and later yum is dnf, and its cache is /var/cache/dnf. */
const DIRS = ['/var/cache/yum', '/var/cache/dnf'];

export default createRule({
  id: 'clean-yum-cache',
  meta: {
    type: 'bytes',
    docs: {
      description: 'A RUN that installs with yum should end with yum clean all',
      sources: ['hadolint:DL3032'],
    },
    messages: {
      missingClean: '`{{command}}` leaves repository metadata and packages in /var/cache/yum in this layer: end the same RUN with `yum clean all`',
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
        let last: { range: Range; command: string; call: ToolCall } | null = null;
        for (const cmd of runCommands(node)) {
          const call = toolCall(cmd);
          if (call.program !== 'yum') continue;
          const verb = subcommand(call);
          if (verb && FILLING.has(verb.name) && cacheLeft(node, call, { dirs: DIRS, cleans: cleansAll })) last = { range: callRange(call, verb.last), command: `yum ${verb.label}`, call };
        }
        if (!last) return;
        const fix = fixWith(appendCommand(context.model, node, last.call.command, 'yum clean all'));
        context.report({ range: last.range, messageId: 'missingClean', data: { command: last.command }, fix });
      },
    };
  },
});

/** `install`, or `group install` read as `install`, with its label and last word. */
function subcommand(call: ToolCall): { name: string; label: string; last: ShellWord } | null {
  const positionals = call.args.filter((a) => !a.value.startsWith('-'));
  const i = positionals.findIndex((a) => VERBS.has(a.value));
  const verb = positionals[i];
  if (!verb) return null;
  const next = positionals[i + 1];
  if ((verb.value === 'group' || verb.value === 'groups') && next && ['install', 'update', 'upgrade'].includes(next.value)) return { name: next.value, label: `${verb.value} ${next.value}`, last: next };
  return { name: verb.value, label: verb.value, last: verb };
}

function cleansAll(call: ToolCall): boolean {
  if (call.program !== 'yum' && call.program !== 'dnf') return false;
  const positionals = call.args.filter((a) => !a.value.startsWith('-')).map((a) => a.value);
  return positionals[0] === 'clean' && positionals.includes('all');
}
