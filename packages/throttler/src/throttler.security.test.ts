import { FakeClock } from '@rampart/mocks';
import { describe, expect, it } from 'vitest';
import { createHttpThrottle } from './http-throttle.ts';
import { createKeyGenerator } from './keys.ts';
import { MemoryStore } from './memory-store.ts';
import { definePolicies } from './policy.ts';

const T = 1_699_999_980_000;

describe('throttler security', () => {
  it('X-Forwarded-For spoofing: a client rotating the left-most value still hits one bucket', async () => {
    const throttle = createHttpThrottle({ policies: { limit: 3, windowMs: 60_000 }, key: { trustProxy: { proxies: ['10.0.0.0/8'] } } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await throttle.check({ ip: '10.0.0.1', headers: { 'x-forwarded-for': `198.51.100.${i}, 203.0.113.7` } });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    // and without trusted proxies the header is ignored entirely
    const direct = createHttpThrottle({ policies: { limit: 1, windowMs: 60_000 } });
    expect((await direct.check({ ip: '203.0.113.9', headers: { 'x-forwarded-for': '1.1.1.1' } })).decision?.key).toBe('ip=203.0.113.9');
    expect((await direct.check({ ip: '203.0.113.9', headers: { 'x-forwarded-for': '2.2.2.2' } })).status).toBe(429);
    await throttle.close();
    await direct.close();
  });

  it('allow/deny screen the client behind a trusted proxy; an untrusted peer cannot spoof X-Forwarded-For into either list', async () => {
    const throttle = createHttpThrottle({
      policies: { limit: 2, windowMs: 60_000 },
      key: { trustProxy: { proxies: ['10.0.0.0/8'] } },
      allow: ['10.0.0.0/8', '192.0.2.0/24'],
      deny: ['198.51.100.0/24'],
    });
    const statuses = async (ip: string, xff?: string, n = 3) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await throttle.check({ ip, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } })).status);
      return out;
    };
    // proxied client on the deny list: refused, whatever the proxy's own standing
    expect(await statuses('10.0.0.1', '198.51.100.9')).toEqual([403, 403, 403]);
    // allowing the proxy range does not exempt the clients behind it
    expect(await statuses('10.0.0.1', '203.0.113.7')).toEqual([200, 200, 429]);
    // a proxied client on the allow list is exempt
    expect(await statuses('10.0.0.2', '192.0.2.10')).toEqual([200, 200, 200]);
    // direct connections: unchanged
    expect(await statuses('198.51.100.20')).toEqual([403, 403, 403]);
    expect(await statuses('192.0.2.20')).toEqual([200, 200, 200]);
    // an untrusted peer's X-Forwarded-For is ignored: it can neither claim an allowed address nor dodge the deny list
    expect(await statuses('203.0.113.50', '192.0.2.10')).toEqual([200, 200, 429]);
    expect(await statuses('198.51.100.30', '203.0.113.60')).toEqual([403, 403, 403]);
    expect(await statuses('203.0.113.70', '198.51.100.9')).toEqual([200, 200, 429]);
    await throttle.close();
  });

  it('IPv6 rotation within a /64 shares one bucket; another /64 does not', async () => {
    const throttle = createHttpThrottle({ policies: { limit: 2, windowMs: 60_000 } });
    const statuses: number[] = [];
    for (const ip of ['2001:db8:1:2::1', '2001:db8:1:2:dead:beef:0:1', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::a']) statuses.push((await throttle.check({ ip, headers: {} })).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect((await throttle.check({ ip: '2001:db8:1:3::1', headers: {} })).status).toBe(200);
    // IPv4-mapped and plain IPv4 are the same client
    await throttle.check({ ip: '192.0.2.5', headers: {} });
    await throttle.check({ ip: '::ffff:192.0.2.5', headers: {} });
    expect((await throttle.check({ ip: '192.0.2.5', headers: {} })).status).toBe(429);
    await throttle.close();
  });

  it('header injection cannot forge or collide keys', () => {
    const keyOf = createKeyGenerator({ by: ['user', 'route'] });
    const honest = keyOf({ ip: '203.0.113.7', headers: {}, user: { id: 'alice' }, route: '/a' });
    const forged = keyOf({ ip: '203.0.113.7', headers: {}, user: { id: 'alice&route=/a' }, route: '' });
    const crlf = keyOf({ ip: '203.0.113.7', headers: {}, user: { id: 'x\r\nX-Injected: 1' }, route: '/a' });
    const braces = keyOf({ ip: '203.0.113.7', headers: {}, user: { id: '}{other}' }, route: '/a' });
    expect(new Set([honest, forged, crlf, braces]).size).toBe(4);
    for (const key of [forged, crlf, braces]) expect(key).not.toMatch(/[\r\n{}]|&route=\/a/);
    const custom = createKeyGenerator({ by: (r) => String(r.headers['x-tenant']) });
    expect(custom({ ip: '1.1.1.1', headers: { 'x-tenant': 'a&ip=2.2.2.2' } })).toBe('c0=a%26ip%3D2.2.2.2');
  });

  // 100x more distinct keys than the table holds. (It was 1,000,000 keys against 10,000: the same
  // ratio, but too slow for the mutation run, where every test runs instrumented, many times.)
  it('key-space exhaustion: 100,000 distinct keys against a 1,000-key table keep memory bounded and tracked counters intact', () => {
    const clock = new FakeClock(T);
    const store = new MemoryStore({ clock, maxKeys: 1_000, sweepIntervalMs: 0 });
    const policies = definePolicies({ limit: 1, windowMs: 60_000 });
    expect(store.consume('victim', policies, 1).allowed).toBe(true);
    let refusedNew = 0;
    for (let i = 0; i < 100_000; i++) if (store.consume(`k${i}`, policies, 1).reason === 'capacity') refusedNew += 1;
    expect(store.size).toBe(1_000);
    expect(refusedNew).toBe(100_000 - 999);
    // the flood never evicted the victim's live counter, so it gained no fresh quota
    expect(store.consume('victim', policies, 1).allowed).toBe(false);
    clock.advance(60_000);
    expect(store.sweep()).toBe(1_000);
  });
});
