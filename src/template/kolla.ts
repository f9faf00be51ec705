// OpenStack Kolla's template helpers (kolla/template/filters.py and methods.py), statement for statement:
// the `customizable` filter and the `debian_package_install`, `handle_repos` and `raise_error` globals.
import { bindArguments, pyAdd, pyIn, percentFormat, pySplitlines } from './ops.js';
import {
  BuiltinFunction,
  PyDict,
  PyTuple,
  RenderError,
  Undefined,
  iterate,
  pyCompare,
  pyEq,
  pyRepr,
  pyStr,
  truthy,
  typeName,
  type ContextView,
  type DictKey,
  type Value,
} from './values.js';

/** `val_list | customizable("packages")`: `<image>_packages_override`, `_append` and `_remove` from the context. */
export function customizable(valList: Value, callType: Value, context: ContextView): Value {
  if (valList instanceof Undefined) return valList;
  const imageName = context.lookup('image_name');
  if (imageName === undefined) throw new RenderError("KeyError: 'image_name'");
  if (typeof imageName !== 'string') throw new RenderError(`image_name must be a string, not ${typeName(imageName)}`);
  const name = pyAdd(pyAdd(`${imageName.replace(/-/g, '_')}_`, callType), '_') as string;
  const override = context.lookup(`${name}override`);
  if (override !== undefined) return override;
  const append = context.lookup(`${name}append`);
  if (append !== undefined) {
    const list = mutableList(valList, 'extend');
    list.push(...iterate(append));
  }
  const remove = context.lookup(`${name}remove`);
  if (remove !== undefined) {
    for (const removal of iterate(remove)) {
      const list = mutableList(valList, 'remove');
      if (pyIn(removal, list)) list.splice(list.findIndex((x) => pyEq(x, removal)), 1);
    }
  }
  return valList;
}

function mutableList(v: Value, method: string): Value[] {
  if (!Array.isArray(v)) throw new RenderError(`'${typeName(v)}' object has no attribute '${method}'`);
  if (Object.isFrozen(v)) {
    throw new RenderError(`customizable would change a list that comes from the template values; Kolla would change it for every later image, which layerlint does not reproduce`);
  }
  return v;
}

export function debianPackageInstall(packages: Value, cleanPackageCache: Value): string {
  const cmds: string[] = [];
  const regPackages: string[] = [];
  const urlPackages: string[] = [];
  for (const pkg of iterate(packages)) {
    if (typeof pkg !== 'string') throw new RenderError(`'${typeName(pkg)}' object has no attribute 'startswith'`);
    (pkg.startsWith('http') ? urlPackages : regPackages).push(pkg);
  }
  if (regPackages.length > 0) {
    cmds.push('apt-get --error-on=any update');
    cmds.push(`apt-get -y install --no-install-recommends ${regPackages.join(' ')}`);
    if (truthy(cleanPackageCache)) {
      cmds.push('apt-get clean');
      cmds.push('rm -rf /var/lib/apt/lists/*');
    }
  }
  for (const url of urlPackages) {
    const name = url.slice(url.lastIndexOf('/') + 1);
    cmds.push(`curl --location ${url} -o ${name}`, `dpkg -i ${name}`, `rm -rf ${name}`);
  }
  return cmds.join(' && ');
}

/** Where handle_repos reads its repositories: Kolla's own file, and the one `repos_yaml` names. */
export interface ReposSource {
  /** The `repos_yaml` value as given to the render (empty: no overlay file). */
  readonly configured: Value;
  /** Kolla's repos.yaml, parsed. */
  readonly defaults: () => PyDict;
  /** The file `repos_yaml` names, parsed. */
  readonly overlay: () => PyDict;
}

/** Raised where Kolla raises KeyError, which handle_repos does not catch either: the render fails. */
function keyError(key: Value, what: string): RenderError {
  return new RenderError(`handle_repos: KeyError: ${pyRepr(key)} (${what})`);
}

function mapping(v: Value, what: string): PyDict {
  if (!(v instanceof PyDict)) throw new RenderError(`handle_repos: ${what} must be a mapping, not ${typeName(v)}`);
  return v;
}

function get(d: PyDict, key: string): Value | undefined {
  return d.map.get(key);
}

function sectionKey(v: Value): DictKey | null {
  return typeof v === 'string' || typeof v === 'number' ? v : null;
}

