// A layer's cache key covers everything below it. A COPY of the whole source tree before the dependency
// install makes every source edit re-run the install (minutes of downloads and compiles); copying only
// the manifests first keeps the install cached until the dependencies themselves change.
import { createRule } from '../src/rule/create-rule.js';
import { copiesManifest, dependencyInstall, manifestDirectory, type DependencyInstall } from '../src/model/dependency-installs.js';
import { runCommands } from '../src/model/cache-cleanup.js';
import { chainInstructions } from '../src/model/stage-chain.js';
import { commandDirectories, expandKnown, isWithin, resolvePath, workdirBefore } from '../src/model/working-directory.js';
import type { CopyInstruction, Instruction, RunInstruction, Stage } from '../src/model/types.js';

export default createRule({
  id: 'copy-before-dependency-install',
  meta: {
    type: 'cache',
    docs: { description: 'Copy the dependency manifests and install the dependencies before copying the rest of the source' },
    messages: {
      copyBeforeInstall: 'This COPY of {{source}} comes before `{{command}}` on line {{line}}, so every source edit re-runs the install: copy {{manifests}} first, install, then copy the rest',
      installAfterBroadCopy:
        'The manifests are copied on line {{manifestLine}}, but `{{command}}` on line {{line}} runs only after this COPY of {{source}}, so every source edit re-runs the install: move the install up, right after line {{manifestLine}}',
    },
    defaultSeverity: 'warning',
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  create(context) {
    const line = (ins: Instruction): number => context.source.positionAt(ins.range.start).line;
    const reported = new Set<CopyInstruction>();
    const check = (sequence: readonly Instruction[], own: (ins: Instruction) => boolean): void => {
      const seen = new Set<string>();
      sequence.forEach((ins, at) => {
        if (ins.keyword !== 'RUN') return;
        for (const install of installsOf(ins)) {
          // A later install of an ecosystem already installed (before any broad COPY, or reported) is a quick refresh.
          if (seen.has(install.ecosystem)) continue;
          seen.add(install.ecosystem);
          if (!own(ins)) continue;
          const before = sequence.slice(0, at).filter((i): i is CopyInstruction => isContextCopy(i));
          const dir = manifestDirectory(install, installDirectory(ins, install), resolvePath);
          const broadAt = before.findIndex((c) => broadSource(c, dir) !== null);
          const broad = before[broadAt];
          if (!broad || reported.has(broad)) continue;
          reported.add(broad);
          const manifestCopy = before.slice(0, broadAt).find((c) => c.sources.some((s) => copiesManifest(s, install)));
          const data = { source: broadSource(broad, dir) ?? '', command: install.label, line: line(ins), manifests: install.manifestText };
          if (manifestCopy) context.report({ range: broad.range, messageId: 'installAfterBroadCopy', data: { ...data, manifestLine: line(manifestCopy) } });
          else context.report({ range: broad.range, messageId: 'copyBeforeInstall', data });
        }
      });
    };
    return {
      'File:exit'(model) {
        for (const stage of model.stages) {
          check(chainInstructions(stage), (ins) => ins.stage === stage);
          check(triggersOf(stage), () => true);
        }
      },
    };
  },
});

function installsOf(run: RunInstruction): DependencyInstall[] {
  const out: DependencyInstall[] = [];
  for (const cmd of runCommands(run)) {
    const install = cmd.inSubstitution ? null : dependencyInstall(cmd);
    if (install) out.push(install);
  }
  return out;
}

function triggersOf(stage: Stage): Instruction[] {
  return stage.instructions.flatMap((ins) => (ins.keyword === 'ONBUILD' && ins.trigger ? [ins.trigger] : []));
}

/** Where the install runs: WORKDIR, then the `cd`s before it in the RUN. */
function installDirectory(run: RunInstruction, install: DependencyInstall): string {
  const start = run.stage ? workdirBefore(run.stage, run) : '/';
  return commandDirectories(runCommands(run), start, run.env).get(install.call.command) ?? start;
}

/** COPY or ADD from the build context (not another stage, not a URL, not a heredoc). */
function isContextCopy(ins: Instruction): ins is CopyInstruction {
  return (ins.keyword === 'COPY' || ins.keyword === 'ADD') && ins.from === null && ins.heredocs.length === 0 && ins.destination !== null;
}

/** Names of files without an extension that are files, not directories. */
const PLAIN_FILES = /^(Gemfile|Pipfile|Makefile|Dockerfile|Containerfile|Procfile|Rakefile|Jenkinsfile|Justfile|Vagrantfile|Brewfile|LICENSE|README|VERSION|gradlew|mvnw|CODEOWNERS)$/i;

/**
 * How the COPY reaches the install's manifests: the whole context (`.`, `*`), or a directory whose
 * contents land where the manifests are read. Null when it copies neither.
 */
function broadSource(copy: CopyInstruction, manifestDir: string): string | null {
  let landing: string | null = null;
  for (const raw of copy.sources) {
    const s = raw.replace(/^(\.\/)+/, '');
    if (s === '' || s === '.' || s === '*' || s === './') return 'the whole build context';
    const base = s.replace(/\/+$/, '').split('/').pop() ?? '';
    const dirLike = s.endsWith('/') || base === '*' || (!base.includes('.') && !PLAIN_FILES.test(base) && !/[*?[]/.test(base));
    if (!dirLike || /^https?:\/\//.test(raw)) continue;
    landing ??= copyDestination(copy);
    if (isWithin(manifestDir, landing)) return `\`${raw}\``;
  }
  return null;
}

function copyDestination(copy: CopyInstruction): string {
  const dest = expandKnown(copy.destination ?? '.', copy.stage?.env ?? new Map());
  const cwd = copy.stage ? workdirBefore(copy.stage, copy) : '/';
  return resolvePath(cwd, dest);
}
