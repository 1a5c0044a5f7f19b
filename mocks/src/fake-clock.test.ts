import { describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock.ts';

describe('FakeClock', () => {
  it('starts where it is told and only moves when advanced or set', () => {
    const clock = new FakeClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(250);
    expect(clock.now()).toBe(1_250);
    clock.set(5_000);
    expect(clock.now()).toBe(5_000);
    clock.set(10);
    expect(clock.now()).toBe(10);
    expect(new FakeClock().now()).toBe(0);
  });

  it('fires timeouts in time order, ties in scheduling order, at their due time', () => {
    const clock = new FakeClock(0);
    const seen: Array<[string, number]> = [];
    clock.setTimeout(() => seen.push(['b', clock.now()]), 20);
    clock.setTimeout(() => seen.push(['a', clock.now()]), 10);
    clock.setTimeout(() => seen.push(['c', clock.now()]), 20);
    clock.advance(15);
    expect(seen).toEqual([['a', 10]]);
    clock.advance(5);
    expect(seen).toEqual([['a', 10], ['b', 20], ['c', 20]]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('repeats intervals until cleared and fires nothing when set backwards', () => {
    const clock = new FakeClock(0);
    let ticks = 0;
    const id = clock.setInterval(() => ticks++, 100);
    clock.advance(350);
    expect(ticks).toBe(3);
    clock.set(0);
    expect(ticks).toBe(3);
    clock.set(1_000);
    expect(ticks).toBe(10);
    clock.clearTimeout(id);
    clock.advance(1_000);
    expect(ticks).toBe(10);
    expect(clock.pendingTimers).toBe(0);
  });

  it('runs a negative timeout at once on the next advance and clears a timeout before it fires', () => {
    const clock = new FakeClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('now'), -5);
    const id = clock.setTimeout(() => fired.push('never'), 10);
    clock.clearTimeout(id);
    clock.advance(0);
    clock.advance(100);
    expect(fired).toEqual(['now']);
  });

  // Was TypeError/RangeError: every double's bad argument is MOCKS_ERR_BAD_ARGUMENT, as SeededRandom's is.
  it('refuses non-finite times, negative advances and empty intervals with MOCKS_ERR_BAD_ARGUMENT, saying what it got', () => {
    const bad = (message: string): unknown => expect.objectContaining({ name: 'MocksError', code: 'MOCKS_ERR_BAD_ARGUMENT', category: 'validation', message: `A test double was given an argument it cannot use: ${message}` });
    expect(() => new FakeClock(Number.NaN)).toThrow(bad('FakeClock start must be a finite number, got NaN'));
    const clock = new FakeClock();
    expect(() => clock.advance(-1)).toThrow(bad('FakeClock.advance needs a finite ms >= 0, got -1'));
    expect(() => clock.advance(Number.POSITIVE_INFINITY)).toThrow(bad('FakeClock.advance needs a finite ms >= 0, got Infinity'));
    expect(() => clock.set(Number.NaN)).toThrow(bad('FakeClock.set needs a finite number, got NaN'));
    expect(() => clock.setInterval(() => undefined, 0)).toThrow(bad('FakeClock.setInterval needs ms > 0, got 0'));
    expect(() => clock.setInterval(() => undefined, -1)).toThrow(bad('FakeClock.setInterval needs ms > 0, got -1'));
    expect(clock.now()).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('fires every timer due within one advance in time order, not scheduling order', () => {
    const clock = new FakeClock(100);
    const seen: Array<[string, number]> = [];
    clock.setTimeout(() => seen.push(['late', clock.now()]), 30);
    clock.setTimeout(() => seen.push(['early', clock.now()]), 10);
    clock.setInterval(() => seen.push(['tick', clock.now()]), 12);
    clock.advance(30);
    expect(seen).toEqual([['early', 110], ['tick', 112], ['tick', 124], ['late', 130]]);
    expect(clock.now()).toBe(130);
  });

  it('stays at the earlier time when set backwards, with timers still pending', () => {
    const clock = new FakeClock(1_000);
    let fired = 0;
    clock.setTimeout(() => fired++, 10);
    clock.set(500);
    expect(clock.now()).toBe(500);
    expect(fired).toBe(0);
    expect(clock.pendingTimers).toBe(1);
    clock.set(1_010);
    expect(fired).toBe(1);
  });
});
