/**
 * Regression: HttpThrottle cached one limiter per route id (`route:GET /x`), built with the limit of the first
 * request to reach it. Any other limit meeting that id later was silently replaced by the first one: an
 * override chosen per request (a plan), a `routes` entry and an override on one route, and two Fastify routes
 * told apart only by a host constraint (one tenant limited, and counted, by the other tenant's policy).
 */
import { FakeClock } from '@rampart/mocks';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeRouteLimit } from './decorator.ts';
import { fastifyThrottle } from './fastify-plugin.ts';
import { createHttpThrottle } from './http-throttle.ts';
import type { ThrottleRequest } from './keys.ts';

const T = 1_699_999_980_000;
const req = (ip: string): ThrottleRequest => ({ ip, headers: {}, method: 'GET', route: '/reports' });

describe('several limits on one route id', () => {
  it('an override chosen per request (by plan) is decided by its own policy, whichever came first', async () => {
    const throttle = createHttpThrottle({ clock: new FakeClock(T) });
    const free = normalizeRouteLimit({ name: 'free', limit: 1, windowMs: 60_000 });
    const pro = normalizeRouteLimit({ name: 'pro', limit: 3, windowMs: 60_000 });
    const proStatuses: number[] = [];
    for (let i = 0; i < 4; i++) proStatuses.push((await throttle.check(req('203.0.113.1'), pro)).status);
    expect(proStatuses).toEqual([200, 200, 200, 429]);
    const first = await throttle.check(req('203.0.113.2'), free);
    expect([first.status, first.headers['RateLimit-Policy']]).toEqual([200, '"free";q=1;w=60']);
    expect((await throttle.check(req('203.0.113.2'), free)).status).toBe(429);
    await throttle.close();
  });

  it("an override beats a 'GET /pattern' entry on the same route even after the entry was used", async () => {
    const throttle = createHttpThrottle({ clock: new FakeClock(T), routes: { 'GET /reports': { name: 'table', limit: 5, windowMs: 60_000 } } });
    expect((await throttle.check(req('203.0.113.1'))).decision?.policy.name).toBe('table');
    const override = normalizeRouteLimit({ name: 'own', limit: 1, windowMs: 60_000 });
    const r = await throttle.check(req('203.0.113.1'), override);
    expect([r.decision?.policy.name, r.decision?.limit]).toEqual(['own', 1]);
    await throttle.close();
  });

  it('limits with equal policies share one quota, even as fresh objects per request', async () => {
    const throttle = createHttpThrottle({ clock: new FakeClock(T) });
    const literal = () => ({ policies: { name: 'lit', limit: 1, windowMs: 60_000 } });
    expect((await throttle.check(req('203.0.113.1'), literal())).status).toBe(200);
    expect((await throttle.check(req('203.0.113.1'), literal())).status).toBe(429);
    await throttle.close();
  });
});

describe('Fastify routes told apart by a host constraint', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('each keep their own config.rateLimit', async () => {
    app = Fastify();
    await app.register(fastifyThrottle, { policies: { limit: 100, windowMs: 60_000 } });
    app.get('/x', { constraints: { host: 'a.example' }, config: { rateLimit: { name: 'a', limit: 1, windowMs: 60_000 } } }, () => 'a');
    app.get('/x', { constraints: { host: 'b.example' }, config: { rateLimit: { name: 'b', limit: 5, windowMs: 60_000 } } }, () => 'b');
    const out: string[] = [];
    for (const host of ['b.example', 'a.example', 'a.example', 'b.example']) {
      const r = await app.inject({ method: 'GET', url: '/x', headers: { host } });
      out.push(`${host} ${r.statusCode} ${String(r.headers['ratelimit-policy'])}`);
    }
    expect(out).toEqual(['b.example 200 "b";q=5;w=60', 'a.example 200 "a";q=1;w=60', 'a.example 429 "a";q=1;w=60', 'b.example 200 "b";q=5;w=60']);
  });
});
