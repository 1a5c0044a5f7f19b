/**
 * L2 contract: the public runtime API of @rampart/throttler beyond the limiter
 * factories, one describe per export: the error registry and type
 * (THROTTLE_ERRORS, ThrottleError), policies (DEFAULT_POLICY, definePolicy),
 * the pure algorithms (step, decideAll), CircuitBreaker, RateLimiter,
 * observability (THROTTLE_CHANNELS, stderrLogger), the IP and proxy helpers
 * (parseIp, parseCidrs, ipGroup, forwardedFor, compileTrustProxy, clientIp),
 * the HTTP pieces (rateLimitHeaders, rateLimitProblem, deniedProblem,
 * PROBLEM_CONTENT_TYPE, HttpThrottle) and the Fastify plugin (fastifyThrottle).
 * In-memory stores only, with an injected clock wherever the API takes one.
 * Locked: these tests are never modified, only added to.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { FakeClock } from '@rampart/mocks';
import {
  CircuitBreaker,
  clientIp,
  compileTrustProxy,
  decideAll,
  DEFAULT_POLICY,
  definePolicy,
  deniedProblem,
  fastifyThrottle,
  forwardedFor,
  HttpThrottle,
  ipGroup,
  isThrottleError,
  MemoryStore,
  parseCidrs,
  parseIp,
  PROBLEM_CONTENT_TYPE,
  rateLimit,
  RateLimiter,
  rateLimitHeaders,
  rateLimitProblem,
  step,
  stderrLogger,
  THROTTLE_CHANNELS,
  THROTTLE_ERRORS,
  ThrottleError,
  type Algorithm,
  type BreakerTransition,
  type Decision,
  type ErrorCategory,
  type PolicyInput,
  type RateLimitStore,
  type ThrottleErrorCode,
  type ThrottleLogger,
} from '@rampart/throttler';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** A minute-aligned instant (also aligned to every shorter window used here). */
const T = 1_699_999_980_000;

const quiet: ThrottleLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

const withCode = (code: ThrottleErrorCode): Error => expect.objectContaining({ code }) as Error;

/** A store that delegates to a MemoryStore, or fails while `down` is true; counts its calls. */
function flakyStore(clock: { now(): number }) {
  const memory = new MemoryStore({ clock, sweepIntervalMs: 0 });
  const state = { down: true, calls: 0 };
  const store: RateLimitStore = {
    consume: (key, policies, cost) => {
      state.calls += 1;
      return state.down ? Promise.reject(new Error('store down')) : memory.consume(key, policies, cost);
    },
    reset: (key) => memory.reset(key),
    close: () => memory.close(),
  };
  return { store, state };
}

/** A decision refused by the store: `limit` consumed, then one more at `now`. */
function refusedDecision(policies: PolicyInput | readonly PolicyInput[], at: number, key = 'k'): Decision {
  const clock = new FakeClock(at);
  const limiter = new RateLimiter({ clock, policies, logger: quiet });
  let decision = limiter.consumeSync(key);
  while (decision.allowed) decision = limiter.consumeSync(key);
  void limiter.close();
  return decision;
}

const ERROR_TABLE: readonly (readonly [ThrottleErrorCode, ErrorCategory, number | undefined])[] = [
  ['THROTTLE_ERR_INVALID_POLICY', 'config', undefined],
  ['THROTTLE_ERR_INVALID_OPTION', 'config', undefined],
  ['THROTTLE_ERR_INVALID_COST', 'validation', 400],
  ['THROTTLE_ERR_INVALID_KEY', 'validation', 400],
  ['THROTTLE_ERR_INVALID_CIDR', 'config', undefined],
  ['THROTTLE_ERR_PERMISSIVE_TRUST_PROXY', 'security', undefined],
  ['THROTTLE_ERR_STORE_DOWN', 'dependency', 503],
  ['THROTTLE_ERR_STORE_TIMEOUT', 'dependency', 503],
  ['THROTTLE_ERR_STORE_REPLY', 'dependency', 503],
  ['THROTTLE_ERR_CLOSED', 'lifecycle', undefined],
];

describe('@rampart/throttler L2 public API: THROTTLE_ERRORS', () => {
  for (const [code, category, status] of ERROR_TABLE) {
    it(`${code} is registered with category ${category} and status ${String(status)}`, () => {
      const spec: { readonly message: string; readonly category: string; readonly status?: number } = THROTTLE_ERRORS[code];
      expect([spec.category, spec.status]).toEqual([category, status]);
      expect(spec.message.length).toBeGreaterThan(0);
    });
  }

  it('every registered code starts with THROTTLE_ERR_', () => {
    const codes = Object.keys(THROTTLE_ERRORS);
    expect(codes.length).toBeGreaterThanOrEqual(ERROR_TABLE.length);
    expect(codes.filter((c) => !c.startsWith('THROTTLE_ERR_'))).toEqual([]);
  });
});

describe('@rampart/throttler L2 public API: ThrottleError', () => {
  it('takes code, category and status from THROTTLE_ERRORS and wraps the cause', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new ThrottleError('THROTTLE_ERR_STORE_DOWN', 'redis at 127.0.0.1:6379', { cause });
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.code, error.category, error.status, error.cause]).toEqual(['ThrottleError', 'THROTTLE_ERR_STORE_DOWN', 'dependency', 503, cause]);
    expect(isThrottleError(error)).toBe(true);
  });

  it('has no status for a code without one, and a message without a detail', () => {
    const error = new ThrottleError('THROTTLE_ERR_INVALID_CIDR');
    expect([error.code, error.category, error.status]).toEqual(['THROTTLE_ERR_INVALID_CIDR', 'config', undefined]);
    expect(error.message.length).toBeGreaterThan(0);
  });

  it('is branded with Symbol.for("rampart.error")', () => {
    const error = new ThrottleError('THROTTLE_ERR_CLOSED');
    expect((error as unknown as Record<symbol, unknown>)[Symbol.for('rampart.error')]).toBe(true);
  });

  it('is the class of the errors the package throws', () => {
    expect(() => definePolicy({ limit: 0, windowMs: 1_000 })).toThrow(ThrottleError);
    expect(() => parseCidrs(['nope'])).toThrow(ThrottleError);
  });
});

describe('@rampart/throttler L2 public API: DEFAULT_POLICY', () => {
  it('is 100 requests per minute named "default", counted with a fixed window', () => {
    expect(DEFAULT_POLICY).toMatchObject({ name: 'default', limit: 100, windowMs: 60_000 });
    expect(definePolicy(DEFAULT_POLICY)).toEqual({ name: 'default', algorithm: 'fixed-window', limit: 100, windowMs: 60_000, capacity: 100 });
  });

  it('is what a RateLimiter without policies applies', async () => {
    const limiter = new RateLimiter({ clock: new FakeClock(T) });
    expect(limiter.policies).toEqual([definePolicy(DEFAULT_POLICY)]);
    await limiter.close();
  });
});

