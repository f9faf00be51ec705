// dnf and microdnf keep the repository metadata they download (often over a hundred megabytes) in
// /var/cache/dnf (/var/cache/yum for microdnf, /var/cache/libdnf5 for dnf5). Unless the same RUN runs
// `dnf clean all`, it stays in that layer for good. Only stages whose files reach the final image are checked.
import { createRule } from '../src/rule/create-rule.js';
import { appendCommand, fixWith } from '../src/fix/shell-edits.js';
import { cacheLeft, callRange, runCommands, toolCall, type ToolCall } from '../src/model/cache-cleanup.js';
import { stagesKeepingPath } from '../src/model/stage-reach.js';
import type { ShellWord, Stage } from '../src/model/types.js';
import type { Range } from '../src/source/source-text.js';

/** Where each tool keeps its cache; the first is the one named in messages. */
const DIRS = new Map<string, string[]>([
  ['dnf', ['/var/cache/dnf', '/var/cache/libdnf5']],
  ['dnf5', ['/var/cache/libdnf5', '/var/cache/dnf']],
  ['microdnf', ['/var/cache/yum', '/var/cache/dnf', '/var/cache/libdnf5']],
]);
/** Subcommands (and dnf's short aliases) that download metadata or packages into the cache. */
const FILLING = new Set([
  'install', 'in', 'localinstall', 'groupinstall', 'reinstall', 'rei', 'update', 'upgrade', 'up', 'update-minimal', 'upgrade-minimal', 'up-min',
  'distro-sync', 'distrosync', 'dsync', 'downgrade', 'dg', 'makecache', 'mc', 'swap',
]);
/** Every subcommand: the first positional that is one of them is the subcommand, whatever options precede it. */
const VERBS = new Set([
  ...FILLING, 'clean', 'remove', 'rm', 'erase', 'autoremove', 'list', 'info', 'search', 'se', 'provides', 'wp', 'group', 'groups', 'module', 'check-update',
  'history', 'repolist', 'repoinfo', 'repoquery', 'rq', 'mark', 'shell', 'help', 'config-manager', 'download', 'builddep', 'copr', 'versionlock', 'advisory', 'updateinfo',
]);

export default createRule({
  id: 'clean-dnf-cache',
  meta: {
    type: 'bytes',
    docs: {
      description: 'A RUN that installs with dnf or microdnf should end with dnf clean all',
      sources: ['hadolint:DL3040'],
    },
    messages: {
      missingClean: '`{{command}}` leaves repository metadata and packages in {{dir}} in this layer: end the same RUN with `{{tool}} clean all`',
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
        kept ??= stagesKeepingPath(context.model, '/var/cache/dnf');
        if (!node.stage || !kept.has(node.stage)) return;
        // One clean at the end empties the cache of every install before it: report the last one left.
        let last: { range: Range; data: Record<string, string>; call: ToolCall } | null = null;
        for (const cmd of runCommands(node)) {
          const call = toolCall(cmd);
          const dirs = DIRS.get(call.program);
          if (!dirs) continue;
          const verb = subcommand(call);
          if (!verb || !FILLING.has(verb.name) || !cacheLeft(node, call, { dirs, cleans: cleansAll })) continue;
          last = { range: callRange(call, verb.last), data: { command: `${call.program} ${verb.label}`, dir: dirs[0] as string, tool: call.program }, call };
        }
        if (!last) return;
        const fix = fixWith(appendCommand(context.model, node, last.call.command, `${last.call.program} clean all`));
        context.report({ range: last.range, messageId: 'missingClean', data: last.data, fix });
      },
    };
  },
});

/** `install`, or `group install` / `module install` read as `install`, with its label and last word. */
function subcommand(call: ToolCall): { name: string; label: string; last: ShellWord } | null {
  const positionals = call.args.filter((a) => !a.value.startsWith('-'));
  const i = positionals.findIndex((a) => VERBS.has(a.value));
  const verb = positionals[i];
  if (!verb) return null;
  const next = positionals[i + 1];
  if (['group', 'groups', 'module'].includes(verb.value) && next && ['install', 'update', 'upgrade'].includes(next.value)) return { name: next.value, label: `${verb.value} ${next.value}`, last: next };
  return { name: verb.value, label: verb.value, last: verb };
}

/** `dnf clean all`, also through yum (dnf's alias) or microdnf. */
function cleansAll(call: ToolCall): boolean {
  if (!DIRS.has(call.program) && call.program !== 'yum') return false;
  const positionals = call.args.filter((a) => !a.value.startsWith('-')).map((a) => a.value);
  return positionals[0] === 'clean' && positionals.includes('all');
}
