import { describe, expect, it } from 'vitest';
import { t } from './builders.ts';
import { diff, patch, rawAt } from './diff.ts';
import { compile } from './plan.ts';
import { defineSchema } from './schema.ts';
import { Secret } from './secret.ts';

const plan = compile(
  defineSchema({
    port: t.port().default(80),
    tags: t.array(t.string()).default([]).dynamic(),
    tls: t.object({ cert: t.string().dynamic(), key: t.string().secret() }).optional(),
    cache: t.object({ host: t.string(), ttl: t.integer().default(1) }).optional().dynamic(),
  }).root.spec,
);

describe('rawAt', () => {
  it('reads nested leaves and stops at anything that is not an object', () => {
    expect(rawAt({ a: { b: 1 } }, ['a', 'b'])).toBe(1);
    expect(rawAt({ a: { b: 1 } }, [])).toEqual({ a: { b: 1 } });
    expect(rawAt({ a: 5 }, ['a', 'b'])).toBeUndefined();
    expect(rawAt({ a: null }, ['a', 'b'])).toBeUndefined();
    expect(rawAt(undefined, ['a'])).toBeUndefined();
  });
});

describe('diff', () => {
  it('lists changed leaves in schema order, with dynamic flag and tenant', () => {
    const before = { port: 80, tags: ['a'], tls: undefined };
    const after = { port: 81, tags: ['a', 'b'], tls: undefined };
    expect(diff(plan, before, after, 'acme')).toEqual([
      { path: 'port', previous: 80, next: 81, dynamic: false, tenant: 'acme' },
      { path: 'tags', previous: ['a'], next: ['a', 'b'], dynamic: true, tenant: 'acme' },
    ]);
    expect(diff(plan, before, { port: 80, tags: ['a'] }, undefined)).toEqual([]);
  });

  it('reports a section that appears: previous undefined (never a Secret), next wrapped for secrets', () => {
    const changes = diff(plan, { port: 80, tags: [] }, { port: 80, tags: [], tls: { cert: 'c', key: 'k' } }, undefined);
    expect(changes).toHaveLength(2);
    // cert is dynamic, but the section around it is not: applying cert alone would leave key unset.
    expect(changes[0]).toEqual({ path: 'tls.cert', previous: undefined, next: 'c', dynamic: false, tenant: undefined });
    expect(changes[1]?.path).toBe('tls.key');
    expect(changes[1]?.previous).toBeUndefined();
    expect(changes[1]?.next).toBeInstanceOf(Secret);
    expect((changes[1]?.next as Secret).reveal()).toBe('k');
    expect(Object.isFrozen(changes[0])).toBe(true);
  });

  it('applies a dynamic field of a non-dynamic section only while the section stays present; a dynamic section whole', () => {
    const present = { port: 80, tags: [], tls: { cert: 'c0', key: 'k' } };
    expect(diff(plan, present, { ...present, tls: { cert: 'c1', key: 'k' } }, undefined).map((c) => [c.path, c.dynamic])).toEqual([['tls.cert', true]]);
    expect(diff(plan, present, { port: 80, tags: [] }, undefined).map((c) => [c.path, c.dynamic])).toEqual([
      ['tls.cert', false],
      ['tls.key', false],
    ]);
    const absent = { port: 80, tags: [] };
    const cached = { port: 80, tags: [], cache: { host: 'h', ttl: 1 } };
    const whole = [
      ['cache.host', true],
      ['cache.ttl', true],
    ];
    expect(diff(plan, absent, cached, undefined).map((c) => [c.path, c.dynamic])).toEqual(whole);
    expect(diff(plan, cached, absent, undefined).map((c) => [c.path, c.dynamic])).toEqual(whole);
  });
});

describe('patch', () => {
  it('takes only the given leaves from `after`, deep-copied, and leaves `before` untouched', () => {
    const before = { port: 80, tags: ['a'], tls: { cert: 'c0', key: 'k0' } };
    const after = { port: 81, tags: ['b', 'c'], tls: { cert: 'c1', key: 'k1' } };
    const out = patch(plan, before, after, new Set(['tags', 'tls.cert'])) as typeof before;
    expect(out).toEqual({ port: 80, tags: ['b', 'c'], tls: { cert: 'c1', key: 'k0' } });
    expect(out.tags).not.toBe(after.tags);
    expect(out.tls).not.toBe(before.tls);
    expect(before).toEqual({ port: 80, tags: ['a'], tls: { cert: 'c0', key: 'k0' } });
  });

  it('copies arrays of `before` instead of sharing them', () => {
    const before = { port: 80, tags: ['a'] };
    const out = patch(plan, before, { port: 81, tags: ['z'] }, new Set(['port'])) as typeof before;
    expect(out).toEqual({ port: 81, tags: ['a'] });
    expect(out.tags).not.toBe(before.tags);
  });

  it('creates a dynamic section that `before` lacked (absent or null), and removes one that `after` lacks', () => {
    const after = { port: 80, tags: [], cache: { host: 'h', ttl: 2 } };
    const keys = new Set(['cache.host', 'cache.ttl']);
    expect(patch(plan, { port: 81, tags: [] }, after, keys)).toEqual({ port: 81, tags: [], cache: { host: 'h', ttl: 2 } });
    expect(patch(plan, { port: 81, tags: [], cache: null }, after, keys)).toEqual({ port: 81, tags: [], cache: { host: 'h', ttl: 2 } });
    // Not a section of undefined leaves: the section is gone.
    const removed = patch(plan, { port: 81, tags: [], cache: { host: 'h', ttl: 2 } }, { port: 80, tags: [] }, keys) as Record<string, unknown>;
    expect(removed).toEqual({ port: 81, tags: [], cache: undefined });
    expect(removed.cache).toBeUndefined();
  });
});
