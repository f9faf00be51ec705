// RubyGems keeps every downloaded .gem file in the cache/ directory of the gem home, and `gem install`
// also generates ri and rdoc documentation, often larger than the gem itself. Neither is used at run
// time, and unless the same RUN avoids or removes them they stay in the layer for good.
import { createRule } from '../src/rule/create-rule.js';
import { appendCommand, fixWith, insertOption } from '../src/fix/shell-edits.js';
import { hasOption } from '../src/model/command-queries.js';
import { cacheLeft, callRange, firstPositional, optionValue, runCommands, toolCall, type ToolCall } from '../src/model/cache-cleanup.js';
import { stagesKeepingPath } from '../src/model/stage-reach.js';
import type { RunInstruction, ShellCommand, ShellWord, Stage } from '../src/model/types.js';
import type { FixFunction, ReportDescriptor } from '../src/rule/types.js';

/** Gem homes, system-wide: the official ruby images' GEM_HOME, Ruby's own default, Debian's and Fedora's. */
const GEM_HOMES = ['$GEM_HOME', '/usr/local/bundle', '/usr/local/lib/ruby/gems/*', '/usr/lib/ruby/gems/*', '/var/lib/gems/*', '/usr/share/gems', '$(gem env gemdir)', '$(gem env home)'];
/** Gem homes of `gem install --user-install`. */
const USER_HOMES = ['~/.gem/ruby/*', '~/.local/share/gem/ruby/*'];
/** Where bundler installs when given a path: `<path>/ruby/<version>`. */
const BUNDLE_HOMES = ['$BUNDLE_PATH/ruby/*', 'vendor/bundle/ruby/*'];
const GEM_VALUE_OPTIONS = new Set(['-i', '--install-dir', '-n', '--bindir', '-v', '--version', '--platform', '-s', '--source', '-p', '--http-proxy', '-g', '--file', '--config-file']);
const BUNDLE_VALUE_OPTIONS = new Set(['--jobs', '-j', '--retry', '--gemfile', '--path', '--without', '--with', '--shebang', '--trust-policy', '--target-rbconfig']);
/** `gem: --no-document` (or `install: --no-document`) as written into a gemrc. */
const GEMRC_NO_DOCS = /\b(gem|install):[^\n]*--no-(document|rdoc|ri)\b/;

