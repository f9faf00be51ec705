// An archive unpacked in a layer is stored twice: once packed, once unpacked. Deleting it in a later
// layer only adds a whiteout, and an archive brought in by COPY or ADD stays in that layer whatever later
// RUNs do. Only stages whose files at the archive's path reach the final image are checked.
import { createRule } from '../src/rule/create-rule.js';
import { ARCHIVE_NAME, LOCAL_TAR_NAME, archiveUses, covers, downloads, removesPath, samePath, urlFileName, type ArchiveUse } from '../src/model/archives.js';
import { callRange, runCommands, toolCall } from '../src/model/cache-cleanup.js';
import { instructionsAfter } from '../src/model/stage-chain.js';
import { stagesKeepingPath } from '../src/model/stage-reach.js';
import { commandDirectories, expandKnown, resolvePath, workdirBefore } from '../src/model/working-directory.js';
import type { CopyInstruction, DockerfileModel, Instruction, RunInstruction, ShellCommand, Stage } from '../src/model/types.js';

const WAIVING_MOUNTS = new Set(['cache', 'tmpfs', 'bind']);

export default createRule({
  id: 'remove-downloaded-archive',
  meta: {
    type: 'bytes',
    docs: { description: 'A downloaded or copied archive should not stay in the image once it is unpacked or installed' },
    messages: {
      downloadKept: '`{{file}}` is downloaded and {{verb}} in this RUN but never deleted, so the packed archive stays in the layer beside its contents: delete it before the RUN ends{{hint}}',
      deletedLater: '`{{file}}` is downloaded and {{verb}} here but only deleted on line {{line}}, in a later layer, where deleting frees nothing: delete it in this RUN',
      usedLater: '`{{file}}` is downloaded here and only {{verb}} on line {{line}}, in a later RUN, so the archive stays in this layer: download, {{action}} and delete it in one RUN',
      copiedArchive: '`{{file}}` is copied into its own layer and {{verb}} on line {{line}}: the archive stays in the image even if that RUN deletes it; {{hint}}',
      addedArchive: 'ADD downloads `{{file}}` into its own layer and it is {{verb}} on line {{line}}: the archive stays in the image even if that RUN deletes it; download, {{action}} and delete it in one RUN instead',
    },
    defaultSeverity: 'warning',
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  create(context) {
    const line = (ins: Instruction): number => context.source.positionAt(ins.range.start).line;
    // The stages that keep a path, worked out once per path of this file.
    const keeping = new Map<string, Set<Stage>>();
    const shipped = (ins: Instruction, path: string): boolean => {
      if (ins.stage === null) return false;
      let kept = keeping.get(path);
      if (!kept) keeping.set(path, (kept = stagesKeepingPath(context.model, path)));
      return kept.has(ins.stage);
    };
    // Later RUNs are read again for each download and copied archive before them: the directory of
    // each command, and the archives it uses, are worked out once per RUN of this file.
    const directories = new Map<RunInstruction, Map<ShellCommand, string>>();
    const dirsOf = (run: RunInstruction): Map<ShellCommand, string> => {
      let dirs = directories.get(run);
      if (!dirs) directories.set(run, (dirs = commandDirectories(runCommands(run), run.stage ? workdirBefore(run.stage, run) : '/', run.env)));
      return dirs;
    };
    const uses = new Map<ShellCommand, ArchiveUse[]>();
    const usesOf = (run: RunInstruction, c: ShellCommand): ArchiveUse[] => {
      let found = uses.get(c);
      if (!found) uses.set(c, (found = archiveUses(c, dirsOf(run).get(c) ?? '/', run.env)));
      return found;
    };
    const later: Later = { dirsOf, usesOf };
    return {
      RUN(node) {
        const commands = runCommands(node);
        // Only curl and wget download anything: most RUNs need no closer look.
        if (!commands.some(fetches)) return;
        const dirs = dirsOf(node);
        const dirOf = (c: ShellCommand): string => dirs.get(c) ?? '/';
        for (const cmd of commands) {
          for (const d of downloads(cmd, dirOf(cmd), node.env)) {
            if (onMount(node, d.path) || !shipped(node, d.path)) continue;
            const after = commands.filter((c) => c.index > cmd.index);
            if (after.some((c) => removesPath(c, d.path, dirOf(c), node.env))) continue;
            const range = callRange(toolCall(cmd), d.word);
            const file = d.name;
            const use = after.flatMap((c) => usesOf(node, c)).find((u) => samePath(u.path, d.path));
            if (use) {
              const removal = laterRemoval(context.model, node, d.path, later);
              if (removal) context.report({ range, messageId: 'deletedLater', data: { file, verb: use.verb, line: line(removal) } });
              else context.report({ range, messageId: 'downloadKept', data: { file, verb: use.verb, hint: streamHint(use) } });
              continue;
            }
            const used = laterUse(context.model, node, d.path, later);
            if (used) context.report({ range, messageId: 'usedLater', data: { file, verb: used.use.verb, action: action(used.use), line: line(used.run) } });
          }
        }
      },
      COPY: copied,
      ADD: copied,
    };
    function copied(node: CopyInstruction): void {
      for (const c of copiedArchives(node)) {
        let found: { path: string; used: { run: RunInstruction; use: ArchiveUse } } | null = null;
        for (const path of c.paths) {
          const used = shipped(node, path) ? laterUse(context.model, node, path, later) : null;
          if (used && (!found || used.run.index < found.used.run.index)) found = { path, used };
        }
        if (!found) continue;
        const { used, path } = found;
        const data = { file: c.source, verb: used.use.verb, action: action(used.use), line: line(used.run) };
        if (c.url) context.report({ range: node.range, messageId: 'addedArchive', data });
        else context.report({ range: node.range, messageId: 'copiedArchive', data: { ...data, hint: mountHint(node, c.source, path) } });
      }
    }
  },
});

/** Archives a COPY or ADD puts in the image unpacked: any COPY of one; ADD of a URL, or of a local file ADD does not extract. */
function copiedArchives(copy: CopyInstruction): { source: string; paths: string[]; url: boolean }[] {
  if (copy.heredocs.length > 0 || copy.destination === null) return [];
  if (copy.keyword === 'ADD' && copy.flags.some((f) => f.name === 'unpack' && f.value !== 'false')) return [];
  const destination = copy.destination;
  const intoDir = destination.endsWith('/') || copy.sources.length > 1;
  // Where the files land is worked out only for a COPY that copies an archive: most copy none.
  let dest: string | null = null;
  const out: { source: string; paths: string[]; url: boolean }[] = [];
  for (const source of copy.sources) {
    const url = /^https?:\/\//i.test(source);
    const name = url ? urlFileName(source) : (source.replace(/\/+$/, '').split('/').pop() ?? '');
    if (!ARCHIVE_NAME.test(name) || (copy.keyword === 'ADD' && !url && copy.from === null && LOCAL_TAR_NAME.test(name))) continue;
    dest ??= resolvePath(copy.stage ? workdirBefore(copy.stage, copy) : '/', expandKnown(destination, copy.stage?.env ?? new Map<string, string>()));
    // A single source copied to a path without a trailing slash lands at that path, unless it is an existing directory.
    const inside = `${dest === '/' ? '' : dest}/${name}`;
    out.push({ source, paths: intoDir ? [inside] : [dest, inside], url });
  }
  return out;
}

/** What the rule reads of later RUNs, kept per RUN and per command of the file. */
interface Later {
  dirsOf: (run: RunInstruction) => Map<ShellCommand, string>;
  usesOf: (run: RunInstruction, c: ShellCommand) => ArchiveUse[];
}

/** The first RUN after `at` (in its stage and the stages built on it) that unpacks or installs `path`. */
function laterUse(model: DockerfileModel, at: Instruction, path: string, later: Later): { run: RunInstruction; use: ArchiveUse } | null {
  for (const ins of instructionsAfter(model, at)) {
    if (ins.keyword !== 'RUN') continue;
    for (const c of runCommands(ins)) {
      const use = later.usesOf(ins, c).find((u) => samePath(u.path, path));
      if (use) return { run: ins, use };
    }
  }
  return null;
}

function laterRemoval(model: DockerfileModel, at: Instruction, path: string, later: Later): RunInstruction | null {
  for (const ins of instructionsAfter(model, at)) {
    if (ins.keyword !== 'RUN') continue;
    const dirs = later.dirsOf(ins);
    if (runCommands(ins).some((c) => removesPath(c, path, dirs.get(c) ?? '/', ins.env))) return ins;
  }
  return null;
}

/** curl or wget: the commands `downloads` reads. */
function fetches(cmd: ShellCommand): boolean {
  const program = toolCall(cmd).program;
  return program === 'curl' || program === 'wget';
}

/** Files under a cache, tmpfs or bind mount are not written to the layer. */
function onMount(run: RunInstruction, path: string): boolean {
  const cwd = run.stage ? workdirBefore(run.stage, run) : '/';
  return run.mounts.some((m) => WAIVING_MOUNTS.has(m.type) && m.target !== null && covers(resolvePath(cwd, expandKnown(m.target, run.env)), path));
}

function action(use: ArchiveUse): string {
  return use.verb === 'extracted' ? 'extract' : 'install';
}

function streamHint(use: ArchiveUse): string {
  return use.verb === 'extracted' && toolCall(use.command).program.endsWith('tar') ? ', or stream it: `curl -fsSL <url> | tar -x`' : '';
}

function mountHint(copy: CopyInstruction, source: string, path: string): string {
  const from = copy.from ? `from=${copy.from},` : '';
  const mount = `\`RUN --mount=type=bind,${from}source=${source},target=${path}\``;
  if (copy.from === null && copy.keyword === 'COPY' && LOCAL_TAR_NAME.test(source)) return `\`ADD\` extracts a local tar by itself, or bind-mount it for that RUN: ${mount}`;
  return `bind-mount it for that RUN instead: ${mount}`;
}
