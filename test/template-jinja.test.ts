// The Jinja2 behaviour real templates rely on and nunjucks lacks, case by case. Every expected text is
// what Jinja2 3.1 (a SandboxedEnvironment, as Kolla uses) renders; every refusal is a construct that
// would otherwise render differently from Jinja.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TemplateEnvironment } from '../src/template/render.js';
import { failure, removeTemplateTrees, rendered, templateTree } from './template-helpers.js';

afterAll(removeTemplateTrees);

describe('literals', () => {
  it('trailing commas in lists, dicts, tuples and calls', () => {
    expect(rendered("{% set l = ['a', 'b',] %}{{ l|join(',') }}")).toBe('a,b');
    expect(rendered("{{ {'a': 1,} }}|{{ (1,) }}|{{ (1, 2,) }}")).toBe("{'a': 1}|(1,)|(1, 2)");
    expect(rendered("{% macro f(a) %}{{ a }}{% endmacro %}{{ f(1,) }}{{ f(a=2,) }}")).toBe('12');
    expect(rendered("{%\n  set packages = [\n    'a',\n    'b',\n  ]\n%}{{ packages|join(' ') }}")).toBe('a b');
  });

  it('True, False and None, in both spellings', () => {
    expect(rendered('{{ True }} {{ false }} {{ None }} {{ none is none }} {{ True is true }}')).toBe('True False None True True');
    expect(rendered("{{ [1, 'a', None, True] }}")).toBe("[1, 'a', None, True]");
  });

  it('`null` is an ordinary (undefined) name, as in Jinja', () => {
    expect(rendered('{{ null }}|{{ null is defined }}')).toBe('|False');
  });

  it('strings with Python escapes: unknown ones keep their backslash', () => {
    expect(rendered("{{ 'a\\sb' }}|{{ 'a\\nb' }}|{{ \"it's\" }}|{{ 'a\\\\b' }}|{{ '\\x41\\u00e9' }}")).toBe("a\\sb|a\nb|it's|a\\b|Aé");
    expect(rendered("{{ 'a' 'b' }}")).toBe('ab');
  });

  it('values print as Python prints them', () => {
    expect(rendered("{{ {'a': 1, 2: 'b'} }}|{{ () }}|{{ [\"it's\", 'q\"'] }}|{{ ['tab\\there'] }}")).toBe("{'a': 1, 2: 'b'}|()|[\"it's\", 'q\"']|['tab\\there']");
    expect(rendered('{{ range(3) }}|{{ range(1, 7, 2)|join(",") }}')).toBe('range(0, 3)|1,3,5');
  });

  it('refuses floats, which Python prints differently', () => {
    expect(failure('{{ 1.5 }}')).toMatch(/floating-point numbers are not supported/);
    expect(failure('{{ 4 / 2 }}')).toMatch(/'\/' is not supported/);
    expect(failure('{{ 2 ** -1 }}')).toMatch(/negative exponent/);
    expect(failure('{{ 10000000000000000000 }}')).toMatch(/out of the supported range/);
  });
});

