/**
 * L2 contract: documented options (algorithms, stores, key strategies, headers).
 */
import { FakeClock, withRedis } from '@rampart/mocks';
import {
  createHttpThrottle,
  createKeyGenerator,
  createRateLimiter,
  definePolicies,
  getRateLimit,
  isThrottleError,
  MemoryStore,
  rateLimit,
  RedisStore,
  type Algorithm,
} from '@rampart/throttler';
import { describe, expect, it } from 'vitest';

const T = 1_699_999_980_000;
const ALGORITHMS: Algorithm[] = ['fixed-window', 'sliding-window', 'sliding-log', 'token-bucket', 'gcra'];

describe('@rampart/throttler L2: algorithms', () => {
  for (const algorithm of ALGORITHMS) {
    it(`${algorithm}: admits limit at once, refuses the next, admits again after retryAfterMs`, async () => {
      const clock = new FakeClock(T);
      const limiter = createRateLimiter({ clock, policies: { algorithm, limit: 4, windowMs: 1_000 } });
      const allowed = [];
      for (let i = 0; i < 5; i++) allowed.push((await limiter.consume('k')).allowed);
      expect(allowed).toEqual([true, true, true, true, false]);
      const refused = await limiter.consume('k');
      clock.advance(refused.retryAfterMs);
      expect((await limiter.consume('k')).allowed).toBe(true);
      await limiter.close();
    });
  }

  it('weights requests by cost and checks several policies atomically', async () => {
    const limiter = createRateLimiter({ clock: new FakeClock(T), policies: [{ name: 'sec', limit: 5, windowMs: 1_000 }, { name: 'min', limit: 6, windowMs: 60_000 }] });
    expect((await limiter.consume('k', { cost: 4 })).remaining).toBe(1);
    const refused = await limiter.consume('k', { cost: 2 });
    expect([refused.allowed, refused.policy.name]).toEqual([false, 'sec']);
    expect((await limiter.consume('k', { cost: 1 })).allowed).toBe(true); // the refusal consumed nothing
    await expect(limiter.consume('k', { cost: 7 })).rejects.toSatisfy((e: unknown) => isThrottleError(e) && e.code === 'THROTTLE_ERR_INVALID_COST');
    await limiter.close();
  });
});

describe('@rampart/throttler L2: stores', () => {
  it('MemoryStore refuses new keys at maxKeys instead of evicting live counters', async () => {
    const store = new MemoryStore({ maxKeys: 1, sweepIntervalMs: 0 });
    const limiter = createRateLimiter({ store, policies: { limit: 1, windowMs: 60_000 } });
    await limiter.consume('a');
    expect((await limiter.consume('b')).reason).toBe('capacity');
    expect((await limiter.consume('a')).allowed).toBe(false);
    await limiter.close();
    store.close();
  });

  it('RedisStore enforces one limit across limiters sharing a Redis', async () => {
    await using redis = await withRedis();
    const policies = { limit: 3, windowMs: 60_000 };
    const a = createRateLimiter({ policies, store: new RedisStore({ client: redis.client(), prefix: redis.prefix }) });
    const b = createRateLimiter({ policies, store: new RedisStore({ client: redis.client(), prefix: redis.prefix }) });
    const allowed = [await a.consume('k'), await b.consume('k'), await a.consume('k'), await b.consume('k')].map((d) => d.allowed);
    expect(allowed).toEqual([true, true, true, false]);
    expect(definePolicies(policies)[0]!.capacity).toBe(3);
  });

  it('falls back per onStoreError when the store fails', async () => {
    const broken = { consume: () => Promise.reject(new Error('down')), reset: () => undefined, close: () => undefined };
    const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const open = createRateLimiter({ store: broken, logger });
    const closed = createRateLimiter({ store: broken, logger, onStoreError: 'fail-closed' });
    const insured = createRateLimiter({ store: broken, logger, onStoreError: 'insurance', policies: { limit: 1, windowMs: 60_000 } });
    expect([(await open.consume('k')).source, (await closed.consume('k')).allowed, (await insured.consume('k')).source, (await insured.consume('k')).allowed]).toEqual(['fail-open', false, 'insurance', false]);
    await insured.close();
  });
});

