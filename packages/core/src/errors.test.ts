import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORE_ERRORS, defineErrors, errorFrom } from './errors.ts';
import type { ErrorSpec } from './errors.ts';
import { ConfigError, DependencyError, LifecycleError, RampartError, SecurityError, ValidationError, causeChain, isRampartError } from './rampart-error.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('core error registry', () => {
  it('documents every code in the README error table: category, status and the registry summary, word for word', () => {
    for (const [code, spec] of Object.entries(CORE_ERRORS) as [string, ErrorSpec][]) {
      expect(readme).toContain(`| \`${code}\` | ${spec.category} | ${spec.status === undefined ? '—' : String(spec.status)} | ${spec.summary} |`);
    }
  });

  it('lists no code in the README that the registry lacks', () => {
    const documented = [...readme.matchAll(/\| `(CORE_ERR_\w+)` \|/g)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(CORE_ERRORS).sort());
  });

  it('prefixes every code with CORE_ERR_', () => {
    expect(Object.keys(CORE_ERRORS).every((c) => /^CORE_ERR_[A-Z_]+$/.test(c))).toBe(true);
  });
});

describe('taxonomy', () => {
  it.each([
    [ConfigError, 'config'],
    [ValidationError, 'validation'],
    [DependencyError, 'dependency'],
    [LifecycleError, 'lifecycle'],
    [SecurityError, 'security'],
  ] as const)('%o carries category %s, code, cause and the brand', (Class, category) => {
    const cause = new Error('root');
    const error = new Class('X_ERR_ONE', 'boom', { cause, status: 418, details: { a: 1 } });
    expect(error).toBeInstanceOf(RampartError);
    expect(error.category).toBe(category);
    expect(error.code).toBe('X_ERR_ONE');
    expect(error.cause).toBe(cause);
    expect(error.status).toBe(418);
    expect(error.name).toBe(Class.name);
    expect(error[Symbol.for('rampart.error') as never]).toBe(true);
    expect(isRampartError(error)).toBe(true);
  });

  it('lets a subclass keep a domain category (open taxonomy)', () => {
    expect(new ValidationError('X', 'm', { category: 'billing' }).category).toBe('billing');
  });

  it('recognizes an error branded by another copy of the package, and rejects look-alikes', () => {
    const foreign = Object.assign(new Error('x'), { code: 'CONFIG_ERR_X', [Symbol.for('rampart.error')]: true });
    expect(isRampartError(foreign)).toBe(true);
    expect(isRampartError({ code: 'X' })).toBe(false);
    expect(isRampartError(Object.assign(new Error('x'), { [Symbol.for('rampart.error')]: true }))).toBe(false);
    expect(isRampartError(null)).toBe(false);
    expect(isRampartError('CORE_ERR_CYCLE')).toBe(false);
  });

  it('serializes to JSON with nested causes and no stack', () => {
    const inner = new DependencyError('A_ERR', 'inner', { details: { k: 'v' } });
    const outer = new LifecycleError('B_ERR', 'outer', { cause: inner, status: 500 });
    expect(JSON.parse(JSON.stringify(outer))).toEqual({
      name: 'LifecycleError',
      code: 'B_ERR',
      category: 'lifecycle',
      message: 'outer',
      status: 500,
      cause: { name: 'DependencyError', code: 'A_ERR', category: 'dependency', message: 'inner', details: { k: 'v' } },
    });
    expect(new ConfigError('C', 'c', { cause: new TypeError('t') }).toJSON().cause).toEqual({ name: 'TypeError', message: 't' });
    expect(new ConfigError('C', 'c', { cause: 42 }).toJSON().cause).toEqual({ name: 'number', message: '42' });
  });

  it('walks the cause chain and stops on loops', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    const c = new RampartError('C', 'c', { category: 'x', cause: b });
    expect(causeChain(c)).toEqual([c, b, a]);
    const loop = new Error('loop');
    (loop as { cause?: unknown }).cause = loop;
    expect(causeChain(loop)).toEqual([loop]);
  });
});

describe('errorFrom / defineErrors', () => {
  const registry = defineErrors({
    A_ERR_CONFIG: { category: 'config', summary: 'c' },
    A_ERR_VALIDATION: { category: 'validation', summary: 'v', status: 400 },
    A_ERR_DEP: { category: 'dependency', summary: 'd', status: 503 },
    A_ERR_LIFE: { category: 'lifecycle', summary: 'l' },
    A_ERR_SEC: { category: 'security', summary: 's', status: 403 },
    A_ERR_DOMAIN: { category: 'billing', summary: 'b', status: 402 },
  });

  it('picks the taxonomy class from the category and the status from the registry', () => {
    expect(errorFrom(registry, 'A_ERR_CONFIG', 'x')).toBeInstanceOf(ConfigError);
    expect(errorFrom(registry, 'A_ERR_VALIDATION', 'x')).toBeInstanceOf(ValidationError);
    expect(errorFrom(registry, 'A_ERR_DEP', 'x')).toBeInstanceOf(DependencyError);
    expect(errorFrom(registry, 'A_ERR_LIFE', 'x')).toBeInstanceOf(LifecycleError);
    expect(errorFrom(registry, 'A_ERR_SEC', 'x')).toBeInstanceOf(SecurityError);
    expect(errorFrom(registry, 'A_ERR_SEC', 'x').status).toBe(403);
    const domain = errorFrom(registry, 'A_ERR_DOMAIN', 'over limit', { details: { limit: 3 } });
    expect([domain.constructor, domain.category, domain.status, domain.details]).toEqual([RampartError, 'billing', 402, { limit: 3 }]);
    expect(errorFrom(registry, 'A_ERR_DEP', 'x', { status: 502 }).status).toBe(502);
    expect(Object.isFrozen(registry)).toBe(true);
  });
});
