// Compilers, build systems and -dev headers often add hundreds of megabytes, and a running program needs
// none of them. Installed in the final image and not removed in the same RUN, they stay in that layer for
// good (a later removal only adds whiteouts). Builder stages copied from selectively are free.
import { createRule } from '../src/rule/create-rule.js';
import { callRange, runCommands, toolCall } from '../src/model/cache-cleanup.js';
import { isToolchainPackage, marksAllAuto, packageInstall, packageRemoval, type PackageInstall, type PackageRemoval } from '../src/model/package-installs.js';
import { instructionsAfter } from '../src/model/stage-chain.js';
import { stagesKeepingPath } from '../src/model/stage-reach.js';
import type { Instruction, RunInstruction, ShellCommand, Stage } from '../src/model/types.js';

export default createRule({
  id: 'build-toolchain-in-final-image',
  meta: {
    type: 'bytes',
    docs: { description: 'Compilers and -dev packages should not stay in the final image: build in another stage, or remove them in the same RUN' },
    messages: {
      toolchainKept: '`{{command}}` installs build tools ({{packages}}) into the final image and this RUN does not remove them: build in a separate stage and copy only the result, or remove them before the RUN ends',
      removedLater:
        '`{{command}}` installs build tools ({{packages}}) that are only removed on line {{line}}, in a later layer, so their bytes stay in this one: remove them in the same RUN, or build in a separate stage',
    },
    defaultSeverity: 'info',
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  create(context) {
    let shipped: Set<Stage> | null = null;
    // Every install that keeps build tools looks through the RUNs after it: their removals are read once.
    const removals = new Map<RunInstruction, PackageRemoval[]>();
    const removalsOf = (run: RunInstruction): PackageRemoval[] => {
      let found = removals.get(run);
      if (!found) removals.set(run, (found = runRemovals(run)));
      return found;
    };
    // In most files no RUN removes a package at all: then no later RUN needs reading.
    let anyRemoval: boolean | null = null;
    const removesAny = (): boolean =>
      (anyRemoval ??= context.model.instructions.some((ins) => {
        const run = ins.keyword === 'ONBUILD' ? ins.trigger : ins;
        return run?.keyword === 'RUN' && removalsOf(run).length > 0;
      }));
    return {
      RUN(node) {
        shipped ??= stagesKeepingPath(context.model, '/');
        if (!node.stage || !shipped.has(node.stage)) return;
        const commands = runCommands(node);
        let after: Instruction[] | null = null;
        for (const install of installs(node, commands)) {
          const kept = keptToolchain(install, commands);
          if (kept.length === 0) continue;
          const range = callRange(install.call, install.last);
          const data = { command: install.label, packages: listed(kept) };
          let later: RunInstruction | null = null;
          if (removesAny()) {
            after ??= instructionsAfter(context.model, node);
            later = removedLater(after, install, kept, removalsOf);
          }
          if (later) context.report({ range, messageId: 'removedLater', data: { ...data, line: context.source.positionAt(later.range.start).line } });
          else context.report({ range, messageId: 'toolchainKept', data });
        }
      },
    };
  },
});

function installs(run: RunInstruction, commands: readonly ShellCommand[]): PackageInstall[] {
  const out: PackageInstall[] = [];
  for (const c of commands) {
    const install = c.inSubstitution ? null : packageInstall(c, run.env);
    if (install) out.push(install);
  }
  return out;
}

/** The toolchain packages of `install` that no later command of the same RUN removes. */
function keptToolchain(install: PackageInstall, commands: readonly ShellCommand[]): string[] {
  const names = [...new Set(install.packages.map((p) => p.name).filter(isToolchainPackage))];
  if (names.length === 0) return [];
  const at = install.call.command.index;
  let markedAuto = false;
  const manual = new Set<string>();
  const removals: PackageRemoval[] = [];
  for (const cmd of commands) {
    if (marksAllAuto(cmd)) {
      markedAuto = true;
      manual.clear();
      continue;
    }
    const call = toolCall(cmd);
    if (call.program === 'apt-mark' && call.args[0]?.value === 'manual') for (const a of call.args.slice(1)) manual.add(a.value);
    if (cmd.index <= at) continue;
    const removal = packageRemoval(cmd, markedAuto);
    if (removal) removals.push(removal);
  }
  const rawOf = new Map(install.packages.map((p) => [p.name, p.word.raw]));
  return names.filter((name) => !removals.some((r) => removes(r, install, name, rawOf.get(name) ?? name, manual)));
}

function removes(r: PackageRemoval, install: PackageInstall, name: string, raw: string, manual: ReadonlySet<string>): boolean {
  if (r.names.has(name) || r.raws.has(raw)) return true;
  if (install.virtual && r.names.has(install.virtual)) return true;
  return r.everythingMarked && toolCall(r.command).program !== 'apk' && !manual.has(name);
}

/** A later RUN on top of this one (`after` it) that removes one of the packages: too late to save the bytes. */
function removedLater(after: readonly Instruction[], install: PackageInstall, kept: readonly string[], removalsOf: (run: RunInstruction) => PackageRemoval[]): RunInstruction | null {
  for (const ins of after) {
    if (ins.keyword !== 'RUN') continue;
    for (const removal of removalsOf(ins)) {
      if (kept.some((name) => removal.names.has(name) || (install.virtual !== null && removal.names.has(install.virtual)))) return ins;
    }
  }
  return null;
}

/** The package removals of a RUN's commands, in order (`apt-mark auto` not taken into account). */
function runRemovals(run: RunInstruction): PackageRemoval[] {
  const out: PackageRemoval[] = [];
  for (const cmd of runCommands(run)) {
    const removal = packageRemoval(cmd, false);
    if (removal) out.push(removal);
  }
  return out;
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}
