// Templates come from pull requests, and layerlint runs on pull requests: a template must reach nothing
// but its data. These are attacks on the renderer; each must fail with a clear error, never run.
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TemplateEnvironment } from '../src/template/render.js';
import { failure, removeTemplateTrees, templateTree } from './template-helpers.js';

afterAll(removeTemplateTrees);

afterEach(() => {
  // No attack may leave anything on the prototypes every object shares.
  expect(Object.getOwnPropertyNames(Object.prototype).filter((k) => k.startsWith('pwn'))).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('reaching JavaScript from an expression', () => {
  it('constructors: the classic escape to Function and process', () => {
    expect(failure("{{ ''.constructor.constructor('return process')() }}")).toBe("'constructor' is not allowed in a template: it could reach the JavaScript host");
    expect(failure('{{ range.constructor }}')).toMatch(/'constructor' is not allowed/);
    expect(failure("{{ loop.cycle.constructor('return this')() }}")).toMatch(/'constructor' is not allowed/);
    expect(failure("{{ ''['constructor'] }}")).toMatch(/'constructor' is not allowed/);
  });

  it('prototypes and dunder names, literal or computed', () => {
    expect(failure('{{ x.__proto__ }}')).toMatch(/'__proto__' is not allowed/);
    expect(failure("{{ x['__proto__'] }}")).toMatch(/'__proto__' is not allowed/);
    expect(failure('{{ x.prototype }}')).toMatch(/'prototype' is not allowed/);
    expect(failure("{{ ''.__class__.__mro__ }}")).toMatch(/'__class__' is not allowed/);
    expect(failure("{% set k = '__pro' ~ 'to__' %}{{ {}[k] }}")).toMatch(/the item '__proto__' is not allowed/);
    expect(failure("{% set k = 'constr' ~ 'uctor' %}{{ ''[k] }}")).toMatch(/the item 'constructor' is not allowed/);
    expect(failure("{% set k = 'constr' ~ 'uctor' %}{{ [{'a': 1}]|join(attribute=k) }}")).toMatch(/the item 'constructor' is not allowed/);
  });

  it('host globals are not names a template can use', () => {
    expect(failure('{{ process.env }}')).toMatch(/'process' is not allowed/);
    expect(failure("{{ require('fs') }}")).toMatch(/'require' is not allowed/);
    expect(failure('{{ globalThis }}')).toMatch(/'globalThis' is not allowed/);
    expect(failure("{% set process = 1 %}")).toMatch(/'process' is not allowed/);
  });

  it('only macros and the supported functions can be called', () => {
    expect(failure("{{ eval('1') }}")).toMatch(/'eval' is not allowed/);
    expect(failure('{{ fetch() }}')).toBe("unknown function 'fetch': only macros and range, dict, debian_package_install, handle_repos, raise_error can be called");
    expect(failure("{{ 'abc'() }}")).toBe('a constant is not callable');
    expect(failure('{{ x() }}', { values: { x: 'a string' } })).toMatch(/unknown function 'x'/);
    expect(failure('{% set f = x %}{{ f() }}', { values: { x: 'a string' } })).toBe("'str' object is not callable");
  });

  it('the environment of the process is never the env of a template', () => {
    process.env.LAYERLINT_SECRET_FOR_TEST = 'secret';
    try {
      expect(failure('{{ env.LAYERLINT_SECRET_FOR_TEST }}')).toBeNull();
    } finally {
      delete process.env.LAYERLINT_SECRET_FOR_TEST;
    }
  });

  it('a values file cannot pollute prototypes', () => {
    const dir = templateTree({ 'img/Dockerfile.j2': '{{ d.polluted }}', 'v.json': '{"d": {"__proto__": {"polluted": "yes"}}}' });
    const outcome = TemplateEnvironment.open({ values: 'v.json' }, dir).render(path.join(dir, 'img', 'Dockerfile.j2'));
    expect(outcome).toMatchObject({ ok: true, text: '' });
  });
});

describe('reading files outside the template root', () => {
  it('climbing with ..', () => {
    expect(failure("{% include '../../etc/passwd' %}")).toBe("template names may not climb out of the template root with '..': '../../etc/passwd' is refused");
    expect(failure("{% import 'a/../../x.j2' as x %}")).toMatch(/may not climb out/);
  });

  it('absolute names', () => {
    expect(failure("{% import '/etc/hosts' as h %}")).toBe("template names are relative to the template root: '/etc/hosts' is refused");
    expect(failure("{% extends '/etc/passwd' %}")).toMatch(/relative to the template root/);
  });

  it('a symlink that leads out of the root', () => {
    const outside = templateTree({ 'secret.j2': 'SECRET' });
    const dir = templateTree({ 'img/Dockerfile.j2': "{% include 'link.j2' %}", 'values.json': '{}' });
    symlinkSync(path.join(outside, 'secret.j2'), path.join(dir, 'link.j2'));
    const outcome = TemplateEnvironment.open({ values: 'values.json', root: '.' }, dir, dir).render(path.join(dir, 'img', 'Dockerfile.j2'));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.reason).toBe("template 'link.j2' leads outside the template root through a symbolic link: refused");
  });

  it('a template name computed at render time is checked the same way', () => {
    expect(failure("{% include '..' ~ '/x.j2' %}")).toMatch(/may not climb out/);
  });

  it('the repositories file is the one the values name, whatever the template sets', () => {
    expect(failure("{% set repos_yaml = '/etc/passwd' %}{{ handle_repos(['x'], 'enable') }}", { values: { base_package_type: 'rpm' } })).toMatch(/changed repos_yaml/);
  });
});

describe('exhausting time and memory', () => {
  it('huge loops stop at the step limit', () => {
    const started = Date.now();
    expect(failure('{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}')).toMatch(/more than 1000000 steps: refused/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('ranges are limited as in Jinja\'s sandbox', () => {
    expect(failure('{{ range(1000000)|length }}')).toMatch(/Range too big/);
  });

  it('huge strings and lists are refused', () => {
    expect(failure("{{ 'x' * 100000000 }}")).toMatch(/longer than 10000000 items: refused/);
    expect(failure("{{ ['x'] * 2000000 }}")).toMatch(/longer than 1000000 items: refused/);
    expect(failure("{% set l = ['x'] * 600000 %}{{ (l + l)|length }}")).toMatch(/longer than 1000000 items: refused/);
  });

  it('runaway recursion stops at the nesting limit', () => {
    expect(failure('{% macro r() %}{{ r() }}{% endmacro %}{{ r() }}')).toMatch(/more than 100 nested macro calls/);
    expect(failure("{% include 'img/Dockerfile.j2' %}")).toMatch(/more than 100 nested/);
  });

  it('a template nested too deeply to parse is refused, not a crash', () => {
    expect(failure(`{{ ${'('.repeat(20000)}1${')'.repeat(20000)} }}`)).toMatch(/stack|nest/i);
  });
});
