// Which file names a directory walk treats as Dockerfiles. The patterns are the ones build tools and
// editors recognise; `.dockerignore` files sit beside them with similar names and are not Dockerfiles,
// and `.j2` files are Jinja templates that only parse once rendered.

const BASE_NAMES = ['Dockerfile', 'Containerfile'];
const SUFFIXES = ['.Dockerfile', '.dockerfile'];

export function isDockerfileName(name: string, includeTemplates = false): boolean {
  if (name.endsWith('.dockerignore')) return false;
  if (name.endsWith('.j2')) return includeTemplates && isPlainDockerfileName(name.slice(0, -'.j2'.length));
  return isPlainDockerfileName(name);
}

function isPlainDockerfileName(name: string): boolean {
  if (name.endsWith('.dockerignore') || name.endsWith('.j2')) return false;
  for (const base of BASE_NAMES) {
    if (name === base) return true;
    if (name.startsWith(`${base}.`) && name.length > base.length + 1) return true;
  }
  return SUFFIXES.some((suffix) => name.endsWith(suffix) && name.length > suffix.length);
}
