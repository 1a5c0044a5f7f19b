/**
 * L2 contract: hardening of @rampart/throttler. Route quotas belong to routes
 * (HEAD counts as GET; one quota for a route's methods), route limits are
 * validated where declared, `key.validateApiKey` keeps made-up API keys out of
 * their own buckets, `reset()` fails with typed errors, a late success leaves
 * an open circuit open, RedisStore checks its options, and X-Forwarded-For
 * entries with a port are read as their address.
 * Locked: these tests are never modified, only added to.
 */
import { FakeClock } from '@rampart/mocks';
import { CircuitBreaker, createHttpThrottle, createKeyGenerator, createRateLimiter, fastifyThrottle, RedisStore, type RedisStoreOptions } from '@rampart/throttler';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';

const T = 1_699_999_980_000;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('@rampart/throttler L2 hardening: route quotas', () => {
  it("HEAD spends the quota of a 'GET /pattern' routes entry", async () => {
    const throttle = createHttpThrottle({ clock: new FakeClock(T), routes: { 'GET /export': { name: 'export', limit: 1, windowMs: 60_000 } } });
    const at = (method: string) => throttle.check({ ip: '203.0.113.7', headers: {}, method, route: '/export' });
    const [get, head] = [await at('GET'), await at('HEAD')];
    expect([get.status, head.status, head.decision?.policy.name]).toEqual([200, 429, 'export']);
    await throttle.close();
  });

  it('an override counts every method in routeMethods, and HEAD, against one quota', async () => {
    const throttle = createHttpThrottle({ clock: new FakeClock(T) });
    const login = { policies: { name: 'login', limit: 2, windowMs: 60_000 } };
    const statuses = [];
    for (const method of ['POST', 'PUT', 'HEAD']) {
      statuses.push((await throttle.check({ ip: '203.0.113.7', headers: {}, method, route: '/login', routeMethods: ['GET', 'POST', 'PUT'] }, login)).status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    await throttle.close();
  });

  it('Fastify: HEAD of a GET route and every method of a multi-method route share the route quota', async () => {
    const app = Fastify();
    try {
      await app.register(fastifyThrottle, { clock: new FakeClock(T) });
      app.get('/export', { config: { rateLimit: { name: 'export', limit: 1, windowMs: 60_000 } } }, () => 'big');
      app.route({ method: ['GET', 'POST'], url: '/login', config: { rateLimit: { name: 'login', limit: 1, windowMs: 60_000 } }, handler: () => 'ok' });
      const codes = [];
      for (const [method, url] of [['GET', '/export'], ['HEAD', '/export'], ['POST', '/login'], ['GET', '/login']] as const) codes.push((await app.inject({ method, url })).statusCode);
      expect(codes).toEqual([200, 429, 200, 429]);
    } finally {
      await app.close();
    }
  });
});

describe('@rampart/throttler L2 hardening: route limits are validated where declared', () => {
  it.each([
    ['a bad routes policy', { routes: { 'POST /login': { limit: 0, windowMs: 60_000 } } }, 'THROTTLE_ERR_INVALID_POLICY'],
    ['a routes cost above capacity', { routes: { '/bulk': { policies: { limit: 5, windowMs: 60_000 }, cost: 50 } } }, 'THROTTLE_ERR_INVALID_COST'],
  ] as const)('createHttpThrottle refuses %s at construction', (_label, options, code) => {
    expect(() => createHttpThrottle(options)).toThrow(expect.objectContaining({ code }));
  });

  it('Fastify refuses a bad config.rateLimit when the route is declared', async () => {
    const app = Fastify();
    try {
      await app.register(fastifyThrottle, { clock: new FakeClock(T) });
      expect(() => app.post('/login', { config: { rateLimit: { limit: 5, windowMs: 0 } } }, () => 'ok')).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_POLICY' }));
    } finally {
      await app.close();
    }
  });
});

describe('@rampart/throttler L2 hardening: key.validateApiKey', () => {
  it('only a validated key gets its own bucket; made-up keys count against the client IP', async () => {
    const throttle = createHttpThrottle({ clock: new FakeClock(T), policies: { limit: 3, windowMs: 60_000 }, key: { by: 'api-key', validateApiKey: (key) => key === 'real-key' } });
    let admitted = 0;
    for (let i = 0; i < 20; i++) if ((await throttle.check({ ip: '203.0.113.7', headers: { 'x-api-key': `guess-${i}` } })).allowed) admitted += 1;
    const real = await throttle.check({ ip: '203.0.113.7', headers: { 'x-api-key': 'real-key' } });
    expect([admitted, real.allowed, real.decision?.remaining]).toEqual([3, true, 2]);
    await throttle.close();
  });

  it('createKeyGenerator resolves to the key when the validator is asynchronous', async () => {
    const keyOf = createKeyGenerator({ by: 'api-key', validateApiKey: async (key) => Promise.resolve(key === 'real-key') });
    expect(await keyOf({ ip: '203.0.113.7', headers: { 'x-api-key': 'nope' } })).toBe('ip=203.0.113.7');
    expect(await keyOf({ ip: '203.0.113.7', headers: { 'x-api-key': 'real-key' } })).not.toContain('real-key');
  });
});

describe('@rampart/throttler L2 hardening: failures', () => {
  it('reset() rejects with THROTTLE_ERR_STORE_DOWN and keeps the store error as cause', async () => {
    const cause = new Error('ECONNREFUSED');
    const store = { consume: () => Promise.reject(cause), reset: () => Promise.reject(cause), close: () => undefined };
    const limiter = createRateLimiter({ store, logger: quiet });
    await expect(limiter.reset('k')).rejects.toMatchObject({ name: 'ThrottleError', code: 'THROTTLE_ERR_STORE_DOWN', cause });
    await limiter.close();
  });

  it('a success reported while the circuit is open does not close it', () => {
    const clock = new FakeClock(T);
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 1_000 }, clock, () => undefined);
    breaker.failure();
    breaker.success();
    expect([breaker.state, breaker.tryAcquire()]).toEqual(['open', false]);
    clock.advance(1_000);
    expect([breaker.tryAcquire(), breaker.state]).toEqual([true, 'half-open']);
  });

  it('RedisStore refuses options without a usable client with THROTTLE_ERR_INVALID_OPTION', () => {
    for (const options of [{ redis: {} }, { client: {} }, undefined]) {
      expect(() => new RedisStore(options as unknown as RedisStoreOptions)).toThrow(expect.objectContaining({ name: 'ThrottleError', code: 'THROTTLE_ERR_INVALID_OPTION' }));
    }
  });

  it('reads X-Forwarded-For entries that carry a port behind a trusted proxy', () => {
    const keyOf = createKeyGenerator({ trustProxy: { proxies: ['10.0.0.0/8'] } });
    expect(keyOf({ ip: '10.0.0.1', headers: { 'x-forwarded-for': '203.0.113.7:4711' } })).toBe('ip=203.0.113.7');
  });
});
