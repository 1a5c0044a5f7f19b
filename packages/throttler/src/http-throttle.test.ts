import { FakeClock, LogCapture } from '@rampart/mocks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RouteLimit } from './decorator.ts';
import { createHttpThrottle } from './http-throttle.ts';
import type { ThrottleRequest } from './keys.ts';
import { MemoryStore } from './memory-store.ts';
import type { RateLimitStore } from './store.ts';
import { FlakyStore } from './test-support/flaky-store.ts';

const T = 1_699_999_980_000;
const req = (over: Partial<ThrottleRequest> = {}): ThrottleRequest => ({ ip: '203.0.113.7', headers: {}, method: 'GET', route: '/items', ...over });

describe('HttpThrottle.check()', () => {
  it('returns status, headers and a problem body', async () => {
    const clock = new FakeClock(T);
    const throttle = createHttpThrottle({ clock, policies: { limit: 1, windowMs: 60_000 } });
    expect(await throttle.check(req())).toMatchObject({ allowed: true, status: 200, body: undefined, headers: { 'RateLimit-Policy': '"default";q=1;w=60', RateLimit: '"default";r=0;t=60' } });
    const refused = await throttle.check(req());
    expect([refused.allowed, refused.status, refused.headers, refused.body?.status]).toEqual([
      false,
      429,
      { 'RateLimit-Policy': '"default";q=1;w=60', RateLimit: '"default";r=0;t=60', 'Retry-After': '60' },
      429,
    ]);
    expect(throttle.limiter.namespace).toBe('default');
    await throttle.close();
  });

  it('applies deny and allow lists before counting', async () => {
    const throttle = createHttpThrottle({ policies: { limit: 1, windowMs: 60_000 }, allow: ['10.0.0.0/8'], deny: ['198.51.100.0/24'] });
    expect(await throttle.check(req({ ip: '198.51.100.9' }))).toEqual({
      allowed: false,
      status: 403,
      headers: {},
      decision: undefined,
      body: { type: 'urn:rampart:throttle:denied', title: 'Forbidden', status: 403, detail: 'Requests from this address are not accepted.' },
    });
    for (let i = 0; i < 3; i++) expect((await throttle.check(req({ ip: '10.1.2.3' }))).allowed).toBe(true);
    expect((await throttle.check(req({ ip: 'bogus' }))).allowed).toBe(true);
    await throttle.close();
  });

  it('screens allow/deny against the client behind a trusted proxy, not the proxy', async () => {
    const throttle = createHttpThrottle({ policies: { limit: 1, windowMs: 60_000 }, key: { trustProxy: { proxies: ['10.0.0.0/8'] } }, allow: ['10.0.0.0/8'], deny: ['198.51.100.0/24'] });
    const viaProxy = (xff: string) => req({ ip: '10.0.0.1', headers: { 'x-forwarded-for': xff } });
    // a deny-listed client reaching us through the proxy is refused
    expect(await throttle.check(viaProxy('198.51.100.9'))).toMatchObject({ allowed: false, status: 403, decision: undefined });
    // allowing the proxy range exempts the proxy itself, never the clients it forwards
    const proxied = [await throttle.check(viaProxy('203.0.113.7')), await throttle.check(viaProxy('203.0.113.7'))];
    expect(proxied.map((r) => [r.status, r.decision?.key])).toEqual([[200, 'ip=203.0.113.7'], [429, 'ip=203.0.113.7']]);
    expect([(await throttle.check(req({ ip: '10.0.0.1' }))).decision, (await throttle.check(req({ ip: '10.0.0.1' }))).decision]).toEqual([undefined, undefined]);
    // behind the proxy, the right-most untrusted hop decides: an allowed address to its left is client-chosen
    expect((await throttle.check(viaProxy('10.9.9.9, 203.0.113.7'))).status).toBe(429);
    await throttle.close();
  });

  it('picks override, then METHOD /route, then /route, then the default; false exempts', async () => {
    const decisions: string[] = [];
    const throttle = createHttpThrottle({
      policies: { limit: 100, windowMs: 60_000 },
      routes: { 'POST /login': { limit: 1, windowMs: 60_000 }, '/upload': { policies: { limit: 10, windowMs: 60_000 }, cost: 5 }, '/health': false, default: { limit: 7, windowMs: 1_000 } },
    });
    throttle.on('decision', (d) => decisions.push(`${d.policy.capacity}:${d.remaining}`));
    await throttle.check(req({ method: 'POST', route: '/login' }));
    expect((await throttle.check(req({ method: 'POST', route: '/login' }))).status).toBe(429);
    expect((await throttle.check(req({ method: 'PUT', route: '/upload' }))).decision?.remaining).toBe(5);
    expect(await throttle.check(req({ route: '/health' }))).toMatchObject({ allowed: true, decision: undefined });
    expect((await throttle.check(req({ route: undefined, method: undefined }))).decision?.remaining).toBe(99);
    expect((await throttle.check(req({ route: '/x' }), { policies: { limit: 3, windowMs: 1_000 } })).decision?.remaining).toBe(2);
    expect((await throttle.check(req({ route: '/x' }), false)).decision).toBeUndefined();
    expect(decisions).toEqual(['1:0', '1:0', '10:5', '100:99', '3:2']);
    await throttle.close();
  });

  it('weighs requests with cost() and forwards limiter events', async () => {
    const logs = new LogCapture();
    const store = new FlakyStore(new MemoryStore({ sweepIntervalMs: 0 }));
    const throttle = createHttpThrottle({ store, logger: logs.logger, cost: () => 4, policies: { limit: 10, windowMs: 60_000 }, breaker: { failureThreshold: 1 } });
    const events: string[] = [];
    throttle.on('breaker', (t) => events.push(t.to));
    throttle.on('store-error', (e) => events.push(e.code));
    expect((await throttle.check(req())).decision?.remaining).toBe(6);
    store.mode = 'fail';
    expect(await throttle.check(req())).toMatchObject({ allowed: true, status: 200, headers: {} });
    expect(events).toEqual(['THROTTLE_ERR_STORE_DOWN', 'open']);
    await throttle.close();
  });

  it('answers 503 with a problem document when the store is down under fail-closed, and limits in memory under insurance', async () => {
    const store = new FlakyStore(new MemoryStore({ sweepIntervalMs: 0 }));
    store.mode = 'fail';
    const logs = new LogCapture();
    const closed = createHttpThrottle({ store, logger: logs.logger, onStoreError: 'fail-closed' });
    expect(await closed.check(req())).toMatchObject({ allowed: false, status: 503, headers: { 'Retry-After': '5' }, body: { code: 'THROTTLE_ERR_STORE_DOWN' } });
    const insured = createHttpThrottle({ store, logger: logs.logger, onStoreError: 'insurance', policies: { limit: 1, windowMs: 60_000 } });
    expect((await insured.check(req())).decision?.source).toBe('insurance');
    expect((await insured.check(req())).status).toBe(429);
    await closed.close();
    await insured.close();
  });

  it('answers 200 fail-open, not a rejected check() (a 500), when the insurance store fails as well', async () => {
    const store = new FlakyStore(new MemoryStore({ sweepIntervalMs: 0 }));
    const insurance = new FlakyStore(new MemoryStore({ sweepIntervalMs: 0 }));
    store.mode = 'fail';
    insurance.mode = 'fail';
    const logs = new LogCapture();
    const throttle = createHttpThrottle({ store, insurance, logger: logs.logger, onStoreError: 'insurance' });
    expect(await throttle.check(req())).toMatchObject({ allowed: true, status: 200, headers: {}, body: undefined, decision: { source: 'fail-open' } });
    await throttle.close();
  });

  it('gives the default limiter and each route its own namespace of a shared store', async () => {
    const keys: string[] = [];
    const inner = new MemoryStore({ sweepIntervalMs: 0 });
    const store: RateLimitStore = { consume: (k, p, c) => (keys.push(k), inner.consume(k, p, c)), reset: (k) => inner.reset(k), close: () => inner.close() };
    const throttle = createHttpThrottle({ store, routes: { 'POST /login': { limit: 1, windowMs: 60_000 }, '/upload': { limit: 5, windowMs: 60_000 } } });
    await throttle.check(req());
    await throttle.check(req({ method: 'POST', route: '/login' }));
    await throttle.check(req({ method: 'PUT', route: '/upload' }));
    await throttle.check(req({ method: undefined, route: '/other' }), { policies: { limit: 2, windowMs: 1_000 } });
    await throttle.check(req({ method: 'GET', route: undefined }), { policies: { limit: 2, windowMs: 1_000 } });
    await throttle.check(req({ method: 'HEAD', route: '/nothing' })); // no 'GET /nothing' entry: the default limiter
    expect(keys).toEqual([
      'default|ip=203.0.113.7',
      'route%3APOST%20%2Flogin|ip=203.0.113.7',
      'route%3A%2Fupload|ip=203.0.113.7',
      'route%3A%2Fother|ip=203.0.113.7',
      'route%3AGET|ip=203.0.113.7',
      'default|ip=203.0.113.7',
    ]);
    expect(throttle.limiter.policies).toEqual([{ name: 'default', algorithm: 'fixed-window', limit: 100, windowMs: 60_000, capacity: 100 }]);
    await throttle.close();
  });
});

