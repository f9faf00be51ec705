import { isNormalPath } from './path-match.js';
import type { DockerfileModel, Stage } from './types.js';

/**
 * The stages whose files at `path` end up in the final image: the final stage, the stages it is built
 * on through `FROM <stage>`, and stages copied from with a source that holds `path` (`COPY --from=x / /`).
 * A stage that is only copied from selectively (`COPY --from=build /app/bin /usr/bin`) is not one of
 * them, unlike `Stage.reachesFinal`: what it leaves at `path` never reaches the final image.
 */
export function stagesKeepingPath(model: DockerfileModel, path: string): Set<Stage> {
  const kept = new Set<Stage>();
  const last = model.stages[model.stages.length - 1];
  if (!last) return kept;
  const byName = new Map<string, Stage>();
  for (const s of model.stages) {
    if (s.name) byName.set(s.name, s);
    byName.set(String(s.index), s);
  }
  const stack: Stage[] = [last];
  while (stack.length > 0) {
    const s = stack.pop() as Stage;
    if (kept.has(s)) continue;
    kept.add(s);
    if (s.parent) stack.push(s.parent);
    for (const ins of s.instructions) {
      if ((ins.keyword !== 'COPY' && ins.keyword !== 'ADD') || !ins.from) continue;
      const dep = byName.get(ins.from.toLowerCase());
      if (dep && dep.index < s.index && ins.sources.some((src) => pathHolds(src, path))) stack.push(dep);
    }
  }
  return kept;
}

/** True when `source` (a copy source, mount target or rm argument) covers `path`: `/`, `.`, `/var/*`, `/var/lib/apt/lists/` cover `/var/lib/apt/lists`. */
export function pathHolds(source: string, path: string): boolean {
  // Absolute paths in normal form, neither ending in `/*`, compare as they are: most calls end here.
  if (isNormalPath(source) && isNormalPath(path) && !source.endsWith('/*') && !path.endsWith('/*')) {
    return source === '/' || source === path || (path.startsWith(source) && path.charCodeAt(source.length) === 47);
  }
  const norm = (text: string): string => {
    const parts = text.split('/').filter((seg) => seg !== '' && seg !== '.');
    if (parts[parts.length - 1] === '*') parts.pop();
    return parts.join('/');
  };
  const s = norm(source);
  const p = norm(path);
  return s === '' || s === p || p.startsWith(`${s}/`);
}
