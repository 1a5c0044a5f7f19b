import { FakeClock } from '@rampart/mocks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from './memory-store.ts';
import { definePolicies } from './policy.ts';

const T = 1_700_000_000_000;
const perSecond = definePolicies({ limit: 2, windowMs: 1_000 });

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
    expect(() => new MemoryStore({ maxKeys: 0 })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION' }));
    expect(() => new MemoryStore({ sweepIntervalMs: 1.5 })).toThrow(expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION' }));
    const defaults = new MemoryStore();
    expect([defaults.maxKeys, defaults.sweepIntervalMs]).toEqual([100_000, 60_000]);
    defaults.close();
  });
});
