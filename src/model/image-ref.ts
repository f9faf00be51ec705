import type { ImageRef } from './types.js';

/** Substitutes `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alt}` the way BuildKit does for FROM and ENV. */
export function substituteVariables(text: string, vars: ReadonlyMap<string, string>): string {
  if (!text.includes('$')) return text;
  return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (whole, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string;
    const value = vars.get(name);
    if (op === undefined) return value ?? (vars.has(name) ? '' : whole);
    const set = op.startsWith(':') ? value !== undefined && value !== '' : value !== undefined;
    if (op.endsWith('-')) return set ? (value as string) : substituteVariables(word ?? '', vars);
    return set ? substituteVariables(word ?? '', vars) : '';
  });
}

/** Splits `registry/name:tag@digest`. Docker Hub's `docker.io/` and `library/` prefixes are dropped. */
export function parseImageRef(ref: string): ImageRef {
  const unresolved = ref.includes('$');
  if (ref.toLowerCase() === 'scratch') return { registry: null, name: 'scratch', tag: null, digest: null, scratch: true, unresolved };
  let rest = ref;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry: string | null = null;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | null = null;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = null;
  if (registry === null && rest.startsWith('library/')) rest = rest.slice('library/'.length);
  return { registry, name: rest, tag, digest, scratch: false, unresolved };
}