describe('HttpThrottle route quotas', () => {
  // Was: HEAD was its own method: a fresh quota under an override, and the default limit instead of a 'GET /x' entry.
  it("counts HEAD against GET: a 'GET /x' entry and an override give HEAD and GET one quota", async () => {
    const throttle = createHttpThrottle({ clock: new FakeClock(T), policies: { limit: 100, windowMs: 60_000 }, routes: { 'GET /export': { name: 'export', limit: 2, windowMs: 60_000 } } });
    const statuses = async (over: Partial<ThrottleRequest>[], override?: RouteLimit) => {
      const out: string[] = [];
      for (const o of over) {
        const r = await throttle.check(req(o), override);
        out.push(`${r.status} ${r.decision?.policy.name ?? ''}`);
      }
      return out;
    };
    expect(await statuses([{ method: 'GET', route: '/export' }, { method: 'HEAD', route: '/export' }, { method: 'HEAD', route: '/export' }])).toEqual(['200 export', '200 export', '429 export']);
    // other methods do not borrow the GET entry
    expect(await statuses([{ method: 'POST', route: '/export' }, { method: 'HEAD', route: '/none' }])).toEqual(['200 default', '200 default']);
    const own = { policies: { name: 'own', limit: 1, windowMs: 60_000 } };
    expect(await statuses([{ method: 'HEAD', route: '/y' }, { method: 'GET', route: '/y' }], own)).toEqual(['200 own', '429 own']);
    await throttle.close();
  });

  it("an explicit 'HEAD /x' entry still wins for HEAD", async () => {
    const throttle = createHttpThrottle({ clock: new FakeClock(T), routes: { 'GET /x': { name: 'get', limit: 1, windowMs: 60_000 }, 'HEAD /x': false } });
    expect((await throttle.check(req({ method: 'GET', route: '/x' }))).decision?.policy.name).toBe('get');
    for (let i = 0; i < 3; i++) expect(await throttle.check(req({ method: 'HEAD', route: '/x' }))).toMatchObject({ allowed: true, decision: undefined });
    await throttle.close();
  });

  // Was: an override counted per request method, so a route answering five methods had five quotas.
  it("an override counts every method of the route (routeMethods) against one quota, namespaced by the route's methods", async () => {
    const keys: string[] = [];
    const inner = new MemoryStore({ sweepIntervalMs: 0 });
    const store: RateLimitStore = { consume: (k, p, c) => (keys.push(k), inner.consume(k, p, c)), reset: (k) => inner.reset(k), close: () => inner.close() };
    const throttle = createHttpThrottle({ store });
    const login = { policies: { name: 'login', limit: 2, windowMs: 60_000 } };
    const routeMethods = ['POST', 'GET', 'PUT'];
    const statuses = [];
    for (const method of ['GET', 'POST', 'PUT', 'HEAD']) statuses.push((await throttle.check(req({ method, route: '/login', routeMethods }), login)).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    await throttle.check(req({ method: 'POST', route: '/single' }), login);
    expect([...new Set(keys)]).toEqual(['route%3AGET%2CPOST%2CPUT%20%2Flogin|ip=203.0.113.7', 'route%3APOST%20%2Fsingle|ip=203.0.113.7']);
    await throttle.close();
  });

  // Was: validated when the route was first requested, then every request to it rejected (a 500).
  it.each([
    ['a bad route policy', { routes: { 'POST /login': { limit: 0, windowMs: 60_000 } } }, 'THROTTLE_ERR_INVALID_POLICY'],
    ['duplicate policy names', { routes: { '/x': { policies: [{ limit: 1, windowMs: 1 }, { limit: 2, windowMs: 2 }] } } }, 'THROTTLE_ERR_INVALID_POLICY'],
    ['a cost above a route policy capacity', { routes: { '/bulk': { policies: { limit: 5, windowMs: 60_000 }, cost: 50 } } }, 'THROTTLE_ERR_INVALID_COST'],
    ['a fractional route cost', { routes: { '/bulk': { policies: { limit: 5, windowMs: 60_000 }, cost: 0.5 } } }, 'THROTTLE_ERR_INVALID_COST'],
  ] as const)('refuses %s at construction', (_label, options, code) => {
    expect(() => createHttpThrottle(options)).toThrow(expect.objectContaining({ code }));
  });

  // Was: a rotating made-up x-api-key was a fresh bucket per request (1000 of 1000 admitted at limit 5).
  it('api-key with a validator: made-up keys share the IP bucket, a valid key has its own', async () => {
    const store = new MemoryStore({ maxKeys: 10, sweepIntervalMs: 0 });
    const throttle = createHttpThrottle({ store, policies: { limit: 5, windowMs: 60_000 }, key: { by: 'api-key', validateApiKey: async (key) => Promise.resolve(key === 'customer') } });
    let admitted = 0;
    for (let i = 0; i < 50; i++) if ((await throttle.check(req({ headers: { 'x-api-key': `made-up-${i}` } }))).allowed) admitted += 1;
    expect([admitted, store.size]).toEqual([5, 1]);
    const customer = await throttle.check(req({ headers: { 'x-api-key': 'customer' } }));
    expect([customer.status, customer.decision?.remaining]).toEqual([200, 4]);
    await throttle.close();
    store.close();
  });
});

describe('HttpThrottle stores', () => {
  afterEach(() => vi.useRealTimers());

  it('creates and closes its own stores: one, plus one for insurance', async () => {
    vi.useFakeTimers({ now: T });
    const plain = createHttpThrottle({ onStoreError: 'fail-closed' });
    expect(vi.getTimerCount()).toBe(1);
    const insured = createHttpThrottle({ onStoreError: 'insurance' });
    expect(vi.getTimerCount()).toBe(3);
    await plain.close();
    await insured.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('uses the insurance store it is given, and closes none it did not create', async () => {
    vi.useFakeTimers({ now: T });
    const store = new FlakyStore(new MemoryStore({ sweepIntervalMs: 0 }));
    store.mode = 'fail';
    const insurance = new FlakyStore(new MemoryStore({ sweepIntervalMs: 0 }));
    const logs = new LogCapture();
    const throttle = createHttpThrottle({ store, insurance, logger: logs.logger, onStoreError: 'insurance', policies: { limit: 1, windowMs: 60_000 } });
    expect(vi.getTimerCount()).toBe(0);
    expect((await throttle.check(req())).decision?.source).toBe('insurance');
    expect(insurance.calls).toBe(1);
    await throttle.close();
  });
});
