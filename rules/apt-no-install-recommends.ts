// apt installs every "Recommends" of the packages asked for, by default: documentation, extra tools
// and libraries nobody asked for, often more bytes than the packages themselves, stored in the layer.
// `--no-install-recommends` installs what the packages need and nothing more.
import { createRule } from '../src/rule/create-rule.js';
import { fixWith, insertOption } from '../src/fix/shell-edits.js';
import { aptCommand, configDisablesRecommends, disablesRecommends, simulates, type AptCommand } from '../src/model/apt-commands.js';
import { runCommands } from '../src/model/cache-cleanup.js';
import type { ShellCommand, ShellWord, Stage } from '../src/model/types.js';

/** Options of apt-get, apt and aptitude that take the next word as their value. */
const VALUE_OPTIONS = new Set(['-o', '-c', '-t', '-a', '-P', '-F', '-w', '-S', '--option', '--config-file', '--target-release', '--default-release', '--host-architecture', '--build-profiles']);

export default createRule({
  id: 'apt-no-install-recommends',
  meta: {
    type: 'bytes',
    docs: {
      description: 'apt-get install should be given --no-install-recommends',
      sources: ['hadolint:DL3015'],
    },
    messages: {
      recommends: '`{{command}}` also installs every recommended package: add `{{option}}`',
    },
    hasSuggestions: true,
    defaultSeverity: 'info',
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
  },
  create(context) {
    // Stages whose apt configuration already turns recommends off (`APT::Install-Recommends "0";`).
    const configured = new Set<Stage>();
    const isConfigured = (stage: Stage | null): boolean => {
      for (let s = stage; s; s = s.parent) if (configured.has(s)) return true;
      return false;
    };
    return {
      COPY(node) {
        if (node.stage && !node.onbuild && node.heredocs.some((h) => configDisablesRecommends(h.content))) configured.add(node.stage);
      },
      RUN(node) {
        // A heredoc written to apt.conf.d (`RUN cat > ... <<EOF`) configures the RUN it is part of.
        let off = isConfigured(node.stage) || node.heredocs.some((h) => configDisablesRecommends(h.content));
        for (const cmd of node.script.commands) {
          off ||= mentionsAptOption(cmd) && configDisablesRecommends(cmd.args.map((a) => a.value).join(' '));
          const apt = aptCommand(cmd);
          if (off || !apt || apt.subcommand !== 'install' || disablesRecommends(apt) || simulates(apt)) continue;
          const data = { command: `${apt.tool} ${apt.subcommand}`, option: apt.tool === 'aptitude' ? '--without-recommends' : '--no-install-recommends' };
          // Leaving out the recommended packages changes what is installed: a suggestion, never applied by --fix alone.
          const anchor = optionAnchor(apt);
          const fix = anchor ? fixWith(insertOption(context.model, node, cmd, anchor, data.option)) : undefined;
          context.report({ range: apt.range, messageId: 'recommends', data, suggest: fix ? [{ messageId: 'recommends', data, fix }] : undefined });
        }
        if (node.stage && !node.onbuild && off) configured.add(node.stage);
      },
    };
  },
});

/** `APT::Install-Recommends` holds `::`, which a join of the words cannot make: a cheap test before joining them. */
function mentionsAptOption(cmd: ShellCommand): boolean {
  return cmd.args.some((a) => a.value.includes('::'));
}

/** The word the option goes after: the subcommand, or the plain flags right after it (`install -y`). */
function optionAnchor(apt: AptCommand): ShellWord | null {
  let anchor: ShellWord | null = null;
  for (let i = 0; i < apt.args.length; i++) {
    const a = apt.args[i] as ShellWord;
    // A flag whose value follows it, or `-o`/`-t` bundled last (`-yt`), must keep its value next to it.
    const takesValue = VALUE_OPTIONS.has(a.value) || /^-[a-zA-Z]*[ocatPFwS]$/.test(a.value);
    if (!anchor) {
      if (takesValue) i++;
      else if (!a.value.startsWith('-')) {
        if (a.value.toLowerCase() !== apt.subcommand) return null;
        anchor = a;
      }
      continue;
    }
    if (!a.value.startsWith('-') || a.value === '--' || takesValue) break;
    anchor = a;
  }
  return anchor;
}
