/**
 * L2 contract of @rampart/throttler: every limit that reaches one route is
 * decided by its own policies (per-request overrides, Fastify routes told
 * apart by a constraint), equal limits share one quota; consumeSync() refuses
 * a setup whose insurance store would answer asynchronously. Locked: never
 * modified, only added to.
 */
import { FakeClock } from '@rampart/mocks';
import { createHttpThrottle, createRateLimiter, fastifyThrottle, MemoryStore, type RateLimitStore, type ThrottleRequest } from '@rampart/throttler';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';

const T = 1_699_999_980_000;
const req = (ip: string): ThrottleRequest => ({ ip, headers: {}, method: 'GET', route: '/reports' });

describe('@rampart/throttler L2: several limits on one route', () => {
  it('a per-request override is decided by its own policy, whichever override came first; equal ones share a quota', async () => {
    const throttle = createHttpThrottle({ clock: new FakeClock(T) });
    const pro = () => ({ policies: { name: 'pro', limit: 2, windowMs: 60_000 } });
    const free = () => ({ policies: { name: 'free', limit: 1, windowMs: 60_000 } });
    const statuses: string[] = [];
    for (const [ip, limit] of [['203.0.113.1', pro], ['203.0.113.1', pro], ['203.0.113.1', pro], ['203.0.113.2', free], ['203.0.113.2', free]] as const) {
      const r = await throttle.check(req(ip), limit());
      statuses.push(`${String(r.status)} ${String(r.headers['RateLimit-Policy'])}`);
    }
    expect(statuses).toEqual(['200 "pro";q=2;w=60', '200 "pro";q=2;w=60', '429 "pro";q=2;w=60', '200 "free";q=1;w=60', '429 "free";q=1;w=60']);
    await throttle.close();
  });

  it('Fastify routes told apart by a host constraint keep their own config.rateLimit', async () => {
    const app = Fastify();
    await app.register(fastifyThrottle, { policies: { limit: 100, windowMs: 60_000 } });
    app.get('/x', { constraints: { host: 'a.example' }, config: { rateLimit: { name: 'a', limit: 1, windowMs: 60_000 } } }, () => 'a');
    app.get('/x', { constraints: { host: 'b.example' }, config: { rateLimit: { name: 'b', limit: 3, windowMs: 60_000 } } }, () => 'b');
    const codes: number[] = [];
    for (const host of ['b.example', 'a.example', 'a.example', 'b.example']) codes.push((await app.inject({ method: 'GET', url: '/x', headers: { host } })).statusCode);
    expect(codes).toEqual([200, 200, 429, 200]);
    await app.close();
  });
});

describe('@rampart/throttler L2: consumeSync and the insurance store', () => {
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

  it('an asynchronous insurance store makes consumeSync() throw THROTTLE_ERR_INVALID_OPTION; consume() still works', async () => {
    const inner = new MemoryStore({ sweepIntervalMs: 0 });
    const asyncInsurance: RateLimitStore = { consume: (k, p, c) => Promise.resolve(inner.consume(k, p, c)), reset: () => undefined, close: () => undefined };
    const limiter = createRateLimiter({ store: new MemoryStore({ sweepIntervalMs: 0 }), onStoreError: 'insurance', insurance: asyncInsurance, logger: quiet });
    expect(() => limiter.consumeSync('k')).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION' }));
    expect(await limiter.consume('k')).toMatchObject({ allowed: true });
    await limiter.close();
  });
});
