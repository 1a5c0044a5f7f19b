import { describe, expect, it } from 'vitest';
import type { ConfigError } from './errors.ts';
import { readPath, sanitize } from './safe-object.ts';

function thrown(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected a throw');
}

describe('sanitize', () => {
  it('deep-copies plain values into null-prototype objects', () => {
    const input = { a: { b: [1, { c: 2 }] }, d: 'x' };
    const out = sanitize(input, 'src') as Record<string, Record<string, unknown>>;
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(Object.getPrototypeOf(out.a)).toBeNull();
    expect(Array.isArray(out.a?.b)).toBe(true);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses a nested %s key with its path and source', (key) => {
    const error = thrown(() => sanitize(JSON.parse(`{"db":{"${key}":{"polluted":true}}}`), 'app.json'));
    expect(error.code).toBe('CONFIG_ERR_UNSAFE_KEY');
    expect(error.category).toBe('security');
    expect(error.message).toBe(`app.json: refused key "db.${key}" (prototype pollution attempt)`);
    expect(error.details).toEqual({ source: 'app.json', path: `db.${key}` });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses unsafe keys inside arrays', () => {
    expect(thrown(() => sanitize(JSON.parse('{"l":[{"__proto__":{}}]}'), 's')).message).toBe('s: refused key "l.0.__proto__" (prototype pollution attempt)');
  });

  it('reports a cycle instead of overflowing the stack', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: cyclic };
    const error = thrown(() => sanitize(cyclic, 'code'));
    expect(error.code).toBe('CONFIG_ERR_FEEDER');
    expect(error.message).toBe('code: values contain a cycle at "self.back"');
    expect(error.details).toEqual({ source: 'code' });
  });

  it('copies null-prototype input too, refusing its unsafe keys', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.a = { b: 1 };
    const out = sanitize(bare, 's') as Record<string, unknown>;
    expect(out).not.toBe(bare);
    expect(out.a).not.toBe(bare.a);
    Object.defineProperty(bare, '__proto__', { value: {}, enumerable: true });
    expect(thrown(() => sanitize(bare, 's')).code).toBe('CONFIG_ERR_UNSAFE_KEY');
  });

  it('keeps undefined and null values as they are', () => {
    expect(sanitize({ u: undefined, n: null }, 's')).toStrictEqual(Object.assign(Object.create(null) as object, { u: undefined, n: null }));
  });

  it('keeps shared (non-cyclic) references and non-plain objects as values', () => {
    const shared = { x: 1 };
    const date = new Date(0);
    expect(sanitize({ a: shared, b: shared, d: date }, 's')).toEqual({ a: { x: 1 }, b: { x: 1 }, d: date });
  });
});

describe('readPath', () => {
  const tree = { a: { b: 1, n: null }, s: 5, l: [1] };
  it('finds own values and treats null as absent', () => {
    expect(readPath(tree, ['a', 'b'])).toEqual({ found: true, value: 1 });
    expect(readPath(tree, ['a', 'n'])).toEqual({ found: false, value: null });
    expect(readPath(tree, ['a', 'missing'])).toEqual({ found: false, value: undefined });
    expect(readPath(tree, ['zz', 'b'])).toEqual({ found: false, value: undefined });
    expect(readPath(tree, ['a', 'toString'])).toEqual({ found: false, value: undefined });
    // Through nothing there is no blocking scalar to report.
    expect(readPath({ u: undefined, n: null }, ['u', 'x'])).toStrictEqual({ found: false, value: undefined });
    expect(readPath({ u: undefined, n: null }, ['n', 'x'])).toStrictEqual({ found: false, value: undefined });
    expect(readPath({ u: undefined }, ['u'])).toStrictEqual({ found: false, value: undefined });
  });

  it('reports where a scalar or array blocks the path', () => {
    expect(readPath(tree, ['s', 'x'])).toEqual({ found: false, value: 5, blockedAt: 1 });
    expect(readPath(tree, ['l', '0'])).toEqual({ found: false, value: [1], blockedAt: 1 });
  });
});
