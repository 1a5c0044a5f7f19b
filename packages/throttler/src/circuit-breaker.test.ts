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
