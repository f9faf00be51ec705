// Without --no-cache, apk stores each repository's package index (a few megabytes of APKINDEX) in
// /var/cache/apk. Unless the same RUN deletes it, the index stays in that layer for good: a later `rm`
// only adds a whiteout. Only stages whose files reach the final image are checked.
import { createRule } from '../src/rule/create-rule.js';
import { fixWith, insertOption } from '../src/fix/shell-edits.js';
import { hasOption } from '../src/model/command-queries.js';
import { cacheLeft, callRange, firstPositional, optionValue, runCommands, toolCall } from '../src/model/cache-cleanup.js';
import { stagesKeepingPath } from '../src/model/stage-reach.js';
import type { Stage } from '../src/model/types.js';
import type { Range } from '../src/source/source-text.js';

const CACHE = '/var/cache/apk';
/** apk's options that take the next word as their value. */
const VALUE_OPTIONS = new Set(['-X', '--repository', '-p', '--root', '--arch', '--cache-dir', '--keys-dir', '--repositories-file', '--progress-fd', '--wait', '--timeout', '--cache-max-age', '-t', '--virtual']);
/** Subcommands that fetch the index when it is not cached. */
const FETCHING = new Set(['add', 'upgrade']);

export default createRule({
  id: 'apk-no-cache',
  meta: {
    type: 'bytes',
    docs: {
      description: 'apk add should run with --no-cache so the package index does not stay in the layer',
      sources: ['hadolint:DL3019'],
    },
    messages: {
      noCache: '`{{command}}` without --no-cache leaves the package index in /var/cache/apk in this layer: use `apk {{verb}} --no-cache`',
      updateThenAdd: '`{{update}}` and `{{command}}` leave the package index in /var/cache/apk in this layer: drop `{{update}}` and use `apk {{verb}} --no-cache`',
      updateLeaves: '`{{command}}` leaves the package index in /var/cache/apk in this layer: drop it and use `apk add --no-cache`, or end the same RUN with `rm -rf /var/cache/apk/*`',
    },
    fixable: 'code',
    defaultSeverity: 'info',
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  create(context) {
    let kept: Set<Stage> | null = null;
    return {
      RUN(node) {
        kept ??= stagesKeepingPath(context.model, CACHE);
        if (!node.stage || !kept.has(node.stage)) return;
        // An `apk update` whose index a later uncached `apk add` writes again is reported with that add.
        // Neither finding gets a fix: dropping the update changes the commands, and deleting the index
        // it wrote would break a later RUN that installs from it.
        let pendingUpdate: { range: Range; command: string } | null = null;
        for (const cmd of runCommands(node)) {
          const call = toolCall(cmd);
          if (call.program !== 'apk') continue;
          const verb = firstPositional(call.args, VALUE_OPTIONS)?.word ?? null;
          if (!verb || (verb.value !== 'update' && !FETCHING.has(verb.value))) continue;
          // --no-network installs from what is already cached and writes no index.
          if (hasOption(call.args, '--no-cache', '--no-network')) continue;
          const dir = optionValue(call.args, '--cache-dir')?.value ?? CACHE;
          if (!cacheLeft(node, call, { dirs: [dir] })) continue;
          const range = callRange(call, verb);
          const command = `apk ${verb.value}`;
          if (verb.value === 'update') {
            if (pendingUpdate) context.report({ range: pendingUpdate.range, messageId: 'updateLeaves', data: { command: pendingUpdate.command } });
            pendingUpdate = { range, command };
          } else if (pendingUpdate) {
            context.report({ range, messageId: 'updateThenAdd', data: { command, update: pendingUpdate.command, verb: verb.value } });
            pendingUpdate = null;
          } else {
            const fix = fixWith(insertOption(context.model, node, cmd, verb, '--no-cache'));
            context.report({ range, messageId: 'noCache', data: { command, verb: verb.value }, fix });
          }
        }
        if (pendingUpdate) context.report({ range: pendingUpdate.range, messageId: 'updateLeaves', data: { command: pendingUpdate.command } });
      },
    };
  },
});
