// npm keeps a compressed copy of every package it fetches in ~/.npm/_cacache, so the layer holds the
// dependencies twice: unpacked in node_modules and packed in the cache. Unless the same RUN removes it,
// the copy stays for good. Only stages whose files reach the final image are checked.
import { createRule } from '../src/rule/create-rule.js';
import { appendCommand, fixWith } from '../src/fix/shell-edits.js';
import { cacheLeft, callRange, firstPositional, optionValue, runCommands, toolCall, variableFor, type ToolCall } from '../src/model/cache-cleanup.js';
import { stagesKeepingPath } from '../src/model/stage-reach.js';
import type { Stage } from '../src/model/types.js';
import type { Range } from '../src/source/source-text.js';

/** npm's options that take the next word as their value (most are written `--name=value`). */
const VALUE_OPTIONS = new Set([
  '--prefix', '-C', '--cache', '--registry', '--userconfig', '--globalconfig', '-w', '--workspace', '--loglevel', '--omit', '--include', '--tag', '--only', '--location',
]);
/** install, ci, update and the aliases npm accepts for them. */
const FILLING = new Set([
  'install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add', 'ci', 'clean-install', 'ic', 'install-clean', 'isntall-clean',
  'install-test', 'it', 'install-ci-test', 'cit', 'update', 'up', 'upgrade', 'udpate',
]);

export default createRule({
  id: 'clean-npm-cache',
  meta: {
    type: 'bytes',
    docs: {
      description: 'A RUN that installs with npm should not leave the npm cache in the layer',
    },
    messages: {
      missingClean: '`{{command}}` leaves a packed copy of every package in {{dir}} in this layer: end the same RUN with `npm cache clean --force`',
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
        kept ??= stagesKeepingPath(context.model, '/root/.npm');
        if (!node.stage || !kept.has(node.stage)) return;
        // One clean at the end empties the cache of every install before it: report the last one left.
        let last: { range: Range; data: Record<string, string>; call: ToolCall } | null = null;
        for (const cmd of runCommands(node)) {
          const call = toolCall(cmd);
          if (call.program !== 'npm') continue;
          const verb = firstPositional(call.args, VALUE_OPTIONS);
          if (!verb || !FILLING.has(verb.word.value)) continue;
          const dir = (optionValue(call.args, '--cache')?.value ?? variableFor(node, call, 'npm_config_cache', context.source) ?? variableFor(node, call, 'NPM_CONFIG_CACHE', context.source) ?? '~/.npm').replace(/\/+$/, '');
          // The packed copies live in _cacache; the rest of ~/.npm (logs, npx) is small.
          if (cacheLeft(node, call, { dirs: [`${dir}/_cacache`], cleans: cleansCache })) last = { range: callRange(call, verb.word), data: { command: `npm ${verb.word.value}`, dir }, call };
        }
        if (!last) return;
        // `npm cache clean` empties the default cache, not one named on the install's command line.
        const fix = optionValue(last.call.args, '--cache') ? undefined : fixWith(appendCommand(context.model, node, last.call.command, 'npm cache clean --force'));
        context.report({ range: last.range, messageId: 'missingClean', data: last.data, fix });
      },
    };
  },
});

/** `npm cache clean --force` (and its aliases `clear`, `rm`); without --force npm refuses and the build fails anyway. */
function cleansCache(call: ToolCall): boolean {
  if (call.program !== 'npm') return false;
  const verb = firstPositional(call.args, VALUE_OPTIONS);
  const sub = verb?.word.value === 'cache' ? firstPositional(call.args, VALUE_OPTIONS, verb.at + 1)?.word.value : undefined;
  return sub === 'clean' || sub === 'clear' || sub === 'rm';
}
