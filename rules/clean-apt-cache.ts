// `apt-get update` writes the package lists (often tens of megabytes) to /var/lib/apt/lists. Unless the
// same RUN deletes them, they are stored in that layer for good: a later `rm` only adds a whiteout.
// Only stages whose files reach the final image are checked; a builder copied from selectively is free.
import { createRule } from '../src/rule/create-rule.js';
import { appendCommand, fixWith, replaceWord } from '../src/fix/shell-edits.js';
import { APT_LIST_READERS, aptCommand, aptCommands, type AptCommand } from '../src/model/apt-commands.js';
import { runCommands } from '../src/model/cache-cleanup.js';
import { effective } from '../src/model/command-queries.js';
import { pathHolds, stagesKeepingPath } from '../src/model/stage-reach.js';
import type { DockerfileModel, RunInstruction, ShellCommand, ShellWord, Stage } from '../src/model/types.js';

const LISTS = '/var/lib/apt/lists';
const WAIVING_MOUNTS = new Set(['cache', 'tmpfs', 'bind']);

export default createRule({
  id: 'clean-apt-cache',
  meta: {
    type: 'bytes',
    docs: {
      description: 'A RUN that runs apt-get update should delete /var/lib/apt/lists before it ends',
      sources: ['hadolint:DL3009'],
    },
    messages: {
      listsLeft: '`{{command}}` leaves the package lists in /var/lib/apt/lists in this layer: end the same RUN with `rm -rf /var/lib/apt/lists/*`',
      cleanKeepsLists:
        '`{{command}}` leaves the package lists in /var/lib/apt/lists in this layer; `{{clean}}` only empties /var/cache/apt: end the same RUN with `rm -rf /var/lib/apt/lists/*`',
      quotedGlob: '`{{command}}` leaves the package lists in /var/lib/apt/lists in this layer: the quoted `{{word}}` is not expanded, so rm deletes nothing; write `rm -rf /var/lib/apt/lists/*`',
    },
    fixable: 'code',
    defaultSeverity: 'info',
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  create(context) {
    let kept: Set<Stage> | null = null;
    // Each later RUN is asked again for every RUN before it: its first list access is read once.
    const firstAccess = new Map<RunInstruction, AptCommand | undefined>();
    const firstListAccess = (run: RunInstruction): AptCommand | undefined => {
      if (!firstAccess.has(run)) firstAccess.set(run, aptCommands(runCommands(run)).find((a) => a.subcommand === 'update' || (a.subcommand !== null && APT_LIST_READERS.has(a.subcommand))));
      return firstAccess.get(run);
    };
    return {
      RUN(node) {
        kept ??= stagesKeepingPath(context.model, LISTS);
        if (!node.stage || !kept.has(node.stage) || listsOnMount(node)) return;
        const commands = node.script.commands;
        const apt = aptCommands(commands);
        const updates = apt.filter((a) => a.subcommand === 'update');
        const lastUpdate = updates[updates.length - 1];
        if (!lastUpdate) return;
        const readers = apt.filter((a) => a.subcommand !== null && APT_LIST_READERS.has(a.subcommand) && a.command.index > lastUpdate.command.index);
        const anchor = readers[readers.length - 1] ?? lastUpdate;
        const after = commands.filter((c) => c.index > anchor.command.index);
        if (after.some(removesLists)) return;
        const data = { command: label(anchor) };
        // A later RUN that installs without an update reads these lists: removing them would break it.
        const removable = !listsReadLater(context.model, node, firstListAccess);
        const quoted = after.flatMap(quotedListGlobs)[0];
        if (quoted) {
          // Unquoted, the word must be the same path with a live glob: nothing else the shell would read.
          const edit = removable && /^[\w./*-]+$/.test(quoted.word.value) ? replaceWord(context.model, node, quoted.command, quoted.word, quoted.word.value) : null;
          context.report({ range: anchor.range, messageId: 'quotedGlob', data: { ...data, word: quoted.word.raw }, fix: fixWith(edit) });
          return;
        }
        // An update with no install after it is there for a later image or RUN to install from.
        const fix = removable && anchor !== lastUpdate ? fixWith(appendCommand(context.model, node, anchor.command, `rm -rf ${LISTS}/*`)) : undefined;
        const clean = aptCommands(after).find((a) => a.subcommand === 'clean' || a.subcommand === 'autoclean');
        if (clean) context.report({ range: anchor.range, messageId: 'cleanKeepsLists', data: { ...data, clean: label(clean) }, fix });
        else context.report({ range: anchor.range, messageId: 'listsLeft', data, fix });
      },
    };
  },
});

function label(apt: AptCommand): string {
  return apt.subcommand ? `${apt.tool} ${apt.subcommand}` : apt.tool;
}

/** Files under a cache, tmpfs or bind mount are not written to the layer. */
function listsOnMount(run: RunInstruction): boolean {
  return run.mounts.some((m) => WAIVING_MOUNTS.has(m.type) && m.target !== null && m.target.startsWith('/') && pathHolds(m.target, LISTS));
}

/** `rm -rf /var/lib/apt/lists/*`, `find /var/lib/apt/lists -delete`, `apt-get distclean`. */
function removesLists(cmd: ShellCommand): boolean {
  const eff = effective(cmd);
  if (eff.program === 'rm') return eff.args.some(namesLists);
  if (eff.program === 'find') return eff.args.some(namesLists) && eff.args.some((a) => a.value === '-delete' || a.value === 'rm');
  const apt = aptCommand(cmd);
  return apt !== null && (apt.subcommand === 'distclean' || apt.subcommand === 'dist-clean');
}

/** An unquoted absolute path at or above the lists. */
function namesLists(a: ShellWord): boolean {
  return !a.dynamic && a.value.startsWith('/') && !quotesGlob(a.raw) && pathHolds(a.value, LISTS);
}

function quotedListGlobs(cmd: ShellCommand): { command: ShellCommand; word: ShellWord }[] {
  const eff = effective(cmd);
  if (eff.program !== 'rm') return [];
  return eff.args.filter((a) => quotesGlob(a.raw) && a.value.startsWith('/') && pathHolds(a.value, LISTS)).map((word) => ({ command: cmd, word }));
}

/** True when a later RUN of this stage, or of a stage built on it, reads the apt lists before it updates them. */
function listsReadLater(model: DockerfileModel, run: RunInstruction, firstListAccess: (run: RunInstruction) => AptCommand | undefined): boolean {
  const builtOn = (stage: Stage): boolean => {
    for (let s: Stage | null = stage; s; s = s.parent) if (s === run.stage) return true;
    return false;
  };
  return model.stages.filter(builtOn).some((stage) =>
    stage.instructions.some((ins) => {
      if (ins.keyword !== 'RUN' || ins.index <= run.index) return false;
      const first = firstListAccess(ins);
      return first !== undefined && first.subcommand !== 'update';
    }),
  );
}

/** A `*` inside quotes reaches rm as a literal file name. */
function quotesGlob(raw: string): boolean {
  return /"[^"]*\*[^"]*"|'[^']*\*[^']*'/.test(raw);
}