describe('@rampart/throttler L2 public API: definePolicy', () => {
  it('defaults name to "default", algorithm to fixed-window and capacity to limit, and freezes the policy', () => {
    const policy = definePolicy({ limit: 10, windowMs: 1_000 });
    expect(policy).toEqual({ name: 'default', algorithm: 'fixed-window', limit: 10, windowMs: 1_000, capacity: 10 });
    expect(Object.isFrozen(policy)).toBe(true);
  });

  it.each(['token-bucket', 'gcra'] as const)('%s: burst is the capacity, limit the refill rate', (algorithm) => {
    expect(definePolicy({ name: 'bucket', algorithm, limit: 2, windowMs: 1_000, burst: 5 })).toEqual({ name: 'bucket', algorithm, limit: 2, windowMs: 1_000, capacity: 5 });
    expect(definePolicy({ algorithm, limit: 2, windowMs: 1_000 }).capacity).toBe(2);
  });

  it.each(['fixed-window', 'sliding-window', 'sliding-log', 'token-bucket', 'gcra'] as const)('accepts algorithm %s', (algorithm) => {
    expect(definePolicy({ name: 'p_1-x', algorithm, limit: 3, windowMs: 500 })).toMatchObject({ name: 'p_1-x', algorithm, limit: 3, windowMs: 500, capacity: 3 });
  });

  it.each([
    ['a name with a space', { name: 'per minute', limit: 1, windowMs: 1_000 }],
    ['an empty name', { name: '', limit: 1, windowMs: 1_000 }],
    ['a name of 65 characters', { name: 'a'.repeat(65), limit: 1, windowMs: 1_000 }],
    ['an unknown algorithm', { algorithm: 'leaky-bucket' as Algorithm, limit: 1, windowMs: 1_000 }],
    ['limit 0', { limit: 0, windowMs: 1_000 }],
    ['a fractional limit', { limit: 1.5, windowMs: 1_000 }],
    ['windowMs 0', { limit: 1, windowMs: 0 }],
    ['a negative windowMs', { limit: 1, windowMs: -1_000 }],
    ['burst on a fixed window', { limit: 1, windowMs: 1_000, burst: 2 }],
    ['burst 0 on a token bucket', { algorithm: 'token-bucket' as const, limit: 1, windowMs: 1_000, burst: 0 }],
    ['limit x windowMs beyond exact arithmetic', { limit: 2 ** 40, windowMs: 2 ** 20 }],
  ] as const)('refuses %s with THROTTLE_ERR_INVALID_POLICY', (_label, input: PolicyInput) => {
    expect(() => definePolicy(input)).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_POLICY', category: 'config' }));
  });
});

describe('@rampart/throttler L2 public API: step', () => {
  it('fixed-window: admits limit per aligned window, then refuses until the window ends', () => {
    const policy = definePolicy({ limit: 2, windowMs: 1_000 });
    const a = step(policy, undefined, T + 250, 1);
    expect([a.allowed, a.remaining, a.resetMs, a.retryAfterMs]).toEqual([true, 1, 750, 0]);
    const b = step(policy, a.state, T + 300, 1);
    expect([b.allowed, b.remaining, b.resetMs, b.retryAfterMs]).toEqual([true, 0, 700, 0]);
    const c = step(policy, b.state, T + 400, 1);
    expect([c.allowed, c.remaining, c.resetMs, c.retryAfterMs]).toEqual([false, 0, 600, 600]);
    const d = step(policy, b.state, T + 1_000, 1);
    expect([d.allowed, d.remaining]).toEqual([true, 1]);
  });

  it('weighs a request by cost; cost 0 is admitted and consumes nothing', () => {
    const policy = definePolicy({ limit: 5, windowMs: 1_000 });
    const a = step(policy, undefined, T, 3);
    expect([a.allowed, a.remaining]).toEqual([true, 2]);
    const b = step(policy, a.state, T, 0);
    expect([b.allowed, b.remaining]).toEqual([true, 2]);
    expect(step(policy, b.state, T, 3).allowed).toBe(false);
  });

  it('never reports remaining below 0 when a stored count exceeds a lowered limit', () => {
    let state: number[] | undefined;
    for (let i = 0; i < 5; i++) state = step(definePolicy({ limit: 5, windowMs: 1_000 }), state, T, 1).state;
    const lowered = step(definePolicy({ limit: 2, windowMs: 1_000 }), state, T + 10, 1);
    expect([lowered.allowed, lowered.remaining]).toEqual([false, 0]);
  });

  it('sliding-log: at most limit in every window (t - windowMs, t]', () => {
    const policy = definePolicy({ algorithm: 'sliding-log', limit: 2, windowMs: 1_000 });
    const a = step(policy, undefined, T + 900, 1);
    const b = step(policy, a.state, T + 1_100, 1);
    const c = step(policy, b.state, T + 1_500, 1);
    expect([a.allowed, b.allowed, c.allowed, c.retryAfterMs]).toEqual([true, true, false, 400]);
    expect(step(policy, b.state, T + 1_900, 1).allowed).toBe(true);
  });

  it('token-bucket: admits burst at once and then limit per windowMs', () => {
    const policy = definePolicy({ algorithm: 'token-bucket', limit: 1, windowMs: 1_000, burst: 3 });
    const a = step(policy, undefined, T, 1);
    const b = step(policy, a.state, T, 1);
    const c = step(policy, b.state, T, 1);
    expect([a.remaining, b.remaining, c.remaining, c.resetMs]).toEqual([2, 1, 0, 3_000]);
    const d = step(policy, c.state, T, 1);
    expect([d.allowed, d.retryAfterMs]).toEqual([false, 1_000]);
    const e = step(policy, c.state, T + 1_000, 1);
    expect([e.allowed, e.remaining]).toEqual([true, 0]);
  });

  it('token-bucket: after the clock steps back, waits count from the stored refill time', () => {
    const policy = definePolicy({ algorithm: 'token-bucket', limit: 1, windowMs: 1_000 });
    const a = step(policy, undefined, T, 1);
    const back = step(policy, a.state, T - 500, 1);
    expect([back.allowed, back.retryAfterMs, back.resetMs]).toEqual([false, 1_500, 1_500]);
  });

  it('gcra makes the same decisions as the token bucket', () => {
    const input = { limit: 3, windowMs: 1_000, burst: 2 };
    const bucket = definePolicy({ ...input, algorithm: 'token-bucket' });
    const gcra = definePolicy({ ...input, algorithm: 'gcra' });
    const times: readonly (readonly [number, number])[] = [[0, 1], [0, 1], [0, 1], [100, 1], [333, 1], [334, 1], [700, 2], [1_400, 2], [1_400, 1], [5_000, 2], [5_000, 1]];
    const run = (policy: typeof bucket) => {
      let state: number[] | undefined;
      return times.map(([dt, cost]) => {
        const s = step(policy, state, T + dt, cost);
        if (s.allowed) state = s.state;
        return [s.allowed, s.retryAfterMs];
      });
    };
    const decisions = run(bucket);
    expect(run(gcra)).toEqual(decisions);
    expect(decisions.map(([allowed]) => allowed)).toEqual([true, true, false, false, false, true, false, true, false, true, false]);
  });
});

describe('@rampart/throttler L2 public API: decideAll', () => {
  const policies = [definePolicy({ name: 'sec', limit: 2, windowMs: 1_000 }), definePolicy({ name: 'min', limit: 3, windowMs: 60_000 })];

  it('admits only when every policy admits, with one outcome per policy and states to store', () => {
    const first = decideAll(policies, [undefined, undefined], T, 1);
    expect(first.allowed).toBe(true);
    expect(first.outcomes.map((o) => [o.policy.name, o.allowed, o.remaining, o.resetMs, o.retryAfterMs])).toEqual([
      ['sec', true, 1, 1_000, 0],
      ['min', true, 2, 60_000, 0],
    ]);
    expect(first.states).toHaveLength(2);
    expect(first.ttlMs).toBe(60_000);
  });

  it('a refused request consumes nothing: no states, and the admitting policy shows its quota untouched', () => {
    const a = decideAll(policies, [undefined, undefined], T, 1);
    const b = decideAll(policies, a.states!, T + 10, 1);
    const refused = decideAll(policies, b.states!, T + 20, 1);
    expect(refused.allowed).toBe(false);
    expect(refused.states).toBeUndefined();
    expect(refused.outcomes.map((o) => [o.policy.name, o.allowed, o.remaining, o.retryAfterMs])).toEqual([
      ['sec', false, 0, 980],
      ['min', true, 1, 0],
    ]);
    const later = decideAll(policies, b.states!, T + 1_000, 1);
    expect([later.allowed, later.outcomes[1]!.remaining]).toEqual([true, 0]);
  });

  it('with one policy decides exactly like step', () => {
    const policy = definePolicy({ algorithm: 'sliding-window', limit: 4, windowMs: 1_000 });
    const s = step(policy, undefined, T + 123, 2);
    const all = decideAll([policy], [undefined], T + 123, 2);
    expect([all.allowed, all.outcomes[0]!.remaining, all.outcomes[0]!.resetMs, all.ttlMs]).toEqual([s.allowed, s.remaining, s.resetMs, s.resetMs]);
    expect(all.states).toEqual([s.state]);
  });
});