describe('operators with Python semantics', () => {
  it('list + list concatenates lists (nunjucks would join them as strings)', () => {
    expect(rendered("{{ (['a'] + ['b'])|join(',') }}")).toBe('a,b');
    expect(rendered("{% set l = ['x'] %}{% set l = l + ['y'] %}{{ l }}")).toBe("['x', 'y']");
    expect(rendered('{{ (1, 2) + (3,) }}')).toBe('(1, 2, 3)');
  });

  it('sequence * int repeats', () => {
    expect(rendered("{{ ['a'] * 3 }}|{{ 'ab' * 2 }}|{{ 3 * 'ab' }}|{{ 'a' * -1 }}")).toBe("['a', 'a', 'a']|abab|ababab|");
    expect(rendered("{% set items = ['a','b'] %}{{ (['x %s'] * items|length)|join(' && ')|format(*items) }}")).toBe('x a && x b');
  });

  it('mixing types fails as in Python', () => {
    expect(failure("{{ [1] + 'x' }}")).toMatch(/can only concatenate list/);
    expect(failure("{{ 'a' + 1 }}")).toMatch(/can only concatenate str/);
    expect(failure('{{ missing + 1 }}')).toBe("'missing' is undefined");
  });

  it('Jinja precedence: `is` and filters bind tightest, `~` sits between + and *, ** is left-associative', () => {
    expect(rendered('{{ 2 == 2 is odd }}|{{ 7 * 3 % 4 }}|{{ 2 * 3 ~ 4 }}|{{ 10 - 2 - 3 }}|{{ 2 ** 3 ** 2 }}|{{ -2 ** 2 }}')).toBe('False|1|64|5|64|4');
    expect(rendered('{{ not 1 in [1] }}|{{ 1 not in [1] }}|{{ 1 < 2 < 3 }}|{{ 3 > 2 > 2 }}')).toBe('False|False|True|False');
  });

  it('integer division and modulo round as Python does', () => {
    expect(rendered('{{ 7 // 2 }}|{{ -7 // 2 }}|{{ -7 % 3 }}|{{ 7 % -3 }}')).toBe('3|-4|2|-2');
  });

  it('== is Python equality', () => {
    expect(rendered("{{ 1 == '1' }}|{{ [1,2] == [1,2] }}|{{ True == 1 }}|{{ (1,2) == [1,2] }}|{{ missing == missing2 }}")).toBe('False|True|True|False|True');
  });

  it('truthiness: empty lists and dicts are false; and/or return an operand', () => {
    expect(rendered("{% if [] %}yes{% else %}no{% endif %}|{{ [] or 'x' }}|{{ 0 or '' or 'z' }}|{{ 1 and [] }}|{{ {} and 1 }}")).toBe('no|x|z|[]|{}');
  });

  it('% formats strings', () => {
    expect(rendered("{{ '%s-%s' % ('a', 'b') }}|{{ '%(a)s' % {'a': 1} }}|{{ '%d%%' % 50 }}|{{ '%5.2f' % 3 }}|{{ '%#x' % 255 }}")).toBe('a-b|1|50%| 3.00|0xff');
  });
});

describe('calls', () => {
  it('*args and **kwargs', () => {
    expect(rendered("{{ '%s-%s'|format(*['a','b']) }}")).toBe('a-b');
    expect(rendered('{% macro m(a) %}{{ a }}{% endmacro %}{{ m(*[1]) }}{{ m(**{"a": 2}) }}')).toBe('12');
  });

  it('macro defaults are evaluated at the call; varargs, kwargs and caller', () => {
    expect(rendered("{% macro m(a, b='B', c=a) %}{{ a }}{{ b }}{{ c }}{% endmacro %}{{ m('x') }}|{{ m('x', c='C') }}|{{ m(b=1, a=2) }}")).toBe('xBx|xBC|212');
    expect(rendered('{% macro m(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, k=4) }}')).toBe("1(2, 3){'k': 4}");
    expect(rendered("{% macro m(l) %}{% for i in l %}{{ caller(i) }}{% endfor %}{% endmacro %}{% call(item) m([1,2]) %}<{{ item }}>{% endcall %}")).toBe('<1><2>');
    expect(rendered('{% macro m(a) %}[{{ a }}]{% endmacro %}{{ m() }}')).toBe('[]');
  });

  it('wrong macro calls fail as in Jinja', () => {
    expect(failure('{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}')).toBe("macro 'm' takes not more than 1 argument(s)");
    expect(failure('{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, k=2) }}')).toBe("macro 'm' takes no keyword argument 'k'");
    expect(failure('{% macro m(caller) %}{% endmacro %}')).toMatch(/special "caller" argument/);
  });

  it('str and dict methods', () => {
    expect(rendered("{{ 'a,b,c'.split(',') }}|{{ ' x '.strip() }}|{{ 'a-b'.replace('-', '_') }}|{{ 'abc'.startswith(('x', 'a')) }}|{{ '  a b  '.rsplit(maxsplit=1) }}")).toBe(
      "['a', 'b', 'c']|x|a_b|True|['  a', 'b']",
    );
    expect(rendered("{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}{{ v }}{% endfor %}|{{ {'a': 1}.get('b', 2) }}")).toBe('a1b2|2');
  });

  it('refuses methods and objects it does not reproduce', () => {
    expect(failure('{% set l = [] %}{{ l.append(1) }}')).toBe("the list method 'append' is not supported");
    expect(failure("{{ {'a': 1}.items() }}")).toMatch(/cannot be printed/);
    expect(failure('{{ lipsum() }}')).toMatch(/lipsum/);
    expect(failure('{{ namespace }}')).toMatch(/namespace/);
  });
});

