import { FakeClock } from '@rampart/mocks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from './memory-store.ts';
import { createRateLimiter } from './limiter.ts';
import { definePolicies } from './policy.ts';

const T = 1_700_000_000_000;
const perSecond = definePolicies({ limit: 2, windowMs: 1_000 });
const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('MemoryStore', () => {
  afterEach(() => vi.useRealTimers());

  it('counts per key and forgets a key on reset', () => {
    const store = new MemoryStore({ clock: new FakeClock(T), sweepIntervalMs: 0 });
    expect([1, 2, 3].map(() => store.consume('a', perSecond, 1).allowed)).toEqual([true, true, false]);
    expect(store.consume('b', perSecond, 1).allowed).toBe(true);
    store.reset('a');
    expect(store.consume('a', perSecond, 1).outcomes[0]!.remaining).toBe(1);
    expect(store.size).toBe(2);
  });

  it('stores nothing for a refused request and re-inserts an expired entry as new', () => {
    const clock = new FakeClock(T);
    const store = new MemoryStore({ clock, maxKeys: 1, sweepIntervalMs: 0 });
    store.consume('a', perSecond, 2);
    expect(store.consume('a', perSecond, 1).allowed).toBe(false);
    clock.advance(1_000);
    expect(store.consume('a', perSecond, 1)).toMatchObject({ allowed: true, outcomes: [{ remaining: 1 }] });
    expect(store.size).toBe(1);
  });

  it('refuses a new key at capacity instead of evicting a live counter', () => {
    const clock = new FakeClock(T);
    const store = new MemoryStore({ clock, maxKeys: 2, sweepIntervalMs: 30_000 });
    store.consume('a', perSecond, 2);
    store.consume('b', perSecond, 1);
    const refused = store.consume('c', perSecond, 1);
    expect(refused).toEqual({
      allowed: false,
      reason: 'capacity',
      ttlMs: 30_000,
      outcomes: [{ policy: perSecond[0], allowed: false, remaining: 0, resetMs: 30_000, retryAfterMs: 30_000 }],
    });
    // the live counter of `a` is intact: still exhausted
    expect(store.consume('a', perSecond, 1).allowed).toBe(false);
    expect(store.size).toBe(2);
    // once `a` and `b` expire, `c` reclaims a slot
    clock.advance(1_000);
    expect(store.consume('c', perSecond, 1).allowed).toBe(true);
    store.close();
  });

  it('reclaims at most a bounded batch of expired entries per new key', () => {
    const clock = new FakeClock(T);
    const store = new MemoryStore({ clock, maxKeys: 20, sweepIntervalMs: 0 });
    for (let i = 0; i < 20; i++) store.consume(`k${i}`, perSecond, 1);
    clock.advance(1_000);
    expect(store.consume('new', perSecond, 1).allowed).toBe(true);
    expect(store.size).toBe(13); // 8 reclaimed, 1 added
    expect(store.sweep()).toBe(12);
    expect(store.size).toBe(1);
  });

  it('arms no timer with sweepIntervalMs 0, and asks a refused new key to wait at least a second', () => {
    vi.useFakeTimers({ now: T });
    const store = new MemoryStore({ maxKeys: 1, sweepIntervalMs: 0 });
    expect(vi.getTimerCount()).toBe(0);
    store.consume('a', perSecond, 1);
    expect(store.consume('b', perSecond, 1)).toEqual({
      allowed: false,
      reason: 'capacity',
      ttlMs: 1_000,
      outcomes: [{ policy: perSecond[0], allowed: false, remaining: 0, resetMs: 1_000, retryAfterMs: 1_000 }],
    });
  });

  it('keeps its sweep timer unref-ed: it never holds the process open', () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const store = new MemoryStore({ sweepIntervalMs: 60_000 });
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before);
    store.close();
  });

  it('sweeps on one unref-ed interval and close() clears it', () => {
    vi.useFakeTimers({ now: T });
    const store = new MemoryStore({ sweepIntervalMs: 5_000 });
    store.consume('a', perSecond, 1);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(5_000);
    expect(store.size).toBe(0);
    store.close();
    store.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects bad options with THROTTLE_ERR_INVALID_OPTION', () => {
    expect(() => new MemoryStore({ maxKeys: 0 })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION', message: 'A throttler option is invalid: maxKeys must be an integer >= 1, got 0' }));
    expect(() => new MemoryStore({ sweepIntervalMs: 1.5 })).toThrow(
      expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION', message: 'A throttler option is invalid: sweepIntervalMs must be an integer >= 0, got 1.5' }),
    );
    expect(() => new MemoryStore({ sweepIntervalMs: -1 })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION' }));
    const smallest = new MemoryStore({ maxKeys: 1, sweepIntervalMs: 0 });
    expect([smallest.maxKeys, smallest.sweepIntervalMs]).toEqual([1, 0]);
    const defaults = new MemoryStore();
    expect([defaults.maxKeys, defaults.sweepIntervalMs]).toEqual([100_000, 60_000]);
    defaults.close();
  });

  it('keeps each limiter namespace in its own table; maxKeys and size cover them all', async () => {
    const clock = new FakeClock(T);
    const store = new MemoryStore({ clock, maxKeys: 3, sweepIntervalMs: 0 });
    const a = createRateLimiter({ store, clock, logger, namespace: 'a', policies: { limit: 1, windowMs: 1_000 } });
    const b = createRateLimiter({ store, clock, logger, namespace: 'b', policies: { limit: 1, windowMs: 1_000 } });
    const a2 = createRateLimiter({ store, clock, logger, namespace: 'a', policies: { limit: 1, windowMs: 1_000 } });
    expect([a.consumeSync('k').allowed, b.consumeSync('k').allowed, a2.consumeSync('k').allowed]).toEqual([true, true, false]);
    expect(store.consume('k', perSecond, 1).allowed).toBe(true); // direct calls: a table of their own
    expect(store.size).toBe(3);
    expect(a.consumeSync('other').reason).toBe('capacity');
    store.reset('k');
    await b.reset('k');
    expect(store.size).toBe(1);
    expect([a.consumeSync('k').allowed, b.consumeSync('k').allowed]).toEqual([false, true]);
    clock.advance(1_000);
    expect(store.sweep()).toBe(2);
    expect(store.size).toBe(0);
  });

  it('reclaims round-robin over namespaces, resuming where the last scan stopped', () => {
    const clock = new FakeClock(T);
    const store = new MemoryStore({ clock, maxKeys: 10, sweepIntervalMs: 0 });
    const hot = createRateLimiter({ store, clock, namespace: 'hot', policies: { limit: 5, windowMs: 60_000 } });
    const cold = createRateLimiter({ store, clock, namespace: 'cold', policies: { limit: 5, windowMs: 1_000 } });
    for (let i = 0; i < 9; i++) hot.consumeSync(`h${i}`); // live for a minute
    cold.consumeSync('c0');
    clock.advance(1_000); // only c0 has expired, behind 9 live entries
    expect(store.consume('x', perSecond, 1).reason).toBe('capacity'); // root is empty; scans h0..h7 of 'hot'
    expect(store.size).toBe(10);
    // resumes at h8, goes on to 'cold' when 'hot' ends, and drops c0
    expect(store.consume('x', perSecond, 1)).toMatchObject({ allowed: true, outcomes: [{ remaining: 1 }] });
    expect(store.size).toBe(10);
    expect(store.consume('y', perSecond, 1).reason).toBe('capacity');
  });

  it('carries a key across a change of its policies on direct calls', () => {
    const clock = new FakeClock(T);
    const store = new MemoryStore({ clock, sweepIntervalMs: 0 });
    const two = definePolicies([{ name: 'a', limit: 2, windowMs: 1_000 }, { name: 'b', limit: 5, windowMs: 1_000 }]);
    const log = definePolicies({ name: 'a', algorithm: 'sliding-log', limit: 3, windowMs: 1_000 });
    const logAndFixed = definePolicies([{ name: 'a', algorithm: 'sliding-log', limit: 3, windowMs: 1_000 }, { name: 'b', limit: 1, windowMs: 1_000 }]);
    store.consume('k', perSecond, 1);
    expect(store.consume('k', two, 1).outcomes.map((o) => o.remaining)).toEqual([0, 4]);
    expect(store.consume('k', two, 1).allowed).toBe(false);
    expect(store.consume('k', perSecond, 1).allowed).toBe(false); // now kept per policy, still counted
    store.consume('l', log, 1);
    expect(store.consume('l', logAndFixed, 1).outcomes.map((o) => o.remaining)).toEqual([1, 0]);
    store.consume('l', log, 1);
    // the second policy's counter was dropped with it: back at full quota
    expect(store.consume('l', logAndFixed, 0).outcomes.map((o) => o.remaining)).toEqual([0, 1]);
    clock.advance(999);
    expect(store.sweep()).toBe(0);
    clock.advance(1);
    expect(store.sweep()).toBe(2);
  });

  it('never reads one algorithm\'s state as another\'s: a key that changes algorithm starts its own count', () => {
    const clock = new FakeClock(T + 250);
    const store = new MemoryStore({ clock, sweepIntervalMs: 0 });
    const policy = (algorithm: 'fixed-window' | 'sliding-window' | 'sliding-log' | 'token-bucket' | 'gcra') => definePolicies({ name: 'p', algorithm, limit: 3, windowMs: 1_000 });
    const seen: [string, boolean, number][] = [];
    // every ordered pair of algorithms, each pair on a fresh key
    const algorithms = ['fixed-window', 'sliding-window', 'sliding-log', 'token-bucket', 'gcra'] as const;
    for (const first of algorithms) {
      for (const second of algorithms) {
        if (first === second) continue;
        const key = `${first}>${second}`;
        store.consume(key, policy(first), 2);
        const o = store.consume(key, policy(second), 1);
        seen.push([key, o.allowed, o.outcomes[0]!.remaining]);
      }
    }
    expect(seen.filter(([, allowed, remaining]) => !allowed || remaining !== 2)).toEqual([]);
    expect(seen).toHaveLength(20);
    // several policies: only the policy whose algorithm changed starts over
    const mixed = definePolicies([{ name: 'a', limit: 3, windowMs: 1_000 }, { name: 'b', limit: 3, windowMs: 1_000 }]);
    const changed = definePolicies([{ name: 'a', limit: 3, windowMs: 1_000 }, { name: 'b', algorithm: 'token-bucket', limit: 3, windowMs: 1_000 }]);
    store.consume('m', mixed, 2);
    expect(store.consume('m', changed, 1).outcomes.map((o) => o.remaining)).toEqual([0, 2]);
  });

  it('two limiters with different algorithms sharing a store and namespace keep separate counts', () => {
    const clock = new FakeClock(T);
    const store = new MemoryStore({ clock, sweepIntervalMs: 0 });
    const fixed = createRateLimiter({ store, clock, logger, policies: { limit: 3, windowMs: 60_000 } });
    const sliding = createRateLimiter({ store, clock, logger, policies: { algorithm: 'sliding-window', limit: 3, windowMs: 60_000 } });
    const d = [fixed.consumeSync('k'), sliding.consumeSync('k'), sliding.consumeSync('k'), fixed.consumeSync('k')];
    // each keeps its own count: overwriting each other, alternating limiters would never limit
    expect(d.map((x) => [x.allowed, x.remaining])).toEqual([[true, 2], [true, 2], [true, 1], [true, 1]]);
    expect(store.size).toBe(2);
  });

  it('re-reads the expiry after a key changes algorithm on direct calls', () => {
    const clock = new FakeClock(T);
    const store = new MemoryStore({ clock, sweepIntervalMs: 0 });
    store.consume('k', definePolicies({ algorithm: 'sliding-window', limit: 10, windowMs: 1_000 }), 1); // expires at T + 2000
    expect(store.consume('k', definePolicies({ limit: 10, windowMs: 1_000 }), 1).outcomes[0]!.remaining).toBe(9);
    clock.advance(1_000);
    expect(store.sweep()).toBe(1); // the fixed window's expiry (T + 1000), not the sliding window's
  });
});