/** Kolla's `_build_repo_list`: the package-type, distro and distro-arch sections merged, later ones winning. */
function buildRepoList(data: PyDict, sections: Value[]): PyDict {
  const result = new PyDict();
  for (const section of sections) {
    const key = sectionKey(section);
    const found = key === null ? undefined : data.map.get(key);
    const repos = mapping(found ?? new PyDict(), `the repositories section ${pyRepr(section)}`);
    for (const [name, info] of repos.map) {
      const previous = result.map.get(name);
      if (previous !== undefined) {
        const merged = new PyDict([...mapping(previous, `repository ${pyRepr(name)}`).map, ...mapping(info, `repository ${pyRepr(name)}`).map]);
        if (['baseurl', 'metalink', 'mirrorlist', 'url'].some((k) => merged.map.has(k))) merged.map.delete('distro');
        result.map.set(name, merged);
      } else result.map.set(name, info);
    }
  }
  return result;
}

function copySections(data: PyDict): PyDict {
  return new PyDict([...data.map].map(([k, v]) => [k, new PyDict(mapping(v, `the repositories section ${pyRepr(k)}`).map)] as [DictKey, Value]));
}

function field(repo: PyDict, key: string, name: Value): Value {
  const v = get(repo, key);
  if (v === undefined) throw keyError(key, `repository ${pyRepr(name)}`);
  return v;
}

function str(v: Value, what: string): string {
  if (typeof v !== 'string') throw new RenderError(`handle_repos: ${what} must be a string, not ${typeName(v)}`);
  return v;
}

