import type { DockerfileModel, Instruction } from '../model/types.js';

/** Commands a fix may add: cleanup in the same layer, also through the sudo the cleaned-up command ran with. */
const CLEANUP = /^(sudo )?(rm|apt-get clean|apt clean|yum clean|dnf clean|dnf5 clean|microdnf clean|zypper clean|zypper cc|yarn cache|yarnpkg cache|npm cache|gem cleanup|apk cache|pip cache|find)\b/;
/** Commands a suggestion may remove: metadata changes replaced by COPY --chown/--chmod. */
const MOVED_TO_COPY = /^(chown|chmod|chgrp)\b/;

function stageCommands(model: DockerfileModel): string[][] {
  return model.stages.map((stage) => {
    const out: string[] = [];
    const visit = (ins: Instruction): void => {
      if (ins.keyword === 'RUN') {
        for (const c of ins.script.commands) {
          if (c.inSubstitution) continue;
          out.push([c.program, ...c.args.filter((a) => !a.value.startsWith('-')).map((a) => a.value)].join(' '));
        }
      }
      if (ins.keyword === 'ONBUILD' && ins.trigger) visit(ins.trigger);
    };
    stage.instructions.forEach(visit);
    return out;
  });
}

/**
 * True when `after` runs the commands of `before` in the same order per stage, apart from what
 * fixes may do: add cleanup commands, add options, and move chown/chmod into COPY flags.
 */
export function commandsPreserved(before: DockerfileModel, after: DockerfileModel): boolean {
  const a = stageCommands(before);
  const b = stageCommands(after);
  if (a.length !== b.length) return false;
  return a.every((cmds, i) => {
    const fixed = b[i] as string[];
    let j = 0;
    for (const cmd of cmds) {
      while (j < fixed.length && fixed[j] !== cmd && CLEANUP.test(fixed[j] as string)) j++;
      if (j < fixed.length && fixed[j] === cmd) {
        j++;
        continue;
      }
      if (MOVED_TO_COPY.test(cmd)) continue;
      return false;
    }
    return fixed.slice(j).every((c) => CLEANUP.test(c));
  });
}
