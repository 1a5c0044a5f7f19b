/**
 * L2 contract of @rampart/throttler: with the `user` key strategy, a user id
 * that is `null`, empty, whitespace-only or a non-finite number counts as no
 * user, like an absent id: the request counts against its client's IP bucket
 * (it never shares one `user=` bucket with every other such request). `0` and
 * other ordinary ids key by the id, and an id cannot reach the IP namespace or
 * another id through the key's separators.
 * Locked: never modified, only added to.
 */
import { createHttpThrottle, createKeyGenerator, fastifyThrottle, type ThrottleRequest } from '@rampart/throttler';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';

// The declared type is `string | number`; untyped callers and auth libraries hand over `null` and the like.
const withId = (id: unknown, ip = '203.0.113.7'): ThrottleRequest => ({ ip, headers: {}, user: { id } as ThrottleRequest['user'] });

describe('@rampart/throttler L2: user key with empty ids', () => {
  it.each([
    ['a null', null],
    ['an empty', ''],
    ['a whitespace-only', ' \t\n'],
    ['a NaN', Number.NaN],
  ])('%s user id keys by the client IP, exactly as an absent id does', (_label, id) => {
    const keyOf = createKeyGenerator({ by: 'user' });
    expect(keyOf(withId(id))).toBe('ip=203.0.113.7');
    expect(keyOf(withId(id))).toBe(keyOf(withId(undefined)));
    expect(createKeyGenerator({ by: ['user', 'route'] })({ ...withId(id), method: 'GET', route: '/a' })).toBe('ip=203.0.113.7&route=GET%20%2Fa');
  });

  it('0 and ordinary ids key by the id, numbers as their decimal text', () => {
    const keyOf = createKeyGenerator({ by: 'user' });
    expect([0, 42, 'alice', ' alice '].map((id) => keyOf(withId(id)))).toEqual(['user=0', 'user=42', 'user=alice', 'user=%20alice%20']);
  });

  it('an id cannot collide with the IP namespace or with another id through separators', () => {
    const keyOf = createKeyGenerator({ by: ['user', 'route'] });
    const ids = ['ip=203.0.113.7', 'a&route=b', 'a%26route%3Db', 'a=b', '&', '='];
    const keys = [...ids.map((id) => keyOf({ ...withId(id), route: '' })), keyOf({ ...withId(null), route: '' })];
    expect(keys).toEqual([
      'user=ip%3D203.0.113.7&route=',
      'user=a%26route%3Db&route=',
      'user=a%2526route%253Db&route=',
      'user=a%3Db&route=',
      'user=%26&route=',
      'user=%3D&route=',
      'ip=203.0.113.7&route=',
    ]);
  });

  it('requests with null or empty ids from different clients do not throttle each other', async () => {
    const throttle = createHttpThrottle({ policies: { limit: 1, windowMs: 60_000 }, key: { by: 'user' } });
    try {
      const statuses: number[] = [];
      for (const [id, ip] of [[null, '203.0.113.1'], [null, '203.0.113.2'], ['', '203.0.113.3'], [' ', '203.0.113.4'], [null, '203.0.113.1']] as const) {
        statuses.push((await throttle.check(withId(id, ip))).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
    } finally {
      await throttle.close();
    }
  });

  it('the Fastify plugin counts a null user id against the client IP', async () => {
    const app = Fastify();
    try {
      await app.register(fastifyThrottle, {
        policies: { limit: 1, windowMs: 60_000 },
        key: { by: 'user' },
        user: () => ({ id: null }) as unknown as { readonly id?: string },
      });
      app.get('/items', () => 'ok');
      const status = async (remoteAddress: string) => (await app.inject({ method: 'GET', url: '/items', remoteAddress })).statusCode;
      expect([await status('203.0.113.1'), await status('203.0.113.2'), await status('203.0.113.1')]).toEqual([200, 200, 429]);
    } finally {
      await app.close();
    }
  });
});