describe('filters', () => {
  it('format', () => {
    expect(rendered("{{ '%s and %d'|format('a', 3) }}|{{ '%(x)s'|format(x='y') }}|{{ '%05d|%-4s|%4s|%x|%X|%o|%%'|format(42, 'a', 'b', 255, 255, 8) }}")).toBe(
      'a and 3|y|00042|a   |   b|ff|FF|10|%',
    );
    expect(failure("{{ '%s'|format('a', 'b') }}")).toBe('not all arguments converted during string formatting');
    expect(failure("{{ '%s %s'|format('a') }}")).toBe('not enough arguments for format string');
  });

  it('dictsort: by key case-insensitively by default, by value, reversed', () => {
    expect(rendered("{% for k, v in {'b': 1, 'a': 2, 'C': 3}|dictsort %}{{ k }}={{ v }};{% endfor %}")).toBe('a=2;b=1;C=3;');
    expect(rendered("{% for k, v in {'b': 1, 'a': 2, 'C': 3}|dictsort(true) %}{{ k }}={{ v }};{% endfor %}")).toBe('C=3;a=2;b=1;');
    expect(rendered("{% for k, v in {'b': 3, 'a': 2, 'C': 1}|dictsort(false, 'value', true) %}{{ k }}={{ v }};{% endfor %}")).toBe('b=3;a=2;C=1;');
    expect(rendered("{{ {'b': 1}|dictsort }}")).toBe("[('b', 1)]");
  });

  it('the filters Kolla templates use', () => {
    expect(rendered("{{ missing|default('d') }}|{{ ''|default('d') }}|{{ ''|default('d', true) }}|{{ ['a','b']|join }}|{{ 'ab'|length }}|{{ 'Hi'|lower }}")).toBe('d||d|ab|2|hi');
    expect(rendered("{{ [3,1,2]|sort }}|{{ ['B', 'a', 'A']|sort }}|{{ [1,2,3]|reverse|list }}|{{ '42'|int }}|{{ '4.7'|int }}|{{ 'x'|int(7) }}|{{ ' 4_2 '|int }}")).toBe(
      "[1, 2, 3]|['a', 'A', 'B']|[3, 2, 1]|42|4|7|42",
    );
    expect(rendered("{{ 'a\\nb'|indent }}|{{ 'a\\n\\nb'|indent(2, true) }}|{{ 'x'|replace('', '-') }}|{{ 'xxax'|trim('x') }}")).toBe('a\n    b|  a\n\n  b|-x-|a');
  });

  it('unknown and unsupported filters fail when the template compiles', () => {
    expect(failure("{{ 'x'|nosuchfilter }}")).toBe("no filter named 'nosuchfilter'");
    expect(failure("{{ [1]|map('string')|list }}")).toBe("the Jinja filter 'map' is not supported by layerlint's renderer");
  });
});

describe('tests', () => {
  it('sequence is true for strings, lists, dicts and Undefined', () => {
    expect(rendered("{{ 'ab' is sequence }} {{ [1] is sequence }} {{ 1 is sequence }} {{ {} is sequence }} {{ undefined_var is sequence }}")).toBe('True True False True True');
  });

  it('the other tests', () => {
    expect(rendered("{{ x is defined }}|{{ 3 is odd }}|{{ 9 is divisibleby 3 }}|{{ 9 is divisibleby(4) }}|{{ 1 is number }}|{{ {} is mapping }}|{{ 'b' is in 'abc' and true }}", { values: { x: 7 } })).toBe(
      'True|True|True|False|True|True|True',
    );
    expect(failure('{{ true is sameas true }}')).toMatch(/'sameas' is not supported/);
  });
});