describe('@rampart/throttler L2 public API: CircuitBreaker', () => {
  it('defaults to failureThreshold 5 and cooldownMs 5000, starting closed', () => {
    const breaker = new CircuitBreaker({}, new FakeClock(T), () => undefined);
    expect([breaker.failureThreshold, breaker.cooldownMs, breaker.state, breaker.tryAcquire()]).toEqual([5, 5_000, 'closed', true]);
  });

  it('opens after failureThreshold consecutive failures, then lets exactly one probe through after cooldownMs', () => {
    const clock = new FakeClock(T);
    const transitions: BreakerTransition[] = [];
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1_000 }, clock, (t) => transitions.push(t));
    breaker.failure();
    expect(breaker.state).toBe('closed');
    breaker.failure();
    expect([breaker.state, breaker.tryAcquire()]).toEqual(['open', false]);
    clock.advance(999);
    expect(breaker.tryAcquire()).toBe(false);
    clock.advance(1);
    expect([breaker.tryAcquire(), breaker.state, breaker.tryAcquire()]).toEqual([true, 'half-open', false]);
    breaker.success();
    expect([breaker.state, breaker.tryAcquire()]).toEqual(['closed', true]);
    expect(transitions).toEqual([
      { from: 'closed', to: 'open', failures: 2 },
      { from: 'open', to: 'half-open', failures: 2 },
      { from: 'half-open', to: 'closed', failures: 0 },
    ]);
  });

  it('a failed probe re-opens it for another cooldown', () => {
    const clock = new FakeClock(T);
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 500 }, clock, () => undefined);
    breaker.failure();
    clock.advance(500);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.failure();
    expect([breaker.state, breaker.tryAcquire()]).toEqual(['open', false]);
    clock.advance(500);
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('counts consecutive failures only: a success resets the count', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3 }, new FakeClock(T), () => undefined);
    breaker.failure();
    breaker.failure();
    breaker.success();
    breaker.failure();
    breaker.failure();
    expect(breaker.state).toBe('closed');
    breaker.failure();
    expect(breaker.state).toBe('open');
  });

  it.each([[{ failureThreshold: 0 }], [{ failureThreshold: 1.5 }], [{ cooldownMs: 0 }], [{ cooldownMs: -5 }]])('refuses %j with THROTTLE_ERR_INVALID_OPTION', (options) => {
    expect(() => new CircuitBreaker(options, new FakeClock(T), () => undefined)).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION', category: 'config' }));
  });
});

describe('@rampart/throttler L2 public API: RateLimiter', () => {
  it('defaults to namespace "default", fail-open and a closed breaker', async () => {
    const limiter = new RateLimiter({ clock: new FakeClock(T) });
    expect([limiter.namespace, limiter.failurePolicy, limiter.breakerState]).toEqual(['default', 'fail-open', 'closed']);
    await limiter.close();
  });

  it('consume() and consumeSync() count the same key in a MemoryStore and describe the decision', async () => {
    const limiter = new RateLimiter({ clock: new FakeClock(T + 15_000), policies: { name: 'minute', limit: 2, windowMs: 60_000 } });
    const first = await limiter.consume('k');
    expect(first).toMatchObject({ allowed: true, key: 'k', limit: 2, remaining: 1, resetMs: 45_000, retryAfterMs: 0, source: 'store' });
    expect(first.policy.name).toBe('minute');
    expect(limiter.consumeSync('k')).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.consumeSync('k')).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 45_000, source: 'store' });
    await limiter.close();
  });

  it('consumeSync() needs a synchronous store', async () => {
    const { store, state } = flakyStore(new FakeClock(T));
    state.down = false;
    const limiter = new RateLimiter({ store, logger: quiet });
    expect(() => limiter.consumeSync('k')).toThrow(withCode('THROTTLE_ERR_INVALID_OPTION'));
    await limiter.close();
  });

  it('reset(key) gives the key its full quota back', async () => {
    const limiter = new RateLimiter({ clock: new FakeClock(T), policies: { limit: 1, windowMs: 60_000 } });
    await limiter.consume('k');
    expect((await limiter.consume('k')).allowed).toBe(false);
    await limiter.reset('k');
    expect(await limiter.consume('k')).toMatchObject({ allowed: true, remaining: 0 });
    await limiter.close();
  });

  it('limiters sharing a store count separately per namespace', async () => {
    const clock = new FakeClock(T);
    const store = new MemoryStore({ clock, sweepIntervalMs: 0 });
    const policies = { limit: 1, windowMs: 60_000 };
    const a = new RateLimiter({ clock, store, policies, namespace: 'a' });
    const b = new RateLimiter({ clock, store, policies, namespace: 'b' });
    const a2 = new RateLimiter({ clock, store, policies, namespace: 'a' });
    expect([(await a.consume('k')).allowed, (await b.consume('k')).allowed, (await a2.consume('k')).allowed]).toEqual([true, true, false]);
    store.close();
  });

  it('emits a decision event per decision', async () => {
    const limiter = new RateLimiter({ clock: new FakeClock(T), policies: { limit: 1, windowMs: 60_000 } });
    const seen: Decision[] = [];
    limiter.on('decision', (d) => seen.push(d));
    await limiter.consume('a');
    await limiter.consume('a');
    expect(seen.map((d) => [d.key, d.allowed])).toEqual([
      ['a', true],
      ['a', false],
    ]);
    await limiter.close();
  });

  it('on store failures emits store-error, opens the breaker, stops calling the store and probes after cooldownMs', async () => {
    const clock = new FakeClock(T);
    const { store, state } = flakyStore(clock);
    const limiter = new RateLimiter({ clock, store, logger: quiet, breaker: { failureThreshold: 2, cooldownMs: 1_000 } });
    const errors: ThrottleError[] = [];
    const transitions: BreakerTransition[] = [];
    limiter.on('store-error', (e) => errors.push(e));
    limiter.on('breaker', (t) => transitions.push(t));
    expect([(await limiter.consume('k')).source, (await limiter.consume('k')).source]).toEqual(['fail-open', 'fail-open']);
    expect(errors.map((e) => [e.code, (e.cause as Error).message])).toEqual([
      ['THROTTLE_ERR_STORE_DOWN', 'store down'],
      ['THROTTLE_ERR_STORE_DOWN', 'store down'],
    ]);
    expect(limiter.breakerState).toBe('open');
    expect((await limiter.consume('k')).allowed).toBe(true);
    expect(state.calls).toBe(2);
    state.down = false;
    clock.advance(1_000);
    expect((await limiter.consume('k')).source).toBe('store');
    expect([state.calls, limiter.breakerState]).toEqual([3, 'closed']);
    expect(transitions.map((t) => `${t.from}>${t.to}`)).toEqual(['closed>open', 'open>half-open', 'half-open>closed']);
    await limiter.close();
  });

  it('onStoreError fail-closed refuses while the store is down', async () => {
    const { store } = flakyStore(new FakeClock(T));
    const limiter = new RateLimiter({ clock: new FakeClock(T), store, logger: quiet, onStoreError: 'fail-closed' });
    expect(await limiter.consume('k')).toMatchObject({ allowed: false, source: 'fail-closed', remaining: 0 });
    await limiter.close();
  });

  it('consume() after close() rejects with THROTTLE_ERR_CLOSED, and close() is idempotent', async () => {
    const limiter = new RateLimiter({ clock: new FakeClock(T) });
    await limiter.close();
    await limiter.close();
    await expect(limiter.consume('k')).rejects.toEqual(expect.objectContaining({ code: 'THROTTLE_ERR_CLOSED', category: 'lifecycle' }));
    expect(() => limiter.consumeSync('k')).toThrow(withCode('THROTTLE_ERR_CLOSED'));
  });

  it('accepts keys of 1..1024 characters and refuses others with THROTTLE_ERR_INVALID_KEY (status 400)', async () => {
    const limiter = new RateLimiter({ clock: new FakeClock(T) });
    expect((await limiter.consume('k'.repeat(1024))).allowed).toBe(true);
    const invalidKey = expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_KEY', status: 400 });
    await expect(limiter.consume('')).rejects.toEqual(invalidKey);
    await expect(limiter.consume('k'.repeat(1025))).rejects.toEqual(invalidKey);
    await expect(limiter.reset('')).rejects.toEqual(invalidKey);
    expect(() => limiter.consumeSync('')).toThrow(invalidKey);
    await limiter.close();
  });

  it('refuses a cost below 0 or above a capacity with THROTTLE_ERR_INVALID_COST (status 400)', async () => {
    const limiter = new RateLimiter({ clock: new FakeClock(T), policies: { limit: 3, windowMs: 1_000 } });
    const invalidCost = expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_COST', status: 400 });
    await expect(limiter.consume('k', { cost: -1 })).rejects.toEqual(invalidCost);
    await expect(limiter.consume('k', { cost: 1.5 })).rejects.toEqual(invalidCost);
    await expect(limiter.consume('k', { cost: 4 })).rejects.toEqual(invalidCost);
    expect(await limiter.consume('k', { cost: 3 })).toMatchObject({ allowed: true, remaining: 0 });
    await limiter.close();
  });

  it.each([
    ['a namespace containing |', { namespace: 'a|b' }],
    ['a namespace containing }', { namespace: 'a}b' }],
    ['an unknown onStoreError', { onStoreError: 'retry' as 'fail-open' }],
    ['timeoutMs 0', { timeoutMs: 0 }],
    ['a fractional timeoutMs', { timeoutMs: 1.5 }],
    ['breaker.failureThreshold 0', { breaker: { failureThreshold: 0 } }],
  ] as const)('refuses %s with THROTTLE_ERR_INVALID_OPTION', (_label, options) => {
    expect(() => new RateLimiter({ clock: new FakeClock(T), ...options })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION', category: 'config' }));
  });

  it('refuses an empty or invalid policy list with THROTTLE_ERR_INVALID_POLICY', () => {
    expect(() => new RateLimiter({ policies: [] })).toThrow(withCode('THROTTLE_ERR_INVALID_POLICY'));
    expect(() => new RateLimiter({ policies: [{ limit: 1, windowMs: 1_000 }, { limit: 2, windowMs: 1_000 }] })).toThrow(withCode('THROTTLE_ERR_INVALID_POLICY'));
  });
});

