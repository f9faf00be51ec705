// yarn copies every package it installs into its global cache (/usr/local/share/.cache/yarn for root),
// so the layer holds the dependencies twice: in node_modules and in the cache. Unless the same RUN runs
// `yarn cache clean`, the copy stays for good. Only stages whose files reach the final image are checked.
import { createRule } from '../src/rule/create-rule.js';
import { appendCommand, fixWith } from '../src/fix/shell-edits.js';
import { hasOption } from '../src/model/command-queries.js';
import { cacheLeft, callRange, firstPositional, optionValue, runCommands, toolCall, variableFor, type ToolCall } from '../src/model/cache-cleanup.js';
import { stagesKeepingPath } from '../src/model/stage-reach.js';
import type { RunInstruction, ShellWord, Stage } from '../src/model/types.js';
import type { Range } from '../src/source/source-text.js';

/** yarn 1 as root, yarn 1 as a user, yarn 2+ global cache. */
const DEFAULT_DIRS = ['/usr/local/share/.cache/yarn', '~/.cache/yarn', '~/.yarn/berry/cache'];
/** yarn's options that take the next word as their value. */
const VALUE_OPTIONS = new Set([
  '--cwd', '--cache-folder', '--preferred-cache-folder', '--modules-folder', '--global-folder', '--link-folder', '--mutex', '--network-timeout',
  '--network-concurrency', '--child-concurrency', '--registry', '--otp', '--use-yarnrc', '--proxy', '--https-proxy',
]);
/** Subcommands that download packages into the cache. */
const FILLING = new Set(['install', 'add', 'upgrade', 'up']);

export default createRule({
  id: 'clean-yarn-cache',
  meta: {
    type: 'bytes',
    docs: {
      description: 'A RUN that installs with yarn should end with yarn cache clean',
      sources: ['hadolint:DL3060'],
    },
    messages: {
      missingClean: '`{{command}}` leaves a copy of every package in the yarn cache in this layer: end the same RUN with `yarn cache clean`',
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
        kept ??= stagesKeepingPath(context.model, DEFAULT_DIRS[0] as string);
        if (!node.stage || !kept.has(node.stage)) return;
        // One clean at the end empties the cache of every install before it: report the last one left.
        let last: { range: Range; command: string; call: ToolCall } | null = null;
        for (const cmd of runCommands(node)) {
          const call = toolCall(cmd);
          const install = yarnInstall(call);
          if (!install) continue;
          const folder = optionValue(call.args, '--cache-folder')?.value ?? variableFor(node, call, 'YARN_CACHE_FOLDER', context.source);
          if (cacheLeft(node, call, { dirs: folder ? [folder] : DEFAULT_DIRS, cleans: cleansCache })) last = { range: callRange(call, install.last), command: install.label, call };
        }
        if (!last) return;
        // `yarn cache clean` empties the default cache, not one named on the install's command line; and
        // Yarn 2+ with Plug'n'Play loads packages from its cache at run time.
        const named = optionValue(last.call.args, '--cache-folder', '--preferred-cache-folder');
        const fix = named || showsBerry(node) ? undefined : fixWith(appendCommand(context.model, node, last.call.command, `${last.call.program} cache clean`));
        context.report({ range: last.range, messageId: 'missingClean', data: { command: last.command }, fix });
      },
    };
  },
});

/** `yarn`, `yarn install`, `yarn add x`, `yarn global add x`: what fills the cache, with its label and last word. */
function yarnInstall(call: ToolCall): { label: string; last: ShellWord | null } | null {
  if (call.program !== 'yarn' && call.program !== 'yarnpkg') return null;
  const verb = firstPositional(call.args, VALUE_OPTIONS);
  if (!verb) {
    // A bare `yarn` installs; `yarn --version` and `yarn --help` do not.
    if (hasOption(call.args, '--version', '-v', '--help', '-h')) return null;
    return { label: call.program, last: null };
  }
  if (FILLING.has(verb.word.value)) return { label: `${call.program} ${verb.word.value}`, last: verb.word };
  if (verb.word.value !== 'global') return null;
  const sub = firstPositional(call.args, VALUE_OPTIONS, verb.at + 1);
  if (!sub || !FILLING.has(sub.word.value)) return null;
  return { label: `${call.program} global ${sub.word.value}`, last: sub.word };
}

/** Signs of Yarn 2+ up to this RUN: corepack, `yarn set version`, `--immutable`, a copied .yarnrc.yml or .yarn directory. */
function showsBerry(run: RunInstruction): boolean {
  const berryCall = (call: ToolCall): boolean =>
    call.program === 'corepack' ||
    ((call.program === 'yarn' || call.program === 'yarnpkg') && (firstPositional(call.args, VALUE_OPTIONS)?.word.value === 'set' || hasOption(call.args, '--immutable', '--immutable-cache')));
  for (let stage: Stage | null = run.stage; stage; stage = stage.parent) {
    for (const ins of stage.instructions) {
      if (ins.index > run.index) break;
      if ((ins.keyword === 'COPY' || ins.keyword === 'ADD') && ins.sources.some((src) => /(^|\/)\.yarn(rc\.yml|\/|$)/.test(src))) return true;
      if (ins.keyword === 'RUN' && runCommands(ins).map(toolCall).some(berryCall)) return true;
    }
  }
  return false;
}

function cleansCache(call: ToolCall): boolean {
  if (call.program !== 'yarn' && call.program !== 'yarnpkg') return false;
  const verb = firstPositional(call.args, VALUE_OPTIONS);
  return verb?.word.value === 'cache' && firstPositional(call.args, VALUE_OPTIONS, verb.at + 1)?.word.value === 'clean';
}
