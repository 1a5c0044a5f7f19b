import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { FakeClock, LogCapture } from '@rampart/mocks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.ts';
import type { Decision } from './decision.ts';
import { THROTTLE_CHANNELS } from './events.ts';
import { createRateLimiter, RateLimiter } from './limiter.ts';
import { MemoryStore } from './memory-store.ts';
import { ThrottleError } from './errors.ts';
import type { Policy } from './policy.ts';
import type { StoreOutcome } from './store.ts';
import { FlakyStore } from './test-support/flaky-store.ts';

const T = 1_699_999_980_000;

function setup(onStoreError: 'fail-open' | 'fail-closed' | 'insurance') {
  const clock = new FakeClock(T);
  const logs = new LogCapture();
  const store = new FlakyStore(new MemoryStore({ clock, sweepIntervalMs: 0 }));
  const limiter = createRateLimiter({ policies: { limit: 2, windowMs: 1_000 }, store, clock, onStoreError, logger: logs.logger, breaker: { failureThreshold: 2, cooldownMs: 1_000 } });
  return { clock, logs, store, limiter };
}

describe('RateLimiter', () => {
  afterEach(() => vi.useRealTimers());

  it('zero config: 100 per minute per key, in memory', async () => {
    const limiter = createRateLimiter();
    const d = await limiter.consume('k');
    expect([d.allowed, d.limit, d.remaining, d.source, d.policy.name, d.retryAfterMs]).toEqual([true, 100, 99, 'store', 'default', 0]);
    await limiter.close();
    await expect(limiter.consume('k')).rejects.toMatchObject({ code: 'THROTTLE_ERR_CLOSED' });
  });

  it('reports the deciding policy: the refusing one with the longest wait, else the one with least left', async () => {
    const clock = new FakeClock(T);
    const limiter = new RateLimiter({ clock, policies: [{ name: 'sec', limit: 5, windowMs: 1_000 }, { name: 'min', limit: 6, windowMs: 60_000 }, { name: 'ten', limit: 3, windowMs: 10_000 }] });
    expect((await limiter.consume('k', { cost: 2 })).policy.name).toBe('ten');
    await limiter.consume('k');
    const refused = await limiter.consume('k', { cost: 2 });
    expect([refused.allowed, refused.policy.name, refused.retryAfterMs, refused.remaining]).toEqual([false, 'ten', 10_000, 0]);
    expect(refused.outcomes.map((o) => [o.policy.name, o.allowed, o.remaining])).toEqual([['sec', true, 2], ['min', true, 3], ['ten', false, 0]]);
    await limiter.reset('k');
    expect((await limiter.consume('k')).remaining).toBe(2);
    await limiter.close();
  });

  it('validates keys, costs and options with typed errors', async () => {
    const limiter = createRateLimiter({ store: new MemoryStore({ sweepIntervalMs: 0 }) });
    const badKey = { code: 'THROTTLE_ERR_INVALID_KEY', message: 'The rate-limit key is invalid: key must be a string of 1..1024 characters' };
    await expect(limiter.consume('')).rejects.toMatchObject(badKey);
    await expect(limiter.consume('x'.repeat(1025))).rejects.toMatchObject(badKey);
    await expect(limiter.consume(7 as unknown as string)).rejects.toMatchObject(badKey);
    await expect(limiter.reset('')).rejects.toMatchObject(badKey);
    expect((await limiter.consume('x'.repeat(1024))).allowed).toBe(true);
    expect((await limiter.consume('k', { cost: 100 })).remaining).toBe(0);
    expect((await limiter.consume('k', { cost: 0 })).allowed).toBe(true);
    await expect(limiter.consume('k', { cost: 101 })).rejects.toMatchObject({ code: 'THROTTLE_ERR_INVALID_COST' });
    expect(() => limiter.consumeSync('k', { cost: -1 })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_COST' }));
    expect(() => createRateLimiter({ onStoreError: 'retry' as 'fail-open' })).toThrow(
      expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION', message: 'A throttler option is invalid: onStoreError must be one of fail-open, fail-closed, insurance' }),
    );
    expect(() => createRateLimiter({ timeoutMs: 0 })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION', message: 'A throttler option is invalid: timeoutMs must be a positive integer' }));
    expect(() => createRateLimiter({ timeoutMs: 1.5 })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION' }));
    const defaults = createRateLimiter();
    expect([defaults.namespace, defaults.failurePolicy, defaults.policies]).toEqual([
      'default',
      'fail-open',
      [{ name: 'default', algorithm: 'fixed-window', limit: 100, windowMs: 60_000, capacity: 100 }],
    ]);
    await defaults.close();
    await limiter.close();
  });

  // Was: namespace `a|b` with key `c` and namespace `a` with key `b|c` both became store key `a|b|c` (one shared quota on Redis).
  it('refuses a namespace that could alias another or break the Redis hash tag; other namespaces keep their store keys', async () => {
    const refused = { code: 'THROTTLE_ERR_INVALID_OPTION', message: "A throttler option is invalid: namespace must be a string without '|' or '}'" };
    for (const namespace of ['a|b', '}a', 'a}b', 7 as unknown as string]) expect(() => createRateLimiter({ namespace })).toThrow(expect.objectContaining(refused));
    const inner = new MemoryStore({ sweepIntervalMs: 0 });
    const keys: string[] = [];
    const store = { consume: (key: string, p: readonly Policy[], cost: number) => (keys.push(key), inner.consume(key, p, cost)), reset: () => undefined, close: () => undefined };
    const limiter = createRateLimiter({ store, namespace: 'route%3A%2Fx{1' });
    await limiter.consume('b|c');
    expect(keys).toEqual(['route%3A%2Fx{1|b|c']);
    await limiter.close();
  });

  it('fail-open admits without quota while the store is down, and the breaker stops calling it', async () => {
    const { store, limiter, logs, clock } = setup('fail-open');
    store.mode = 'fail';
    const transitions: string[] = [];
    const errors: string[] = [];
    limiter.on('breaker', (t) => transitions.push(`${t.from}>${t.to}`));
    limiter.on('store-error', (e) => errors.push(e.code));
    const decisions = [await limiter.consume('k'), await limiter.consume('k'), await limiter.consume('k')];
    expect(decisions.map((d) => [d.allowed, d.source])).toEqual([[true, 'fail-open'], [true, 'fail-open'], [true, 'fail-open']]);
    expect(store.calls).toBe(2); // third call short-circuited by the open breaker
    expect(limiter.breakerState).toBe('open');
    clock.advance(1_000);
    store.mode = 'ok';
    expect((await limiter.consume('k')).source).toBe('store');
    expect(transitions).toEqual(['closed>open', 'open>half-open', 'half-open>closed']);
    expect(errors).toEqual(['THROTTLE_ERR_STORE_DOWN', 'THROTTLE_ERR_STORE_DOWN']);
    expect(logs.lines.map((l) => [l.levelName, l.msg])).toEqual([
      ['warn', 'rate-limit store failed'],
      ['warn', 'rate-limit store failed'],
      ['error', 'rate-limit circuit open'],
      ['info', 'rate-limit circuit half-open'],
      ['info', 'rate-limit circuit closed'],
    ]);
    expect(logs.lines[0]).toMatchObject({ code: 'THROTTLE_ERR_STORE_DOWN', cause: 'connect ECONNREFUSED 127.0.0.1:6399', failurePolicy: 'fail-open' });
  });

  it('fail-closed refuses with the breaker cooldown as retry time', async () => {
    const { store, limiter } = setup('fail-closed');
    store.mode = 'fail';
    const d = await limiter.consume('k');
    expect([d.allowed, d.source, d.retryAfterMs, d.remaining]).toEqual([false, 'fail-closed', 1_000, 0]);
  });

  it('insurance keeps limiting in memory while the store is down', async () => {
    const { store, limiter } = setup('insurance');
    store.mode = 'fail';
    const d = [await limiter.consume('k'), await limiter.consume('k'), await limiter.consume('k')];
    expect(d.map((x) => [x.allowed, x.source])).toEqual([[true, 'insurance'], [true, 'insurance'], [false, 'insurance']]);
    await limiter.reset('k');
    expect((await limiter.consume('k')).allowed).toBe(true);
    await limiter.close();
  });

  it('insurance: when the insurance store fails too, admits fail-open with an event and a log line, never rejects', async () => {
    const { store, limiter, logs } = setup('insurance');
    await limiter.close(); // only its flaky store and log capture are reused
    const insurance = new FlakyStore(new MemoryStore({ sweepIntervalMs: 0 }));
    const both = createRateLimiter({ policies: { limit: 2, windowMs: 1_000 }, store, insurance, onStoreError: 'insurance', logger: logs.logger, breaker: { failureThreshold: 5 } });
    const errors: string[] = [];
    both.on('store-error', (e) => errors.push(e.code));
    store.mode = 'fail';
    insurance.mode = 'fail';
    const d = await both.consume('k');
    expect([d.allowed, d.source, d.remaining, d.retryAfterMs]).toEqual([true, 'fail-open', 2, 0]);
    expect(errors).toEqual(['THROTTLE_ERR_STORE_DOWN', 'THROTTLE_ERR_STORE_DOWN']);
    expect(logs.lines.map((l) => [l.levelName, l.msg, l.cause])).toEqual([
      ['warn', 'rate-limit store failed', 'connect ECONNREFUSED 127.0.0.1:6399'],
      ['warn', 'rate-limit insurance store failed', 'connect ECONNREFUSED 127.0.0.1:6399'],
    ]);
    // a synchronous insurance store that throws is handled the same way
    const throwing = { synchronous: true, consume: () => { throw new Error('corrupt'); }, reset: () => undefined, close: () => undefined };
    const sync = createRateLimiter({ store: throwing, insurance: throwing, onStoreError: 'insurance', logger: logs.logger });
    expect([sync.consumeSync('k').allowed, sync.consumeSync('k').source]).toEqual([true, 'fail-open']);
  });

  it('insurance: a hung insurance store is bounded by timeoutMs too', async () => {
    vi.useFakeTimers({ now: T });
    const store = new FlakyStore(new MemoryStore({ sweepIntervalMs: 0 }));
    const insurance = new FlakyStore(new MemoryStore({ sweepIntervalMs: 0 }));
    store.mode = 'fail';
    insurance.mode = 'hang';
    const logs = new LogCapture();
    const limiter = createRateLimiter({ store, insurance, onStoreError: 'insurance', timeoutMs: 50, logger: logs.logger });
    const errors: string[] = [];
    limiter.on('store-error', (e) => errors.push(e.code));
    const pending = limiter.consume('k');
    await vi.advanceTimersByTimeAsync(50);
    expect((await pending).source).toBe('fail-open');
    expect(errors).toEqual(['THROTTLE_ERR_STORE_DOWN', 'THROTTLE_ERR_STORE_TIMEOUT']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('treats a store that does not answer in time as failed (THROTTLE_ERR_STORE_TIMEOUT)', async () => {
    vi.useFakeTimers({ now: T });
    const store = new FlakyStore(new MemoryStore({ sweepIntervalMs: 0 }));
    store.mode = 'hang';
    const logs = new LogCapture();
    const limiter = createRateLimiter({ store, timeoutMs: 50, logger: logs.logger });
    const errors: string[] = [];
    limiter.on('store-error', (e) => errors.push(e.code));
    const pending = limiter.consume('k');
    await vi.advanceTimersByTimeAsync(50);
    expect((await pending).source).toBe('fail-open');
    expect(errors).toEqual(['THROTTLE_ERR_STORE_TIMEOUT']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('publishes decisions, breaker transitions, store errors and capacity on diagnostics channels', async () => {
    const got: [string, unknown][] = [];
    const listeners = Object.values(THROTTLE_CHANNELS).map((name) => [name, (msg: unknown) => got.push([name, msg])] as const);
    for (const [name, fn] of listeners) subscribe(name, fn);
    try {
      const { store, limiter } = setup('fail-open');
      await limiter.consume('k');
      store.mode = 'fail';
      await limiter.consume('k');
      await limiter.consume('k');
      expect(got.map(([name]) => name)).toEqual([
        'rampart:throttle.decision',
        'rampart:throttle.store-error',
        'rampart:throttle.decision',
        'rampart:throttle.store-error',
        'rampart:throttle.breaker',
        'rampart:throttle.decision',
      ]);
      expect((got[0]![1] as Decision).key).toBe('k');
      const clock = new FakeClock(T);
      const logs = new LogCapture();
      const full = createRateLimiter({ clock, logger: logs.logger, store: new MemoryStore({ clock, maxKeys: 1, sweepIntervalMs: 0 }) });
      await full.consume('a');
      const capped = [await full.consume('b'), await full.consume('c')];
      clock.advance(1_000);
      await full.consume('d');
      expect(capped.map((d) => [d.allowed, d.reason])).toEqual([[false, 'capacity'], [false, 'capacity']]);
      expect(got.filter(([n]) => n === 'rampart:throttle.capacity').map(([, m]) => m)).toEqual([
        { namespace: 'default', key: 'b' },
        { namespace: 'default', key: 'c' },
        { namespace: 'default', key: 'd' },
      ]);
      // one log line per second at most under a key-space flood
      expect(logs.lines.map((l) => l.msg)).toEqual(['rate-limit store at capacity: new keys refused', 'rate-limit store at capacity: new keys refused']);
    } finally {
      for (const [name, fn] of listeners) unsubscribe(name, fn);
    }
  });

  it('wraps a non-Error store failure and passes typed store errors through', async () => {
    const logs = new LogCapture();
    const store = new FlakyStore(new MemoryStore({ sweepIntervalMs: 0 }));
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a driver that rejects with a bare string is the case under test
    store.consume = () => Promise.reject('socket hang up');
    const limiter = createRateLimiter({ store, logger: logs.logger });
    await limiter.consume('k');
    expect(logs.lines[0]).toMatchObject({ code: 'THROTTLE_ERR_STORE_DOWN', cause: 'The rate-limit store is unavailable' });
  });
});

describe('RateLimiter sync paths', () => {
  it("emits 'decision' with the very decision returned, sync and async, only while someone listens", async () => {
    const limiter = createRateLimiter({ clock: new FakeClock(T), policies: { limit: 1, windowMs: 1_000 } });
    const seen: Decision[] = [];
    const listener = (d: Decision) => seen.push(d);
    limiter.on('decision', listener);
    const first = limiter.consumeSync('k');
    const second = await limiter.consume('k');
    limiter.off('decision', listener);
    limiter.consumeSync('k');
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(first);
    expect(seen[1]).toBe(second);
    expect([first.allowed, second.allowed]).toEqual([true, false]);
    await limiter.close();
  });

  const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

  it('consumeSync answers synchronously on a MemoryStore and refuses an asynchronous store', async () => {
    const limiter = createRateLimiter({ clock: new FakeClock(T), policies: { limit: 1, windowMs: 1_000 } });
    expect([limiter.consumeSync('k').allowed, limiter.consumeSync('k').allowed]).toEqual([true, false]);
    const asyncOne = createRateLimiter({ store: new FlakyStore(new MemoryStore({ sweepIntervalMs: 0 })) });
    expect(() => asyncOne.consumeSync('k')).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION' }));
    await limiter.close();
    expect(() => limiter.consumeSync('k')).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_CLOSED' }));
  });

  it('falls back synchronously when a synchronous store throws, and awaits an asynchronous insurance store', async () => {
    const throwing = { synchronous: true, consume: () => { throw new Error('corrupt'); }, reset: () => undefined, close: () => undefined };
    const open = createRateLimiter({ store: throwing, logger });
    expect(open.consumeSync('k').source).toBe('fail-open');
    const insurance = new FlakyStore(new MemoryStore({ sweepIntervalMs: 0 }));
    const insured = createRateLimiter({ store: throwing, logger, onStoreError: 'insurance', insurance });
    expect((await insured.consume('k')).source).toBe('insurance');
    expect(insurance.calls).toBe(1);
  });
});

describe('RateLimiter hardening', () => {
  afterEach(() => vi.useRealTimers());
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

  // Was: the breaker read the wall clock (Date): a step back while open kept it open for the step's length,
  // a step forward ended the cooldown at once.
  it('times the breaker cooldown on the monotonic clock by default: wall-clock steps change nothing', async () => {
    vi.useFakeTimers({ now: T });
    const store = new FlakyStore(new MemoryStore({ sweepIntervalMs: 0 }));
    const limiter = createRateLimiter({ store, logger: quiet, onStoreError: 'fail-closed', breaker: { failureThreshold: 1, cooldownMs: 5_000 } });
    store.mode = 'fail';
    await limiter.consume('k');
    store.mode = 'ok';
    vi.setSystemTime(T + 3_600_000); // forward one hour: the cooldown has not really passed
    expect([(await limiter.consume('k')).source, limiter.breakerState]).toEqual(['fail-closed', 'open']);
    vi.setSystemTime(T - 3_600_000); // back one hour
    vi.advanceTimersByTime(5_000); // the cooldown really passes
    expect([(await limiter.consume('k')).source, limiter.breakerState]).toEqual(['store', 'closed']);
    expect(store.calls).toBe(2);
    await limiter.close();
  });

  // Was: a store call started before the circuit opened and answering after it closed the circuit at once.
  it('a slow call that succeeds after the circuit opened leaves it open until the cooldown probe', async () => {
    const clock = new FakeClock(T);
    const inner = new MemoryStore({ clock, sweepIntervalMs: 0 });
    let answer: () => void = () => undefined;
    let calls = 0;
    const store = {
      consume: (key: string, p: readonly Policy[], cost: number) => {
        calls += 1;
        if (calls === 1) return new Promise<StoreOutcome>((resolve) => (answer = () => resolve(inner.consume(key, p, cost))));
        return calls === 5 ? inner.consume(key, p, cost) : Promise.reject(new Error('ECONNRESET'));
      },
      reset: () => undefined,
      close: () => undefined,
    };
    const limiter = createRateLimiter({ store, clock, logger: quiet, onStoreError: 'fail-closed', breaker: { failureThreshold: 3, cooldownMs: 60_000 } });
    const transitions: string[] = [];
    limiter.on('breaker', (t) => transitions.push(`${t.from}>${t.to}`));
    const slow = limiter.consume('k');
    for (let i = 0; i < 3; i++) await limiter.consume('k');
    answer();
    expect((await slow).source).toBe('store');
    expect(limiter.breakerState).toBe('open');
    for (let i = 0; i < 3; i++) expect((await limiter.consume('k')).source).toBe('fail-closed');
    expect(calls).toBe(4);
    clock.advance(60_000);
    expect((await limiter.consume('k')).source).toBe('store');
    expect(transitions).toEqual(['closed>open', 'open>half-open', 'half-open>closed']);
  });

  // A store whose every call waits until the test answers it: calls[i].ok() or calls[i].fail().
  function heldStore(clock: FakeClock) {
    const inner = new MemoryStore({ clock, sweepIntervalMs: 0 });
    const calls: { ok: () => void; fail: () => void }[] = [];
    const store = {
      consume: (key: string, p: readonly Policy[], cost: number) =>
        new Promise<StoreOutcome>((resolve, reject) => calls.push({ ok: () => resolve(inner.consume(key, p, cost)), fail: () => reject(new Error('ECONNRESET')) })),
      reset: () => undefined,
      close: () => undefined,
    };
    const limiter = createRateLimiter({ store, clock, logger: quiet, onStoreError: 'fail-closed', breaker: { failureThreshold: 2, cooldownMs: 60_000 } });
    const transitions: string[] = [];
    limiter.on('breaker', (t) => transitions.push(`${t.from}>${t.to}`));
    return { calls, limiter, transitions };
  }

  // Opens the circuit with a call still in flight from before, waits out the cooldown and starts the probe.
  async function probing(clock: FakeClock, held: ReturnType<typeof heldStore>) {
    const slow = held.limiter.consume('k');
    const failing = [held.limiter.consume('k'), held.limiter.consume('k')];
    held.calls[1]!.fail();
    held.calls[2]!.fail();
    await Promise.all(failing);
    clock.advance(60_000);
    const probe = held.limiter.consume('k');
    expect([held.calls.length, held.limiter.breakerState]).toEqual([4, 'half-open']);
    return { slow, probe };
  }

  // Was: the slow call's answer was taken as the probe's: a success closed the circuit on a store still down.
  it('a store call started before the circuit opened and succeeding during the half-open probe does not close it', async () => {
    const clock = new FakeClock(T);
    const held = heldStore(clock);
    const { slow, probe } = await probing(clock, held);
    held.calls[0]!.ok();
    expect((await slow).source).toBe('store');
    expect(held.limiter.breakerState).toBe('half-open');
    expect((await held.limiter.consume('k')).source).toBe('fail-closed');
    expect(held.calls).toHaveLength(4);
    held.calls[3]!.fail();
    expect((await probe).source).toBe('fail-closed');
    expect([held.limiter.breakerState, held.transitions]).toEqual(['open', ['closed>open', 'open>half-open', 'half-open>open']]);
  });

  // Was: a failure re-opened the circuit and freed the probe slot, so the next cooldown sent a second probe
  // with the first still in flight, and the first probe's success then went unheard.
  it('a store call started before the circuit opened and failing during the half-open probe neither re-opens it nor sends a second probe', async () => {
    const clock = new FakeClock(T);
    const held = heldStore(clock);
    const { slow, probe } = await probing(clock, held);
    held.calls[0]!.fail();
    expect((await slow).source).toBe('fail-closed');
    expect(held.limiter.breakerState).toBe('half-open');
    clock.advance(60_000);
    expect((await held.limiter.consume('k')).source).toBe('fail-closed');
    expect(held.calls).toHaveLength(4);
    held.calls[3]!.ok();
    expect((await probe).source).toBe('store');
    expect([held.limiter.breakerState, held.transitions]).toEqual(['closed', ['closed>open', 'open>half-open', 'half-open>closed']]);
    const next = held.limiter.consume('k');
    held.calls[4]!.ok();
    expect((await next).source).toBe('store');
  });

  // Its answer cannot be stale: nothing runs between admitting the call and its answer. So the per-decision hot
  // path allocates no permit, and the breaker still stops calling a failing synchronous store.
  it('a synchronous store answers in the turn its call was admitted: no permit is taken, and an open circuit stops calling it', () => {
    const acquire = vi.spyOn(CircuitBreaker.prototype, 'acquire');
    try {
      let calls = 0;
      const throwing = { synchronous: true, consume: () => { calls += 1; throw new Error('corrupt'); }, reset: () => undefined, close: () => undefined };
      const limiter = createRateLimiter({ store: throwing, logger: quiet, breaker: { failureThreshold: 1 } });
      expect([limiter.consumeSync('k').source, limiter.consumeSync('k').source, calls, limiter.breakerState]).toEqual(['fail-open', 'fail-open', 1, 'open']);
      const memory = createRateLimiter({ store: new MemoryStore({ sweepIntervalMs: 0 }) });
      expect(memory.consumeSync('k').source).toBe('store');
      expect(acquire).not.toHaveBeenCalled();
    } finally {
      acquire.mockRestore();
    }
  });

  // Was: reset() passed the driver's own error on (no code) and waited on a hung store forever.
  it('reset() wraps a store failure in THROTTLE_ERR_STORE_DOWN with the cause, typed errors unchanged', async () => {
    const cause = new Error('ECONNREFUSED 10.1.2.3:6379');
    const failing = { consume: () => Promise.reject(cause), reset: () => Promise.reject(cause), close: () => undefined };
    const limiter = createRateLimiter({ store: failing, logger: quiet });
    const error = await limiter.reset('user=secret').then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ name: 'ThrottleError', code: 'THROTTLE_ERR_STORE_DOWN', message: 'The rate-limit store is unavailable: reset failed', cause });
    const throwing = { consume: () => Promise.reject(cause), reset: () => { throw cause; }, close: () => undefined };
    await expect(createRateLimiter({ store: throwing, logger: quiet }).reset('k')).rejects.toMatchObject({ code: 'THROTTLE_ERR_STORE_DOWN', cause });
    const typed = new ThrottleError('THROTTLE_ERR_STORE_REPLY');
    const odd = { consume: () => Promise.reject(cause), reset: () => Promise.reject(typed), close: () => undefined };
    await expect(createRateLimiter({ store: odd, logger: quiet }).reset('k')).rejects.toBe(typed);
    // the insurance store is reset too, and wrapped the same way
    const insured = createRateLimiter({ store: new MemoryStore({ sweepIntervalMs: 0 }), insurance: failing, onStoreError: 'insurance', logger: quiet });
    await expect(insured.reset('k')).rejects.toMatchObject({ code: 'THROTTLE_ERR_STORE_DOWN', cause });
  });

  it('reset() gives up after timeoutMs with THROTTLE_ERR_STORE_TIMEOUT', async () => {
    vi.useFakeTimers({ now: T });
    const hung = { consume: () => new Promise<StoreOutcome>(() => undefined), reset: () => new Promise<void>(() => undefined), close: () => undefined };
    const limiter = createRateLimiter({ store: hung, timeoutMs: 50, logger: quiet });
    const outcome = limiter.reset('k').then(() => 'resolved', (e: { code: string }) => e.code);
    await vi.advanceTimersByTimeAsync(49);
    const early = await Promise.race([outcome, Promise.resolve('pending')]);
    await vi.advanceTimersByTimeAsync(1);
    expect([early, await outcome]).toEqual(['pending', 'THROTTLE_ERR_STORE_TIMEOUT']);
  });
});
