/**
 * Regression: the `user` key strategy fell back to the IP only for an `id` of
 * `undefined`. A `null`, `''` or blank id (what broken or anonymous auth often
 * yields) was keyed as-is, so every such request shared one `user=null` /
 * `user=` bucket: unrelated clients throttled each other and were counted as a
 * user. Those ids (and `NaN`) now count against the client's IP bucket, like an
 * absent id; `0` and every ordinary id still key by the id.
 */
import { describe, expect, it } from 'vitest';
import { createHttpThrottle } from '../../src/http-throttle.ts';
import { createKeyGenerator, type ThrottleRequest } from '../../src/keys.ts';

// The type says `string | number`; JavaScript callers and casts from auth libraries hand over anything.
const withId = (id: unknown, ip = '203.0.113.7'): ThrottleRequest => ({ ip, headers: {}, user: { id } as ThrottleRequest['user'] });

describe('user key strategy with empty ids', () => {
  it.each([
    ['null', null],
    ["''", ''],
    ['a space', ' '],
    ['tab, newline and space', '\t\n '],
    ['a no-break space', '\u00a0'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['an object', {}],
    ['a boolean', true],
  ])('keys an id of %s by the client IP, like an absent id', (_label, id) => {
    const keyOf = createKeyGenerator({ by: 'user' });
    expect(keyOf(withId(id))).toBe('ip=203.0.113.7');
    expect(keyOf(withId(id))).toBe(keyOf(withId(undefined)));
    expect(createKeyGenerator({ by: ['user', 'route'] })({ ...withId(id), route: '/a', method: 'GET' })).toBe('ip=203.0.113.7&route=GET%20%2Fa');
  });

  it('keys 0, negative, fractional, bigint and padded ids by the id, unchanged', () => {
    const keyOf = createKeyGenerator({ by: 'user' });
    expect([0, -0, -1, 1.5, 42n, ' alice ', 'alice', '0'].map((id) => keyOf(withId(id)))).toEqual([
      'user=0',
      'user=0',
      'user=-1',
      'user=1.5',
      'user=42',
      'user=%20alice%20',
      'user=alice',
      'user=0',
    ]);
  });

  it('two clients with a null id no longer throttle each other', async () => {
    const throttle = createHttpThrottle({ policies: { limit: 1, windowMs: 60_000 }, key: { by: 'user' } });
    try {
      const statuses = [];
      for (const [id, ip] of [[null, '203.0.113.1'], [null, '203.0.113.2'], ['', '203.0.113.3'], [null, '203.0.113.1']] as const) {
        statuses.push((await throttle.check(withId(id, ip))).status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await throttle.close();
    }
  });

  it('ids cannot take the IP namespace or another id through separators', () => {
    const keyOf = createKeyGenerator({ by: ['user', 'route'] });
    const keys = ['ip=203.0.113.7', 'ip=203.0.113.7&route=', 'a&route=b', 'a=b', 'a%26route%3Db', '&', '='].map((id) => keyOf({ ...withId(id), route: '' }));
    expect(keys).toEqual([
      'user=ip%3D203.0.113.7&route=',
      'user=ip%3D203.0.113.7%26route%3D&route=',
      'user=a%26route%3Db&route=',
      'user=a%3Db&route=',
      'user=a%2526route%253Db&route=',
      'user=%26&route=',
      'user=%3D&route=',
    ]);
    expect(new Set([...keys, keyOf({ ...withId(undefined), route: '' })]).size).toBe(keys.length + 1);
  });
});