export default createRule({
  id: 'clean-gem-cache',
  meta: {
    type: 'bytes',
    docs: {
      description: 'gem install and bundle install should not leave documentation or downloaded .gem files in the layer',
    },
    messages: {
      gemDocs: '`{{command}}` generates ri and rdoc documentation in this layer: pass --no-document',
      gemCache: '`{{command}}` keeps each downloaded .gem file in {{dir}} in this layer: remove it in the same RUN',
      bundleCache: '`{{command}}` keeps each downloaded .gem file in {{dir}} in this layer: remove it in the same RUN',
    },
    fixable: 'code',
    defaultSeverity: 'info',
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  create(context) {
    let kept: Set<Stage> | null = null;
    /** Removes the cache under a gem home written literally on the command line; a guessed home gets no fix. */
    const removal = (run: RunInstruction, after: ShellCommand, home: string | null, cacheOf: (home: string) => string): FixFunction | undefined =>
      home === null ? undefined : fixWith(appendCommand(context.model, run, after, `rm -rf ${cacheOf(home)}`));
    return {
      RUN(node) {
        kept ??= stagesKeepingPath(context.model, '/usr/local/bundle/cache');
        if (!node.stage || !kept.has(node.stage)) return;
        // Both commands fill the same gem cache, and one removal at the end empties it: report the last one left.
        let last: ReportDescriptor<'gemCache' | 'bundleCache'> | null = null;
        for (const cmd of runCommands(node)) {
          const call = toolCall(cmd);
          const gem = verbOf(call, /^gem\d*(\.\d+)*$/, GEM_VALUE_OPTIONS);
          if (gem !== null && gem !== 'bare' && (gem.value === 'install' || gem.value === 'i')) {
            const dirWord = optionValue(call.args, '-i', '--install-dir');
            const dir = dirWord?.value;
            const homes = dir ? [dir] : hasOption(call.args, '--user-install') ? USER_HOMES : GEM_HOMES;
            const range = callRange(call, gem);
            const data = { command: `gem ${gem.value}`, dir: `${homes[0] as string}/cache` };
            if (!docsOff(node, call) && cacheLeft(node, call, { dirs: homes.map((h) => `${h}/doc`) })) {
              context.report({ range, messageId: 'gemDocs', data, fix: fixWith(insertOption(context.model, node, cmd, gem, '--no-document')) });
            }
            if (cacheLeft(node, call, { dirs: homes.map((h) => `${h}/cache`) })) {
              last = { range, messageId: 'gemCache', data, fix: removal(node, cmd, literalDir(dirWord), (d) => `${d}/cache`) };
            }
            continue;
          }
          const bundle = verbOf(call, /^bundler?$/, BUNDLE_VALUE_OPTIONS);
          if (bundle === null || (bundle !== 'bare' && bundle.value !== 'install' && bundle.value !== 'update')) continue;
          const pathWord = optionValue(call.args, '--path');
          const path = pathWord?.value ?? node.env.get('BUNDLE_PATH');
          const homes = path ? [`${path}/ruby/*`, path] : [...GEM_HOMES, ...BUNDLE_HOMES];
          if (!cacheLeft(node, call, { dirs: homes.map((h) => `${h}/cache`) })) continue;
          const command = bundle === 'bare' ? call.program : `${call.program} ${bundle.value}`;
          const fix = removal(node, cmd, literalDir(pathWord), (d) => `${d}/ruby/*/cache`);
          last = { range: callRange(call, bundle === 'bare' ? null : bundle), messageId: 'bundleCache', data: { command, dir: `${homes[0] as string}/cache` }, fix };
        }
        if (last) context.report(last);
      },
    };
  },
});

/** An absolute directory written without variables, quotes or globs, so that a removal of it can be written as is. */
function literalDir(word: ShellWord | null): string | null {
  if (!word || word.dynamic || !/^\/[\w./+@-]*$/.test(word.value)) return null;
  return word.value.replace(/\/+$/, '') || null;
}

/** The subcommand of `program`; 'bare' when it runs with options only (`bundle` alone installs). */
function verbOf(call: ToolCall, program: RegExp, valueOptions: ReadonlySet<string>): ShellWord | 'bare' | null {
  if (!program.test(call.program)) return null;
  const verb = firstPositional(call.args, valueOptions);
  if (verb) return verb.word;
  return hasOption(call.args, '--version', '-v', '--help', '-h') ? null : 'bare';
}

/** --no-document on the command line, or in a gemrc written earlier (the official ruby images ship one). */
function docsOff(run: RunInstruction, call: ToolCall): boolean {
  const a = call.args;
  if (hasOption(a, '--no-document', '-N') || (hasOption(a, '--no-rdoc') && hasOption(a, '--no-ri'))) return true;
  const writesGemrc = (cmds: readonly { args: ShellWord[]; index: number }[], before: number): boolean =>
    cmds.some((c) => c.index < before && c.args.some((w) => GEMRC_NO_DOCS.test(w.value)));
  if (writesGemrc(runCommands(run), call.command.index)) return true;
  for (let stage: Stage | null = run.stage; stage; stage = stage.parent) {
    if (!stage.parent && stage.from.ref.registry === null && stage.from.ref.name === 'ruby') return true;
    for (const ins of stage.instructions) {
      if (ins.keyword === 'RUN' && ins.index < run.index && writesGemrc(runCommands(ins), Infinity)) return true;
    }
  }
  return false;
}