describe('statements and scoping', () => {
  it('loops: loop variables, else, filters, unpacking', () => {
    expect(rendered('{% for x in [3,1,2] %}{{ loop.index }}{{ loop.first }}{{ loop.last }}{{ loop.length }}|{% endfor %}')).toBe('1TrueFalse3|2FalseFalse3|3FalseTrue3|');
    expect(rendered('{% for x in [] %}no{% else %}empty{% endfor %}')).toBe('empty');
    expect(rendered('{% for x in [1,2,3,4] if x > 1 %}{{ x }}/{{ loop.length }};{% endfor %}')).toBe('2/3;3/3;4/3;');
    expect(rendered('{% for a, b in [(1, 2), [3, 4]] %}{{ a }}{{ b }};{% endfor %}')).toBe('12;34;');
  });

  it('a set inside a loop stays in the loop; one in an if does not', () => {
    expect(rendered('{% set x = 0 %}{% for i in [1,2] %}{% set x = i %}{{ x }}{% endfor %}{{ x }}')).toBe('120');
    expect(rendered('{% set x = 0 %}{% for i in [1,2] %}{{ x }}{% set x = i %}{% endfor %}')).toBe('00');
    expect(rendered('{% if true %}{% set y = 5 %}{% endif %}{{ y }}')).toBe('5');
  });

  it('Undefined prints as nothing and fails on any other use', () => {
    expect(rendered('[{{ missing }}]')).toBe('[]');
    expect(failure('{{ missing.attr }}')).toBe("'missing' is undefined");
    expect(rendered("{% set d = {'k': [1, {'n': none}]} %}{{ d.k[1].n }}|{{ d.nope }}")).toBe('None|');
  });

  it('set blocks, filter blocks, print, raw', () => {
    expect(rendered('{% set x %}inner {{ 1 }}{% endset %}[{{ x }}]')).toBe('[inner 1]');
    expect(rendered("{% filter upper %}abc {{ 'd' }}{% endfilter %}")).toBe('ABC D');
    expect(rendered("{% print 'p' %}|{% print 1, 2 %}|{{ 1, 2 }}")).toBe('p|12|(1, 2)');
    expect(rendered('{% raw %}{{ x }}{% endraw %}|{%- raw -%}  {{ y }}  {%- endraw -%}  |')).toBe('{{ x }}|{{ y }}|');
  });

  it('refuses nunjucks-only and unsupported tags', () => {
    expect(failure('{% switch x %}{% endswitch %}')).toBe("encountered unknown tag 'switch'");
    expect(failure('{% if false %}a{% elseif true %}b{% endif %}')).toMatch(/unknown tag 'elseif'/);
    expect(failure('{% with a = 1 %}{{ a }}{% endwith %}')).toMatch(/unsupported tag 'with'/);
    expect(failure('{{ 1 === 1 }}')).toBe("'===' is not a Jinja operator");
    expect(failure('{% for a in [1] recursive %}{% endfor %}')).toBe('recursive loops are not supported');
  });
});

describe('whitespace and line endings', () => {
  it('drops one trailing newline, as Jinja does by default', () => {
    expect(rendered('FROM x\n')).toBe('FROM x');
    expect(rendered('FROM x\n\n')).toBe('FROM x\n');
    expect(rendered('\n')).toBe('');
  });

  it('turns every line ending into \\n', () => {
    expect(rendered('a\r\nb\r\n')).toBe('a\nb');
    expect(rendered('a\rb\r')).toBe('a\nb');
  });

  it('whitespace control with -, in tags, prints and comments; no trimming without it', () => {
    expect(rendered('a  {%- if true -%}  b  {%- endif -%}  c')).toBe('abc');
    expect(rendered("a {{- 'x' -}} b {#- c -#} d")).toBe('axbd');
    expect(rendered('a\n  {% if true %}\n  b\n  {% endif %}\n')).toBe('a\n  \n  b\n  ');
    expect(rendered("{% for k in ['a','b'] %}\n{%- if loop.first %}RUN {% else %}    && {% endif -%}\n    cmd {{ k }}\n{%- if not loop.last %} \\{% endif %}\n{% endfor -%}\nEND")).toBe(
      'RUN cmd a \\\n    && cmd b\nEND',
    );
  });

  it('autoescape is off', () => {
    expect(rendered('{{ \'<a href="x">&\' }}')).toBe('<a href="x">&');
  });
});