describe('@rampart/throttler L2: key strategies and proxies', () => {
  it('keys by ip (IPv6 /64), user, api-key (hashed) and route, honouring only trusted proxies', () => {
    const keyOf = createKeyGenerator({ by: ['ip', 'route'], trustProxy: { proxies: ['10.0.0.0/8'] } });
    expect(keyOf({ ip: '10.0.0.1', headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' }, method: 'GET', route: '/a' })).toBe('ip=203.0.113.7&route=GET%20%2Fa');
    expect(createKeyGenerator()({ ip: '2001:db8:1:2::5', headers: {} })).toBe(createKeyGenerator()({ ip: '2001:db8:1:2:ffff::9', headers: {} }));
    expect(createKeyGenerator({ by: 'user' })({ ip: '1.1.1.1', headers: {}, user: { id: 7 } })).toBe('user=7');
    expect(createKeyGenerator({ by: 'api-key' })({ ip: '1.1.1.1', headers: { 'x-api-key': 'secret-value' } })).not.toContain('secret-value');
    expect(() => createKeyGenerator({ trustProxy: { proxies: ['0.0.0.0/0'] } })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_PERMISSIVE_TRUST_PROXY' }));
  });

  it('applies allow/deny lists, per-route overrides and handler metadata', async () => {
    const throttle = createHttpThrottle({ policies: { limit: 100, windowMs: 60_000 }, allow: ['10.0.0.0/8'], deny: ['192.0.2.0/24'], routes: { 'POST /login': { limit: 1, windowMs: 60_000 } } });
    expect((await throttle.check({ ip: '192.0.2.1', headers: {} })).status).toBe(403);
    expect((await throttle.check({ ip: '10.0.0.1', headers: {} })).decision).toBeUndefined();
    await throttle.check({ ip: '203.0.113.1', headers: {}, method: 'POST', route: '/login' });
    expect((await throttle.check({ ip: '203.0.113.1', headers: {}, method: 'POST', route: '/login' })).status).toBe(429);
    const handler = rateLimit({ limit: 1, windowMs: 60_000 }, () => 'x');
    await throttle.check({ ip: '203.0.113.1', headers: {}, route: '/x' }, getRateLimit(handler));
    expect((await throttle.check({ ip: '203.0.113.1', headers: {}, route: '/x' }, getRateLimit(handler))).status).toBe(429);
    await throttle.close();
  });
});

describe('@rampart/throttler L2: headers', () => {
  it('sends IETF RateLimit / RateLimit-Policy, optional legacy X-RateLimit-*, Retry-After and an RFC 9457 body', async () => {
    const clock = new FakeClock(T);
    const throttle = createHttpThrottle({ clock, policies: { name: 'minute', limit: 2, windowMs: 60_000 }, headers: { legacy: true } });
    const first = await throttle.check({ ip: '203.0.113.7', headers: {} });
    expect(first.headers).toEqual({
      'RateLimit-Policy': '"minute";q=2;w=60',
      RateLimit: '"minute";r=1;t=60',
      'X-RateLimit-Limit': '2',
      'X-RateLimit-Remaining': '1',
      'X-RateLimit-Reset': String((T + 60_000) / 1000),
    });
    await throttle.check({ ip: '203.0.113.7', headers: {} });
    clock.advance(30_000);
    const refused = await throttle.check({ ip: '203.0.113.7', headers: {} });
    expect(refused.headers['Retry-After']).toBe('30');
    expect(refused.body).toEqual({ type: 'urn:rampart:throttle:rate-limited', title: 'Too Many Requests', status: 429, detail: 'Rate limit "minute" exceeded; retry in 30 s.', policy: 'minute', retryAfter: 30 });
    await throttle.close();
  });
});
