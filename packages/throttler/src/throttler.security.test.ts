import v8 from 'node:v8';
import vm from 'node:vm';
import { FakeClock } from '@rampart/mocks';
import { describe, expect, it } from 'vitest';
import { createHttpThrottle } from './http-throttle.ts';
import { createKeyGenerator } from './keys.ts';
import { createRateLimiter } from './limiter.ts';
import { MemoryStore } from './memory-store.ts';

const T = 1_699_999_980_000;
const MiB = 1_024 * 1_024;

// A real full GC without --expose-gc on the command line: the flag set at run time exposes `gc`
// to every context created afterwards. Checked before use: it must reclaim a known 16 MB of garbage.
function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  const gc: unknown = vm.runInNewContext('gc');
  if (typeof gc !== 'function') throw new Error('gc() is not available');
  const collect = gc as () => void;
  const holder: { garbage?: number[][] } = { garbage: Array.from({ length: 2_000 }, () => new Array<number>(1_000).fill(0.5)) };
  const held = heapAfterGc(collect);
  holder.garbage = undefined;
  expect(held - heapAfterGc(collect)).toBeGreaterThan(12 * MiB);
  return collect;
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

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

  // The README's bound at 1M scale: a full table refuses NEW keys and reclaims only entries whose state
  // is back at full quota, so no live counter is ever evicted. Token bucket, 1 token/s, burst 10: a key
  // that spent c tokens is back at full quota (and reclaimable) exactly c seconds later, so the flood's
  // keys (cost 1) churn through the table while the victims (cost 10) must stay tracked throughout.
  it('key-space exhaustion: 1,000,000 distinct keys against a 10,000-key table keep size and heap bounded, and no key regains quota early', () => {
    const gc = exposeGc();
    const MAX_KEYS = 10_000;
    const FLOOD = 1_000_000;
    const KEYS_PER_MS = 200; // the flood spans 5 s of fake time: several generations of reclaimed keys
    const clock = new FakeClock(T);
    const store = new MemoryStore({ clock, maxKeys: MAX_KEYS, sweepIntervalMs: 0 });
    let warnings = 0;
    const logger = { info: () => undefined, error: () => undefined, warn: () => void (warnings += 1) };
    const limiter = createRateLimiter({ store, clock, logger, policies: { algorithm: 'token-bucket', limit: 10, windowMs: 10_000, burst: 10 } });
    const victims = Array.from({ length: 100 }, (_, i) => `victim${i}`);
    for (const v of victims) expect(limiter.consumeSync(v, { cost: 10 }).allowed).toBe(true);
    // A key that spent `spent` tokens at `at` holds 10 - spent + floor(elapsed / 1 s) tokens (at most 10):
    // asking for one more must be refused by its own counter, not for capacity (it must still be tracked).
    let probes = 0;
    const expectNoEarlyQuota = (key: string, spent: number, at: number) => {
      const cost = 10 - spent + Math.floor((clock.now() - at) / 1_000) + 1;
      if (cost > 10) return;
      probes += 1;
      const d = limiter.consumeSync(key, { cost });
      expect([key, cost, d.allowed, d.reason]).toEqual([key, cost, false, undefined]);
    };
    const before = heapAfterGc(gc);
    let admitted = 0;
    let refused = 0;
    let largest = 0;
    const sampled: { key: string; at: number }[] = [];
    for (let i = 0; i < FLOOD; i++) {
      if (i % KEYS_PER_MS === 0) clock.advance(1);
      const key = `k${i}`;
      const d = limiter.consumeSync(key);
      if (d.allowed) {
        admitted += 1;
        if (admitted % 500 === 0) sampled.push({ key, at: clock.now() });
      } else if (d.reason === 'capacity') refused += 1;
      if (store.size > largest) largest = store.size;
      if (i % 50_000 === 0) {
        for (const v of victims) expectNoEarlyQuota(v, 10, T);
        for (const s of sampled) expectNoEarlyQuota(s.key, 1, s.at);
      }
    }
    const after = heapAfterGc(gc);
    // (a) the bound held and was reached: the flood really filled the table
    expect(largest).toBe(MAX_KEYS);
    // every flood decision was an admission or a capacity refusal, and expired keys were reclaimed at scale
    expect(admitted + refused).toBe(FLOOD);
    expect(admitted).toBeGreaterThan(4 * MAX_KEYS);
    // a key-space flood is no log flood: at most one capacity line per second of clock
    expect(warnings).toBeGreaterThan(0);
    expect(warnings).toBeLessThanOrEqual(5);
    // (b) the heap grew by less than 1 KiB per key the store may hold, plus slack (measured: ~2.2 MB).
    // The store is still alive here, and the measurement sees its table (at least 50 B per tracked
    // key): 1M tracked keys would be at least 50 MB, several times the bound.
    const growth = after - before;
    const bound = MAX_KEYS * 1_024 + 8 * MiB;
    expect(growth).toBeLessThan(bound);
    expect(growth).toBeGreaterThan(MAX_KEYS * 50);
    // (c) the victims (the oldest entries, passed by every reclaim scan) and the sampled flood keys
    // (mid-churn) kept their counters through the whole flood: 20 checkpoints x 100 victims, plus
    // (measured) ~375 probes of sampled flood keys younger than 1 s...
    expect(probes).toBeGreaterThan(victims.length * 20 + 100);
    // ...and the victims get their full quota back exactly when the law says, not a millisecond early
    clock.set(T + 9_999);
    for (const v of victims) expect([v, limiter.consumeSync(v, { cost: 10 }).allowed]).toEqual([v, false]);
    clock.set(T + 10_000);
    for (const v of victims) expect([v, limiter.consumeSync(v, { cost: 10 }).allowed]).toEqual([v, true]);
    expect(store.size).toBeLessThanOrEqual(MAX_KEYS);
  });
});
