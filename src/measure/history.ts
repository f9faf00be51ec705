// The image config's history says which instruction made each layer, in the words of the builder
// that ran it. BuildKit writes `RUN /bin/sh -c cmd # buildkit` and `COPY src dst # buildkit`; the
// classic builder, buildah and kaniko write `/bin/sh -c cmd` for RUN and `/bin/sh -c #(nop) COPY ...`
// for the rest; build args show as a `|N K=V ...` prefix. Entries with `empty_layer` made no layer.

export interface HistoryEntry {
  created_by?: string;
  empty_layer?: boolean;
}

export interface HistoryInstruction {
  keyword: string;
  text: string;
}

/**
 * The created_by of each layer, bottom first, or null for every layer when the history does not
 * list exactly one non-empty entry per layer (a squashed or hand-made image): a guess would pin
 * sizes on the wrong instruction.
 */
export function layerHistory(history: readonly HistoryEntry[] | undefined, layerCount: number): (string | null)[] {
  const made = (history ?? []).filter((h) => h.empty_layer !== true);
  if (made.length !== layerCount) return Array.from({ length: layerCount }, () => null);
  return made.map((h) => (typeof h.created_by === 'string' ? h.created_by : null));
}

const KEYWORDS = new Set(['ADD', 'COPY', 'RUN', 'WORKDIR', 'ENV', 'ARG', 'USER', 'LABEL', 'EXPOSE', 'CMD', 'ENTRYPOINT', 'VOLUME', 'SHELL', 'STOPSIGNAL', 'HEALTHCHECK', 'ONBUILD', 'MAINTAINER']);

/** The instruction a created_by text stands for, when it can be told. */
export function parseCreatedBy(createdBy: string | null): HistoryInstruction | null {
  if (createdBy === null) return null;
  let text = createdBy.trim().replace(/\s+# buildkit$/, '');
  const leading = /^([A-Z]+)\s+(.*)$/s.exec(text);
  if (leading && KEYWORDS.has(leading[1] as string)) {
    const keyword = leading[1] as string;
    const rest = leading[2] as string;
    return { keyword, text: keyword === 'RUN' ? shellCommand(rest) : collapse(rest) };
  }
  const nop = /^(?:\S*\/)?\S*sh(?:\s+-\S+)*\s+-c\s+#\(nop\)\s*([A-Z]+)\s*(.*)$/s.exec(text);
  if (nop) return KEYWORDS.has(nop[1] as string) ? { keyword: nop[1] as string, text: collapse(nop[2] as string) } : null;
  text = shellCommand(text);
  return text === '' ? null : { keyword: 'RUN', text };
}

/** A RUN's command without its flags, the build-arg prefix and the shell that ran it. */
function shellCommand(text: string): string {
  // BuildKit may keep RUN's flags (`--mount=...`, `--network=...`) before the shell.
  let rest = text.trim().replace(/^(?:--\S+\s+)+/, '');
  const args = /^\|(\d+)\s+/.exec(rest);
  if (args) {
    rest = rest.slice(args[0].length);
    // `K=V` pairs as the builder joined them; a value with spaces cannot be told apart, so stop at the shell.
    for (let n = Number(args[1]); n > 0; n--) {
      const m = /^\S+=\S*\s+/.exec(rest);
      if (!m || looksLikeShell(rest)) break;
      rest = rest.slice(m[0].length);
    }
  }
  const shell = /^(?:\S*\/)?(?:ba|da|a|z|k)?sh(?:\s+-[a-z]+(?:\s+(?:pipefail|errexit|nounset))?)*\s+-c\s+/s.exec(rest);
  if (shell) rest = rest.slice(shell[0].length);
  return collapse(rest);
}

function looksLikeShell(text: string): boolean {
  return /^(?:\S*\/)?(?:ba|da|a|z|k)?sh\s/.test(text);
}

export function collapse(text: string): string {
  return text.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
}