describe('templates: imports, includes, inheritance', () => {
  const macros = "{% set v = 'V' %}{% macro f(x) %}f{{ x }}{{ y }}{% endmacro %}BODY";

  it('imports without context see no render values; with context they do', () => {
    expect(rendered('{% import "m.j2" as m %}{{ m.f(1) }}|{{ m.v }}|{{ m }}', { files: { 'm.j2': macros }, values: { y: 'Y' } })).toBe('f1|V|BODY');
    expect(rendered('{% import "m.j2" as m with context %}{{ m.f(1) }}', { files: { 'm.j2': macros }, values: { y: 'Y' } })).toBe('f1Y');
    expect(rendered('{% import "m.j2" as m with context %}{% set y = "late" %}{{ m.f(1) }}', { files: { 'm.j2': macros } })).toBe('f1');
    expect(rendered('{% from "m.j2" import f as g %}{{ g(2) }}', { files: { 'm.j2': macros } })).toBe('f2');
  });

  it('includes see the context and loop variables', () => {
    expect(rendered("{% set q = 1 %}{% include 'i.j2' %}|{% for z in [1,2] %}{% include 'i.j2' %}{% endfor %}", { files: { 'i.j2': 'inc{{ q }}{{ z }}\n' } })).toBe('inc1|inc11inc12');
    expect(rendered("{% include 'missing.j2' ignore missing %}ok")).toBe('ok');
  });

  it('extends, blocks and super(), with the child\'s top-level variables', () => {
    const base = 'head {% block a %}base{% endblock %} {% block b %}B{% endblock %} tail\n';
    expect(rendered("{% extends 'base.j2' %}{% block a %}child {{ super() }} {{ v }}{% endblock %}{% set v = 'cv' %}", { files: { 'base.j2': base } })).toBe('head child base cv B tail');
    expect(rendered("before{% extends 'base.j2' %}after{% block a %}X{% endblock %}", { files: { 'base.j2': '<{% block a %}{% endblock %}>' } })).toBe('before<X>');
  });

  it('Kolla template overrides: {% extends parent_template %}, super() and block replacement', () => {
    const template = 'FROM base\n{% block footer %}{% endblock %}\n{% block body %}RUN a{% endblock %}\n';
    const override = "{% extends parent_template %}\n{% set img_packages_append = ['x'] %}\n{% block footer %}\n{{ super() }}RUN echo footer {{ image_name }}\n{% endblock %}\n";
    expect(rendered(template, { overrides: { 'o.j2': override } })).toBe('FROM base\n\nRUN echo footer img\n\nRUN a');
  });
});

describe('the Kolla environment', () => {
  const repos = `
rpm:
  epel:
    name: "epel"
    gpgkey: |
      https://k1
      https://k2
    baseurl: "https://b"
    gpgcheck: 1
  crb:
    distro: True
    name: "crb"
deb:
  grafana:
    url: "https://apt.grafana.com"
    suite: "stable"
    component: "main"
    gpg_key: "grafana.asc"
    arch: "amd64"
debian:
  debian:
    distro: True
`;
  const rpm = { base_package_type: 'rpm', base_distro: 'rocky', base_arch: 'x86_64' };

  it('customizable: <image>_<type>_append, _remove and _override from the context', () => {
    const template = "{% set p = ['a', 'b'] %}{{ p|customizable('packages')|join(' ') }}";
    expect(rendered(template, { values: { img_packages_append: ['c'], img_packages_remove: ['a'] } })).toBe('b c');
    expect(rendered(template, { values: { img_packages_override: ['z'] } })).toBe('z');
    expect(rendered("{% set img_packages_append = ['t'] %}" + template)).toBe('a b t');
    expect(rendered("{{ missing|customizable('packages') }}|")).toBe('|');
    expect(failure("{{ given|customizable('packages') }}", { values: { given: ['a'], img_packages_append: ['b'] } })).toMatch(/list that comes from the template values/);
  });

  it('debian_package_install', () => {
    expect(rendered("{{ debian_package_install(['a', 'http://x/y.deb']) }}|{{ debian_package_install(['b'], False) }}")).toBe(
      'apt-get --error-on=any update && apt-get -y install --no-install-recommends a && apt-get clean && rm -rf /var/lib/apt/lists/* && curl --location http://x/y.deb -o y.deb && dpkg -i y.deb && rm -rf y.deb|apt-get --error-on=any update && apt-get -y install --no-install-recommends b',
    );
  });

  it('handle_repos reads repos.yaml beside the templates: dnf repositories', () => {
    expect(rendered("{{ handle_repos(['crb', 'epel'], 'enable') }}", { values: rpm, files: { 'repos.yaml': repos } })).toBe(
      "RUN dnf config-manager --enable crb || true && grep -rlF '[epel]' /etc/yum.repos.d/ 2>/dev/null | xargs -r rm -f && echo '[epel]' >/etc/yum.repos.d/epel.repo && echo 'name=epel' >>/etc/yum.repos.d/epel.repo && echo 'enabled=1' >>/etc/yum.repos.d/epel.repo && echo 'gpgcheck=1' >>/etc/yum.repos.d/epel.repo && echo 'gpgkey=https://k1' >>/etc/yum.repos.d/epel.repo && echo '       https://k2' >>/etc/yum.repos.d/epel.repo && echo 'baseurl=https://b' >>/etc/yum.repos.d/epel.repo",
    );
    expect(rendered("{{ handle_repos(['crb', 'epel'], 'disable') }}", { values: rpm, files: { 'repos.yaml': repos } })).toBe('RUN dnf config-manager --disable crb || true');
    expect(failure("{{ handle_repos(['nope'], 'enable') }}", { values: rpm, files: { 'repos.yaml': repos } })).toMatch(/KeyError: 'nope'/);
  });

  it('handle_repos: apt sources', () => {
    const deb = { base_package_type: 'deb', base_distro: 'debian', base_arch: 'x86_64', openstack_release_codename: 'X' };
    expect(rendered("{{ handle_repos(['debian', 'grafana'], 'enable') }}", { values: deb, files: { 'repos.yaml': repos } })).toBe(
      "RUN echo 'Uris: https://apt.grafana.com' >/etc/apt/sources.list.d/grafana.sources && echo 'Components: main' >>/etc/apt/sources.list.d/grafana.sources && echo 'Types: deb' >>/etc/apt/sources.list.d/grafana.sources && echo 'Suites: stable' >>/etc/apt/sources.list.d/grafana.sources && echo 'Signed-By: /etc/kolla/apt-keys/grafana.asc' >>/etc/apt/sources.list.d/grafana.sources && echo 'Architectures: amd64' >>/etc/apt/sources.list.d/grafana.sources",
    );
  });

  it('handle_repos refuses a repos_yaml the template set itself', () => {
    expect(failure("{% set repos_yaml = '/etc/passwd' %}{{ handle_repos(['crb'], 'enable') }}", { values: rpm, files: { 'repos.yaml': repos } })).toMatch(/changed repos_yaml/);
  });

  it('raise_error fails the render with its message', () => {
    expect(failure("{{ raise_error('no such user') }}")).toBe('raise_error: no such user');
  });

  it('env is empty unless the values give one: never the environment of the process', () => {
    expect(rendered('[{{ env.HOME }}][{{ env.PATH }}]')).toBe('[][]');
    expect(rendered('[{{ env.A }}]', { values: { env: { A: '1' } } })).toBe('[1]');
  });

  it('image_name is the template directory', () => {
    expect(rendered('{{ image_name }}')).toBe('img');
  });
});

