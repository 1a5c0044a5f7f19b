import { FakeClock } from '@rampart/mocks';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type BreakerTransition } from './circuit-breaker.ts';

describe('CircuitBreaker', () => {
  it('opens after consecutive failures, probes once after the cooldown, closes on success', () => {
    const clock = new FakeClock(0);
    const seen: BreakerTransition[] = [];
    const b = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 100 }, clock, (t) => seen.push(t));
    expect(b.tryAcquire()).toBe(true);
    b.failure();
    b.success(); // resets the count
    b.failure();
    expect(b.state).toBe('closed');
    b.failure();
    expect([b.state, b.tryAcquire()]).toEqual(['open', false]);
    clock.advance(99);
    expect(b.tryAcquire()).toBe(false);
    clock.advance(1);
    expect([b.tryAcquire(), b.state, b.tryAcquire()]).toEqual([true, 'half-open', false]);
    b.success();
    expect(b.state).toBe('closed');
    expect(seen).toEqual([
      { from: 'closed', to: 'open', failures: 2 },
      { from: 'open', to: 'half-open', failures: 2 },
      { from: 'half-open', to: 'closed', failures: 0 },
    ]);
  });

  it('re-opens when the half-open probe fails, and ignores late failures while open', () => {
    const clock = new FakeClock(0);
    const seen: string[] = [];
    const b = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10 }, clock, (t) => seen.push(`${t.from}>${t.to}`));
    b.failure();
    b.failure();
    clock.advance(10);
    expect(b.tryAcquire()).toBe(true);
    b.failure();
    expect(seen).toEqual(['closed>open', 'open>half-open', 'half-open>open']);
  });

  // Was: success() closed the circuit from any state, so a call started before it opened and answering after
  // closed it at once: no cooldown, no half-open probe, and the failing store was called again by everyone.
  it('a late success while open neither closes it nor shortens the cooldown; the probe still decides', () => {
    const clock = new FakeClock(0);
    const seen: string[] = [];
    const b = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 100 }, clock, (t) => seen.push(`${t.from}>${t.to}:${t.failures}`));
    b.failure();
    b.success(); // the late answer
    expect([b.state, b.tryAcquire()]).toEqual(['open', false]);
    clock.advance(99);
    expect(b.tryAcquire()).toBe(false);
    clock.advance(1);
    expect([b.tryAcquire(), b.state]).toEqual([true, 'half-open']);
    b.success();
    // the next outage probes again after its cooldown: closing cleared the probe
    b.failure();
    clock.advance(100);
    expect(b.tryAcquire()).toBe(true);
    expect(seen).toEqual(['closed>open:1', 'open>half-open:1', 'half-open>closed:0', 'closed>open:1', 'open>half-open:1']);
  });

  // Was: elapsed = now - openedAt stayed negative after the clock stepped back, keeping the circuit open
  // for the size of the step (an hour for a one-hour NTP correction).
  it('a clock that steps back ends the cooldown instead of extending it', () => {
    const clock = new FakeClock(3_600_000);
    const b = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 5_000 }, clock, () => undefined);
    b.failure();
    clock.set(0);
    expect([b.tryAcquire(), b.state]).toEqual([true, 'half-open']);
  });

  it('has documented defaults and refuses bad settings', () => {
    const b = new CircuitBreaker({}, Date, () => undefined);
    expect([b.failureThreshold, b.cooldownMs, b.state]).toEqual([5, 5_000, 'closed']);
    expect(() => new CircuitBreaker({ cooldownMs: 0 }, Date, () => undefined)).toThrow(
      expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION', message: 'A throttler option is invalid: breaker.cooldownMs must be a positive integer, got 0' }),
    );
    expect(() => new CircuitBreaker({ failureThreshold: 1.5 }, Date, () => undefined)).toThrow(
      expect.objectContaining({ code: 'THROTTLE_ERR_INVALID_OPTION', message: 'A throttler option is invalid: breaker.failureThreshold must be a positive integer, got 1.5' }),
    );
    const smallest = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 1 }, Date, () => undefined);
    expect([smallest.failureThreshold, smallest.cooldownMs]).toEqual([1, 1]);
  });
});

