// pip keeps every wheel it downloads or builds in ~/.cache/pip. In an image that cache is dead weight,
// often a large share of the installed packages' size, and a later RUN cannot take it back out of the
// layer. Only stages whose files reach the final image are checked.
import { createRule } from '../src/rule/create-rule.js';
import { fixWith, insertOption } from '../src/fix/shell-edits.js';
import { hasOption } from '../src/model/command-queries.js';
import { cacheLeft, callRange, firstPositional, optionValue, runCommands, toolCall, variableFor, type ToolCall } from '../src/model/cache-cleanup.js';
import { stagesKeepingPath } from '../src/model/stage-reach.js';
import type { ShellWord, Stage } from '../src/model/types.js';

const PIP = /^pip\d*(\.\d+)*$/;
const PYTHON = /^python\d*(\.\d+)*$/;
/** pip's general options that take the next word as their value. */
const VALUE_OPTIONS = new Set(['--cache-dir', '--log', '--proxy', '--retries', '--timeout', '--exists-action', '--cert', '--client-cert', '--python', '--use-feature', '--use-deprecated', '--keyring-provider']);
/** The words pip reads as booleans: any of them in PIP_NO_CACHE_DIR turns the cache off, `false` included. */
const BOOLEAN = /^(y|yes|t|true|on|1|n|no|f|false|off|0)$/i;

export default createRule({
  id: 'pip-no-cache-dir',
  meta: {
    type: 'bytes',
    docs: {
      description: 'pip install should not leave its download and wheel cache in the layer',
      sources: ['hadolint:DL3042'],
    },
    messages: {
      cacheLeft: '`{{command}}` keeps downloaded and built packages in {{dir}} in this layer: pass --no-cache-dir or set PIP_NO_CACHE_DIR=1',
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
        kept ??= stagesKeepingPath(context.model, '/root/.cache/pip');
        if (!node.stage || !kept.has(node.stage)) return;
        for (const cmd of runCommands(node)) {
          const call = toolCall(cmd);
          const pip = pipCommand(call, 'install');
          if (!pip || hasOption(pip.args, '--no-cache-dir')) continue;
          if (BOOLEAN.test(variableFor(node, call, 'PIP_NO_CACHE_DIR', context.source) ?? '')) continue;
          const dir = optionValue(pip.args, '--cache-dir')?.value ?? variableFor(node, call, 'PIP_CACHE_DIR', context.source) ?? cacheHome(node.env);
          if (!cacheLeft(node, call, { dirs: [dir], cleans: (c) => ['purge', 'remove'].includes(pipCommand(c, 'cache')?.next ?? '') })) continue;
          // A --cache-dir after the inserted option would turn the cache back on.
          const fix = optionValue(pip.args, '--cache-dir') ? undefined : fixWith(insertOption(context.model, node, cmd, pip.verb, '--no-cache-dir'));
          context.report({ range: callRange(call, pip.verb), messageId: 'cacheLeft', data: { command: pip.label, dir }, fix });
        }
      },
    };
  },
});

interface PipCommand {
  /** pip's own arguments, after `-m pip` when run through Python. */
  args: ShellWord[];
  verb: ShellWord;
  /** The positional word after the verb (`purge` in `pip cache purge`). */
  next: string | null;
  label: string;
}

/** `pip install`, `pip3.12 install`, `python3 -m pip install`; not pipx or pipenv. */
function pipCommand(call: ToolCall, verb: string): PipCommand | null {
  let args = call.args;
  let label = call.program;
  if (PYTHON.test(call.program)) {
    const m = args.findIndex((a) => a.value === '-m');
    const mod = args[m + 1];
    if (m < 0 || !mod || !PIP.test(mod.value)) return null;
    args = args.slice(m + 2);
    label = `${call.program} -m ${mod.value}`;
  } else if (!PIP.test(call.program)) return null;
  const pos = firstPositional(args, VALUE_OPTIONS);
  if (!pos || pos.word.value !== verb) return null;
  return { args, verb: pos.word, next: firstPositional(args, VALUE_OPTIONS, pos.at + 1)?.word.value ?? null, label: `${label} ${verb}` };
}

/** pip's default cache: `$XDG_CACHE_HOME/pip`, else `~/.cache/pip`. */
function cacheHome(env: ReadonlyMap<string, string>): string {
  const xdg = env.get('XDG_CACHE_HOME');
  return xdg ? `${xdg.replace(/\/+$/, '')}/pip` : '~/.cache/pip';
}