const CHANNEL_NAMES = [
  ['decision', 'rampart:throttle.decision'],
  ['breaker', 'rampart:throttle.breaker'],
  ['storeError', 'rampart:throttle.store-error'],
  ['capacity', 'rampart:throttle.capacity'],
] as const;

describe('@rampart/throttler L2 public API: THROTTLE_CHANNELS', () => {
  for (const [property, name] of CHANNEL_NAMES) {
    it(`THROTTLE_CHANNELS.${property} is "${name}"`, () => {
      expect(THROTTLE_CHANNELS[property]).toBe(name);
    });
  }

  it('the decision channel receives every decision', async () => {
    const seen: Decision[] = [];
    const onMessage = (message: unknown) => {
      if ((message as Decision).key === 'channel-decision') seen.push(message as Decision);
    };
    subscribe(THROTTLE_CHANNELS.decision, onMessage);
    try {
      const limiter = new RateLimiter({ clock: new FakeClock(T), policies: { limit: 1, windowMs: 60_000 } });
      await limiter.consume('channel-decision');
      await limiter.consume('channel-decision');
      await limiter.close();
    } finally {
      unsubscribe(THROTTLE_CHANNELS.decision, onMessage);
    }
    expect(seen.map((d) => d.allowed)).toEqual([true, false]);
  });

  it('the breaker and store-error channels receive transitions and wrapped store errors', async () => {
    const transitions: unknown[] = [];
    const errors: unknown[] = [];
    const onBreaker = (message: unknown) => transitions.push(message);
    const onError = (message: unknown) => errors.push(message);
    subscribe(THROTTLE_CHANNELS.breaker, onBreaker);
    subscribe(THROTTLE_CHANNELS.storeError, onError);
    try {
      const { store } = flakyStore(new FakeClock(T));
      const limiter = new RateLimiter({ clock: new FakeClock(T), store, logger: quiet, breaker: { failureThreshold: 1 } });
      await limiter.consume('k');
      await limiter.close();
    } finally {
      unsubscribe(THROTTLE_CHANNELS.breaker, onBreaker);
      unsubscribe(THROTTLE_CHANNELS.storeError, onError);
    }
    expect(transitions).toEqual([{ from: 'closed', to: 'open', failures: 1 }]);
    expect(errors).toEqual([expect.objectContaining({ code: 'THROTTLE_ERR_STORE_DOWN' })]);
    expect(isThrottleError(errors[0])).toBe(true);
  });

  it('the capacity channel receives a message when the memory store refuses a new key', async () => {
    const messages: unknown[] = [];
    const onCapacity = (message: unknown) => messages.push(message);
    subscribe(THROTTLE_CHANNELS.capacity, onCapacity);
    const clock = new FakeClock(T);
    const store = new MemoryStore({ clock, maxKeys: 1, sweepIntervalMs: 0 });
    try {
      const limiter = new RateLimiter({ clock, store, logger: quiet, policies: { limit: 5, windowMs: 60_000 } });
      await limiter.consume('first');
      expect((await limiter.consume('second')).reason).toBe('capacity');
    } finally {
      unsubscribe(THROTTLE_CHANNELS.capacity, onCapacity);
      store.close();
    }
    expect(messages).toHaveLength(1);
  });
});

