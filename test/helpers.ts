import { SourceText } from '../src/source/source-text.js';
import { buildModel } from '../src/model/build.js';
import type { DockerfileModel, Instruction, RunInstruction } from '../src/model/types.js';

export function model(text: string): DockerfileModel {
  return buildModel(new SourceText('Dockerfile', text));
}

export function runs(m: DockerfileModel): RunInstruction[] {
  const out: RunInstruction[] = [];
  const visit = (i: Instruction): void => {
    if (i.keyword === 'RUN') out.push(i);
    if (i.keyword === 'ONBUILD' && i.trigger) visit(i.trigger);
  };
  m.instructions.forEach(visit);
  return out;
}

/** Each command as `program arg arg` with argument values unquoted. */
export function commandLines(run: RunInstruction): string[] {
  return run.script.commands.map((c) => [c.name, ...c.args.map((a) => a.value)].join(' '));
}
