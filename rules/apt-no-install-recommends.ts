// apt installs every "Recommends" of the packages asked for, by default: documentation, extra tools
// and libraries nobody asked for, often more bytes than the packages themselves, stored in the layer.
// `--no-install-recommends` installs what the packages need and nothing more.
import { createRule } from '../src/rule/create-rule.js';
import { aptCommand, configDisablesRecommends, disablesRecommends, simulates } from '../src/model/apt-commands.js';
import { runCommands } from '../src/model/cache-cleanup.js';
import type { Stage } from '../src/model/types.js';

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
          off ||= configDisablesRecommends(cmd.args.map((a) => a.value).join(' '));
          const apt = aptCommand(cmd);
          if (off || !apt || apt.subcommand !== 'install' || disablesRecommends(apt) || simulates(apt)) continue;
          context.report({ range: apt.range, messageId: 'recommends', data: { command: `${apt.tool} ${apt.subcommand}`, option: apt.tool === 'aptitude' ? '--without-recommends' : '--no-install-recommends' } });
        }
        if (node.stage && !node.onbuild && off) configured.add(node.stage);
      },
    };
  },
});