// Was: success() and failure() did not say which call they answered, so a call started while the circuit was
// still closed and answering late, while the half-open probe was in flight, was taken as the probe's answer.
describe('CircuitBreaker permits', () => {
  function breaker(failureThreshold: number, cooldownMs = 100) {
    const clock = new FakeClock(0);
    const seen: string[] = [];
    const b = new CircuitBreaker({ failureThreshold, cooldownMs }, clock, (t) => seen.push(`${t.from}>${t.to}:${t.failures}`));
    return { clock, seen, b };
  }

  it("the half-open probe's own answer decides: its success closes the circuit, its failure re-opens it", () => {
    const { clock, seen, b } = breaker(2);
    const first = b.acquire()!;
    expect([first.generation, first.probe]).toEqual([0, false]);
    first.failure();
    b.acquire()!.failure();
    expect([b.state, b.acquire()]).toEqual(['open', undefined]);
    clock.advance(99);
    expect(b.acquire()).toBeUndefined();
    clock.advance(1);
    const probe = b.acquire()!;
    expect([probe.generation, probe.probe, b.state, b.acquire(), b.tryAcquire()]).toEqual([2, true, 'half-open', undefined, false]);
    probe.failure();
    expect([b.state, b.acquire()]).toEqual(['open', undefined]);
    clock.advance(100);
    const second = b.acquire()!;
    expect([second.generation, second.probe]).toEqual([4, true]);
    second.success();
    const after = b.acquire()!;
    expect([b.state, after.generation, after.probe]).toEqual(['closed', 5, false]);
    expect(seen).toEqual(['closed>open:2', 'open>half-open:2', 'half-open>open:3', 'open>half-open:3', 'half-open>closed:0']);
  });

  it('a late success from a call started while closed does not close the half-open circuit', () => {
    const { clock, seen, b } = breaker(1);
    const late = b.acquire()!;
    b.acquire()!.failure();
    clock.advance(100);
    const probe = b.acquire()!;
    late.success();
    expect([b.state, b.acquire(), b.tryAcquire()]).toEqual(['half-open', undefined, false]);
    probe.failure();
    expect(b.state).toBe('open');
    expect(seen).toEqual(['closed>open:1', 'open>half-open:1', 'half-open>open:2']);
  });

  it('a late failure from a call started while closed neither re-opens the half-open circuit nor lets a second probe through', () => {
    const { clock, seen, b } = breaker(1);
    const late = b.acquire()!;
    b.acquire()!.failure();
    clock.advance(100);
    const probe = b.acquire()!;
    late.failure();
    expect([b.state, b.acquire()]).toEqual(['half-open', undefined]);
    clock.advance(100);
    expect([b.acquire(), b.tryAcquire()]).toEqual([undefined, false]);
    probe.success();
    expect(b.state).toBe('closed');
    expect(seen).toEqual(['closed>open:1', 'open>half-open:1', 'half-open>closed:0']);
  });

  it('a permit settled twice counts once, whichever way', () => {
    const { seen, b } = breaker(2);
    const twice = b.acquire()!;
    twice.failure();
    twice.failure();
    expect(b.state).toBe('closed');
    const undo = b.acquire()!;
    undo.success(); // resets the count
    undo.failure();
    const flip = b.acquire()!;
    flip.failure();
    flip.success(); // does not reset it
    expect(b.state).toBe('closed');
    b.acquire()!.failure();
    expect(seen).toEqual(['closed>open:2']);
  });

  it('a probe settled twice counts once', () => {
    const { clock, b } = breaker(1);
    b.acquire()!.failure();
    clock.advance(100);
    const probe = b.acquire()!;
    probe.success();
    probe.failure();
    expect(b.state).toBe('closed');
  });

  it('answers from an earlier closed period count neither towards nor against the threshold after the circuit re-closes', () => {
    const { clock, seen, b } = breaker(2);
    const stale = [b.acquire()!, b.acquire()!, b.acquire()!];
    b.acquire()!.failure();
    b.acquire()!.failure();
    clock.advance(100);
    b.acquire()!.success();
    expect(b.state).toBe('closed');
    stale[0]!.failure();
    stale[1]!.failure();
    expect(b.state).toBe('closed');
    b.acquire()!.failure();
    stale[2]!.success(); // does not reset the new period's count either
    b.acquire()!.failure();
    expect(seen).toEqual(['closed>open:2', 'open>half-open:2', 'half-open>closed:0', 'closed>open:2']);
  });

  it('success() and failure() without a permit keep their meaning, and their transitions make outstanding permits stale', () => {
    const { clock, seen, b } = breaker(1);
    const late = b.acquire()!;
    b.failure();
    late.success(); // from before the circuit opened
    expect(b.state).toBe('open');
    clock.advance(100);
    const probe = b.acquire()!;
    b.success(); // an anonymous success while half-open closes, as before
    probe.failure(); // the probe's answer comes after the circuit moved on
    expect(b.state).toBe('closed');
    expect(seen).toEqual(['closed>open:1', 'open>half-open:1', 'half-open>closed:0']);
  });
});