describe('@rampart/throttler L2 public API: stderrLogger', () => {
  it('writes one JSON line per call on stderr, with the message and the fields', () => {
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      stderrLogger.info({ code: 'A', n: 1 }, 'info message');
      stderrLogger.warn({ code: 'B' }, 'warn message');
      stderrLogger.error({ code: 'C' }, 'error message');
      const lines = spy.mock.calls.map(([chunk]) => String(chunk));
      expect(lines).toHaveLength(3);
      for (const line of lines) expect([line.endsWith('\n'), line.trimEnd().includes('\n')]).toEqual([true, false]);
      expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
        expect.objectContaining({ msg: 'info message', code: 'A', n: 1 }),
        expect.objectContaining({ msg: 'warn message', code: 'B' }),
        expect.objectContaining({ msg: 'error message', code: 'C' }),
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  it('is the default logger of a RateLimiter: a store failure writes a JSON line on stderr, a given logger replaces it', async () => {
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const withDefault = new RateLimiter({ clock: new FakeClock(T), store: flakyStore(new FakeClock(T)).store });
      await withDefault.consume('k');
      const written = spy.mock.calls.length;
      expect(written).toBeGreaterThan(0);
      expect(() => spy.mock.calls.map(([chunk]) => JSON.parse(String(chunk)) as unknown)).not.toThrow();
      const warnings: object[] = [];
      const withLogger = new RateLimiter({ clock: new FakeClock(T), store: flakyStore(new FakeClock(T)).store, logger: { ...quiet, warn: (obj) => warnings.push(obj) } });
      await withLogger.consume('k');
      expect(spy.mock.calls.length).toBe(written);
      expect(warnings).toEqual([expect.objectContaining({ code: 'THROTTLE_ERR_STORE_DOWN' })]);
      await withDefault.close();
      await withLogger.close();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('@rampart/throttler L2 public API: parseIp', () => {
  it.each([
    ['203.0.113.7', 'ipv4', '203.0.113.7'],
    ['2001:DB8::1', 'ipv6', '2001:db8::1'],
    ['::1', 'ipv6', '::1'],
    ['::ffff:10.0.0.1', 'ipv4', '10.0.0.1'],
    ['::ffff:c000:0201', 'ipv4', '192.0.2.1'],
  ])('parses %s as %s %s', (text, kind, address) => {
    const ip = parseIp(text);
    expect([ip?.kind(), ip?.toString()]).toEqual([kind, address]);
  });

  it.each(['0x7f.1', '127.1', '256.1.1.1', 'fe80::1%eth0', 'unknown', '', '1.2.3.4:80', '[2001:db8::1]', '10.0.0.0/8'])('answers undefined for %j', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });
});

describe('@rampart/throttler L2 public API: parseCidrs', () => {
  it('parses IPv4 and IPv6 ranges; a bare address is a /32 or a /128', () => {
    const ranges = parseCidrs(['10.0.0.0/8', '2001:db8::/32', '127.0.0.1', '2001:db8::1']);
    expect(ranges.map((r) => [r.address.kind(), r.address.toString(), r.bits])).toEqual([
      ['ipv4', '10.0.0.0', 8],
      ['ipv6', '2001:db8::', 32],
      ['ipv4', '127.0.0.1', 32],
      ['ipv6', '2001:db8::1', 128],
    ]);
    expect(parseCidrs([])).toEqual([]);
  });

  it('reads an IPv4-mapped IPv6 range (prefix 96..128) as the IPv4 range it carries', () => {
    const ranges = parseCidrs(['::ffff:10.0.0.0/104', '::ffff:192.0.2.1', '::ffff:192.168.0.0/96']);
    expect(ranges.map((r) => [r.address.kind(), r.address.toString(), r.bits])).toEqual([
      ['ipv4', '10.0.0.0', 8],
      ['ipv4', '192.0.2.1', 32],
      ['ipv4', '192.168.0.0', 0],
    ]);
  });

  it.each(['10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/8/8', '10.0.0.0/', 'nope', '0x7f.0.0.1/8', '::/129', '::ffff:10.0.0.0/95', '::ffff:10.0.0.0/129', 'fe80::/10%eth0'])(
    'refuses %j with THROTTLE_ERR_INVALID_CIDR',
    (cidr) => {
      expect(() => parseCidrs([cidr])).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_CIDR', category: 'config' }));
    },
  );

  it('refuses a list that is not an array with THROTTLE_ERR_INVALID_CIDR', () => {
    expect(() => parseCidrs('10.0.0.0/8' as unknown as string[])).toThrow(withCode('THROTTLE_ERR_INVALID_CIDR'));
  });
});

describe('@rampart/throttler L2 public API: ipGroup', () => {
  it('groups IPv4 by /32 and IPv6 by /64 by default', () => {
    expect(ipGroup(parseIp('203.0.113.77')!)).toBe('203.0.113.77');
    expect(ipGroup(parseIp('2001:db8:1:2:aaaa:bbbb:cccc:dddd')!)).toBe('2001:db8:1:2::/64');
    expect(ipGroup(parseIp('2001:db8:1:2::1')!)).toBe(ipGroup(parseIp('2001:db8:1:2:ffff::9')!));
  });

  it('honours ipv4Prefix and ipv6Prefix', () => {
    expect(ipGroup(parseIp('203.0.113.77')!, { ipv4Prefix: 24 })).toBe('203.0.113.0/24');
    expect(ipGroup(parseIp('2001:db8:1:2:aaaa::1')!, { ipv6Prefix: 48 })).toBe('2001:db8:1::/48');
    expect(ipGroup(parseIp('2001:db8:1:2:aaaa::1')!, { ipv6Prefix: 128 })).toBe('2001:db8:1:2:aaaa::1');
  });

  it('groups an IPv4-mapped IPv6 address as the IPv4 it carries', () => {
    expect(ipGroup(parseIp('::ffff:203.0.113.77')!)).toBe('203.0.113.77');
    expect(ipGroup(parseIp('::ffff:203.0.113.77')!, { ipv4Prefix: 16, ipv6Prefix: 64 })).toBe('203.0.0.0/16');
  });

  it.each([[{ ipv4Prefix: 0 }], [{ ipv4Prefix: 33 }], [{ ipv4Prefix: 8.5 }], [{ ipv6Prefix: 0 }], [{ ipv6Prefix: 129 }]])('refuses %j with THROTTLE_ERR_INVALID_OPTION', (grouping) => {
    for (const address of ['203.0.113.77', '2001:db8::1']) {
      expect(() => ipGroup(parseIp(address)!, grouping)).toThrow(expect.objectContaining({ name: 'ThrottleError', code: 'THROTTLE_ERR_INVALID_OPTION' }));
    }
  });
});

describe('@rampart/throttler L2 public API: forwardedFor', () => {
  it('returns the for= values of a Forwarded header in order, without quotes, brackets or ports', () => {
    expect(forwardedFor('for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8::7]:4711", For=10.0.0.5:80, for="198.51.100.1:8080"')).toEqual([
      '192.0.2.60',
      '2001:db8::7',
      '10.0.0.5',
      '198.51.100.1',
    ]);
  });

  it('skips elements without for= and keeps obfuscated identifiers as they are', () => {
    expect(forwardedFor('proto=https, for=_hidden, for=unknown')).toEqual(['_hidden', 'unknown']);
    expect(forwardedFor('')).toEqual([]);
    expect(forwardedFor('by=10.0.0.1;proto=https')).toEqual([]);
  });
});

describe('@rampart/throttler L2 public API: compileTrustProxy', () => {
  it('is undefined without options: no proxy is trusted', () => {
    expect(compileTrustProxy(undefined)).toBeUndefined();
  });

  it('parses the proxy ranges and defaults the header to x-forwarded-for', () => {
    const trust = compileTrustProxy({ proxies: ['10.0.0.0/8', '2001:db8::/32', '::ffff:172.16.0.0/108'] });
    expect(trust?.header).toBe('x-forwarded-for');
    expect(trust?.ranges.map((r) => [r.address.toString(), r.bits])).toEqual([
      ['10.0.0.0', 8],
      ['2001:db8::', 32],
      ['172.16.0.0', 12],
    ]);
    expect(compileTrustProxy({ proxies: ['10.0.0.0/8'], header: 'forwarded' })?.header).toBe('forwarded');
  });

  it.each([['0.0.0.0/0'], ['::/0']])('refuses %s with THROTTLE_ERR_PERMISSIVE_TRUST_PROXY unless acknowledgePermissive', (range) => {
    expect(() => compileTrustProxy({ proxies: ['10.0.0.0/8', range] })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_PERMISSIVE_TRUST_PROXY', category: 'security' }));
    expect(compileTrustProxy({ proxies: [range], acknowledgePermissive: true })?.ranges.map((r) => r.bits)).toEqual([0]);
  });

  it('refuses a bad range with THROTTLE_ERR_INVALID_CIDR and an unknown header with THROTTLE_ERR_INVALID_OPTION', () => {
    expect(() => compileTrustProxy({ proxies: ['10.0.0.0/33'] })).toThrow(withCode('THROTTLE_ERR_INVALID_CIDR'));
    expect(() => compileTrustProxy({ proxies: ['10.0.0.0/8'], header: 'x-real-ip' as 'forwarded' })).toThrow(withCode('THROTTLE_ERR_INVALID_OPTION'));
  });
});

describe('@rampart/throttler L2 public API: clientIp', () => {
  const trust = compileTrustProxy({ proxies: ['10.0.0.0/8', '2001:db8:ffff::/48'] });
  const xff = (value: string | string[]) => ({ 'x-forwarded-for': value });

  it('is the socket peer when no proxy is trusted (IPv4, IPv6, IPv4-mapped IPv6)', () => {
    expect(clientIp({ ip: '203.0.113.7', headers: xff('1.1.1.1') }, undefined)?.toString()).toBe('203.0.113.7');
    expect(clientIp({ ip: '2001:db8::7', headers: xff('1.1.1.1') }, undefined)?.toString()).toBe('2001:db8::7');
    const mapped = clientIp({ ip: '::ffff:203.0.113.7', headers: {} }, undefined);
    expect([mapped?.kind(), mapped?.toString()]).toEqual(['ipv4', '203.0.113.7']);
  });

  it('ignores forwarding headers from a peer that is not a trusted proxy', () => {
    expect(clientIp({ ip: '203.0.113.7', headers: xff('1.1.1.1') }, trust)?.toString()).toBe('203.0.113.7');
  });

  it('walks X-Forwarded-For from the right behind a trusted proxy: the first untrusted address is the client', () => {
    expect(clientIp({ ip: '10.0.0.1', headers: xff('6.6.6.6, 203.0.113.7, 10.0.0.2') }, trust)?.toString()).toBe('203.0.113.7');
    expect(clientIp({ ip: '10.0.0.1', headers: xff(['6.6.6.6', '203.0.113.7']) }, trust)?.toString()).toBe('203.0.113.7');
    expect(clientIp({ ip: '2001:db8:ffff::1', headers: xff('2001:db8:1::9') }, trust)?.toString()).toBe('2001:db8:1::9');
    expect(clientIp({ ip: '::ffff:10.0.0.1', headers: xff('::ffff:203.0.113.9') }, trust)?.toString()).toBe('203.0.113.9');
    expect(clientIp({ ip: '10.0.0.1', headers: {} }, trust)?.toString()).toBe('10.0.0.1');
  });

  it('reads the Forwarded header when trust was compiled with header "forwarded"', () => {
    const forwarded = compileTrustProxy({ proxies: ['10.0.0.0/8'], header: 'forwarded' });
    const headers = { forwarded: 'for=6.6.6.6, for="[2001:db8::7]:4711";proto=https, for=10.0.0.5:80', 'x-forwarded-for': '198.51.100.1' };
    expect(clientIp({ ip: '10.0.0.1', headers }, forwarded)?.toString()).toBe('2001:db8::7');
  });

  it('is undefined when the socket address itself is unusable', () => {
    expect(clientIp({ ip: 'garbage', headers: xff('203.0.113.7') }, trust)).toBeUndefined();
    expect(clientIp({ ip: '', headers: {} }, undefined)).toBeUndefined();
  });
});

describe('@rampart/throttler L2 public API: rateLimitHeaders', () => {
  const policies = [
    { name: 'sec', limit: 2, windowMs: 1_000 },
    { name: 'min', limit: 10, windowMs: 60_000 },
  ];

  it('lists one RateLimit / RateLimit-Policy member per policy; legacy fields use the deciding policy and epoch seconds', async () => {
    const limiter = new RateLimiter({ clock: new FakeClock(T + 250), policies });
    const decision = await limiter.consume('k');
    expect(rateLimitHeaders(decision, {}, T + 250)).toEqual({
      'RateLimit-Policy': '"sec";q=2;w=1, "min";q=10;w=60',
      RateLimit: '"sec";r=1;t=1, "min";r=9;t=60',
    });
    expect(rateLimitHeaders(decision, { standard: false, legacy: true }, T + 250)).toEqual({
      'X-RateLimit-Limit': '2',
      'X-RateLimit-Remaining': '1',
      'X-RateLimit-Reset': String((T + 1_000) / 1_000),
    });
    expect(rateLimitHeaders(decision, { standard: false }, T + 250)).toEqual({});
    await limiter.close();
  });

  it('adds Retry-After in whole seconds, rounded up, to a refusal', () => {
    const decision = refusedDecision({ name: 'minute', limit: 1, windowMs: 60_000 }, T + 58_500);
    expect(rateLimitHeaders(decision, {}, T + 58_500)).toEqual({ 'RateLimit-Policy': '"minute";q=1;w=60', RateLimit: '"minute";r=0;t=2', 'Retry-After': '2' });
  });

  it('for a token bucket, q is the burst and w the time to refill it', async () => {
    const limiter = new RateLimiter({ clock: new FakeClock(T), policies: { name: 'bucket', algorithm: 'token-bucket', limit: 1, windowMs: 1_000, burst: 5 } });
    expect(rateLimitHeaders(await limiter.consume('k'), {}, T)).toEqual({ 'RateLimit-Policy': '"bucket";q=5;w=5', RateLimit: '"bucket";r=4;t=1' });
    await limiter.close();
  });

  it('a degraded decision carries no quota fields', async () => {
    const open = new RateLimiter({ clock: new FakeClock(T), store: flakyStore(new FakeClock(T)).store, logger: quiet });
    const closed = new RateLimiter({ clock: new FakeClock(T), store: flakyStore(new FakeClock(T)).store, logger: quiet, onStoreError: 'fail-closed' });
    expect(rateLimitHeaders(await open.consume('k'), { legacy: true }, T)).toEqual({});
    expect(Object.keys(rateLimitHeaders(await closed.consume('k'), { legacy: true }, T))).toEqual(['Retry-After']);
    await open.close();
    await closed.close();
  });
});

describe('@rampart/throttler L2 public API: rateLimitProblem', () => {
  it('describes a refusal as a 429 rate-limited problem naming the deciding policy and retryAfter in seconds', () => {
    const doc = rateLimitProblem(refusedDecision({ name: 'minute', limit: 1, windowMs: 60_000 }, T + 58_500));
    expect(doc).toMatchObject({ type: 'urn:rampart:throttle:rate-limited', title: 'Too Many Requests', status: 429, policy: 'minute', retryAfter: 2 });
    expect(typeof doc.detail).toBe('string');
  });

  it('never answers retryAfter below 1 s', () => {
    const decision = refusedDecision({ name: 'sec', algorithm: 'sliding-log', limit: 1, windowMs: 1_000 }, T);
    const later = { ...decision, retryAfterMs: 1 };
    expect(rateLimitProblem(later).retryAfter).toBe(1);
  });

  it('never names the key', () => {
    const doc = rateLimitProblem(refusedDecision({ limit: 1, windowMs: 60_000 }, T, 'ip=203.0.113.7&apikey=s3cr3t'));
    expect(JSON.stringify(doc)).not.toMatch(/203\.0\.113\.7|s3cr3t/);
  });

  it('a capacity refusal is a 429 too', async () => {
    const clock = new FakeClock(T);
    const store = new MemoryStore({ clock, maxKeys: 1, sweepIntervalMs: 0 });
    const limiter = new RateLimiter({ clock, store, logger: quiet, policies: { name: 'minute', limit: 5, windowMs: 60_000 } });
    await limiter.consume('first');
    const decision = await limiter.consume('second');
    expect(decision.reason).toBe('capacity');
    expect(rateLimitProblem(decision)).toMatchObject({ type: 'urn:rampart:throttle:rate-limited', title: 'Too Many Requests', status: 429, policy: 'minute' });
    store.close();
  });

  it('a fail-closed decision is a 503 problem with code THROTTLE_ERR_STORE_DOWN', async () => {
    const limiter = new RateLimiter({ clock: new FakeClock(T), store: flakyStore(new FakeClock(T)).store, logger: quiet, onStoreError: 'fail-closed' });
    const doc = rateLimitProblem(await limiter.consume('k'));
    expect(doc).toMatchObject({ title: 'Service Unavailable', status: 503, code: 'THROTTLE_ERR_STORE_DOWN' });
    expect(doc.retryAfter).toBeGreaterThanOrEqual(1);
    await limiter.close();
  });
});

describe('@rampart/throttler L2 public API: deniedProblem', () => {
  it('is a 403 Forbidden problem without policy or retry hint', () => {
    const doc = deniedProblem();
    expect([doc.status, doc.title, doc.policy, doc.retryAfter]).toEqual([403, 'Forbidden', undefined, undefined]);
    expect(doc.type.length).toBeGreaterThan(0);
    expect(doc.detail.length).toBeGreaterThan(0);
  });

  it('is the body HttpThrottle answers for a deny-listed address', async () => {
    const throttle = new HttpThrottle({ clock: new FakeClock(T), deny: ['192.0.2.0/24'] });
    const result = await throttle.check({ ip: '192.0.2.9', headers: {} });
    expect([result.allowed, result.status, result.body]).toEqual([false, 403, deniedProblem()]);
    await throttle.close();
  });
});

describe('@rampart/throttler L2 public API: PROBLEM_CONTENT_TYPE', () => {
  it('is application/problem+json', () => {
    expect(PROBLEM_CONTENT_TYPE).toBe('application/problem+json');
  });
});

describe('@rampart/throttler L2 public API: HttpThrottle', () => {
  it('check() resolves to { allowed, status, headers, body, decision } and limiter is the default RateLimiter', async () => {
    const throttle = new HttpThrottle({ clock: new FakeClock(T), policies: { name: 'minute', limit: 1, windowMs: 60_000 } });
    expect(throttle.limiter).toBeInstanceOf(RateLimiter);
    expect(throttle.limiter.policies.map((p) => [p.name, p.limit])).toEqual([['minute', 1]]);
    const ok = await throttle.check({ ip: '203.0.113.7', headers: {} });
    expect([ok.allowed, ok.status, ok.body, ok.decision?.allowed]).toEqual([true, 200, undefined, true]);
    expect(ok.headers).toEqual({ 'RateLimit-Policy': '"minute";q=1;w=60', RateLimit: '"minute";r=0;t=60' });
    const refused = await throttle.check({ ip: '203.0.113.7', headers: {} });
    expect([refused.allowed, refused.status, refused.body?.status, refused.decision?.allowed]).toEqual([false, 429, 429, false]);
    expect(refused.body).toEqual(rateLimitProblem(refused.decision!));
    expect((await throttle.check({ ip: '203.0.113.8', headers: {} })).allowed).toBe(true);
    await throttle.close();
  });

  it('counts IPv6 clients per /64 and IPv4-mapped IPv6 as the IPv4 it carries', async () => {
    const throttle = new HttpThrottle({ clock: new FakeClock(T), policies: { limit: 1, windowMs: 60_000 } });
    await throttle.check({ ip: '2001:db8:1:2::1', headers: {} });
    expect((await throttle.check({ ip: '2001:db8:1:2:ffff::9', headers: {} })).status).toBe(429);
    expect((await throttle.check({ ip: '2001:db8:1:3::1', headers: {} })).status).toBe(200);
    await throttle.check({ ip: '198.51.100.4', headers: {} });
    expect((await throttle.check({ ip: '::ffff:198.51.100.4', headers: {} })).status).toBe(429);
    await throttle.close();
  });

  it('routes: a "/pattern" entry applies to every method, { policies, cost } weighs requests, false exempts', async () => {
    const throttle = new HttpThrottle({
      clock: new FakeClock(T),
      policies: { limit: 100, windowMs: 60_000 },
      routes: { '/search': { limit: 1, windowMs: 60_000 }, '/bulk': { policies: { limit: 4, windowMs: 60_000 }, cost: 3 }, '/health': false },
    });
    const req = (method: string, route: string) => ({ ip: '203.0.113.7', headers: {}, method, route });
    await throttle.check(req('GET', '/search'));
    expect((await throttle.check(req('POST', '/search'))).status).toBe(429);
    expect((await throttle.check(req('POST', '/bulk'))).decision?.remaining).toBe(1);
    expect((await throttle.check(req('POST', '/bulk'))).status).toBe(429);
    const exempt = await throttle.check(req('GET', '/health'));
    expect([exempt.allowed, exempt.status, exempt.headers, exempt.decision]).toEqual([true, 200, {}, undefined]);
    expect((await throttle.check(req('GET', '/other'))).decision?.remaining).toBe(99);
    await throttle.close();
  });

  it('cost option weighs every request', async () => {
    const throttle = new HttpThrottle({ clock: new FakeClock(T), policies: { limit: 3, windowMs: 60_000 }, cost: (req) => (req.method === 'POST' ? 2 : 1) });
    expect((await throttle.check({ ip: '203.0.113.7', headers: {}, method: 'POST' })).decision?.remaining).toBe(1);
    expect((await throttle.check({ ip: '203.0.113.7', headers: {}, method: 'POST' })).status).toBe(429);
    expect((await throttle.check({ ip: '203.0.113.7', headers: {}, method: 'GET' })).decision?.remaining).toBe(0);
    await throttle.close();
  });

  it('allow and deny match the client behind a trusted proxy, never the proxy', async () => {
    const throttle = new HttpThrottle({
      clock: new FakeClock(T),
      key: { trustProxy: { proxies: ['10.0.0.0/8'] } },
      allow: ['10.0.0.0/8'],
      deny: ['::ffff:192.0.2.0/120'],
    });
    const viaProxy = (client: string) => ({ ip: '10.0.0.1', headers: { 'x-forwarded-for': client } });
    expect((await throttle.check(viaProxy('192.0.2.5'))).status).toBe(403);
    expect((await throttle.check({ ip: '::ffff:192.0.2.6', headers: {} })).status).toBe(403);
    expect((await throttle.check(viaProxy('203.0.113.9'))).decision?.allowed).toBe(true);
    const proxyItself = await throttle.check({ ip: '10.0.0.1', headers: {} });
    expect([proxyItself.allowed, proxyItself.decision]).toEqual([true, undefined]);
    await throttle.close();
  });

  it('re-emits decision and store-error events; fail-open admits without quota headers, fail-closed answers 503', async () => {
    const open = new HttpThrottle({ clock: new FakeClock(T), store: flakyStore(new FakeClock(T)).store, logger: quiet });
    const events: string[] = [];
    open.on('decision', (d) => events.push(`decision:${d.source}`));
    open.on('store-error', (e) => events.push(`store-error:${e.code}`));
    const admitted = await open.check({ ip: '203.0.113.7', headers: {} });
    expect([admitted.allowed, admitted.status, admitted.headers]).toEqual([true, 200, {}]);
    expect(events).toEqual(['store-error:THROTTLE_ERR_STORE_DOWN', 'decision:fail-open']);
    const closed = new HttpThrottle({ clock: new FakeClock(T), store: flakyStore(new FakeClock(T)).store, logger: quiet, onStoreError: 'fail-closed' });
    const refused = await closed.check({ ip: '203.0.113.7', headers: {} });
    expect([refused.allowed, refused.status, refused.body?.code]).toEqual([false, 503, 'THROTTLE_ERR_STORE_DOWN']);
    await open.close();
    await closed.close();
  });

  it.each([
    ['a bad allow entry', { allow: ['not-an-ip'] }, 'THROTTLE_ERR_INVALID_CIDR'],
    ['a bad deny entry', { deny: ['10.0.0.0/33'] }, 'THROTTLE_ERR_INVALID_CIDR'],
    ['a bad route limit', { routes: { '/x': 5 as unknown as false } }, 'THROTTLE_ERR_INVALID_OPTION'],
    ['an ipv6Prefix out of range', { key: { ipv6Prefix: 0 } }, 'THROTTLE_ERR_INVALID_OPTION'],
    ['an ipv4Prefix out of range', { key: { ipv4Prefix: 33 } }, 'THROTTLE_ERR_INVALID_OPTION'],
    ['a trust-everything proxy range', { key: { trustProxy: { proxies: ['0.0.0.0/0'] } } }, 'THROTTLE_ERR_PERMISSIVE_TRUST_PROXY'],
    ['an invalid policy', { policies: { limit: 0, windowMs: 1_000 } }, 'THROTTLE_ERR_INVALID_POLICY'],
  ] as const)('refuses %s at construction', (_label, options, code) => {
    expect(() => new HttpThrottle(options)).toThrow(withCode(code));
  });
});

describe('@rampart/throttler L2 public API: fastifyThrottle', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('sets RateLimit headers and answers 429 as application/problem+json with Retry-After', async () => {
    app = Fastify();
    await app.register(fastifyThrottle, { clock: new FakeClock(T + 30_000), policies: { name: 'minute', limit: 2, windowMs: 60_000 } });
    app.get('/items', () => ({ ok: true }));
    const first = await app.inject({ method: 'GET', url: '/items' });
    expect([first.statusCode, first.json(), first.headers['ratelimit-policy'], first.headers.ratelimit]).toEqual([200, { ok: true }, '"minute";q=2;w=60', '"minute";r=1;t=30']);
    await app.inject({ method: 'GET', url: '/items' });
    const refused = await app.inject({ method: 'GET', url: '/items' });
    expect([refused.statusCode, refused.headers['retry-after']]).toEqual([429, '30']);
    expect(String(refused.headers['content-type']).startsWith(PROBLEM_CONTENT_TYPE)).toBe(true);
    expect(refused.json()).toMatchObject({ type: 'urn:rampart:throttle:rate-limited', title: 'Too Many Requests', status: 429, policy: 'minute', retryAfter: 30 });
  });

  it('counts per socket peer address', async () => {
    app = Fastify();
    await app.register(fastifyThrottle, { clock: new FakeClock(T), policies: { limit: 1, windowMs: 60_000 } });
    app.get('/', () => 'ok');
    const from = (remoteAddress: string) => app!.inject({ method: 'GET', url: '/', remoteAddress }).then((r) => r.statusCode);
    expect([await from('203.0.113.1'), await from('203.0.113.1'), await from('203.0.113.2'), await from('2001:db8::1'), await from('2001:db8::2')]).toEqual([200, 429, 200, 200, 429]);
  });

  it('route config.rateLimit overrides the default policies and false exempts the route', async () => {
    app = Fastify();
    await app.register(fastifyThrottle, { clock: new FakeClock(T), policies: { limit: 100, windowMs: 60_000 } });
    app.post('/login', { config: { rateLimit: { name: 'login', limit: 1, windowMs: 60_000 } } }, () => 'ok');
    app.get('/health', { config: { rateLimit: false } }, () => 'ok');
    const login = async () => app!.inject({ method: 'POST', url: '/login' });
    expect((await login()).headers['ratelimit-policy']).toBe('"login";q=1;w=60');
    expect((await login()).statusCode).toBe(429);
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect([health.statusCode, health.headers['ratelimit-policy'], health.headers.ratelimit]).toEqual([200, undefined, undefined]);
  });

  it('applies rateLimit() metadata attached to a handler', async () => {
    app = Fastify();
    await app.register(fastifyThrottle, { clock: new FakeClock(T) });
    app.post('/upload', rateLimit({ name: 'upload', limit: 1, windowMs: 60_000 }, () => 'stored'));
    const first = await app.inject({ method: 'POST', url: '/upload' });
    expect([first.statusCode, first.headers['ratelimit-policy']]).toEqual([200, '"upload";q=1;w=60']);
    expect((await app.inject({ method: 'POST', url: '/upload' })).statusCode).toBe(429);
  });

  it('covers routes declared in other plugins (no encapsulation)', async () => {
    app = Fastify();
    await app.register(fastifyThrottle, { clock: new FakeClock(T), policies: { limit: 1, windowMs: 60_000 } });
    await app.register((child, _options, done) => {
      child.get('/child', () => 'ok');
      done();
    });
    expect((await app.inject({ method: 'GET', url: '/child' })).headers['ratelimit-policy']).toBe('"default";q=1;w=60');
    expect((await app.inject({ method: 'GET', url: '/child' })).statusCode).toBe(429);
  });

  it('uses a given throttle and leaves it open when the app closes', async () => {
    const throttle = new HttpThrottle({ clock: new FakeClock(T), policies: { limit: 1, windowMs: 60_000 } });
    app = Fastify();
    await app.register(fastifyThrottle, { throttle });
    app.get('/', () => 'ok');
    expect((await app.inject({ method: 'GET', url: '/', remoteAddress: '203.0.113.7' })).statusCode).toBe(200);
    await app.close();
    app = undefined;
    expect((await throttle.check({ ip: '203.0.113.7', headers: {} })).status).toBe(429);
    await throttle.close();
  });

  it('the user option feeds the user key strategy', async () => {
    app = Fastify();
    await app.register(fastifyThrottle, {
      clock: new FakeClock(T),
      policies: { limit: 1, windowMs: 60_000 },
      key: { by: 'user' },
      user: (request) => ({ id: String(request.headers['x-user']) }),
    });
    app.get('/', () => 'ok');
    const as = (user: string) => app!.inject({ method: 'GET', url: '/', headers: { 'x-user': user } }).then((r) => r.statusCode);
    expect([await as('alice'), await as('alice'), await as('bob')]).toEqual([200, 429, 200]);
  });

  it('honours key.trustProxy and deny for clients behind a trusted proxy', async () => {
    app = Fastify();
    await app.register(fastifyThrottle, {
      clock: new FakeClock(T),
      policies: { limit: 1, windowMs: 60_000 },
      key: { trustProxy: { proxies: ['10.0.0.0/8'] } },
      deny: ['192.0.2.0/24'],
    });
    app.get('/', () => 'ok');
    const via = (client: string) => app!.inject({ method: 'GET', url: '/', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': client } }).then((r) => r.statusCode);
    expect([await via('203.0.113.1'), await via('203.0.113.1'), await via('203.0.113.2'), await via('192.0.2.7')]).toEqual([200, 429, 200, 403]);
  });
});