export function handleRepos(reponames: Value, mode: Value, context: ContextView, repos: ReposSource): string {
  if (!Array.isArray(reponames)) throw new RenderError('First argument should be a list of repositories');

  const repoFile = context.lookup('repos_yaml');
  const overlay = repoFile !== undefined && truthy(repoFile);
  if (overlay && !pyEq(repoFile, repos.configured)) {
    throw new RenderError('handle_repos: the template changed repos_yaml; layerlint reads only the repositories file the values name');
  }
  const loaded = repos.defaults();
  const defaultRepoData = copySections(loaded);
  const repoData = copySections(loaded);
  if (overlay) {
    for (const [section, sectionRepos] of repos.overlay().map) {
      const existing = repoData.map.get(section);
      if (existing !== undefined) {
        const target = mapping(existing, `the repositories section ${pyRepr(section)}`);
        for (const [k, v] of mapping(sectionRepos, `the repositories section ${pyRepr(section)}`).map) target.map.set(k, v);
      } else repoData.map.set(section, sectionRepos);
    }
  }

  const basePackageType = context.lookup('base_package_type') ?? null;
  const baseDistro = context.lookup('base_distro') ?? null;
  const baseArch = context.lookup('base_arch') ?? null;
  const codename = context.lookup('openstack_release_codename') ?? null;
  const sections: Value[] = [basePackageType, baseDistro, percentFormat('%s-%s', new PyTuple([baseDistro, baseArch]))];
  const repoList = buildRepoList(repoData, sections);

  if (pyEq(basePackageType, 'rpm') && overlay) {
    const defaultList = buildRepoList(defaultRepoData, sections);
    const defaultOf = (r: DictKey): PyDict => mapping(defaultList.map.get(r) ?? new PyDict(), `repository ${pyRepr(r)}`);
    const entries = [...repoList.map].map(([r, d]) => [r, mapping(d, `repository ${pyRepr(r)}`)] as const);
    const overridden = entries.filter(([r, d]) => !truthy(get(d, 'distro') ?? null) && truthy(get(defaultOf(r), 'distro') ?? null)).map(([r]) => r);
    if (overridden.length > 0) {
      const groups = overridden.map((r) => get(defaultOf(r), 'file_group') ?? null).filter((g) => truthy(g));
      const notOverridden = entries
        .filter(([r, d]) => truthy(get(d, 'distro') ?? null) && !overridden.includes(r) && groups.some((g) => pyEq(g, get(d, 'file_group') ?? null)))
        .map(([r]) => r)
        .sort((a, b) => pyCompare(a, b, '<'));
      if (notOverridden.length > 0) {
        const sorted = [...new Set(overridden)].sort((a, b) => pyCompare(a, b, '<'));
        throw new RenderError(
          `Repositories ${pyRepr(sorted)} override distro-provided repos and will remove their .repo file. Repositories ${pyRepr(notOverridden)} are still using distro defaults and share the same file. Please also override them in your repos.yaml.`,
        );
      }
    }
  }

  let commands = '';
  reponames.forEach((repo, index) => {
    const key = typeof repo === 'string' || typeof repo === 'number' ? repo : null;
    const found = key === null ? undefined : repoList.map.get(key);
    if (found === undefined) throw keyError(repo, `no such repository for ${pyStr(baseDistro)}/${pyStr(baseArch)}`);
    const r = mapping(found, `repository ${pyRepr(repo)}`);
    const name = pyStr(repo);
    const last = index === reponames.length - 1;
    if (pyEq(basePackageType, 'rpm')) {
      if (pyEq(mode, 'enable')) {
        if (!truthy(get(r, 'distro') ?? null)) {
          const repoName = pyStr(field(r, 'name', repo));
          const file = `/etc/yum.repos.d/${name}.repo`;
          commands += `grep -rlF '[${repoName}]' /etc/yum.repos.d/ 2>/dev/null | xargs -r rm -f`;
          commands += ' && ';
          commands += `echo '[${repoName}]' >${file} && echo 'name=${repoName}' >>${file} && echo 'enabled=1' >>${file}`;
          const gpgcheck = get(r, 'gpgcheck') ?? null;
          if (truthy(gpgcheck)) commands += ` && echo 'gpgcheck=${pyStr(gpgcheck)}' >>${file}`;
          const repoGpgcheck = get(r, 'repo_gpgcheck') ?? null;
          if (truthy(repoGpgcheck)) commands += ` && echo 'repo_gpgcheck=${pyStr(repoGpgcheck)}' >>${file}`;
          if (!['baseurl', 'metalink', 'mirrorlist'].some((k) => r.map.has(k))) throw new RenderError(`Repository '${name}' has no baseurl, metalink, or mirrorlist`);
          if (!r.map.has('gpgkey')) throw new RenderError(`Repository '${name}' has no gpgkey`);
          pySplitlines(str(field(r, 'gpgkey', repo), 'gpgkey'), false).forEach((gpgkey, i) => {
            commands += i === 0 ? ` && echo 'gpgkey=${gpgkey}' >>${file}` : ` && echo '       ${gpgkey}' >>${file}`;
          });
          if (r.map.has('baseurl')) {
            for (const url of pySplitlines(str(field(r, 'baseurl', repo), 'baseurl'), false)) commands += ` && echo 'baseurl=${url}' >>${file}`;
          } else if (r.map.has('metalink')) {
            commands += ` && echo 'metalink=${pyStr(field(r, 'metalink', repo))}' >>${file}`;
          } else if (r.map.has('mirrorlist')) {
            commands += ` && \
echo 'mirrorlist=${pyStr(field(r, 'mirrorlist', repo))}' >>${file}`;
          }
        } else {
          commands += `dnf config-manager --enable ${pyStr(field(r, 'name', repo))} || true`;
        }
        if (!last) commands += ' && ';
      } else if (pyEq(mode, 'disable') && truthy(get(r, 'distro') ?? null)) {
        commands += `dnf config-manager --disable ${pyStr(field(r, 'name', repo))} || true`;
      }
    } else if (pyEq(basePackageType, 'deb')) {
      if (pyEq(mode, 'enable') && !truthy(get(r, 'distro') ?? null)) {
        const gpgKey = str(field(r, 'gpg_key', repo), 'gpg_key');
        const signedBy = gpgKey.startsWith('/') ? gpgKey : `/etc/kolla/apt-keys/${gpgKey}`;
        if (typeof codename !== 'string') throw new RenderError(`handle_repos: openstack_release_codename must be a string, not ${typeName(codename)}`);
        const suite = str(field(r, 'suite', repo), 'suite').split('{openstack_release_codename}').join(codename.toLowerCase());
        const sources = `/etc/apt/sources.list.d/${name}.sources`;
        const component = pyStr(field(r, 'component', repo));
        const url = pyStr(field(r, 'url', repo));
        commands += `echo 'Uris: ${url}' >${sources} && \
echo 'Components: ${component}' >>${sources} && \
echo 'Types: deb' >>${sources} && \
echo 'Suites: ${suite}' >>${sources} && \
echo 'Signed-By: ${signedBy}' \
>>${sources}`;
        if (truthy(get(r, 'trusted') ?? null)) commands += ` && echo 'Trusted: yes' \
>>${sources}`;
        if (r.map.has('arch')) commands += ` && echo 'Architectures: ${pyStr(field(r, 'arch', repo))}' \
>>${sources}`;
        if (!last) commands += ' && ';
      }
    }
  });

  return commands ? `RUN ${commands}` : commands;
}

export function kollaGlobals(repos: ReposSource): Map<string, Value> {
  return new Map<string, Value>([
    ['debian_package_install', new BuiltinFunction('debian_package_install', (c) => {
      const [packages, clean] = bindArguments('debian_package_install', [{ name: 'packages' }, { name: 'clean_package_cache', default: true }], c);
      return debianPackageInstall(packages as Value, clean as Value);
    })],
    ['handle_repos', new BuiltinFunction('handle_repos', (c, context) => {
      const [names, mode] = bindArguments('handle_repos', [{ name: 'reponames' }, { name: 'mode' }], c);
      return handleRepos(names as Value, mode as Value, context, repos);
    })],
    ['raise_error', new BuiltinFunction('raise_error', (c) => {
      const [message] = bindArguments('raise_error', [{ name: 'msg' }], c);
      throw new RenderError(`raise_error: ${pyStr(message as Value)}`);
    })],
  ]);
}
