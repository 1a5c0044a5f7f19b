// L2 contract of @rampart/throttler: the list of algorithms (ALGORITHMS) and
// the @RateLimit() method decorator, the class form of rateLimit(): it attaches
// a per-handler limit that getRateLimit() and the Fastify binding read.
// Locked: these tests are never modified, only added to.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '@rampart/mocks';
import { ALGORITHMS, RateLimit, definePolicy, fastifyThrottle, getRateLimit } from '@rampart/throttler';

const T = Date.UTC(2031, 0, 1);

describe('@rampart/throttler L2: ALGORITHMS', () => {
  it('lists the five documented algorithms', () => {
    expect([...ALGORITHMS].sort()).toEqual(['fixed-window', 'gcra', 'sliding-log', 'sliding-window', 'token-bucket']);
  });

  it('is what definePolicy accepts', () => {
    for (const algorithm of ALGORITHMS) expect(definePolicy({ algorithm, limit: 2, windowMs: 1000 }).algorithm).toBe(algorithm);
    expect(() => definePolicy({ algorithm: 'leaky' as never, limit: 2, windowMs: 1000 })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_POLICY' }));
  });
});

describe('@rampart/throttler L2: @RateLimit', () => {
  class Auth {
    @RateLimit({ name: 'login', limit: 1, windowMs: 60_000 })
    login() {
      return 'welcome';
    }

    @RateLimit({ policies: [{ name: 'burst', limit: 3, windowMs: 1000 }], cost: 2 })
    upload() {
      return 'stored';
    }

    @RateLimit(false)
    health() {
      return 'ok';
    }

    plain() {
      return 'plain';
    }
  }

  it('attaches the normalised limit to the method, read by getRateLimit', () => {
    expect(getRateLimit(Auth.prototype.login)).toEqual({ policies: { name: 'login', limit: 1, windowMs: 60_000 } });
    expect(getRateLimit(Auth.prototype.upload)).toEqual({ policies: [{ name: 'burst', limit: 3, windowMs: 1000 }], cost: 2 });
    expect(getRateLimit(Auth.prototype.health)).toBe(false);
    expect(getRateLimit(Auth.prototype.plain)).toBeUndefined();
  });

  it('leaves the method as it was', () => {
    expect([new Auth().login(), new Auth().plain()]).toEqual(['welcome', 'plain']);
  });

  it('refuses a limit that is neither a policy, { policies } nor false with THROTTLE_ERR_INVALID_OPTION', () => {
    for (const bad of [null, 5, 'fast']) {
      expect(() => RateLimit(bad as never)).toThrow(expect.objectContaining({ name: 'ThrottleError', code: 'THROTTLE_ERR_INVALID_OPTION' }));
    }
  });

  it('a decorated method used as a Fastify handler gets its own limit; false exempts it', async () => {
    const app = Fastify();
    try {
      await app.register(fastifyThrottle, { clock: new FakeClock(T) });
      app.post('/login', Auth.prototype.login);
      app.get('/health', Auth.prototype.health);
      const first = await app.inject({ method: 'POST', url: '/login' });
      expect([first.statusCode, first.body, first.headers['ratelimit-policy']]).toEqual([200, 'welcome', '"login";q=1;w=60']);
      expect((await app.inject({ method: 'POST', url: '/login' })).statusCode).toBe(429);
      const health = await app.inject({ method: 'GET', url: '/health' });
      expect([health.statusCode, health.headers.ratelimit]).toEqual([200, undefined]);
    } finally {
      await app.close();
    }
  });
});