describe('values files', () => {
  it('YAML values; one target of a file keyed by target is used as is', () => {
    const dir = templateTree({ 'img/Dockerfile.j2': '{{ a }} {{ b|join(",") }}', 'v.yaml': 'a: x\nb: [1, 2]\n', 't.json': '{"rocky-x86_64": {"a": "t", "b": []}}' });
    expect(TemplateEnvironment.open({ values: 'v.yaml' }, dir).render(path.join(dir, 'img/Dockerfile.j2'))).toMatchObject({ ok: true, text: 'x 1,2' });
    expect(TemplateEnvironment.open({ values: 't.json' }, dir).render(path.join(dir, 'img/Dockerfile.j2'))).toMatchObject({ ok: true, text: 't ' });
  });

  it('several targets need file#target', () => {
    const dir = templateTree({ 'img/Dockerfile.j2': '{{ a }}', 't.json': '{"rocky-x86_64": {"a": "r"}, "debian-x86_64": {"a": "d"}}' });
    expect(() => TemplateEnvironment.open({ values: 't.json' }, dir)).toThrow(/several targets \(rocky-x86_64, debian-x86_64\); choose one/);
    expect(TemplateEnvironment.open({ values: 't.json#debian-x86_64' }, dir).render(path.join(dir, 'img/Dockerfile.j2'))).toMatchObject({ ok: true, text: 'd' });
  });

  it('refuses floats, in JSON and YAML', () => {
    const dir = templateTree({ 'a.json': '{"v": 1.0}', 'b.yaml': 'v: 2.5\n' });
    expect(() => TemplateEnvironment.open({ values: 'a.json' }, dir)).toThrow(/v: 1\.0 is not an integer/);
    expect(() => TemplateEnvironment.open({ values: 'b.yaml' }, dir)).toThrow(/v: 2\.5 is not an integer/);
  });

  it('JSON keys keep their file order, integer-like ones too', () => {
    const dir = templateTree({ 'img/Dockerfile.j2': '{{ d }}', 'v.json': '{"d": {"b": 1, "10": 2, "2": 3}}' });
    expect(TemplateEnvironment.open({ values: 'v.json' }, dir).render(path.join(dir, 'img/Dockerfile.j2'))).toMatchObject({ ok: true, text: "{'b': 1, '10': 2, '2': 3}" });
  });
});
